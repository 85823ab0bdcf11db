package io.conduit.esb.sandbox.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.sandbox.SandboxProblems;
import io.conduit.esb.sandbox.SandboxSchemaMigration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The sandbox CRM's suppliers under {@code /sandbox/crm/api/suppliers}, as its purchasing people keep them, and the two
 * calls its ESB adapter makes (adapters/crm/sandbox/suppliers.camel.yaml). Purchasing owns the legal name, tax id,
 * addresses, contacts, the rating (1-5) and whether the supplier is active; the ERP's vendor number is read-only here
 * and written by the ESB only.
 * <ul>
 *   <li>{@code POST /suppliers} {@code {"supplierNo", "legalName", "taxId", "rating", "addresses": [{"type", "street",
 *       "postalCode", "city", "country"}], "contacts": [{"name", "role", "email", "phone"}]}} (201; supplierNo: the CRM
 *       numbers it when absent; taxId is kept compact and upper case)</li>
 *   <li>{@code PATCH /suppliers/{supplierNo}} the same fields, each optional: a new revision when one changes; the
 *       vendor number is refused (400: owned by the ERP)</li>
 *   <li>{@code POST /suppliers/{supplierNo}/deactivate}, {@code .../reactivate}: active false / true (a new revision)</li>
 *   <li>{@code GET /suppliers/{supplierNo}}: the supplier</li>
 *   <li>{@code GET /suppliers/changes?since=<txid>}: the change feed (port crm.suppliers-since): {@code {"horizon",
 *       "suppliers": [...]}}, the suppliers written by transactions in [since, horizon), each once, as it is now</li>
 *   <li>{@code PUT /suppliers/{supplierNo}/erp-vendor} {@code {"erpVendorNumber"}} (port crm.apply-vendor-number): the
 *       number the CRM shows already ({@code "outcome": "DUPLICATE"}) or written ({@code "APPLIED"}; never a new
 *       revision); 404 for an unknown supplier</li>
 * </ul>
 */
