package io.conduit.esb.sandbox.crm;

import io.conduit.esb.sandbox.SandboxProblems;
import io.conduit.esb.sandbox.SandboxSchemaMigration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ERP's invoices on the sandbox CRM's orders (opportunities) and accounts under {@code /sandbox/crm/api}: read by
 * sales and service before they call, written by the ESB only, from the ERP (adapters/crm/sandbox/invoices.camel.yaml).
 * The write is conditional on the ERP's version of the invoice: an older one is refused (409 stale-update), the same
 * one changes nothing ({@code "outcome": "DUPLICATE"}), a newer one is written ({@code "APPLIED"}).
 * <ul>
 *   <li>{@code PUT /invoices/{invoiceNo}} {@code {"orderId", "accountNo", "customerNo", "erpOrderNo", "status",
 *       "currency", "totalAmount", "paidAmount", "openAmount", "issuedOn", "dueDate", "erpVersion"}} (port
 *       crm.upsert-invoice-status): the invoice, created or replaced</li>
 *   <li>{@code GET /invoices/{invoiceNo}?on=<date>}: the invoice and its payment status on that day (default today)</li>
 *   <li>{@code GET /opportunities/{id}/invoices?on=<date>}, {@code GET /accounts/{accountNo}/invoices?on=<date>}: the
 *       order's or the account's invoices and their summary: payment status (NOT_INVOICED, ISSUED, PARTLY_PAID, PAID,
 *       OVERDUE, CANCELLED) and, per currency, the amounts invoiced, paid, open and overdue</li>
 * </ul>
 * OVERDUE is decided on read ({@code sandbox_crm.invoice_payment_status}): money open after the due date is overdue on
 * the day asked for, whatever status the ERP reported, so an invoice falls due here without any write.
 */
