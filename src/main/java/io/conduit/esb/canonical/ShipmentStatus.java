package io.conduit.esb.canonical;

import com.fasterxml.jackson.annotation.JsonFormat;

import java.time.OffsetDateTime;

/** One shipment of an ERP sales order (schema {@code urn:conduit:schema:shipment-status:1}). */
public record ShipmentStatus(String shipmentNumber,
                             String erpOrderNumber,
                             String crmOrderRef,
                             Status status,
                             String carrier,
                             String trackingNumber,
                             @JsonFormat(shape = JsonFormat.Shape.STRING) OffsetDateTime shippedAt,
                             @JsonFormat(shape = JsonFormat.Shape.STRING) OffsetDateTime deliveredAt,
                             @JsonFormat(shape = JsonFormat.Shape.STRING) OffsetDateTime changedAt,
                             long changeNumber) {

    /** PLANNED (not left the warehouse), SHIPPED, DELIVERED. */
    public enum Status { PLANNED, SHIPPED, DELIVERED }
}
