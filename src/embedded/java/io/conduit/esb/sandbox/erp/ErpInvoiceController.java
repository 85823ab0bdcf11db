package io.conduit.esb.sandbox.erp;

import io.conduit.esb.sandbox.SandboxProblems;
import io.conduit.esb.sandbox.SandboxSchemaMigration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox ERP's customer invoices and the payments received on them, as accounting keeps them, for demos and
 * tests. The ESB never calls it: it reads erp.inv_hdr (port erp.invoices-since) for the CRM's orders and accounts. The
 * tables' triggers keep the paid amount, count the ERP's revisions (inv_rev) and stamp the change counter.
 * <ul>
 *   <li>{@code POST /sandbox/erp/invoices} {@code {"salesOrderNo", "customerNo", "total", "currency", "invoiceDate",
 *       "dueDate"}}: an invoice issued (201; its number inv_no IN0000001, ...). customerNo defaults to the sales
 *       order's customer, invoiceDate to today, currency to the order's or EUR</li>
 *   <li>{@code POST /sandbox/erp/invoices/{invNo}/payments} {@code {"amount", "paidOn"}}: a payment received (not more
 *       than is open)</li>
 *   <li>{@code POST /sandbox/erp/invoices/{invNo}/cancel}: the invoice cancelled (not one with payments)</li>
 *   <li>{@code GET /sandbox/erp/invoices/{invNo}}: the invoice with its payments</li>
 * </ul>
 */
@RestController
@RequestMapping("/sandbox/erp/invoices")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class ErpInvoiceController {

    /** An invoice to issue. */
    public record InvoiceWrite(String salesOrderNo, String customerNo, BigDecimal total, String currency,
                               LocalDate invoiceDate, LocalDate dueDate) {
    }

    /** A payment received. */
    public record PaymentWrite(BigDecimal amount, LocalDate paidOn) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    public ErpInvoiceController(@Qualifier("esbDataSource") DataSource esbDataSource,
                                @Qualifier("sandboxErpFlyway") SandboxSchemaMigration schema) {
        this.jdbc = JdbcClient.create(esbDataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(esbDataSource));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Map<String, Object> issue(@RequestBody InvoiceWrite invoice) {
        if (invoice == null || invoice.total() == null || invoice.dueDate() == null
                || (invoice.salesOrderNo() == null && invoice.customerNo() == null)) {
            throw SandboxProblems.missingFields(List.of("total", "dueDate", "salesOrderNo or customerNo"));
        }
        Map<String, String> invalid = new LinkedHashMap<>();
        if (invoice.total().signum() < 0) {
            invalid.put("total", "must not be negative");
        }
        if (invoice.currency() != null && !invoice.currency().matches("[A-Z]{3}")) {
            invalid.put("currency", "an ISO 4217 code, e.g. EUR");
        }
        LocalDate issued = invoice.invoiceDate() != null ? invoice.invoiceDate() : LocalDate.now();
        if (invoice.dueDate().isBefore(issued)) {
            invalid.put("dueDate", "not before the invoice date");
        }
        Map<String, Object> order = null;
        if (invoice.salesOrderNo() != null) {
            order = jdbc.sql("SELECT cust_no, curr_cd FROM erp.so_stage_hdr WHERE so_no = :so")
                    .param("so", invoice.salesOrderNo()).query().listOfRows().stream().findFirst().orElse(null);
            if (order == null) {
                invalid.put("salesOrderNo", "no such sales order");
            }
        }
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        String customer = invoice.customerNo() != null ? invoice.customerNo() : (String) order.get("cust_no");
        String currency = invoice.currency() != null ? invoice.currency()
                : order != null ? ((String) order.get("curr_cd")).trim() : "EUR";
        String no = jdbc.sql("""
                        INSERT INTO erp.inv_hdr (so_no, cust_no, curr, tot_amt, inv_date, due_date)
                        VALUES (:so, :cust, :curr, :total, :issued, :due) RETURNING inv_no""")
                .param("so", invoice.salesOrderNo()).param("cust", customer).param("curr", currency)
                .param("total", invoice.total()).param("issued", issued).param("due", invoice.dueDate())
                .query(String.class).single();
        return invoice(no);
    }

    @PostMapping("/{invNo}/payments")
    public Map<String, Object> pay(@PathVariable String invNo, @RequestBody PaymentWrite payment) {
        if (payment == null || payment.amount() == null) {
            throw SandboxProblems.missingFields(List.of("amount"));
        }
        return tx.execute(status -> {
            Map<String, Object> held = jdbc.sql("SELECT tot_amt - paid_amt AS open, stat_cd FROM erp.inv_hdr"
                    + " WHERE inv_no = :no FOR UPDATE").param("no", invNo).query().listOfRows().stream().findFirst()
                    .orElseThrow(() -> SandboxProblems.notFound("Invoice", invNo));
            if ("CNL".equals(held.get("stat_cd"))) {
                throw SandboxProblems.conflict("Invoice " + invNo + " is cancelled");
            }
            if (payment.amount().signum() <= 0 || payment.amount().compareTo((BigDecimal) held.get("open")) > 0) {
                throw SandboxProblems.invalidFields(Map.of("amount", "more than 0 and not more than the open "
                        + held.get("open")));
            }
            jdbc.sql("INSERT INTO erp.inv_pmt (inv_no, pmt_amt, pmt_date) VALUES (:no, :amt, coalesce(:on, current_date))")
                    .param("no", invNo).param("amt", payment.amount()).param("on", payment.paidOn()).update();
            return invoice(invNo);
        });
    }

    @PostMapping("/{invNo}/cancel")
    public Map<String, Object> cancel(@PathVariable String invNo) {
        invoice(invNo);
        int cancelled = jdbc.sql("UPDATE erp.inv_hdr SET stat_cd = 'CNL' WHERE inv_no = :no AND paid_amt = 0")
                .param("no", invNo).update();
        if (cancelled == 0) {
            throw SandboxProblems.conflict("Invoice " + invNo + " has payments: reverse them first");
        }
        return invoice(invNo);
    }

    @GetMapping("/{invNo}")
    public Map<String, Object> invoice(@PathVariable String invNo) {
        Map<String, Object> invoice = jdbc.sql("""
                        SELECT inv_no, so_no, cust_no, curr, tot_amt, paid_amt, CAST(inv_date AS text) AS inv_date,
                            CAST(due_date AS text) AS due_date, stat_cd, inv_rev, chg_no
                        FROM erp.inv_hdr WHERE inv_no = :no""").param("no", invNo).query().listOfRows().stream()
                .findFirst().map(LinkedHashMap::new).orElseThrow(() -> SandboxProblems.notFound("Invoice", invNo));
        invoice.put("payments", jdbc.sql("SELECT pmt_id, pmt_amt, CAST(pmt_date AS text) AS pmt_date FROM erp.inv_pmt"
                + " WHERE inv_no = :no ORDER BY pmt_id").param("no", invNo).query().listOfRows());
        return invoice;
    }
}
