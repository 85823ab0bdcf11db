package io.conduit.esb.canonical;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.LocalDate;

/**
 * A person employed by the company as the HR system knows them (schema {@code urn:conduit:schema:employee:1}).
 * <p>
 * {@code employeeId} is HR's employee number and the business key everywhere (ERP user, OA account, CRM user).
 * {@code department} is an upper-case code ({@code SALES}, {@code FINANCE}, ...); {@code managerId} is the
 * manager's employee id. {@code startDate} comes with a hire, {@code endDate} with a leave; {@code status} is
 * {@link Status#INACTIVE} once the person has left. Fields not given (a change that only moves a person to another
 * department) are left out of the JSON and mean "unchanged".
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Employee(int schemaVersion,
                       String employeeId,
                       String name,
                       String email,
                       String department,
                       String jobTitle,
                       String managerId,
                       @JsonFormat(shape = JsonFormat.Shape.STRING) LocalDate startDate,
                       @JsonFormat(shape = JsonFormat.Shape.STRING) LocalDate endDate,
                       Status status) {

    public enum Status {
        ACTIVE,
        INACTIVE
    }
}
