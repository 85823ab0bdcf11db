package io.conduit.esb.canonical;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * A product of the product catalogue (schema {@code urn:conduit:schema:product:1}): the ERP's state of one product it
 * sells. The ERP owns every field; {@code productId} is its item number (SKU), {@code sourceVersion} its revision of
 * the product. {@code listPrice} is null when the ERP has none; prices with validity dates are {@link PriceList}
 * entries.
 */
public record Product(int schemaVersion, String productId, String source, long sourceVersion, OffsetDateTime changedAt,
                      String name, String unit, String productGroup, boolean active, Money listPrice) {

    /** An amount in a currency (ISO 4217). */
    public record Money(BigDecimal amount, String currency) {
    }
}
