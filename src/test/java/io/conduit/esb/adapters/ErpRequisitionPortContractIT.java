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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
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
 * The contract of ports {@code erp.requisitions-since} and {@code erp.apply-requisition-decision}
 * (adapters/erp/PORTS.md), run against every ERP adapter that implements them: the sandbox (always) and a real
 * Tryton 6 with module purchase_requisition (started by {@code ops/real-systems/start.sh}; skipped with a message when
 * it is not running, required when {@code CONDUIT_REAL_SYSTEMS=required}). Each case does in the ERP what its users
 * would (raise, change, withdraw a requisition), then calls the ports as the approvals flow does: the capture with
 * the watermark of the previous answer, the decision with the flow's decision id {@code <requestId>@<requestVersion>}
 * for the revision the ERP reports (the sandbox counts 1, 2, ...; Tryton keeps no revision, its adapter reports the
 * second of the newest write). Where an ERP has no budgets (Tryton 6.0), the budget line and remaining budget are
 * null and "committed" is what the ERP committed to buy (Tryton's purchase requests): see {@code keepsBudgets}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErpRequisitionPortContractIT extends EsbIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ErpRequisitionPortContractIT.class);

    @Autowired
    private CamelContext esb;

    private final List<ErpRequisitionsUnderTest> adapters = new ArrayList<>();
    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeAll
    void startAdapters() throws Exception {
        adapters.add(new SandboxErp(esb, jdbc));
        TrytonErp.startTrytonIfAvailable().ifPresent(erp -> {
            adapters.add(erp);
            started.add(erp);
        });
    }

    @AfterAll
    void stopAdapters() throws Exception {
        for (AutoCloseable erp : started) {
            erp.close();
        }
    }

    List<String> adapterNames() {
        return List.of("sandbox", "tryton");
    }

    private ErpRequisitionsUnderTest adapter(String name) {
        ErpRequisitionsUnderTest found = adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        Assumptions.assumeTrue(found != null, () -> "ERP adapter '" + name + "' skipped: " + TrytonErp.whyNotAvailable());
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aRequisitionIsReportedOnceInItsCurrentStateAndAgainWhenItChanges(String name) throws Exception {
        ErpRequisitionsUnderTest erp = adapter(name);
        CapturePoll poll = poll(erp, caughtUp(erp));
        String budget = erp.budget("PRODUCTION", "100000");
        String reqNo = erp.raise("PRODUCTION", "10", "400", budget);
        int raised = erp.revision(reqNo);
        erp.changeQuantity(reqNo, "12");
        int changed = erp.revision(reqNo);
        assertThat(changed).as("a change of the quantity is a new revision").isGreaterThan(raised);

        JsonNode request = poll.until(reqNo, r -> "PENDING".equals(r.path("status").asText()));
        assertApprovalRequest(request);
        assertThat(request.path("journey").asText()).isEqualTo("PURCHASE_REQUISITION");
        // the sandbox counts revisions (2 here); Tryton keeps none, its adapter's revision is the second of the newest write
        assertThat(request.path("sourceVersion").asInt()).as("raised and changed before the poll: its current state").isEqualTo(changed);
        assertThat(request.path("department").asText()).isEqualTo("PRODUCTION");
        assertThat(request.path("amount").decimalValue()).isEqualByComparingTo("4800");
        assertThat(request.path("currency").asText()).isEqualTo("EUR");
        JsonNode subject = request.path("subject");
        assertThat(subject.path("requisitionNo").asText()).isEqualTo(reqNo);
        assertThat(subject.path("item").path("itemId").asText()).isEqualTo("P-1600");
        assertThat(subject.path("quantity").decimalValue()).isEqualByComparingTo("12");
        assertThat(subject.path("unitPrice").decimalValue()).isEqualByComparingTo("400");
        assertThat(subject.path("estimatedCost").decimalValue()).isEqualByComparingTo("4800");
        assertThat(subject.path("suggestedSupplier").path("supplierId").asText()).isEqualTo("S-2001");
        if (erp.keepsBudgets()) {
            assertThat(subject.path("budgetLine").asText()).isEqualTo(budget);
            assertThat(request.path("context").path("remainingBudget").decimalValue()).isEqualByComparingTo("100000");
        } else {
            // Tryton 6.0 has no budgets: no budget line, no remaining budget (never an invented one)
            assertThat(subject.path("budgetLine").isNull()).as("budgetLine present and null").isTrue();
            assertThat(request.path("context").path("remainingBudget").isMissingNode() || request.path("context").path("remainingBudget").isNull()).isTrue();
        }
        assertThat(poll.reported(reqNo)).as("reported once").isEqualTo(1);

        poll.next();
        poll.next();
        assertThat(poll.reported(reqNo)).as("not again with the new watermark").isEqualTo(1);

        erp.withdraw(reqNo);
        JsonNode withdrawn = poll.until(reqNo, r -> "WITHDRAWN".equals(r.path("status").asText()));
        assertApprovalRequest(withdrawn);
        if (erp.keepsBudgets()) {
            assertThat(withdrawn.path("sourceVersion").asInt()).as("a withdrawal is no new revision").isEqualTo(2);
        } else {
            // Tryton: withdrawing (back to draft) is a write, and its revision is the second of the newest write
            assertThat(withdrawn.path("sourceVersion").asInt()).as("never an older revision").isGreaterThanOrEqualTo(changed);
        }
        assertThat(poll.reported(reqNo)).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anApprovalReleasesTheRequisitionCommitsTheBudgetAndTheSameDecisionAgainIsADuplicate(String name) throws Exception {
        ErpRequisitionsUnderTest erp = adapter(name);
        String budget = erp.budget("PRODUCTION", "100000");
        String reqNo = erp.raise("PRODUCTION", "8", "7500", budget);
        int v = erp.revision(reqNo);

        long called = System.nanoTime();
        JsonNode applied = erp.applyDecision(decision(reqNo, v, "APPROVED", null, null));
        String state = erp.requisition(reqNo).erpStatus();
        long toState = (System.nanoTime() - called) / 1_000_000;
        LOG.info("{}: from the decision port call to requisition {} in state {} in the ERP: {} ms", name, reqNo, state, toState);
        assertThat(toState).as("decision to effect, ms").isLessThan(10_000);
        assertResult(applied, reqNo, v, "APPLIED");
        // the sandbox: still revision 1 (the decision is no change of what is requested); Tryton: the approval's write
        assertThat(applied.path("erpVersion").asInt()).isEqualTo(erp.revision(reqNo));
        assertThat(applied.path("approvedQuantity").decimalValue()).isEqualByComparingTo("8");
        assertRemaining(erp, applied, "40000");
        assertThat(erp.committed(budget)).isEqualByComparingTo("60000");
        ErpRequisitionsUnderTest.Requisition released = erp.requisition(reqNo);
        assertThat(released.decisionId()).isEqualTo(reqNo + "@" + v);
        assertThat(released.approvedQuantity()).isEqualByComparingTo("8");

        JsonNode again = erp.applyDecision(decision(reqNo, v, "APPROVED", null, null));
        assertResult(again, reqNo, v, "DUPLICATE");
        assertThat(again.path("erpStatus").asText()).isEqualTo(applied.path("erpStatus").asText());
        assertRemaining(erp, again, "40000");
        assertThat(erp.committed(budget)).as("committed once").isEqualByComparingTo("60000");
        assertThat(erp.requisition(reqNo)).isEqualTo(released);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aChangedQuantityIsReleasedAndARejectionCancelsWithoutCommitting(String name) throws Exception {
        ErpRequisitionsUnderTest erp = adapter(name);
        String budget = erp.budget("MAINTENANCE", "10000");
        String changed = erp.raise("MAINTENANCE", "10", "300", budget);
        String rejected = erp.raise("MAINTENANCE", "5", "300", budget);

        int changedVersion = erp.revision(changed);
        JsonNode six = erp.applyDecision(decision(changed, changedVersion, "CHANGED", "6", "six are enough"));
        assertResult(six, changed, changedVersion, "APPLIED");
        assertThat(six.path("approvedQuantity").decimalValue()).isEqualByComparingTo("6");
        assertThat(erp.committed(budget)).isEqualByComparingTo("1800");

        int rejectedVersion = erp.revision(rejected);
        JsonNode no = erp.applyDecision(decision(rejected, rejectedVersion, "REJECTED", null, "budget frozen"));
        assertResult(no, rejected, rejectedVersion, "APPLIED");
        assertThat(no.path("approvedQuantity").isNull()).isTrue();
        assertRemaining(erp, no, "8200");
        assertThat(erp.committed(budget)).as("a rejection commits nothing").isEqualByComparingTo("1800");
        assertThat(erp.requisition(rejected).erpStatus()).isNotEqualTo(erp.requisition(changed).erpStatus());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aDecisionForAnOlderRevisionIsStaleAndChangesNothing(String name) throws Exception {
        ErpRequisitionsUnderTest erp = adapter(name);
        String budget = erp.budget("PRODUCTION", "100000");
        String reqNo = erp.raise("PRODUCTION", "10", "400", budget);
        ErpRequisitionsUnderTest.Requisition waiting = erp.requisition(reqNo);
        erp.changeQuantity(reqNo, "20");
        int changed = erp.revision(reqNo);

        JsonNode stale = erp.applyDecision(decision(reqNo, waiting.revision(), "APPROVED", null, null));
        assertResult(stale, reqNo, waiting.revision(), "STALE");
        assertThat(stale.path("erpVersion").asInt()).isEqualTo(changed).isGreaterThan(waiting.revision());
        assertThat(stale.path("erpStatus").asText()).isEqualTo(waiting.erpStatus());
        assertThat(stale.path("approvedQuantity").isNull()).isTrue();
        assertThat(erp.requisition(reqNo)).isEqualTo(new ErpRequisitionsUnderTest.Requisition(changed, waiting.erpStatus(), null, null));
        assertThat(erp.committed(budget)).isEqualByComparingTo("0");

        // the new revision's own approval goes through
        assertResult(erp.applyDecision(decision(reqNo, changed, "APPROVED", null, null)), reqNo, changed, "APPLIED");
        assertThat(erp.committed(budget)).isEqualByComparingTo("8000");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aWithdrawnRequisitionIsNotPendingAndChangesNothing(String name) throws Exception {
        ErpRequisitionsUnderTest erp = adapter(name);
        String budget = erp.budget("PRODUCTION", "100000");
        String reqNo = erp.raise("PRODUCTION", "3", "100", budget);
        int v = erp.revision(reqNo);
        erp.withdraw(reqNo);
        ErpRequisitionsUnderTest.Requisition withdrawn = erp.requisition(reqNo);

        JsonNode result = erp.applyDecision(decision(reqNo, v, "APPROVED", null, null));
        assertResult(result, reqNo, v, "NOT_PENDING");
        assertThat(erp.requisition(reqNo)).isEqualTo(withdrawn);
        assertThat(withdrawn.decisionId()).isNull();
        assertThat(erp.committed(budget)).isEqualByComparingTo("0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anUnknownRequisitionOrAQuantityAboveTheRequestedIsPermanent(String name) throws Exception {
        ErpRequisitionsUnderTest erp = adapter(name);
        assertThat(rootOf(catchThrowable(() -> erp.applyDecision(decision("PR9999999", 1, "APPROVED", null, null)))))
                .isInstanceOf(NotRetryableException.class);

        String budget = erp.budget("PRODUCTION", "100000");
        String reqNo = erp.raise("PRODUCTION", "10", "400", budget);
        int v = erp.revision(reqNo);
        assertThat(rootOf(catchThrowable(() -> erp.applyDecision(decision(reqNo, v, "CHANGED", "11", "more")))))
                .isInstanceOf(NotRetryableException.class);
        assertThat(erp.requisition(reqNo).decisionId()).isNull();
        assertThat(erp.committed(budget)).isEqualByComparingTo("0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anErpThatCannotBeReachedIsARetryableFailureOfBothPorts(String name) throws Exception {
        ErpRequisitionsUnderTest erp = adapter(name);
        String watermark = caughtUp(erp);
        String budget = erp.budget("PRODUCTION", "100000");
        String reqNo = erp.raise("PRODUCTION", "1", "10", budget);
        int v = erp.revision(reqNo);

        Throwable capture = erp.whileRequisitionsDown(() -> catchThrowable(() -> erp.requisitionsSince(watermark)));
        Throwable apply = erp.whileRequisitionsDown(() -> catchThrowable(() -> erp.applyDecision(decision(reqNo, v, "APPROVED", null, null))));

        assertThat(capture).isNotNull();
        assertThat(rootOf(capture)).isNotInstanceOf(NotRetryableException.class);
        assertThat(apply).isNotNull();
        assertThat(rootOf(apply)).isNotInstanceOf(NotRetryableException.class);
        // once it is back, the decision applies
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() ->
                assertResult(erp.applyDecision(decision(reqNo, v, "APPROVED", null, null)), reqNo, v, "APPLIED"));
    }

    // --- helpers

    /** A canonical ApprovalDecision as the approvals flow builds it (decisionId = requestId@requestVersion). */
    private static String decision(String reqNo, int version, String outcome, String quantity, String reason) throws Exception {
        ObjectNode d = JSON.createObjectNode();
        d.put("decisionId", reqNo + "@" + version);
        d.put("requestId", reqNo);
        d.put("journey", "PURCHASE_REQUISITION");
        d.put("requestVersion", version);
        d.put("fingerprint", "0".repeat(64));
        d.put("outcome", outcome);
        if (quantity == null) {
            d.putNull("approvedQuantity");
        } else {
            d.put("approvedQuantity", new BigDecimal(quantity));
        }
        d.put("reason", reason);
        d.put("decidedBy", "contract.test");
        d.put("decidedAt", "2026-11-24T10:15:00.000Z");
        d.putArray("steps").addObject().put("step", 1).put("approverGroup", "HEAD-PRODUCTION").put("escalationLevel", 0)
                .put("outcome", outcome).put("decidedBy", "contract.test").put("comment", reason)
                .put("decidedAt", "2026-11-24T10:15:00.000Z");
        d.putObject("subject").put("requisitionNo", reqNo);
        return JSON.writeValueAsString(d);
    }

    /** A watermark after everything the ERP holds now (other tests' requisitions are read past once). */
    private static String caughtUp(ErpRequisitionsUnderTest erp) throws Exception {
        JsonNode result = erp.requisitionsSince(null);
        assertChanges(result);
        return result.path("watermark").isNull() ? null : result.path("watermark").asText();
    }

    private static void assertChanges(JsonNode result) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/erp/requisition-changes.schema.json")), result)).isEmpty();
        Set<String> seen = new HashSet<>();
        result.path("requisitions").forEach(r -> assertThat(seen.add(r.path("requestId").asText()))
                .as("each requisition at most once per answer: " + r.path("requestId").asText()).isTrue());
    }

    /** What is left on the budget line after the call; null where the ERP keeps no budgets (Tryton 6.0). */
    private static void assertRemaining(ErpRequisitionsUnderTest erp, JsonNode result, String remaining) {
        if (erp.keepsBudgets()) {
            assertThat(result.path("remainingBudget").decimalValue()).isEqualByComparingTo(remaining);
        } else {
            assertThat(result.path("remainingBudget").isNull()).as("no budget, no remaining budget").isTrue();
        }
    }

    private static void assertResult(JsonNode result, String reqNo, int version, String outcome) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/erp/requisition-decision-result.schema.json")), result)).isEmpty();
        assertThat(result.path("requisitionNo").asText()).isEqualTo(reqNo);
        assertThat(result.path("requestVersion").asInt()).isEqualTo(version);
        assertThat(result.path("outcome").asText()).isEqualTo(outcome);
    }

    /** Against the canonical ApprovalRequest schema (urn:conduit:schema:approval-request:1). */
    private static void assertApprovalRequest(JsonNode request) {
        CanonicalSchemas.Schema schema = CanonicalSchemas.byId("urn:conduit:schema:approval-request:1")
                .orElseThrow(() -> new AssertionError("canonical schema approval-request:1 is not registered"));
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(schema), request)).isEmpty();
    }

    private static Throwable rootOf(Throwable t) {
        Throwable found = t;
        while (found instanceof CamelExecutionException && found.getCause() != null) {
            found = found.getCause();
        }
        return found;
    }

    /** The capture polled as the flow does (CapturePoll), each answer checked. */
    private static CapturePoll poll(ErpRequisitionsUnderTest erp, String watermark) {
        return new CapturePoll(erp::requisitionsSince, "requisitions", ErpRequisitionPortContractIT::assertChanges, watermark);
    }
}
