package io.conduit.esb.delivery;

import io.conduit.esb.ops.SystemCallGuard;
import io.conduit.esb.support.NotRetryableException;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.service.ServiceHelper;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Date;

/**
 * Calls the port {@code direct:<port>} only if that moves the target forward:
 * <ol>
 *   <li>claims the record's row in {@code esb.delivery_version} (lock held for the call, so deliveries of one record
 *       never overlap: a live message and a replay, two replicas, a consumer that lost its partition);</li>
 *   <li>a version older than the one the target has is not sent: the exchange is marked SUPERSEDED and the route
 *       stops (nothing after this step runs); the same version is sent again or, with {@code sameVersion=skip},
 *       marked ALREADY_DELIVERED and stopped the same way (with {@code whenSkipped=continue} the route goes on and
 *       decides by the outcome property);</li>
 *   <li>otherwise calls the port (behind the circuit breaker of the system playing its role, see
 *       {@link SystemCallGuard#guardPortCall}), and only when it succeeded records the version and commits. A failed call records
 *       nothing: the route's error policy redelivers the step, which claims again.</li>
 * </ol>
 * The outcome of a skipped delivery is exchange property {@link #OUTCOME} with {@link #DETAIL} (read by replays)
 * and {@link #SKIPPED} (the reason, recorded once by the journal as a SUPERSEDED hop).
 */
public class VersionedProducer extends DefaultProducer {

    /** Exchange property: SUPERSEDED or ALREADY_DELIVERED when the step did not call the port. */
    public static final String OUTCOME = "EsbDeliveryOutcome";
    /** Exchange property: why the step did not call the port. */
    public static final String DETAIL = "EsbDeliveryDetail";
    /** Exchange property: the same, for the journal, which records it once and removes it. */
    public static final String SKIPPED = "EsbDeliverySkipped";
    public static final String SUPERSEDED = "SUPERSEDED";
    public static final String ALREADY_DELIVERED = "ALREADY_DELIVERED";

    private final VersionedEndpoint endpoint;
    private final DeliveryLedger ledger;
    private Expression key;
    private Expression version;
    private Expression at;
    private Producer port;
    /** the port's call, behind its system's circuit breaker when the ESB has one (SystemCallGuard) */
    private Processor portCall;

    VersionedProducer(VersionedEndpoint endpoint, DeliveryLedger ledger) {
        super(endpoint);
        this.endpoint = endpoint;
        this.ledger = ledger;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        var simple = getEndpoint().getCamelContext().resolveLanguage("simple");
        key = simple.createExpression(endpoint.keyExpression());
        version = endpoint.versionExpression() == null ? null : simple.createExpression(endpoint.versionExpression());
        at = endpoint.atExpression() == null ? null : simple.createExpression(endpoint.atExpression());
        port = getEndpoint().getCamelContext().getEndpoint("direct:" + endpoint.getPort()).createProducer();
        SystemCallGuard guard = getEndpoint().getCamelContext().getRegistry().findSingleByType(SystemCallGuard.class);
        portCall = guard == null ? port : guard.guardPortCall(endpoint.getPort(), port, "versioned:" + endpoint.getPort());
        ServiceHelper.startService(portCall);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(portCall, port);
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String recordKey = evaluate(key, exchange, String.class, "key", endpoint.keyExpression());
        if (recordKey == null || recordKey.isBlank()) {
            throw new NotRetryableException("Versioned delivery to " + endpoint.getPort() + ": the record's key ("
                    + endpoint.keyExpression() + ") is empty");
        }
        if (recordKey.length() > 200) {
            throw new NotRetryableException("Versioned delivery to " + endpoint.getPort()
                    + ": the record's key is longer than 200 characters");
        }
        SourceVersion incoming = versionOf(exchange);
        try (DeliveryLedger.Claim claim = ledger.claim(endpoint.getLedgerName(), recordKey)) {
            SourceVersion stored = claim.stored();
            int order = stored == null ? 1 : incoming.compareTo(stored);
            if (order < 0) {
                skip(exchange, SUPERSEDED, endpoint.getLedgerName() + " " + recordKey + ": version " + incoming
                        + " not sent, the target has version " + stored + describe(claim.storedEventId()));
                return;
            }
            if (order == 0 && endpoint.sameVersion() == VersionedEndpoint.SameVersion.SKIP) {
                skip(exchange, ALREADY_DELIVERED, endpoint.getLedgerName() + " " + recordKey + ": version " + incoming
                        + " was delivered already" + describe(claim.storedEventId()));
                return;
            }
            // read before the call: an adapter may clear the headers
            String eventId = exchange.getMessage().getHeader("ce_id", String.class);
            portCall.process(exchange);
            if (exchange.getException() == null && !exchange.isRollbackOnly()) {
                claim.delivered(incoming, eventId);
            }
        }
    }

    /** An expression that cannot be read on this message will not be readable on a redelivery either. */
    private <T> T evaluate(Expression expression, Exchange exchange, Class<T> type, String what, String text) {
        try {
            return expression.evaluate(exchange, type);
        } catch (RuntimeException e) {
            throw new NotRetryableException("Versioned delivery to " + endpoint.getPort() + ": the record's " + what
                    + " (" + text + ") cannot be read from the message: " + e.getMessage());
        }
    }

    private static String describe(String eventId) {
        return eventId == null ? "" : " (event " + eventId + ")";
    }

    private void skip(Exchange exchange, String outcome, String detail) {
        exchange.setProperty(OUTCOME, outcome);
        exchange.setProperty(DETAIL, detail);
        exchange.setProperty(SKIPPED, detail);
        if (endpoint.stopWhenSkipped()) {
            exchange.setRouteStop(true);
        }
    }

    private SourceVersion versionOf(Exchange exchange) {
        Long number = null;
        Instant time = null;
        if (version != null) {
            String text = evaluate(version, exchange, String.class, "version", endpoint.versionExpression());
            if (text != null && !text.isBlank()) {
                try {
                    number = Long.parseLong(text.trim());
                } catch (NumberFormatException e) {
                    throw new NotRetryableException("Versioned delivery to " + endpoint.getPort() + ": version '"
                            + clip(text) + "' (" + endpoint.versionExpression() + ") is not a whole number");
                }
            }
        }
        if (at != null) {
            time = instantOf(evaluate(at, exchange, Object.class, "time", endpoint.atExpression()));
        }
        if (number == null && time == null) {
            throw new NotRetryableException("Versioned delivery to " + endpoint.getPort() + ": the message has no "
                    + "version (" + (endpoint.versionExpression() == null ? "" : endpoint.versionExpression() + " ")
                    + (endpoint.atExpression() == null ? "" : endpoint.atExpression()) + ")");
        }
        return new SourceVersion(number, time);
    }

    private Instant instantOf(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof Date date) {
            return date.toInstant();
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof TemporalAccessor temporal) {
            return Instant.from(temporal);
        }
        String text = value.toString().trim();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new NotRetryableException("Versioned delivery to " + endpoint.getPort() + ": time '" + clip(text)
                    + "' (" + endpoint.atExpression() + ") is not an ISO-8601 date-time with an offset");
        }
    }

    private static String clip(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
