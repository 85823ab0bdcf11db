package io.conduit.esb.journal;

/** One step of a message's journey through a flow, as recorded in the journal. */
public enum Hop {
    /** a route took the message from its source (HTTP, Kafka, JMS) */
    RECEIVED,
    /** the message passed a schema check */
    VALIDATED,
    /** a mapping turned it into its next shape (canonical or target) */
    MAPPED,
    /** it was handed to a broker (Kafka topic, JMS queue) */
    PUBLISHED,
    /** a target system accepted it; the target's id is recorded */
    DELIVERED,
    /** a versioned delivery was not sent: the target has a newer version, or this one already; the reason is recorded */
    SUPERSEDED,
    /** an attempt failed (will be retried); the reason is recorded */
    FAILED,
    /** retries ran out or cannot help: kept in the parking lot */
    PARKED,
    /** an operator replayed a parked message */
    REPLAYED,
    /** an operator discarded a parked message, with a reason */
    DISCARDED,
    /**
     * not a message's hop: a connected system's circuit breaker opened (calls to it fail at once); recorded with the
     * system as target and business key {@code system}, the breaker's figures as detail
     */
    BREAKER_OPENED,
    /** a system's circuit breaker lets its trial calls through (after its wait, or when the probes find it back) */
    BREAKER_HALF_OPEN,
    /** a system's circuit breaker closed again: calls go through */
    BREAKER_CLOSED
}
