package io.conduit.esb.sandbox.oa;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An approval task in the sandbox OA ({@code APR-<n>}): one step (and escalation level) of the approval of a
 * caller's request ({@code reference}, in its {@code version}), for a group of approvers. {@code data} is the
 * caller's structured data as sent (a requisition's {@code quantity} is what a CHANGED decision must stay below);
 * {@code quantity}, {@code comment}, {@code decidedBy} and {@code decidedAt} are the decision once there is one.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record OaApproval(String approvalId, String reference, int version, String fingerprint, int step, int level,
                         String journey, String approverGroup, String title, String text, JsonNode data,
                         Instant dueAt, String status, String decidedBy, String comment, BigDecimal quantity,
                         Instant decidedAt, String cancelReason, Instant createdAt, Instant updatedAt) {

    /** The statuses an approval task can have; all but OPEN are final. */
    public enum Status { OPEN, APPROVED, REJECTED, CHANGED, CANCELLED }

    /** What an approver can decide. */
    public enum Decision { APPROVED, REJECTED, CHANGED }
}
