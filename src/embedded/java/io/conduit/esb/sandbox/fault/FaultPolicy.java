package io.conduit.esb.sandbox.fault;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Decides, for one call to a simulated system, whether it is delayed, failed or refused under the current
 * {@link FaultSettings}. Shared by the HTTP filter and the OA's JMS listener so both behave alike; the random
 * source is injectable so tests can make {@code failing} with a partial error rate deterministic.
 */
public class FaultPolicy {

    private final DoubleSupplier random;

    /** A policy drawing from {@link ThreadLocalRandom}. */
    public FaultPolicy() {
        this(() -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random yields values in [0, 1); a call fails when the value is below the error rate */
    public FaultPolicy(DoubleSupplier random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    public FaultDecision decide(FaultSettings settings) {
        return switch (settings.mode()) {
            case NORMAL -> FaultDecision.PROCEED;
            case DOWN -> new FaultDecision(0, FaultDecision.Outcome.UNAVAILABLE);
            case SLOW -> new FaultDecision(latency(settings), FaultDecision.Outcome.PROCEED);
            case FAILING -> failing(settings, random.getAsDouble());
        };
    }

    /** One draw: below errorRate fails, the next timeoutRate is held past the caller's timeout, the rest proceeds. */
    private static FaultDecision failing(FaultSettings settings, double draw) {
        double timeoutRate = settings.timeoutRate() == null ? 0.0 : settings.timeoutRate();
        if (draw < rate(settings)) {
            return new FaultDecision(latency(settings), FaultDecision.Outcome.FAIL);
        }
        if (draw < rate(settings) + timeoutRate) {
            return new FaultDecision(latency(settings) + FaultSettings.TIMEOUT_HOLD_MS, FaultDecision.Outcome.PROCEED);
        }
        return new FaultDecision(latency(settings), FaultDecision.Outcome.PROCEED);
    }

    private static long latency(FaultSettings settings) {
        return settings.latencyMs() == null ? 0 : Math.max(0, settings.latencyMs());
    }

    private static double rate(FaultSettings settings) {
        return settings.errorRate() == null ? 0.0 : settings.errorRate();
    }
}
