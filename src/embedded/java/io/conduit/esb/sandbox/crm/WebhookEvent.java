package io.conduit.esb.sandbox.crm;

/**
 * A webhook event of the sandbox CRM, stored before it is sent so that it can be sent again unchanged.
 *
 * @param eventId       {@code wh-<uuid>}
 * @param eventType     e.g. {@value #OPPORTUNITY_CLOSED_WON}
 * @param opportunityId the opportunity it is about
 * @param revision      the opportunity's revision in the event
 * @param payload       the JSON body exactly as sent: {@code {"eventId","eventType","occurredAt","data"}}
 */
public record WebhookEvent(String eventId, String eventType, String opportunityId, int revision, String payload) {

    public static final String OPPORTUNITY_CLOSED_WON = "opportunity.closed_won";
}
