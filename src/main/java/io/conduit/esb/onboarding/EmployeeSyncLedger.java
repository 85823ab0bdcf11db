package io.conduit.esb.onboarding;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.canonical.EmployeeSyncCompleted;
import io.conduit.esb.support.PersonalDataMask;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ESB's record of the employee onboarding flow ({@code routes/employee-onboarding.camel.yaml}), in its own
 * database: every accepted HR event ({@code esb.employee_sync_event}, keyed by the OA's event id, searchable by
 * employee id) and, per event, one delivery status row per target system ({@code esb.employee_sync_delivery}:
 * target, status PENDING / DONE / PARKED, the id in the target system, attempts, last error).
 * <p>
 * Routes call it in one step each ({@code bean: {ref: employeeSyncLedger, method: "record(${exchange})"}}); the
 * exchange properties it reads are named on each method. Written by hand rather than as SQL steps in the route
 * because the bookkeeping needs atomic decisions (first time or duplicate, all targets done or not) that belong to
 * the ESB, not to a target system IT adapts.
 */
@Component("employeeSyncLedger")
public class EmployeeSyncLedger {

    public static final String HIRE = "HIRE";
    public static final String CHANGE = "CHANGE";
    public static final String LEAVE = "LEAVE";
    /** Delivery statuses after which a target has nothing more to do for the event. */
    private static final java.util.Set<String> FINISHED = java.util.Set.of("DONE", "SUPERSEDED");

