package io.conduit.esb.sandbox.erp;

import io.conduit.esb.sandbox.SandboxProblems;
import io.conduit.esb.sandbox.SandboxSchemaMigration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sandbox ERP's customer master as its own users (finance, order entry) keep it, for demos and tests. The ESB
 * never calls it: it writes the CRM's side into erp.cust_mst (port erp.upsert-customer) and reads the ERP's side from
 * there (port erp.customers-since). The table's triggers number the customer, count the ERP's revision of its own
 * fields (terms_rev) and stamp the change counter.
 * <ul>
 *   <li>{@code POST /sandbox/erp/customers} {@code {"name", "taxId", "creditLimit", "currency", "paymentTerms"}}: a
 *       customer entered in the ERP first (201; no CRM account yet)</li>
 *   <li>{@code PUT /sandbox/erp/customers/{custNo}/terms} {@code {"creditLimit", "currency", "paymentTerms",
 *       "blocked"}}: finance sets the credit limit (null: none), the payment terms and the credit hold; absent fields
 *       keep their value</li>
 *   <li>{@code GET /sandbox/erp/customers/{custNo}}; {@code GET /sandbox/erp/customers?crmRef=...} or
 *       {@code ?taxId=...}: the rows</li>
 * </ul>
 */
@RestController
@RequestMapping("/sandbox/erp/customers")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class ErpCustomerController {

    /** A customer entered in the ERP. */
    public record NewCustomer(String name, String taxId, BigDecimal creditLimit, String currency, String paymentTerms) {
    }

    /** Finance's terms of a customer; absent fields keep their value, except creditLimit with clearCreditLimit. */
    public record Terms(BigDecimal creditLimit, Boolean clearCreditLimit, String currency, String paymentTerms,
                        Boolean blocked) {
    }

    private static final String SELECT = """
            SELECT cust_no, cust_nm, tax_id, crm_ref, crm_rev, crm_act, CAST(addr AS text) AS addr, CAST(cntc AS text) AS cntc,
                cr_lmt, cr_curr, pay_terms, blk_flg, terms_rev, merged_into, chg_no,
                to_char(upd_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS upd_ts
            FROM erp.cust_mst""";

    private final JdbcClient jdbc;

    public ErpCustomerController(@Qualifier("esbDataSource") DataSource esbDataSource,
                                 @Qualifier("sandboxErpFlyway") SandboxSchemaMigration schema) {
        this.jdbc = JdbcClient.create(esbDataSource);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Map<String, Object> create(@RequestBody NewCustomer customer) {
        if (customer == null || customer.name() == null || customer.name().isBlank()) {
            throw SandboxProblems.missingFields(List.of("name"));
        }
        Map<String, String> invalid = new LinkedHashMap<>();
        String taxId = customer.taxId() == null ? null : customer.taxId().replaceAll("[\\s.\\-/]", "").toUpperCase(Locale.ROOT);
        if (taxId != null && !taxId.matches("[A-Z]{2}[A-Z0-9]{2,30}")) {
            invalid.put("taxId", "a tax number with its country prefix, e.g. DE136695976");
        }
        checkTerms(customer.creditLimit(), customer.currency(), customer.paymentTerms(), invalid);
        if (taxId != null && !customers("tax_id", taxId).isEmpty()) {
            invalid.put("taxId", "customer " + customers("tax_id", taxId).get(0).get("cust_no") + " has this tax id");
        }
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        String custNo = jdbc.sql("""
                        INSERT INTO erp.cust_mst (cust_nm, tax_id, cr_lmt, cr_curr, pay_terms)
                        VALUES (:name, :tax, :limit, coalesce(:curr, 'EUR'), coalesce(:terms, 'NET30')) RETURNING cust_no""")
                .param("name", customer.name().strip()).param("tax", taxId).param("limit", customer.creditLimit())
                .param("curr", customer.currency()).param("terms", customer.paymentTerms()).query(String.class).single();
        return customer(custNo);
    }

    @PutMapping("/{custNo}/terms")
    public Map<String, Object> terms(@PathVariable String custNo, @RequestBody Terms terms) {
        if (terms == null) {
            throw SandboxProblems.badRequest("Terms need creditLimit, currency, paymentTerms or blocked");
        }
        Map<String, String> invalid = new LinkedHashMap<>();
        checkTerms(terms.creditLimit(), terms.currency(), terms.paymentTerms(), invalid);
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        customer(custNo);
        jdbc.sql("""
                        UPDATE erp.cust_mst SET
                            cr_lmt = CASE WHEN :clear THEN NULL ELSE coalesce(:limit, cr_lmt) END,
                            cr_curr = coalesce(:curr, cr_curr), pay_terms = coalesce(:terms, pay_terms),
                            blk_flg = coalesce(:blocked, blk_flg)
                        WHERE cust_no = :no""")
                .param("clear", Boolean.TRUE.equals(terms.clearCreditLimit())).param("limit", terms.creditLimit())
                .param("curr", terms.currency()).param("terms", terms.paymentTerms())
                .param("blocked", terms.blocked() == null ? null : terms.blocked() ? "Y" : "N").param("no", custNo)
                .update();
        return customer(custNo);
    }

    @GetMapping("/{custNo}")
    public Map<String, Object> customer(@PathVariable String custNo) {
        return jdbc.sql(SELECT + " WHERE cust_no = :no").param("no", custNo).query().listOfRows().stream().findFirst()
                .orElseThrow(() -> SandboxProblems.notFound("Customer", custNo));
    }

    @GetMapping
    public List<Map<String, Object>> find(@RequestParam(required = false) String crmRef,
                                          @RequestParam(required = false) String taxId) {
        if (crmRef != null) {
            return customers("crm_ref", crmRef);
        }
        if (taxId != null) {
            return customers("tax_id", taxId);
        }
        throw SandboxProblems.badRequest("Give crmRef or taxId");
    }

    private List<Map<String, Object>> customers(String column, String value) {
        // column is one of two constants, never a caller's text
        return jdbc.sql(SELECT + " WHERE " + column + " = :v ORDER BY cust_no").param("v", value).query().listOfRows();
    }

    private static void checkTerms(BigDecimal limit, String currency, String paymentTerms, Map<String, String> invalid) {
        if (limit != null && limit.signum() < 0) {
            invalid.put("creditLimit", "must not be negative");
        }
        if (currency != null && !currency.matches("[A-Z]{3}")) {
            invalid.put("currency", "an ISO 4217 code, e.g. EUR");
        }
        if (paymentTerms != null && !paymentTerms.matches("[A-Z0-9][A-Z0-9_-]{0,15}")) {
            invalid.put("paymentTerms", "a code of the ERP's payment terms, e.g. NET30");
        }
    }
}
