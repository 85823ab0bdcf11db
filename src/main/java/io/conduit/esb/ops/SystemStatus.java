package io.conduit.esb.ops;

import java.time.Instant;

/**
 * Health of one connected system (CRM, ERP, OA).
 *
 * @param system       crm, erp or oa
 * @param reachable    the last probe succeeded
 * @param latencyMs    how long the last probe took
 * @param breakerState the circuit breaker guarding calls to it: CLOSED, OPEN, HALF_OPEN
 * @param detail       what the probe saw (error message, endpoint)
 * @param checkedAt    when it was probed
 */
public record SystemStatus(String system, boolean reachable, long latencyMs, String breakerState, String detail,
                           Instant checkedAt) {
}
