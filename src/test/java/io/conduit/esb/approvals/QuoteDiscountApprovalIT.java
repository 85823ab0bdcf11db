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
 * The quote discount journey end to end on the embedded brokers and PostgreSQL and the sandbox CRM and OA: a quote
 * whose discount or margin crosses the CRM's threshold waits in approval status PENDING (and cannot be won), the
 * approval matrix's OA tasks decide it, and the decision goes back to the CRM once: APPROVED (the quote can be won)
 * or REJECTED, with the approver and comment, or approved at a lower discount. The same flow as the purchase
 * requisition's (routes/approvals.camel.yaml); every assertion reads the systems through their APIs: the CRM's quote,
 * the OA's tasks and notes, the ESB's approvals API and journal.
 */
class QuoteDiscountApprovalIT extends EsbIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(QuoteDiscountApprovalIT.class);
    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ConnectionFactory connectionFactory;
    @Value("${esb.queues.oa-approval-decisions}")
    String decisionQueue;

    @Test
    void anApprovedDiscountShowsInTheCrmWithApproverAndCommentAndTheQuoteCanThenBeWon() {
        // 15 % of 40,000 = 6,000 given away: the team's head decides
        String quote = createQuote("SALES-DACH", "40000", "26000", "15");
        JsonNode pending = quote(quote);
        assertThat(pending.path("approval_status").asText()).isEqualTo("PENDING");
        assertThat(pending.path("approval_reason").asText()).contains("discount 15.00 % above 10.00 %");

        // the CRM refuses to win it while its approval is pending, naming why
        ResponseEntity<String> refused = win(quote);
        assertThat(refused.getStatusCode().value()).isEqualTo(409);
        assertThat(String.valueOf(refused.getHeaders().getContentType())).isEqualTo("application/problem+json");
        JsonNode problem = read(refused.getBody());
        assertThat(problem.path("approvalStatus").asText()).isEqualTo("PENDING");
        assertThat(problem.path("detail").asText()).contains("PENDING").contains("discount 15.00 %");

        JsonNode head = awaitOpenTask(quote, "SALES-HEAD-SALES-DACH");
        assertThat(tasks(quote)).hasSize(1);
        assertThat(head.path("text").asText()).contains(quote).contains("Discount asked: 15 %").contains("6,000.00 EUR")
                .contains("Net total: 34,000.00 EUR");
        // the console's API lists it under the journey, open at step 1 of 1, amount = the discount in money
        JsonNode open = openApproval(quote);
        assertThat(open.path("journey").asText()).isEqualTo("QUOTE_DISCOUNT");
        assertThat(open.path("steps").asInt()).isEqualTo(1);
        assertThat(open.path("approverGroup").asText()).isEqualTo("SALES-HEAD-SALES-DACH");
        assertThat(open.path("amount").decimalValue()).isEqualByComparingTo("6000");

        JsonNode decided = decide(head, "APPROVED", null, "strategic customer, fine");

        JsonNode approved = awaitQuote(quote, "APPROVED");
        assertThat(approved.path("approver").asText()).isEqualTo("approver@sales-head-sales-dach");
        assertThat(approved.path("approval_comment").asText()).isEqualTo("strategic customer, fine");
        assertThat(approved.path("approved_discount_pct").decimalValue()).isEqualByComparingTo("15");
        assertThat(approved.path("approval_decision_id").asText()).isEqualTo(quote + "@1");
        Duration toEffect = Duration.between(Instant.parse(decided.path("decidedAt").asText()),
                Instant.parse(approved.path("approved_at").asText()));
        LOG.info("quote {}: the approval reached the CRM after {} ms", quote, toEffect.toMillis());
        assertThat(toEffect).isLessThan(Duration.ofSeconds(10));
        awaitApprovalStatus(quote, "APPLIED");

        // the decision's event again (an OA sending it twice): nothing changes in the CRM
        JsonNode event = sandbox.http().get().uri("/sandbox/oa/api/approvals/{id}/events", head.path("approvalId").asText())
                .retrieve().body(JsonNode.class).get(0);
        new JmsTemplate(connectionFactory).convertAndSend(decisionQueue, event.toString());
        await().atMost(FLOW_TIMEOUT).until(() -> journalKinds(quote).stream()
                .anyMatch(k -> k.equals("DUPLICATE") || k.equals("DECISION_IGNORED")));
        JsonNode again = quote(quote);
        assertThat(again.path("approved_at").asText()).isEqualTo(approved.path("approved_at").asText());
        assertThat(again.path("chg_no").asLong()).isEqualTo(approved.path("chg_no").asLong());
        assertThat(journalKinds(quote)).containsOnlyOnce("APPLIED");

        ResponseEntity<String> won = win(quote);
        assertThat(won.getStatusCode().value()).isEqualTo(200);
        assertThat(read(won.getBody()).path("status").asText()).isEqualTo("WON");
        assertThat(openApprovals().findValuesAsText("requestId")).doesNotContain(quote);
        JsonNode record = viewer().get().uri("/api/v1/approvals/{id}", quote).retrieve().body(JsonNode.class);
        assertThat(record.path("status").asText()).isEqualTo("APPLIED");
        assertThat(record.path("outcome").asText()).isEqualTo("APPROVED");
    }

    @Test
    void aLargeDiscountPassesTheHeadAndTheDirectorWhoApprovesItLower() {
        // 20 % of 100,000 = 20,000: the head, then the sales director
        String quote = createQuote("SALES-DACH", "100000", "70000", "20");

        decide(awaitOpenTask(quote, "SALES-HEAD-SALES-DACH"), "APPROVED", null, null);
        JsonNode director = awaitOpenTask(quote, "SALES-DIRECTOR");
        assertThat(director.path("step").asInt()).isEqualTo(2);
        decide(director, "CHANGED", "12.5", "12.5 % is as far as we go");

        JsonNode approved = awaitQuote(quote, "APPROVED");
        assertThat(approved.path("approved_discount_pct").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(approved.path("discount_pct").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(approved.path("net_total").decimalValue()).isEqualByComparingTo("87500");
        assertThat(approved.path("approver").asText()).isEqualTo("approver@sales-director");
        assertThat(approved.path("approval_comment").asText()).isEqualTo("12.5 % is as far as we go");
        assertThat(approved.path("revision").asInt()).as("the CRM's own write of the approval is no new revision").isEqualTo(1);
        awaitApprovalStatus(quote, "APPLIED");
        assertThat(jdbc.queryForObject("select outcome from esb.approval where request_id = ?", String.class, quote))
                .isEqualTo("CHANGED");
        assertThat(win(quote).getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void aRejectedDiscountShowsTheReasonAndTheQuoteCannotBeWon() {
        String quote = createQuote("SALES-DACH", "20000", "15000", "25");

        decide(awaitOpenTask(quote, "SALES-HEAD-SALES-DACH"), "REJECTED", null, "no discount above 10 % for this account");

        JsonNode rejected = awaitQuote(quote, "REJECTED");
        assertThat(rejected.path("approval_comment").asText()).isEqualTo("no discount above 10 % for this account");
        assertThat(rejected.path("approver").asText()).isEqualTo("approver@sales-head-sales-dach");
        assertThat(rejected.path("discount_pct").decimalValue()).as("the quote keeps what was asked").isEqualByComparingTo("25");
        awaitApprovalStatus(quote, "APPLIED");
        ResponseEntity<String> refused = win(quote);
        assertThat(refused.getStatusCode().value()).isEqualTo(409);
        assertThat(read(refused.getBody()).path("approvalStatus").asText()).isEqualTo("REJECTED");
        assertThat(read(refused.getBody()).path("detail").asText()).contains("no discount above 10 %");
    }

    @Test
    void aLowMarginAloneNeedsApprovalToo() {
        // 5 % discount, but the margin is (19,000 - 17,000) / 19,000 = 10.53 % < 15 %
        String quote = createQuote("SALES-DACH", "20000", "17000", "5");
        assertThat(quote(quote).path("approval_reason").asText()).isEqualTo("margin 10.53 % below 15.00 %");
        decide(awaitOpenTask(quote, "SALES-HEAD-SALES-DACH"), "APPROVED", null, null);
        awaitQuote(quote, "APPROVED");
    }

    @Test
    void anUndecidedTaskIsRemindedOnceThenEscalatedOnceAndTheDirectorsDecisionCounts() {
        String quote = createQuote("TEST-FAST", "10000", "6000", "15"); // test matrix: remind after 1 s, escalate after 3 s

        JsonNode head = awaitOpenTask(quote, "SALES-HEAD-TEST-FAST");
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(notes(head)).hasSize(1));
        JsonNode director = awaitOpenTask(quote, "SALES-DIRECTOR");
        assertThat(director.path("level").asInt()).isEqualTo(1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
            assertThat(notes(head)).hasSize(1);
            assertThat(tasks(quote)).hasSize(2);
        });

        decide(director, "APPROVED", null, "approved in place of the head");

        JsonNode approved = awaitQuote(quote, "APPROVED");
        assertThat(approved.path("approver").asText()).isEqualTo("approver@sales-director");
        await().atMost(FLOW_TIMEOUT).untilAsserted(() ->
                assertThat(task(head.path("approvalId").asText()).path("status").asText()).isEqualTo("CANCELLED"));
        assertThat(journalKinds(quote)).containsOnlyOnce("REMINDED", "ESCALATED");
    }

    @Test
    void aQuoteWithdrawnInTheCrmCancelsItsOpenTask() {
        String quote = createQuote("SALES-DACH", "100000", "70000", "20"); // head, director

        decide(awaitOpenTask(quote, "SALES-HEAD-SALES-DACH"), "APPROVED", null, null);
        JsonNode director = awaitOpenTask(quote, "SALES-DIRECTOR");
        crm().post().uri("/sandbox/crm/api/quotes/{q}/withdraw", quote).retrieve().toBodilessEntity();

        await().atMost(FLOW_TIMEOUT).untilAsserted(() ->
                assertThat(task(director.path("approvalId").asText()).path("status").asText()).isEqualTo("CANCELLED"));
        awaitApprovalStatus(quote, "WITHDRAWN");
        JsonNode withdrawn = quote(quote);
        assertThat(withdrawn.path("status").asText()).isEqualTo("WITHDRAWN");
        assertThat(withdrawn.path("approval_status").asText()).isEqualTo("PENDING");
        assertThat(withdrawn.path("approval_decision_id").isNull()).isTrue();
    }

    @Test
    void aQuoteRevisedWhileItsApprovalIsOpenStartsAgainAndADecisionOnTheOldRevisionIsNotApplied() {
        String quote = createQuote("SALES-DACH", "40000", "26000", "15");
        JsonNode first = awaitOpenTask(quote, "SALES-HEAD-SALES-DACH");
        assertThat(first.path("version").asInt()).isEqualTo(1);

        // the salesperson raises the discount: revision 2, 30 % of 40,000 = 12,000 -> head and director
        crm().patch().uri("/sandbox/crm/api/quotes/{q}", quote).body(Map.of("discountPercent", new BigDecimal("30")))
                .retrieve().toBodilessEntity();
        assertThat(quote(quote).path("revision").asInt()).isEqualTo(2);

        await().atMost(FLOW_TIMEOUT).untilAsserted(() ->
                assertThat(task(first.path("approvalId").asText()).path("status").asText()).isEqualTo("CANCELLED"));
        JsonNode second = await().atMost(FLOW_TIMEOUT).until(() -> awaitOpenTask(quote, "SALES-HEAD-SALES-DACH"),
                t -> t.path("version").asInt() == 2);

        // a decision on revision 1 arriving late (the OA had it before the cancel): recorded as ignored, not applied
        new JmsTemplate(connectionFactory).convertAndSend(decisionQueue, lateDecision(first, quote));
        await().atMost(FLOW_TIMEOUT).until(() -> journalKinds(quote).contains("DECISION_IGNORED"));
        JsonNode stillPending = quote(quote);
        assertThat(stillPending.path("approval_status").asText()).isEqualTo("PENDING");
        assertThat(stillPending.path("approval_decision_id").isNull()).isTrue();

        decide(second, "APPROVED", null, null);
        decide(awaitOpenTask(quote, "SALES-DIRECTOR"), "APPROVED", null, "ok for 30 %");
        JsonNode approved = awaitQuote(quote, "APPROVED");
        assertThat(approved.path("approval_revision").asInt()).isEqualTo(2);
        assertThat(approved.path("approval_decision_id").asText()).isEqualTo(quote + "@2");
        assertThat(approved.path("approved_discount_pct").decimalValue()).isEqualByComparingTo("30");
        assertThat(journalKinds(quote)).contains("RESUBMITTED");
    }

    @Test
    void anApprovedQuoteChangedAgainOverTheThresholdNeedsApprovalAgain() {
        String quote = createQuote("SALES-DACH", "40000", "26000", "15");
        decide(awaitOpenTask(quote, "SALES-HEAD-SALES-DACH"), "APPROVED", null, null);
        awaitQuote(quote, "APPROVED");
        awaitApprovalStatus(quote, "APPLIED");

        // new lines at the same 15 %: a new revision the approval was not for
        crm().patch().uri("/sandbox/crm/api/quotes/{q}", quote).body(Map.of("lines", List.of(
                        line("HX-200", "2", "25000", "16000"))))
                .retrieve().toBodilessEntity();
        JsonNode revised = quote(quote);
        assertThat(revised.path("revision").asInt()).isEqualTo(2);
        assertThat(revised.path("approval_status").asText()).isEqualTo("PENDING");
        assertThat(win(quote).getStatusCode().value()).isEqualTo(409);

        JsonNode again = await().atMost(FLOW_TIMEOUT).until(() -> awaitOpenTask(quote, "SALES-HEAD-SALES-DACH"),
                t -> t.path("version").asInt() == 2);
        decide(again, "APPROVED", null, "still fine");
        JsonNode approved = await().atMost(FLOW_TIMEOUT).until(() -> quote(quote),
                q -> "APPROVED".equals(q.path("approval_status").asText()) && q.path("approval_revision").asInt() == 2);
        assertThat(approved.path("approval_comment").asText()).isEqualTo("still fine");
        assertThat(win(quote).getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void aQuoteWithinTheRuleNeedsNoApprovalAndIsWonAtOnce() {
        String quote = createQuote("SALES-DACH", "10000", "5000", "8");
        assertThat(quote(quote).path("approval_status").asText()).isEqualTo("NONE");
        assertThat(win(quote).getStatusCode().value()).isEqualTo(200);
        // nothing for the approvers: the capture sees it CLOSED and ignores it
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(tasks(quote)).isEmpty());
    }

    @Test
    void aQuoteLineWithoutAQuantityIsRefusedNamingTheField() {
        ResponseEntity<String> refused = crm().post().uri("/sandbox/crm/api/quotes")
                .body(Map.of("accountNo", "ACC-1", "accountName", "X", "salesperson", "s", "department", "SALES-DACH",
                        "lines", List.of(line("HX-200", "0", "100", "50"))))
                .retrieve().onStatus(s -> true, (rq, rs) -> { }).toEntity(String.class);
        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(read(refused.getBody()).path("invalidFields").has("lines[0].quantity")).isTrue();
    }

    // --- the sandbox CRM and OA, through their APIs ---

    private RestClient crm() {
        return sandbox.http();
    }

    private static Map<String, Object> line(String sku, String quantity, String unitPrice, String unitCost) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("sku", sku);
        line.put("description", "Hydraulic press " + sku);
        line.put("quantity", new BigDecimal(quantity));
        line.put("unitPrice", new BigDecimal(unitPrice));
        line.put("unitCost", new BigDecimal(unitCost));
        return line;
    }

    /** A quote of one line at the list total, costing cost, with the discount (percent). */
    private String createQuote(String department, String listTotal, String cost, String discount) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accountNo", "ACC-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT));
        body.put("accountName", "Müller Maschinenbau GmbH");
        body.put("salesperson", "anna.berger");
        body.put("department", department);
        body.put("lines", List.of(line("HX-200", "1", listTotal, cost)));
        body.put("discountPercent", new BigDecimal(discount));
        JsonNode created = crm().post().uri("/sandbox/crm/api/quotes").body(body).retrieve().body(JsonNode.class);
        assertThat(created.path("quote_no").asText()).startsWith("Q-");
        return created.path("quote_no").asText();
    }

    private JsonNode quote(String quote) {
        return crm().get().uri("/sandbox/crm/api/quotes/{q}", quote).retrieve().body(JsonNode.class);
    }

    private JsonNode awaitQuote(String quote, String approvalStatus) {
        return await().atMost(FLOW_TIMEOUT).until(() -> quote(quote),
                q -> q.path("approval_status").asText().equals(approvalStatus));
    }

    private ResponseEntity<String> win(String quote) {
        return crm().post().uri("/sandbox/crm/api/quotes/{q}/win", quote).retrieve()
                .onStatus(s -> true, (rq, rs) -> { }).toEntity(String.class);
    }

    private List<JsonNode> tasks(String quote) {
        JsonNode list = sandbox.http().get().uri("/sandbox/oa/api/approvals?reference={ref}", quote).retrieve()
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

    private JsonNode awaitOpenTask(String quote, String group) {
        return await().atMost(FLOW_TIMEOUT).until(() -> tasks(quote).stream()
                        .filter(t -> t.path("approverGroup").asText().equals(group))
                        .filter(t -> t.path("status").asText().equals("OPEN")).findFirst().orElse(null),
                t -> t != null);
    }

    /** A person decides in the OA; a CHANGED decision's quantity is the discount percent approved. */
    private JsonNode decide(JsonNode task, String decision, String discount, String comment) {
        Map<String, Object> body = new HashMap<>();
        body.put("decision", decision);
        body.put("decidedBy", "approver@" + task.path("approverGroup").asText().toLowerCase(Locale.ROOT));
        if (discount != null) {
            body.put("quantity", new BigDecimal(discount));
        }
        if (comment != null) {
            body.put("comment", comment);
        }
        JsonNode decided = sandbox.http().post().uri("/sandbox/oa/api/approvals/{id}/decision", task.path("approvalId").asText())
                .body(body).retrieve().body(JsonNode.class);
        assertThat(decided.path("status").asText()).as("the OA took the decision: %s", decided).isEqualTo(decision);
        return decided;
    }

    /** The OA's decision event for a task of an old revision, as a late OA would publish it. */
    private static String lateDecision(JsonNode task, String quote) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", "late-" + UUID.randomUUID());
        event.put("taskId", task.path("approvalId").asText());
        event.put("externalRef", quote);
        event.put("requestVersion", task.path("version").asInt());
        event.put("step", task.path("step").asInt());
        event.put("escalationLevel", 0);
        event.put("decision", "APPROVED");
        event.put("decidedBy", "late.approver");
        event.put("occurredAt", Instant.now().toString());
        try {
            return JSON.writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    // --- the ESB's own record ---

    private JsonNode openApprovals() {
        return viewer().get().uri("/api/v1/approvals?journey=QUOTE_DISCOUNT").retrieve().body(JsonNode.class)
                .path("approvals");
    }

    private JsonNode openApproval(String quote) {
        return await().atMost(FLOW_TIMEOUT).until(() -> {
            for (JsonNode approval : openApprovals()) {
                if (quote.equals(approval.path("requestId").asText())) {
                    return approval;
                }
            }
            return null;
        }, a -> a != null);
    }

    private void awaitApprovalStatus(String quote, String status) {
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select status from esb.approval where request_id = ?", String.class, quote)).isEqualTo(status));
    }

    private List<String> journalKinds(String quote) {
        return jdbc.queryForList("select kind from esb.approval_journal where request_id = ? order by id", String.class, quote);
    }
}
