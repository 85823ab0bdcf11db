package io.conduit.esb.mapping;

/**
 * A mapping could not turn its input into output: the mapping file is missing or has a syntax error, the input
 * is not JSON, or the expression failed on this input. All of these fail again on redelivery, so an error policy
 * should not retry a message that failed with it but park it at once (a fixed mapping file is picked up without
 * a restart, and the parked message can then be replayed).
 */
public class MappingException extends RuntimeException {

    private final String mapping;

    public MappingException(String mapping, String message, Throwable cause) {
        super("Mapping " + mapping + ": " + message, cause);
        this.mapping = mapping;
    }

    /** The mapping's name, relative to the mappings folder, e.g. {@code crm/opportunity-to-order.jsonata}. */
    public String mapping() {
        return mapping;
    }

    /** Always false: a mapping failure is deterministic, a redelivery would fail the same way. */
    public boolean isRetryable() {
        return false;
    }
}
