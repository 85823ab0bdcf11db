package io.conduit.esb.customers;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where the customer master stands, read from its own state (esb.customer_master) and the parking lot: how many
 * customers each system has given and how many the other has got (the progress of an initial load, and of every day
 * after), what the targets answered, the conflicts parked for a person with their reasons, and the customers still
 * waiting for a target, oldest first. It reads no system: it says what the ESB knows, as of its last capture. Read by
 * {@code GET /api/v1/ops/customer-master} and the console's Customers page.
 */
@Component
public class CustomerMasterView {

    /** At most this many conflicts and waiting customers in one report (the counts are always whole). */
    static final int LIMIT = 200;

    /**
     * One direction of the flow: the customers whose state this system gave (captured), those the other system has in
     * its latest version (delivered), the rest (waiting: in flight, waiting in the retry lane, or parked), and what the
     * target answered, by answer.
     */
    public record Side(long captured, long delivered, long waiting, Instant lastCapturedAt, Instant lastDeliveredAt,
                       Map<String, Long> outcomes) {
    }

    /**
     * The whole: customers the ESB knows, those the ERP numbered, the CRM's side going to the ERP, the ERP's going to
     * the CRM, and the conflicts (customers with a message parked for a person).
     */
    public record Progress(long customers, long withErpNumber, Side crmToErp, Side erpToCrm, long conflicts) {
    }

    /** A parked message of the flow: which customer, which way, why; {@code parkedId} opens it in the parking lot. */
    public record Conflict(UUID parkedId, String customerId, String direction, String reason, Instant parkedAt,
                           int attempts) {
    }

    /** A customer whose latest state of one side the other system has not got yet. */
    public record Waiting(String customerId, String direction, long version, Long deliveredVersion, Instant capturedAt,
                          boolean parked) {
    }

    /** The report: when it was read, whether the flow runs here, the figures, and the first conflicts and waiting. */
    public record Report(Instant at, boolean running, Progress progress, List<Conflict> conflicts,
                         List<Waiting> waiting) {
    }

    static final String CRM_TO_ERP = "CRM_TO_ERP";
    static final String ERP_TO_CRM = "ERP_TO_CRM";
    static final String CAPTURE = "CAPTURE";

    private final NamedParameterJdbcTemplate jdbc;
    private final boolean running;

    public CustomerMasterView(NamedParameterJdbcTemplate jdbc,
                              @Value("${esb.customer-master.enabled:false}") boolean running) {
        this.jdbc = jdbc;
        this.running = running;
    }

    public Report report() {
        Instant at = Instant.now();
        return new Report(at, running, progress(), conflicts(), waiting());
    }

    Progress progress() {
        MapSqlParameterSource none = new MapSqlParameterSource();
        Map<String, Object> row = jdbc.queryForMap("""
                select count(*) as customers,
                       count(*) filter (where erp_customer_no is not null) as numbered,
                       count(*) filter (where crm_version is not null) as crm_captured,
                       count(*) filter (where crm_version is not null and crm_delivered_version >= crm_version) as crm_delivered,
                       max(crm_captured_at) as crm_last_captured, max(crm_delivered_at) as crm_last_delivered,
                       count(*) filter (where erp_version is not null) as erp_captured,
                       count(*) filter (where erp_version is not null and erp_delivered_version >= erp_version) as erp_delivered,
                       max(erp_captured_at) as erp_last_captured, max(erp_delivered_at) as erp_last_delivered,
                       (select count(distinct business_key) from esb.parked_message
                         where flow = 'customer-master' and status = 'PARKED') as conflicts
                from esb.customer_master""", none);
        Map<String, Long> crmOutcomes = outcomes("crm_outcome");
        Map<String, Long> erpOutcomes = outcomes("erp_outcome");
        return new Progress(count(row, "customers"), count(row, "numbered"),
                side(row, "crm", crmOutcomes), side(row, "erp", erpOutcomes), count(row, "conflicts"));
    }

    private Map<String, Long> outcomes(String column) {
        Map<String, Long> outcomes = new LinkedHashMap<>();
        // column is one of two constants above, never input
        jdbc.queryForList("select " + column + " as outcome, count(*) as n from esb.customer_master where " + column
                        + " is not null group by " + column + " order by count(*) desc, " + column,
                new MapSqlParameterSource()).forEach(r -> outcomes.put((String) r.get("outcome"), count(r, "n")));
        return outcomes;
    }

    private static Side side(Map<String, Object> row, String prefix, Map<String, Long> outcomes) {
        long captured = count(row, prefix + "_captured");
        long delivered = count(row, prefix + "_delivered");
        return new Side(captured, delivered, captured - delivered, instant(row.get(prefix + "_last_captured")),
                instant(row.get(prefix + "_last_delivered")), outcomes);
    }

    List<Conflict> conflicts() {
        return jdbc.query("""
                select distinct on (business_key) id, business_key, from_route_id, reason, parked_at, attempts
                from esb.parked_message where flow = 'customer-master' and status = 'PARKED'
                order by business_key, parked_at desc""", new MapSqlParameterSource(), (rs, i) -> new Conflict(
                rs.getObject("id", UUID.class), rs.getString("business_key"), direction(rs.getString("from_route_id")),
                rs.getString("reason"), instant(rs.getTimestamp("parked_at")), rs.getInt("attempts")))
                .stream().sorted((a, b) -> b.parkedAt().compareTo(a.parkedAt())).limit(LIMIT).toList();
    }

    List<Waiting> waiting() {
        return jdbc.query("""
                select w.*, exists (select 1 from esb.parked_message p where p.flow = 'customer-master'
                                    and p.status = 'PARKED' and p.business_key = w.customer_id) as parked
                from (select customer_id, 'CRM_TO_ERP' as direction, crm_version as version,
                             crm_delivered_version as delivered_version, crm_captured_at as captured_at
                      from esb.customer_master
                      where crm_version is not null and (crm_delivered_version is null or crm_delivered_version < crm_version)
                      union all
                      select customer_id, 'ERP_TO_CRM', erp_version, erp_delivered_version, erp_captured_at
                      from esb.customer_master
                      where erp_version is not null and (erp_delivered_version is null or erp_delivered_version < erp_version)) w
                order by w.captured_at, w.customer_id
                limit :limit""", new MapSqlParameterSource("limit", LIMIT), (rs, i) -> new Waiting(
                rs.getString("customer_id"), rs.getString("direction"), rs.getLong("version"),
                nullableLong(rs, "delivered_version"), instant(rs.getTimestamp("captured_at")), rs.getBoolean("parked")));
    }

    /** The way a parked message was going, by the route that parked it (the capture's own checks: CAPTURE). */
    static String direction(String routeId) {
        if (routeId == null) {
            return CAPTURE;
        }
        if (routeId.endsWith(".to-erp")) {
            return CRM_TO_ERP;
        }
        if (routeId.endsWith(".to-crm")) {
            return ERP_TO_CRM;
        }
        return CAPTURE;
    }

    private static long count(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static Instant instant(Object value) {
        return value instanceof Timestamp timestamp ? timestamp.toInstant() : null;
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
