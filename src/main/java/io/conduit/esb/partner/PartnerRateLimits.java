package io.conduit.esb.partner;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One Resilience4j {@link RateLimiter} per partner: {@code rate_limit_per_minute} permits per minute, no waiting
 * (a request over the limit is refused at once with 429). A changed limit in the registry gets a new limiter.
 */
@Component
public class PartnerRateLimits {

    private record Limiter(int perMinute, RateLimiter limiter) { }

    private final ConcurrentMap<String, Limiter> limiters = new ConcurrentHashMap<>();

    /** True if the partner may make one more request now. */
    public boolean tryAcquire(String partnerId, int perMinute) {
        Limiter limiter = limiters.compute(partnerId, (id, existing) ->
                existing != null && existing.perMinute() == perMinute ? existing : new Limiter(perMinute,
                        RateLimiter.of("partner-" + id, RateLimiterConfig.custom()
                                .limitForPeriod(perMinute)
                                .limitRefreshPeriod(Duration.ofMinutes(1))
                                .timeoutDuration(Duration.ZERO)
                                .build())));
        return limiter.limiter().acquirePermission();
    }

    /** Seconds until the partner's limiter grants permits again (for Retry-After), at least 1. */
    public long retryAfterSeconds(String partnerId) {
        Limiter limiter = limiters.get(partnerId);
        if (limiter == null) {
            return 1;
        }
        if (limiter.limiter() instanceof AtomicRateLimiter atomic) {
            long nanos = atomic.getDetailedMetrics().getNanosToWait();
            return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
        }
        return 60;
    }
}
