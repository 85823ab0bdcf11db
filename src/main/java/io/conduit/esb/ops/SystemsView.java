package io.conduit.esb.ops;

import io.conduit.esb.systems.SystemDeclaration;
import io.conduit.esb.systems.SystemRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.apache.camel.util.URISupport;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The declared systems as the console's Systems page and {@code GET /api/v1/systems} show them: each one's declaration
 * (roles, adapter, transport, where it is), health now and lately ({@link SystemProbes}, {@link SystemActivity}), its
 * circuit breaker's state, figures and transitions ({@link SystemBreakers}), the latency percentiles of the calls to
 * it and its last errors, masked. Assembled on each request from what is in memory: no database query.
 */
@Component
public class SystemsView {

    /**
     * One system in the list.
     *
     * @param endpoint where it is reached: its base URL (credentials cut) or its datasource bean
     * @param probe    how it is probed: http, sql, json-rpc or none
     */
    public record SystemSummary(String name, List<String> roles, String adapter, String transport, String endpoint,
                                String probe, Health health, Breaker breaker, Latency latency, int recentErrors,
                                Instant lastErrorAt) {
    }

    /**
     * Health now and over the kept probes.
     *
     * @param state     UP, DOWN or UNKNOWN (not probed yet)
     * @param probesUp  of the {@code probes} kept, how many found it reachable
     * @param upSince   since when it has been in its current state (as far as the kept changes go), if known
     */
    public record Health(String state, long latencyMs, Instant checkedAt, String detail, int probesUp, int probes,
                         Instant upSince) {
    }

    /**
     * The circuit breaker now.
     *
     * @param failureRate       percent failed of the calls in its window, -1 while too few calls
     * @param notPermittedCalls calls refused since it last left CLOSED (Resilience4j's count)
     * @param since             when it entered its state (if a transition was seen since the start)
     */
    public record Breaker(String state, float failureRate, float slowCallRate, int bufferedCalls, int failedCalls,
                          long notPermittedCalls, Instant since) {
    }

    /**
     * Latency of the calls to the system: percentiles and maximum over {@code window} (Micrometer's decaying window),
     * {@code calls} since start. All zero when nothing called it in the window.
     */
    public record Latency(long calls, double p50Ms, double p95Ms, double p99Ms, double maxMs, Duration window) {

        /** Whether any call fell within the window. */
        public boolean recent() {
            return maxMs > 0;
        }
    }

    /** One system with its histories, newest first. */
    public record SystemDetail(SystemSummary system, List<SystemActivity.Probe> probes,
                               List<SystemActivity.ReachabilityChange> reachability,
                               List<SystemActivity.Transition> transitions, List<SystemActivity.CallError> errors) {
    }

    private final SystemRegistry registry;
    private final SystemProbes probes;
    private final SystemBreakers breakers;
    private final SystemActivity activity;

    public SystemsView(SystemRegistry registry, SystemProbes probes, SystemBreakers breakers, SystemActivity activity) {
        this.registry = registry;
        this.probes = probes;
        this.breakers = breakers;
        this.activity = activity;
    }

    /** Every declared system, in declaration order. */
    public List<SystemSummary> systems() {
        Map<String, SystemStatus> now = statuses();
        return registry.all().keySet().stream().map(name -> summary(name, now.get(name))).toList();
    }

    /** One system with its histories; empty for a name not declared. */
    public Optional<SystemDetail> system(String name) {
        if (name == null || !registry.all().containsKey(name)) {
            return Optional.empty();
        }
        return Optional.of(new SystemDetail(summary(name, statuses().get(name)), activity.probes(name),
                activity.changes(name), activity.transitions(name), activity.errors(name)));
    }

    private Map<String, SystemStatus> statuses() {
        return probes.statuses().stream().collect(java.util.stream.Collectors.toMap(SystemStatus::system, s -> s,
                (a, b) -> a));
    }

    private SystemSummary summary(String name, SystemStatus status) {
        SystemDeclaration declaration = registry.all().get(name);
        List<String> roles = declaration.getRoles().isEmpty() ? List.of(name) : List.copyOf(declaration.getRoles());
        List<SystemActivity.CallError> errors = activity.errors(name);
        return new SystemSummary(name, roles, declaration.getAdapter(), declaration.transport(), endpoint(declaration),
                declaration.probeType(), health(name, status), breaker(name), latency(name), errors.size(),
                errors.isEmpty() ? null : errors.get(0).at());
    }

    private Health health(String name, SystemStatus status) {
        List<SystemActivity.Probe> kept = activity.probes(name);
        int up = (int) kept.stream().filter(SystemActivity.Probe::reachable).count();
        List<SystemActivity.ReachabilityChange> changes = activity.changes(name);
        if (status == null || status.checkedAt() == null) {
            return new Health("UNKNOWN", 0, null, status == null ? "not probed yet" : status.detail(), up, kept.size(),
                    null);
        }
        Instant since = changes.isEmpty() ? null : changes.get(0).at();
        return new Health(status.reachable() ? "UP" : "DOWN", status.latencyMs(), status.checkedAt(),
                kept.isEmpty() ? null : kept.get(0).detail(), up, kept.size(), since);
    }

    private Breaker breaker(String name) {
        CircuitBreaker breaker = breakers.breaker(name);
        if (breaker == null) {
            return new Breaker("NONE", -1, -1, 0, 0, 0, null);
        }
        CircuitBreaker.Metrics m = breaker.getMetrics();
        List<SystemActivity.Transition> transitions = activity.transitions(name);
        return new Breaker(breaker.getState().name(), m.getFailureRate(), m.getSlowCallRate(),
                m.getNumberOfBufferedCalls(), m.getNumberOfFailedCalls(), m.getNumberOfNotPermittedCalls(),
                transitions.isEmpty() ? null : transitions.get(0).at());
    }

    private Latency latency(String name) {
        Timer timer = activity.calls(name);
        if (timer == null) {
            return new Latency(0, 0, 0, 0, 0, activity.latencyWindow());
        }
        HistogramSnapshot snapshot = timer.takeSnapshot();
        double p50 = 0;
        double p95 = 0;
        double p99 = 0;
        for (ValueAtPercentile p : snapshot.percentileValues()) {
            double ms = p.value(TimeUnit.MILLISECONDS);
            if (Math.abs(p.percentile() - 0.5) < 1e-9) {
                p50 = ms;
            } else if (Math.abs(p.percentile() - 0.95) < 1e-9) {
                p95 = ms;
            } else if (Math.abs(p.percentile() - 0.99) < 1e-9) {
                p99 = ms;
            }
        }
        return new Latency(timer.count(), p50, p95, p99, snapshot.max(TimeUnit.MILLISECONDS), activity.latencyWindow());
    }

    /** Its base URL without credentials, else its datasource bean, else nothing. */
    private static String endpoint(SystemDeclaration declaration) {
        if (declaration.getBaseUrl() != null && !declaration.getBaseUrl().isBlank()) {
            // secrets in the query masked by Camel's sanitizer, user:password@ left out
            return SystemActivity.withoutUserInfo(URISupport.sanitizeUri(declaration.getBaseUrl().trim()));
        }
        if (declaration.getDatasourceBean() != null && !declaration.getDatasourceBean().isBlank()) {
            return "datasource " + declaration.getDatasourceBean();
        }
        return null;
    }
}
