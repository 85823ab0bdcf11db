package io.conduit.esb.approvals;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the approvals flow has in hand, read from its own tables (esb.approval, esb.approval_task,
 * esb.approval_journal): the open approvals with their current step, who has the task, its age and deadline; one
 * request's steps and journal. Read by {@code GET /api/v1/approvals} and the console's Approvals page.
 */
@Component
public class ApprovalsView {

    /** The journeys in the order the console shows them. */
    public static final List<String> JOURNEYS = List.of("PURCHASE_REQUISITION", "QUOTE_DISCOUNT", "BUSINESS_TRIP");

    static final int LIMIT = 500;

    private final NamedParameterJdbcTemplate jdbc;
    public ApprovalsView(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A request not finished: PENDING (its steps are being decided) or DECIDED (the decision is owed to the source).
     *
     * @param age      since the request (its current version) reached the ESB
     * @param dueAt    the open task's deadline (null once decided, or before its task is sent)
     * @param overdue  the deadline has passed
     * @param escalated the open task is the escalation (level 1) of the step
     */
    public record OpenApproval(String requestId, String journey, int version, String status, String title,
                               String requestedBy, String department, BigDecimal amount, String currency, int step,
                               int steps, String approverGroup, String taskId, String taskRef, Instant createdAt,
                               Duration age, Instant dueAt, boolean overdue, boolean reminded, boolean escalated,
                               boolean flagged) {
    }

    /** A journal line of a request. */
    public record JournalLine(Instant at, int version, Integer step, String kind, String detail) {
    }

    /** One request, whatever its status, with its journal (oldest first). */
    public record Approval(String requestId, String journey, int version, String status, String outcome, String reason,
                           String title, String department, BigDecimal amount, String currency, int step, int steps,
                           Instant createdAt, Instant decidedAt, Instant appliedAt, List<JournalLine> journal) {
    }

    /** The open approvals of one journey (null: all), oldest first, at most {@value #LIMIT}. */
    public List<OpenApproval> open(String journey, Instant now) {
        return jdbc.query("""
                SELECT a.request_id, a.journey, a.request_version, a.status, a.request->>'title' AS title,
                       a.request->>'requestedBy' AS requested_by, a.department, a.amount, a.currency, a.current_step,
                       jsonb_array_length(a.steps) AS steps, a.created_at, a.flagged,
                       t.approver_group, t.task_id, t.system_ref, t.due_at, t.reminded_at, t.escalation_level
                  FROM esb.approval a
                  LEFT JOIN LATERAL (
                       SELECT * FROM esb.approval_task t
                        WHERE t.request_id = a.request_id AND t.request_version = a.request_version
                          AND t.step = a.current_step AND t.closed_at IS NULL
                        ORDER BY t.escalation_level DESC LIMIT 1) t ON true
                 WHERE a.status IN ('PENDING', 'DECIDED') AND (CAST(:journey AS varchar) IS NULL OR a.journey = :journey)
                 ORDER BY a.created_at, a.request_id
                 LIMIT :limit""",
                new MapSqlParameterSource("journey", journey).addValue("limit", LIMIT), (rs, n) -> {
                    Instant created = instant(rs, "created_at");
                    Instant due = "PENDING".equals(rs.getString("status")) ? instant(rs, "due_at") : null;
                    return new OpenApproval(rs.getString("request_id"), rs.getString("journey"),
                            rs.getInt("request_version"), rs.getString("status"), rs.getString("title"),
                            rs.getString("requested_by"), rs.getString("department"), rs.getBigDecimal("amount"),
                            rs.getString("currency"), rs.getInt("current_step"), rs.getInt("steps"),
                            rs.getString("approver_group"), rs.getString("task_id"), rs.getString("system_ref"),
                            created, created == null ? Duration.ZERO : Duration.between(created, now), due,
                            due != null && due.isBefore(now), rs.getTimestamp("reminded_at") != null,
                            rs.getInt("escalation_level") > 0, rs.getBoolean("flagged"));
                });
    }

    public Optional<Approval> approval(String requestId) {
        MapSqlParameterSource id = new MapSqlParameterSource("id", requestId);
        List<JournalLine> journal = jdbc.query("""
                SELECT recorded_at, request_version, step, kind, detail FROM esb.approval_journal
                 WHERE request_id = :id ORDER BY id""", id, (rs, n) -> new JournalLine(instant(rs, "recorded_at"),
                rs.getInt("request_version"), (Integer) rs.getObject("step"), rs.getString("kind"),
                rs.getString("detail")));
        return jdbc.query("""
                SELECT request_id, journey, request_version, status, outcome, reason, request->>'title' AS title,
                       department, amount, currency, current_step, jsonb_array_length(steps) AS steps, created_at,
                       decided_at, applied_at
                  FROM esb.approval WHERE request_id = :id""", id, (rs, n) -> new Approval(rs.getString("request_id"),
                rs.getString("journey"), rs.getInt("request_version"), rs.getString("status"), rs.getString("outcome"),
                rs.getString("reason"), rs.getString("title"), rs.getString("department"), rs.getBigDecimal("amount"),
                rs.getString("currency"), rs.getInt("current_step"), rs.getInt("steps"), instant(rs, "created_at"),
                instant(rs, "decided_at"), instant(rs, "applied_at"), journal)).stream().findFirst();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }
}
