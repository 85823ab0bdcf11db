package io.conduit.esb.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.support.EsbIntegrationTest;
import jakarta.jms.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.web.client.RestClient;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The purchase requisition journey end to end on the embedded brokers and PostgreSQL and the sandbox ERP and OA: a
 * requisition raised in the ERP becomes the approval matrix's OA tasks, one step after the other, and the decision
 * goes back to the ERP once, which releases (committing the budget) or cancels the requisition. Every assertion reads
 * the systems' own tables through their APIs: the ERP's requisition and budget, the OA's tasks and notes.
 */
class PurchaseRequisitionApprovalIT extends EsbIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(PurchaseRequisitionApprovalIT.class);
    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> MAP = new com.fasterxml.jackson.core.type.TypeReference<>() { };

    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    org.apache.camel.ProducerTemplate camel;
    @Value("${esb.queues.oa-approval-decisions}")
    String decisionQueue;

    @Test
    void aLargeRequisitionPassesHeadFinanceAndDirectorInOrderAndIsReleasedOnce() {
        String budget = budget("PRODUCTION", "500000");
        String req = raise("PRODUCTION", "8", "7500", budget); // 60,000: head, finance, managing director

        JsonNode head = awaitOpenTask(req, "HEAD-PRODUCTION");
        assertThat(tasks(req)).hasSize(1);
        assertThat(head.path("step").asInt()).isEqualTo(1);
        assertThat(head.path("text").asText()).contains("P-1600").contains("60,000.00").contains(budget);
        decide(head, "APPROVED", null, null);

        JsonNode finance = awaitOpenTask(req, "FINANCE-CONTROLLING");
        assertThat(finance.path("step").asInt()).isEqualTo(2);
        // the admin API (and the console's Approvals page) shows it open at step 2 of 3, with finance, and its deadline
        JsonNode open = openApproval(req);
        assertThat(open.path("status").asText()).isEqualTo("PENDING");
        assertThat(open.path("journey").asText()).isEqualTo("PURCHASE_REQUISITION");
        assertThat(open.path("step").asInt()).isEqualTo(2);
        assertThat(open.path("steps").asInt()).isEqualTo(3);
        assertThat(open.path("approverGroup").asText()).isEqualTo("FINANCE-CONTROLLING");
        assertThat(open.path("taskId").asText()).isEqualTo(finance.path("approvalId").asText());
        assertThat(Instant.parse(open.path("dueAt").asText())).isAfter(Instant.now());
        assertThat(open.path("overdue").asBoolean()).isFalse();
        assertThat(open.path("amount").decimalValue()).isEqualByComparingTo("60000");
        decide(finance, "APPROVED", null, null);

        JsonNode director = awaitOpenTask(req, "MANAGING-DIRECTOR");
        assertThat(director.path("step").asInt()).isEqualTo(3);
        JsonNode decided = decide(director, "APPROVED", null, "fine");

        JsonNode released = awaitRequisition(req, "REL");
        assertThat(released.path("dec_cd").asText()).isEqualTo("APR");
        assertThat(released.path("appr_qty").decimalValue()).isEqualByComparingTo("8");
        assertThat(committed(budget)).isEqualByComparingTo("60000");
        Duration toEffect = Duration.between(Instant.parse(decided.path("decidedAt").asText()),
                Instant.parse(released.path("dec_ts").asText()));
        LOG.info("purchase requisition {}: the last approval reached the ERP after {} ms", req, toEffect.toMillis());
        assertThat(toEffect).isLessThan(Duration.ofSeconds(10));
        awaitApprovalStatus(req, "APPLIED");

        // the last decision's event again (an OA sending it twice): recorded as a duplicate, nothing changes in the ERP
        String decidedAt = released.path("dec_ts").asText();
        JsonNode event = sandbox.http().get().uri("/sandbox/oa/api/approvals/{id}/events", director.path("approvalId").asText())
                .retrieve().body(JsonNode.class).get(0);
        new JmsTemplate(connectionFactory).convertAndSend(decisionQueue, event.toString());
        await().atMost(FLOW_TIMEOUT).until(() -> journalKinds(req).stream()
                .anyMatch(k -> k.equals("DUPLICATE") || k.equals("DECISION_IGNORED")));
        JsonNode again = requisition(req);
        assertThat(again.path("dec_ts").asText()).isEqualTo(decidedAt);
        assertThat(committed(budget)).isEqualByComparingTo("60000");
        assertThat(jdbc.queryForObject("select status from esb.approval where request_id = ?", String.class, req))
                .isEqualTo("APPLIED");
        assertThat(journalKinds(req)).contains("REQUESTED", "TASK_SENT", "STEP_DECIDED", "DECIDED", "APPLIED");
        // applied: no longer open; its record and journal stay readable
        assertThat(openApprovals().findValuesAsText("requestId")).doesNotContain(req);
        JsonNode record = viewer().get().uri("/api/v1/approvals/{id}", req).retrieve().body(JsonNode.class);
        assertThat(record.path("status").asText()).isEqualTo("APPLIED");
        assertThat(record.path("outcome").asText()).isEqualTo("APPROVED");
        assertThat(record.path("journal").findValuesAsText("kind")).contains("REQUESTED", "STEP_DECIDED", "APPLIED");
        assertThat(viewer().get().uri("/api/v1/approvals/{id}", "PR-NONE").retrieve()
                .onStatus(status -> true, (rq, rs) -> { }).toBodilessEntity().getStatusCode().value()).isEqualTo(404);
    }

    private JsonNode openApprovals() {
        return viewer().get().uri("/api/v1/approvals?journey=PURCHASE_REQUISITION").retrieve().body(JsonNode.class)
                .path("approvals");
    }

    private JsonNode openApproval(String req) {
        for (JsonNode approval : openApprovals()) {
            if (req.equals(approval.path("requestId").asText())) {
                return approval;
            }
        }
        throw new AssertionError("approval " + req + " is not open: " + openApprovals());
    }

    @Test
    void aRejectionCancelsTheRequisitionAndStopsTheSteps() {
        String budget = budget("PRODUCTION", "500000");
        String req = raise("PRODUCTION", "10", "1200", budget); // 12,000: head, finance

        decide(awaitOpenTask(req, "HEAD-PRODUCTION"), "APPROVED", null, null);
        decide(awaitOpenTask(req, "FINANCE-CONTROLLING"), "REJECTED", null, "budget frozen until Q3");

        JsonNode cancelled = awaitRequisition(req, "CNL");
        assertThat(cancelled.path("dec_cd").asText()).isEqualTo("REJ");
        assertThat(cancelled.path("dec_rsn").asText()).contains("budget frozen");
        assertThat(committed(budget)).isEqualByComparingTo("0");
        awaitApprovalStatus(req, "APPLIED");
        assertThat(tasks(req)).extracting(t -> t.path("approverGroup").asText())
                .containsExactlyInAnyOrder("HEAD-PRODUCTION", "FINANCE-CONTROLLING");
    }

    @Test
    void aChangedQuantityIsWhatTheErpReleases() {
        String budget = budget("PRODUCTION", "500000");
        String req = raise("PRODUCTION", "10", "300", budget); // 3,000: head only

        decide(awaitOpenTask(req, "HEAD-PRODUCTION"), "CHANGED", "6", "six will do");

        JsonNode released = awaitRequisition(req, "REL");
        assertThat(released.path("dec_cd").asText()).isEqualTo("CHG");
        assertThat(released.path("appr_qty").decimalValue()).isEqualByComparingTo("6");
        assertThat(committed(budget)).isEqualByComparingTo("1800");
    }

    @Test
    void aRequisitionChangedBeforeItsDecisionGoesBackForApproval() {
        String budget = budget("PRODUCTION", "500000");
        String req = raise("PRODUCTION", "10", "400", budget); // 4,000: head only
        JsonNode first = awaitOpenTask(req, "HEAD-PRODUCTION");
        assertThat(first.path("version").asInt()).isEqualTo(1);

        erp().patch().uri("/sandbox/erp/requisitions/{req}", req).body(Map.of("qty", new BigDecimal("20")))
                .retrieve().toBodilessEntity(); // 8,000 now: head and finance

        await().atMost(FLOW_TIMEOUT).untilAsserted(() ->
                assertThat(task(first.path("approvalId").asText()).path("status").asText()).isEqualTo("CANCELLED"));
        JsonNode second = awaitOpenTask(req, "HEAD-PRODUCTION");
        assertThat(second.path("version").asInt()).isEqualTo(2);
        decide(second, "APPROVED", null, null);
        decide(awaitOpenTask(req, "FINANCE-CONTROLLING"), "APPROVED", null, null);

        JsonNode released = awaitRequisition(req, "REL");
        assertThat(released.path("dec_rev").asInt()).isEqualTo(2);
        assertThat(released.path("appr_qty").decimalValue()).isEqualByComparingTo("20");
        assertThat(committed(budget)).isEqualByComparingTo("8000");
    }

    @Test
    void anUndecidedTaskIsRemindedOnceThenEscalatedOnceAndTheDirectorsDecisionCounts() {
        String budget = budget("TEST-FAST", "100000");
        String req = raise("TEST-FAST", "2", "500", budget); // test matrix: remind after 1 s, escalate after 3 s

        JsonNode head = awaitOpenTask(req, "HEAD-TEST-FAST");
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(notes(head)).hasSize(1));
        JsonNode director = awaitOpenTask(req, "DIRECTOR-TEST-FAST");
        assertThat(director.path("level").asInt()).isEqualTo(1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
            assertThat(notes(head)).hasSize(1);
            assertThat(tasks(req)).hasSize(2);
        });

        decide(director, "APPROVED", null, "approved in place of the head");

        awaitRequisition(req, "REL");
        await().atMost(FLOW_TIMEOUT).untilAsserted(() ->
                assertThat(task(head.path("approvalId").asText()).path("status").asText()).isEqualTo("CANCELLED"));
        assertThat(journalKinds(req)).containsOnlyOnce("REMINDED", "ESCALATED");
    }

    @Test
    void aRequisitionWithdrawnInTheErpCancelsItsOpenTask() {
        String budget = budget("PRODUCTION", "500000");
        String req = raise("PRODUCTION", "10", "2000", budget); // 20,000: head, finance

        decide(awaitOpenTask(req, "HEAD-PRODUCTION"), "APPROVED", null, null);
        JsonNode finance = awaitOpenTask(req, "FINANCE-CONTROLLING");
        erp().post().uri("/sandbox/erp/requisitions/{req}/withdraw", req).retrieve().toBodilessEntity();

        await().atMost(FLOW_TIMEOUT).untilAsserted(() ->
                assertThat(task(finance.path("approvalId").asText()).path("status").asText()).isEqualTo("CANCELLED"));
        awaitApprovalStatus(req, "WITHDRAWN");
        JsonNode withdrawn = requisition(req);
        assertThat(withdrawn.path("stat_cd").asText()).isEqualTo("WDR");
        assertThat(withdrawn.path("dec_id").isNull()).isTrue();
        assertThat(committed(budget)).isEqualByComparingTo("0");
    }

    @Test
    void aDecisionMadeWhileTheErpIsDownIsAppliedOnceItIsBack() {
        String budget = budget("PRODUCTION", "500000");
        String req = raise("PRODUCTION", "4", "250", budget); // 1,000: head only
        JsonNode head = awaitOpenTask(req, "HEAD-PRODUCTION");

        sandbox.setFault("erp", "down", 0, 0);
        try {
            decide(head, "APPROVED", null, null);
            // decided but not applied while the ERP is down (its delivery fails and is tried again meanwhile)
            awaitApprovalStatus(req, "DECIDED");
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                    jdbc.queryForObject("select status from esb.approval where request_id = ?", String.class, req))
                    .isEqualTo("DECIDED"));
        } finally {
            sandbox.setFault("erp", "normal", 0, 0);
        }

        awaitRequisition(req, "REL");
        awaitApprovalStatus(req, "APPLIED");
        assertThat(committed(budget)).isEqualByComparingTo("1000");
    }

    /**
     * A version the capture reports while the decision on the previous one waits for the ERP is held, not started at
     * once (with Tryton it can be the ERP's own partial write of that decision); the ERP's STALE answer to the
     * decision then starts the approval again from the held version. The capture cannot read the sandbox ERP while it
     * is down, so the test hands the flow the version the capture would report, as the capture does.
     */
    @Test
    void aVersionSeenWhileTheDecisionWaitsIsHeldAndAskedAgainWhenTheErpAnswersStale() throws Exception {
        String budget = budget("PRODUCTION", "500000");
        String req = raise("PRODUCTION", "4", "250", budget); // 1,000: head only
        JsonNode head = awaitOpenTask(req, "HEAD-PRODUCTION");

        sandbox.setFault("erp", "down", 0, 0);
        try {
            decide(head, "APPROVED", null, null);
            awaitApprovalStatus(req, "DECIDED");
            erp().patch().uri("/sandbox/erp/requisitions/{req}", req).body(Map.of("qty", new BigDecimal("6")))
                    .retrieve().toBodilessEntity(); // 1,500 now, revision 2
            Map<String, Object> captured = JSON.readValue(jdbc.queryForObject(
                    "select CAST(request AS text) from esb.approval where request_id = ?", String.class, req), MAP);
            @SuppressWarnings("unchecked")
            Map<String, Object> subject = (Map<String, Object>) captured.get("subject");
            captured.put("sourceVersion", 2);
            captured.put("amount", new BigDecimal("1500"));
            subject.put("quantity", new BigDecimal("6"));
            subject.put("estimatedCost", new BigDecimal("1500"));
            camel.sendBody("direct:approvals.request", captured);

            assertThat(journalKinds(req)).endsWith("HELD");
            assertThat(jdbc.queryForObject("select status from esb.approval where request_id = ?", String.class, req))
                    .isEqualTo("DECIDED");
        } finally {
            sandbox.setFault("erp", "normal", 0, 0);
        }

        // the ERP refuses the decision on revision 1 as stale; the held revision 2 goes to the head again
        await().atMost(FLOW_TIMEOUT).until(() -> tasks(req).stream().anyMatch(t -> t.path("version").asInt() == 2
                && t.path("status").asText().equals("OPEN")));
        JsonNode second = awaitOpenTask(req, "HEAD-PRODUCTION");
        assertThat(second.path("version").asInt()).isEqualTo(2);
        assertThat(journalKinds(req)).containsSubsequence("DECIDED", "HELD", "DECISION_STALE", "RESUBMITTED");
        assertThat(requisition(req).path("stat_cd").asText()).isEqualTo("WAIT");
        decide(second, "APPROVED", null, null);

        JsonNode released = awaitRequisition(req, "REL");
        assertThat(released.path("dec_rev").asInt()).isEqualTo(2);
        assertThat(released.path("appr_qty").decimalValue()).isEqualByComparingTo("6");
        assertThat(committed(budget)).isEqualByComparingTo("1500");
    }

    // --- the sandbox ERP and OA, through their APIs ---

    private RestClient erp() {
        return sandbox.http();
    }

    private String budget(String department, String amount) {
        String code = "TB-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        erp().put().uri("/sandbox/erp/budgets/{bud}", code)
                .body(Map.of("deptCd", department, "description", "Approval test budget", "amount", new BigDecimal(amount)))
                .retrieve().toBodilessEntity();
        return code;
    }

    private BigDecimal committed(String budget) {
        return erp().get().uri("/sandbox/erp/budgets/{bud}", budget).retrieve().body(JsonNode.class)
                .path("cmt_amt").decimalValue();
    }

    private String raise(String department, String quantity, String unitPrice, String budget) {
        JsonNode created = erp().post().uri("/sandbox/erp/requisitions")
                .body(Map.of("deptCd", department, "itemNo", "P-1600", "qty", new BigDecimal(quantity),
                        "needDate", LocalDate.now().plusDays(30).toString(), "suppNo", "S-2001",
                        "suppName", "Hansa Hydraulik GmbH", "estPrice", new BigDecimal(unitPrice), "budCd", budget,
                        "reqBy", "approval-it"))
                .retrieve().body(JsonNode.class);
        assertThat(created.path("req_no").asText()).startsWith("PR");
        return created.path("req_no").asText();
    }

    private JsonNode requisition(String req) {
        return erp().get().uri("/sandbox/erp/requisitions/{req}", req).retrieve().body(JsonNode.class);
    }

    private JsonNode awaitRequisition(String req, String status) {
        return await().atMost(FLOW_TIMEOUT).until(() -> requisition(req),
                r -> r.path("stat_cd").asText().equals(status));
    }

    private List<JsonNode> tasks(String req) {
        JsonNode list = sandbox.http().get().uri("/sandbox/oa/api/approvals?reference={ref}", req).retrieve()
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

    private JsonNode awaitOpenTask(String req, String group) {
        return await().atMost(FLOW_TIMEOUT).until(() -> tasks(req).stream()
                        .filter(t -> t.path("approverGroup").asText().equals(group))
                        .filter(t -> t.path("status").asText().equals("OPEN")).findFirst().orElse(null),
                t -> t != null);
    }

    private JsonNode decide(JsonNode task, String decision, String quantity, String comment) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("decision", decision);
        body.put("decidedBy", "approver@" + task.path("approverGroup").asText().toLowerCase(Locale.ROOT));
        if (quantity != null) {
            body.put("quantity", new BigDecimal(quantity));
        }
        if (comment != null) {
            body.put("comment", comment);
        }
        JsonNode decided = sandbox.http().post().uri("/sandbox/oa/api/approvals/{id}/decision", task.path("approvalId").asText())
                .body(body).retrieve().body(JsonNode.class);
        assertThat(decided.path("status").asText()).as("the OA took the decision: %s", decided).isEqualTo(decision);
        return decided;
    }

    // --- the ESB's own record ---

    private void awaitApprovalStatus(String req, String status) {
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select status from esb.approval where request_id = ?", String.class, req)).isEqualTo(status));
    }

    private List<String> journalKinds(String req) {
        return jdbc.queryForList("select kind from esb.approval_journal where request_id = ? order by id", String.class, req);
    }
}
