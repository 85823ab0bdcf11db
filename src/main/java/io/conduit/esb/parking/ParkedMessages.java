package io.conduit.esb.parking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Reads and state changes of {@code esb.parked_message}. Every state change is one conditional UPDATE on the
 * current status, so two operators (or two job threads) can never both replay or discard the same message.
 */
@Component
public class ParkedMessages {

    /** the statuses a parked message can have; "ANY" in a filter means all of them */
    public static final Set<String> STATUSES = Set.of("PARKED", "REPLAYING", "REPLAYED", "DISCARDED");

    private static final String COLUMNS = """
            SELECT id, flow, route_id, from_route_id, failed_endpoint, reason, exception_type, payload, headers::text AS headers,
                   event_id, correlation_id, business_key, attempts, status, parked_at, replay_of, resolved_by, resolved_at,
                   resolution, edited_payload, edited_by, replay_job_id
              FROM esb.parked_message""";

    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() { };

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;
    private final RowMapper<Stored> rows = this::map;

    public ParkedMessages(NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A parked message as stored, with the columns the shared {@link ParkedMessage} record does not carry. */
    public record Stored(ParkedMessage message, String fromRouteId, String editedPayload, String editedBy,
                         UUID replayJobId) {
    }

    public List<Stored> find(ParkedFilter filter, int limit) {
        MapSqlParameterSource params = new MapSqlParameterSource("limit", limit);
        return jdbc.query(COLUMNS + where(filter, params) + " ORDER BY parked_at DESC, id LIMIT :limit", params, rows);
    }

    /** Every match, oldest first (the order a bulk replay takes them in). */
    public List<Stored> findAllOldestFirst(ParkedFilter filter) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        return jdbc.query(COLUMNS + where(filter, params) + " ORDER BY parked_at, id", params, rows);
    }

