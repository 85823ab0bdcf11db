package io.conduit.esb.sandbox.crm;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A sales opportunity as the sandbox CRM's API returns it (and as the {@code data} of its webhook events).
 * {@code amount} is a decimal string with two fraction digits; the {@code erp*} fields are what the ESB last
 * reported through {@code PATCH}.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Opportunity(String opportunityId, String accountNo, String accountName, String currencyCode,
                          String amount, LocalDate closeDate, LocalDate deliveryDate, String stage, int revision,
                          List<OpportunityProduct> products, String erpOrderNo, String erpStatus, Instant erpSyncedAt,
                          Instant createdAt, Instant lastModified) {

    public static final String STAGE_PROSPECTING = "Prospecting";
    public static final String STAGE_CLOSED_WON = "Closed Won";

    public boolean isWon() {
        return STAGE_CLOSED_WON.equals(stage);
    }
}
