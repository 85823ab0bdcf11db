package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.Supplier;

/**
 * One ERP adapter under the contract tests of ports {@code erp.upsert-customer} and {@code erp.customers-since}: the
 * ports, and what the ERP's own users (order entry, finance) do with customers.
 */
interface ErpCustomersUnderTest {

    String name();

    /** Why the customer ports cannot be tested on this ERP (e.g. a module not activated), or null. */
    default String whyNoCustomers() {
        return null;
    }

    /** Calls port erp.upsert-customer with a canonical Customer of source crm; the port's result. */
    JsonNode upsertCustomer(String customer) throws Exception;

    /** Calls port erp.customers-since with the watermark (null: nothing read yet); the port's result. */
    JsonNode customersSince(String watermark) throws Exception;

    /**
     * Calls port erp.customers-page ({"after", "limit"}: the customers linked to CRM accounts after the given one);
     * the port's result.
     */
    default JsonNode customersPage(String after, int limit) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode request = json.createObjectNode().put("after", after).put("limit", limit);
        return json.readTree(customerPorts().createProducerTemplate()
                .requestBody("direct:erp.customers-page", request.toString(), String.class));
    }

    /** The Camel context in which this adapter's customer ports run. */
    org.apache.camel.CamelContext customerPorts();

    /** Order entry enters a customer in the ERP first (no CRM account); its ERP number. */
    String enterCustomer(String name, String taxId) throws Exception;

    /** Finance sets the ERP's side: credit limit (null: none, in the ERP's currency), payment terms code, block. */
    void setTerms(String erpNumber, String creditLimit, String paymentTerms, boolean blocked) throws Exception;

    /** The customer with this ERP number as the ERP holds it. */
    ErpCustomer customer(String erpNumber) throws Exception;

    /** How many customers the ERP holds with this tax id. */
    int customersWithTaxId(String taxId) throws Exception;

    /** How many customers the ERP holds linked to this CRM account. */
    int customersOfAccount(String customerId) throws Exception;

    /**
     * The ERP number of the customer this one was merged into (the ERP's own record of a merge: the sandbox's
     * merged_into, Tryton's replaced_by), or null; and whether the customer is still active in the ERP.
     */
    String mergedInto(String erpNumber) throws Exception;

    /** Runs the action while the ERP cannot be reached. */
    <T> T whileCustomersDown(Supplier<T> action) throws Exception;

    /**
     * A customer as the ERP shows it: number, name, tax id, the CRM account it is linked to, the cities of its
     * (active) addresses, the e-mail addresses of its (active) contacts, and the ERP's side.
     */
    record ErpCustomer(String number, String name, String taxId, String crmRef, List<String> cities, List<String> emails,
                       BigDecimal creditLimit, String paymentTerms, boolean blocked) {
    }
}
