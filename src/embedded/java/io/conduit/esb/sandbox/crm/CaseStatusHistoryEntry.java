package io.conduit.esb.sandbox.crm;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/** One status update the ESB sent to the sandbox CRM for a case, as kept in {@code sandbox_crm.case_status_history}. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CaseStatusHistoryEntry(String caseNumber, String caseStatus, String assignedTeam, String assignedTo,
                                     String resolution, Boolean escalated, String routingNote, String externalTaskRef,
                                     Instant esbSyncedAt, Instant receivedAt) {
}
