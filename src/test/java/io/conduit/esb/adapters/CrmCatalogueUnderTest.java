package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * One CRM adapter under the contract tests of ports {@code crm.upsert-product} and {@code crm.upsert-price-book}: the
 * ports, and what the CRM's salespeople see of the catalogue and do with quotes.
 */
interface CrmCatalogueUnderTest {

    String name();

    /** Calls port crm.upsert-product with a canonical Product; the port's result. */
    JsonNode upsertProduct(String product) throws Exception;

    /** Calls port crm.upsert-price-book with a canonical PriceList; the port's result. */
    JsonNode upsertPriceBook(String priceList) throws Exception;

    /** The product as sales see it on the day: whether it is active, its list price, the prices valid that day. */
    Shown product(String productId, LocalDate on) throws Exception;

    /** A salesperson quotes the product at this unit price (an open quote); its number. */
    String quote(String productId, String unitPrice) throws Exception;

    /** The quote: whether it is flagged for a price review, its unit prices. */
    Quote quoteOf(String quoteNo) throws Exception;

    /** A product in the CRM's catalogue on a day. */
    record Shown(boolean active, BigDecimal listPrice, List<BigDecimal> prices) {
    }

    /** A quote: flagged for a price review (with as many notes), the unit prices of its lines. */
    record Quote(boolean flagged, int notes, List<BigDecimal> unitPrices) {
    }
}
