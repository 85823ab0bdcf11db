package io.conduit.esb.sandbox.oa;

import io.conduit.esb.sandbox.SandboxProblems;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The sandbox OA's business trips and attendance under {@code /sandbox/oa/api}. What employees do:
 * <ul>
 *   <li>{@code POST /trips} {@code {employeeNo, employeeName, department, costCentre, city, country, purpose,
 *       startDate, endDate, transport, estimatedCost, advance, currency}} (201, SUBMITTED; advance and currency
 *       optional: 0, EUR);</li>
 *   <li>{@code PATCH /trips/{id}} (any of those; a change of what is asked is a new revision; 409 unless SUBMITTED);</li>
 *   <li>{@code POST /trips/{id}/cancel {reason}} (SUBMITTED or APPROVED; 409 otherwise);</li>
 *   <li>{@code GET /trips/{id}}, {@code GET /trips?employeeNo=&status=}, {@code GET /attendance/absences?employeeNo=&status=}.</li>
 * </ul>
 * What an integration asks (adapters/oa/sandbox/trips.camel.yaml):
 * <ul>
 *   <li>{@code GET /trips/changes?after=<horizon>}: {@code {horizon, trips}}, the trips written since (see
 *       {@link OaTripRepository#changes});</li>
 *   <li>{@code POST /trips/{id}/decision {decisionId, revision, decision: APPROVED|REJECTED, decidedBy, comment}}:
 *       {@code {outcome: APPLIED|DUPLICATE|STALE|NOT_PENDING, requestRevision, trip}} (404 unknown trip);</li>
 *   <li>{@code POST /attendance/absences {tripRef, employeeNo, from, to, decisionId}}: 201 RECORDED, 200 DUPLICATE or
 *       ALREADY_REMOVED; {@code POST /attendance/absences/{tripRef}/remove {reason}}: REMOVED, DUPLICATE, NOT_RECORDED.</li>
 * </ul>
 * The OA's fault switch applies (the filter on {@code /sandbox/oa/api/*}).
 */
@RestController
@RequestMapping("/sandbox/oa/api")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class OaTripController {

    private static final Set<String> TRANSPORTS = Set.of("FLIGHT", "TRAIN", "CAR", "OTHER");
    private static final Set<String> DECISIONS = Set.of("APPROVED", "REJECTED");

    /** The body of a submission or a change (a change: null keeps the value). */
    public record TripBody(String employeeNo, String employeeName, String department, String costCentre, String city,
                           String country, String purpose, LocalDate startDate, LocalDate endDate, String transport,
                           BigDecimal estimatedCost, BigDecimal advance, String currency) {

        OaTripRepository.Trip trip() {
            return new OaTripRepository.Trip(trim(employeeNo), trim(employeeName), upper(department), trim(costCentre),
                    trim(city), upper(country), trim(purpose), startDate, endDate, upper(transport), estimatedCost,
                    advance, upper(currency));
        }
    }

    public record CancelBody(String reason) {
    }

    public record DecisionBody(String decisionId, Integer revision, String decision, String decidedBy, String comment) {
    }

    public record AbsenceBody(String tripRef, String employeeNo, LocalDate from, LocalDate to, String decisionId) {
    }

    public record RemoveBody(String reason) {
    }

    private final OaTripRepository trips;

    public OaTripController(OaTripRepository trips) {
        this.trips = trips;
    }

    @PostMapping("/trips")
    public ResponseEntity<Map<String, Object>> submit(@RequestBody TripBody body) {
        if (body == null) {
            throw SandboxProblems.missingFields(List.of("employeeNo", "employeeName", "department", "costCentre",
                    "city", "country", "purpose", "startDate", "endDate", "transport", "estimatedCost"));
        }
        List<String> missing = new ArrayList<>();
        requireText(body.employeeNo(), "employeeNo", missing);
        requireText(body.employeeName(), "employeeName", missing);
        requireText(body.department(), "department", missing);
        requireText(body.costCentre(), "costCentre", missing);
        requireText(body.city(), "city", missing);
        requireText(body.country(), "country", missing);
        requireText(body.purpose(), "purpose", missing);
        require(body.startDate(), "startDate", missing);
        require(body.endDate(), "endDate", missing);
        requireText(body.transport(), "transport", missing);
        require(body.estimatedCost(), "estimatedCost", missing);
        if (!missing.isEmpty()) {
            throw SandboxProblems.missingFields(missing);
        }
        OaTripRepository.Trip trip = body.trip();
        check(trip, trip.startDate(), trip.endDate(), trip.estimatedCost(),
                trip.advance() == null ? BigDecimal.ZERO : trip.advance());
        return ResponseEntity.status(HttpStatus.CREATED).body(trips.submit(trip));
    }

    @PatchMapping("/trips/{tripId}")
    public Map<String, Object> change(@PathVariable String tripId, @RequestBody TripBody body) {
        if (body == null) {
            throw SandboxProblems.badRequest("A change needs at least one field of the trip");
        }
        if (body.employeeNo() != null) {
            throw SandboxProblems.invalidFields(Map.of("employeeNo", "a trip cannot change its traveller"));
        }
        Map<String, Object> held = trip(tripId);
        OaTripRepository.Trip change = body.trip();
        // the combination as it would be after the change
        check(change, change.startDate() != null ? change.startDate() : LocalDate.parse((String) held.get("start_date")),
                change.endDate() != null ? change.endDate() : LocalDate.parse((String) held.get("end_date")),
                change.estimatedCost() != null ? change.estimatedCost() : new BigDecimal((String) held.get("estimated_cost")),
                change.advance() != null ? change.advance() : new BigDecimal((String) held.get("advance")));
        if (trips.change(tripId, change) == 0) {
            throw SandboxProblems.conflict("Trip request " + tripId + " is " + trip(tripId).get("status")
                    + " and can no longer be changed (only while SUBMITTED)");
        }
        return trip(tripId);
    }

    @PostMapping("/trips/{tripId}/cancel")
    public Map<String, Object> cancel(@PathVariable String tripId, @RequestBody(required = false) CancelBody body) {
        trip(tripId);
        String reason = body == null || blank(body.reason()) ? null : body.reason().trim();
        if (trips.cancel(tripId, reason) == 0) {
            throw SandboxProblems.conflict("Trip request " + tripId + " is " + trip(tripId).get("status")
                    + " and can no longer be cancelled (only while SUBMITTED or APPROVED)");
        }
        return trip(tripId);
    }

    @GetMapping("/trips/{tripId}")
    public Map<String, Object> trip(@PathVariable String tripId) {
        return trips.find(tripId).orElseThrow(() -> SandboxProblems.notFound("Trip request", tripId));
    }

    @GetMapping("/trips")
    public List<Map<String, Object>> list(@RequestParam(required = false) String employeeNo,
                                          @RequestParam(required = false) String status) {
        return trips.list(employeeNo, status == null ? null : status.trim().toUpperCase(Locale.ROOT));
    }

    @GetMapping("/trips/changes")
    public Map<String, Object> changes(@RequestParam(defaultValue = "0") long after) {
        if (after < 0) {
            throw SandboxProblems.invalidFields(Map.of("after", "0 or more"));
        }
        return trips.changes(after);
    }

    @PostMapping("/trips/{tripId}/decision")
    public Map<String, Object> decide(@PathVariable String tripId, @RequestBody DecisionBody body) {
        List<String> missing = new ArrayList<>();
        if (body == null) {
            throw SandboxProblems.missingFields(List.of("decisionId", "revision", "decision"));
        }
        requireText(body.decisionId(), "decisionId", missing);
        require(body.revision(), "revision", missing);
        requireText(body.decision(), "decision", missing);
        if (!missing.isEmpty()) {
            throw SandboxProblems.missingFields(missing);
        }
        String decision = body.decision().trim().toUpperCase(Locale.ROOT);
        if (!DECISIONS.contains(decision)) {
            throw SandboxProblems.invalidFields(Map.of("decision", "APPROVED or REJECTED"));
        }
        OaTripRepository.Decided decided = trips.decide(tripId, body.decisionId().trim(), body.revision(), decision,
                        blank(body.decidedBy()) ? null : body.decidedBy().trim(),
                        blank(body.comment()) ? null : body.comment())
                .orElseThrow(() -> SandboxProblems.notFound("Trip request", tripId));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("outcome", decided.outcome());
        answer.put("requestRevision", decided.requestRevision());
        answer.put("trip", decided.trip());
        return answer;
    }

    @PostMapping("/attendance/absences")
    public ResponseEntity<Map<String, Object>> record(@RequestBody AbsenceBody body) {
        List<String> missing = new ArrayList<>();
        if (body == null) {
            throw SandboxProblems.missingFields(List.of("tripRef", "employeeNo", "from", "to"));
        }
        requireText(body.tripRef(), "tripRef", missing);
        requireText(body.employeeNo(), "employeeNo", missing);
        require(body.from(), "from", missing);
        require(body.to(), "to", missing);
        if (!missing.isEmpty()) {
            throw SandboxProblems.missingFields(missing);
        }
        if (body.to().isBefore(body.from())) {
            throw SandboxProblems.invalidFields(Map.of("to", "not before from"));
        }
        OaTripRepository.AbsenceAction action = trips.record(body.tripRef().trim(), body.employeeNo().trim(),
                body.from(), body.to(), blank(body.decisionId()) ? null : body.decisionId().trim());
        return ResponseEntity.status(OaTripRepository.RECORDED.equals(action.outcome()) ? HttpStatus.CREATED : HttpStatus.OK)
                .body(absenceAnswer(action));
    }

    @PostMapping("/attendance/absences/{tripRef}/remove")
    public Map<String, Object> remove(@PathVariable String tripRef, @RequestBody(required = false) RemoveBody body) {
        return absenceAnswer(trips.remove(tripRef, body == null || blank(body.reason()) ? null : body.reason()));
    }

    @GetMapping("/attendance/absences")
    public List<Map<String, Object>> absences(@RequestParam(required = false) String employeeNo,
                                              @RequestParam(required = false) String status) {
        return trips.absences(employeeNo, status == null ? null : status.trim().toUpperCase(Locale.ROOT));
    }

    private static Map<String, Object> absenceAnswer(OaTripRepository.AbsenceAction action) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("outcome", action.outcome());
        answer.put("absence", action.absence());
        return answer;
    }

    /** The OA refuses what its tables would: 422 naming each field. */
    private static void check(OaTripRepository.Trip trip, LocalDate start, LocalDate end, BigDecimal cost,
                              BigDecimal advance) {
        Map<String, String> invalid = new LinkedHashMap<>();
        if (trip.country() != null && !trip.country().matches("[A-Z]{2}")) {
            invalid.put("country", "ISO 3166-1 alpha-2, e.g. FR");
        }
        if (trip.currency() != null && !trip.currency().matches("[A-Z]{3}")) {
            invalid.put("currency", "ISO 4217, e.g. EUR");
        }
        if (trip.transport() != null && !TRANSPORTS.contains(trip.transport())) {
            invalid.put("transport", "one of FLIGHT, TRAIN, CAR, OTHER");
        }
        if (end.isBefore(start)) {
            invalid.put("endDate", "not before startDate");
        }
        if (cost.signum() < 0) {
            invalid.put("estimatedCost", "must not be negative");
        }
        if (advance.signum() < 0 || advance.compareTo(cost) > 0) {
            invalid.put("advance", "between 0 and estimatedCost");
        }
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
    }

    private static String trim(String text) {
        return text == null ? null : text.trim();
    }

    private static String upper(String text) {
        return text == null ? null : text.trim().toUpperCase(Locale.ROOT);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static void require(Object value, String name, List<String> missing) {
        if (value == null) {
            missing.add(name);
        }
    }

    private static void requireText(String value, String name, List<String> missing) {
        if (value == null || value.isBlank()) {
            missing.add(name);
        }
    }
}
