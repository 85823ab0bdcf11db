package io.conduit.esb.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;
import io.conduit.esb.systems.JsonRpc;
import io.conduit.esb.systems.SystemDeclaration;
import io.conduit.esb.systems.SystemRegistry;
import org.springframework.context.ApplicationContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Probes every declared system ({@code esb.systems.<name>}) in the background ({@code esb.health.probe-period-ms})
 * the way its declaration says: an HTTP GET of its {@code health-url} (2xx = reachable), {@code SELECT 1} on its
 * {@code datasource-bean}, or a JSON-RPC call ({@code health.method}) through its adapter's client. The last result,
 * with the system's circuit breaker state, is the health contributor {@code systems}
 * ({@code /actuator/health/systems/<name>}) and gauges
 * {@code esb.system.reachable} / {@code esb.system.probe.latency}. A system that is away is DOWN here but does not
 * make the ESB unready: its messages are retried and parked. Every result also goes to {@link SystemActivity}, the
 * Systems page's health history.
 */
@Component("systems")
public class SystemProbes implements CompositeHealthContributor, DisposableBean {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SystemProbes.class);

    private final Map<String, SystemStatus> latest = new LinkedHashMap<>();
    /** per system: its reachability as confirmed (probesToConfirm results in a row), and the results against it */
    private final Map<String, Confirmed> confirmed = new HashMap<>();
    private final int probesToConfirm;
    private final Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
    private final SystemBreakers breakers;
    private final SystemActivity activity;
    private final SystemRegistry systems;
    private final ApplicationContext beans;
    private final JsonRpc jsonRpc;
    private final HttpClient http;
    private final Duration timeout;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "esb-system-probes");
        t.setDaemon(true);
        return t;
    });

    public SystemProbes(SystemBreakers breakers, SystemActivity activity, SystemRegistry systems,
                        ApplicationContext beans, JsonRpc jsonRpc, MeterRegistry meters,
                        @Value("${esb.health.probe-timeout-ms:3000}") long timeoutMs,
                        @Value("${esb.health.probe-period-ms:10000}") long periodMs,
                        @Value("${esb.health.probes-to-confirm:2}") int probesToConfirm) {
        this.breakers = breakers;
        this.probesToConfirm = Math.max(1, probesToConfirm);
        this.activity = activity;
        this.systems = systems;
        this.beans = beans;
        this.jsonRpc = jsonRpc;
        this.timeout = Duration.ofMillis(timeoutMs);
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        for (String system : systems.all().keySet()) {
            indicators.put(system, () -> health(system));
            Gauge.builder("esb.system.reachable", () -> {
                        SystemStatus s = status(system);
                        return s != null && s.reachable() ? 1 : 0;
                    }).tag("system", system).description("1 when the last probe of the system succeeded")
                    .register(meters);
            Gauge.builder("esb.system.probe.latency", () -> {
                        SystemStatus s = status(system);
                        return s == null ? 0 : s.latencyMs() / 1000.0;
                    }).tag("system", system).baseUnit("seconds").description("duration of the last probe")
                    .register(meters);
        }
        scheduler.scheduleWithFixedDelay(this::probeAll, 0, periodMs, TimeUnit.MILLISECONDS);
    }

    /** The systems as last probed, with their breaker state now. */
    public List<SystemStatus> statuses() {
        return systems.all().keySet().stream().map(system -> {
            SystemStatus s = status(system);
            String breaker = breakers.breaker(system).getState().name();
            return s == null ? new SystemStatus(system, false, 0, breaker, "not probed yet", null)
                    : new SystemStatus(system, s.reachable(), s.latencyMs(), breaker, s.detail(), s.checkedAt());
        }).toList();
    }

    /** Probes every system now (also used by tests that cannot wait for the next period). */
    public void probeAll() {
        systems.all().keySet().forEach(system -> probe(system, () -> probeBy(system)));
    }

    private synchronized SystemStatus status(String system) {
        return latest.get(system);
    }

    private Health health(String system) {
        SystemStatus s = statuses().stream().filter(x -> x.system().equals(system)).findFirst().orElseThrow();
        Health.Builder builder = s.checkedAt() == null ? Health.unknown() : s.reachable() ? Health.up() : Health.down();
        builder.withDetail("reachable", s.reachable())
                .withDetail("latencyMs", s.latencyMs())
                .withDetail("circuitBreaker", s.breakerState())
                .withDetail("detail", s.detail());
        if (s.checkedAt() != null) {
            builder.withDetail("checkedAt", s.checkedAt().toString());
        }
        return builder.build();
    }

    private interface Probe {
        String run() throws Exception;
    }

    private void probe(String system, Probe probe) {
        long start = System.nanoTime();
        boolean ok;
        String detail;
        try {
            detail = probe.run();
            ok = true;
        } catch (Exception e) {
            ok = false;
            detail = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        Instant at = Instant.now();
        boolean changed;
        synchronized (this) {
            latest.put(system, new SystemStatus(system, ok, ms, breakers.breaker(system).getState().name(), detail,
                    at));
            changed = confirms(system, ok);
        }
        activity.probed(system, ok, ms, detail, at);
        if (changed) {
            stateChanged(system, ok, detail);
        }
    }

    /**
     * Whether this result changes the system's confirmed reachability: only {@code esb.health.probes-to-confirm}
     * results in a row against it do. A system failing some of its calls fails some probes too; each single flip was
     * a "reachable again" that forced its breaker half-open and made the whole retry lane due (the fault suite's CRM,
     * failing 15 %: 35 flips in 9 minutes, each releasing over a thousand waiting messages at once). The first result
     * sets it without a change.
     */
    private boolean confirms(String system, boolean ok) {
        Confirmed now = confirmed.get(system);
        if (now == null || now.reachable() == ok) {
            confirmed.put(system, new Confirmed(ok, 0));
            return false;
        }
        boolean changed = now.against() + 1 >= probesToConfirm;
        confirmed.put(system, changed ? new Confirmed(ok, 0) : new Confirmed(now.reachable(), now.against() + 1));
        return changed;
    }

    private record Confirmed(boolean reachable, int against) {
    }

    /**
     * One log line per confirmed change of a system's reachability (not one per failed call). A system back lets its
     * breaker try it at once (half-open: its trial calls) instead of after the breaker's whole wait, and tells whoever
     * waits for it ({@link SystemReachableAgain}: the retry lane runs its messages now). The Systems page's probe
     * history ({@link SystemActivity#probed}) keeps every result, flips unconfirmed included.
     */
    private void stateChanged(String system, boolean reachable, String detail) {
        if (!reachable) {
            LOG.warn("System {} is unreachable: {}", system, detail);
            return;
        }
        LOG.info("System {} is reachable again", system);
        var breaker = breakers.breaker(system);
        if (breaker.getState() == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN) {
            breaker.transitionToHalfOpenState();
        }
        beans.publishEvent(new SystemReachableAgain(system));
    }

    private String httpProbe(String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("GET " + url + " answered " + response.statusCode());
        }
        return "GET " + url + " answered " + response.statusCode();
    }

    /** The probe the system's declaration names (esb.systems.<name>.health.type): http, sql, json-rpc or none. */
    private String probeBy(String name) throws Exception {
        SystemDeclaration system = systems.all().get(name);
        return switch (system.probeType()) {
            case "http" -> httpProbe(system.getHealthUrl());
            case "sql" -> sqlProbe(system.getDatasourceBean());
            case "json-rpc" -> {
                String method = system.getHealth().getMethod() == null ? "common.server.version" : system.getHealth().getMethod();
                jsonRpc.call(name, method, system.getHealth().getParams());
                yield "JSON-RPC " + method + " on " + system.getBaseUrl();
            }
            case "none" -> "not probed (no health.type, health-url or datasource-bean declared)";
            default -> throw new IllegalStateException("esb.systems." + name + ".health.type=" + system.probeType()
                    + " is not one of http, sql, json-rpc, none");
        };
    }

    private String sqlProbe(String beanName) throws Exception {
        DataSource dataSource = beans.getBean(beanName, DataSource.class);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            s.execute("SELECT 1");
            return "SELECT 1 on " + beanName;
        }
    }

    @Override
    public HealthContributor getContributor(String name) {
        return indicators.get(name);
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        return indicators.entrySet().stream()
                .map(e -> NamedContributor.<HealthContributor>of(e.getKey(), e.getValue()))
                .iterator();
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
