package io.conduit.esb.ops;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.conduit.esb.systems.SystemDeclaration;
import io.conduit.esb.systems.SystemRegistry;
import org.springframework.stereotype.Component;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Resilience4j circuit breaker per declared system ({@code esb.systems.<name>}, {@link SystemRegistry}), and which
 * endpoint URIs belong to which system: a port of a role the system plays ({@code direct:erp.upsert-sales-order}),
 * an HTTP call starting with the system's {@code base-url}, an SQL/JDBC step using its {@code datasource-bean}. Breaker
 * state is exported as the metric {@code resilience4j.circuitbreaker.state{name=<system>,state=...}}.
 */
@Component("systemBreakers")
public class SystemBreakers {

    private static final Logger LOG = LoggerFactory.getLogger(SystemBreakers.class);

    /** the longest text of a breaker's last failure quoted in a refusal */
    static final int MAX_LAST_FAILURE_CHARS = 600;

    private final Map<String, CircuitBreaker> breakers = new LinkedHashMap<>();
    private final SystemRegistry systems;
    /** per system: the last failure its breaker counted (what the refusals quote) */
    private final Map<String, LastFailure> lastFailures = new ConcurrentHashMap<>();
    /** per system: when an operator's replay last made its OPEN breaker try the system */
    private final Map<String, Instant> replayTrials = new ConcurrentHashMap<>();
    private final Duration waitInOpenState;

    /** The last failure a breaker counted, as a refusal quotes it. */
    record LastFailure(Instant at, String text) {
    }

