package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.realsystems.RealSystemsIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The complaint routing with the OA switched to a real Redmine (and the ERP to a real Tryton) by configuration only: a
 * case opened in the CRM becomes one Redmine issue in its department's project, made by the ESB; a person moves the
 * issue along in Redmine; the Redmine adapter's poller (inbound port oa.task-events) hands each change on, and the CRM
 * case shows it, never backwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComplaintRoutingOnRealSystemsIT extends RealSystemsIntegrationTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(60);

    /** What a person does in Redmine (its own connection, not through the ESB). */
    private RedmineOa redmine;

    @BeforeAll
    void redmine() throws Exception {
        redmine = RedmineOa.startRedmineIfAvailable().orElseThrow();
    }

    @AfterAll
    void stopRedmine() {
        redmine.close();
    }

    @Test
    void aCaseBecomesARedmineIssueAndTheIssueMovedAlongInRedmineMovesTheCrmCase() throws Exception {
        String caseNo = "CS-RS" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        sandbox.openCase(caseNo, "DMG", "High");
        await().atMost(FLOW_TIMEOUT).until(() -> "Routed".equals(sandbox.crmCase(caseNo).path("caseStatus").asText()));

        List<OaUnderTest.Shown> issues = redmine.tasks(caseNo, 1);
        assertThat(issues).hasSize(1);
        String issue = issues.get(0).taskId();
        Map<String, Object> record = jdbc.queryForMap("SELECT * FROM esb.complaint WHERE complaint_id = ?", caseNo);
        assertThat(record.get("task_message_id")).as("the task the ESB sent is the issue").isEqualTo(issue);

        redmine.changeStatus(issue, "IN_PROGRESS");
        awaitCrm(caseNo, "In Progress");
        assertThat(sandbox.crmCase(caseNo).path("externalTaskRef").asText()).isEqualTo(issue);
        redmine.changeStatus(issue, "DONE");
        awaitCrm(caseNo, "Resolved");

        Map<String, Object> resolved = jdbc.queryForMap("SELECT * FROM esb.complaint WHERE complaint_id = ?", caseNo);
        assertThat(resolved.get("status")).isEqualTo("RESOLVED");
        assertThat(resolved.get("oa_task_id")).isEqualTo(issue);
        List<String> history = new ArrayList<>();
        crmHistory(caseNo).forEach(h -> history.add(h.path("caseStatus").asText()));
        assertThat(history).containsSubsequence("Routed", "In Progress", "Resolved");
        assertThat(jdbc.queryForList("SELECT status FROM esb.complaint_journal WHERE complaint_id = ? AND kind = 'STATUS_APPLIED'"
                + " ORDER BY id", String.class, caseNo)).containsExactly("IN_PROGRESS", "RESOLVED");
        // one issue, however often the poller saw it
        assertThat(redmine.tasks(caseNo, 1)).hasSize(1);
    }



    private JsonNode crmHistory(String caseNo) {
        return sandbox.http().get().uri("/sandbox/crm/api/cases/{id}/status-history", caseNo).retrieve().body(JsonNode.class);
    }

    private void awaitCrm(String caseNo, String status) {
        await().atMost(FLOW_TIMEOUT).untilAsserted(() ->
                assertThat(sandbox.crmCase(caseNo).path("caseStatus").asText()).isEqualTo(status));
    }
}
