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
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The sandbox CRM's customer accounts under {@code /sandbox/crm/api/accounts}, as its salespeople keep them, and the
 * two calls its ESB adapter makes (adapters/crm/sandbox/customers.camel.yaml). Sales own the legal name, tax id,
 * addresses, contacts and whether the account is active; the ERP's side (customer number, credit limit, payment terms,
 * blocked) is read-only here and written by the ESB only.
 * <ul>
 *   <li>{@code POST /accounts} {@code {"accountNo", "legalName", "taxId", "addresses": [{"type", "street",
 *       "postalCode", "city", "country"}], "contacts": [{"name", "role", "email", "phone"}]}} (201; accountNo: the CRM
 *       numbers it when absent; taxId is kept compact and upper case)</li>
 *   <li>{@code PATCH /accounts/{accountNo}} the same fields, each optional: a new revision when one changes; the ERP's
 *       fields are refused (400 naming them: owned by the ERP)</li>
 *   <li>{@code POST /accounts/{accountNo}/deactivate}, {@code .../reactivate}: active false / true (a new revision)</li>
 *   <li>{@code POST /accounts/{accountNo}/merge} {@code {"from": <duplicate account>}}: the duplicate merged into
 *       this account, as sales do when one customer has two accounts: this account gains the duplicate's addresses and
 *       contacts it does not have (its legal name and tax id stay); the duplicate is deactivated and names this one
 *       ({@code merged_into}); both get a new revision. 409 when either is already merged, 404 for an unknown one</li>
 *   <li>{@code GET /accounts/{accountNo}}: the account</li>
 *   <li>{@code GET /accounts/changes?since=<txid>[&limit=<n>&after=<chg_no>&horizon=<txid>]}: the change feed (port
 *       crm.customers-since): {@code {"horizon", "more", "last", "accounts": [...]}}, the accounts written by
 *       transactions in [since, horizon), each once, as it is now; paged by change number when limit is given</li>
 *   <li>{@code PUT /accounts/{accountNo}/erp-terms} {@code {"erpCustomerNumber", "creditLimit", "creditCurrency",
 *       "paymentTerms", "blocked", "erpVersion"}} (port crm.apply-customer-terms): conditional on the ERP's revision:
 *       an older one is refused (409 stale-update), the same one changes nothing ({@code "outcome": "DUPLICATE"}), a
 *       newer one is written ({@code "APPLIED"}); 404 for an unknown account</li>
 * </ul>
 */
