package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One CRM adapter under the contract tests of port {@code crm.upsert-invoice-status}: the port, and what sales and
 * service see of an order's and an account's invoices.
 */
interface CrmInvoicesUnderTest {

    String name();

    /** Calls port crm.upsert-invoice-status with a canonical Invoice; the port's result. */
    JsonNode upsertInvoiceStatus(String invoice) throws Exception;

    /** The order's invoices as sales see them on the day. */
    Shown order(String crmOrderId, LocalDate on) throws Exception;

    /** The account's invoices as service sees them on the day. */
    Shown account(String crmAccount, LocalDate on) throws Exception;

    /**
     * Invoices on a day: the payment status (NOT_INVOICED, ISSUED, PARTLY_PAID, PAID, OVERDUE, CANCELLED), the amounts
     * open and overdue (EUR, cancelled invoices left out), and how many invoices are shown.
     */
    record Shown(String paymentStatus, BigDecimal open, BigDecimal overdue, int invoices) {
    }
}