    private static final Logger LOG = LoggerFactory.getLogger(EmployeeSyncLedger.class);
    private static final int ERROR_LENGTH = 2000;

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    public EmployeeSyncLedger(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactionManager,
                              ObjectMapper json) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactionManager);
        this.json = json;
    }

    /**
     * Records an HR event with a PENDING delivery row per target, once: an event id already recorded changes
     * nothing. A leave whose end date is still ahead is recorded as SCHEDULED and dispatched on that date.
     * <p>
     * Reads the exchange properties {@code hrEventId}, {@code hrEventType} (HIRE, CHANGE, LEAVE), {@code employeeId},
     * {@code effectiveDate} (ISO date or null), {@code employee} (canonical Employee JSON), {@code targets}
     * (comma-separated: ERP,OA,CRM) and the {@code JMSRedelivered} header. Sets property {@code hrEventOutcome}:
     * {@code NEW}, {@code SCHEDULED}, {@code DUPLICATE} or {@code REDELIVERED}.
     *
     * @return the targets to send the event to now: all of them for a new event due now; for an event already
     *         recorded and dispatched, the targets not finished (PENDING; PARKED too when the broker flags the message
     *         as redelivered), since its handing to the target queues may have been lost; otherwise none
     */
    public List<String> record(Exchange exchange) {
        String eventId = exchange.getProperty("hrEventId", String.class);
        String eventType = exchange.getProperty("hrEventType", String.class);
        String effectiveDate = exchange.getProperty("effectiveDate", String.class);
        List<String> targets = targets(exchange.getProperty("targets"));
        boolean redelivered = Boolean.TRUE.equals(exchange.getMessage().getHeader("JMSRedelivered", Boolean.class));
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("eventId", eventId)
                .addValue("employeeId", exchange.getProperty("employeeId", String.class))
                .addValue("eventType", eventType)
                .addValue("effectiveDate", blankToNull(effectiveDate))
                .addValue("dueDate", LEAVE.equals(eventType) ? blankToNull(effectiveDate) : null)
                .addValue("payload", exchange.getProperty("employee", String.class))
                .addValue("correlationId", exchange.getProperty("correlationId", String.class));
        List<String> dispatch = tx.execute(status -> {
            int inserted = jdbc.update("""
                    INSERT INTO esb.employee_sync_event (event_id, employee_id, event_type, effective_date, due_date, status,
                                                         payload, correlation_id, dispatched_at, dispatch_seq)
                    SELECT :eventId, :employeeId, :eventType, CAST(:effectiveDate AS date), CAST(:dueDate AS date), s.status,
                           :payload, :correlationId, CASE WHEN s.status = 'DISPATCHED' THEN now() END,
                           CASE WHEN s.status = 'DISPATCHED' THEN nextval('esb.employee_sync_dispatch_seq') END
                      FROM (SELECT CASE WHEN CAST(:dueDate AS date) > current_date THEN 'SCHEDULED' ELSE 'DISPATCHED' END
                                   AS status) s
                    ON CONFLICT (event_id) DO NOTHING""", params);
            if (inserted == 1) {
                for (String target : targets) {
                    jdbc.update("INSERT INTO esb.employee_sync_delivery (event_id, target) VALUES (:eventId, :target)",
                            new MapSqlParameterSource("eventId", eventId).addValue("target", target));
                }
                boolean scheduled = "SCHEDULED".equals(eventStatus(eventId));
                exchange.setProperty("hrEventOutcome", scheduled ? "SCHEDULED" : "NEW");
                return scheduled ? List.<String>of() : targets;
            }
            if (!"DISPATCHED".equals(eventStatus(eventId))) {
                exchange.setProperty("hrEventOutcome", "DUPLICATE");
                return List.<String>of();
            }
            // Recorded, and some target not finished: this message may be the one whose handing to the target queues
            // was lost (the ESB or the broker stopped after the record's commit, before the queue's). The broker's
            // redelivery flag cannot tell: it is false for a message delivered again after a broker restart (Artemis
            // does not persist the delivery count before delivery). So the unfinished targets are sent again; a
            // target that gets the event twice applies it once (due() skips a DONE delivery, the versioned delivery
            // serialises the two). A resend by the OA of an event still on its way costs one idle check per target.
            exchange.setProperty("hrEventOutcome", redelivered ? "REDELIVERED" : "DUPLICATE");
            return pendingTargets(eventId, redelivered);
        });
        return dispatch;
    }

    /**
     * Whether the target still has to apply the event (PENDING, or PARKED and being replayed). False once it is
     * DONE or SUPERSEDED, and for an event the ledger does not know. Reads properties {@code hrEventId} and
     * {@code syncTarget}; sets {@code hrEventVersion}, the event's dispatch order (its version for the versioned
     * delivery; given now to an event that has none yet, e.g. a scheduled leave on its date).
     *
     * @throws EarlierEventPendingException while an earlier dispatched event of the same employee has not reached
     *                                      this target (retryable: one employee's events reach a target in order)
     */
    public boolean due(Exchange exchange) {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT d.status, e.dispatch_seq FROM esb.employee_sync_delivery d
                  JOIN esb.employee_sync_event e ON e.event_id = d.event_id
                 WHERE d.event_id = :eventId AND d.target = :target""", key(exchange));
        if (rows.isEmpty()) {
            LOG.warn("No delivery of HR event {} to {} is recorded: message ignored",
                    exchange.getProperty("hrEventId"), exchange.getProperty("syncTarget"));
            return false;
        }
        if (FINISHED.contains((String) rows.get(0).get("status"))) {
            return false;
        }
        // one employee's events reach a target in their dispatch order (their versions): a later one waits while an
        // earlier one has not reached the target yet
        List<String> earlier = jdbc.queryForList("""
                SELECT e.event_id FROM esb.employee_sync_event e
                  JOIN esb.employee_sync_event this ON this.event_id = :eventId
                  JOIN esb.employee_sync_delivery d ON d.event_id = e.event_id AND d.target = :target
                 WHERE e.employee_id = this.employee_id AND e.event_id <> this.event_id
                   AND e.status = 'DISPATCHED' AND d.status = 'PENDING'
                   AND e.dispatch_seq < this.dispatch_seq
                 ORDER BY e.dispatch_seq LIMIT 1""", key(exchange), String.class);
        if (!earlier.isEmpty()) {
            throw new EarlierEventPendingException("HR event " + exchange.getProperty("hrEventId") + " waits: the earlier "
                    + "event " + earlier.get(0) + " of the same employee has not reached " + exchange.getProperty(
                    "syncTarget") + " yet");
        }
        Object version = rows.get(0).get("dispatch_seq");
        if (version == null) {
            // written only once per event (concurrent targets: the row lock makes the second one read the first's)
            version = jdbc.queryForObject("""
                    UPDATE esb.employee_sync_event
                       SET dispatch_seq = coalesce(dispatch_seq, nextval('esb.employee_sync_dispatch_seq'))
                     WHERE event_id = :eventId RETURNING dispatch_seq""", key(exchange), Long.class);
        }
        exchange.setProperty("hrEventVersion", ((Number) version).longValue());
        return true;
    }

    /**
     * The target was not given the event because it was given a later event of the same employee (the versioned
     * delivery's outcome SUPERSEDED, its reason in property {@code EsbDeliveryDetail}): finished, like DONE.
     */
    public void superseded(Exchange exchange) {
        jdbc.update("""
                UPDATE esb.employee_sync_delivery SET status = 'SUPERSEDED', last_error = :detail, updated_at = now()
                 WHERE event_id = :eventId AND target = :target""",
                key(exchange).addValue("detail", clip(exchange.getProperty("EsbDeliveryDetail", String.class))));
    }

    /** Counts one attempt of the target (properties {@code hrEventId}, {@code syncTarget}). */
    public void attempt(Exchange exchange) {
        jdbc.update("""
                UPDATE esb.employee_sync_delivery SET attempts = attempts + 1, updated_at = now()
                 WHERE event_id = :eventId AND target = :target""", key(exchange));
    }

    /**
     * The target has applied the event: DONE with the id of the user / account there (property
     * {@code targetId}, null when there was nothing to do, e.g. no account to deactivate).
     */
    public void done(Exchange exchange) {
        jdbc.update("""
                UPDATE esb.employee_sync_delivery SET status = 'DONE', target_id = :targetId, last_error = NULL,
                       updated_at = now()
                 WHERE event_id = :eventId AND target = :target""",
                key(exchange).addValue("targetId", blankToNull(exchange.getProperty("targetId", String.class))));
    }

    /** An attempt failed and will be retried: keeps the (masked) reason. */
    public void failed(String eventId, String target, String error) {
        jdbc.update("""
                UPDATE esb.employee_sync_delivery SET last_error = :error, updated_at = now()
                 WHERE event_id = :eventId AND target = :target AND status NOT IN ('DONE', 'SUPERSEDED')""",
                new MapSqlParameterSource("eventId", eventId).addValue("target", target).addValue("error", clip(error)));
    }

    /** The delivery kept failing (or cannot succeed) and its message was parked. */
    public void parked(String eventId, String target, String error) {
        jdbc.update("""
                UPDATE esb.employee_sync_delivery SET status = 'PARKED', last_error = :error, updated_at = now()
                 WHERE event_id = :eventId AND target = :target AND status NOT IN ('DONE', 'SUPERSEDED')""",
                new MapSqlParameterSource("eventId", eventId).addValue("target", target).addValue("error", clip(error)));
    }

    /**
     * The completion of an event once every target is finished (DONE or SUPERSEDED): marks the event COMPLETED by
     * this target (property {@code syncTarget}) and returns the canonical {@link EmployeeSyncCompleted} as JSON to
     * the target that completed it - the first time, and on any later run of that target's message (a broker
     * redelivery after a crash, the retry lane, a replay), since the notice of the first run may have been lost with
     * it. Another target finishing at the same moment gets null (the row update decides). It is always the same for
     * the same event (the stored {@code completedAt}); the route sends it with the event id as Artemis duplicate id.
     * (It used to be returned again only to a message marked JMSRedelivered; after a kill of the ESB, or from the
     * retry lane, it was not, and the fault suite found an event without its notice.)
     *
     * @return null while any target is not finished, and to a target that did not complete the event
     */
    public String completion(Exchange exchange) {
        String eventId = exchange.getProperty("hrEventId", String.class);
        return tx.execute(status -> {
            MapSqlParameterSource params = new MapSqlParameterSource("eventId", eventId);
            List<Map<String, Object>> deliveries = jdbc.queryForList(
                    "SELECT target, status, target_id FROM esb.employee_sync_delivery WHERE event_id = :eventId", params);
            if (deliveries.isEmpty() || deliveries.stream().anyMatch(d -> !FINISHED.contains(d.get("status")))) {
                return null;
            }
            String target = exchange.getProperty("syncTarget", String.class);
            params.addValue("target", target);
            jdbc.update("""
                    UPDATE esb.employee_sync_event SET status = 'COMPLETED', completed_at = now(), completed_by = :target
                     WHERE event_id = :eventId AND status <> 'COMPLETED'""", params);
            Map<String, Object> event = jdbc.queryForMap("""
                    SELECT employee_id, event_type, completed_at, completed_by FROM esb.employee_sync_event
                     WHERE event_id = :eventId""", params);
            if (event.get("completed_by") != null && !event.get("completed_by").equals(target)) {
                return null;
            }
            Map<String, String> ids = new LinkedHashMap<>();
            deliveries.forEach(d -> ids.put((String) d.get("target"), (String) d.get("target_id")));
            EmployeeSyncCompleted completed = new EmployeeSyncCompleted(eventId,
                    EmployeeSyncCompleted.EventType.valueOf((String) event.get("event_type")),
                    (String) event.get("employee_id"),
                    new EmployeeSyncCompleted.Accounts(ids.get("ERP"), ids.get("OA"), ids.get("CRM")),
                    toOffsetDateTime(event.get("completed_at")));
            try {
                return json.writeValueAsString(completed);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Leaves whose end date has come (status SCHEDULED, due date today or earlier), oldest first, at most
     * {@code limit}: each as the exchange properties the dispatch needs ({@code hrEventId}, {@code hrEventType},
     * {@code employeeId}, {@code employee}, {@code correlationId}, {@code targets}).
     */
    public List<Map<String, Object>> dueEvents(int limit) {
        List<Map<String, Object>> due = new ArrayList<>();
        jdbc.queryForList("""
                SELECT event_id, event_type, employee_id, payload, correlation_id FROM esb.employee_sync_event
                 WHERE status = 'SCHEDULED' AND due_date <= current_date
                 ORDER BY due_date, received_at LIMIT :limit""", new MapSqlParameterSource("limit", limit))
                .forEach(row -> {
                    Map<String, Object> event = new LinkedHashMap<>();
                    event.put("hrEventId", row.get("event_id"));
                    event.put("hrEventType", row.get("event_type"));
                    event.put("employeeId", row.get("employee_id"));
                    event.put("employee", row.get("payload"));
                    event.put("correlationId", row.get("correlation_id"));
                    event.put("targets", String.join(",", pendingTargets((String) row.get("event_id"), true)));
                    due.add(event);
                });
        return due;
    }

    /** A scheduled event has been sent to its targets (property {@code hrEventId}). */
    public void dispatched(Exchange exchange) {
        jdbc.update("""
                UPDATE esb.employee_sync_event SET status = 'DISPATCHED', dispatched_at = now()
                 WHERE event_id = :eventId AND status = 'SCHEDULED'""",
                new MapSqlParameterSource("eventId", exchange.getProperty("hrEventId", String.class)));
    }

    /**
     * What happened to an employee's HR events, newest first, each with its per-target delivery status; empty when
     * the ESB has no event for the employee.
     */
    public List<Map<String, Object>> status(String employeeId) {
        MapSqlParameterSource params = new MapSqlParameterSource("employeeId", employeeId);
        List<Map<String, Object>> events = jdbc.queryForList("""
                SELECT event_id AS "eventId", event_type AS "eventType", effective_date::text AS "effectiveDate",
                       due_date::text AS "dueDate", status, received_at AS "receivedAt", dispatched_at AS "dispatchedAt",
                       completed_at AS "completedAt"
                  FROM esb.employee_sync_event WHERE employee_id = :employeeId
                 ORDER BY received_at DESC, event_id""", params);
        List<Map<String, Object>> deliveries = jdbc.queryForList("""
                SELECT d.event_id, d.target, d.status, d.target_id AS "targetId", d.attempts, d.last_error AS "lastError",
                       d.updated_at AS "updatedAt"
                  FROM esb.employee_sync_delivery d JOIN esb.employee_sync_event e ON e.event_id = d.event_id
                 WHERE e.employee_id = :employeeId
                 ORDER BY CASE d.target WHEN 'ERP' THEN 1 WHEN 'OA' THEN 2 ELSE 3 END""", params);
        List<Map<String, Object>> result = new ArrayList<>();
        for (Map<String, Object> event : events) {
            Map<String, Object> withTargets = new LinkedHashMap<>(event);
            withTargets.put("targets", deliveries.stream().filter(d -> event.get("eventId").equals(d.get("event_id")))
                    .map(d -> {
                        Map<String, Object> copy = new LinkedHashMap<>(d);
                        copy.remove("event_id");
                        return copy;
                    }).toList());
            result.add(withTargets);
        }
        return result;
    }

    private String eventStatus(String eventId) {
        return jdbc.queryForObject("SELECT status FROM esb.employee_sync_event WHERE event_id = :eventId",
                new MapSqlParameterSource("eventId", eventId), String.class);
    }

    /** The targets not finished: PENDING, and PARKED too when {@code withParked}. */
    private List<String> pendingTargets(String eventId, boolean withParked) {
        return jdbc.queryForList("""
                SELECT target FROM esb.employee_sync_delivery WHERE event_id = :eventId
                   AND (status = 'PENDING' OR (:withParked AND status = 'PARKED'))
                 ORDER BY CASE target WHEN 'ERP' THEN 1 WHEN 'OA' THEN 2 ELSE 3 END""",
                new MapSqlParameterSource("eventId", eventId).addValue("withParked", withParked), String.class);
    }

    private static MapSqlParameterSource key(Exchange exchange) {
        return new MapSqlParameterSource("eventId", exchange.getProperty("hrEventId", String.class))
                .addValue("target", exchange.getProperty("syncTarget", String.class));
    }

    private static List<String> targets(Object value) {
        if (value instanceof Collection<?> list) {
            return list.stream().map(Object::toString).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        return value == null ? List.of() : Arrays.stream(value.toString().split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String clip(String error) {
        String masked = PersonalDataMask.mask(error);
        return masked != null && masked.length() > ERROR_LENGTH ? masked.substring(0, ERROR_LENGTH) : masked;
    }

    private static OffsetDateTime toOffsetDateTime(Object value) {
        if (value instanceof OffsetDateTime odt) {
            return odt;
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant().atOffset(java.time.ZoneOffset.UTC);
        }
        throw new IllegalStateException("not a timestamp: " + value);
    }
}
