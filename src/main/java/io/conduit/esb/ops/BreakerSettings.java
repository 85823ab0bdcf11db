package io.conduit.esb.ops;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the per-system circuit breakers ({@code esb.breakers.*}, file {@code config/observability.yaml}). */
@ConfigurationProperties("esb.breakers")
public record BreakerSettings(
        /* failure rate (%) over the sliding window that opens the breaker */
        float failureRateThreshold,
        /* TIME_BASED: the calls of the last slidingWindowSize seconds; COUNT_BASED: the last slidingWindowSize calls */
        SlidingWindowType slidingWindowType,
        /* seconds (time-based) or calls (count-based) in the sliding window */
        int slidingWindowSize,
        /* fewest calls before the failure rate counts */
        int minimumNumberOfCalls,
        /* ms OPEN before trial calls are let through */
        long waitInOpenStateMs,
        /* trial calls in HALF_OPEN */
        int permittedCallsInHalfOpenState,
        /* a call slower than this (ms) is slow */
        long slowCallDurationThresholdMs,
        /* share (%) of slow calls that opens the breaker */
        float slowCallRateThreshold) {
}
