package io.conduit.esb.sandbox.oa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Work tasks in {@code sandbox_oa.task}. */
public class OaTaskRepository {

    private static final String COLUMNS = """
            SELECT task_id, queue, priority, title, body, status, external_ref, jms_message_id, created_at, updated_at
            FROM sandbox_oa.task""";

    private final JdbcClient jdbc;
    private final ObjectMapper objectMapper;
    private final RowMapper<OaTask> rowMapper = this::map;

    public OaTaskRepository(DataSource dataSource, ObjectMapper objectMapper) {
        this.jdbc = JdbcClient.create(Objects.requireNonNull(dataSource, "dataSource"));
        this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
    }

    /**
     * Stores a task received as JMS message {@code jmsMessageId}; a redelivery of a message already stored is
     * ignored.
     *
     * @return the new task's id, empty for a redelivered message
     */
    public Optional<String> insert(TaskMessage message, int priority, String jmsMessageId) {
        return jdbc.sql("""
                        INSERT INTO sandbox_oa.task (queue, priority, title, body, external_ref, jms_message_id)
                        VALUES (:queue, :priority, :title, CAST(:body AS jsonb), :externalRef, :jmsMessageId)
                        ON CONFLICT (jms_message_id) DO NOTHING
                        RETURNING task_id""")
                .param("queue", message.queue())
                .param("priority", priority)
                .param("title", message.title())
                .param("body", message.body() == null ? null : json(message.body()))
                .param("externalRef", message.externalRef())
                .param("jmsMessageId", jmsMessageId)
                .query(String.class)
                .optional();
    }

    public Optional<OaTask> find(String taskId) {
        return jdbc.sql(COLUMNS + " WHERE task_id = :id").param("id", taskId).query(rowMapper).optional();
    }

    /** Tasks, each filter applied when not null, oldest first. */
    public List<OaTask> list(String queue, String externalRef, String status) {
        return jdbc.sql(COLUMNS + """
                         WHERE (CAST(:queue AS varchar) IS NULL OR queue = :queue)
                           AND (CAST(:externalRef AS varchar) IS NULL OR external_ref = :externalRef)
                           AND (CAST(:status AS varchar) IS NULL OR status = :status)
                        ORDER BY created_at, task_id""")
                .param("queue", queue)
                .param("externalRef", externalRef)
                .param("status", status)
                .query(rowMapper)
                .list();
    }

    /** @return false when there is no such task */
    public boolean updateStatus(String taskId, OaTask.Status status) {
        return jdbc.sql("UPDATE sandbox_oa.task SET status = :status, updated_at = now() WHERE task_id = :id")
                .param("status", status.name())
                .param("id", taskId)
                .update() > 0;
    }

    private OaTask map(ResultSet rs, int rowNum) throws SQLException {
        String body = rs.getString("body");
        return new OaTask(rs.getString("task_id"), rs.getString("queue"), rs.getInt("priority"), rs.getString("title"),
                body == null ? null : tree(body), rs.getString("status"), rs.getString("external_ref"),
                rs.getString("jms_message_id"), instant(rs, "created_at"), instant(rs, "updated_at"));
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

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