@RestController
@RequestMapping("/sandbox/crm/api/accounts")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class CrmAccountController {

    /** The ERP's side of an account, as the ESB writes it. */
    public record ErpTerms(String erpCustomerNumber, BigDecimal creditLimit, String creditCurrency, String paymentTerms,
                           Boolean blocked, Long erpVersion) {
    }

    private static final Set<String> SALES_FIELDS = Set.of("accountNo", "legalName", "taxId", "addresses", "contacts");
    private static final Set<String> ERP_FIELDS = Set.of("erpCustomerNumber", "creditLimit", "creditCurrency",
            "paymentTerms", "blocked", "erpVersion");
    private static final Set<String> ADDRESS_TYPES = Set.of("BILLING", "SHIPPING", "OTHER");

    private static final String SELECT_ACCOUNT = """
            SELECT account_no, legal_name, tax_id, CAST(addresses AS text) AS addresses, CAST(contacts AS text) AS contacts,
                active, merged_into, revision, erp_customer_no, credit_limit, credit_currency, payment_terms, blocked, erp_terms_version,
                to_char(erp_synced_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS erp_synced_at,
                to_char(last_modified AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS last_modified, chg_no
            FROM sandbox_crm.account""";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    public CrmAccountController(@Qualifier("esbDataSource") DataSource esbDataSource, ObjectMapper json,
                                @Qualifier("sandboxCrmFlyway") SandboxSchemaMigration schema) {
        this.jdbc = JdbcClient.create(esbDataSource);
        // a private transaction manager on the same DataSource: no second PlatformTransactionManager bean
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(esbDataSource));
        this.json = json;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Map<String, Object> create(@RequestBody JsonNode account) {
        Map<String, String> invalid = new LinkedHashMap<>();
        checkFields(account, invalid);
        if (account == null || !account.hasNonNull("legalName")) {
            throw SandboxProblems.missingFields(List.of("legalName"));
        }
        String accountNo = text(account, "accountNo");
        if (accountNo != null && !accountNo.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,31}")) {
            invalid.put("accountNo", "1-32 letters, digits and . _ : -");
        }
        Values v = values(account, invalid, null);
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        if (accountNo != null && find(accountNo) != null) {
            throw SandboxProblems.conflict("Account " + accountNo + " exists");
        }
        String created = jdbc.sql("""
                        INSERT INTO sandbox_crm.account (account_no, legal_name, tax_id, addresses, contacts)
                        VALUES (coalesce(:no, 'ACC-' || nextval('sandbox_crm.account_seq')), :name, :tax,
                            CAST(:addresses AS jsonb), CAST(:contacts AS jsonb)) RETURNING account_no""")
                .param("no", accountNo).param("name", v.legalName()).param("tax", v.taxId())
                .param("addresses", v.addresses()).param("contacts", v.contacts()).query(String.class).single();
        return account(created);
    }

    @PatchMapping("/{accountNo}")
    public Map<String, Object> change(@PathVariable String accountNo, @RequestBody JsonNode change) {
        Map<String, String> invalid = new LinkedHashMap<>();
        checkFields(change, invalid);
        if (change != null && change.has("accountNo")) {
            invalid.put("accountNo", "an account keeps its number");
        }
        return tx.execute(status -> {
            Map<String, Object> held = locked(accountNo);
            Values v = values(change, invalid, held);
            if (!invalid.isEmpty()) {
                throw SandboxProblems.invalidFields(invalid);
            }
            // the trigger counts a new revision only when one of the sales fields changed
            jdbc.sql("""
                            UPDATE sandbox_crm.account SET legal_name = :name, tax_id = :tax, addresses = CAST(:addresses AS jsonb),
                                contacts = CAST(:contacts AS jsonb)
                            WHERE account_no = :no""")
                    .param("name", v.legalName()).param("tax", v.taxId()).param("addresses", v.addresses())
                    .param("contacts", v.contacts()).param("no", accountNo).update();
            return account(accountNo);
        });
    }

    @PostMapping("/{accountNo}/deactivate")
    public Map<String, Object> deactivate(@PathVariable String accountNo) {
        return setActive(accountNo, false);
    }

    @PostMapping("/{accountNo}/reactivate")
    public Map<String, Object> reactivate(@PathVariable String accountNo) {
        return setActive(accountNo, true);
    }

    /** The duplicate account to merge into the one named in the path. */
    public record Merge(String from) {
    }

    @PostMapping("/{accountNo}/merge")
    public Map<String, Object> merge(@PathVariable String accountNo, @RequestBody Merge merge) {
        if (merge == null || merge.from() == null || merge.from().isBlank()) {
            throw SandboxProblems.missingFields(List.of("from"));
        }
        String from = merge.from().strip();
        if (from.equals(accountNo)) {
            throw SandboxProblems.invalidFields(Map.of("from", "an account cannot be merged into itself"));
        }
        return tx.execute(status -> {
            // both locked, in account order: two merges of the same pair at once cannot deadlock
            Map<String, Object> kept;
            Map<String, Object> duplicate;
            if (accountNo.compareTo(from) < 0) {
                kept = locked(accountNo);
                duplicate = locked(from);
            } else {
                duplicate = locked(from);
                kept = locked(accountNo);
            }
            if (duplicate.get("merged_into") != null) {
                throw SandboxProblems.conflict("Account " + from + " is already merged into " + duplicate.get("merged_into"));
            }
            if (kept.get("merged_into") != null) {
                throw SandboxProblems.conflict("Account " + accountNo + " is merged into " + kept.get("merged_into")
                        + ": merge into that one");
            }
            String addresses = union((String) kept.get("addresses"), (String) duplicate.get("addresses"), 20, "addresses");
            String contacts = union((String) kept.get("contacts"), (String) duplicate.get("contacts"), 50, "contacts");
            jdbc.sql("UPDATE sandbox_crm.account SET addresses = CAST(:addresses AS jsonb), contacts = CAST(:contacts AS jsonb)"
                            + " WHERE account_no = :no")
                    .param("addresses", addresses).param("contacts", contacts).param("no", accountNo).update();
            jdbc.sql("UPDATE sandbox_crm.account SET merged_into = :kept, active = false WHERE account_no = :no")
                    .param("kept", accountNo).param("no", from).update();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("account", account(accountNo));
            answer.put("merged", account(from));
            return answer;
        });
    }

    /** The kept list with the duplicate's entries it does not hold, in order; more than max is refused (409). */
    private String union(String keptJson, String duplicateJson, int max, String field) {
        List<JsonNode> out = new ArrayList<>();
        try {
            json.readTree(keptJson).forEach(out::add);
            for (JsonNode entry : json.readTree(duplicateJson)) {
                if (!out.contains(entry)) {
                    out.add(entry);
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An account holds " + field + " that are not JSON", e);
        }
        if (out.size() > max) {
            throw SandboxProblems.conflict("The merged account would have " + out.size() + " " + field
                    + " (at most " + max + "): remove some first");
        }
        return write(out);
    }

    @GetMapping("/{accountNo}")
    public Map<String, Object> account(@PathVariable String accountNo) {
        Map<String, Object> found = find(accountNo);
        if (found == null) {
            throw SandboxProblems.notFound("Account", accountNo);
        }
        return found;
    }

    /**
     * The change feed: the horizon is read first, then the rows below it; every transaction below the horizon has
     * ended, so what it wrote is visible to the second read and a later call starting at this horizon misses nothing.
     * Paged (limit above 0): the rows in change order after change number {@code after}, at most limit of them, below
     * the horizon given (the first page's, pinned for the window's later pages: a row below it is never written
     * after it was read, only again with a later change number and transaction); {@code "more"} says a page was full
     * and {@code "last"} is its last change number.
     */
    @GetMapping("/changes")
    public Map<String, Object> changes(@RequestParam(name = "since", defaultValue = "0") long since,
                                       @RequestParam(name = "horizon", required = false) Long pinned,
                                       @RequestParam(name = "after", defaultValue = "0") long after,
                                       @RequestParam(name = "limit", defaultValue = "0") int limit) {
        if (limit < 0 || limit > 10_000) {
            throw SandboxProblems.invalidFields(Map.of("limit", "0 (all) to 10000"));
        }
        return tx.execute(status -> {
            long horizon = pinned != null ? pinned
                    : jdbc.sql("SELECT CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text) AS bigint)")
                    .query(Long.class).single();
            List<Map<String, Object>> rows = jdbc.sql(SELECT_ACCOUNT
                            + " WHERE chg_txid >= :since AND chg_txid < :horizon AND chg_no > :after ORDER BY chg_no"
                            + (limit > 0 ? " LIMIT " + limit : ""))
                    .param("since", since).param("horizon", horizon).param("after", after).query().listOfRows();
            Map<String, Object> answer = new LinkedHashMap<>();
            // the horizon never moves back: an empty window answers the position it was given
            answer.put("horizon", String.valueOf(Math.max(since, horizon)));
            answer.put("more", limit > 0 && rows.size() == limit);
            answer.put("last", rows.isEmpty() ? after : ((Number) rows.get(rows.size() - 1).get("chg_no")).longValue());
            answer.put("accounts", rows.stream().map(this::readable).toList());
            return answer;
        });
    }

    @PutMapping("/{accountNo}/erp-terms")
    public Map<String, Object> applyErpTerms(@PathVariable String accountNo, @RequestBody ErpTerms terms) {
        if (terms == null || terms.erpVersion() == null || terms.erpCustomerNumber() == null || terms.blocked() == null) {
            throw SandboxProblems.missingFields(List.of("erpCustomerNumber", "blocked", "erpVersion"));
        }
        Map<String, String> invalid = new LinkedHashMap<>();
        if (terms.creditLimit() != null && terms.creditLimit().signum() < 0) {
            invalid.put("creditLimit", "must not be negative");
        }
        if (terms.creditLimit() != null && (terms.creditCurrency() == null || !terms.creditCurrency().matches("[A-Z]{3}"))) {
            invalid.put("creditCurrency", "an ISO 4217 code with the credit limit");
        }
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        return tx.execute(status -> {
            Map<String, Object> held = locked(accountNo);
            Number heldVersion = (Number) held.get("erp_terms_version");
            String outcome;
            if (heldVersion != null && heldVersion.longValue() > terms.erpVersion()) {
                throw SandboxProblems.staleUpdate("Account", accountNo, "ERP revision " + terms.erpVersion(),
                        "ERP revision " + heldVersion);
            } else if (heldVersion != null && heldVersion.longValue() == terms.erpVersion()) {
                outcome = "DUPLICATE";
            } else {
                // only the ERP's side: the sales fields and the revision stay as they are
                jdbc.sql("""
                                UPDATE sandbox_crm.account SET erp_customer_no = :no, credit_limit = :limit,
                                    credit_currency = :curr, payment_terms = :terms, blocked = :blocked,
                                    erp_terms_version = :version, erp_synced_at = now()
                                WHERE account_no = :acc""")
                        .param("no", terms.erpCustomerNumber()).param("limit", terms.creditLimit())
                        .param("curr", terms.creditLimit() == null ? null : terms.creditCurrency())
                        .param("terms", terms.paymentTerms()).param("blocked", terms.blocked())
                        .param("version", terms.erpVersion()).param("acc", accountNo).update();
                outcome = "APPLIED";
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("outcome", outcome);
            answer.put("account", account(accountNo));
            return answer;
        });
    }

    private Map<String, Object> setActive(String accountNo, boolean active) {
        return tx.execute(status -> {
            Map<String, Object> held = locked(accountNo);
            if (active && held.get("merged_into") != null) {
                throw SandboxProblems.conflict("Account " + accountNo + " is merged into " + held.get("merged_into")
                        + ": it stays inactive");
            }
            jdbc.sql("UPDATE sandbox_crm.account SET active = :active WHERE account_no = :no")
                    .param("active", active).param("no", accountNo).update();
            return account(accountNo);
        });
    }

    /** What a create or change carries, merged over what the account holds (held: null for a new account). */
    private record Values(String legalName, String taxId, String addresses, String contacts) {
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
        String addresses = body.has("addresses") ? addresses(body.get("addresses"), invalid)
                : held == null ? "[]" : (String) held.get("addresses");
        String contacts = body.has("contacts") ? contacts(body.get("contacts"), invalid)
                : held == null ? "[]" : (String) held.get("contacts");
        return new Values(legalName, taxId, addresses, contacts);
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

    /** Unknown fields and the ERP's fields (read-only in the CRM) are refused, each named. */
    private static void checkFields(JsonNode body, Map<String, String> invalid) {
        if (body == null) {
            return;
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (ERP_FIELDS.contains(name)) {
                invalid.put(name, "owned by the ERP: read-only in the CRM (the ESB brings the ERP's value)");
            } else if (!SALES_FIELDS.contains(name)) {
                invalid.put(name, "unknown field");
            }
        }
    }

    private Map<String, Object> locked(String accountNo) {
        return jdbc.sql("""
                        SELECT account_no, legal_name, tax_id, CAST(addresses AS text) AS addresses,
                            CAST(contacts AS text) AS contacts, erp_terms_version, merged_into
                        FROM sandbox_crm.account WHERE account_no = :no FOR UPDATE""")
                .param("no", accountNo).query().listOfRows().stream().findFirst()
                .orElseThrow(() -> SandboxProblems.notFound("Account", accountNo));
    }

    private Map<String, Object> find(String accountNo) {
        return jdbc.sql(SELECT_ACCOUNT + " WHERE account_no = :no").param("no", accountNo).query().listOfRows().stream()
                .findFirst().map(this::readable).orElse(null);
    }

    /** The row with its addresses and contacts as JSON. */
    private Map<String, Object> readable(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>(row);
        try {
            out.put("addresses", json.readTree((String) row.get("addresses")));
            out.put("contacts", json.readTree((String) row.get("contacts")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Account " + row.get("account_no") + " holds lists that are not JSON", e);
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

    /**
     * {@code GET /accounts?after=<accountNo>&limit=<n>} (port crm.customers-page): the accounts after the given number
     * in byte order of their numbers (collation "C", the order the ESB's reconciliation pages in), at most {@code limit}
     * (1-1000); {@code next} is the last one's number while more may follow, else null. {@code merged_into} is the
     * account this one was merged into (null when it was not).
     */
    @GetMapping
    public Map<String, Object> page(@RequestParam(name = "after", required = false) String after,
                                    @RequestParam(name = "limit", defaultValue = "500") int limit) {
        if (limit < 1 || limit > 1000) {
            throw SandboxProblems.invalidFields(Map.of("limit", "1-1000"));
        }
        // the page's keys first (the sort reads no more than the keys), then their rows
        List<Map<String, Object>> rows = jdbc.sql(SELECT_ACCOUNT.replace("FROM sandbox_crm.account",
                        "FROM sandbox_crm.account a")
                        + " JOIN (SELECT account_no AS page_key FROM sandbox_crm.account"
                        + " WHERE CAST(:after AS text) IS NULL OR account_no COLLATE \"C\" > CAST(:after AS text)"
                        + " ORDER BY account_no COLLATE \"C\" LIMIT :limit) k ON k.page_key = a.account_no"
                        + " ORDER BY a.account_no COLLATE \"C\"")
                .param("after", after == null || after.isBlank() ? null : after).param("limit", limit)
                .query().listOfRows();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accounts", rows.stream().map(this::readable).toList());
        answer.put("next", rows.size() < limit ? null : rows.get(rows.size() - 1).get("account_no"));
        return answer;
    }
}
