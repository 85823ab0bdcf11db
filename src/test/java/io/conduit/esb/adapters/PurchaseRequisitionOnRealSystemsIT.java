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

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The purchase requisition approval with the ERP switched to a real Tryton and the OA to a real Redmine, by
 * configuration only: a requisition submitted in Tryton becomes the approval matrix's Approval issues in Redmine, one
 * step after the other; the approvers decide by setting the issue's status (as they would in Redmine's web UI, here
 * through its REST API as the administrator); the decision is applied once in Tryton (approved with the changed
 * quantity, or rejected, with the decision's note). A requisition taken back to draft in Tryton withdraws its
 * Redmine issue, and submitting it again starts the approval over at its new revision.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PurchaseRequisitionOnRealSystemsIT extends RealSystemsIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(PurchaseRequisitionOnRealSystemsIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(60);

    private TrytonErp tryton;
    private Properties real;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void systems() throws Exception {
        tryton = TrytonErp.startTrytonIfAvailable().orElseThrow();
        real = RealSystems.load();
    }

    @AfterAll
    void stopSystems() {
        tryton.close();
    }

    @Test
    void aRequisitionSubmittedInTrytonIsDecidedInRedmineStepByStepAndApprovedOnceWithTheChangedQuantity() throws Exception {
        String department = "RS-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        String req = tryton.raise(department, "8", "1000", tryton.budget(department, "0")); // 8,000: head, then finance

        String head = awaitOpenTask(req, "HEAD-" + department);
        JsonNode headIssue = issue(head);
        assertThat(headIssue.path("tracker").path("id").asText()).isEqualTo(real.getProperty("redmine.tracker.approval-id"));
        assertThat(headIssue.path("subject").asText() + headIssue.path("description").asText()).contains("P-1600").contains("8,000.00");
        decide(head, "approved", null, "fine by production");

        String finance = awaitOpenTask(req, "FINANCE-CONTROLLING");
        assertThat(tryton.requisition(req).erpStatus()).isEqualTo("waiting");
        long decided = decide(finance, "approved-with-changes", new BigDecimal("6"), "six are enough this quarter");

        await().atMost(FLOW_TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> tryton.requisition(req).approvedQuantity() != null);
        LOG.info("Tryton approved requisition {} {} ms after the finance decision's PUT to Redmine returned "
                + "(Redmine decisions polled every 300 ms)", req, System.currentTimeMillis() - decided);
        ErpRequisitionsUnderTest.Requisition approved = tryton.requisition(req);
        assertThat(approved.erpStatus()).isIn("approved", "processing");
        assertThat(approved.approvedQuantity()).isEqualByComparingTo("6");
        int version = jdbc.queryForObject("select request_version from esb.approval where request_id = ?", Integer.class, req);
        assertThat(approved.decisionId()).isEqualTo(req + "@" + version);
        await().atMost(FLOW_TIMEOUT).until(() -> "APPLIED".equals(approvalStatus(req)));
        assertThat(issueStatus(head)).isEqualTo(real.getProperty("redmine.status.approved-id"));
        assertThat(issueStatus(finance)).isEqualTo(real.getProperty("redmine.status.approved-with-changes-id"));
        // once: two steps, two issues, one decision applied, and Tryton's own write of it not taken for a new request.
        // The apply is recorded once, APPLIED or DUPLICATE: a capture during the apply advances the request too, and
        // the second of two concurrent applies finds the decision's note in Tryton
        assertThat(tasks(req)).hasSize(2);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<String> kinds = journalKinds(req);
            assertThat(kinds).containsOnlyOnce("REQUESTED", "DECIDED").doesNotContain("RESUBMITTED");
            assertThat(kinds.stream().filter(k -> k.equals("APPLIED") || k.equals("DUPLICATE"))).hasSize(1);
        });
    }

    @Test
    void aRequisitionTakenBackToDraftWithdrawsItsRedmineIssueAndSubmittedAgainIsAskedAgain() throws Exception {
        String department = "RS-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        String req = tryton.raise(department, "2", "1000", tryton.budget(department, "0")); // 2,000: head only
        String first = awaitOpenTask(req, "HEAD-" + department);

        tryton.withdraw(req);
        await().atMost(FLOW_TIMEOUT).until(() -> "WITHDRAWN".equals(approvalStatus(req)));
        await().atMost(FLOW_TIMEOUT).until(() -> real.getProperty("redmine.status.withdrawn-id").equals(issueStatus(first)));

        // the requester corrects the quantity and submits it again: a new revision, asked from the first step again
        tryton.changeQuantity(req, "3");
        await().atMost(FLOW_TIMEOUT).until(() -> "PENDING".equals(approvalStatus(req)));
        String second = awaitOpenTask(req, "HEAD-" + department);
        assertThat(second).isNotEqualTo(first);
        assertThat(issue(second).path("description").asText()).contains("3,000.00");
        decide(second, "rejected", null, "buy them next quarter");

        await().atMost(FLOW_TIMEOUT).until(() -> "rejected".equals(tryton.requisition(req).erpStatus()));
        await().atMost(FLOW_TIMEOUT).until(() -> "APPLIED".equals(approvalStatus(req)));
        assertThat(journalKinds(req)).containsSubsequence("REQUESTED", "WITHDRAWN", "RESUBMITTED", "DECIDED", "APPLIED");
        assertThat(issueStatus(first)).isEqualTo(real.getProperty("redmine.status.withdrawn-id"));
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

    /** An approver sets the issue's status (and Decision quantity) with a note; when the PUT returned (epoch ms). */
    private long decide(String issueId, String status, BigDecimal quantity, String note) throws Exception {
        ObjectNode issue = JSON.createObjectNode()
                .put("status_id", Integer.parseInt(real.getProperty("redmine.status." + status + "-id")))
                .put("notes", note);
        if (quantity != null) {
            issue.putArray("custom_fields").addObject()
                    .put("id", Integer.parseInt(real.getProperty("redmine.custom-field.decision-quantity-id")))
                    .put("value", quantity.toPlainString());
        }
        HttpResponse<String> answer = redmine("PUT", "/issues/" + issueId + ".json",
                JSON.writeValueAsString(JSON.createObjectNode().set("issue", issue)));
        assertThat(answer.statusCode()).as(answer.body()).isLessThan(300);
        return System.currentTimeMillis();
    }

    private JsonNode issue(String issueId) throws Exception {
        return JSON.readTree(redmine("GET", "/issues/" + issueId + ".json", null).body()).path("issue");
    }

    private String issueStatus(String issueId) throws Exception {
        return issue(issueId).path("status").path("id").asText();
    }

    private HttpResponse<String> redmine(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(real.getProperty("redmine.url") + path))
                .header("X-Redmine-API-Key", real.getProperty("redmine.api-key")).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
