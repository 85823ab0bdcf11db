package io.conduit.esb.canonical;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;

/**
 * What happened to a complaint after intake (schema {@code urn:conduit:schema:complaint-status-update:1}): it was
 * routed to a department ({@code department}, {@code queue}, {@code flagged} when the routing table did not know
 * its category, {@code flagReason} why), its OA task moved on ({@code status}, {@code taskId}, {@code assignee}, {@code resolution}), or it
 * was escalated to the department's manager ({@code escalated}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ComplaintStatusUpdate(String complaintId,
                                    ComplaintStatus status,
                                    String department,
                                    String queue,
                                    String taskId,
                                    String assignee,
                                    String resolution,
                                    Boolean escalated,
                                    Boolean flagged,
                                    String flagReason,
                                    @JsonFormat(shape = JsonFormat.Shape.STRING) OffsetDateTime occurredAt) {
}
