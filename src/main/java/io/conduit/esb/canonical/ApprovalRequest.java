package io.conduit.esb.canonical;

import com.fasterxml.jackson.annotation.JsonFormat;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A request a source system wants decided by people (schema {@code urn:conduit:schema:approval-request:1}), e.g. an
 * ERP purchase requisition. {@code sourceVersion} grows whenever the source changes what is asked; {@code subject} is
 * what is asked (its shape per {@link ApprovalJourney}, for a requisition {@code requisitionNo, item, quantity,
 * unitPrice, estimatedCost, neededBy, suggestedSupplier, budgetLine}); {@code context} is what the approvers should
 * know without it changing the request (for a requisition {@code remainingBudget, budgetTotal}).
 */
public record ApprovalRequest(String requestId,
                              ApprovalJourney journey,
                              String source,
                              int sourceVersion,
                              Status status,
                              String department,
                              String requestedBy,
                              BigDecimal amount,
                              String currency,
                              String title,
                              Map<String, Object> subject,
                              Map<String, Object> context,
                              @JsonFormat(shape = JsonFormat.Shape.STRING) OffsetDateTime changedAt) {

    /** The source's status of the request. */
    public enum Status {
        /** waiting for a decision */
        PENDING,
        /** withdrawn by the requester */
        WITHDRAWN,
        /** released or cancelled in the source */
        CLOSED
    }
}
