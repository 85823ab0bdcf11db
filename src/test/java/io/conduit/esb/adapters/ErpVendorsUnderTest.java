package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.function.Supplier;

/**
 * One ERP adapter under the contract tests of port {@code erp.upsert-vendor}: the port, and what the ERP's purchasing
 * people do with vendors (enter one first, set its payment terms).
 */
interface ErpVendorsUnderTest {

    String name();

    /** Why the vendor port cannot be tested on this ERP (e.g. a category or module it lacks), or null. */
    default String whyNoVendors() {
        return null;
    }

    /** Calls port erp.upsert-vendor with a canonical Supplier (the CRM's state); the port's result. */
    JsonNode upsertVendor(String supplier) throws Exception;

    /** Purchasing enters a vendor in the ERP first (no CRM supplier); its vendor number. */
    String enterVendor(String name, String taxId) throws Exception;

    /** Purchasing sets the ERP's own payment terms of the vendor (a code the ERP has: NET60). */
    void setPurchasingTerms(String vendorNumber, String paymentTerms) throws Exception;

    /** The vendor with this number as the ERP holds it. */
    ErpVendor vendor(String vendorNumber) throws Exception;

    /** How many vendors (or parties) the ERP holds with this tax id. */
    int vendorsWithTaxId(String taxId) throws Exception;

    /** How many vendors the ERP holds linked to this CRM supplier. */
    int vendorsOfSupplier(String supplierId) throws Exception;

    /** Runs the action while the ERP cannot be reached. */
    <T> T whileVendorsDown(Supplier<T> action) throws Exception;

    /**
     * A vendor as the ERP shows it: number, name, tax id, the CRM supplier it is linked to, the CRM's rating (null:
     * none), whether it is used as an active supplier (false: flagged after a CRM deactivation), the cities of its
     * (active) addresses and the ERP's own payment terms.
     */
    record ErpVendor(String number, String name, String taxId, String crmRef, Integer rating, boolean active,
                     List<String> cities, String paymentTerms) {
    }
}
