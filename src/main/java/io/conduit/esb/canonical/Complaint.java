package io.conduit.esb.canonical;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;

/**
 * A customer complaint as it travels between systems (schema {@code urn:conduit:schema:complaint:1}).
 * <p>
 * {@code complaintId} is the business key (the source system's case reference); {@code category} is the canonical
 * category ({@code DAMAGED_GOODS}, {@code LATE_DELIVERY}, {@code WRONG_INVOICE}, {@code PRODUCT_DEFECT}, ...) or,
 * when the source used a code the mapping does not know, that code as it was: the routing table then sends the
 * complaint to its default queue and flags it. {@code sourceCategory} always keeps the source's own code.
 * {@code order} is present when the complaint refers to an order; its ERP fields are filled in by enrichment.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Complaint(String complaintId,
                       String source,
                       CustomerInfo customer,
                       OrderReference order,
                       String category,
                       String sourceCategory,
                       Product product,
                       Severity severity,
                       String subject,
                       String description,
                       Channel channel,
                       ComplaintStatus status,
                       @JsonFormat(shape = JsonFormat.Shape.STRING) OffsetDateTime reportedAt,
                       @JsonFormat(shape = JsonFormat.Shape.STRING) OffsetDateTime receivedAt) {

    /** How urgent the complaint is, as the customer's case was classified. */
    public enum Severity { LOW, MEDIUM, HIGH, CRITICAL }

    /** How the customer complained. */
    public enum Channel { EMAIL, PHONE, WEB, CHAT, OTHER }

    /** Commercial tier of the customer, as the CRM classifies it. */
    public enum Tier { STANDARD, GOLD, PLATINUM }

    /** The complaining customer: id and name in the source system, and its commercial tier. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CustomerInfo(String customerId, String name, Tier tier) {
    }

    /** The order complained about: the source's order id and, once enriched, the ERP's number, status, shipment. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OrderReference(String orderId, String erpOrderNumber, String erpStatus, String shipmentNumber) {
    }

    /** The product complained about; {@code productLine} is one of the inputs of the routing table. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Product(String sku, String name, String productLine) {
    }
}
