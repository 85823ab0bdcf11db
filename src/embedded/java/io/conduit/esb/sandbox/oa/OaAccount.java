package io.conduit.esb.sandbox.oa;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/** A user account of the sandbox OA ({@code OA-<n>}), one per employee. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record OaAccount(String accountId, String employeeNo, String login, String displayName, String email,
                        String department, boolean active, Instant createdAt, Instant updatedAt) {
}
