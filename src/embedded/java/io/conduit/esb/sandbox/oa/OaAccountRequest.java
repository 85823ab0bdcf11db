package io.conduit.esb.sandbox.oa;

import io.conduit.esb.sandbox.SandboxProblems;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The body of {@code POST /sandbox/oa/api/accounts}. {@code employeeNo} and {@code displayName} are required;
 * {@code login} defaults to the employee number in lower case and {@code active} to true.
 */
public record OaAccountRequest(String employeeNo, String login, String displayName, String email, String department,
                               Boolean active) {

    /** @throws org.springframework.web.ErrorResponseException 400 listing the missing fields */
    public OaAccountRequest validated() {
        List<String> missing = new ArrayList<>();
        if (employeeNo == null || employeeNo.isBlank()) {
            missing.add("employeeNo");
        }
        if (displayName == null || displayName.isBlank()) {
            missing.add("displayName");
        }
        if (!missing.isEmpty()) {
            throw SandboxProblems.missingFields(missing);
        }
        String effectiveLogin = login == null || login.isBlank() ? employeeNo.trim().toLowerCase(Locale.ROOT) : login.trim();
        return new OaAccountRequest(employeeNo.trim(), effectiveLogin, displayName.trim(), email, department,
                active == null || active);
    }
}
