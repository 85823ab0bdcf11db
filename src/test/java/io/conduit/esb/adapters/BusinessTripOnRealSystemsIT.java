package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.realsystems.RealSystems;
import io.conduit.esb.realsystems.RealSystemsIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The business trip journey with the OA switched to a real Redmine and the ERP to a real Tryton, by configuration only
 * (the pair redmine.tryton of the journey in flows/approvals.yaml): a traveller submits a trip in Redmine (an issue of
 * the tracker Business trip in the project trips, as RedmineOaTrips submits one); it becomes the approval matrix's
 * Approval issue in Redmine; the approver decides by setting that issue's status (as in Redmine's web UI, here through
 * its REST API as the administrator); the decision is applied once: the trip issue Approved, a posted move in Tryton's
 * journal TRIP on the trip's cost centre, an Absence issue in the project attendance. The trip cancelled in Redmine
 * afterwards has both undone once (Tryton's cancel move, the absence Cancelled). A rejected trip books nothing.
 * <p>
 * Its first run booked the approved trip twice in Tryton - two posted moves {@code trip:<id> booked for <id>@1} 0.5 s
 * apart, the cost centre at 2,900 for a 1,450 trip: the decision's apply sets the trip issue Approved (the OA gate)
 * before it books; the capture then read the trip CLOSED while the approval was DECIDED and applied the same decision
 * again while the first booking was still running, and Tryton's booking (several JSON-RPC calls) is not serialised
 * per trip. Since then an apply holds a lease on the approval (V20, esb.approvals.apply-lease-ms).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BusinessTripOnRealSystemsIT extends RealSystemsIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(BusinessTripOnRealSystemsIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(60);

    private TrytonErp tryton;
    private RedmineOaTrips redmine;
    private Properties real;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void systems() throws Exception {
        tryton = TrytonErp.startTrytonIfAvailable().orElseThrow();
        // only for what the traveller does in Redmine and what Redmine shows: its port routes are not called here
        redmine = RedmineOaTrips.startIfAvailable().orElseThrow();
        real = RealSystems.load();
    }

    @AfterAll
    void stopSystems() {
        tryton.close();
        redmine.close();
    }

    @Test
    void aTripApprovedInRedmineIsBookedInTrytonWithItsAbsenceAndCancelledAfterwardsIsUndoneOnce() throws Exception {
        String department = department();
        String costCentre = tryton.costCentre(department, "0", "EUR");
        String employee = employee();
        Map<String, Object> asked = OaTripsUnderTest.trip(employee, department, costCentre, "1450.00", "300.00");
        String trip = redmine.submitTrip(asked);

        String head = awaitOpenTask(trip, "HEAD-" + department);
        JsonNode approval = issue(head);
        assertThat(approval.path("tracker").path("id").asText()).isEqualTo(real.getProperty("redmine.tracker.approval-id"));
        assertThat(approval.path("subject").asText() + approval.path("description").asText())
                .contains(trip).contains("Lyon").contains("1,450.00").contains(costCentre);
        assertThat(tasks(trip)).as("below 3,000: the head only").hasSize(1);
        long decided = decide(head, "approved", "enjoy the workshop");

        await().atMost(FLOW_TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> tryton.commitment(trip) != null && "posted".equals(tryton.commitment(trip).erpStatus()));
        LOG.info("Tryton posted the commitment of trip {} {} ms after the approver's PUT to Redmine returned "
                + "(Redmine decisions polled every 300 ms)", trip, System.currentTimeMillis() - decided);
        ErpTripCommitmentsUnderTest.Commitment booked = tryton.commitment(trip);
        assertThat(booked.decisionId()).isEqualTo(trip + "@1");
        assertThat(booked.amount()).isEqualByComparingTo("1450");
        assertThat(booked.advance()).isEqualByComparingTo("300");
        // one posted move: the cost centre (the test's own analytic account) holds its amount once
        assertThat(tryton.committedOn(costCentre)).isEqualByComparingTo("1450");

        await().atMost(FLOW_TIMEOUT).until(() -> "APPLIED".equals(approvalStatus(trip)));
        OaTripsUnderTest.Trip approved = redmine.trip(trip);
        assertThat(approved.status()).isEqualTo("APPROVED");
        assertThat(approved.decisionId()).isEqualTo(trip + "@1");
        assertThat(approved.comment()).isEqualTo("enjoy the workshop");
        List<OaTripsUnderTest.Absence> absences = redmine.absences(trip);
        assertThat(absences).hasSize(1);
        assertThat(absences.get(0).status()).isEqualTo("RECORDED");
        assertThat(absences.get(0).employeeId()).isEqualTo(employee);
        assertThat(absences.get(0).from()).isEqualTo(asked.get("startDate"));
        assertThat(absences.get(0).to()).isEqualTo(asked.get("endDate"));
        assertThat(issueStatus(head)).isEqualTo(real.getProperty("redmine.status.approved-id"));
        // the ESB's own writes to the trip issue (the decision's note, the status) are not taken for a new revision
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(journalKinds(trip)).containsOnlyOnce("REQUESTED", "DECIDED", "APPLIED").doesNotContain("RESUBMITTED");
            assertThat(tasks(trip)).hasSize(1);
        });

        // the traveller cancels the approved trip in Redmine: the commitment released and the absence removed, once
        redmine.cancelTrip(trip, "project postponed");
        await().atMost(FLOW_TIMEOUT).until(() -> "cancelled".equals(tryton.commitment(trip).erpStatus()));
        assertThat(tryton.committedOn(costCentre)).isEqualByComparingTo("0");
        await().atMost(FLOW_TIMEOUT).until(() -> redmine.absences(trip).stream().allMatch(a -> a.status().equals("REMOVED")));
        assertThat(redmine.absences(trip)).hasSize(1);
        await().atMost(FLOW_TIMEOUT).until(() -> journalKinds(trip).contains("REVERSED"));
        assertThat(approvalStatus(trip)).isEqualTo("WITHDRAWN");
        assertThat(redmine.trip(trip).status()).isEqualTo("CANCELLED");
        // the capture and the scanner go on: nothing is reversed twice, nothing booked again
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(journalKinds(trip)).containsOnlyOnce("REVERSED", "APPLIED"));
        assertThat(tryton.committedOn(costCentre)).isEqualByComparingTo("0");
        assertThat(tryton.commitment(trip).erpStatus()).isEqualTo("cancelled");
    }

    @Test
    void aTripRejectedInRedmineShowsTheReasonAndNothingIsBookedInTryton() throws Exception {
        String department = department();
        String costCentre = tryton.costCentre(department, "0", "EUR");
        String trip = redmine.submitTrip(OaTripsUnderTest.trip(employee(), department, costCentre, "900.00", "0"));

        decide(awaitOpenTask(trip, "HEAD-" + department), "rejected", "the customer comes to us");

        await().atMost(FLOW_TIMEOUT).until(() -> "REJECTED".equals(redmine.trip(trip).status()));
        assertThat(redmine.trip(trip).comment()).isEqualTo("the customer comes to us");
        await().atMost(FLOW_TIMEOUT).until(() -> "APPLIED".equals(approvalStatus(trip)));
        // nothing booked and nothing recorded, for 2 s on end (each look asks Tryton and Redmine, which the ESB's
        // captures poll too: with the product catalogue's capture added, 5 s once did not fit a 2 s hold)
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(tryton.commitment(trip)).isNull();
            assertThat(tryton.committedOn(costCentre)).isEqualByComparingTo("0");
            assertThat(redmine.absences(trip)).isEmpty();
        });
    }

    private static String department() {
        return "RT-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT);
    }

    private static String employee() {
        return "E-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
    }

    /** The Redmine issue id of the step's open task, once the ESB has sent it. */
    private String awaitOpenTask(String req, String group) {
        return await().atMost(FLOW_TIMEOUT).until(() -> {
            List<String> ids = jdbc.queryForList("select t.task_id from esb.approval_task t join esb.approval a"
                    + " on a.request_id = t.request_id and a.request_version = t.request_version"
                    + " where t.request_id = ? and t.approver_group = ? and t.closed_at is null and t.sent_at is not null",
                    String.class, req, group);
            return ids.isEmpty() ? null : ids.get(0);
        }, id -> id != null);
    }

    private List<Map<String, Object>> tasks(String req) {
        return jdbc.queryForList("select * from esb.approval_task where request_id = ?", req);
    }

    private String approvalStatus(String req) {
        List<String> status = jdbc.queryForList("select status from esb.approval where request_id = ?", String.class, req);
        return status.isEmpty() ? null : status.get(0);
    }

    private List<String> journalKinds(String req) {
        return jdbc.queryForList("select kind from esb.approval_journal where request_id = ? order by id", String.class, req);
    }

    /** An approver sets the Approval issue's status with a note; when the PUT returned (epoch ms). */
    private long decide(String issueId, String status, String note) throws Exception {
        ObjectNode issue = JSON.createObjectNode()
                .put("status_id", Integer.parseInt(real.getProperty("redmine.status." + status + "-id")))
                .put("notes", note);
        HttpResponse<String> answer = redmineApi("PUT", "/issues/" + issueId + ".json",
                JSON.writeValueAsString(JSON.createObjectNode().set("issue", issue)));
        assertThat(answer.statusCode()).as(answer.body()).isLessThan(300);
        return System.currentTimeMillis();
    }

    private JsonNode issue(String issueId) throws Exception {
        return JSON.readTree(redmineApi("GET", "/issues/" + issueId + ".json", null).body()).path("issue");
    }

    private String issueStatus(String issueId) throws Exception {
        return issue(issueId).path("status").path("id").asText();
    }

    private HttpResponse<String> redmineApi(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(real.getProperty("redmine.url") + path))
                .header("X-Redmine-API-Key", real.getProperty("redmine.api-key")).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
