package io.conduit.esb.canonical;

/**
 * Where a complaint stands, in rank order: a status update only ever moves a complaint forward, so an
 * {@code ASSIGNED} that arrives after {@code RESOLVED} changes nothing. (The same ranking is in the database
 * function {@code esb.complaint_status_rank}.)
 */
public enum ComplaintStatus {
    /** Routed to a department's queue, nobody has taken it yet. */
    OPEN,
    /** Someone in the department has taken it. */
    ASSIGNED,
    /** Being worked on. */
    IN_PROGRESS,
    /** Done, with a resolution text. */
    RESOLVED;

    public int rank() {
        return ordinal();
    }
}
