package io.conduit.esb.canonical;

/**
 * Where an order stands in its life, in system-neutral terms. Each system's own status codes are translated to
 * and from these in the mappings (e.g. the ERP's {@code PRD} is {@link #IN_PRODUCTION}).
 */
public enum OrderStatus {
    /** Known to the ESB or the ERP, not yet confirmed. */
    RECEIVED,
    /** Confirmed by the ERP. */
    ACCEPTED,
    IN_PRODUCTION,
    SHIPPED,
    DELIVERED,
    CANCELLED,
    /** Refused by the ERP; it will not be fulfilled. */
    REJECTED
}
