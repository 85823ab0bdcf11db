package io.conduit.esb.canonical;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * An invoice of the payment status flow (schema {@code urn:conduit:schema:invoice:1}): the ERP's state of one customer
 * invoice and the payments received on it. The ERP owns every field; {@code invoiceId} is its invoice number,
 * {@code sourceVersion} its revision of the invoice. {@code status} is the payment state at capture (ISSUED,
 * PARTLY_PAID, PAID, OVERDUE, CANCELLED); the CRM decides OVERDUE again on the day it shows the invoice.
 */
public record Invoice(int schemaVersion, String invoiceId, String source, long sourceVersion, OffsetDateTime changedAt,
                      String status, String currency, BigDecimal totalAmount, BigDecimal paidAmount,
                      BigDecimal openAmount, LocalDate issuedOn, LocalDate dueDate, String crmOrderRef,
                      String erpOrderNo, Customer customer) {

    /** The customer billed: the ERP's number, and the CRM's account when the ERP knows it. */
    public record Customer(String customerNo, String crmAccountRef) {
    }
}
