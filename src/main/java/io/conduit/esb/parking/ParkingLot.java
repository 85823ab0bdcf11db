package io.conduit.esb.parking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.journal.Hop;
import io.conduit.esb.journal.HopRecorder;
import io.conduit.esb.journal.Journal;
import io.conduit.esb.journal.JournalEntry;
import io.conduit.esb.ops.SystemCallGuard;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The dead-letter store the ESB owns. Routes never call it themselves: the shared error policy
 * ({@code routes/error-policy.camel.yaml}) sends a message here once its redeliveries are exhausted, or at
 * once when retrying cannot help. The original payload, the headers worth keeping ({@code esb.replay.kept-headers}),
 * the reason, the failing route and the route whose consumer received the message are stored so an operator can
 * replay ({@link ReplayService}) or discard the message later. The PARKED hop goes to the journal.
 * <p>
 * If the store itself cannot be written, the exception propagates: the consumer then does not acknowledge
 * the message (Kafka seeks back, JMS rolls back), so nothing is lost.
 */
@Component("parkingLot")
public class ParkingLot {

    /** exchange property set by a replay: the parked message being replayed (a new park links to it) */
    public static final String REPLAY_OF = "EsbReplayOf";
    /** exchange property and header set here: the id of the parked message */
    public static final String PARKED_ID = "EsbParkedMessageId";

