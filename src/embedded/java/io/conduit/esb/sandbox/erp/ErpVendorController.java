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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sandbox ERP's vendors as its purchasing department keeps them, for demos and tests. The ESB never calls it: it
 * writes the CRM's side of a supplier into erp.vend_mst (port erp.upsert-vendor). The table's triggers number the
 * vendor and stamp the change counter.
 * <ul>
 *   <li>{@code POST /sandbox/erp/vendors} {@code {"name", "taxId", "paymentTerms"}}: a vendor entered in the ERP first
 *       (201; no CRM supplier yet)</li>
 *   <li>{@code GET /sandbox/erp/vendors/{vendNo}}; {@code GET /sandbox/erp/vendors?crmRef=...} or
 *       {@code ?taxId=...}: the rows</li>
 * </ul>
 */
@RestController
@RequestMapping("/sandbox/erp/vendors")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class ErpVendorController {

    /** A vendor entered in the ERP. */
    public record NewVendor(String name, String taxId, String paymentTerms) {
    }

    private static final String SELECT = """
            SELECT vend_no, vend_nm, tax_id, crm_ref, crm_rev, crm_act, rating, CAST(addr AS text) AS addr,
                CAST(cntc AS text) AS cntc, pay_terms, curr, chg_no,
                to_char(upd_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS upd_ts
            FROM erp.vend_mst""";

    private final JdbcClient jdbc;

    public ErpVendorController(@Qualifier("esbDataSource") DataSource esbDataSource,
                               @Qualifier("sandboxErpFlyway") SandboxSchemaMigration schema) {
        this.jdbc = JdbcClient.create(esbDataSource);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Map<String, Object> create(@RequestBody NewVendor vendor) {
        if (vendor == null || vendor.name() == null || vendor.name().isBlank()) {
            throw SandboxProblems.missingFields(List.of("name"));
        }
        Map<String, String> invalid = new LinkedHashMap<>();
        String taxId = vendor.taxId() == null ? null : vendor.taxId().replaceAll("[\\s.\\-/]", "").toUpperCase(Locale.ROOT);
        if (taxId != null && !taxId.matches("[A-Z]{2}[A-Z0-9]{2,30}")) {
            invalid.put("taxId", "a tax number with its country prefix, e.g. DE136695976");
        }
        if (vendor.paymentTerms() != null && !vendor.paymentTerms().matches("[A-Z0-9][A-Z0-9_-]{0,15}")) {
            invalid.put("paymentTerms", "a code of the ERP's payment terms, e.g. NET30");
        }
        if (taxId != null && !vendors("tax_id", taxId).isEmpty()) {
            invalid.put("taxId", "vendor " + vendors("tax_id", taxId).get(0).get("vend_no") + " has this tax id");
        }
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        String vendNo = jdbc.sql("""
                        INSERT INTO erp.vend_mst (vend_nm, tax_id, pay_terms)
                        VALUES (:name, :tax, coalesce(:terms, 'NET30')) RETURNING vend_no""")
                .param("name", vendor.name().strip()).param("tax", taxId).param("terms", vendor.paymentTerms())
                .query(String.class).single();
        return vendor(vendNo);
    }

    @GetMapping("/{vendNo}")
    public Map<String, Object> vendor(@PathVariable String vendNo) {
        return jdbc.sql(SELECT + " WHERE vend_no = :no").param("no", vendNo).query().listOfRows().stream().findFirst()
                .orElseThrow(() -> SandboxProblems.notFound("Vendor", vendNo));
    }

    @GetMapping
    public List<Map<String, Object>> find(@RequestParam(required = false) String crmRef,
                                          @RequestParam(required = false) String taxId) {
        if (crmRef != null) {
            return vendors("crm_ref", crmRef);
        }
        if (taxId != null) {
            return vendors("tax_id", taxId);
        }
        throw SandboxProblems.badRequest("Give crmRef or taxId");
    }

    private List<Map<String, Object>> vendors(String column, String value) {
        // column is one of two constants, never a caller's text
        return jdbc.sql(SELECT + " WHERE " + column + " = :v ORDER BY vend_no").param("v", value).query().listOfRows();
    }
}
