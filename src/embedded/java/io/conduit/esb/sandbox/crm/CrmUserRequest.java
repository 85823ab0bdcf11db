package io.conduit.esb.sandbox.crm;

import io.conduit.esb.sandbox.SandboxProblems;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The body of {@code POST /sandbox/crm/api/users}. {@code employeeNumber} and {@code fullName} are required;
 * {@code userName} defaults to the e-mail address, else the employee number, in lower case.
 */
public record CrmUserRequest(String employeeNumber, String userName, String fullName, String emailAddress,
                             String team, String jobTitle) {

    /** @throws org.springframework.web.ErrorResponseException 400 listing the missing fields */
    public CrmUserRequest validated() {
        List<String> missing = new ArrayList<>();
        if (employeeNumber == null || employeeNumber.isBlank()) {
            missing.add("employeeNumber");
        }
        if (fullName == null || fullName.isBlank()) {
            missing.add("fullName");
        }
        if (!missing.isEmpty()) {
            throw SandboxProblems.missingFields(missing);
        }
        String name = userName != null && !userName.isBlank() ? userName.trim()
                : (emailAddress != null && !emailAddress.isBlank() ? emailAddress.trim() : employeeNumber.trim())
                        .toLowerCase(Locale.ROOT);
        return new CrmUserRequest(employeeNumber.trim(), name, fullName.trim(), emailAddress, team, jobTitle);
    }
}
