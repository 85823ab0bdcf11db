package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.canonical.CanonicalSchemas;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.NotRetryableException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The contract of ports {@code crm.quotes-since} and {@code crm.apply-quote-decision} (adapters/crm/PORTS.md), run
 * against every CRM adapter that implements them: so far the sandbox (there is no real CRM on the test machine; a
 * new adapter adds a {@link CrmQuotesUnderTest} to {@link #adapterNames}). Each case does in the CRM what its
 * salespeople would (quote, change the discount, withdraw), then calls the ports as the approvals flow does: the
 * capture with the watermark of the previous answer, the decision with the flow's decision id
 * {@code <requestId>@<requestVersion>} for the revision the CRM reports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrmQuotePortContractIT extends EsbIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private CamelContext esb;

    private final List<CrmQuotesUnderTest> adapters = new ArrayList<>();

    @BeforeAll
    void startAdapters() {
        adapters.add(new SandboxCrmQuotes(esb));
    }

    List<String> adapterNames() {
        return List.of("sandbox");
    }

    private CrmQuotesUnderTest adapter(String name) {
        return adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aWindowWithoutChangesAnswersNoQuotes(String name) throws Exception {
        CrmQuotesUnderTest crm = adapter(name);
        String watermark = caughtUp(crm);
        JsonNode again = crm.quotesSince(watermark);
        assertChanges(again);
        // (the sandbox adapter once answered the CRM's whole empty answer as one "quote": the flow parked it every poll)
        assertThat(again.path("quotes").isArray()).isTrue();
        assertThat(again.path("quotes")).isEmpty();
        assertThat(again.path("watermark").asLong()).isGreaterThanOrEqualTo(Long.parseLong(watermark));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aQuoteIsReportedOnceInItsCurrentStateAndAgainWhenItChanges(String name) throws Exception {
        CrmQuotesUnderTest crm = adapter(name);
        CapturePoll poll = poll(crm, caughtUp(crm));
        String quoteNo = crm.createQuote("SALES-DACH", "40000", "26000", "15");
        crm.changeDiscount(quoteNo, "18");
        assertThat(crm.quote(quoteNo).revision()).as("a change of the discount is a new revision").isEqualTo(2);

        JsonNode request = poll.until(quoteNo, r -> "PENDING".equals(r.path("status").asText()));
        assertApprovalRequest(request);
        assertThat(request.path("journey").asText()).isEqualTo("QUOTE_DISCOUNT");
        assertThat(request.path("source").asText()).isEqualTo("crm");
        assertThat(request.path("sourceVersion").asInt()).as("created and changed before the poll: its current state").isEqualTo(2);
        assertThat(request.path("department").asText()).isEqualTo("SALES-DACH");
        assertThat(request.path("requestedBy").asText()).isEqualTo("contract.test");
        assertThat(request.path("amount").decimalValue()).as("the discount in money").isEqualByComparingTo("7200");
        assertThat(request.path("currency").asText()).isEqualTo("EUR");
        JsonNode subject = request.path("subject");
        assertThat(subject.path("quoteNo").asText()).isEqualTo(quoteNo);
        assertThat(subject.path("customer").path("accountNo").asText()).isEqualTo("ACC-1001");
        assertThat(subject.path("opportunityId").isNull()).as("opportunityId present and null").isTrue();
        assertThat(subject.path("lines").get(0).path("sku").asText()).isEqualTo("HX-200");
        assertThat(subject.path("lines").get(0).has("unitCost")).as("the cost stays in the CRM").isFalse();
        assertThat(subject.path("listTotal").decimalValue()).isEqualByComparingTo("40000");
        assertThat(subject.path("discountPercent").decimalValue()).isEqualByComparingTo("18");
        assertThat(subject.path("netTotal").decimalValue()).isEqualByComparingTo("32800");
        assertThat(subject.path("marginPercent").decimalValue()).isEqualByComparingTo("20.73");
        assertThat(request.path("context").path("approvalReason").asText()).contains("discount 18.00 % above 10.00 %");
        assertThat(poll.reported(quoteNo)).as("reported once").isEqualTo(1);

        poll.next();
        poll.next();
        assertThat(poll.reported(quoteNo)).as("not again with the new watermark").isEqualTo(1);

        crm.withdraw(quoteNo);
        JsonNode withdrawn = poll.until(quoteNo, r -> "WITHDRAWN".equals(r.path("status").asText()));
        assertApprovalRequest(withdrawn);
        assertThat(withdrawn.path("sourceVersion").asInt()).as("a withdrawal is no new revision").isEqualTo(2);
        assertThat(poll.reported(quoteNo)).isEqualTo(2);

        // a quote within the CRM's rule is reported too, CLOSED: nothing to approve
        String small = crm.createQuote("SALES-DACH", "10000", "5000", "5");
        assertThat(poll.until(small, r -> true).path("status").asText()).isEqualTo("CLOSED");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anApprovalShowsInTheCrmWithApproverAndCommentAndTheSameDecisionAgainIsADuplicate(String name) throws Exception {
        CrmQuotesUnderTest crm = adapter(name);
        String watermark = caughtUp(crm);
        String quoteNo = crm.createQuote("SALES-DACH", "40000", "26000", "15");

        JsonNode applied = crm.applyDecision(decision(quoteNo, 1, "APPROVED", null, "head.dach", "fine"));
        assertResult(applied, quoteNo, 1, "APPLIED");
        assertThat(applied.path("approvalStatus").asText()).isEqualTo("APPROVED");
        assertThat(applied.path("approvedDiscountPercent").decimalValue()).isEqualByComparingTo("15");
        CrmQuotesUnderTest.Quote approved = crm.quote(quoteNo);
        assertThat(approved.approvalStatus()).isEqualTo("APPROVED");
        assertThat(approved.decisionId()).isEqualTo(quoteNo + "@1");
        assertThat(approved.approver()).isEqualTo("head.dach");
        assertThat(approved.comment()).isEqualTo("fine");

        JsonNode again = crm.applyDecision(decision(quoteNo, 1, "APPROVED", null, "head.dach", "fine"));
        assertResult(again, quoteNo, 1, "DUPLICATE");
        assertThat(crm.quote(quoteNo)).isEqualTo(approved);

        // the CRM's own write of the decision is a change: the quote comes again, CLOSED (nothing left to approve)
        JsonNode closed = poll(crm, watermark).until(quoteNo, r -> "CLOSED".equals(r.path("status").asText()));
        assertApprovalRequest(closed);
        assertThat(closed.path("sourceVersion").asInt()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aRejectionAndAChangedDiscountAreWhatTheCrmShows(String name) throws Exception {
        CrmQuotesUnderTest crm = adapter(name);
        String rejectedNo = crm.createQuote("SALES-DACH", "40000", "26000", "15");
        assertResult(crm.applyDecision(decision(rejectedNo, 1, "REJECTED", null, "head.dach", "not for this customer")),
                rejectedNo, 1, "APPLIED");
        CrmQuotesUnderTest.Quote rejected = crm.quote(rejectedNo);
        assertThat(rejected.approvalStatus()).isEqualTo("REJECTED");
        assertThat(rejected.comment()).isEqualTo("not for this customer");
        assertThat(rejected.approvedDiscountPercent()).isNull();

        String changedNo = crm.createQuote("SALES-DACH", "40000", "26000", "15");
        JsonNode changed = crm.applyDecision(decision(changedNo, 1, "CHANGED", "9.5", "director", "9.5 % at most"));
        assertResult(changed, changedNo, 1, "APPLIED");
        assertThat(changed.path("approvedDiscountPercent").decimalValue()).isEqualByComparingTo("9.5");
        CrmQuotesUnderTest.Quote lower = crm.quote(changedNo);
        assertThat(lower.approvalStatus()).isEqualTo("APPROVED");
        assertThat(lower.approvedDiscountPercent()).isEqualByComparingTo("9.5");
        assertThat(lower.discountPercent()).as("the quote carries the approved discount").isEqualByComparingTo("9.5");
        assertThat(lower.revision()).as("the CRM's approval is no new revision").isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aDecisionOnAnOlderRevisionIsStaleAndOnAWithdrawnQuoteNotPending(String name) throws Exception {
        CrmQuotesUnderTest crm = adapter(name);
        String revised = crm.createQuote("SALES-DACH", "40000", "26000", "15");
        crm.changeDiscount(revised, "20");
        JsonNode stale = crm.applyDecision(decision(revised, 1, "APPROVED", null, "head.dach", null));
        assertResult(stale, revised, 1, "STALE");
        assertThat(stale.path("crmVersion").asInt()).isEqualTo(2);
        assertThat(crm.quote(revised).approvalStatus()).isEqualTo("PENDING");
        assertThat(crm.quote(revised).decisionId()).isNull();

        String withdrawn = crm.createQuote("SALES-DACH", "40000", "26000", "15");
        crm.withdraw(withdrawn);
        JsonNode notPending = crm.applyDecision(decision(withdrawn, 1, "APPROVED", null, "head.dach", null));
        assertResult(notPending, withdrawn, 1, "NOT_PENDING");
        assertThat(notPending.path("crmStatus").asText()).isEqualTo("WITHDRAWN");
        assertThat(crm.quote(withdrawn).decisionId()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anUnknownQuoteOrADiscountNotBelowTheAskedOneIsPermanentTheCrmAwayIsRetryable(String name) throws Exception {
        CrmQuotesUnderTest crm = adapter(name);
        assertThat(rootOf(catchThrowable(() -> crm.applyDecision(decision("Q-999999", 1, "APPROVED", null, "x", null)))))
                .isInstanceOf(NotRetryableException.class);
        String quoteNo = crm.createQuote("SALES-DACH", "40000", "26000", "15");
        assertThat(rootOf(catchThrowable(() -> crm.applyDecision(decision(quoteNo, 1, "CHANGED", "16", "x", "more")))))
                .isInstanceOf(NotRetryableException.class);
        assertThat(crm.quote(quoteNo).approvalStatus()).isEqualTo("PENDING");

        String watermark = caughtUp(crm);
        Throwable capture = crm.whileDown(() -> catchThrowable(() -> crm.quotesSince(watermark)));
        Throwable apply = crm.whileDown(() -> catchThrowable(() -> crm.applyDecision(decision(quoteNo, 1, "APPROVED", null, "x", null))));
        assertThat(capture).isNotNull();
        assertThat(rootOf(capture)).isNotInstanceOf(NotRetryableException.class);
        assertThat(apply).isNotNull();
        assertThat(rootOf(apply)).isNotInstanceOf(NotRetryableException.class);
        assertThat(crm.quote(quoteNo).approvalStatus()).isEqualTo("PENDING");
    }

    // --- helpers ---

    /** A canonical ApprovalDecision as the approvals flow sends it (decisionId = quoteNo@revision). */
    private static String decision(String quoteNo, int revision, String outcome, String approvedDiscount, String by,
                                   String reason) throws Exception {
        ObjectNode d = JSON.createObjectNode();
        d.put("decisionId", quoteNo + "@" + revision);
        d.put("requestId", quoteNo);
        d.put("journey", "QUOTE_DISCOUNT");
        d.put("requestVersion", revision);
        d.put("fingerprint", "a".repeat(64));
        d.put("outcome", outcome);
        if (reason != null) {
            d.put("reason", reason);
        }
        d.put("decidedBy", by);
        d.put("decidedAt", "2026-12-02T10:00:00Z");
        d.putArray("steps").addObject().put("step", 1).put("approverGroup", "SALES-HEAD-SALES-DACH")
                .put("escalationLevel", 0).put("outcome", outcome).put("decidedBy", by)
                .put("decidedAt", "2026-12-02T10:00:00Z");
        ObjectNode subject = d.putObject("subject").put("quoteNo", quoteNo).put("requestedDiscountPercent", 15);
        if (approvedDiscount != null) {
            subject.put("approvedDiscountPercent", new BigDecimal(approvedDiscount));
        } else {
            subject.putNull("approvedDiscountPercent");
        }
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.APPROVAL_DECISION), d))
                .as("the test's decision is canonical").isEmpty();
        return JSON.writeValueAsString(d);
    }

    /** A watermark after everything the CRM holds now (other tests' quotes are read past once). */
    private static String caughtUp(CrmQuotesUnderTest crm) throws Exception {
        JsonNode result = crm.quotesSince(null);
        assertChanges(result);
        return result.path("watermark").isNull() ? null : result.path("watermark").asText();
    }

    private static void assertChanges(JsonNode result) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/crm/quote-changes.schema.json")), result)).isEmpty();
        Set<String> seen = new HashSet<>();
        result.path("quotes").forEach(r -> assertThat(seen.add(r.path("requestId").asText()))
                .as("each quote at most once per answer: " + r.path("requestId").asText()).isTrue());
    }

    private static void assertResult(JsonNode result, String quoteNo, int version, String outcome) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/crm/quote-decision-result.schema.json")), result)).isEmpty();
        assertThat(result.path("quoteNo").asText()).isEqualTo(quoteNo);
        assertThat(result.path("requestVersion").asInt()).isEqualTo(version);
        assertThat(result.path("outcome").asText()).isEqualTo(outcome);
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
    private static CapturePoll poll(CrmQuotesUnderTest crm, String watermark) {
        return new CapturePoll(crm::quotesSince, "quotes", CrmQuotePortContractIT::assertChanges, watermark);
    }
}
