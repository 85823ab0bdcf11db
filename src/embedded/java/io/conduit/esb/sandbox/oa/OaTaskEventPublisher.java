package io.conduit.esb.sandbox.oa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.sandbox.SandboxProblems;
import jakarta.jms.TextMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Changes a task through the OA's API (status, assignee, resolution) and publishes what happened as a JSON event on
 * the task event queue ({@code esb.sandbox.oa.task-event-queue}, default {@code OA.TASK.EVENTS}):
 * {@code {"eventId","eventType","taskId","queue","externalRef","status","assignee","resolution","occurredAt"}} with
 * {@code eventType} {@code task.assigned} (a new assignee, status unchanged) or {@code task.status_changed}. The event
 * is stored in {@code sandbox_oa.task_event} and sent inside the database transaction, so a change whose event could
 * not be published is not stored either.
 */
public class OaTaskEventPublisher {

    public static final String ASSIGNED = "task.assigned";
    public static final String STATUS_CHANGED = "task.status_changed";

    private static final Logger LOG = LoggerFactory.getLogger(OaTaskEventPublisher.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final JmsTemplate jms;
    private final String queue;
    private final ObjectMapper objectMapper;
    private final Clock clock;

    public OaTaskEventPublisher(DataSource dataSource, TransactionTemplate tx, JmsTemplate jms, String queue,
                                ObjectMapper objectMapper, Clock clock) {
        this.jdbc = JdbcClient.create(Objects.requireNonNull(dataSource, "dataSource"));
        this.tx = Objects.requireNonNull(tx, "tx");
        this.jms = Objects.requireNonNull(jms, "jms");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Applies the change (a null argument keeps the current value) and publishes its event.
     *
     * @return false when there is no such task
     */
    public boolean change(String taskId, OaTask.Status status, String assignee, String resolution) {
        Boolean found = tx.execute(txStatus -> {
            List<Map<String, Object>> rows = jdbc.sql("""
                            SELECT task_id, queue, external_ref, status, assignee, resolution FROM sandbox_oa.task
                            WHERE task_id = :id FOR UPDATE""")
                    .param("id", taskId).query().listOfRows();
            if (rows.isEmpty()) {
                return false;
            }
            Map<String, Object> current = rows.get(0);
            String newStatus = status != null ? status.name() : (String) current.get("status");
            String newAssignee = assignee != null ? assignee : (String) current.get("assignee");
            String newResolution = resolution != null ? resolution : (String) current.get("resolution");
            jdbc.sql("""
                            UPDATE sandbox_oa.task SET status = :status, assignee = :assignee, resolution = :resolution,
                                   updated_at = now() WHERE task_id = :id""")
                    .param("status", newStatus).param("assignee", newAssignee).param("resolution", newResolution)
                    .param("id", taskId).update();
            boolean statusChanged = !newStatus.equals(current.get("status"));
            String type = !statusChanged && assignee != null ? ASSIGNED : STATUS_CHANGED;
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("eventId", "TE-" + UUID.randomUUID());
            event.put("eventType", type);
            event.put("taskId", taskId);
            event.put("queue", current.get("queue"));
            event.put("externalRef", current.get("external_ref"));
            event.put("status", newStatus);
            event.put("assignee", newAssignee);
            event.put("resolution", newResolution);
            event.put("occurredAt", clock.instant().toString());
            String json = json(event);
            jdbc.sql("""
                            INSERT INTO sandbox_oa.task_event (event_id, task_id, event_type, payload)
                            VALUES (:eventId, :taskId, :type, CAST(:payload AS jsonb))""")
                    .param("eventId", event.get("eventId")).param("taskId", taskId).param("type", type)
                    .param("payload", json).update();
            jms.send(queue, session -> {
                TextMessage message = session.createTextMessage(json);
                message.setJMSCorrelationID((String) event.get("eventId"));
                message.setStringProperty("eventType", type);
                return message;
            });
            LOG.info("Sandbox OA published {} for task {} ({}, ref {})", type, taskId, newStatus,
                    current.get("external_ref"));
            return true;
        });
        return Boolean.TRUE.equals(found);
    }

    /** The events published for a task, oldest first. */
    public List<Map<String, Object>> events(String taskId) {
        return jdbc.sql("SELECT payload::text AS payload FROM sandbox_oa.task_event WHERE task_id = :id ORDER BY published_at")
                .param("id", taskId).query(String.class).list().stream().map(this::map).toList();
    }

    private Map<String, Object> map(String json) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> value = objectMapper.readValue(json, Map.class);
            return value;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String json(Object value) {
        try {
            return objectMapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RuntimeException notFound(String taskId) {
        return SandboxProblems.notFound("Task", taskId);
    }
}
