package io.conduit.esb.ops;

import java.util.List;

/**
 * Live figures of one flow (a route group).
 *
 * @param flow              the flow id, e.g. {@code order-handoff}
 * @param state             UP (all routes started), DEGRADED (some stopped or failing), DOWN (none running)
 * @param routesStarted     routes running
 * @param routesTotal       routes in the flow
 * @param throughputPerMin  exchanges completed in the last minute
 * @param errorRate         failed / total exchanges over the last 5 minutes (0..1)
 * @param meanLatencyMs     mean exchange time over the last 5 minutes
 * @param parked            messages waiting in the parking lot
 * @param backlog           messages waiting to be consumed (Kafka consumer lag plus JMS queue depth)
 * @param throughputHistory exchanges per sample interval, oldest first (for the console's chart)
 */
public record FlowStatus(String flow, String state, int routesStarted, int routesTotal, double throughputPerMin,
                         double errorRate, double meanLatencyMs, long parked, long backlog,
                         List<Double> throughputHistory) {
}
