package io.conduit.esb.canonical;

/**
 * The kinds of request the approvals flow decides; each has its own {@code subject} shape in
 * {@link ApprovalRequest}.
 */
public enum ApprovalJourney {
    /** An ERP purchase requisition: an item, a quantity, a budget line. */
    PURCHASE_REQUISITION,
    /** A CRM quote whose discount or margin crosses the CRM's threshold: lines, discount, net total, margin. */
    QUOTE_DISCOUNT,
    /** An OA business trip request: its subject is a {@link TripRequest} (cost centre, dates, estimated cost). */
    BUSINESS_TRIP
}
