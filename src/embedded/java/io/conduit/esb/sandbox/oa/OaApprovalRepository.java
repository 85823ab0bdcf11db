package io.conduit.esb.sandbox.oa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Approval tasks in {@code sandbox_oa.approval} and their notes (reminders, cancellations). Deciding a task is
 * {@link OaApprovalDecisionPublisher}'s: a decision is stored only together with its event.
 */
public class OaApprovalRepository {

    /** What a create did: the task, and whether this call made it (false: it was there already). */
    public record Created(OaApproval approval, boolean created) {
    }

    /** What a reminder or a cancellation did, and the task's status after it. */
    public record Action(String approvalId, String outcome, String status) {
    }

    public static final String REMINDED = "REMINDED";
    public static final String CANCELLED = "CANCELLED";
    public static final String DUPLICATE = "DUPLICATE";
    public static final String NOT_OPEN = "NOT_OPEN";

    static final String COLUMNS = """
            SELECT approval_id, reference, version, fingerprint, step, level, journey, approver_group, title, text,
                   data, due_at, status, decided_by, comment, quantity, decided_at, cancel_reason, created_at, updated_at
            FROM sandbox_oa.approval""";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper objectMapper;
    private final RowMapper<OaApproval> rowMapper = this::map;

    public OaApprovalRepository(DataSource dataSource, TransactionTemplate tx, ObjectMapper objectMapper) {
        this.jdbc = JdbcClient.create(Objects.requireNonNull(dataSource, "dataSource"));
        this.tx = Objects.requireNonNull(tx, "tx");
        this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
    }

    /**
     * The task for (reference, version, step, level): created, or - when a task with that key exists, whatever its
     * status - that task unchanged. A caller that repeats a create after a lost answer gets the same task.
     */
    public Created findOrCreate(OaApprovalRequest request) {
        Optional<String> id = jdbc.sql("""
                        INSERT INTO sandbox_oa.approval (reference, version, fingerprint, step, level, journey,
                               approver_group, title, text, data, due_at)
                        VALUES (:reference, :version, :fingerprint, :step, :level, :journey, :approverGroup, :title,
                               :text, CAST(:data AS jsonb), :dueAt)
                        ON CONFLICT (reference, version, step, level) DO NOTHING
                        RETURNING approval_id""")
                .param("reference", request.reference())
                .param("version", request.version())
                .param("fingerprint", request.fingerprint())
                .param("step", request.step())
                .param("level", request.level())
                .param("journey", request.journey())
                .param("approverGroup", request.approverGroup())
                .param("title", request.title())
                .param("text", request.text())
                .param("data", request.data() == null || request.data().isNull() ? null : json(request.data()))
                .param("dueAt", request.dueAt() == null ? null : Timestamp.from(request.dueAt()))
                .query(String.class)
                .optional();
        if (id.isPresent()) {
            return new Created(find(id.get()).orElseThrow(), true);
        }
        OaApproval existing = jdbc.sql(COLUMNS
                        + " WHERE reference = :reference AND version = :version AND step = :step AND level = :level")
                .param("reference", request.reference()).param("version", request.version())
                .param("step", request.step()).param("level", request.level())
                .query(rowMapper).single();
        return new Created(existing, false);
    }

    public Optional<OaApproval> find(String approvalId) {
        return jdbc.sql(COLUMNS + " WHERE approval_id = :id").param("id", approvalId).query(rowMapper).optional();
    }

    /** Tasks, each filter applied when not null, oldest first. */
    public List<OaApproval> list(String reference, String group, String status) {
        return jdbc.sql(COLUMNS + """
                         WHERE (CAST(:reference AS varchar) IS NULL OR reference = :reference)
                           AND (CAST(:group AS varchar) IS NULL OR approver_group = :group)
                           AND (CAST(:status AS varchar) IS NULL OR status = :status)
                        ORDER BY created_at, version, step, level, approval_id""")
                .param("reference", reference)
                .param("group", group)
                .param("status", status)
                .query(rowMapper)
                .list();
    }

    /** A note on a task: a reminder (with its number) or the cancellation (with the reason). */
    public record Note(long id, String kind, Integer number, String text, Instant createdAt) {
    }

