package io.conduit.esb.sandbox.crm;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/** One ERP status update the ESB sent to the sandbox CRM, as kept in {@code sandbox_crm.erp_status_history}. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ErpStatusHistoryEntry(String opportunityId, String erpOrderNo, String erpStatus, Instant erpSyncedAt,
                                    Instant receivedAt) {
}
