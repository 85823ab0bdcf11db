package io.conduit.esb.inventory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Metrics of the ERP -> CRM feedback, called by the routes as bean {@code inventoryFeedbackMetrics}:
 * <ul>
 *   <li>{@code esb.feedback.lag} (timer, tag entity): from the ERP change (the row's upd_ts) to the CRM's answer,
 *       with a percentile histogram and p50/p95/p99;</li>
 *   <li>{@code esb.feedback.events} (counter, tags entity, stage=captured|delivered): its rate is events per second;</li>
 *   <li>{@code esb.feedback.coalesced} (counter, tag entity): events not sent to the CRM because a later state of the
 *       same item or order was already sent.</li>
 * </ul>
 */
@Component("inventoryFeedbackMetrics")
public class InventoryFeedbackMetrics {

    private final MeterRegistry registry;
    private final Map<String, Timer> lag = new ConcurrentHashMap<>();

    public InventoryFeedbackMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code count} changes of {@code entity} were captured from the ERP. */
    public void captured(String entity, int count) {
        Counter.builder("esb.feedback.events").tag("entity", entity).tag("stage", "captured")
                .description("ERP changes captured / delivered to the CRM").register(registry).increment(count);
    }

    /** The CRM accepted the state of an ERP row changed at {@code changedAt} (ISO-8601, may be null). */
    public void delivered(String entity, String changedAt) {
        Counter.builder("esb.feedback.events").tag("entity", entity).tag("stage", "delivered")
                .description("ERP changes captured / delivered to the CRM").register(registry).increment();
        if (changedAt != null && !changedAt.isBlank()) {
            Instant changed = OffsetDateTime.parse(changedAt).toInstant();
            Duration d = Duration.between(changed, Instant.now());
            lagTimer(entity).record(d.isNegative() ? Duration.ZERO : d);
        }
    }

    /** An event was skipped because a later (or the same) state of its row was already delivered. */
    public void coalesced(String entity) {
        Counter.builder("esb.feedback.coalesced").tag("entity", entity)
                .description("Feedback events superseded by a later state of the same row").register(registry).increment();
    }

    /** p50, p95, p99 (ms) and count of the ERP-to-CRM lag of {@code entity} so far, for reports and benchmarks. */
    public Map<String, Double> lagSummary(String entity) {
        Map<String, Double> summary = new LinkedHashMap<>();
        var snapshot = lagTimer(entity).takeSnapshot();
        for (ValueAtPercentile p : snapshot.percentileValues()) {
            summary.put("p" + Math.round(p.percentile() * 100), p.value(java.util.concurrent.TimeUnit.MILLISECONDS));
        }
        summary.put("count", (double) snapshot.count());
        summary.put("max", snapshot.max(java.util.concurrent.TimeUnit.MILLISECONDS));
        return summary;
    }

    private Timer lagTimer(String entity) {
        return lag.computeIfAbsent(entity, e -> Timer.builder("esb.feedback.lag").tag("entity", e)
                .description("ERP change to CRM update")
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry));
    }
}
