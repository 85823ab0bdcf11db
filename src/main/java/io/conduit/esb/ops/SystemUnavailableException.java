package io.conduit.esb.ops;

/**
 * A call to a connected system was not made because its circuit breaker is OPEN (the system kept failing).
 * Retryable: the shared error policy backs off, tries again and parks the message as for any other outage.
 */
public class SystemUnavailableException extends RuntimeException {

    public SystemUnavailableException(String system, String state) {
        super("Circuit breaker of " + system.toUpperCase() + " is " + state + ": call not attempted");
    }
}
