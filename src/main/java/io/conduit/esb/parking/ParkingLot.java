package io.conduit.esb.parking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The dead-letter store the ESB owns. Routes never call it themselves: the shared error policy
 * ({@code routes/error-policy.camel.yaml}) sends a message here once its redeliveries are exhausted, or at
 * once when retrying cannot help. The original payload, the headers worth keeping, the reason and the route
 * are stored so an operator can replay or discard the message later.
 * <p>
 * If the store itself cannot be written, the exception propagates: the consumer then does not acknowledge
 * the message (Kafka seeks back, JMS rolls back), so nothing is lost.
 */
@Component("parkingLot")
public class ParkingLot {

    private static final Logger LOG = LoggerFactory.getLogger(ParkingLot.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final MeterRegistry meters;

    public ParkingLot(JdbcTemplate jdbc, ObjectMapper json, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.json = json;
        this.meters = meters;
    }

    /** Parks the exchange's (original) message with the exception that made it fail. */
    public void park(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause == null) {
            cause = exchange.getException();
        }
        String routeId = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        if (routeId == null) {
            routeId = exchange.getFromRouteId();
        }
        String flow = flowOf(exchange, routeId);
        UUID id = UUID.randomUUID();
        Map<String, String> headers = keptHeaders(exchange);
        String reason = cause == null ? "unknown failure" : reasonOf(cause);

        jdbc.update("""
                INSERT INTO esb.parked_message (id, flow, route_id, failed_endpoint, reason, exception_type, payload, headers,
                                            event_id, correlation_id, business_key, attempts)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)""",
                id, flow, routeId, exchange.getProperty(Exchange.FAILURE_ENDPOINT, String.class), reason,
                cause == null ? "unknown" : cause.getClass().getName(),
                exchange.getMessage().getBody(String.class), toJson(headers),
                headers.get("ce_id"), headers.get("ce_correlationid"), businessKey(headers),
                exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class));

        meters.counter("esb.messages.parked", "flow", flow, "route", routeId).increment();
        LOG.warn("Parked message {} of flow {} (route {}, correlation {}): {}", id, flow, routeId,
                headers.get("ce_correlationid"), reason);
        exchange.getMessage().setHeader("EsbParkedMessageId", id.toString());
    }

    private static String flowOf(Exchange exchange, String routeId) {
        Route route = routeId == null ? null : exchange.getContext().getRoute(routeId);
        if (route != null && route.getGroup() != null) {
            return route.getGroup();
        }
        return routeId == null ? "unknown" : routeId.split("\\.")[0];
    }

    private static String reasonOf(Throwable cause) {
        String message = cause.getMessage();
        String text = cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return text.length() > 4000 ? text.substring(0, 4000) : text;
    }

    /** CloudEvents attributes, the Kafka key and correlation headers: what a replay needs, nothing transport-specific. */
    private static Map<String, String> keptHeaders(Exchange exchange) {
        Map<String, String> kept = new LinkedHashMap<>();
        exchange.getMessage().getHeaders().forEach((name, value) -> {
            if (value != null && (name.startsWith("ce_") || name.equals("kafka.KEY") || name.equals("kafka.TOPIC")
                    || name.equalsIgnoreCase("X-Correlation-Id"))) {
                kept.put(name, value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                        : value.toString());
            }
        });
        return kept;
    }

    private static String businessKey(Map<String, String> headers) {
        String subject = headers.get("ce_subject");
        return subject != null ? subject : headers.get("kafka.KEY");
    }

    private String toJson(Map<String, String> headers) {
        try {
            return json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
