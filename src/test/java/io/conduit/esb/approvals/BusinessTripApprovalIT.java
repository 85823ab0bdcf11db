package io.conduit.esb.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.support.EsbIntegrationTest;
import jakarta.jms.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.web.client.RestClient;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The business trip journey end to end on the embedded brokers and PostgreSQL and the sandbox OA and ERP: an employee
 * submits a trip in the OA, the approval matrix's OA tasks decide it, and the decision is applied once: the OA's trip
 * APPROVED or REJECTED, and for an approval the ERP's commitment on the trip's cost centre and the OA's attendance
 * absence; a trip cancelled after its approval has both reversed, once. The same flow as the other journeys
 * (routes/approvals.camel.yaml), with the trip's composite apply and reverse ports
 * (routes/approvals-business-trip.camel.yaml). Every assertion reads the systems through their APIs: the OA's trips,
 * tasks and absences, the ERP's commitment and cost centre, the ESB's approvals API, journal and parking lot.
 */
class BusinessTripApprovalIT extends EsbIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(BusinessTripApprovalIT.class);
    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ConnectionFactory connectionFactory;
    @Value("${esb.queues.oa-approval-decisions}")
    String decisionQueue;

    @Test
    void anApprovedTripIsApprovedInTheOaBookedOnItsCostCentreAndAnAbsenceOnceEvenWhenTheDecisionComesTwice() {
        String costCentre = costCentre("SALES", "60000");
        String employee = employee();
        String trip = submit(employee, "SALES", costCentre, "1850.50", "500", 3);

        JsonNode head = awaitOpenTask(trip, "HEAD-SALES");
        assertThat(tasks(trip)).hasSize(1);
        assertThat(head.path("text").asText()).contains(trip).contains("Paris (FR)").contains("(3 days)")
                .contains("Purpose: Trade fair").contains("Transport: train").contains("Estimated cost: 1,850.50 EUR")
                .contains("Travel advance: 500.00 EUR").contains("Cost centre: " + costCentre).contains(employee);
        JsonNode open = openApproval(trip);
        assertThat(open.path("journey").asText()).isEqualTo("BUSINESS_TRIP");
        assertThat(open.path("amount").decimalValue()).isEqualByComparingTo("1850.50");

        JsonNode decided = decide(head, "APPROVED", "enjoy the fair");

        JsonNode commitment = awaitCommitment(trip, "BKD");
        assertThat(commitment.path("dec_id").asText()).isEqualTo(trip + "@1");
        assertThat(commitment.path("cmt_amt").decimalValue()).isEqualByComparingTo("1850.50");
        assertThat(commitment.path("adv_amt").decimalValue()).isEqualByComparingTo("500");
        assertThat(commitment.path("bud_cd").asText()).isEqualTo(costCentre);
        assertThat(budget(costCentre).path("cmt_amt").decimalValue()).isEqualByComparingTo("1850.50");
        Duration toEffect = Duration.between(Instant.parse(decided.path("decidedAt").asText()),
                Instant.parse(commitment.path("bkd_ts").asText()));
        LOG.info("business trip {}: the OA decision reached the ERP's commitment after {} ms", trip, toEffect.toMillis());
        assertThat(toEffect).isLessThan(Duration.ofSeconds(10));

        JsonNode approved = awaitTrip(trip, "APPROVED");
        assertThat(approved.path("decision_id").asText()).isEqualTo(trip + "@1");
        assertThat(approved.path("decided_by").asText()).isEqualTo("approver@head-sales");
        assertThat(approved.path("decision_comment").asText()).isEqualTo("enjoy the fair");
        JsonNode absence = awaitAbsence(trip, "RECORDED");
        assertThat(absence.path("employee_no").asText()).isEqualTo(employee);
        assertThat(absence.path("from_date").asText()).isEqualTo(approved.path("start_date").asText());
        assertThat(absence.path("to_date").asText()).isEqualTo(approved.path("end_date").asText());
        awaitApprovalStatus(trip, "APPLIED");
        assertThat(journalDetail(trip, "APPLIED")).contains("BOOKED").contains("RECORDED");

        // the decision's event again (an OA sending it twice): nothing changes in the OA, the ERP or attendance
        JsonNode event = sandbox.http().get().uri("/sandbox/oa/api/approvals/{id}/events", head.path("approvalId").asText())
                .retrieve().body(JsonNode.class).get(0);
        new JmsTemplate(connectionFactory).convertAndSend(decisionQueue, event.toString());
        await().atMost(FLOW_TIMEOUT).until(() -> journalKinds(trip).stream()
                .anyMatch(k -> k.equals("DUPLICATE") || k.equals("DECISION_IGNORED")));
        assertThat(commitment(trip).path("bkd_ts").asText()).isEqualTo(commitment.path("bkd_ts").asText());
        assertThat(budget(costCentre).path("cmt_amt").decimalValue()).isEqualByComparingTo("1850.50");
        assertThat(trip(trip).path("updated_at").asText()).isEqualTo(approved.path("updated_at").asText());
        assertThat(absences(trip)).hasSize(1);
        assertThat(journalKinds(trip)).containsOnlyOnce("APPLIED").doesNotContain("REVERSED");
    }

    @Test
    void aRejectedTripShowsTheReasonAndNothingIsBooked() {
        String costCentre = costCentre("SALES", "60000");
        String trip = submit(employee(), "SALES", costCentre, "900", "0", 1);

        decide(awaitOpenTask(trip, "HEAD-SALES"), "REJECTED", "the customer comes to us");

        JsonNode rejected = awaitTrip(trip, "REJECTED");
        assertThat(rejected.path("decision_comment").asText()).isEqualTo("the customer comes to us");
        awaitApprovalStatus(trip, "APPLIED");
        assertThat(commitmentOrNull(trip)).isNull();
        assertThat(absences(trip)).isEmpty();
        assertThat(budget(costCentre).path("cmt_amt").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void aTripChangedWhileItWaitsIsAskedAgainAndADecisionOnTheOldRevisionIsNotApplied() {
        String costCentre = costCentre("IT", "15000");
        String trip = submit(employee(), "IT", costCentre, "1200", "0", 2);
        JsonNode first = awaitOpenTask(trip, "HEAD-IT");
        assertThat(first.path("version").asInt()).isEqualTo(1);

        // the traveller adds a flight: revision 2, 3,400 -> the head, then finance
        oa().patch().uri("/trips/{id}", trip).body(Map.of("estimatedCost", new BigDecimal("3400"), "transport", "FLIGHT"))
                .retrieve().toBodilessEntity();
        assertThat(trip(trip).path("revision").asInt()).isEqualTo(2);

        await().atMost(FLOW_TIMEOUT).untilAsserted(() ->
                assertThat(task(first.path("approvalId").asText()).path("status").asText()).isEqualTo("CANCELLED"));
        JsonNode second = await().atMost(FLOW_TIMEOUT).until(() -> awaitOpenTask(trip, "HEAD-IT"),
                t -> t.path("version").asInt() == 2);
        assertThat(second.path("text").asText()).contains("Estimated cost: 3,400.00 EUR").contains("Transport: flight");

        // a decision on revision 1 arriving late (the OA had it before the cancel): ignored, nothing applied
        new JmsTemplate(connectionFactory).convertAndSend(decisionQueue, decisionEvent(first, trip, "APPROVED"));
        await().atMost(FLOW_TIMEOUT).until(() -> journalKinds(trip).contains("DECISION_IGNORED"));
        assertThat(trip(trip).path("status").asText()).isEqualTo("SUBMITTED");
        assertThat(commitmentOrNull(trip)).isNull();

        decide(second, "APPROVED", null);
        decide(awaitOpenTask(trip, "FINANCE-CONTROLLING"), "APPROVED", "ok");
        JsonNode commitment = awaitCommitment(trip, "BKD");
        assertThat(commitment.path("dec_id").asText()).isEqualTo(trip + "@2");
        assertThat(commitment.path("cmt_amt").decimalValue()).isEqualByComparingTo("3400");
        assertThat(awaitTrip(trip, "APPROVED").path("decision_revision").asInt()).isEqualTo(2);
        awaitAbsence(trip, "RECORDED");
        assertThat(journalKinds(trip)).contains("RESUBMITTED");
    }

    @Test
    void anUndecidedTripIsRemindedOnceThenEscalatedOnceAndTheDirectorsApprovalIsBooked() {
        String costCentre = costCentre("TEST-FAST", "10000");
        String trip = submit(employee(), "TEST-FAST", costCentre, "700", "100", 1); // remind after 1 s, escalate after 3 s

        JsonNode head = awaitOpenTask(trip, "HEAD-TEST-FAST");
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(notes(head)).hasSize(1));
        JsonNode director = awaitOpenTask(trip, "DIRECTOR-TEST-FAST");
        assertThat(director.path("level").asInt()).isEqualTo(1);

        decide(director, "APPROVED", "approved in place of the head");

        awaitCommitment(trip, "BKD");
        assertThat(awaitTrip(trip, "APPROVED").path("decided_by").asText()).isEqualTo("approver@director-test-fast");
        awaitAbsence(trip, "RECORDED");
        await().atMost(FLOW_TIMEOUT).untilAsserted(() ->
                assertThat(task(head.path("approvalId").asText()).path("status").asText()).isEqualTo("CANCELLED"));
        assertThat(journalKinds(trip)).containsOnlyOnce("REMINDED", "ESCALATED");
    }

    @Test
    void aTripCancelledBeforeItsDecisionCancelsTheTaskAndBooksNothing() {
        String costCentre = costCentre("SALES", "60000");
        String trip = submit(employee(), "SALES", costCentre, "4100", "0", 2); // head, finance

        decide(awaitOpenTask(trip, "HEAD-SALES"), "APPROVED", null);
        JsonNode finance = awaitOpenTask(trip, "FINANCE-CONTROLLING");
        oa().post().uri("/trips/{id}/cancel", trip).body(Map.of("reason", "the fair was called off"))
                .retrieve().toBodilessEntity();

        await().atMost(FLOW_TIMEOUT).untilAsserted(() ->
                assertThat(task(finance.path("approvalId").asText()).path("status").asText()).isEqualTo("CANCELLED"));
        awaitApprovalStatus(trip, "WITHDRAWN");
        assertThat(trip(trip).path("status").asText()).isEqualTo("CANCELLED");
        assertThat(commitmentOrNull(trip)).isNull();
        assertThat(absences(trip)).isEmpty();
        assertThat(journalKinds(trip)).doesNotContain("REVERSED");
    }

    @Test
    void aTripCancelledAfterItsApprovalHasItsCommitmentReleasedAndItsAbsenceRemovedOnce() {
        String costCentre = costCentre("SALES", "60000");
        String trip = submit(employee(), "SALES", costCentre, "2400", "800", 4);
        decide(awaitOpenTask(trip, "HEAD-SALES"), "APPROVED", null);
        awaitCommitment(trip, "BKD");
        awaitAbsence(trip, "RECORDED");
        awaitApprovalStatus(trip, "APPLIED");
        assertThat(budget(costCentre).path("cmt_amt").decimalValue()).isEqualByComparingTo("2400");

        oa().post().uri("/trips/{id}/cancel", trip).body(Map.of("reason", "project postponed"))
                .retrieve().toBodilessEntity();

        JsonNode released = awaitCommitment(trip, "RLS");
        assertThat(released.path("cmt_amt").decimalValue()).as("the row keeps what was booked").isEqualByComparingTo("2400");
        assertThat(released.path("rls_rsn").asText()).contains("after its approval");
        assertThat(budget(costCentre).path("cmt_amt").decimalValue()).isEqualByComparingTo("0");
        awaitAbsence(trip, "REMOVED");
        await().atMost(FLOW_TIMEOUT).until(() -> journalKinds(trip).contains("REVERSED"));
        assertThat(journalDetail(trip, "REVERSED")).startsWith("REVERSED").contains("RELEASED").contains("REMOVED");
        assertThat(jdbc.queryForObject("select status from esb.approval where request_id = ?", String.class, trip))
                .isEqualTo("WITHDRAWN");

        // the approvals flow keeps capturing and scanning: nothing is reversed twice
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() ->
                assertThat(journalKinds(trip)).containsOnlyOnce("REVERSED", "APPLIED"));
        assertThat(budget(costCentre).path("cmt_amt").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void aTripCancelledWhileItsApprovalIsStillBeingAppliedEndsWithNothingBooked() {
        String costCentre = costCentre("SALES", "60000");
        String trip = submit(employee(), "SALES", costCentre, "1300", "0", 2);
        JsonNode head = awaitOpenTask(trip, "HEAD-SALES");

        // the ERP is away: the OA's trip is approved (the gate), the booking fails and waits for a retry
        sandbox.setFault("erp", "down", 0, 0);
        try {
            decide(head, "APPROVED", null);
            awaitTrip(trip, "APPROVED");
            awaitApprovalStatus(trip, "DECIDED");
            // cancelled meanwhile: a reversal is owed for a decision that may have booked part of its effects
            oa().post().uri("/trips/{id}/cancel", trip).body(Map.of("reason", "no budget after all"))
                    .retrieve().toBodilessEntity();
            awaitApprovalStatus(trip, "WITHDRAWN");
            // an apply attempt that began before the withdrawal may still wait for an ERP connection (the sandbox
            // adapter's connection-timeout, 3 s); held past it, every later attempt finds the decision withdrawn and
            // books nothing (approvals.trip-still-owed). One already inside the port when the ERP comes back would
            // book, and the reversal would release it: correct, but not the order this case pins down.
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                    .untilAsserted(() -> assertThat(commitmentOrNull(trip)).isNull());
        } finally {
            sandbox.setFault("erp", "normal", 0, 0);
        }

        // the ERP back: the reversal is done (by the retry of the decision, or the sweep); the apply is no longer
        // owed, and a booking still on its way would find the release kept and book nothing
        await().atMost(Duration.ofSeconds(90)).until(() -> journalKinds(trip).contains("REVERSED"));
        JsonNode released = commitment(trip);
        assertThat(released.path("stat_cd").asText()).isEqualTo("RLS");
        assertThat(released.path("dec_id").isNull()).as("nothing was ever booked").isTrue();
        assertThat(budget(costCentre).path("cmt_amt").decimalValue()).isEqualByComparingTo("0");
        JsonNode absence = awaitAbsence(trip, "REMOVED");
        assertThat(absence.path("recorded_at").isNull()).as("nothing was ever recorded").isTrue();
        assertThat(journalKinds(trip)).containsOnlyOnce("REVERSED").doesNotContain("APPLIED");
    }

    @Test
    void aChangedDecisionOnATripIsRefusedByTheOaAndParkedWhenAnOaSendsOneAnyway() {
        String costCentre = costCentre("SALES", "60000");
        String trip = submit(employee(), "SALES", costCentre, "1500", "0", 2);
        JsonNode head = awaitOpenTask(trip, "HEAD-SALES");

        // the sandbox OA has nothing to change on a trip's task (no requested quantity): 422
        Map<String, Object> body = new HashMap<>();
        body.put("decision", "CHANGED");
        body.put("quantity", new BigDecimal("1"));
        body.put("decidedBy", "approver@head-sales");
        ResponseEntity<String> refused = sandbox.http().post()
                .uri("/sandbox/oa/api/approvals/{id}/decision", head.path("approvalId").asText()).body(body).retrieve()
                .onStatus(s -> true, (rq, rs) -> { }).toEntity(String.class);
        assertThat(refused.getStatusCode().value()).isEqualTo(422);

        // an OA that lets one through: the decision is parked with the reason, nothing is applied
        new JmsTemplate(connectionFactory).convertAndSend(decisionQueue, decisionEvent(head, trip, "CHANGED"));
        String reason = await().atMost(FLOW_TIMEOUT).until(() -> jdbc.queryForList(
                "select reason from esb.parked_message where reason like ?", String.class, "%CHANGED decision on " + trip + "%")
                .stream().findFirst().orElse(null), r -> r != null);
        assertThat(reason).contains("journey BUSINESS_TRIP has no value a decision could change");
        assertThat(jdbc.queryForObject("select status from esb.approval where request_id = ?", String.class, trip))
                .isEqualTo("PENDING");
        assertThat(trip(trip).path("status").asText()).isEqualTo("SUBMITTED");
        assertThat(commitmentOrNull(trip)).isNull();

        // the task is still the approver's to decide as a whole
        decide(head, "APPROVED", null);
        awaitCommitment(trip, "BKD");
    }

    // --- the sandbox OA and ERP, through their APIs ---

    private RestClient oa() {
        return sandbox.http().mutate().baseUrl(baseUrl() + "/sandbox/oa/api").build();
    }

    private static String employee() {
        return "E-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT);
    }

    /** A travel cost centre of its own (a budget line in EUR), so its committed amount is this test's alone. */
    private String costCentre(String department, String amount) {
        String code = "TT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        sandbox.http().put().uri("/sandbox/erp/budgets/{bud}", code)
                .body(Map.of("deptCd", department, "description", "Trip approval test", "amount", new BigDecimal(amount),
                        "currency", "EUR"))
                .retrieve().toBodilessEntity();
        return code;
    }

    private JsonNode budget(String code) {
        return sandbox.http().get().uri("/sandbox/erp/budgets/{bud}", code).retrieve().body(JsonNode.class);
    }

    /** An employee submits a trip to Paris of days days, starting in 30 days; its number. */
    private String submit(String employee, String department, String costCentre, String cost, String advance, int days) {
        Map<String, Object> trip = new LinkedHashMap<>();
        trip.put("employeeNo", employee);
        trip.put("employeeName", "Anna Berger");
        trip.put("department", department);
        trip.put("costCentre", costCentre);
        trip.put("city", "Paris");
        trip.put("country", "FR");
        trip.put("purpose", "Trade fair VivaTech: stand duty and customer meetings");
        trip.put("startDate", LocalDate.now().plusDays(30).toString());
        trip.put("endDate", LocalDate.now().plusDays(29 + days).toString());
        trip.put("transport", "TRAIN");
        trip.put("estimatedCost", new BigDecimal(cost));
        trip.put("advance", new BigDecimal(advance));
        trip.put("currency", "EUR");
        JsonNode created = oa().post().uri("/trips").body(trip).retrieve().body(JsonNode.class);
        assertThat(created.path("status").asText()).isEqualTo("SUBMITTED");
        return created.path("trip_id").asText();
    }

    private JsonNode trip(String trip) {
        return oa().get().uri("/trips/{id}", trip).retrieve().body(JsonNode.class);
    }

    private JsonNode awaitTrip(String trip, String status) {
        return await().atMost(FLOW_TIMEOUT).until(() -> trip(trip), t -> t.path("status").asText().equals(status));
    }

    private List<JsonNode> absences(String trip) {
        List<JsonNode> found = new ArrayList<>();
        oa().get().uri("/attendance/absences").retrieve().body(JsonNode.class).forEach(a -> {
            if (trip.equals(a.path("trip_ref").asText())) {
                found.add(a);
            }
        });
        return found;
    }

    private JsonNode awaitAbsence(String trip, String status) {
        return await().atMost(FLOW_TIMEOUT).until(() -> absences(trip).stream()
                .filter(a -> a.path("status").asText().equals(status)).findFirst().orElse(null), a -> a != null);
    }

    private JsonNode commitmentOrNull(String trip) {
        return sandbox.http().get().uri("/sandbox/erp/trip-commitments/{trip}", trip)
                .exchange((request, response) -> response.getStatusCode().value() == 404 ? null
                        : JSON.readTree(response.getBody()));
    }

    private JsonNode commitment(String trip) {
        JsonNode found = commitmentOrNull(trip);
        assertThat(found).as("the ERP's commitment of %s", trip).isNotNull();
        return found;
    }

    private JsonNode awaitCommitment(String trip, String status) {
        return await().atMost(FLOW_TIMEOUT).until(() -> commitmentOrNull(trip),
                c -> c != null && c.path("stat_cd").asText().equals(status));
    }

    private List<JsonNode> tasks(String trip) {
        JsonNode list = sandbox.http().get().uri("/sandbox/oa/api/approvals?reference={ref}", trip).retrieve()
                .body(JsonNode.class);
        List<JsonNode> tasks = new ArrayList<>();
        list.forEach(tasks::add);
        return tasks;
    }

    private JsonNode task(String approvalId) {
        return sandbox.http().get().uri("/sandbox/oa/api/approvals/{id}", approvalId).retrieve().body(JsonNode.class);
    }

    private List<JsonNode> notes(JsonNode task) {
        JsonNode list = sandbox.http().get().uri("/sandbox/oa/api/approvals/{id}/notes", task.path("approvalId").asText())
                .retrieve().body(JsonNode.class);
        List<JsonNode> notes = new ArrayList<>();
        list.forEach(notes::add);
        return notes;
    }

    private JsonNode awaitOpenTask(String trip, String group) {
        return await().atMost(FLOW_TIMEOUT).until(() -> tasks(trip).stream()
                        .filter(t -> t.path("approverGroup").asText().equals(group))
                        .filter(t -> t.path("status").asText().equals("OPEN")).findFirst().orElse(null),
                t -> t != null);
    }

    /** A person decides in the OA: APPROVED or REJECTED (with the reason). */
    private JsonNode decide(JsonNode task, String decision, String comment) {
        Map<String, Object> body = new HashMap<>();
        body.put("decision", decision);
        body.put("decidedBy", "approver@" + task.path("approverGroup").asText().toLowerCase(Locale.ROOT));
        if (comment != null) {
            body.put("comment", comment);
        }
        JsonNode decided = sandbox.http().post().uri("/sandbox/oa/api/approvals/{id}/decision", task.path("approvalId").asText())
                .body(body).retrieve().body(JsonNode.class);
        assertThat(decided.path("status").asText()).as("the OA took the decision: %s", decided).isEqualTo(decision);
        return decided;
    }

    /** The OA's decision event for a task, as an OA (late, or one that does not check it) would publish it. */
    private static String decisionEvent(JsonNode task, String trip, String decision) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", "test-" + UUID.randomUUID());
        event.put("taskId", task.path("approvalId").asText());
        event.put("externalRef", trip);
        event.put("requestVersion", task.path("version").asInt());
        event.put("step", task.path("step").asInt());
        event.put("escalationLevel", 0);
        event.put("decision", decision);
        if ("CHANGED".equals(decision)) {
            event.put("quantity", 1);
        }
        event.put("decidedBy", "other.approver");
        event.put("occurredAt", Instant.now().toString());
        try {
            return JSON.writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // --- the ESB's own record ---

    private JsonNode openApproval(String trip) {
        return await().atMost(FLOW_TIMEOUT).until(() -> {
            for (JsonNode approval : viewer().get().uri("/api/v1/approvals?journey=BUSINESS_TRIP").retrieve()
                    .body(JsonNode.class).path("approvals")) {
                if (trip.equals(approval.path("requestId").asText())) {
                    return approval;
                }
            }
            return null;
        }, a -> a != null);
    }

    private void awaitApprovalStatus(String trip, String status) {
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select status from esb.approval where request_id = ?", String.class, trip)).isEqualTo(status));
    }

    private List<String> journalKinds(String trip) {
        return jdbc.queryForList("select kind from esb.approval_journal where request_id = ? order by id", String.class, trip);
    }

    private String journalDetail(String trip, String kind) {
        return jdbc.queryForObject("select detail from esb.approval_journal where request_id = ? and kind = ? order by id limit 1",
                String.class, trip, kind);
    }
}
