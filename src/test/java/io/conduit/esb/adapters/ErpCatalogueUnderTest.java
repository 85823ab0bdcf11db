package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.function.Supplier;

/**
 * One ERP adapter under the contract tests of port {@code erp.catalogue-since}: the port, and what the ERP's product
 * management does with products, list prices and price lists.
 */
interface ErpCatalogueUnderTest {

    String name();

    /** Why the catalogue port cannot be tested on this ERP (e.g. a module not activated), or null. */
    default String whyNoCatalogue() {
        return null;
    }

    /** Calls port erp.catalogue-since with the watermark (null: nothing read yet); the port's result. */
    JsonNode catalogueSince(String watermark) throws Exception;

    /** Product management enters a product with this code (SKU), name and list price (in the ERP's currency). */
    void createProduct(String sku, String name, String listPrice) throws Exception;

    /** Product management sets the product's list price. */
    void setListPrice(String sku, String listPrice) throws Exception;

    /** Product management stops selling the product. */
    void deactivateProduct(String sku) throws Exception;

    /** Product management creates a price list; its id as the port reports it (priceListId). */
    String createPriceList(String name) throws Exception;

    /** Adds a fixed price of the product to the price list, valid from/to (inclusive; null: open). */
    void addPrice(String priceListId, String sku, String unitPrice, LocalDate validFrom, LocalDate validTo) throws Exception;

    /** Runs the action while the ERP cannot be reached. */
    <T> T whileCatalogueDown(Supplier<T> action) throws Exception;
}
