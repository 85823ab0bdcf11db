package io.conduit.esb.sandbox.oa;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The sandbox OA's business trip requests ({@code sandbox_oa.trip_request}) and attendance absences
 * ({@code sandbox_oa.absence}), migration V5. What a person does (submit, change, cancel) and what the OA answers an
 * integration (the change feed, applying a decision, recording and removing an absence) are both here; every write
 * that an integration repeats is idempotent by its key (the decision id, the trip), checked under a row lock.
 * Rows are answered with the OA's own field names (snake_case), dates as {@code YYYY-MM-DD}, times as ISO-8601 UTC.
 */
public class OaTripRepository {

    public static final String APPLIED = "APPLIED";
    public static final String DUPLICATE = "DUPLICATE";
    public static final String STALE = "STALE";
    public static final String NOT_PENDING = "NOT_PENDING";
    public static final String RECORDED = "RECORDED";
    public static final String REMOVED = "REMOVED";
    public static final String NOT_RECORDED = "NOT_RECORDED";
    public static final String ALREADY_REMOVED = "ALREADY_REMOVED";

    static final String TRIP_COLUMNS = """
            SELECT trip_id, revision, employee_no, employee_name, department, cost_centre, city, country, purpose,
                   to_char(start_date, 'YYYY-MM-DD') AS start_date, to_char(end_date, 'YYYY-MM-DD') AS end_date,
                   transport, CAST(estimated_cost AS text) AS estimated_cost, CAST(advance AS text) AS advance, currency,
                   status, decision_id, decision_revision, decided_by, decision_comment,
                   to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS decided_at,
                   cancel_reason, to_char(cancelled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS cancelled_at,
                   to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS submitted_at,
                   to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at, chg_no
            FROM sandbox_oa.trip_request""";

    static final String ABSENCE_COLUMNS = """
            SELECT absence_id, trip_ref, type, employee_no, to_char(from_date, 'YYYY-MM-DD') AS from_date,
                   to_char(to_date, 'YYYY-MM-DD') AS to_date, decision_id, status,
                   to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
                   remove_reason, to_char(removed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS removed_at
            FROM sandbox_oa.absence""";

    /** What the trip asks; on a change, null keeps the current value. */
    public record Trip(String employeeNo, String employeeName, String department, String costCentre, String city,
                       String country, String purpose, LocalDate startDate, LocalDate endDate, String transport,
                       BigDecimal estimatedCost, BigDecimal advance, String currency) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    public OaTripRepository(DataSource dataSource, TransactionTemplate tx) {
        this.jdbc = JdbcClient.create(Objects.requireNonNull(dataSource, "dataSource"));
        this.tx = Objects.requireNonNull(tx, "tx");
    }

    /** A new trip request, SUBMITTED at revision 1; its row. */
    public Map<String, Object> submit(Trip trip) {
        String id = jdbc.sql("""
                        INSERT INTO sandbox_oa.trip_request (employee_no, employee_name, department, cost_centre, city,
                               country, purpose, start_date, end_date, transport, estimated_cost, advance, currency)
                        VALUES (:employeeNo, :employeeName, :department, :costCentre, :city, :country, :purpose,
                               :startDate, :endDate, :transport, :estimatedCost, coalesce(:advance, 0),
                               coalesce(:currency, 'EUR'))
                        RETURNING trip_id""")
                .paramSource(trip)
                .query(String.class).single();
        return find(id).orElseThrow();
    }

    /**
     * Changes a SUBMITTED trip (what differs is a new revision); the number of rows changed: 0 when the trip is not
     * SUBMITTED (or unknown).
     */
    public int change(String tripId, Trip change) {
        return jdbc.sql("""
                        UPDATE sandbox_oa.trip_request SET employee_name = coalesce(:employeeName, employee_name),
                            department = coalesce(:department, department), cost_centre = coalesce(:costCentre, cost_centre),
                            city = coalesce(:city, city), country = coalesce(:country, country),
                            purpose = coalesce(:purpose, purpose), start_date = coalesce(:startDate, start_date),
                            end_date = coalesce(:endDate, end_date), transport = coalesce(:transport, transport),
                            estimated_cost = coalesce(:estimatedCost, estimated_cost), advance = coalesce(:advance, advance),
                            currency = coalesce(:currency, currency)
                        WHERE trip_id = :tripId AND status = 'SUBMITTED'""")
                .paramSource(new org.springframework.jdbc.core.namedparam.MapSqlParameterSource(params(change))
                        .addValue("tripId", tripId))
                .update();
    }

