package io.conduit.esb.approvals;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/approvals[?journey=]}: the open approvals (PENDING or DECIDED), oldest first, each with its
 * current step, the group holding its task, age and deadline; {@code GET /api/v1/approvals/{requestId}}: one request
 * with its journal. Viewers read them (SecurityConfiguration); 400 for an unknown journey, 404 for an unknown request.
 */
@RestController
@RequestMapping("/api/v1/approvals")
public class ApprovalsController {

    private final ApprovalsView view;

    public ApprovalsController(ApprovalsView view) {
        this.view = view;
    }

    @GetMapping
    public Map<String, Object> open(@RequestParam(required = false) String journey) {
        if (journey != null && !ApprovalsView.JOURNEYS.contains(journey)) {
            throw problem(HttpStatus.BAD_REQUEST, "urn:conduit:problem:invalid-request", "Unknown journey",
                    "Parameter 'journey' must be one of " + ApprovalsView.JOURNEYS + ", not '" + journey + "'");
        }
        Instant now = Instant.now();
        List<ApprovalsView.OpenApproval> open = view.open(journey, now);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("at", now);
        result.put("count", open.size());
        result.put("approvals", open);
        return result;
    }

    @GetMapping("/{requestId}")
    public ApprovalsView.Approval one(@PathVariable String requestId) {
        return view.approval(requestId).orElseThrow(() -> problem(HttpStatus.NOT_FOUND, "urn:conduit:problem:not-found",
                "Approval not found", "No approval request '" + requestId + "' has reached the ESB"));
    }

    private static ErrorResponseException problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(type));
        problem.setTitle(title);
        return new ErrorResponseException(status, problem, null);
    }
}
