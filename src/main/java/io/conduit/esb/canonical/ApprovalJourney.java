package io.conduit.esb.canonical;

/**
 * The kinds of request the approvals flow decides; each has its own {@code subject} shape in
 * {@link ApprovalRequest}. Quotes and business trips follow in later versions of the schema.
 */
public enum ApprovalJourney {
    /** An ERP purchase requisition: an item, a quantity, a budget line. */
    PURCHASE_REQUISITION
}
