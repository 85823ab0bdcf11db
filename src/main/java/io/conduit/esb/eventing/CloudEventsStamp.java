package io.conduit.esb.eventing;

import io.conduit.esb.canonical.Envelope;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Puts the canonical envelope on a message as CloudEvents binary-mode headers ({@code ce_*}), so it travels
 * on Kafka beside the canonical payload. Routes call it in one step, e.g.
 * {@code bean: {ref: cloudEvents, method: "received(*, 'io.conduit.order.received', 'crm', ${header.orderId})"}}.
 * <p>
 * The correlation id is taken from the incoming event or the caller's {@code X-Correlation-Id} header, so a
 * business transaction keeps one correlation id across every hop; a new one is made only at the first hop.
 */
@Component("cloudEvents")
public class CloudEventsStamp {

    public static final String CORRELATION_HEADER = "X-Correlation-Id";

    /** Stamps the first canonical event of a business transaction, received from {@code source}. */
    public void received(Exchange exchange, String type, String source, String subject) {
        Message in = exchange.getMessage();
        String correlationId = in.getHeader(CORRELATION_HEADER, String.class);
        if (correlationId == null || correlationId.isBlank() || correlationId.length() > 128) {
            correlationId = UUID.randomUUID().toString();
        }
        stamp(in, new Envelope(UUID.randomUUID().toString(), correlationId, source, type, 1, now(), subject));
    }

    /** Stamps an event that follows from the one on the message (keeps its correlation id). */
    public void derived(Exchange exchange, String type, String subject) {
        Message in = exchange.getMessage();
        Envelope cause = Envelope.fromHeaders(in.getHeaders());
        String correlationId = cause.correlationId() != null ? cause.correlationId() : UUID.randomUUID().toString();
        stamp(in, new Envelope(UUID.randomUUID().toString(), correlationId, "conduit-esb", type, 1, now(), subject));
    }

    private static void stamp(Message message, Envelope envelope) {
        message.removeHeaders("ce_*");
        message.getHeaders().putAll(envelope.toCloudEventHeaders());
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
