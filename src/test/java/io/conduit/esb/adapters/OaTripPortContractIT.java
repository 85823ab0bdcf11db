package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.canonical.CanonicalSchemas;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.mapping.MappingException;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.NotRetryableException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The contract of the business trip ports of role {@code oa} (adapters/oa/PORTS.md): {@code oa.trip-requests-since},
 * {@code oa.apply-trip-decision}, {@code oa.record-absence} and {@code oa.remove-absence}, run against every OA
 * adapter that implements them: the sandbox, and a real Redmine 5 (adapters/oa/redmine/trips.camel.yaml, started by
 * {@code ops/real-systems/start.sh}; skipped with a message when it is not running, required when
 * {@code CONDUIT_REAL_SYSTEMS=required}). Each case does in the OA what its users would (submit, change,
 * cancel a trip), then calls the ports as the approvals flow is to call them: the capture with the watermark of the
 * previous answer, the decision with the flow's decision id {@code <requestId>@<requestVersion>} for the revision the
 * OA reports, the absence with the approved request; and reads back what the OA shows (the trip, attendance).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OaTripPortContractIT extends EsbIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHANGES = Path.of("adapters/oa/trip-request-changes.schema.json");
    private static final Path DECISION_RESULT = Path.of("adapters/oa/trip-decision-result.schema.json");
    private static final Path ABSENCE_RESULT = Path.of("adapters/oa/absence-result.schema.json");

    @Autowired
    private CamelContext esb;

    private final List<OaTripsUnderTest> adapters = new ArrayList<>();

    private RedmineOaTrips redmine;

    @BeforeAll
    void startAdapters() throws Exception {
        adapters.add(new SandboxOa(esb, jdbc));
        redmine = RedmineOaTrips.startIfAvailable().orElse(null);
        if (redmine != null) {
            adapters.add(redmine);
        }
    }

    @AfterAll
    void stopAdapters() {
        if (redmine != null) {
            redmine.close();
        }
    }

    List<String> adapterNames() {
        return List.of("sandbox", "redmine");
    }

    private OaTripsUnderTest adapter(String name) {
        OaTripsUnderTest found = adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        Assumptions.assumeTrue(found != null, () -> "OA adapter '" + name + "' skipped: " + RedmineOa.whyNotAvailable());
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aTripIsReportedOnceInItsCurrentStateAgainWhenChangedAndWithdrawnWhenCancelled(String name) throws Exception {
        OaTripsUnderTest oa = adapter(name);
        CapturePoll poll = poll(oa, caughtUp(oa));
        String employee = employee();
        String tripId = oa.submitTrip(OaTripsUnderTest.trip(employee, "SALES", "TRV-SALES", "1200", "200"));
        assertThat(oa.trip(tripId).revision()).isEqualTo(1);
        oa.changeTrip(tripId, Map.of("estimatedCost", 1450, "city", "Marseille"));
        assertThat(oa.trip(tripId).revision()).as("a change of what is asked is a new revision").isEqualTo(2);

        JsonNode request = poll.until(tripId, r -> "PENDING".equals(r.path("status").asText()));
        assertApprovalRequest(request);
        assertThat(request.path("journey").asText()).isEqualTo("BUSINESS_TRIP");
        assertThat(request.path("source").asText()).isEqualTo("oa");
        assertThat(request.path("sourceVersion").asInt()).as("changed before the poll: its current state").isEqualTo(2);
        assertThat(request.path("department").asText()).isEqualTo("SALES");
        assertThat(request.path("requestedBy").asText()).isEqualTo(employee);
        assertThat(request.path("amount").decimalValue()).as("the estimated cost: what the matrix routes on")
                .isEqualByComparingTo("1450");
        assertThat(request.path("currency").asText()).isEqualTo("EUR");
        JsonNode trip = request.path("subject");
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.TRIP_REQUEST), trip)).isEmpty();
        assertThat(trip.path("tripId").asText()).isEqualTo(tripId);
        assertThat(trip.path("employeeId").asText()).isEqualTo(employee);
        assertThat(trip.path("costCentre").asText()).isEqualTo("TRV-SALES");
        assertThat(trip.path("destination").path("city").asText()).isEqualTo("Marseille");
        assertThat(trip.path("destination").path("country").asText()).isEqualTo("FR");
        assertThat(trip.path("estimatedCost").decimalValue()).isEqualByComparingTo("1450");
        assertThat(trip.path("advanceRequested").decimalValue()).isEqualByComparingTo("200");
        assertThat(trip.path("transport").asText()).isEqualTo("TRAIN");
        assertThat(trip.path("startDate").asText()).isEqualTo(java.time.LocalDate.now().plusDays(20).toString());
        assertThat(trip.path("endDate").asText()).isEqualTo(java.time.LocalDate.now().plusDays(22).toString());
        assertThat(poll.reported(tripId)).as("reported once").isEqualTo(1);

        poll.next();
        poll.next();
        assertThat(poll.reported(tripId)).as("not again with the new watermark").isEqualTo(1);

        oa.changeTrip(tripId, Map.of("purpose", "Customer workshop and plant visit"));
        JsonNode changed = poll.until(tripId, r -> r.path("sourceVersion").asInt() == 3);
        assertThat(changed.path("status").asText()).isEqualTo("PENDING");
        assertThat(poll.reported(tripId)).isEqualTo(2);

        oa.cancelTrip(tripId, "customer postponed");
        JsonNode cancelled = poll.until(tripId, r -> "WITHDRAWN".equals(r.path("status").asText()));
        assertApprovalRequest(cancelled);
        assertThat(cancelled.path("sourceVersion").asInt()).as("a cancellation is no new revision").isEqualTo(3);
        assertThat(poll.reported(tripId)).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anApprovalIsAppliedOnceTheSameDecisionAgainIsADuplicateAndTheCaptureReportsItClosed(String name) throws Exception {
        OaTripsUnderTest oa = adapter(name);
        CapturePoll poll = poll(oa, caughtUp(oa));
        String tripId = oa.submitTrip(OaTripsUnderTest.trip(employee(), "SALES", "TRV-SALES", "900", "0"));
        int v = oa.trip(tripId).revision();

        JsonNode applied = oa.applyTripDecision(decision(tripId, v, "APPROVED", null));
        assertResult(applied, tripId, v, "APPLIED");
        assertThat(applied.path("oaStatus").asText()).isEqualTo("APPROVED");
        OaTripsUnderTest.Trip approved = oa.trip(tripId);
        assertThat(approved.status()).isEqualTo("APPROVED");
        assertThat(approved.decisionId()).isEqualTo(tripId + "@" + v);
        assertThat(approved.decidedBy()).isEqualTo("contract.test");
        assertThat(approved.revision()).as("a decision is no change of what is asked").isEqualTo(v);

        JsonNode again = oa.applyTripDecision(decision(tripId, v, "APPROVED", null));
        assertResult(again, tripId, v, "DUPLICATE");
        assertThat(oa.trip(tripId)).isEqualTo(approved);

        JsonNode closed = poll.until(tripId, r -> "CLOSED".equals(r.path("status").asText()));
        assertApprovalRequest(closed);
        assertThat(closed.path("sourceVersion").asInt()).isEqualTo(v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aRejectionIsAppliedWithItsReason(String name) throws Exception {
        OaTripsUnderTest oa = adapter(name);
        String tripId = oa.submitTrip(OaTripsUnderTest.trip(employee(), "IT", "TRV-IT", "2400", "500"));
        int v = oa.trip(tripId).revision();

        JsonNode rejected = oa.applyTripDecision(decision(tripId, v, "REJECTED", "a video call will do"));
        assertResult(rejected, tripId, v, "APPLIED");
        assertThat(rejected.path("oaStatus").asText()).isEqualTo("REJECTED");
        OaTripsUnderTest.Trip held = oa.trip(tripId);
        assertThat(held.status()).isEqualTo("REJECTED");
        assertThat(held.comment()).isEqualTo("a video call will do");
        assertThat(held.decisionId()).isEqualTo(tripId + "@" + v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aDecisionForAnOlderRevisionIsStaleAndOneForACancelledTripIsNotPending(String name) throws Exception {
        OaTripsUnderTest oa = adapter(name);
        String revised = oa.submitTrip(OaTripsUnderTest.trip(employee(), "SALES", "TRV-SALES", "700", "0"));
        oa.changeTrip(revised, Map.of("transport", "FLIGHT"));
        OaTripsUnderTest.Trip waiting = oa.trip(revised);
        assertThat(waiting.revision()).isEqualTo(2);

        JsonNode stale = oa.applyTripDecision(decision(revised, 1, "APPROVED", null));
        assertResult(stale, revised, 1, "STALE");
        assertThat(stale.path("oaVersion").asInt()).isEqualTo(2);
        assertThat(stale.path("oaStatus").asText()).isEqualTo("SUBMITTED");
        assertThat(oa.trip(revised)).as("nothing changed").isEqualTo(waiting);
        // the new revision's own approval goes through
        assertResult(oa.applyTripDecision(decision(revised, 2, "APPROVED", null)), revised, 2, "APPLIED");

        String cancelled = oa.submitTrip(OaTripsUnderTest.trip(employee(), "SALES", "TRV-SALES", "300", "0"));
        oa.cancelTrip(cancelled, "not needed");
        JsonNode notPending = oa.applyTripDecision(decision(cancelled, 1, "APPROVED", null));
        assertResult(notPending, cancelled, 1, "NOT_PENDING");
        assertThat(notPending.path("oaStatus").asText()).isEqualTo("CANCELLED");
        assertThat(oa.trip(cancelled).decisionId()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anUnknownTripOrADecisionATripCannotHaveIsPermanent(String name) throws Exception {
        OaTripsUnderTest oa = adapter(name);
        assertThat(rootOf(catchThrowable(() -> oa.applyTripDecision(decision("TR-999999", 1, "APPROVED", null)))))
                .isInstanceOf(NotRetryableException.class);

        String tripId = oa.submitTrip(OaTripsUnderTest.trip(employee(), "SALES", "TRV-SALES", "300", "0"));
        ObjectNode changed = (ObjectNode) JSON.readTree(decision(tripId, 1, "CHANGED", null));
        changed.put("approvedQuantity", 1);
        assertThat(rootOf(catchThrowable(() -> oa.applyTripDecision(JSON.writeValueAsString(changed)))))
                .as("a trip is approved or rejected as a whole").isInstanceOf(MappingException.class);
        assertThat(oa.trip(tripId).status()).isEqualTo("SUBMITTED");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anAbsenceIsRecordedOnceAndRemovedOnce(String name) throws Exception {
        OaTripsUnderTest oa = adapter(name);
        String employee = employee();
        String tripId = oa.submitTrip(OaTripsUnderTest.trip(employee, "SALES", "TRV-SALES", "1450", "300"));
        String approved = approvedRequest(oa, tripId);

        JsonNode recorded = oa.recordAbsence(approved);
        assertAbsence(recorded, tripId, "RECORDED", "RECORDED");
        assertThat(recorded.path("employeeId").asText()).isEqualTo(employee);
        assertThat(recorded.path("decisionId").asText()).isEqualTo(tripId + "@1");
        String from = java.time.LocalDate.now().plusDays(20).toString();
        String to = java.time.LocalDate.now().plusDays(22).toString();
        assertThat(oa.absences(tripId)).containsExactly(
                new OaTripsUnderTest.Absence(employee, from, to, "RECORDED", tripId + "@1"));

        assertAbsence(oa.recordAbsence(approved), tripId, "DUPLICATE", "RECORDED");
        assertThat(oa.absences(tripId)).as("recorded once").hasSize(1);

        JsonNode removed = oa.removeAbsence(tripId, "trip cancelled");
        assertAbsence(removed, tripId, "REMOVED", "REMOVED");
        assertThat(oa.absences(tripId)).containsExactly(
                new OaTripsUnderTest.Absence(employee, from, to, "REMOVED", tripId + "@1"));
        assertAbsence(oa.removeAbsence(tripId, "trip cancelled"), tripId, "DUPLICATE", "REMOVED");
        assertAbsence(oa.recordAbsence(approved), tripId, "DUPLICATE", "REMOVED");
        assertThat(oa.absences(tripId)).as("removed once, never recorded again").hasSize(1)
                .allSatisfy(a -> assertThat(a.status()).isEqualTo("REMOVED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aRemovalBeforeTheRecordingIsKeptSoTheLateRecordingRecordsNothing(String name) throws Exception {
        OaTripsUnderTest oa = adapter(name);
        String tripId = oa.submitTrip(OaTripsUnderTest.trip(employee(), "IT", "TRV-IT", "500", "0"));
        String approved = approvedRequest(oa, tripId);

        JsonNode removed = oa.removeAbsence(tripId, "cancelled while the approval was applied");
        assertAbsence(removed, tripId, "NOT_RECORDED", "REMOVED");
        assertThat(removed.path("employeeId").isNull()).isTrue();
        JsonNode late = oa.recordAbsence(approved);
        assertAbsence(late, tripId, "ALREADY_REMOVED", "REMOVED");
        assertThat(oa.absences(tripId)).hasSize(1).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo("REMOVED");
            assertThat(a.from()).as("nothing recorded").isNull();
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anOaThatCannotBeReachedIsARetryableFailure(String name) throws Exception {
        OaTripsUnderTest oa = adapter(name);
        String watermark = caughtUp(oa);
        String tripId = oa.submitTrip(OaTripsUnderTest.trip(employee(), "SALES", "TRV-SALES", "100", "0"));

        Throwable capture = oa.whileTripsDown(() -> catchThrowable(() -> oa.tripRequestsSince(watermark)));
        Throwable apply = oa.whileTripsDown(() -> catchThrowable(() -> oa.applyTripDecision(decision(tripId, 1, "APPROVED", null))));
        Throwable absence = oa.whileTripsDown(() -> catchThrowable(() -> oa.removeAbsence(tripId, "test")));

        for (Throwable failure : List.of(capture, apply, absence)) {
            assertThat(failure).isNotNull();
            assertThat(rootOf(failure)).isNotInstanceOf(NotRetryableException.class);
        }
        assertThat(oa.absences(tripId)).isEmpty();
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() ->
                assertResult(oa.applyTripDecision(decision(tripId, 1, "APPROVED", null)), tripId, 1, "APPLIED"));
    }

    // --- helpers

    private static String employee() {
        return "E-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
    }

    /** The trip as the capture reports it now (a canonical ApprovalRequest): what the flow holds once it was approved. */
    private static String approvedRequest(OaTripsUnderTest oa, String tripId) throws Exception {
        CapturePoll poll = poll(oa, null);
        return JSON.writeValueAsString(poll.until(tripId, r -> true));
    }

    /** A canonical ApprovalDecision as the approvals flow builds it (decisionId = requestId@requestVersion). */
    static String decision(String tripId, int version, String outcome, String reason) throws Exception {
        ObjectNode d = JSON.createObjectNode();
        d.put("decisionId", tripId + "@" + version);
        d.put("requestId", tripId);
        d.put("journey", "BUSINESS_TRIP");
        d.put("requestVersion", version);
        d.put("fingerprint", "0".repeat(64));
        d.put("outcome", outcome);
        d.putNull("approvedQuantity");
        d.put("reason", reason);
        d.put("decidedBy", "contract.test");
        d.put("decidedAt", "2026-11-24T10:15:00.000Z");
        d.putArray("steps").addObject().put("step", 1).put("approverGroup", "HEAD-SALES").put("escalationLevel", 0)
                .put("outcome", outcome).put("decidedBy", "contract.test").put("comment", reason)
                .put("decidedAt", "2026-11-24T10:15:00.000Z");
        d.putObject("subject").put("tripId", tripId);
        return JSON.writeValueAsString(d);
    }

    private static String caughtUp(OaTripsUnderTest oa) throws Exception {
        JsonNode result = oa.tripRequestsSince(null);
        assertChanges(result);
        return result.path("watermark").isNull() ? null : result.path("watermark").asText();
    }

    private static void assertChanges(JsonNode result) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(CHANGES), result)).isEmpty();
        Set<String> seen = new HashSet<>();
        result.path("requests").forEach(r -> assertThat(seen.add(r.path("requestId").asText()))
                .as("each trip at most once per answer: " + r.path("requestId").asText()).isTrue());
    }

    private static void assertResult(JsonNode result, String tripId, int version, String outcome) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(DECISION_RESULT), result)).isEmpty();
        assertThat(result.path("tripId").asText()).isEqualTo(tripId);
        assertThat(result.path("requestVersion").asInt()).isEqualTo(version);
        assertThat(result.path("outcome").asText()).isEqualTo(outcome);
    }

    private static void assertAbsence(JsonNode result, String tripId, String outcome, String status) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(ABSENCE_RESULT), result)).isEmpty();
        assertThat(result.path("tripId").asText()).isEqualTo(tripId);
        assertThat(result.path("outcome").asText()).isEqualTo(outcome);
        assertThat(result.path("status").asText()).isEqualTo(status);
    }

    private static void assertApprovalRequest(JsonNode request) {
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.APPROVAL_REQUEST), request)).isEmpty();
    }

    private static Throwable rootOf(Throwable t) {
        Throwable found = t;
        while (found instanceof CamelExecutionException && found.getCause() != null) {
            found = found.getCause();
        }
        return found;
    }

    /** The capture polled as the flow does (CapturePoll), each answer checked. */
    private static CapturePoll poll(OaTripsUnderTest oa, String watermark) {
        return new CapturePoll(oa::tripRequestsSince, "requests", OaTripPortContractIT::assertChanges, watermark);
    }
}