@RestController
@RequestMapping("/sandbox/crm/api")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class CrmInvoiceController {

    /** An invoice as the ESB writes it. */
    public record InvoiceWrite(String orderId, String accountNo, String customerNo, String erpOrderNo, String status,
                               String currency, BigDecimal totalAmount, BigDecimal paidAmount, BigDecimal openAmount,
                               LocalDate issuedOn, LocalDate dueDate, Long erpVersion) {
    }

    private static final String ID = "[A-Za-z0-9][A-Za-z0-9._:-]{0,31}";
    private static final Set<String> STATUSES = Set.of("ISSUED", "PARTLY_PAID", "PAID", "OVERDUE", "CANCELLED");
    private static final String SELECT = """
            SELECT invoice_no, opportunity_id, account_no, erp_customer_no, erp_order_no, status,
                sandbox_crm.invoice_payment_status(status, paid_amount, open_amount, due_date, :on) AS payment_status,
                currency_code, total_amount, paid_amount, open_amount, CAST(issued_on AS text) AS issued_on,
                CAST(due_date AS text) AS due_date, erp_version, erp_synced_at, update_count
            FROM sandbox_crm.invoice""";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    public CrmInvoiceController(@Qualifier("esbDataSource") DataSource esbDataSource,
                                @Qualifier("sandboxCrmFlyway") SandboxSchemaMigration schema) {
        this.jdbc = JdbcClient.create(esbDataSource);
        // a private transaction manager on the same DataSource: no second PlatformTransactionManager bean
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(esbDataSource));
    }

    @PutMapping("/invoices/{invoiceNo}")
    public Map<String, Object> putInvoice(@PathVariable String invoiceNo, @RequestBody InvoiceWrite invoice) {
        if (invoice == null || invoice.customerNo() == null || invoice.status() == null || invoice.currency() == null
                || invoice.totalAmount() == null || invoice.paidAmount() == null || invoice.openAmount() == null
                || invoice.issuedOn() == null || invoice.erpVersion() == null) {
            throw SandboxProblems.missingFields(List.of("customerNo", "status", "currency", "totalAmount", "paidAmount",
                    "openAmount", "issuedOn", "erpVersion"));
        }
        Map<String, String> invalid = new LinkedHashMap<>();
        if (!invoiceNo.matches(ID)) {
            invalid.put("invoiceNo", "1-32 letters, digits and . _ : -");
        }
        if (!STATUSES.contains(invoice.status())) {
            invalid.put("status", "one of " + STATUSES);
        }
        if (!invoice.currency().matches("[A-Z]{3}")) {
            invalid.put("currency", "an ISO 4217 code, e.g. EUR");
        }
        if (invoice.totalAmount().signum() < 0 || invoice.paidAmount().signum() < 0 || invoice.openAmount().signum() < 0) {
            invalid.put("amounts", "must not be negative");
        }
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        return tx.execute(status -> {
            Number held = jdbc.sql("SELECT erp_version FROM sandbox_crm.invoice WHERE invoice_no = :no FOR UPDATE")
                    .param("no", invoiceNo).query(Long.class).optional().orElse(null);
            if (held != null && held.longValue() > invoice.erpVersion()) {
                throw SandboxProblems.staleUpdate("Invoice", invoiceNo, "ERP version " + invoice.erpVersion(),
                        "ERP version " + held);
            }
            String outcome = held != null && held.longValue() == invoice.erpVersion() ? "DUPLICATE" : "APPLIED";
            if ("APPLIED".equals(outcome)) {
                jdbc.sql("""
                                INSERT INTO sandbox_crm.invoice (invoice_no, opportunity_id, account_no, erp_customer_no,
                                    erp_order_no, status, currency_code, total_amount, paid_amount, open_amount, issued_on,
                                    due_date, erp_version)
                                VALUES (:no, :opp, :acc, :cust, :so, :status, :curr, :total, :paid, :open, :issued, :due,
                                    :version)
                                ON CONFLICT (invoice_no) DO UPDATE SET opportunity_id = excluded.opportunity_id,
                                    account_no = excluded.account_no, erp_customer_no = excluded.erp_customer_no,
                                    erp_order_no = excluded.erp_order_no, status = excluded.status,
                                    currency_code = excluded.currency_code, total_amount = excluded.total_amount,
                                    paid_amount = excluded.paid_amount, open_amount = excluded.open_amount,
                                    issued_on = excluded.issued_on, due_date = excluded.due_date,
                                    erp_version = excluded.erp_version, erp_synced_at = clock_timestamp(),
                                    update_count = sandbox_crm.invoice.update_count + 1""")
                        .param("no", invoiceNo).param("opp", invoice.orderId()).param("acc", invoice.accountNo())
                        .param("cust", invoice.customerNo()).param("so", invoice.erpOrderNo())
                        .param("status", invoice.status()).param("curr", invoice.currency())
                        .param("total", invoice.totalAmount()).param("paid", invoice.paidAmount())
                        .param("open", invoice.openAmount()).param("issued", invoice.issuedOn())
                        .param("due", invoice.dueDate()).param("version", invoice.erpVersion()).update();
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("outcome", outcome);
            answer.put("invoice", invoice(invoiceNo, null));
            return answer;
        });
    }

    @GetMapping("/invoices/{invoiceNo}")
    public Map<String, Object> invoice(@PathVariable String invoiceNo,
                                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate on) {
        return jdbc.sql(SELECT + " WHERE invoice_no = :no").param("on", day(on)).param("no", invoiceNo).query()
                .listOfRows().stream().findFirst().orElseThrow(() -> SandboxProblems.notFound("Invoice", invoiceNo));
    }

    @GetMapping("/opportunities/{id}/invoices")
    public Map<String, Object> orderInvoices(@PathVariable String id,
                                             @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate on) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("opportunity_id", id);
        answer.putAll(summary(jdbc.sql(SELECT + " WHERE opportunity_id = :id ORDER BY issued_on, invoice_no")
                .param("on", day(on)).param("id", id).query().listOfRows()));
        return answer;
    }

    @GetMapping("/accounts/{accountNo}/invoices")
    public Map<String, Object> accountInvoices(@PathVariable String accountNo,
                                               @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate on) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("account_no", accountNo);
        answer.putAll(summary(jdbc.sql(SELECT + " WHERE account_no = :no ORDER BY issued_on, invoice_no")
                .param("on", day(on)).param("no", accountNo).query().listOfRows()));
        return answer;
    }

    private static LocalDate day(LocalDate on) {
        return on != null ? on : LocalDate.now(ZoneOffset.UTC);
    }

    /**
     * The payment status of a set of invoices: NOT_INVOICED without any; CANCELLED when all are; otherwise, of those not
     * cancelled, OVERDUE when one is, PAID when all are, PARTLY_PAID when something is paid, else ISSUED. Amounts per
     * currency (cancelled invoices count nowhere).
     */
    private static Map<String, Object> summary(List<Map<String, Object>> invoices) {
        List<Map<String, Object>> live = invoices.stream()
                .filter(i -> !"CANCELLED".equals(i.get("payment_status"))).toList();
        String status;
        if (invoices.isEmpty()) {
            status = "NOT_INVOICED";
        } else if (live.isEmpty()) {
            status = "CANCELLED";
        } else if (live.stream().anyMatch(i -> "OVERDUE".equals(i.get("payment_status")))) {
            status = "OVERDUE";
        } else if (live.stream().allMatch(i -> "PAID".equals(i.get("payment_status")))) {
            status = "PAID";
        } else if (live.stream().anyMatch(i -> ((BigDecimal) i.get("paid_amount")).signum() > 0
                || "PAID".equals(i.get("payment_status")))) {
            status = "PARTLY_PAID";
        } else {
            status = "ISSUED";
        }
        Map<String, Map<String, Object>> totals = new LinkedHashMap<>();
        for (Map<String, Object> i : live) {
            Map<String, Object> t = totals.computeIfAbsent((String) i.get("currency_code"), c -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("currency", c);
                m.put("invoiced", BigDecimal.ZERO);
                m.put("paid", BigDecimal.ZERO);
                m.put("open", BigDecimal.ZERO);
                m.put("overdue", BigDecimal.ZERO);
                return m;
            });
            t.merge("invoiced", i.get("total_amount"), (a, b) -> ((BigDecimal) a).add((BigDecimal) b));
            t.merge("paid", i.get("paid_amount"), (a, b) -> ((BigDecimal) a).add((BigDecimal) b));
            t.merge("open", i.get("open_amount"), (a, b) -> ((BigDecimal) a).add((BigDecimal) b));
            if ("OVERDUE".equals(i.get("payment_status"))) {
                t.merge("overdue", i.get("open_amount"), (a, b) -> ((BigDecimal) a).add((BigDecimal) b));
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("payment_status", status);
        summary.put("totals", new ArrayList<>(totals.values()));
        summary.put("invoices", invoices);
        return summary;
    }
}
