package io.conduit.esb.canonical;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;

/**
 * Every target system has applied one HR event (schema {@code urn:conduit:schema:employee-sync-completed:1}):
 * for a hire this is "onboarding complete". {@code accounts} names the user / account each system has for the
 * employee; a system with nothing for the employee (no CRM user for a finance hire) is left out.
 */
public record EmployeeSyncCompleted(String eventId,
                                    EventType eventType,
                                    String employeeId,
                                    Accounts accounts,
                                    @JsonFormat(shape = JsonFormat.Shape.STRING) OffsetDateTime completedAt) {

    public enum EventType {
        HIRE,
        CHANGE,
        LEAVE
    }

    /** The ids in the target systems. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Accounts(String erpUserId, String oaAccountId, String crmUserId) {
    }
}