    private static final Logger LOG = LoggerFactory.getLogger(ParkingLot.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Journal journal;
    private final ReplayProperties settings;
    private final RetryLane retryLane;
    private final TransactionTemplate transactions;

    public ParkingLot(JdbcTemplate jdbc, ObjectMapper json, MeterRegistry meters, Journal journal,
                      ReplayProperties settings, RetryLane retryLane, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.json = json;
        this.meters = meters;
        this.journal = journal;
        this.settings = settings;
        this.retryLane = retryLane;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** What failed: the (original) message, where, and why. */
    record Failure(String flow, String routeId, String fromRouteId, String failedEndpoint, String reason,
                   String exceptionType, String payload, Map<String, String> headers) {
    }

    private Failure failureOf(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause == null) {
            cause = exchange.getException();
        }
        String routeId = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        String fromRouteId = exchange.getFromRouteId();
        if (routeId == null) {
            routeId = fromRouteId;
        }
        if (fromRouteId == null) {
            fromRouteId = routeId;
        }
        String flow = flowOf(exchange, fromRouteId != null ? fromRouteId : routeId);
        // PostgreSQL text cannot hold NUL: such a message (refused anyway) is kept with U+FFFD in its place,
        // rather than failing to park and coming back from the broker for ever
        return new Failure(flow, routeId == null ? "unknown" : routeId, fromRouteId == null ? "unknown" : fromRouteId,
                exchange.getProperty(Exchange.FAILURE_ENDPOINT, String.class),
                storable(cause == null ? "unknown failure" : reasonOf(cause)),
                cause == null ? "unknown" : cause.getClass().getName(),
                storable(exchange.getMessage().getBody(String.class)), keptHeaders(exchange));
    }

    /** Attempts made by this delivery: the first and the error policy's redeliveries. */
    private static int attemptsOf(Exchange exchange) {
        return 1 + exchange.getProperty(RedeliveryMeter.REDELIVERIES, 0, Integer.class);
    }

    /**
     * The delivery failed for a reason that may pass and the error policy's brief redeliveries ran out: the message
     * waits in the {@link RetryLane} for its next round and the consumer goes on. A message the lane was running is
     * scheduled again, or parked once it has waited longer than {@code esb.retry.give-up-after}. An operator's replay
     * (and everything, when the lane is off) is parked as before.
     */
    public void retryLater(Exchange exchange) {
        String laneId = exchange.getProperty(RetryLane.RETRY_ID, String.class);
        if (exchange.getProperty(REPLAY_OF) != null || (laneId == null && !retryLane.enabled())) {
            park(exchange);
            return;
        }
        Failure failure = failureOf(exchange);
        int attempts = attemptsOf(exchange);
        String system = exchange.getProperty(SystemCallGuard.FAILED_SYSTEM, String.class);
        if (laneId != null) {
            UUID id = UUID.fromString(laneId);
            Instant next = retryLane.reschedule(id, failure, attempts, system);
            if (next != null) {
                waiting(exchange, failure, next, "still failing");
            } else {
                // waited long enough
                park(exchange);
            }
            return;
        }
        Instant next = retryLane.add(UUID.randomUUID(), failure, attempts, system);
        waiting(exchange, failure, next, "to the retry lane");
    }

    private void waiting(Exchange exchange, Failure failure, Instant next, String what) {
        exchange.setProperty(RetryLane.WAITING, next.toString());
        LOG.info("Message of flow {} (route {}, key {}) {}, next attempt at {}: {}", failure.flow(),
                failure.routeId(), businessKey(failure.headers()), what, next, failure.reason());
        journal.record(new JournalEntry(0, Instant.now(), failure.headers().get("ce_correlationid"),
                failure.headers().get("ce_id"), failure.flow(), failure.routeId(), failedStep(exchange), Hop.FAILED, null,
                failure.failedEndpoint(), null, keys(failure.headers()),
                "waiting in the retry lane, next attempt at " + next + ": " + failure.reason(), null, null));
    }

    /** Parks the exchange's (original) message with the exception that made it fail. */
    public void park(Exchange exchange) {
        String laneId = exchange.getProperty(RetryLane.RETRY_ID, String.class);
        Failure failure = failureOf(exchange);
        if (laneId == null) {
            park(exchange, failure, attemptsOf(exchange), exchange.getProperty(REPLAY_OF, String.class));
            return;
        }
        // a round of the retry lane that gave up or met a failure retrying cannot fix: parked with every attempt
        // counted, and out of the lane, in one transaction
        UUID id = UUID.fromString(laneId);
        int total = retryLane.attempts(id) + attemptsOf(exchange);
        transactions.executeWithoutResult(status -> {
            park(exchange, failure, total, null);
            retryLane.remove(id);
        });
    }

    /**
     * Marks the parked messages of one record of a flow as superseded: a later publication or delivery of the record's
     * state made them obsolete, so they end {@code REPLAYED} with who did it and why, and an operator's replay cannot
     * send the older state again. The flows with a latest-state resync (customer master, supplier master, inventory
     * feedback) call it from their routes, so the statement lives here once.
     *
     * @param flow        the flow the messages were parked by
     * @param businessKey the record (the parked message's business key)
     * @param fromRouteId only messages parked by this route; null or empty: any route of the flow
     * @param resolvedBy  the route that superseded them (shown as the resolver)
     * @param resolution  why, for the operator
     *                    (void: a route calling it keeps its body, the state it is about to publish)
     */
    public void supersede(String flow, String businessKey, String fromRouteId, String resolvedBy, String resolution) {
        boolean anyRoute = fromRouteId == null || fromRouteId.isBlank();
        int marked = jdbc.update("""
                UPDATE esb.parked_message SET status = 'REPLAYED', resolved_at = now(), resolved_by = ?, resolution = ?
                WHERE flow = ? AND status = 'PARKED' AND business_key = ? AND (? OR from_route_id = ?)""",
                resolvedBy, resolution, flow, businessKey, anyRoute, anyRoute ? "" : fromRouteId);
        if (marked > 0) {
            LOG.info("{} parked message(s) of flow {} (key {}) superseded by {}: {}", marked, flow, businessKey,
                    resolvedBy, resolution);
        }
    }

    /**
     * Parks a message the broker gave up on (its dead-letter queue): as a failure of {@code routeId}, the route that
     * consumes the queue it came from (the one a replay goes through), with the given reason.
     */
    public void parkDeadLetter(Exchange exchange, String routeId, String failedEndpoint, String reason) {
        Failure failure = new Failure(flowOf(exchange, routeId), routeId, routeId, failedEndpoint, storable(reason),
                "BrokerDeadLetter", storable(exchange.getMessage().getBody(String.class)), keptHeaders(exchange));
        park(exchange, failure, 1, null);
    }

    private void park(Exchange exchange, Failure failure, int attempts, String replayOf) {
        UUID id = UUID.randomUUID();
        Map<String, String> headers = failure.headers();
        jdbc.update("""
                INSERT INTO esb.parked_message (id, flow, route_id, from_route_id, failed_endpoint, reason, exception_type,
                                                payload, headers, event_id, correlation_id, business_key, attempts, replay_of)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)""",
                id, failure.flow(), failure.routeId(), failure.fromRouteId(), failure.failedEndpoint(), failure.reason(),
                failure.exceptionType(), failure.payload(), toJson(headers), headers.get("ce_id"),
                headers.get("ce_correlationid"), businessKey(headers), attempts,
                replayOf == null ? null : UUID.fromString(replayOf));

        meters.counter("esb.messages.parked", "flow", failure.flow(), "route", failure.routeId()).increment();
        LOG.warn("Parked message {} of flow {} (route {}, correlation {}, {} attempt(s){}): {}", id, failure.flow(),
                failure.routeId(), headers.get("ce_correlationid"), attempts,
                replayOf == null ? "" : ", replay of " + replayOf, failure.reason());
        journal.record(new JournalEntry(0, Instant.now(), headers.get("ce_correlationid"), headers.get("ce_id"),
                failure.flow(), failure.routeId(), failedStep(exchange), Hop.PARKED, null, failure.failedEndpoint(), id.toString(),
                keys(headers), failure.reason() + (replayOf == null ? "" : " (replay of parked message " + replayOf + ")"),
                failure.payload(), null));
        exchange.getMessage().setHeader(PARKED_ID, id.toString());
        exchange.setProperty(PARKED_ID, id.toString());
    }

    /** The step that failed, as FailedStepTracker kept it (null for a dead letter from the broker). */
    private static String failedStep(Exchange exchange) {
        return exchange.getProperty(HopRecorder.FAILED_STEP_PROPERTY, String.class);
    }

    static String storable(String text) {
        return text == null || text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    }

    static Map<String, String> keys(Map<String, String> headers) {
        String key = businessKey(headers);
        return key == null ? Map.of() : Map.of("businessKey", key);
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

    /** The headers {@code esb.replay.kept-headers} names: what a replay needs, nothing transport-specific. */
    private Map<String, String> keptHeaders(Exchange exchange) {
        Map<String, String> kept = new LinkedHashMap<>();
        exchange.getMessage().getHeaders().forEach((name, value) -> {
            if (value != null && settings.keeps(name)) {
                kept.put(name, value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString());
            }
        });
        return kept;
    }

    static String businessKey(Map<String, String> headers) {
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
