package io.conduit.esb.sandbox.oa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.sandbox.SandboxProblems;
import jakarta.jms.TextMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;

import javax.sql.DataSource;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Decides an approval task through the OA's API and publishes the decision as a JSON event on the approval decision
 * queue ({@code esb.sandbox.oa.approval-decision-queue}, default {@code OA.APPROVAL.DECISIONS}):
 * {@code {"eventId","taskId","externalRef","requestVersion","fingerprint","step","escalationLevel","decision",
 * "quantity","comment","decidedBy","occurredAt"}} (adapters/oa/PORTS.md, inbound port oa.approval-decisions). As in
 * {@link OaTaskEventPublisher}, the decision, its row in {@code sandbox_oa.approval_event} and the JMS send are one
 * database transaction: a decision whose event could not be published is not stored either, so the OA never shows
 * a decision the ESB will not hear of.
 * <p>
 * Only an OPEN task can be decided (409 otherwise: decided, or cancelled because the request changed or was
 * withdrawn). REJECTED needs a comment, CHANGED a quantity above 0 and below the requested one (the task's
 * {@code data.quantity}); APPROVED is for the requested quantity (422 otherwise).
 */
public class OaApprovalDecisionPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(OaApprovalDecisionPublisher.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final JmsTemplate jms;
    private final String queue;
    private final OaApprovalRepository approvals;
    private final ObjectMapper objectMapper;
    private final Clock clock;

    public OaApprovalDecisionPublisher(DataSource dataSource, TransactionTemplate tx, JmsTemplate jms, String queue,
                                       OaApprovalRepository approvals, ObjectMapper objectMapper, Clock clock) {
        this.jdbc = JdbcClient.create(Objects.requireNonNull(dataSource, "dataSource"));
        this.tx = Objects.requireNonNull(tx, "tx");
        this.jms = Objects.requireNonNull(jms, "jms");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.approvals = Objects.requireNonNull(approvals, "approvals");
        this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String queue() {
        return queue;
    }

    /**
     * Stores the decision and publishes its event.
     *
     * @return the decided task
     * @throws ErrorResponseException 404 no such task, 409 not open, 422 a decision the task does not allow
     */
    public OaApproval decide(String approvalId, OaApproval.Decision decision, BigDecimal quantity, String comment,
                             String decidedBy) {
        tx.executeWithoutResult(status -> {
            OaApproval current = jdbc.sql(OaApprovalRepository.COLUMNS + " WHERE approval_id = :id FOR UPDATE")
                    .param("id", approvalId).query(approvals::map).optional()
                    .orElseThrow(() -> SandboxProblems.notFound("Approval", approvalId));
            if (!OaApproval.Status.OPEN.name().equals(current.status())) {
                ErrorResponseException conflict = SandboxProblems.conflict("Approval " + approvalId + " is "
                        + current.status() + ", not OPEN: it cannot be decided"
                        + (current.cancelReason() != null ? " (" + current.cancelReason() + ")" : ""));
                conflict.getBody().setProperty("approvalStatus", current.status());
                throw conflict;
            }
            BigDecimal decided = checked(current, decision, quantity, comment);
            // to the database's precision: the event says exactly when the OA shows the decision was made
            Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
            jdbc.sql("""
                            UPDATE sandbox_oa.approval SET status = :status, quantity = :quantity, comment = :comment,
                                   decided_by = :decidedBy, decided_at = :at, updated_at = now()
                            WHERE approval_id = :id""")
                    .param("status", decision.name()).param("quantity", decided).param("comment", comment)
                    .param("decidedBy", decidedBy).param("at", Timestamp.from(at)).param("id", approvalId).update();
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("eventId", "AD-" + UUID.randomUUID());
            event.put("taskId", approvalId);
            event.put("externalRef", current.reference());
            event.put("requestVersion", current.version());
            event.put("fingerprint", current.fingerprint());
            event.put("step", current.step());
            event.put("escalationLevel", current.level());
            event.put("decision", decision.name());
            event.put("quantity", plain(decided));
            event.put("comment", comment);
            event.put("decidedBy", decidedBy);
            event.put("occurredAt", at.toString());
            String json = json(event);
            jdbc.sql("""
                            INSERT INTO sandbox_oa.approval_event (event_id, approval_id, payload)
                            VALUES (:eventId, :id, CAST(:payload AS jsonb))""")
                    .param("eventId", event.get("eventId")).param("id", approvalId).param("payload", json).update();
            jms.send(queue, session -> {
                TextMessage message = session.createTextMessage(json);
                message.setJMSCorrelationID((String) event.get("eventId"));
                message.setStringProperty("eventType", "approval.decided");
                // lets a reader pick one request's decisions off the queue (a selector) without parsing every body
                message.setStringProperty("externalRef", current.reference());
                return message;
            });
            LOG.info("Sandbox OA published decision {} on approval {} (ref {} v{} step {} level {})", decision,
                    approvalId, current.reference(), current.version(), current.step(), current.level());
        });
        return approvals.find(approvalId).orElseThrow();
    }

    /** The decision events published for a task, oldest first. */
    public List<Map<String, Object>> events(String approvalId) {
        return jdbc.sql("""
                        SELECT payload::text AS payload FROM sandbox_oa.approval_event WHERE approval_id = :id
                        ORDER BY published_at""")
                .param("id", approvalId).query(String.class).list().stream().map(this::map).toList();
    }

    /** The quantity the decision stores: the requested one for APPROVED, the new one for CHANGED, none for REJECTED. */
    private static BigDecimal checked(OaApproval task, OaApproval.Decision decision, BigDecimal quantity,
                                      String comment) {
        JsonNode requestedNode = task.data() == null ? null : task.data().get("quantity");
        BigDecimal requested = requestedNode != null && requestedNode.isNumber() ? requestedNode.decimalValue()
                : requestedNode != null && requestedNode.isTextual() ? parse(requestedNode.asText()) : null;
        return switch (decision) {
            case REJECTED -> {
                if (comment == null || comment.isBlank()) {
                    throw unprocessable("A rejection needs a comment: the requester is told why");
                }
                yield null;
            }
            case APPROVED -> {
                if (quantity != null && (requested == null || quantity.compareTo(requested) != 0)) {
                    throw unprocessable("APPROVED is for the requested quantity (" + requested
                            + "); to approve " + quantity + " decide CHANGED");
                }
                yield requested;
            }
            case CHANGED -> {
                if (requested == null) {
                    throw unprocessable("Approval " + task.approvalId() + " has no requested quantity to change");
                }
                if (quantity == null || quantity.signum() <= 0 || quantity.compareTo(requested) >= 0) {
                    throw unprocessable("CHANGED needs a quantity above 0 and below the requested " + requested
                            + ", got " + quantity);
                }
                yield quantity;
            }
        };
    }

    private static BigDecimal parse(String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** 6.000 as 6, 100 as 100 (not 1E+2): the event carries the number as a person wrote it. */
    private static BigDecimal plain(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private static ErrorResponseException unprocessable(String detail) {
        return SandboxProblems.problem(HttpStatus.UNPROCESSABLE_ENTITY, "decision-refused", "Decision refused", detail);
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
}
