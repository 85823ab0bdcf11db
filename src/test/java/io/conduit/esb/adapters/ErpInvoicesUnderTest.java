package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.function.Supplier;

/**
 * One ERP adapter under the contract tests of port {@code erp.invoices-since}: the port, and what the ERP's accounting
 * does with customer invoices (issue one for a sales order of a CRM order, book a payment, cancel).
 */
interface ErpInvoicesUnderTest {

    String name();

    /** Why the invoices port cannot be tested on this ERP (e.g. its set-up lacks a payment method), or null. */
    default String whyNoInvoices() {
        return null;
    }

    /** Calls port erp.invoices-since with the watermark (null: nothing read yet); the port's result. */
    JsonNode invoicesSince(String watermark) throws Exception;

    /**
     * Accounting invoices a sales order of CRM order {@code crmOrderId} for CRM account {@code crmAccount}: the total
     * (EUR), issued and due on those days; the invoice's id as the port reports it (invoiceId).
     */
    String issueInvoice(String crmOrderId, String crmAccount, String total, LocalDate issuedOn, LocalDate dueDate)
            throws Exception;

    /** Accounting books a payment received on the invoice. */
    void pay(String invoiceId, String amount) throws Exception;

    /** Accounting cancels the invoice (no payments on it). */
    void cancel(String invoiceId) throws Exception;

    /** Runs the action while the ERP cannot be reached. */
    <T> T whileInvoicesDown(Supplier<T> action) throws Exception;
}
