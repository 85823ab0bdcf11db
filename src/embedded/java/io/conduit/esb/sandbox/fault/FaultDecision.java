package io.conduit.esb.sandbox.fault;

/**
 * What a simulated system does with one incoming call: wait {@code delayMs}, then handle it normally, fail it
 * with an internal error, or refuse it as unavailable.
 *
 * @param delayMs how long to block before the outcome, 0 for none
 * @param outcome what happens after the delay
 */
public record FaultDecision(long delayMs, Outcome outcome) {

    /** The result of a call under the current fault state. */
    public enum Outcome {
        /** Handle the call as usual. */
        PROCEED,
        /** Fail with an internal error (HTTP 500, or a thrown exception for a JMS message). */
        FAIL,
        /** The system is down (HTTP 503, or a JMS message left on its queue). */
        UNAVAILABLE
    }

    public static final FaultDecision PROCEED = new FaultDecision(0, Outcome.PROCEED);

    public boolean proceeds() {
        return outcome == Outcome.PROCEED;
    }
}