    /** The task's notes, oldest first. */
    public List<Note> notes(String approvalId) {
        return jdbc.sql("""
                        SELECT id, kind, number, text, created_at FROM sandbox_oa.approval_note
                        WHERE approval_id = :id ORDER BY id""")
                .param("id", approvalId)
                .query((rs, n) -> new Note(rs.getLong("id"), rs.getString("kind"),
                        (Integer) rs.getObject("number"), rs.getString("text"), instant(rs, "created_at")))
                .list();
    }

    /**
     * Adds reminder {@code number} to an open task, once: the same number again is DUPLICATE (also after the task
     * was decided, so a repeated call answers as the first one did), a new number on a task that is no longer open
     * is NOT_OPEN.
     *
     * @return empty when there is no such task
     */
    public Optional<Action> remind(String approvalId, int number, String text) {
        return Optional.ofNullable(tx.execute(status -> {
            Optional<String> current = lock(approvalId);
            if (current.isEmpty()) {
                return null;
            }
            Integer notes = jdbc.sql("""
                            SELECT count(*) FROM sandbox_oa.approval_note
                            WHERE approval_id = :id AND kind = 'REMINDER' AND number = :number""")
                    .param("id", approvalId).param("number", number).query(Integer.class).single();
            if (notes > 0) {
                return new Action(approvalId, DUPLICATE, current.get());
            }
            if (!OaApproval.Status.OPEN.name().equals(current.get())) {
                return new Action(approvalId, NOT_OPEN, current.get());
            }
            jdbc.sql("""
                            INSERT INTO sandbox_oa.approval_note (approval_id, kind, number, text)
                            VALUES (:id, 'REMINDER', :number, :text)""")
                    .param("id", approvalId).param("number", number).param("text", text).update();
            jdbc.sql("UPDATE sandbox_oa.approval SET updated_at = now() WHERE approval_id = :id")
                    .param("id", approvalId).update();
            return new Action(approvalId, REMINDED, current.get());
        }));
    }

    /**
     * Cancels an open task (it can no longer be decided) with the reason as a note; a task no longer open (decided,
     * or cancelled before) is left alone: NOT_OPEN.
     *
     * @return empty when there is no such task
     */
    public Optional<Action> cancel(String approvalId, String reason) {
        return Optional.ofNullable(tx.execute(status -> {
            Optional<String> current = lock(approvalId);
            if (current.isEmpty()) {
                return null;
            }
            if (!OaApproval.Status.OPEN.name().equals(current.get())) {
                return new Action(approvalId, NOT_OPEN, current.get());
            }
            jdbc.sql("""
                            UPDATE sandbox_oa.approval SET status = 'CANCELLED', cancel_reason = :reason,
                                   updated_at = now() WHERE approval_id = :id""")
                    .param("id", approvalId).param("reason", reason).update();
            jdbc.sql("""
                            INSERT INTO sandbox_oa.approval_note (approval_id, kind, text)
                            VALUES (:id, 'CANCELLED', :text)""")
                    .param("id", approvalId).param("text", reason).update();
            return new Action(approvalId, CANCELLED, OaApproval.Status.CANCELLED.name());
        }));
    }

    /** The task's status, its row locked until the transaction ends: a decision and a cancel do not cross. */
    private Optional<String> lock(String approvalId) {
        return jdbc.sql("SELECT status FROM sandbox_oa.approval WHERE approval_id = :id FOR UPDATE")
                .param("id", approvalId).query(String.class).optional();
    }

    OaApproval map(ResultSet rs, int rowNum) throws SQLException {
        String data = rs.getString("data");
        return new OaApproval(rs.getString("approval_id"), rs.getString("reference"), rs.getInt("version"),
                rs.getString("fingerprint"), rs.getInt("step"), rs.getInt("level"), rs.getString("journey"),
                rs.getString("approver_group"), rs.getString("title"), rs.getString("text"),
                data == null ? null : tree(data), instant(rs, "due_at"), rs.getString("status"),
                rs.getString("decided_by"), rs.getString("comment"), rs.getBigDecimal("quantity"),
                instant(rs, "decided_at"), rs.getString("cancel_reason"), instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    private JsonNode tree(String json) {
        try {
            return objectMapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String json(JsonNode node) {
        try {
            return objectMapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
