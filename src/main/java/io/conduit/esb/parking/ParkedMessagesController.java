package io.conduit.esb.parking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The operators' HTTP API for parked messages and their replay (JSON; errors as problem+json):
 * <ul>
 *   <li>{@code GET  /api/v1/ops/parked?flow=&businessKey=&reason=&from=&to=&status=&limit=} list (status ANY = all)</li>
 *   <li>{@code GET  /api/v1/ops/parked/{id}} one message, with its payload, headers, edit and resolution</li>
 *   <li>{@code POST /api/v1/ops/parked/{id}/replay} {@code {"payload": ...}} (optional edited payload)</li>
 *   <li>{@code POST /api/v1/ops/parked/replay} {@code {"filter": {...}, "dryRun": true}}: dry run, or a bulk job (202)</li>
 *   <li>{@code POST /api/v1/ops/parked/discard} {@code {"filter": {...}, "reason": "..."}}</li>
 *   <li>{@code GET  /api/v1/ops/replays}, {@code GET /api/v1/ops/replays/{jobId}} bulk jobs and their progress</li>
 * </ul>
 * The operator is the authenticated principal ("anonymous" without one).
 */
@RestController
@RequestMapping("/api/v1/ops")
public class ParkedMessagesController {

    private final ReplayService replays;
    private final ObjectMapper json;

    public ParkedMessagesController(ReplayService replays, ObjectMapper json) {
        this.replays = replays;
        this.json = json;
    }

    /** A filter in a request body, with the dry-run switch or the discard reason. */
    public record FilterRequest(ParkedFilter filter, Boolean dryRun, String reason) {
    }

    /** An optional edited payload: a JSON value (object, array) or a string holding the payload text. */
    public record ReplayRequest(JsonNode payload) {
    }

    @GetMapping("/parked")
    public List<Map<String, Object>> list(@RequestParam(required = false) String flow,
                                          @RequestParam(required = false) String businessKey,
                                          @RequestParam(required = false) String reason,
                                          @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                                          @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                                          @RequestParam(defaultValue = "PARKED") String status,
                                          @RequestParam(defaultValue = "100") int limit) {
        ParkedFilter filter = new ParkedFilter(null, flow, reason, businessKey, from, to, status);
        ReplayService.validate(filter);
        return replays.storedPage(filter, Math.min(Math.max(limit, 1), 1000)).stream()
                .map(this::view).toList();
    }

    @GetMapping("/parked/{id}")
    public Map<String, Object> one(@PathVariable UUID id) {
        return replays.stored(id).map(this::view)
                .orElseThrow(() -> new UnknownParkedMessageException(id));
    }

    @PostMapping(path = "/parked/{id}/replay")
    public Replays.ReplayOutcome replayOne(@PathVariable UUID id, @RequestBody(required = false) ReplayRequest request,
                                           Principal principal) {
        ParkedMessage message = replays.get(id).orElseThrow(() -> new UnknownParkedMessageException(id));
        String edited = null;
        if (request != null && request.payload() != null && !request.payload().isNull()) {
            edited = request.payload().isTextual() ? request.payload().asText() : request.payload().toString();
            requireJsonIfOriginalWas(message.payload(), edited);
        }
        return replays.replay(id, edited, actor(principal));
    }

