package io.conduit.esb.sandbox.crm;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/** A user of the sandbox CRM ({@code CU-<n>}), at most one per employee; deactivated, never deleted. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CrmUser(String userId, String employeeNumber, String userName, String fullName, String emailAddress,
                      String team, String jobTitle, boolean isActive, Instant deactivatedAt, Instant createdAt,
                      Instant lastModified) {
}
