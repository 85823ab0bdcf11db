package io.conduit.esb.ops;

/**
 * A call to a connected system was not made because its circuit breaker is OPEN (the system kept failing).
 * Retryable: the shared error policy sends the message to the retry lane, which tries again and finally parks it as
 * for any other outage. Its message quotes the last real failure the breaker counted (see
 * {@link SystemBreakers#refused}), so the reason an operator reads still names the system's own answer.
 */
public class SystemUnavailableException extends RuntimeException {

    public SystemUnavailableException(String system, String state) {
        this(system, state, null);
    }

    /** @param lastFailure the last real failure the breaker counted, in words (null: none known) */
    public SystemUnavailableException(String system, String state, String lastFailure) {
        super("Circuit breaker of " + system.toUpperCase() + " is " + state + ": call not attempted"
                + (lastFailure == null ? "" : "; " + lastFailure));
    }
}
