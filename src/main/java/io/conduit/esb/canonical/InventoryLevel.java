package io.conduit.esb.canonical;

import com.fasterxml.jackson.annotation.JsonFormat;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * Stock of one item in one warehouse (schema {@code urn:conduit:schema:inventory-level:1}). {@code changeNumber} is
 * the ERP's change counter: of two states of the same item and warehouse, the higher number is the later one.
 */
public record InventoryLevel(String itemId,
                             String warehouseId,
                             BigDecimal onHand,
                             BigDecimal reserved,
                             BigDecimal available,
                             String unit,
                             @JsonFormat(shape = JsonFormat.Shape.STRING) OffsetDateTime asOf,
                             long changeNumber) {
}
