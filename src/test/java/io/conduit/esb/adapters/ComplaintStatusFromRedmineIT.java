package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.support.EsbIntegrationTest;
import jakarta.jms.ConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The complaint's progress comes back from a real Redmine: a case opened in the CRM is routed by the complaint
 * routing; its task is an issue in Redmine (made by the Redmine adapter's port oa.create-task, with the task the flow
 * builds: the same complaint id as External reference); a person moves the issue along in Redmine; the Redmine
 * adapter's poller hands each change on to the complaint routing's own queue, and the CRM case shows it, never
 * backwards. (The test ESB runs the sandbox OA adapter, whose task creation the flow also does; switching the whole
 * Spring context to Redmine would start a second ESB on the shared brokers, whose consumers would take half the
 * other tests' messages.) Skipped without a real Redmine, required when {@code CONDUIT_REAL_SYSTEMS=required}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComplaintStatusFromRedmineIT extends EsbIntegrationTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);

    @Autowired
    private ConnectionFactory connectionFactory;
    @Value("${esb.queues.oa-task-events}")
    private String taskEventQueue;

    private RedmineOa redmine;

    @BeforeAll
    void startPoller() throws Exception {
        redmine = (RedmineOa) RedmineOa.startIfAvailable().orElse(null);
        if (redmine != null) {
            jdbc.update("DELETE FROM esb.poll_watermark WHERE poller_id = 'oa-redmine.task-events'");
            redmine.startTaskEvents(jdbc.getDataSource(), connectionFactory, taskEventQueue);
        }
    }

    @AfterAll
    void stopPoller() {
        if (redmine != null) {
            redmine.stopTaskEvents();
            redmine.close();
        }
    }

    @Test
    void anIssueMovedAlongInRedmineMovesTheCrmCase() throws Exception {
        Assumptions.assumeTrue(redmine != null, RedmineOa::whyNotAvailable);
        String caseNo = "CS-RM" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        openCase(caseNo);
        await().atMost(FLOW_TIMEOUT).until(() -> "Routed".equals(crmCase(caseNo).path("caseStatus").asText()));

        redmine.createTask(OaPortContractIT.task(caseNo, "LOGISTICS", 7,
                Instant.now().plus(Duration.ofHours(4)).truncatedTo(ChronoUnit.SECONDS).toString(), 0));
        String issue = redmine.tasks(caseNo, 1).get(0).taskId();

        redmine.changeStatus(issue, "IN_PROGRESS");
        awaitCrm(caseNo, "In Progress");
        assertThat(crmCase(caseNo).path("externalTaskRef").asText()).isEqualTo(issue);
        redmine.changeStatus(issue, "DONE");
        awaitCrm(caseNo, "Resolved");

        Map<String, Object> record = jdbc.queryForMap("SELECT * FROM esb.complaint WHERE complaint_id = ?", caseNo);
        assertThat(record.get("status")).isEqualTo("RESOLVED");
        assertThat(record.get("oa_task_id")).isEqualTo(issue);
        List<String> history = new ArrayList<>();
        crmHistory(caseNo).forEach(h -> history.add(h.path("caseStatus").asText()));
        assertThat(history).containsSubsequence("Routed", "In Progress", "Resolved");
        assertThat(jdbc.queryForList("SELECT status FROM esb.complaint_journal WHERE complaint_id = ? AND kind = 'STATUS_APPLIED'"
                + " ORDER BY id", String.class, caseNo)).containsExactly("IN_PROGRESS", "RESOLVED");
    }

    private void openCase(String caseNo) {
        Map<String, Object> body = new HashMap<>();
        body.put("caseNumber", caseNo);
        body.put("accountNo", "ACC-204");
        body.put("accountName", "Acme GmbH");
        body.put("accountTier", "Gold");
        body.put("categoryCode", "DMG");
        body.put("priority", "High");
        body.put("origin", "Email");
        body.put("subject", "Complaint " + caseNo);
        body.put("description", "Two of ten pumps arrived with cracked housings.");
        body.put("productSku", "P-100");
        body.put("productName", "Hydraulic pump HP-10");
        var response = sandbox.http().post().uri("/sandbox/crm/api/cases").contentType(MediaType.APPLICATION_JSON)
                .body(body).retrieve().toEntity(JsonNode.class);
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(201);
    }

    private JsonNode crmCase(String caseNo) {
        return sandbox.http().get().uri("/sandbox/crm/api/cases/{id}", caseNo).retrieve().body(JsonNode.class);
    }

    private JsonNode crmHistory(String caseNo) {
        return sandbox.http().get().uri("/sandbox/crm/api/cases/{id}/status-history", caseNo).retrieve().body(JsonNode.class);
    }

    private void awaitCrm(String caseNo, String status) {
        await().atMost(FLOW_TIMEOUT).untilAsserted(() ->
                assertThat(crmCase(caseNo).path("caseStatus").asText()).isEqualTo(status));
    }
}