    @PostMapping(path = "/parked/replay", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> replayMany(@RequestBody FilterRequest request, Principal principal) {
        ParkedFilter filter = request.filter();
        if (filter == null) {
            throw new BadRequest("'filter' is required");
        }
        if (Boolean.TRUE.equals(request.dryRun())) {
            Replays.ReplayPlan plan = replays.dryRun(filter);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("dryRun", true);
            body.put("total", plan.total());
            body.put("flows", plan.flows());
            body.put("countsByFlow", replays.countsByFlow(ParkedMessages.onlyParked(filter)));
            body.put("messages", plan.messages());
            return ResponseEntity.ok(body);
        }
        Replays.ReplayJob job = replays.start(filter, actor(principal));
        return ResponseEntity.accepted().location(URI.create("/api/v1/ops/replays/" + job.id())).body(jobView(job));
    }

    @PostMapping(path = "/parked/discard", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> discard(@RequestBody FilterRequest request, Principal principal) {
        if (request.reason() == null || request.reason().isBlank()) {
            throw new BadRequest("'reason' is required to discard messages");
        }
        if (request.filter() == null) {
            throw new BadRequest("'filter' is required");
        }
        int discarded = replays.discard(request.filter(), request.reason(), actor(principal));
        return Map.of("discarded", discarded, "reason", request.reason().strip(), "by", actor(principal));
    }

    @GetMapping("/replays")
    public List<Map<String, Object>> jobs(@RequestParam(defaultValue = "20") int limit) {
        return replays.recentJobs(limit).stream().map(this::jobView).toList();
    }

    @GetMapping("/replays/{jobId}")
    public Map<String, Object> job(@PathVariable UUID jobId) {
        return replays.job(jobId).map(this::jobView).orElseThrow(() -> new NotFound("No replay job " + jobId));
    }

    // --------------------------------------------------------------------------------------------- views

    private Map<String, Object> jobView(Replays.ReplayJob job) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", job.id());
        view.put("status", job.status());
        view.put("requestedBy", job.requestedBy());
        view.put("filter", readTree(job.filter()));
        view.put("total", job.total());
        view.put("done", job.done());
        view.put("delivered", job.delivered());
        view.put("parkedAgain", job.parkedAgain());
        view.put("skipped", job.skipped());
        view.put("startedAt", job.startedAt());
        view.put("finishedAt", job.finishedAt());
        replays.jobDetail(job.id()).ifPresent(detail -> view.put("detail", detail));
        return view;
    }

    /** One parked message with the columns {@code GET /api/v1/ops/parked} always gave, plus the new ones. */
    private Map<String, Object> view(ParkedMessages.Stored stored) {
        ParkedMessage m = stored.message();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", m.id());
        view.put("flow", m.flow());
        view.put("route_id", m.routeId());
        view.put("from_route_id", stored.fromRouteId());
        view.put("failed_endpoint", m.failedEndpoint());
        view.put("reason", m.reason());
        view.put("exception_type", m.exceptionType());
        view.put("payload", m.payload());
        // as text, as this list always gave them
        view.put("headers", headersText(m.headers()));
        view.put("event_id", m.eventId());
        view.put("correlation_id", m.correlationId());
        view.put("business_key", m.businessKey());
        view.put("attempts", m.attempts());
        view.put("status", m.status());
        view.put("parked_at", m.parkedAt());
        view.put("replay_of", m.replayOf());
        view.put("resolved_by", m.resolvedBy());
        view.put("resolved_at", m.resolvedAt());
        view.put("resolution", m.resolution());
        view.put("edited_payload", stored.editedPayload());
        view.put("edited_by", stored.editedBy());
        view.put("replay_job_id", stored.replayJobId());
        return view;
    }

    private String headersText(Map<String, String> headers) {
        try {
            return json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return json.getNodeFactory().textNode(text);
        }
    }

    /** An edit of a JSON message must still be JSON: the route's mappings could not read it otherwise. */
    private void requireJsonIfOriginalWas(String original, String edited) {
        if (original == null || !looksLikeJson(original)) {
            return;
        }
        try {
            json.readTree(edited);
        } catch (JsonProcessingException e) {
            throw new InvalidFilterException("the edited payload is not valid JSON (the parked one is): "
                    + e.getOriginalMessage());
        }
    }

    private boolean looksLikeJson(String text) {
        try {
            json.readTree(text);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static String actor(Principal principal) {
        return principal == null || principal.getName() == null ? "anonymous" : principal.getName();
    }

    // --------------------------------------------------------------------------------------------- problems

    static class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    static class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message, null, false, false);
        }
    }

    @ExceptionHandler(UnknownParkedMessageException.class)
    ResponseEntity<ProblemDetail> unknown(UnknownParkedMessageException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", e.getMessage());
    }

    @ExceptionHandler(NotFound.class)
    ResponseEntity<ProblemDetail> notFound(NotFound e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", e.getMessage());
    }

    @ExceptionHandler(InvalidFilterException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidFilterException e) {
        return problem(HttpStatus.UNPROCESSABLE_ENTITY, "invalid-request", e.getMessage());
    }

    @ExceptionHandler(BadRequest.class)
    ResponseEntity<ProblemDetail> badRequest(BadRequest e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-request", e.getMessage());
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, MethodArgumentTypeMismatchException.class})
    ResponseEntity<ProblemDetail> unreadable(Exception e) {
        String detail = e instanceof MethodArgumentTypeMismatchException mismatch
                ? "'" + mismatch.getName() + "' is not a valid value: " + mismatch.getValue()
                : "the request body is not valid JSON of the expected shape";
        return problem(HttpStatus.BAD_REQUEST, "malformed-request", detail);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:conduit:problem:" + type));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