    /** A settings file without {@code sliding-window-type} keeps the count-based window its size was written for. */
    public SystemBreakers(BreakerSettings settings, MeterRegistry meters, SystemRegistry systems) {
        this.systems = systems;
        this.waitInOpenState = Duration.ofMillis(settings.waitInOpenStateMs());
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(settings.slidingWindowType() == null
                        ? CircuitBreakerConfig.SlidingWindowType.COUNT_BASED : settings.slidingWindowType())
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .failureRateThreshold(settings.failureRateThreshold())
                .waitDurationInOpenState(Duration.ofMillis(settings.waitInOpenStateMs()))
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpenState())
                .slowCallDurationThreshold(Duration.ofMillis(settings.slowCallDurationThresholdMs()))
                .slowCallRateThreshold(settings.slowCallRateThreshold())
                .build();
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
        for (String system : systems.all().keySet()) {
            CircuitBreaker breaker = registry.circuitBreaker(system);
            breaker.getEventPublisher().onStateTransition(e -> LOG.warn("Circuit breaker {}: {}", system,
                    e.getStateTransition()));
            // only failures that counted against the breaker (countsAsFailure) are published as errors
            breaker.getEventPublisher().onError(e -> lastFailures.put(system,
                    new LastFailure(Instant.now(), describe(e.getThrowable()))));
            breakers.put(system, breaker);
        }
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
    }

    public CircuitBreaker breaker(String system) {
        return breakers.get(system);
    }

    public Map<String, CircuitBreaker> all() {
        return breakers;
    }

    /**
     * The failure of a call the system's breaker did not let through: names the breaker's state and quotes the last
     * real failure it counted, so a message parked or waiting for it still tells the operator why the system is
     * thought away (e.g. {@code ... is OPEN: call not attempted; last failure 2 s ago: HttpOperationFailedException:
     * HTTP operation failed invoking ... with statusCode: 503}).
     */
    public SystemUnavailableException refused(String system) {
        CircuitBreaker breaker = breakers.get(system);
        LastFailure last = lastFailures.get(system);
        String lastText = last == null ? null : "last failure " + Math.max(0,
                Duration.between(last.at(), Instant.now()).toSeconds()) + " s ago: " + last.text();
        String state = breaker == null ? "unknown" : breaker.getState().name();
        // a breaker that refused and still reads CLOSED is being opened by another call at this moment
        return new SystemUnavailableException(system, "CLOSED".equals(state) ? "OPEN" : state, lastText);
    }

    /**
     * An operator replays a message to a system whose breaker is OPEN: the replay is the operator saying the system
     * is back, so it is let through as a trial call (the breaker goes HALF_OPEN, as when the system answers its probe
     * again; once its trial calls ended, half of them failed opens it again, more good ones close it) instead of being
     * parked again only because the breaker has not tried the system yet. At most one replay per system does this
     * within the breaker's wait in the OPEN state ({@code esb.breakers.wait-in-open-state-ms}): a bulk replay to a
     * system still away makes at most the breaker's trial calls, then meets an OPEN breaker and fails fast. A replay
     * meeting a HALF_OPEN breaker whose trial permits other callers hold (pollers' calls in flight) goes too, as one
     * more trial. Returns whether the call may go.
     */
    public boolean letReplayTry(String system) {
        CircuitBreaker breaker = breakers.get(system);
        if (breaker == null) {
            return false;
        }
        synchronized (breaker) {
            if (breaker.getState() == CircuitBreaker.State.OPEN) {
                Instant now = Instant.now();
                Instant last = replayTrials.get(system);
                if (last != null && last.plus(waitInOpenState).isAfter(now)) {
                    return false;
                }
                replayTrials.put(system, now);
                try {
                    breaker.transitionToHalfOpenState();
                } catch (RuntimeException e) {
                    // it left OPEN meanwhile (its wait ran out, a probe): ask it as it is now
                    LOG.debug("Breaker {} left OPEN before a replay's trial: {}", system, e.toString());
                }
            }
            if (breaker.tryAcquirePermission()) {
                return true;
            }
            // HALF_OPEN with every trial permit taken by other callers (a poller's calls in flight): the operator asked
            // for this call, so it is one more trial and its outcome counts with theirs (CI saw a replay refused
            // while Tryton was back and the pollers' trials were closing the breaker)
            return breaker.getState() == CircuitBreaker.State.HALF_OPEN;
        }
    }

    /** The failure in one line: its type and message (a wrapper without a message of its own: its cause's). */
    static String describe(Throwable failure) {
        Throwable shown = failure;
        while (shown.getCause() != null && shown.getCause() != shown
                && (shown.getMessage() == null || shown.getMessage().equals(shown.getCause().toString()))) {
            shown = shown.getCause();
        }
        String text = shown.getClass().getSimpleName() + (shown.getMessage() == null ? "" : ": " + shown.getMessage());
        return text.length() > MAX_LAST_FAILURE_CHARS ? text.substring(0, MAX_LAST_FAILURE_CHARS) + "..." : text;
    }

    /** The system an endpoint URI (placeholders resolved) calls, if any. */
    public Optional<String> systemOf(String uri) {
        if (uri == null) {
            return Optional.empty();
        }
        // a port (direct:<role>.<operation>): the system declared with that role, whatever its adapter's transport
        if (uri.startsWith("direct:") && uri.indexOf('.') > 7) {
            Optional<String> system = systems.systemWithRole(uri.substring(7, uri.indexOf('.')));
            if (system.isPresent() && breakers.containsKey(system.get())) {
                return system;
            }
        }
        for (Map.Entry<String, SystemDeclaration> entry : systems.all().entrySet()) {
            SystemDeclaration system = entry.getValue();
            if (system.getBaseUrl() != null && !system.getBaseUrl().isBlank() && matchesBase(uri, stripSlash(system.getBaseUrl()))) {
                return Optional.of(entry.getKey());
            }
            String bean = system.getDatasourceBean();
            if (bean != null && !bean.isBlank() && (uri.startsWith("sql:") || uri.startsWith("jdbc:") || uri.startsWith("sql-stored:"))
                    && uri.contains(bean)) {
                return Optional.of(entry.getKey());
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a failed call says the system is unwell (counts against the breaker). A system that answered
     * (an HTTP 4xx other than 408/429, an SQL constraint or data error) is up, however wrong the request was; a call
     * the ESB itself got wrong before or after talking to the system (a mapping or a schema check inside the
     * adapter's port route) says nothing about the system either.
     */
    public static boolean countsAsFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CallNotPermittedException || t instanceof SystemUnavailableException
                    || t instanceof io.conduit.esb.support.NotRetryableException
                    || t instanceof io.conduit.esb.mapping.MappingException
                    || t instanceof org.apache.camel.component.jsonvalidator.JsonValidationException) {
                return false;
            }
            if (t instanceof HttpOperationFailedException http) {
                int code = http.getStatusCode();
                return code >= 500 || code == 408 || code == 429;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return false;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return true;
    }

    private static boolean matchesBase(String uri, String base) {
        if (base.isEmpty()) {
            return false;
        }
        String u = uri.startsWith("http:") && !uri.startsWith("http://") ? "http://" + uri.substring(5) : uri;
        u = u.startsWith("https:") && !u.startsWith("https://") ? "https://" + u.substring(6) : u;
        // base + "${...}": a toD whose path is an expression, as every adapter's HTTP call
        // ("{{esb.systems.crm.base-url}}${exchangeProperty.crmCallPath}"); missed before, so no adapter's HTTP call was
        // guarded or counted by its system's breaker
        return u.equals(base) || u.startsWith(base + "/") || u.startsWith(base + "?") || u.startsWith(base + "${")
                || u.startsWith(base + "$simple{");
    }

    private static String stripSlash(String url) {
        String u = url == null ? "" : url.trim();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
