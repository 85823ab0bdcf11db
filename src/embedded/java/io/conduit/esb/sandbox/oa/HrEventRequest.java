package io.conduit.esb.sandbox.oa;

import io.conduit.esb.sandbox.SandboxProblems;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The body of {@code POST /sandbox/oa/api/hr-events}: what HR records about an employee. {@code type} (HIRE, CHANGE,
 * LEAVE) and {@code employeeNo} are required, and a HIRE also needs {@code fullName}. {@code managerNo} is the employee number
 * of the person's manager.
 */
public record HrEventRequest(String type, String employeeNo, String fullName, String email, String department,
                             String jobTitle, String managerNo, LocalDate effectiveDate) {

    public static final Set<String> TYPES = Set.of("HIRE", "CHANGE", "LEAVE");

    /** @throws org.springframework.web.ErrorResponseException 400 for missing fields or an unknown type */
    public HrEventRequest validated() {
        List<String> missing = new ArrayList<>();
        if (type == null || type.isBlank()) {
            missing.add("type");
        }
        if (employeeNo == null || employeeNo.isBlank()) {
            missing.add("employeeNo");
        }
        String upperType = type == null ? null : type.trim().toUpperCase(Locale.ROOT);
        if ("HIRE".equals(upperType) && (fullName == null || fullName.isBlank())) {
            missing.add("fullName");
        }
        if (!missing.isEmpty()) {
            throw SandboxProblems.missingFields(missing);
        }
        if (!TYPES.contains(upperType)) {
            throw new IllegalArgumentException("unknown HR event type '" + type + "', expected HIRE, CHANGE or LEAVE");
        }
        return new HrEventRequest(upperType, employeeNo.trim(), fullName, email, department, jobTitle, managerNo,
                effectiveDate);
    }
}
