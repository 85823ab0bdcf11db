package io.conduit.esb.sandbox.crm;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * One attempt to deliver a webhook event, as kept in {@code sandbox_crm.webhook_delivery}.
 *
 * @param httpStatus the receiver's status, null when no response came
 * @param error      why the attempt failed (connection error, non-2xx), null when it succeeded
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record WebhookDelivery(String eventId, String opportunityId, int attempt, boolean resend, Integer httpStatus,
                              String error, Instant sentAt) {

    public boolean succeeded() {
        return httpStatus != null && httpStatus >= 200 && httpStatus < 300;
    }
}
