package io.conduit.esb.sandbox.crm;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * A customer service case (a complaint) as the sandbox CRM's API returns it, and as the {@code data} of its
 * {@code case.created} webhook. {@code categoryCode} is the CRM's picklist code (DMG, LATE, INV, DEF, ... admins may
 * add codes), {@code priority} one of Low/Medium/High/Urgent, {@code origin} Email/Phone/Web/Chat. The fields from
 * {@code caseStatus} on are what the ESB last reported through {@code PATCH}.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SupportCase(String caseNumber, String accountNo, String accountName, String accountTier,
                          String relatedOpportunityId, String categoryCode, String priority, String origin,
                          String subject, String description, String productSku, String productName,
                          String productLine, String caseStatus, String assignedTeam, String assignedTo,
                          String resolution, boolean escalated, String routingNote, String externalTaskRef,
                          Instant esbSyncedAt, Instant openedAt, Instant lastModified) {

    public static final String STATUS_NEW = "New";
}
