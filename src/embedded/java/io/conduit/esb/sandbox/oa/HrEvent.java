package io.conduit.esb.sandbox.oa;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.time.LocalDate;

/**
 * An HR event as the sandbox OA publishes it on {@code esb.sandbox.oa.hr-event-queue} (this record is the JSON
 * message body) and stores it in {@code sandbox_oa.hr_event}.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record HrEvent(String eventId, String type, String employeeNo, String fullName, String email, String department,
                      String jobTitle, String managerNo, LocalDate effectiveDate, Instant publishedAt) {
}
