package io.conduit.esb.sandbox.oa;

import io.conduit.esb.sandbox.SandboxProblems;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.math.BigDecimal;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sandbox OA's approval API under {@code /sandbox/oa/api/approvals}:
 * <ul>
 *   <li>{@code POST} a task for one step of a request's approval: 201 created, or 200 with the task that already has
 *       its (reference, version, step, level) - whatever its status;</li>
 *   <li>{@code GET ?reference=&group=&status=}, {@code GET /{id}}, {@code /{id}/notes}, {@code /{id}/events};</li>
 *   <li>{@code POST /{id}/decision {decision, quantity, comment, decidedBy}}: what a person decides, published on
 *       the approval decision queue ({@link OaApprovalDecisionPublisher}: 409 unless OPEN, 422 for a decision the
 *       task does not allow);</li>
 *   <li>{@code POST /{id}/reminders {number, text}}: reminder {@code number} as a note, once (REMINDED, DUPLICATE,
 *       NOT_OPEN); {@code POST /{id}/cancel {reason}}: the task can no longer be decided (CANCELLED, NOT_OPEN).</li>
 * </ul>
 * The OA's fault switch applies (the filter on {@code /sandbox/oa/api/*}).
 */
@RestController
@RequestMapping("/sandbox/oa/api/approvals")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class OaApprovalController {

    private final OaApprovalRepository approvals;
    private final OaApprovalDecisionPublisher decisions;

    public OaApprovalController(OaApprovalRepository approvals, OaApprovalDecisionPublisher decisions) {
        this.approvals = approvals;
        this.decisions = decisions;
    }

    /** The body of a decision: APPROVED, REJECTED (with a comment) or CHANGED (with the quantity approved). */
    public record DecisionRequest(String decision, BigDecimal quantity, String comment, String decidedBy) {
    }

    public record ReminderRequest(Integer number, String text) {
    }

    public record CancelRequest(String reason) {
    }

    @PostMapping
    public ResponseEntity<OaApproval> create(@RequestBody OaApprovalRequest request) {
        if (request == null) {
            throw SandboxProblems.missingFields(List.of("reference"));
        }
        OaApprovalRepository.Created result = approvals.findOrCreate(request.validated());
        if (!result.created()) {
            return ResponseEntity.ok(result.approval());
        }
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}")
                .buildAndExpand(result.approval().approvalId()).toUri();
        return ResponseEntity.created(location).body(result.approval());
    }

    @GetMapping
    public List<OaApproval> list(@RequestParam(required = false) String reference,
                                 @RequestParam(required = false) String group,
                                 @RequestParam(required = false) String status) {
        return approvals.list(reference, group, status == null ? null : parse(OaApproval.Status.class, status).name());
    }

    @GetMapping("/{id}")
    public OaApproval get(@PathVariable String id) {
        return approvals.find(id).orElseThrow(() -> SandboxProblems.notFound("Approval", id));
    }

    @GetMapping("/{id}/notes")
    public List<OaApprovalRepository.Note> notes(@PathVariable String id) {
        get(id);
        return approvals.notes(id);
    }

    /** The decision events published for the task (one at most: only an open task can be decided). */
    @GetMapping("/{id}/events")
    public List<Map<String, Object>> events(@PathVariable String id) {
        get(id);
        return decisions.events(id);
    }

    @PostMapping("/{id}/decision")
    public OaApproval decide(@PathVariable String id, @RequestBody DecisionRequest request) {
        if (request == null || blank(request.decision()) || blank(request.decidedBy())) {
            throw SandboxProblems.missingFields(request == null ? List.of("decision", "decidedBy")
                    : blank(request.decision()) && blank(request.decidedBy()) ? List.of("decision", "decidedBy")
                    : blank(request.decision()) ? List.of("decision") : List.of("decidedBy"));
        }
        return decisions.decide(id, parse(OaApproval.Decision.class, request.decision()), request.quantity(),
                blank(request.comment()) ? null : request.comment(), request.decidedBy().trim());
    }

    @PostMapping("/{id}/reminders")
    public ResponseEntity<OaApprovalRepository.Action> remind(@PathVariable String id,
                                                              @RequestBody ReminderRequest request) {
        if (request == null || request.number() == null || blank(request.text())) {
            throw SandboxProblems.missingFields(List.of("number", "text"));
        }
        if (request.number() < 1) {
            throw SandboxProblems.invalidFields(Map.of("number", "1 or more"));
        }
        OaApprovalRepository.Action action = approvals.remind(id, request.number(), request.text())
                .orElseThrow(() -> SandboxProblems.notFound("Approval", id));
        return ResponseEntity.status(OaApprovalRepository.REMINDED.equals(action.outcome())
                ? HttpStatus.CREATED : HttpStatus.OK).body(action);
    }

    @PostMapping("/{id}/cancel")
    public OaApprovalRepository.Action cancel(@PathVariable String id, @RequestBody CancelRequest request) {
        if (request == null || blank(request.reason())) {
            throw SandboxProblems.missingFields(List.of("reason"));
        }
        return approvals.cancel(id, request.reason())
                .orElseThrow(() -> SandboxProblems.notFound("Approval", id));
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown " + type.getSimpleName().toLowerCase(Locale.ROOT) + " '"
                    + value + "', expected one of " + Arrays.toString(type.getEnumConstants()));
        }
    }
}