@RestController
@RequestMapping("/sandbox/crm/api/suppliers")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class CrmSupplierController {

    /** The ERP's side of a supplier, as the ESB writes it. */
    public record ErpVendor(String erpVendorNumber) {
    }

    private static final Set<String> OWN_FIELDS = Set.of("supplierNo", "legalName", "taxId", "rating", "addresses", "contacts");
    private static final Set<String> ERP_FIELDS = Set.of("erpVendorNumber");
    private static final Set<String> ADDRESS_TYPES = Set.of("BILLING", "SHIPPING", "OTHER");

    private static final String SELECT_SUPPLIER = """
            SELECT supplier_no, legal_name, tax_id, CAST(addresses AS text) AS addresses, CAST(contacts AS text) AS contacts,
                rating, active, revision, erp_vendor_no,
                to_char(erp_linked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS erp_linked_at,
                to_char(last_modified AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS last_modified, chg_no
            FROM sandbox_crm.supplier""";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    public CrmSupplierController(@Qualifier("esbDataSource") DataSource esbDataSource, ObjectMapper json,
                                @Qualifier("sandboxCrmFlyway") SandboxSchemaMigration schema) {
        this.jdbc = JdbcClient.create(esbDataSource);
        // a private transaction manager on the same DataSource: no second PlatformTransactionManager bean
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(esbDataSource));
        this.json = json;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Map<String, Object> create(@RequestBody JsonNode supplier) {
        Map<String, String> invalid = new LinkedHashMap<>();
        checkFields(supplier, invalid);
        if (supplier == null || !supplier.hasNonNull("legalName")) {
            throw SandboxProblems.missingFields(List.of("legalName"));
        }
        String supplierNo = text(supplier, "supplierNo");
        if (supplierNo != null && !supplierNo.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,31}")) {
            invalid.put("supplierNo", "1-32 letters, digits and . _ : -");
        }
        Values v = values(supplier, invalid, null);
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        if (supplierNo != null && find(supplierNo) != null) {
            throw SandboxProblems.conflict("Supplier " + supplierNo + " exists");
        }
        String created = jdbc.sql("""
                        INSERT INTO sandbox_crm.supplier (supplier_no, legal_name, tax_id, rating, addresses, contacts)
                        VALUES (coalesce(:no, 'SUP-' || nextval('sandbox_crm.supplier_seq')), :name, :tax, :rating,
                            CAST(:addresses AS jsonb), CAST(:contacts AS jsonb)) RETURNING supplier_no""")
                .param("no", supplierNo).param("name", v.legalName()).param("tax", v.taxId()).param("rating", v.rating())
                .param("addresses", v.addresses()).param("contacts", v.contacts()).query(String.class).single();
        return supplier(created);
    }

    @PatchMapping("/{supplierNo}")
    public Map<String, Object> change(@PathVariable String supplierNo, @RequestBody JsonNode change) {
        Map<String, String> invalid = new LinkedHashMap<>();
        checkFields(change, invalid);
        if (change != null && change.has("supplierNo")) {
            invalid.put("supplierNo", "a supplier keeps its number");
        }
        return tx.execute(status -> {
            Map<String, Object> held = locked(supplierNo);
            Values v = values(change, invalid, held);
            if (!invalid.isEmpty()) {
                throw SandboxProblems.invalidFields(invalid);
            }
            // the trigger counts a new revision only when one of purchasing's fields changed
            jdbc.sql("""
                            UPDATE sandbox_crm.supplier SET legal_name = :name, tax_id = :tax, rating = :rating,
                                addresses = CAST(:addresses AS jsonb), contacts = CAST(:contacts AS jsonb)
                            WHERE supplier_no = :no""")
                    .param("name", v.legalName()).param("tax", v.taxId()).param("rating", v.rating())
                    .param("addresses", v.addresses()).param("contacts", v.contacts()).param("no", supplierNo).update();
            return supplier(supplierNo);
        });
    }

    @PostMapping("/{supplierNo}/deactivate")
    public Map<String, Object> deactivate(@PathVariable String supplierNo) {
        return setActive(supplierNo, false);
    }

    @PostMapping("/{supplierNo}/reactivate")
    public Map<String, Object> reactivate(@PathVariable String supplierNo) {
        return setActive(supplierNo, true);
    }

    @GetMapping("/{supplierNo}")
    public Map<String, Object> supplier(@PathVariable String supplierNo) {
        Map<String, Object> found = find(supplierNo);
        if (found == null) {
            throw SandboxProblems.notFound("Supplier", supplierNo);
        }
        return found;
    }

    /**
     * The change feed: the horizon is read first, then the rows below it; every transaction below the horizon has
     * ended, so what it wrote is visible to the second read and a later call starting at this horizon misses nothing.
     */
    @GetMapping("/changes")
    public Map<String, Object> changes(@RequestParam(name = "since", defaultValue = "0") long since) {
        return tx.execute(status -> {
            long horizon = jdbc.sql("SELECT CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text) AS bigint)")
                    .query(Long.class).single();
            List<Map<String, Object>> rows = jdbc.sql(SELECT_SUPPLIER
                            + " WHERE chg_txid >= :since AND chg_txid < :horizon ORDER BY chg_no")
                    .param("since", since).param("horizon", horizon).query().listOfRows();
            Map<String, Object> answer = new LinkedHashMap<>();
            // the horizon never moves back: an empty window answers the position it was given
            answer.put("horizon", String.valueOf(Math.max(since, horizon)));
            answer.put("suppliers", rows.stream().map(this::readable).toList());
            return answer;
        });
    }

    @PutMapping("/{supplierNo}/erp-vendor")
    public Map<String, Object> applyErpVendor(@PathVariable String supplierNo, @RequestBody ErpVendor vendor) {
        if (vendor == null || vendor.erpVendorNumber() == null || vendor.erpVendorNumber().isBlank()) {
            throw SandboxProblems.missingFields(List.of("erpVendorNumber"));
        }
        if (!vendor.erpVendorNumber().matches("[A-Za-z0-9][A-Za-z0-9._:/-]{0,31}")) {
            throw SandboxProblems.invalidFields(Map.of("erpVendorNumber", "1-32 letters, digits and . _ : / -"));
        }
        return tx.execute(status -> {
            Map<String, Object> held = locked(supplierNo);
            String outcome;
            if (vendor.erpVendorNumber().equals(held.get("erp_vendor_no"))) {
                outcome = "DUPLICATE";
            } else {
                // only the ERP's side: purchasing's fields and the revision stay as they are
                jdbc.sql("UPDATE sandbox_crm.supplier SET erp_vendor_no = :vendor, erp_linked_at = now() WHERE supplier_no = :no")
                        .param("vendor", vendor.erpVendorNumber()).param("no", supplierNo).update();
                outcome = "APPLIED";
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("outcome", outcome);
            answer.put("supplier", supplier(supplierNo));
            return answer;
        });
    }

    private Map<String, Object> setActive(String supplierNo, boolean active) {
        return tx.execute(status -> {
            locked(supplierNo);
            jdbc.sql("UPDATE sandbox_crm.supplier SET active = :active WHERE supplier_no = :no")
                    .param("active", active).param("no", supplierNo).update();
            return supplier(supplierNo);
        });
    }

    /** What a create or change carries, merged over what the supplier holds (held: null for a new supplier). */
    private record Values(String legalName, String taxId, Integer rating, String addresses, String contacts) {
    }

    private Values values(JsonNode in, Map<String, String> invalid, Map<String, Object> held) {
        JsonNode body = in == null ? json.createObjectNode() : in;
        String legalName = body.has("legalName") ? text(body, "legalName") : held == null ? null : (String) held.get("legal_name");
        if (legalName == null || legalName.isBlank() || legalName.length() > 200) {
            invalid.put("legalName", "1-200 characters, not blank");
        }
        String taxId = body.has("taxId") ? compactTaxId(text(body, "taxId")) : held == null ? null : (String) held.get("tax_id");
        if (taxId != null && !taxId.matches("[A-Z]{2}[A-Z0-9]{2,30}")) {
            invalid.put("taxId", "a tax number with its country prefix, e.g. DE136695976");
        }
        Integer rating = held == null ? null : (Integer) held.get("rating");
        if (body.has("rating")) {
            JsonNode r = body.get("rating");
            rating = r.isNull() ? null : r.canConvertToInt() && r.isIntegralNumber() ? r.asInt() : Integer.valueOf(0);
            if (rating != null && (rating < 1 || rating > 5)) {
                invalid.put("rating", "1 (worst) to 5 (best), or null: not rated");
            }
        }
        String addresses = body.has("addresses") ? addresses(body.get("addresses"), invalid)
                : held == null ? "[]" : (String) held.get("addresses");
        String contacts = body.has("contacts") ? contacts(body.get("contacts"), invalid)
                : held == null ? "[]" : (String) held.get("contacts");
        return new Values(legalName, taxId, rating, addresses, contacts);
    }

    private static String compactTaxId(String raw) {
        return raw == null || raw.isBlank() ? null : raw.replaceAll("[\\s.\\-/]", "").toUpperCase(Locale.ROOT);
    }

    private String addresses(JsonNode list, Map<String, String> invalid) {
        if (list == null || !list.isArray() || list.size() > 20) {
            invalid.put("addresses", "a list of at most 20 addresses");
            return "[]";
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode a = list.get(i);
            String at = "addresses[" + i + "].";
            String type = text(a, "type") == null ? "BILLING" : text(a, "type");
            if (!ADDRESS_TYPES.contains(type)) {
                invalid.put(at + "type", "BILLING, SHIPPING or OTHER");
            }
            if (text(a, "city") == null) {
                invalid.put(at + "city", "required");
            }
            if (text(a, "country") == null || !text(a, "country").matches("[A-Z]{2}")) {
                invalid.put(at + "country", "an ISO 3166-1 alpha-2 code, e.g. DE");
            }
            Map<String, Object> address = new LinkedHashMap<>();
            address.put("type", type);
            address.put("street", text(a, "street"));
            address.put("postalCode", text(a, "postalCode"));
            address.put("city", text(a, "city"));
            address.put("country", text(a, "country"));
            out.add(address);
        }
        return write(out);
    }

    private String contacts(JsonNode list, Map<String, String> invalid) {
        if (list == null || !list.isArray() || list.size() > 50) {
            invalid.put("contacts", "a list of at most 50 contacts");
            return "[]";
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode c = list.get(i);
            if (text(c, "name") == null) {
                invalid.put("contacts[" + i + "].name", "required");
            }
            if (text(c, "email") != null && !text(c, "email").matches("[^@\\s]+@[^@\\s]+")) {
                invalid.put("contacts[" + i + "].email", "an e-mail address");
            }
            Map<String, Object> contact = new LinkedHashMap<>();
            contact.put("name", text(c, "name"));
            contact.put("role", text(c, "role"));
            contact.put("email", text(c, "email"));
            contact.put("phone", text(c, "phone"));
            out.add(contact);
        }
        return write(out);
    }

    /** Unknown fields and the ERP's vendor number (read-only in the CRM) are refused, each named. */
    private static void checkFields(JsonNode body, Map<String, String> invalid) {
        if (body == null) {
            return;
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (ERP_FIELDS.contains(name)) {
                invalid.put(name, "owned by the ERP: read-only in the CRM (the ESB brings the ERP's value)");
            } else if (!OWN_FIELDS.contains(name)) {
                invalid.put(name, "unknown field");
            }
        }
    }

    private Map<String, Object> locked(String supplierNo) {
        return jdbc.sql("""
                        SELECT supplier_no, legal_name, tax_id, CAST(rating AS integer) AS rating,
                            CAST(addresses AS text) AS addresses, CAST(contacts AS text) AS contacts, erp_vendor_no
                        FROM sandbox_crm.supplier WHERE supplier_no = :no FOR UPDATE""")
                .param("no", supplierNo).query().listOfRows().stream().findFirst()
                .orElseThrow(() -> SandboxProblems.notFound("Supplier", supplierNo));
    }

    private Map<String, Object> find(String supplierNo) {
        return jdbc.sql(SELECT_SUPPLIER + " WHERE supplier_no = :no").param("no", supplierNo).query().listOfRows().stream()
                .findFirst().map(this::readable).orElse(null);
    }

    /** The row with its addresses and contacts as JSON. */
    private Map<String, Object> readable(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>(row);
        try {
            out.put("addresses", json.readTree((String) row.get("addresses")));
            out.put("contacts", json.readTree((String) row.get("contacts")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Supplier " + row.get("supplier_no") + " holds lists that are not JSON", e);
        }
        return out;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.hasNonNull(field)) {
            return null;
        }
        String value = node.get(field).asText();
        return value.isBlank() ? null : value.strip();
    }
}
