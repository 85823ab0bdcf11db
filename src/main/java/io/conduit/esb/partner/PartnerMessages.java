package io.conduit.esb.partner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.intake.ProblemException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The partner messages the ESB accepted ({@code esb.partner_message}) and their journey
 * ({@code esb.partner_message_step}, plus the deliveries of its canonical event that were parked, from
 * {@code esb.parked_message} by event id). Bean
 * {@code partnerMessages} of the partner intake routes:
 * <ul>
 *   <li>{@link #replay}: a request whose Idempotency-Key the partner used before gets the first answer again (same
 *       body) or 422 (different body), and nothing new is created;</li>
 *   <li>{@link #accepted}: after the canonical event is stored in Kafka, records the message with its first steps and
 *       answers 202 with the tracking id and Location;</li>
 *   <li>{@link #delivered}: a follow-up event (the ERP's order acknowledgement, the complaint's OA task) adds a
 *       DELIVERED step;</li>
 *   <li>{@link #status}: the status resource, for the partner that sent the message only (404 for anyone else).</li>
 * </ul>
 */
@Component("partnerMessages")
public class PartnerMessages {

    public static final String REPLAYED = "partnerReplayed";
    public static final String IDEMPOTENCY_KEY = "partnerIdempotencyKey";
    private static final String LOCATION_PREFIX = "/api/v1/partner/messages/";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    public PartnerMessages(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, ObjectMapper json) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactionManager);
        this.json = json;
    }

    private record Stored(String trackingId, String bodySha256, String response) { }

    /** Sets property {@value #REPLAYED} to true and the first answer as the response when the key was used before. */
    public void replay(Exchange exchange) {
        exchange.setProperty(REPLAYED, false);
        String key = idempotencyKey(exchange);
        if (key == null) {
            return;
        }
        exchange.setProperty(IDEMPOTENCY_KEY, key);
        String partnerId = exchange.getProperty(PartnerGate.PARTNER_ID, String.class);
        Optional<Stored> first = find(partnerId, key);
        if (first.isPresent()) {
            answer(exchange, first.get());
            exchange.setProperty(REPLAYED, true);
        }
    }

    /**
     * The canonical event is in Kafka: record the message, its RECEIVED, VALIDATED and PUBLISHED steps, and answer
     * 202. Two requests racing with one Idempotency-Key: the second finds the first's row and gets its answer (its
     * own Kafka event is a duplicate of the same business key, which the delivery routes already ignore).
     */
    public void accepted(Exchange exchange, String messageType, String businessKey, String topic) {
        Message msg = exchange.getMessage();
        String partnerId = exchange.getProperty(PartnerGate.PARTNER_ID, String.class);
        String trackingId = exchange.getProperty(PartnerGate.TRACKING_ID, String.class);
        String bodySha256 = exchange.getProperty(PartnerGate.BODY_SHA256, String.class);
        Instant receivedAt = exchange.getProperty(PartnerGate.RECEIVED_AT, Instant.class);
        java.util.Date validated = exchange.getProperty("partnerValidatedAt", java.util.Date.class);
        Instant validatedAt = validated != null ? validated.toInstant() : Instant.now();
        String key = exchange.getProperty(IDEMPOTENCY_KEY, String.class);
        String eventId = msg.getHeader("ce_id", String.class);
        String correlationId = msg.getHeader("ce_correlationid", String.class);
        ObjectNode response = json.createObjectNode()
                .put("trackingId", trackingId)
                .put("status", "ACCEPTED")
                .put("messageType", messageType)
                .put("businessKey", businessKey)
                .put("eventId", eventId)
                .put("correlationId", correlationId);
        Stored stored = tx.execute(status -> {
            int inserted = jdbc.update("insert into esb.partner_message (tracking_id, partner_id, message_type, business_key,"
                            + " idempotency_key, body_sha256, event_id, correlation_id, response_body, received_at)"
                            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (partner_id, idempotency_key) do nothing",
                    UUID.fromString(trackingId), partnerId, messageType, businessKey, key, bodySha256, eventId,
                    correlationId, response.toString(), Timestamp.from(receivedAt));
            if (inserted == 0) {
                return find(partnerId, key).orElseThrow(() -> new IllegalStateException("message " + trackingId + " not stored"));
            }
            step(trackingId, "RECEIVED", receivedAt, null, null, "from partner " + partnerId);
            step(trackingId, "VALIDATED", validatedAt, null, null,
                    "valid " + messageType + ", mapped to the canonical model");
            step(trackingId, "PUBLISHED", Instant.now(), "KAFKA", eventId, "stored in " + topic);
            return new Stored(trackingId, bodySha256, response.toString());
        });
        answer(exchange, stored);
    }

    /**
     * A follow-up event of a partner's message reached a system: a DELIVERED step (once per system and reference) on
     * the message with the event's business key and correlation id.
     * {@code kind} is {@code order-ack} (canonical OrderAcknowledgement: ERP order number) or {@code complaint-status}
     * (canonical ComplaintStatusUpdate: the OA department queue the task went to).
     */
    public void delivered(String kind, String event, String correlationId) throws IOException {
        JsonNode json = this.json.readTree(event);
        String messageType;
        String system;
        String businessKey;
        String reference;
        String detail;
        if (kind.equals("order-ack")) {
            messageType = "order";
            system = "ERP";
            businessKey = json.path("orderId").asText();
            reference = json.path("erpOrderNumber").asText(null);
            detail = "ERP sales order, status " + json.path("status").asText() + " (" + json.path("outcome").asText() + ")";
        } else {
            messageType = "complaint";
            system = "OA";
            businessKey = json.path("complaintId").asText();
            reference = json.path("queue").asText(null);
            detail = "task for department " + json.path("department").asText() + ", status " + json.path("status").asText();
        }
        if (reference == null) {
            return;
        }
        // the follow-up event keeps the correlation id of the message it follows from, so a later revision of the
        // same order (its own POST, its own correlation id) does not show an earlier revision's delivery
        int recorded = jdbc.update("insert into esb.partner_message_step (tracking_id, step, system, reference, detail)"
                        + " select tracking_id, 'DELIVERED', ?, ?, ? from esb.partner_message where message_type = ? and business_key = ?"
                        + " and (cast(? as varchar) is null or correlation_id = ?) on conflict do nothing",
                system, reference, detail, messageType, businessKey, correlationId, correlationId);
        // The intake records a partner's message once Kafka has stored its event, so the ERP's acknowledgement can
        // arrive here first (10 ms later in CI, where the partner's status then stayed PUBLISHED): an acknowledgement
        // of a registered partner's order with no message to go on yet fails, and the error policy delivers it again
        // (then the retry lane, then the parking lot), instead of the delivery being dropped.
        String source = json.path("source").asText(null);
        if (recorded == 0 && source != null && Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from esb.partner where partner_id = ?) and not exists (select 1 from"
                        + " esb.partner_message where message_type = ? and business_key = ?"
                        + " and (cast(? as varchar) is null or correlation_id = ?))",
                Boolean.class, source, messageType, businessKey, correlationId, correlationId))) {
            throw new IllegalStateException("The " + kind + " of " + businessKey + " (partner " + source
                    + ") arrived before the intake recorded the partner's message; delivered again later");
        }
    }

    /** The status resource of one message, only for the partner that sent it. */
    public String status(Exchange exchange, String trackingId) {
        String partnerId = exchange.getProperty(PartnerGate.PARTNER_ID, String.class);
        UUID id;
        try {
            id = UUID.fromString(trackingId);
        } catch (IllegalArgumentException e) {
            throw notFound(trackingId);
        }
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select tracking_id, message_type, business_key, event_id, correlation_id, received_at from esb.partner_message"
                        + " where tracking_id = ? and partner_id = ?", id, partnerId);
        if (rows.isEmpty()) {
            throw notFound(trackingId);
        }
        Map<String, Object> row = rows.get(0);
        ObjectNode status = json.createObjectNode()
                .put("trackingId", trackingId)
                .put("messageType", (String) row.get("message_type"))
                .put("businessKey", (String) row.get("business_key"))
                .put("correlationId", (String) row.get("correlation_id"))
                .put("receivedAt", ((Timestamp) row.get("received_at")).toInstant().toString());
        ArrayNode journey = status.putArray("journey");
        String current = "RECEIVED";
        for (Map<String, Object> step : jdbc.queryForList(
                "select step, at, system, reference, detail from esb.partner_message_step where tracking_id = ?"
                        + " union all select 'PARKED', parked_at, flow, route_id, reason from esb.parked_message"
                        + " where event_id = ? and status = 'PARKED'"
                        + " order by at", id, row.get("event_id"))) {
            ObjectNode entry = journey.addObject()
                    .put("step", (String) step.get("step"))
                    .put("at", ((Timestamp) step.get("at")).toInstant().toString());
            putIfPresent(entry, "system", step.get("system"));
            putIfPresent(entry, "reference", step.get("reference"));
            putIfPresent(entry, "detail", step.get("detail"));
            current = (String) step.get("step");
        }
        status.put("status", current);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return status.toString();
    }

    private void step(String trackingId, String step, Instant at, String system, String reference, String detail) {
        jdbc.update("insert into esb.partner_message_step (tracking_id, step, at, system, reference, detail) values (?, ?, ?, ?, ?, ?)",
                UUID.fromString(trackingId), step, Timestamp.from(at), system, reference, detail);
    }

    private Optional<Stored> find(String partnerId, String key) {
        return jdbc.query("select tracking_id, body_sha256, response_body from esb.partner_message where partner_id = ? and idempotency_key = ?",
                (rs, i) -> new Stored(rs.getString(1), rs.getString(2), rs.getString(3)), partnerId, key).stream().findFirst();
    }

    private void answer(Exchange exchange, Stored stored) {
        String bodySha256 = exchange.getProperty(PartnerGate.BODY_SHA256, String.class);
        if (!stored.bodySha256().equals(bodySha256)) {
            throw new ProblemException(422, "urn:conduit:problem:idempotency-key-reused", "Idempotency-Key reused",
                    "This Idempotency-Key was already used for a different request body (message " + stored.trackingId() + ")");
        }
        Message msg = exchange.getMessage();
        msg.removeHeaders("*");
        msg.setBody(stored.response());
        msg.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        msg.setHeader(Exchange.CONTENT_TYPE, "application/json");
        msg.setHeader("Location", LOCATION_PREFIX + stored.trackingId());
    }

    private static String idempotencyKey(Exchange exchange) {
        String key = exchange.getMessage().getHeader("Idempotency-Key", String.class);
        if (key == null || key.isBlank()) {
            return null;
        }
        if (key.length() > 128) {
            throw new ProblemException(400, "urn:conduit:problem:invalid-header", "Invalid Idempotency-Key",
                    "Idempotency-Key has at most 128 characters");
        }
        return key.trim();
    }

    private static ProblemException notFound(String trackingId) {
        return new ProblemException(404, "urn:conduit:problem:not-found", "Message not found",
                "No message with this tracking id is known among yours");
    }

    private static void putIfPresent(ObjectNode node, String name, Object value) {
        if (value != null) {
            node.put(name, value.toString());
        }
    }
}
