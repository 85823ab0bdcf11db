package io.conduit.esb.sandbox.oa;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A work task in the sandbox OA, created from a JMS message ({@code TSK-<n>}). {@code priority} is the JMS priority
 * of that message (0..9, 4 by default); {@code body} is the message's {@code body} JSON as sent.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record OaTask(String taskId, String queue, int priority, String title, JsonNode body, String status,
                     String externalRef, String jmsMessageId, Instant createdAt, Instant updatedAt) {

    /** The statuses a task can have. */
    public enum Status { OPEN, IN_PROGRESS, DONE, REJECTED, CANCELLED }
}
