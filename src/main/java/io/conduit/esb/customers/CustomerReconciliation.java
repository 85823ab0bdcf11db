package io.conduit.esb.customers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The customer reconciliation: reads what the CRM and the ERP hold <em>now</em> - not the ESB's own state - and lists
 * the customers that differ, kept in esb.customer_reconciliation (V26). It reads through the adapters' ports only
 * ({@code crm.customers-page}, {@code erp.customers-page}: pages of customers with the fields each system holds of
 * both sides), so it is the same whichever CRM and ERP are plugged in.
 * <p>
 * A run holds at most one page in the heap: the ERP's pages are written into a working table keyed by CRM account
 * (esb.customer_reconciliation_erp), then the CRM's pages are compared against it one page (one query) at a time, and
 * the ERP customers no CRM page matched are read back page by page. The differences:
 * <ul>
 *   <li>{@code MISSING_IN_ERP}: a CRM account no ERP customer is linked to; the note says when the customer master
 *       parked it as a conflict for a person (esb.parked_message, flow customer-master), with the reason;</li>
 *   <li>{@code UNKNOWN_CRM_ACCOUNT}: an ERP customer linked to a CRM account the CRM does not have;</li>
 *   <li>{@code ERP_NUMBER_DIFFERS}: the ERP number the CRM shows is not the ERP's (null: the CRM shows none);</li>
 *   <li>{@code FIELD_DIFFERS}: a field one system owns holds another value in the other: the field, its owner, the
 *       owner's value and the other system's. A field a system does not keep (missing from its port's answer) is not
 *       compared; lists compare without regard to order, numbers by value.</li>
 * </ul>
 * A CRM account merged into another ({@code mergedInto}) is no customer of its own: it is counted as merged, never
 * compared nor reported missing, and the ERP customer linked to it is not unknown.
 */
@Component
public class CustomerReconciliation implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(CustomerReconciliation.class);

    public static final String MISSING_IN_ERP = "MISSING_IN_ERP";
    public static final String UNKNOWN_CRM_ACCOUNT = "UNKNOWN_CRM_ACCOUNT";
    public static final String ERP_NUMBER_DIFFERS = "ERP_NUMBER_DIFFERS";
    public static final String FIELD_DIFFERS = "FIELD_DIFFERS";

    /** The fields each system owns, as the ports name them (the ERP's number is compared on its own). */
    static final List<String> CRM_OWNED = List.of("legalName", "taxId", "active", "addresses", "contacts");
    static final List<String> ERP_OWNED = List.of("creditLimit", "paymentTerms", "blocked");

    /** At most this many differences in one report (the counts are always whole). */
    static final int FIRST = 200;
    /** A RUNNING run without a page read for this long was abandoned (its ESB stopped): a new one may start. */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(5);
    /** Reports kept; older ones are deleted when a run starts. */
    static final int KEPT = 50;

    /** One difference: which kind, which customer, and for a field its owner, the owner's and the other's value. */
    public record Difference(String kind, String customerId, String field, String owner, JsonNode ownerValue,
                             JsonNode otherValue, String note) {
    }

    /**
     * A run's report: its state, when it ran and how long it took, how many customers each system holds, how many were
     * compared and merged, the differences per kind (and how many of the missing are parked), the first differences.
     */
    public record Report(UUID id, String status, String requestedBy, Instant startedAt, Instant finishedAt,
                         Long durationMs, int pageSize, long crmCustomers, long erpCustomers, long compared,
                         long merged, long parked, long differences, Map<String, Long> counts,
                         List<Difference> firstDifferences, String error) {
    }

    /** Another run is under way: one at a time. */
    public static class AlreadyRunning extends RuntimeException {
        public AlreadyRunning(UUID running) {
            super("A customer reconciliation is running (" + running + "); one at a time");
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final ProducerTemplate ports;
    private final ObjectMapper json;
    private final int pageSize;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "customer-reconciliation");
        thread.setDaemon(true);
        return thread;
    });

    public CustomerReconciliation(NamedParameterJdbcTemplate jdbc, ProducerTemplate ports, ObjectMapper json,
                                  @Value("${esb.customer-master.reconciliation.page-size:500}") int pageSize) {
        this.jdbc = jdbc;
        this.ports = ports;
        this.json = json;
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("esb.customer-master.reconciliation.page-size must be 1-1000, is " + pageSize);
        }
        this.pageSize = pageSize;
    }

    /**
     * Starts a run in the background and answers its id at once; {@link AlreadyRunning} while another runs (here or
     * on another instance: the database allows one RUNNING row).
     */
    public UUID start(String requestedBy) {
        UUID id = UUID.randomUUID();
        MapSqlParameterSource p = new MapSqlParameterSource("id", id).addValue("by", requestedBy)
                .addValue("size", pageSize).addValue("abandoned", ABANDONED_AFTER.toSeconds());
        jdbc.update("""
                update esb.customer_reconciliation set status = 'FAILED', finished_at = now(),
                    error = 'abandoned: no page read for ' || :abandoned || ' s (its ESB stopped?)'
                where status = 'RUNNING' and heartbeat_at < now() - make_interval(secs => :abandoned)""", p);
        // the working rows of runs that ended without emptying them (their ESB stopped mid-run)
        jdbc.update("""
                delete from esb.customer_reconciliation_erp where run_id not in
                    (select id from esb.customer_reconciliation where status = 'RUNNING')""", p);
        try {
            jdbc.update("""
                    insert into esb.customer_reconciliation (id, status, requested_by, started_at, heartbeat_at, page_size)
                    values (:id, 'RUNNING', :by, now(), now(), :size)""", p);
        } catch (DuplicateKeyException e) {
            throw new AlreadyRunning(running().orElse(null));
        }
        jdbc.update("""
                delete from esb.customer_reconciliation where status <> 'RUNNING' and id not in
                    (select id from esb.customer_reconciliation order by started_at desc limit :kept)""",
                new MapSqlParameterSource("kept", KEPT));
        runner.submit(() -> run(id));
        return id;
    }

    public Optional<UUID> running() {
        return jdbc.query("select id from esb.customer_reconciliation where status = 'RUNNING'",
                new MapSqlParameterSource(), (rs, i) -> rs.getObject("id", UUID.class)).stream().findFirst();
    }

    /** The latest run's report (running or ended), if any ran. */
    public Optional<Report> latest() {
        return jdbc.query("select id from esb.customer_reconciliation order by started_at desc limit 1",
                new MapSqlParameterSource(), (rs, i) -> rs.getObject("id", UUID.class)).stream().findFirst()
                .flatMap(this::report);
    }

    public Optional<Report> report(UUID id) {
        MapSqlParameterSource p = new MapSqlParameterSource("id", id).addValue("first", FIRST);
        List<Difference> first = jdbc.query("""
                select kind, customer_id, field, owner, CAST(owner_value AS text) as owner_value,
                    CAST(other_value AS text) as other_value, note
                from esb.customer_reconciliation_difference where run_id = :id order by seq limit :first""", p,
                (rs, i) -> new Difference(rs.getString("kind"), rs.getString("customer_id"), rs.getString("field"),
                        rs.getString("owner"), node(rs.getString("owner_value")), node(rs.getString("other_value")),
                        rs.getString("note")));
        return jdbc.query("select * from esb.customer_reconciliation where id = :id", p, (rs, i) -> {
            Map<String, Long> counts = counts(rs.getString("counts"));
            return new Report(id, rs.getString("status"), rs.getString("requested_by"),
                    instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")),
                    nullableLong(rs, "duration_ms"), rs.getInt("page_size"), rs.getLong("crm_customers"),
                    rs.getLong("erp_customers"), rs.getLong("compared"), rs.getLong("merged"), rs.getLong("parked"),
                    counts.values().stream().mapToLong(Long::longValue).sum(), counts, first, rs.getString("error"));
        }).stream().findFirst();
    }

    /**
     * A run's differences in the order found, after the given position ({@code seq}), at most {@code limit}; only those
     * of one customer when {@code customerId} is given. Each with its position, to ask for the next ones.
     */
    public List<Map<String, Object>> differences(UUID id, int after, int limit, String customerId) {
        MapSqlParameterSource p = new MapSqlParameterSource("id", id).addValue("after", after)
                .addValue("limit", Math.max(1, Math.min(limit, 1000))).addValue("customer", customerId);
        return jdbc.query("""
                select seq, kind, customer_id, field, owner, CAST(owner_value AS text) as owner_value,
                    CAST(other_value AS text) as other_value, note
                from esb.customer_reconciliation_difference
                where run_id = :id and seq > :after and (CAST(:customer AS text) is null or customer_id = :customer)
                order by seq limit :limit""", p, (rs, i) -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("seq", rs.getInt("seq"));
            d.put("kind", rs.getString("kind"));
            d.put("customerId", rs.getString("customer_id"));
            d.put("field", rs.getString("field"));
            d.put("owner", rs.getString("owner"));
            d.put("ownerValue", node(rs.getString("owner_value")));
            d.put("otherValue", node(rs.getString("other_value")));
            d.put("note", rs.getString("note"));
            return d;
        });
    }

    // ------------------------------------------------------------------------------------------------- the run

    /** A run's figures while it goes. */
    private static final class Tally {
        long crm;
        long erp;
        long compared;
        long merged;
        long parked;
        int seq;
        /** Time spent in the ports and in the whole of each phase, ms (logged at the end). */
        long erpPortMs;
        long crmPortMs;
        long erpPhaseMs;
        long crmPhaseMs;
        final Map<String, Long> counts = new TreeMap<>();
    }

    void run(UUID id) {
        long t0 = System.nanoTime();
        Tally tally = new Tally();
        try {
            loadErp(id, tally);
            tally.erpPhaseMs = (System.nanoTime() - t0) / 1_000_000;
            compareCrm(id, tally);
            tally.crmPhaseMs = (System.nanoTime() - t0) / 1_000_000 - tally.erpPhaseMs;
            reportUnknownAccounts(id, tally);
            finish(id, tally, t0, "DONE", null);
            LOG.info("Customer reconciliation {}: {} CRM accounts, {} ERP customers, {} compared, {} merged, differences {}"
                            + " ({} ms: ERP pages {} ms of which the port {} ms, CRM pages {} ms of which the port {} ms)",
                    id, tally.crm, tally.erp, tally.compared, tally.merged, tally.counts,
                    (System.nanoTime() - t0) / 1_000_000, tally.erpPhaseMs, tally.erpPortMs, tally.crmPhaseMs,
                    tally.crmPortMs);
        } catch (RuntimeException e) {
            LOG.warn("Customer reconciliation {} failed: {}", id, e.toString());
            finish(id, tally, t0, "FAILED", rootMessage(e));
        } finally {
            jdbc.update("delete from esb.customer_reconciliation_erp where run_id = :id", new MapSqlParameterSource("id", id));
        }
    }

    /** Every ERP customer linked to a CRM account, into the working table, one page at a time. */
    private void loadErp(UUID id, Tally tally) {
        String after = null;
        do {
            long p0 = System.nanoTime();
            JsonNode page = page("direct:erp.customers-page", after);
            tally.erpPortMs += (System.nanoTime() - p0) / 1_000_000;
            List<MapSqlParameterSource> rows = new ArrayList<>();
            for (JsonNode customer : page.path("customers")) {
                rows.add(new MapSqlParameterSource("id", id).addValue("customer", customer.path("customerId").asText())
                        .addValue("held", customer.toString()));
            }
            if (!rows.isEmpty()) {
                jdbc.batchUpdate("""
                        insert into esb.customer_reconciliation_erp (run_id, customer_id, held)
                        values (:id, :customer, CAST(:held AS jsonb)) on conflict do nothing""",
                        rows.toArray(MapSqlParameterSource[]::new));
            }
            tally.erp += rows.size();
            after = next(page, after);
            heartbeat(id, tally);
        } while (after != null);
    }

    /** Every CRM account against the ERP customer linked to it, one page (one query of the working table) at a time. */
    private void compareCrm(UUID id, Tally tally) {
        String after = null;
        do {
            long p0 = System.nanoTime();
            JsonNode page = page("direct:crm.customers-page", after);
            tally.crmPortMs += (System.nanoTime() - p0) / 1_000_000;
            List<JsonNode> accounts = new ArrayList<>();
            page.path("customers").forEach(accounts::add);
            tally.crm += accounts.size();
            if (!accounts.isEmpty()) {
                List<String> keys = accounts.stream().map(a -> a.path("customerId").asText()).toList();
                MapSqlParameterSource p = new MapSqlParameterSource("id", id).addValue("keys", keys);
                Map<String, JsonNode> erp = new HashMap<>();
                jdbc.query("""
                        select customer_id, CAST(held AS text) as held from esb.customer_reconciliation_erp
                        where run_id = :id and customer_id in (:keys)""", p,
                        rs -> { erp.put(rs.getString("customer_id"), node(rs.getString("held"))); });
                jdbc.update("update esb.customer_reconciliation_erp set matched = true where run_id = :id and customer_id in (:keys)", p);
                Map<String, String> parked = parkedReasons(keys);
                List<Difference> found = new ArrayList<>();
                for (JsonNode account : accounts) {
                    String key = account.path("customerId").asText();
                    if (!account.path("mergedInto").isMissingNode() && !account.path("mergedInto").isNull()) {
                        tally.merged++;
                        continue;
                    }
                    JsonNode customer = erp.get(key);
                    if (customer == null) {
                        String reason = parked.get(key);
                        if (reason != null) {
                            tally.parked++;
                        }
                        found.add(new Difference(MISSING_IN_ERP, key, null, null, null, null,
                                reason == null ? null : "parked for a person: " + reason));
                    } else {
                        tally.compared++;
                        found.addAll(compare(key, account, customer));
                    }
                }
                record(id, tally, found);
            }
            after = next(page, after);
            heartbeat(id, tally);
        } while (after != null);
    }

    /** The ERP customers no CRM account matched: linked to an account the CRM does not have. Page by page. */
    private void reportUnknownAccounts(UUID id, Tally tally) {
        String after = "";
        while (after != null) {
            MapSqlParameterSource p = new MapSqlParameterSource("id", id).addValue("after", after).addValue("size", pageSize);
            List<Difference> found = jdbc.query("""
                    select customer_id, held ->> 'erpCustomerNumber' as number from esb.customer_reconciliation_erp
                    where run_id = :id and not matched and customer_id > :after
                    order by customer_id limit :size""", p,
                    (rs, i) -> new Difference(UNKNOWN_CRM_ACCOUNT, rs.getString("customer_id"), "erpCustomerNumber",
                            "ERP", node(json(rs.getString("number"))), NullNode.getInstance(),
                            "the ERP customer is linked to a CRM account the CRM does not have"));
            record(id, tally, found);
            after = found.size() < pageSize ? null : found.get(found.size() - 1).customerId();
        }
    }

    /** What differs between the CRM's account and the ERP's customer linked to it. */
    List<Difference> compare(String key, JsonNode crm, JsonNode erp) {
        List<Difference> found = new ArrayList<>();
        JsonNode erpNumber = value(erp, "erpCustomerNumber");
        JsonNode crmNumber = value(crm, "erpCustomerNumber");
        if (erpNumber != null && crmNumber != null && !same(erpNumber, crmNumber)) {
            found.add(new Difference(ERP_NUMBER_DIFFERS, key, "erpCustomerNumber", "ERP", erpNumber, crmNumber, null));
        }
        for (String field : CRM_OWNED) {
            differs(key, field, "CRM", value(crm, field), value(erp, field)).ifPresent(found::add);
        }
        for (String field : ERP_OWNED) {
            differs(key, field, "ERP", value(erp, field), value(crm, field)).ifPresent(found::add);
        }
        return found;
    }

    private static Optional<Difference> differs(String key, String field, String owner, JsonNode ownerValue,
                                                JsonNode otherValue) {
        if (ownerValue == null || otherValue == null || same(ownerValue, otherValue)) {
            return Optional.empty();
        }
        return Optional.of(new Difference(FIELD_DIFFERS, key, field, owner, ownerValue, otherValue, null));
    }

    /** A field as the system answered it; null when the system does not keep it (missing: not compared). */
    private static JsonNode value(JsonNode customer, String field) {
        JsonNode value = customer.get(field);
        return value == null ? null : value;
    }

    /** Equal as the customer master means it: numbers by value, lists whatever their order, object keys by name. */
    static boolean same(JsonNode a, JsonNode b) {
        return normal(a).equals(normal(b));
    }

    private static JsonNode normal(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NullNode.getInstance();
        }
        if (node.isNumber()) {
            return DecimalNode.valueOf(node.decimalValue().stripTrailingZeros());
        }
        if (node.isObject()) {
            ObjectNode out = ObjectNode.class.cast(node.deepCopy());
            node.fields().forEachRemaining(e -> out.set(e.getKey(), normal(e.getValue())));
            return out;
        }
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.forEach(item -> items.add(normal(item)));
            items.sort(Comparator.comparing(JsonNode::toString));
            ArrayNode out = ((ArrayNode) node).arrayNode();
            items.forEach(out::add);
            return out;
        }
        return node;
    }

    /** The reasons of the customer master's conflicts parked for a person, for these CRM accounts. */
    private Map<String, String> parkedReasons(List<String> keys) {
        Map<String, String> reasons = new HashMap<>();
        jdbc.query("""
                select distinct on (business_key) business_key, reason from esb.parked_message
                where flow = 'customer-master' and status = 'PARKED' and business_key in (:keys)
                order by business_key, parked_at desc""", new MapSqlParameterSource("keys", keys),
                rs -> { reasons.put(rs.getString("business_key"), rs.getString("reason")); });
        return reasons;
    }

    private void record(UUID id, Tally tally, List<Difference> found) {
        if (found.isEmpty()) {
            return;
        }
        List<MapSqlParameterSource> rows = new ArrayList<>();
        for (Difference d : found) {
            tally.counts.merge(d.kind(), 1L, Long::sum);
            rows.add(new MapSqlParameterSource("id", id).addValue("seq", ++tally.seq).addValue("kind", d.kind())
                    .addValue("customer", d.customerId()).addValue("field", d.field()).addValue("owner", d.owner())
                    .addValue("ownerValue", d.ownerValue() == null ? null : d.ownerValue().toString())
                    .addValue("otherValue", d.otherValue() == null ? null : d.otherValue().toString())
                    .addValue("note", d.note()));
        }
        jdbc.batchUpdate("""
                insert into esb.customer_reconciliation_difference
                    (run_id, seq, kind, customer_id, field, owner, owner_value, other_value, note)
                values (:id, :seq, :kind, :customer, :field, :owner, CAST(:ownerValue AS jsonb),
                    CAST(:otherValue AS jsonb), :note)""", rows.toArray(MapSqlParameterSource[]::new));
    }

    private void heartbeat(UUID id, Tally tally) {
        jdbc.update("""
                update esb.customer_reconciliation set heartbeat_at = now(), crm_customers = :crm, erp_customers = :erp,
                    compared = :compared, merged = :merged, parked = :parked, counts = CAST(:counts AS jsonb)
                where id = :id""", figures(id, tally));
    }

    private void finish(UUID id, Tally tally, long t0, String status, String error) {
        jdbc.update("""
                update esb.customer_reconciliation set status = :status, error = :error, finished_at = now(),
                    heartbeat_at = now(), duration_ms = :ms, crm_customers = :crm, erp_customers = :erp,
                    compared = :compared, merged = :merged, parked = :parked, counts = CAST(:counts AS jsonb)
                where id = :id""", figures(id, tally).addValue("status", status).addValue("error", error)
                .addValue("ms", (System.nanoTime() - t0) / 1_000_000));
    }

    private MapSqlParameterSource figures(UUID id, Tally tally) {
        return new MapSqlParameterSource("id", id).addValue("crm", tally.crm).addValue("erp", tally.erp)
                .addValue("compared", tally.compared).addValue("merged", tally.merged).addValue("parked", tally.parked)
                .addValue("counts", json(tally.counts));
    }

    /** One page of a port: {"after", "limit"} -> {"customers", "next"}. */
    private JsonNode page(String port, String after) {
        ObjectNode request = json.createObjectNode();
        request.put("after", after);
        request.put("limit", pageSize);
        Object answer = ports.requestBody(port, request.toString());
        JsonNode page = answer instanceof String text ? node(text)
                : answer instanceof byte[] bytes ? node(new String(bytes, java.nio.charset.StandardCharsets.UTF_8))
                : json.valueToTree(answer);
        if (page == null || !page.path("customers").isArray()) {
            throw new IllegalStateException(port + " answered no customers list: " + answer);
        }
        return page;
    }

    /** The key of the next page; a port answering the key it was given again would never end. */
    private static String next(JsonNode page, String after) {
        JsonNode next = page.path("next");
        if (next.isMissingNode() || next.isNull() || page.path("customers").isEmpty()) {
            return null;
        }
        if (next.asText().equals(after)) {
            throw new IllegalStateException("a port answered the page key it was given (" + after + ") as the next one");
        }
        return next.asText();
    }

    private JsonNode node(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }

    private String json(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Long> counts(String text) {
        try {
            return text == null ? Map.of() : new LinkedHashMap<>(json.readValue(text, new TypeReference<TreeMap<String, Long>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Set<Throwable> seen = new HashSet<>();
        Throwable root = e;
        while (root.getCause() != null && seen.add(root)) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e.getClass().getSimpleName() + ": " + root;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    @Override
    public void destroy() {
        runner.shutdownNow();
    }
}
