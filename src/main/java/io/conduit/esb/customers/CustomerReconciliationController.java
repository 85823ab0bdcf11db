package io.conduit.esb.customers;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The customer reconciliation ({@link CustomerReconciliation}) over HTTP (errors as problem+json):
 * <ul>
 *   <li>{@code POST /api/v1/ops/customer-master/reconciliation} (role OPERATOR): starts a run, 202 with its id and
 *       where its report will be; 409 while one runs (one at a time)</li>
 *   <li>{@code GET /api/v1/ops/customer-master/reconciliation} (VIEWER): the latest run's report (404: none ran)</li>
 *   <li>{@code GET /api/v1/ops/customer-master/reconciliation/{id}} (VIEWER): a given run's report</li>
 *   <li>{@code GET .../reconciliation/{id}/differences?after=<seq>&limit=<n>&customerId=<account>} (VIEWER): its
 *       differences past the first ones of the report, in the order found</li>
 * </ul>
 */
@RestController
@RequestMapping("/api/v1/ops/customer-master/reconciliation")
public class CustomerReconciliationController {

    static final String PATH = "/api/v1/ops/customer-master/reconciliation";

    private final CustomerReconciliation reconciliation;

    public CustomerReconciliationController(CustomerReconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    @PostMapping
    public ResponseEntity<Map<String, Object>> start(Principal who) {
        UUID id = reconciliation.start(who == null ? null : who.getName());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("status", "RUNNING");
        answer.put("report", PATH + "/" + id);
        return ResponseEntity.accepted().location(URI.create(PATH + "/" + id)).body(answer);
    }

    @GetMapping
    public CustomerReconciliation.Report latest() {
        return reconciliation.latest().orElseThrow(() -> new NotFound("No customer reconciliation has run yet"));
    }

    @GetMapping("/{id}")
    public CustomerReconciliation.Report report(@PathVariable UUID id) {
        return reconciliation.report(id).orElseThrow(() -> new NotFound("No customer reconciliation " + id));
    }

    @GetMapping("/{id}/differences")
    public List<Map<String, Object>> differences(@PathVariable UUID id,
                                                 @RequestParam(name = "after", defaultValue = "0") int after,
                                                 @RequestParam(name = "limit", defaultValue = "500") int limit,
                                                 @RequestParam(name = "customerId", required = false) String customerId) {
        report(id);
        return reconciliation.differences(id, after, limit, customerId);
    }

    static class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    @ExceptionHandler(CustomerReconciliation.AlreadyRunning.class)
    ResponseEntity<ProblemDetail> running(CustomerReconciliation.AlreadyRunning e) {
        return problem(HttpStatus.CONFLICT, "reconciliation-running", e.getMessage());
    }

    @ExceptionHandler(NotFound.class)
    ResponseEntity<ProblemDetail> notFound(NotFound e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", e.getMessage());
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:conduit:problem:" + type));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
