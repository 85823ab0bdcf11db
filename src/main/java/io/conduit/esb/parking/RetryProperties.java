package io.conduit.esb.parking;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the retry lane ({@code esb.retry.*}, defaults in {@code config/replay.yaml}; see {@link RetryLane}).
 *
 * @param enabled       false: a message whose redeliveries ran out is parked at once, as before the lane
 * @param delays        waits before the lane's rounds, in order; the last one repeats
 * @param giveUpAfter   a message still failing this long after its first failure is parked
 * @param pollInterval  how often the lane looks for due messages
 * @param concurrency   messages the lane runs at the same time
 * @param batch         most messages taken per look
 */
@ConfigurationProperties("esb.retry")
public record RetryProperties(Boolean enabled, List<Duration> delays, Duration giveUpAfter, Duration pollInterval,
                              Integer concurrency, Integer batch) {

    public RetryProperties {
        enabled = enabled == null || enabled;
        delays = delays == null || delays.isEmpty()
                ? List.of(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(60))
                : List.copyOf(delays);
        giveUpAfter = giveUpAfter == null ? Duration.ofHours(1) : giveUpAfter;
        pollInterval = pollInterval == null || pollInterval.isZero() || pollInterval.isNegative()
                ? Duration.ofSeconds(1) : pollInterval;
        concurrency = concurrency == null || concurrency < 1 ? 4 : concurrency;
        batch = batch == null || batch < 1 ? 50 : batch;
    }

    /** The wait before round {@code round} (0 = the first round from the lane). */
    public Duration delay(int round) {
        return delays.get(Math.min(Math.max(round, 0), delays.size() - 1));
    }
}
