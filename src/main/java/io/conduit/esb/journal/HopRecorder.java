package io.conduit.esb.journal;

import io.conduit.esb.delivery.VersionedProducer;
import io.conduit.esb.support.PayloadMask;
import io.conduit.esb.support.PersonalDataMask;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Message;
import org.apache.camel.Route;
import org.apache.camel.StreamCache;
import org.apache.camel.jsonpath.JsonPathExpression;
import org.apache.camel.support.ExpressionAdapter;
import org.apache.camel.util.URISupport;
import org.springframework.stereotype.Component;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an exchange at a hop into a {@link JournalEntry} and records it: correlation id, event id, the flow's
 * business keys (kept on the exchange once found, so later hops carry them too), the masked payload.
 * Used by the hop capture ({@link JournalInterceptStrategy}, {@link ReceivedHopPolicyFactory},
 * {@link FailedAttemptNotifier}).
 * <p>
 * It never throws into a flow: the journal observes messages, and a message's outcome (the answer to its sender,
 * its delivery, its retries) must be the same whether its hop was journaled or not. Whatever fails while an entry
 * is built, masked or queued, exceptions and errors alike ({@link StackOverflowError} included: Camel's route
 * policy caller catches only exceptions, and an error out of a step's completion callback skips the rest of that
 * callback, the exchange's own completion included), is caught at the three entry points {@link #received},
 * {@link #step} and {@link #failed}, counted as {@code esb.journal.capture.failures} and reported as one log line
 * at most once a minute ({@link CaptureFailures}).
 */
@Component
public class HopRecorder {

    /** exchange property: business keys found so far (an immutable map, replaced when a key is added) */
    public static final String KEYS_PROPERTY = "EsbJournalKeys";
    /** exchange property: the correlation id the journal uses for this exchange */
    public static final String CORRELATION_PROPERTY = "EsbJournalCorrelationId";
    /** exchange property: the endpoint whose consumption was recorded as RECEIVED */
    public static final String RECEIVED_PROPERTY = "EsbJournalReceived";
    /** exchange property: the last CloudEvents id seen on the exchange */
    public static final String EVENT_PROPERTY = "EsbJournalEventId";
    /** exchange property: the innermost step (node id) the message failed in (see FailedStepTracker) */
    public static final String FAILED_STEP_PROPERTY = "EsbFailedStep";
    /** exchange property: the body object the key expressions last read */
    static final String BODY_PROPERTY = "EsbJournalKeysBody";
    static final String CORRELATION_HEADER = "X-Correlation-Id";
    /** the flow a connected system's own events (breaker transitions) are journaled under */
    public static final String SYSTEMS_FLOW = "systems";
    /** the business key naming the system of such an event */
    public static final String SYSTEM_KEY = "system";

    private final Journal journal;
    private final JournalProperties settings;
    private final PayloadMask mask;
    private final CaptureFailures failures;
    private final Map<String, Expression> expressions = new ConcurrentHashMap<>();
    /**
     * Routes by id, as the hops ask for them: CamelContext.getRoute copies and walks the list of all routes (about
     * 400), which was a third of the cost of recording a step (bench/profile.sh). Emptied whenever routes are added
     * or removed (a route file reloaded), see {@link #forgetRoutes()}.
     */
    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    public HopRecorder(Journal journal, JournalProperties settings, MeterRegistry meters) {
        this.journal = journal;
        this.settings = settings;
        this.mask = new PayloadMask(settings.getPayload().getMaskedFields(), settings.getPayload().getMaxChars());
        this.failures = new CaptureFailures(meters);
    }

    public boolean enabled() {
        return settings.isEnabled();
    }

    /** A message entered {@code route} from its consumer: records RECEIVED once per exchange, if it is one to record. */
    public void received(Route route, Exchange exchange) {
        try {
            receivedHop(route, exchange);
        } catch (Throwable e) {
            captureFailed(Hop.RECEIVED, route == null ? null : route.getRouteId(), e);
        }
    }

    private void receivedHop(Route route, Exchange exchange) {
        if (!settings.isEnabled() || route.getGroup() == null || exchange.getFromEndpoint() == null) {
            return;
        }
        // once per consumed message: a copy handed on in memory (seda) is consumed again and gets its own
        String consumedFrom = exchange.getFromEndpoint().getEndpointUri();
        if (consumedFrom.equals(exchange.getProperty(RECEIVED_PROPERTY))) {
            return;
        }
        String scheme = StepClassifier.schemeOf(consumedFrom);
        if (!settings.getReceivedSchemes().contains(scheme) || settings.getReceivedIgnoredRoutes().contains(route.getRouteId())) {
            return;
        }
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        if (method != null && settings.getReceivedIgnoredHttpMethods().contains(method.toUpperCase())) {
            return;
        }
        exchange.setProperty(RECEIVED_PROPERTY, consumedFrom);
        String correlationId = correlationId(exchange);
        if (correlationId == null) {
            // the first hop of a business transaction: give it the id the CloudEvents envelope will carry
            correlationId = UUID.randomUUID().toString();
            exchange.setProperty(CORRELATION_PROPERTY, correlationId);
            exchange.getMessage().setHeader(CORRELATION_HEADER, correlationId);
        }
        record(exchange, Hop.RECEIVED, route.getGroup(), route.getRouteId(), null, Instant.now(),
                endpointName(exchange.getFromEndpoint().getEndpointUri()), null, null, null);
    }

    /** A classified step finished without an exception. */
    public void step(Exchange exchange, StepClassifier.Classification step, String flow, String routeId, String stepId,
                     Instant at) {
        try {
            if (!settings.isEnabled()) {
                return;
            }
            String target = step.target() != null ? step.target()
                    : endpointName(exchange.getProperty(Exchange.TO_ENDPOINT, String.class));
            flow = flowOf(exchange, flow);
            // a versioned delivery that did not call its port (the target has this or a newer version)
            String skipped = exchange.getProperty(VersionedProducer.SKIPPED, String.class);
            if (skipped != null) {
                exchange.removeProperty(VersionedProducer.SKIPPED);
                record(exchange, Hop.SUPERSEDED, flow, recordingRoute(exchange, Hop.SUPERSEDED, flow, routeId), stepId,
                        at, null, target, null, skipped);
                return;
            }
            String targetId = step.targetIdExpression() == null ? null : evaluate(exchange, step.targetIdExpression());
            record(exchange, step.hop(), flow, recordingRoute(exchange, step.hop(), flow, routeId), stepId, at, null,
                    target, targetId, null);
        } catch (Throwable e) {
            captureFailed(step == null ? null : step.hop(), routeId, e);
        }
    }

    /**
     * A delivery made in a direct sub-route (e.g. an onboarding target's write) is recorded under the route that
     * received the message, when that route belongs to the same flow: that is the route a replay runs again, so
     * {@link Journal#deliveredSince} finds the delivery by the receiving route's id.
     */
    private String recordingRoute(Exchange exchange, Hop hop, String flow, String routeId) {
        String fromRouteId = exchange.getFromRouteId();
        if ((hop != Hop.DELIVERED && hop != Hop.SUPERSEDED) || fromRouteId == null || fromRouteId.equals(routeId)) {
            return routeId;
        }
        Route from = route(exchange, fromRouteId);
        return from != null && flow != null && flow.equals(from.getGroup()) ? fromRouteId : routeId;
    }

    /**
     * The flow a hop belongs to: the flow of the route that received the message, when that route has one. A step in
     * an adapter's route (group erp-tryton, called through a port) is part of the flow that called the port.
     */
    private String flowOf(Exchange exchange, String routeFlow) {
        Route from = route(exchange, exchange.getFromRouteId());
        return from != null && from.getGroup() != null ? from.getGroup() : routeFlow;
    }

    private Route route(Exchange exchange, String routeId) {
        if (routeId == null) {
            return null;
        }
        Route route = routes.get(routeId);
        if (route == null) {
            route = exchange.getContext().getRoute(routeId);
            if (route != null) {
                routes.put(routeId, route);
            }
        }
        return route;
    }

    /** Routes were added or removed: look them up again (a reloaded route file may have moved a route to another flow). */
    public void forgetRoutes() {
        routes.clear();
    }

    /** An attempt failed and will be retried. */
    public void failed(Exchange exchange, String routeId, String detail) {
        try {
            if (!settings.isEnabled()) {
                return;
            }
            Route route = route(exchange, routeId);
            String flow = route != null && route.getGroup() != null ? route.getGroup()
                    : routeId == null ? "unknown" : routeId.split("\\.")[0];
            flow = flowOf(exchange, flow);
            // the failing step as FailedStepTracker kept it (Camel's history node id is only kept with message history)
            String stepId = exchange.getProperty(FAILED_STEP_PROPERTY, String.class);
            if (stepId == null) {
                stepId = exchange.getExchangeExtension().getHistoryNodeId();
            }
            record(exchange, Hop.FAILED, flow, routeId, stepId, Instant.now(), null,
                    endpointName(exchange.getProperty(Exchange.FAILURE_ENDPOINT, String.class)), null,
                    PersonalDataMask.mask(detail));
        } catch (Throwable e) {
            captureFailed(Hop.FAILED, routeId, e);
        }
    }

    /**
     * Something that happened to a connected system rather than to a message (its circuit breaker opening or closing):
     * recorded under flow {@value #SYSTEMS_FLOW} with the system as target and as business key {@value #SYSTEM_KEY},
     * so a journal search for the system's name finds it. No correlation id: it belongs to no message's journey.
     */
    public void systemEvent(Hop hop, String system, String detail, Instant at) {
        try {
            if (!settings.isEnabled()) {
                return;
            }
            journal.record(new JournalEntry(0, at, null, null, SYSTEMS_FLOW, null, null, hop, null, system, null,
                    Map.of(SYSTEM_KEY, system), PersonalDataMask.mask(detail), null, null));
        } catch (Throwable e) {
            captureFailed(hop, null, e);
        }
    }

    /** A hop could not be captured (also used by the capture's callers for failures before they get here). */
    void captureFailed(Hop hop, String routeId, Throwable failure) {
        failures.failed(hop, routeId, failure);
    }

    private void record(Exchange exchange, Hop hop, String flow, String routeId, String stepId, Instant at,
                        String source, String target, String targetId, String detail) {
        Message message = exchange.getMessage();
        String correlationId = correlationId(exchange);
        Map<String, String> keys = keys(exchange, flow);
        String payload = settings.getPayload().isEnabled() ? mask.apply(bodyText(message)) : null;
        journal.record(new JournalEntry(0, at, correlationId, eventId(exchange), flow, routeId,
                stepId, hop, source, target, targetId, keys, detail, payload, null));
    }

    /** The CloudEvents id on the message, else the last one this exchange carried (a route may drop the headers). */
    static String eventId(Exchange exchange) {
        String current = exchange.getMessage().getHeader("ce_id", String.class);
        if (current != null) {
            exchange.setProperty(EVENT_PROPERTY, current);
            return current;
        }
        return exchange.getProperty(EVENT_PROPERTY, String.class);
    }

    /** The exchange's correlation id: the one the journal already uses, else the first configured expression that has one. */
    String correlationId(Exchange exchange) {
        String known = exchange.getProperty(CORRELATION_PROPERTY, String.class);
        if (known != null) {
            return known;
        }
        for (String expression : settings.getCorrelation()) {
            String value = evaluate(exchange, expression);
            if (value != null) {
                exchange.setProperty(CORRELATION_PROPERTY, value);
                return value;
            }
        }
        return null;
    }

    /** The flow's business keys: those found at earlier hops, plus any the configured expressions find now. */
    @SuppressWarnings("unchecked")
    Map<String, String> keys(Exchange exchange, String flow) {
        Map<String, String> known = exchange.getProperty(KEYS_PROPERTY, Map.class);
        JournalProperties.FlowSetting setting = flow == null ? null : settings.getFlows().get(flow);
        if (setting == null || setting.getKeys().isEmpty()) {
            return known == null ? Map.of() : known;
        }
        Map<String, String> found = null;
        // reading the body (jsonpath) costs tens of microseconds: not again while the body is the same object
        Object body = exchange.getMessage().getBody();
        boolean bodyChanged = body != exchange.getProperty(BODY_PROPERTY);
        exchange.setProperty(BODY_PROPERTY, body);
        for (Map.Entry<String, List<String>> key : setting.getKeys().entrySet()) {
            if (known != null && known.containsKey(key.getKey())) {
                continue;
            }
            for (String expression : key.getValue()) {
                if (!bodyChanged && expression.contains("jsonpath(")) {
                    continue;
                }
                String value = evaluate(exchange, expression);
                if (value != null) {
                    if (found == null) {
                        found = known == null ? new LinkedHashMap<>() : new LinkedHashMap<>(known);
                    }
                    found.put(key.getKey(), value);
                    break;
                }
            }
        }
        if (found == null) {
            return known == null ? Map.of() : known;
        }
        Map<String, String> keys = Map.copyOf(found);
        exchange.setProperty(KEYS_PROPERTY, keys);
        return keys;
    }

    /** The expression's value as text, or null when it has none or fails (a journal never breaks a flow). */
    String evaluate(Exchange exchange, String expression) {
        try {
            Expression compiled = expressions.computeIfAbsent(expression, text -> compile(exchange.getContext(), text));
            String value = compiled.evaluate(exchange, String.class);
            return value == null || value.isBlank() || "null".equals(value) ? null : value.trim();
        } catch (RuntimeException e) {
            return null;
        } finally {
            if (exchange.getMessage().getBody() instanceof StreamCache cache) {
                cache.reset();
            }
        }
    }

    /**
     * The expression of a key, correlation id or target id. One that is only {@code ${jsonpath(<path>)}} (most keys) is
     * compiled as a JSONPath that answers null for a path the body does not have: through the simple language a missing
     * path is an exception with its stack trace, once for every key a hop looks for and does not find (about 1 % of the
     * order handoff's CPU in {@code bench/profile.sh --flow handoff}). Anything else is a simple expression.
     */
    static Expression compile(CamelContext context, String text) {
        Matcher jsonPathOnly = JSONPATH_ONLY.matcher(text.trim());
        Expression expression;
        if (jsonPathOnly.matches()) {
            JsonPathExpression path = new JsonPathExpression(jsonPathOnly.group(1));
            path.setSuppressExceptions(true);
            path.setSource(JSON_INPUT);
            expression = path;
        } else {
            expression = context.resolveLanguage("simple").createExpression(text);
        }
        expression.init(context);
        return expression;
    }

    /**
     * What a key's JSONPath reads: the body, as text when it is a stream cache or bytes (a message just received over
     * HTTP), which JSONPath would otherwise hand to Jackson as a bean and fail on; the cache is reset after reading.
     */
    private static final Expression JSON_INPUT = new ExpressionAdapter() {
        @Override
        public Object evaluate(Exchange exchange) {
            Object body = exchange.getMessage().getBody();
            return body instanceof StreamCache || body instanceof byte[] ? bodyText(exchange.getMessage()) : body;
        }
    };

    /** {@code ${jsonpath($...)}} and nothing else (no nested simple expression). */
    private static final Pattern JSONPATH_ONLY = Pattern.compile("\\$\\{jsonpath\\((\\$[^{}]*)\\)}");

    /** The body as text without consuming it: stream caches are reset, plain streams are not read. */
    static String bodyText(Message message) {
        Object body = message.getBody();
        if (body == null) {
            return null;
        }
        if (body instanceof String text) {
            return text;
        }
        if (body instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (body instanceof StreamCache cache) {
            cache.reset();
            try {
                return message.getBody(String.class);
            } finally {
                cache.reset();
            }
        }
        if (body instanceof InputStream) {
            return "[stream]";
        }
        try {
            return message.getBody(String.class);
        } catch (RuntimeException e) {
            return "[" + body.getClass().getSimpleName() + "]";
        }
    }

    /**
     * A short, credential-free name of an endpoint: {@code kafka:conduit.orders.v1}, {@code http:host/path}. Runs
     * for every hop, so it avoids regular expressions: the query (where Camel's URIs carry passwords) is cut off, and
     * only a name that still has user information ({@code user:secret@host}) is sanitised.
     */
    static String endpointName(String uri) {
        if (uri == null) {
            return null;
        }
        int query = uri.indexOf('?');
        String clean = query > 0 ? uri.substring(0, query) : uri;
        if (clean.indexOf('@') >= 0) {
            clean = URISupport.sanitizeUri(clean);
        }
        int colon = clean.indexOf(':');
        if (colon > 0 && colon + 1 < clean.length() && clean.charAt(colon + 1) == '/' && isScheme(clean, colon)) {
            int rest = colon + 1;
            while (rest < clean.length() && clean.charAt(rest) == '/') {
                rest++;
            }
            clean = clean.substring(0, colon + 1) + clean.substring(rest);
        }
        return clean;
    }

    private static boolean isScheme(String text, int end) {
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '+' && c != '.' && c != '-') {
                return false;
            }
        }
        return true;
    }
}
