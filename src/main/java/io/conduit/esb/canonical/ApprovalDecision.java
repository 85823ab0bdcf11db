package io.conduit.esb.canonical;

import com.fasterxml.jackson.annotation.JsonFormat;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * The decision on an {@link ApprovalRequest} (schema {@code urn:conduit:schema:approval-decision:1}) for the version
 * it was made on ({@code requestVersion}, {@code fingerprint}). {@code decisionId} is {@code requestId@requestVersion}:
 * the same however often the decision is sent, so the source applies it once. {@code subject} names the request in
 * the source's terms (a requisition: {@code requisitionNo}).
 */
public record ApprovalDecision(String decisionId,
                               String requestId,
                               ApprovalJourney journey,
                               int requestVersion,
                               String fingerprint,
                               Outcome outcome,
                               BigDecimal approvedQuantity,
                               String reason,
                               String decidedBy,
                               @JsonFormat(shape = JsonFormat.Shape.STRING) OffsetDateTime decidedAt,
                               List<Step> steps,
                               Map<String, Object> subject) {

    /** What was decided: as asked, with a smaller quantity, or not at all. */
    public enum Outcome {
        APPROVED,
        REJECTED,
        CHANGED
    }

    /** One step's decision, by the step's group or (escalationLevel 1) the group above it. */
    public record Step(int step,
                       String approverGroup,
                       int escalationLevel,
                       Outcome outcome,
                       String decidedBy,
                       String comment,
                       BigDecimal approvedQuantity,
                       @JsonFormat(shape = JsonFormat.Shape.STRING) OffsetDateTime decidedAt) {
    }
}
