package io.conduit.esb.canonical;

import com.fasterxml.jackson.annotation.JsonFormat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A price list of the product catalogue (schema {@code urn:conduit:schema:price-list:1}): the ERP's state of one price
 * list, whole (an entry no longer listed is gone). Each entry prices one product from {@code validFrom} to
 * {@code validTo}, both inclusive, either null for open-ended; a price takes effect on its {@code validFrom} date.
 */
public record PriceList(int schemaVersion, String priceListId, String source, long sourceVersion,
                        OffsetDateTime changedAt, String name, String currency, boolean active, List<Entry> entries) {

    /** The price of one product over a period. */
    public record Entry(String productId, BigDecimal unitPrice,
                        @JsonFormat(shape = JsonFormat.Shape.STRING) LocalDate validFrom,
                        @JsonFormat(shape = JsonFormat.Shape.STRING) LocalDate validTo) {
    }
}
