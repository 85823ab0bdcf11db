package io.conduit.esb.sandbox.fault;

/**
 * The fault state of one simulated system, as read and written by {@code /sandbox/{system}/admin/faults}.
 * <p>
 * {@link #normalized()} turns a request into the state that is actually applied: {@code normal} clears
 * everything; {@code slow} delays every call by {@code latencyMs} (default {@value #DEFAULT_LATENCY_MS});
 * {@code failing} fails calls with probability {@code errorRate} (default 1.0, i.e. always) after an optional
 * {@code latencyMs}, and holds a call for {@value #TIMEOUT_HOLD_MS} ms before handling it with probability
 * {@code timeoutRate} (the caller times out, the call still takes effect: a lost answer; HTTP APIs only, the ERP's
 * database faults ignore it); {@code down} makes the system unreachable and ignores the numbers.
 *
 * @param mode      required
 * @param latencyMs delay per call in milliseconds, 0..{@value #MAX_LATENCY_MS}
 * @param errorRate probability 0..1 that a call fails
 * @param timeoutRate probability 0..1 that a call is held past the caller's timeout, then handled ({@code failing})
 */
public record FaultSettings(FaultMode mode, Integer latencyMs, Double errorRate, Double timeoutRate) {

    /** How long a call chosen by {@code timeoutRate} is held: longer than the ESB's response timeouts (5 s). */
    public static final int TIMEOUT_HOLD_MS = 10_000;

    public static final int DEFAULT_LATENCY_MS = 2000;
    public static final int MAX_LATENCY_MS = 300_000;

    /** A healthy system. */
    public static final FaultSettings NORMAL = new FaultSettings(FaultMode.NORMAL, 0, 0.0);

    /** Without timeouts. */
    public FaultSettings(FaultMode mode, Integer latencyMs, Double errorRate) {
        this(mode, latencyMs, errorRate, 0.0);
    }

    public static FaultSettings slow(int latencyMs) {
        return new FaultSettings(FaultMode.SLOW, latencyMs, 0.0).normalized();
    }

    public static FaultSettings failing(double errorRate) {
        return new FaultSettings(FaultMode.FAILING, 0, errorRate).normalized();
    }

    public static FaultSettings down() {
        return new FaultSettings(FaultMode.DOWN, 0, 0.0);
    }

    /**
     * Validates this request and fills in the defaults of its mode.
     *
     * @throws IllegalArgumentException when the mode is missing or a number is out of range
     */
    public FaultSettings normalized() {
        if (mode == null) {
            throw new IllegalArgumentException("'mode' is required: normal, slow, failing or down");
        }
        if (latencyMs != null && (latencyMs < 0 || latencyMs > MAX_LATENCY_MS)) {
            throw new IllegalArgumentException("'latencyMs' must be between 0 and " + MAX_LATENCY_MS);
        }
        if (errorRate != null && (errorRate.isNaN() || errorRate < 0.0 || errorRate > 1.0)) {
            throw new IllegalArgumentException("'errorRate' must be between 0 and 1");
        }
        if (timeoutRate != null && (timeoutRate.isNaN() || timeoutRate < 0.0 || timeoutRate > 1.0
                || (errorRate != null && errorRate + timeoutRate > 1.0))) {
            throw new IllegalArgumentException("'timeoutRate' must be between 0 and 1, and errorRate + timeoutRate at most 1");
        }
        return switch (mode) {
            case NORMAL, DOWN -> new FaultSettings(mode, 0, 0.0);
            case SLOW -> new FaultSettings(mode, latencyMs == null ? DEFAULT_LATENCY_MS : latencyMs, 0.0);
            case FAILING -> new FaultSettings(mode, latencyMs == null ? 0 : latencyMs,
                    errorRate == null ? (timeoutRate == null || timeoutRate == 0.0 ? 1.0 : 0.0) : errorRate,
                    timeoutRate == null ? 0.0 : timeoutRate);
        };
    }
}