    /** Cancels a SUBMITTED or APPROVED trip; the rows changed (0: unknown, rejected or cancelled before). */
    public int cancel(String tripId, String reason) {
        return jdbc.sql("""
                        UPDATE sandbox_oa.trip_request SET status = 'CANCELLED', cancel_reason = :reason, cancelled_at = now()
                        WHERE trip_id = :tripId AND status IN ('SUBMITTED', 'APPROVED')""")
                .param("tripId", tripId).param("reason", reason)
                .update();
    }

    /** The trip's fields as named parameters (a null: keep the value). */
    private static Map<String, Object> params(Trip trip) {
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("employeeNo", trip.employeeNo());
        params.put("employeeName", trip.employeeName());
        params.put("department", trip.department());
        params.put("costCentre", trip.costCentre());
        params.put("city", trip.city());
        params.put("country", trip.country());
        params.put("purpose", trip.purpose());
        params.put("startDate", trip.startDate());
        params.put("endDate", trip.endDate());
        params.put("transport", trip.transport());
        params.put("estimatedCost", trip.estimatedCost());
        params.put("advance", trip.advance());
        params.put("currency", trip.currency());
        return params;
    }

    public Optional<Map<String, Object>> find(String tripId) {
        return jdbc.sql(TRIP_COLUMNS + " WHERE trip_id = :id").param("id", tripId).query().listOfRows().stream()
                .findFirst();
    }

    /** Trips, each filter applied when not null, oldest first. */
    public List<Map<String, Object>> list(String employeeNo, String status) {
        return jdbc.sql(TRIP_COLUMNS + """
                         WHERE (CAST(:employeeNo AS varchar) IS NULL OR employee_no = :employeeNo)
                           AND (CAST(:status AS varchar) IS NULL OR status = :status)
                        ORDER BY submitted_at, trip_id""")
                .param("employeeNo", employeeNo).param("status", status)
                .query().listOfRows();
    }

    /**
     * The change feed: the trips written by transactions in [after, horizon), each once as it is now, in the order
     * written, and the horizon (the oldest transaction still running, never below {@code after}). A row is read once
     * its writing transaction is below the horizon, so it is committed and no later commit can appear below it.
     */
    public Map<String, Object> changes(long after) {
        long now = jdbc.sql("SELECT CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text) AS bigint)")
                .query(Long.class).single();
        long horizon = Math.max(after, now);
        List<Map<String, Object>> trips = horizon == after ? List.of() : jdbc.sql(TRIP_COLUMNS
                        + " WHERE chg_txid >= :after AND chg_txid < :horizon ORDER BY chg_no")
                .param("after", after).param("horizon", horizon)
                .query().listOfRows();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("horizon", horizon);
        answer.put("trips", trips);
        return answer;
    }

    /** What a decision did: the outcome and the trip after it. */
    public record Decided(String outcome, int requestRevision, Map<String, Object> trip) {
    }

    /**
     * Applies an approval decision (APPROVED or REJECTED) to the revision it was made for, once: the same decision id
     * again is DUPLICATE; a trip no longer SUBMITTED (cancelled, decided otherwise) NOT_PENDING, which wins over a
     * revision that moved (STALE): it will not wait again.
     *
     * @return empty when there is no such trip
     */
    public Optional<Decided> decide(String tripId, String decisionId, int revision, String status, String decidedBy,
                                    String comment) {
        return Optional.ofNullable(tx.execute(s -> {
            Optional<Map<String, Object>> held = jdbc.sql("""
                            SELECT revision, status, decision_id FROM sandbox_oa.trip_request
                            WHERE trip_id = :id FOR UPDATE""")
                    .param("id", tripId).query().listOfRows().stream().findFirst();
            if (held.isEmpty()) {
                return null;
            }
            String outcome;
            if (decisionId.equals(held.get().get("decision_id"))) {
                outcome = DUPLICATE;
            } else if (!"SUBMITTED".equals(held.get().get("status"))) {
                outcome = NOT_PENDING;
            } else if (((Number) held.get().get("revision")).intValue() != revision) {
                outcome = STALE;
            } else {
                jdbc.sql("""
                                UPDATE sandbox_oa.trip_request SET status = :status, decision_id = :decisionId,
                                    decision_revision = revision, decided_by = :decidedBy, decision_comment = :comment,
                                    decided_at = now()
                                WHERE trip_id = :id AND revision = :revision AND status = 'SUBMITTED'""")
                        .param("status", status).param("decisionId", decisionId).param("decidedBy", decidedBy)
                        .param("comment", comment).param("id", tripId).param("revision", revision)
                        .update();
                outcome = APPLIED;
            }
            return new Decided(outcome, revision, find(tripId).orElseThrow());
        }));
    }

