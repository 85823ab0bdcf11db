package io.conduit.esb.ops;

import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

import java.util.Iterator;

/**
 * One health entry per flow ({@code /actuator/health/flows/{flow}}) from {@link FlowMonitor}'s last sample:
 * UP, DEGRADED (some routes stopped or error rate above {@code esb.ops.degraded-error-rate}; answered 200) or DOWN
 * (no route running), with routes, throughput, error rate, latency, parked count and backlog.
 */
@Component("flows")
public class FlowHealth implements CompositeHealthContributor {

    static final Status DEGRADED = new Status("DEGRADED", "some routes stopped or failing often");

    private final FlowMonitor monitor;

    public FlowHealth(FlowMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return monitor.flowIds().contains(name) ? indicator(name) : null;
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        return monitor.flowIds().stream()
                .map(flow -> NamedContributor.<HealthContributor>of(flow, indicator(flow)))
                .iterator();
    }

    private HealthIndicator indicator(String flow) {
        return () -> {
            FlowStatus s = monitor.flow(flow);
            if (s == null) {
                return Health.unknown().build();
            }
            Status status = switch (s.state()) {
                case "UP" -> Status.UP;
                case "DOWN" -> Status.DOWN;
                default -> DEGRADED;
            };
            return Health.status(status)
                    .withDetail("routesStarted", s.routesStarted())
                    .withDetail("routesTotal", s.routesTotal())
                    .withDetail("throughputPerMin", s.throughputPerMin())
                    .withDetail("errorRate", s.errorRate())
                    .withDetail("meanLatencyMs", s.meanLatencyMs())
                    .withDetail("parked", s.parked())
                    .withDetail("backlog", s.backlog())
                    .build();
        };
    }
}