    public long count(ParkedFilter filter) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        Long count = jdbc.queryForObject("SELECT count(*) FROM esb.parked_message" + where(filter, params), params,
                Long.class);
        return count == null ? 0 : count;
    }

    public Map<String, Long> countsByFlow(ParkedFilter filter) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query("SELECT flow, count(*) AS n FROM esb.parked_message" + where(filter, params)
                + " GROUP BY flow ORDER BY flow", params, rs -> {
                    counts.put(rs.getString("flow"), rs.getLong("n"));
                });
        return counts;
    }

    public Optional<Stored> get(UUID id) {
        return jdbc.query(COLUMNS + " WHERE id = :id", new MapSqlParameterSource("id", id), rows).stream().findFirst();
    }

    /**
     * Claims a message for replay (PARKED -> REPLAYING), storing an operator's edited payload with it.
     *
     * @return false if it is not PARKED (any more)
     */
    public boolean claim(UUID id, String actor, String editedPayload, UUID jobId) {
        return jdbc.update("""
                UPDATE esb.parked_message SET status = 'REPLAYING', resolved_by = :actor, replay_job_id = CAST(:jobId AS uuid),
                       edited_payload = COALESCE(CAST(:edited AS text), edited_payload),
                       edited_by = CASE WHEN CAST(:edited AS text) IS NULL THEN edited_by ELSE :actor END
                 WHERE id = :id AND status = 'PARKED'""",
                new MapSqlParameterSource("id", id).addValue("actor", actor).addValue("edited", editedPayload)
                        .addValue("jobId", jobId)) == 1;
    }

    /** Ends a replay: REPLAYING -> REPLAYED with its outcome. */
    public void replayed(UUID id, String resolution) {
        jdbc.update("""
                UPDATE esb.parked_message SET status = 'REPLAYED', resolved_at = now(), resolution = :resolution
                 WHERE id = :id AND status = 'REPLAYING'""",
                new MapSqlParameterSource("id", id).addValue("resolution", resolution));
    }

    /** A replay that could not run: REPLAYING -> PARKED again, with why. */
    public void unclaim(UUID id, String why) {
        jdbc.update("""
                UPDATE esb.parked_message SET status = 'PARKED', resolution = :why, resolved_by = NULL, replay_job_id = NULL
                 WHERE id = :id AND status = 'REPLAYING'""",
                new MapSqlParameterSource("id", id).addValue("why", why));
    }

    /**
     * Whether another parked copy of the same event, received by the same route, was delivered by a replay after
     * this one was parked.
     */
    public Optional<UUID> deliveredCopy(Stored stored) {
        ParkedMessage message = stored.message();
        if (message.eventId() == null) {
            return Optional.empty();
        }
        return jdbc.queryForList("""
                SELECT id FROM esb.parked_message
                 WHERE event_id = :eventId AND from_route_id = :route AND id <> :id AND status = 'REPLAYED'
                   AND resolution = 'DELIVERED' AND resolved_at >= :parkedAt
                 LIMIT 1""", new MapSqlParameterSource("eventId", message.eventId())
                        .addValue("route", stored.fromRouteId()).addValue("id", message.id())
                        .addValue("parkedAt", Timestamp.from(message.parkedAt())), UUID.class)
                .stream().findFirst();
    }

    /** Discards the PARKED messages the filter matches; returns them as they were. */
    public List<Stored> discard(ParkedFilter filter, String reason, String actor) {
        MapSqlParameterSource params = new MapSqlParameterSource("reason", reason).addValue("actor", actor);
        ParkedFilter parked = onlyParked(filter);
        List<UUID> ids = jdbc.queryForList("""
                UPDATE esb.parked_message SET status = 'DISCARDED', resolved_by = :actor, resolved_at = now(),
                       resolution = :reason
                 WHERE id IN (SELECT id FROM esb.parked_message""" + where(parked, params) + """
                 ) AND status = 'PARKED'
                 RETURNING id""", params, UUID.class);
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.query(COLUMNS + " WHERE id IN (:ids)", new MapSqlParameterSource("ids", ids), rows);
    }

    /** At startup: replays cut off by a stop of the ESB go back to PARKED. */
    public int releaseInterrupted() {
        return jdbc.update("""
                UPDATE esb.parked_message SET status = 'PARKED', resolution = 'replay interrupted by a restart',
                       resolved_by = NULL, replay_job_id = NULL
                 WHERE status = 'REPLAYING'""", new MapSqlParameterSource());
    }

    static ParkedFilter onlyParked(ParkedFilter filter) {
        return new ParkedFilter(filter.ids(), filter.flow(), filter.reason(), filter.businessKey(), filter.from(),
                filter.to(), "PARKED");
    }

    /** The WHERE clause of a filter (validated by {@link ReplayService#validate}); adds its parameters. */
    static String where(ParkedFilter filter, MapSqlParameterSource params) {
        List<String> conditions = new ArrayList<>();
        if (!"ANY".equalsIgnoreCase(filter.status())) {
            conditions.add("status = :status");
            params.addValue("status", filter.status().toUpperCase());
        }
        if (!filter.ids().isEmpty()) {
            conditions.add("id IN (:ids)");
            params.addValue("ids", filter.ids());
        }
        if (filter.flow() != null && !filter.flow().isBlank()) {
            conditions.add("flow = :flow");
            params.addValue("flow", filter.flow());
        }
        if (filter.reason() != null && !filter.reason().isBlank()) {
            conditions.add("reason ILIKE :reason");
            params.addValue("reason", "%" + filter.reason().replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%");
        }
        if (filter.businessKey() != null && !filter.businessKey().isBlank()) {
            conditions.add("(business_key = :key OR correlation_id = :key OR event_id = :key)");
            params.addValue("key", filter.businessKey());
        }
        if (filter.from() != null) {
            conditions.add("parked_at >= :from");
            params.addValue("from", Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            conditions.add("parked_at < :to");
            params.addValue("to", Timestamp.from(filter.to()));
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private Stored map(ResultSet rs, int row) throws SQLException {
        ParkedMessage message = new ParkedMessage(rs.getObject("id", UUID.class), rs.getString("flow"),
                rs.getString("route_id"), rs.getString("failed_endpoint"), rs.getString("reason"),
                rs.getString("exception_type"), rs.getString("payload"), headers(rs.getString("headers")),
                rs.getString("event_id"), rs.getString("correlation_id"), rs.getString("business_key"),
                rs.getInt("attempts"), rs.getString("status"), instant(rs, "parked_at"),
                rs.getObject("replay_of", UUID.class), rs.getString("resolved_by"), instant(rs, "resolved_at"),
                rs.getString("resolution"));
        return new Stored(message, rs.getString("from_route_id"), rs.getString("edited_payload"),
                rs.getString("edited_by"), rs.getObject("replay_job_id", UUID.class));
    }

    private Map<String, String> headers(String text) {
        try {
            return text == null ? Map.of() : json.readValue(text, HEADERS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable headers of a parked message", e);
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
