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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One Resilience4j circuit breaker per declared system ({@code esb.systems.<name>}, {@link SystemRegistry}), and which
 * endpoint URIs belong to which system: a port of a role the system plays ({@code direct:erp.upsert-sales-order}),
 * an HTTP call starting with the system's {@code base-url}, an SQL/JDBC step using its {@code datasource-bean}. Breaker
 * state is exported as the metric {@code resilience4j.circuitbreaker.state{name=<system>,state=...}}.
 */
@Component("systemBreakers")
public class SystemBreakers {

    private static final Logger LOG = LoggerFactory.getLogger(SystemBreakers.class);

    private final Map<String, CircuitBreaker> breakers = new LinkedHashMap<>();
    private final SystemRegistry systems;

    public SystemBreakers(BreakerSettings settings, MeterRegistry meters, SystemRegistry systems) {
        this.systems = systems;
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
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
        return u.equals(base) || u.startsWith(base + "/") || u.startsWith(base + "?");
    }

    private static String stripSlash(String url) {
        String u = url == null ? "" : url.trim();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