    /** What an absence call did: the outcome and the trip's absence after it. */
    public record AbsenceAction(String outcome, Map<String, Object> absence) {
    }

    /**
     * Records the trip's absence once: RECORDED (new), DUPLICATE (recorded before, whatever its status now),
     * ALREADY_REMOVED (the trip's absence was removed before anything was recorded: nothing is recorded now either).
     */
    public AbsenceAction record(String tripRef, String employeeNo, LocalDate from, LocalDate to, String decisionId) {
        return tx.execute(s -> {
            int inserted = jdbc.sql("""
                            INSERT INTO sandbox_oa.absence (trip_ref, employee_no, from_date, to_date, decision_id,
                                   status, recorded_at)
                            VALUES (:tripRef, :employeeNo, :from, :to, :decisionId, 'RECORDED', now())
                            ON CONFLICT (trip_ref) DO NOTHING""")
                    .param("tripRef", tripRef).param("employeeNo", employeeNo).param("from", from).param("to", to)
                    .param("decisionId", decisionId)
                    .update();
            Map<String, Object> absence = absence(tripRef).orElseThrow();
            String outcome = inserted == 1 ? RECORDED : absence.get("recorded_at") == null ? ALREADY_REMOVED : DUPLICATE;
            return new AbsenceAction(outcome, absence);
        });
    }

    /**
     * Removes the trip's absence (kept, marked REMOVED): REMOVED (it was recorded), DUPLICATE (removed before),
     * NOT_RECORDED (nothing was recorded: the removal is kept, so a late recording records nothing).
     */
    public AbsenceAction remove(String tripRef, String reason) {
        return tx.execute(s -> {
            int inserted = jdbc.sql("""
                            INSERT INTO sandbox_oa.absence (trip_ref, status, remove_reason, removed_at)
                            VALUES (:tripRef, 'REMOVED', :reason, now())
                            ON CONFLICT (trip_ref) DO NOTHING""")
                    .param("tripRef", tripRef).param("reason", reason)
                    .update();
            if (inserted == 1) {
                return new AbsenceAction(NOT_RECORDED, absence(tripRef).orElseThrow());
            }
            int removed = jdbc.sql("""
                            UPDATE sandbox_oa.absence SET status = 'REMOVED', remove_reason = :reason, removed_at = now(),
                                updated_at = now()
                            WHERE trip_ref = :tripRef AND status = 'RECORDED'""")
                    .param("tripRef", tripRef).param("reason", reason)
                    .update();
            return new AbsenceAction(removed == 1 ? REMOVED : DUPLICATE, absence(tripRef).orElseThrow());
        });
    }

    public Optional<Map<String, Object>> absence(String tripRef) {
        return jdbc.sql(ABSENCE_COLUMNS + " WHERE trip_ref = :tripRef").param("tripRef", tripRef).query().listOfRows()
                .stream().findFirst();
    }

    /** Absences, each filter applied when not null, by start. */
    public List<Map<String, Object>> absences(String employeeNo, String status) {
        return jdbc.sql(ABSENCE_COLUMNS + """
                         WHERE (CAST(:employeeNo AS varchar) IS NULL OR employee_no = :employeeNo)
                           AND (CAST(:status AS varchar) IS NULL OR status = :status)
                        ORDER BY from_date NULLS LAST, absence_id""")
                .param("employeeNo", employeeNo).param("status", status)
                .query().listOfRows();
    }
}
