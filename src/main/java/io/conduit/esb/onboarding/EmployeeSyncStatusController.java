package io.conduit.esb.onboarding;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/onboarding/{employeeId}}: the employee's HR events as the ESB processed them, newest first,
 * each with its status (SCHEDULED, DISPATCHED, COMPLETED) and one entry per target system (ERP, OA, CRM) with the
 * delivery status (PENDING, DONE, PARKED), the id created there, attempts and last error. 404 when the ESB has no
 * event for the employee.
 */
@RestController
@RequestMapping("/api/v1/onboarding")
public class EmployeeSyncStatusController {

    private final EmployeeSyncLedger ledger;

    public EmployeeSyncStatusController(EmployeeSyncLedger ledger) {
        this.ledger = ledger;
    }

    @GetMapping("/{employeeId}")
    public Map<String, Object> status(@PathVariable String employeeId) {
        List<Map<String, Object>> events = ledger.status(employeeId);
        if (events.isEmpty()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "No HR event for employee '" + employeeId + "' has reached the ESB");
            problem.setType(URI.create("urn:conduit:problem:not-found"));
            problem.setTitle("Employee not found");
            throw new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("employeeId", employeeId);
        result.put("events", events);
        return result;
    }
}
