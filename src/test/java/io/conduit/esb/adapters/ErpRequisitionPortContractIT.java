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
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The contract of ports {@code erp.requisitions-since} and {@code erp.apply-requisition-decision}
 * (adapters/erp/PORTS.md), run against every ERP adapter that implements them: the sandbox (Tryton joins in a later
 * slice). Each case does in the ERP what its users would (raise, change, withdraw a requisition), then calls the
 * ports as the approvals flow does: the capture with the watermark of the previous answer, the decision with the
 * flow's decision id {@code <requestId>@<requestVersion>}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErpRequisitionPortContractIT extends EsbIntegrationTest {

    private static final Duration REPORTED_WITHIN = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private CamelContext esb;

    private final List<ErpRequisitionsUnderTest> adapters = new ArrayList<>();

    @BeforeAll
    void startAdapters() {
        adapters.add(new SandboxErp(esb, jdbc));
    }

    List<String> adapterNames() {
        return List.of("sandbox");
    }

    private ErpRequisitionsUnderTest adapter(String name) {
        ErpRequisitionsUnderTest found = adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        Assumptions.assumeTrue(found != null, () -> "ERP adapter '" + name + "' does not implement the requisition ports");
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aRequisitionIsReportedOnceInItsCurrentStateAndAgainWhenItChanges(String name) throws Exception {
        ErpRequisitionsUnderTest erp = adapter(name);
        Poll poll = new Poll(erp, caughtUp(erp));
        String budget = erp.budget("PRODUCTION", "100000");
        String reqNo = erp.raise("PRODUCTION", "10", "400", budget);
        erp.changeQuantity(reqNo, "12");

        JsonNode request = poll.until(reqNo, r -> "PENDING".equals(r.path("status").asText()));
        assertApprovalRequest(request);
        assertThat(request.path("journey").asText()).isEqualTo("PURCHASE_REQUISITION");
        assertThat(request.path("sourceVersion").asInt()).as("raised and changed before the poll: its current state").isEqualTo(2);
        assertThat(request.path("department").asText()).isEqualTo("PRODUCTION");
        assertThat(request.path("amount").decimalValue()).isEqualByComparingTo("4800");
        assertThat(request.path("currency").asText()).isEqualTo("EUR");
        JsonNode subject = request.path("subject");
        assertThat(subject.path("requisitionNo").asText()).isEqualTo(reqNo);
        assertThat(subject.path("item").path("itemId").asText()).isEqualTo("P-1600");
        assertThat(subject.path("quantity").decimalValue()).isEqualByComparingTo("12");
        assertThat(subject.path("unitPrice").decimalValue()).isEqualByComparingTo("400");
        assertThat(subject.path("estimatedCost").decimalValue()).isEqualByComparingTo("4800");
        assertThat(subject.path("budgetLine").asText()).isEqualTo(budget);
        assertThat(subject.path("suggestedSupplier").path("supplierId").asText()).isEqualTo("S-2001");
        assertThat(request.path("context").path("remainingBudget").decimalValue()).isEqualByComparingTo("100000");
        assertThat(poll.reported(reqNo)).as("reported once").isEqualTo(1);

        poll.next();
        poll.next();
        assertThat(poll.reported(reqNo)).as("not again with the new watermark").isEqualTo(1);

        erp.withdraw(reqNo);
        JsonNode withdrawn = poll.until(reqNo, r -> "WITHDRAWN".equals(r.path("status").asText()));
        assertApprovalRequest(withdrawn);
        assertThat(withdrawn.path("sourceVersion").asInt()).as("a withdrawal is no new revision").isEqualTo(2);
        assertThat(poll.reported(reqNo)).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anApprovalReleasesTheRequisitionCommitsTheBudgetAndTheSameDecisionAgainIsADuplicate(String name) throws Exception {
        ErpRequisitionsUnderTest erp = adapter(name);
        String budget = erp.budget("PRODUCTION", "100000");
        String reqNo = erp.raise("PRODUCTION", "8", "7500", budget);

        JsonNode applied = erp.applyDecision(decision(reqNo, 1, "APPROVED", null, null));
        assertResult(applied, reqNo, 1, "APPLIED");
        assertThat(applied.path("erpVersion").asInt()).isEqualTo(1);
        assertThat(applied.path("approvedQuantity").decimalValue()).isEqualByComparingTo("8");
        assertThat(applied.path("remainingBudget").decimalValue()).isEqualByComparingTo("40000");
        assertThat(erp.committed(budget)).isEqualByComparingTo("60000");
        ErpRequisitionsUnderTest.Requisition released = erp.requisition(reqNo);
        assertThat(released.decisionId()).isEqualTo(reqNo + "@1");
        assertThat(released.approvedQuantity()).isEqualByComparingTo("8");

        JsonNode again = erp.applyDecision(decision(reqNo, 1, "APPROVED", null, null));
        assertResult(again, reqNo, 1, "DUPLICATE");
        assertThat(again.path("erpStatus").asText()).isEqualTo(applied.path("erpStatus").asText());
        assertThat(again.path("remainingBudget").decimalValue()).isEqualByComparingTo("40000");
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

        JsonNode six = erp.applyDecision(decision(changed, 1, "CHANGED", "6", "six are enough"));
        assertResult(six, changed, 1, "APPLIED");
        assertThat(six.path("approvedQuantity").decimalValue()).isEqualByComparingTo("6");
        assertThat(erp.committed(budget)).isEqualByComparingTo("1800");

        JsonNode no = erp.applyDecision(decision(rejected, 1, "REJECTED", null, "budget frozen"));
        assertResult(no, rejected, 1, "APPLIED");
        assertThat(no.path("approvedQuantity").isNull()).isTrue();
        assertThat(no.path("remainingBudget").decimalValue()).isEqualByComparingTo("8200");
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

        JsonNode stale = erp.applyDecision(decision(reqNo, 1, "APPROVED", null, null));
        assertResult(stale, reqNo, 1, "STALE");
        assertThat(stale.path("erpVersion").asInt()).isEqualTo(2);
        assertThat(stale.path("erpStatus").asText()).isEqualTo(waiting.erpStatus());
        assertThat(stale.path("approvedQuantity").isNull()).isTrue();
        assertThat(erp.requisition(reqNo)).isEqualTo(new ErpRequisitionsUnderTest.Requisition(2, waiting.erpStatus(), null, null));
        assertThat(erp.committed(budget)).isEqualByComparingTo("0");

        // the new revision's own approval goes through
        assertResult(erp.applyDecision(decision(reqNo, 2, "APPROVED", null, null)), reqNo, 2, "APPLIED");
        assertThat(erp.committed(budget)).isEqualByComparingTo("8000");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aWithdrawnRequisitionIsNotPendingAndChangesNothing(String name) throws Exception {
        ErpRequisitionsUnderTest erp = adapter(name);
        String budget = erp.budget("PRODUCTION", "100000");
        String reqNo = erp.raise("PRODUCTION", "3", "100", budget);
        erp.withdraw(reqNo);
        ErpRequisitionsUnderTest.Requisition withdrawn = erp.requisition(reqNo);

        JsonNode result = erp.applyDecision(decision(reqNo, 1, "APPROVED", null, null));
        assertResult(result, reqNo, 1, "NOT_PENDING");
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
        assertThat(rootOf(catchThrowable(() -> erp.applyDecision(decision(reqNo, 1, "CHANGED", "11", "more")))))
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

        Throwable capture = erp.whileRequisitionsDown(() -> catchThrowable(() -> erp.requisitionsSince(watermark)));
        Throwable apply = erp.whileRequisitionsDown(() -> catchThrowable(() -> erp.applyDecision(decision(reqNo, 1, "APPROVED", null, null))));

        assertThat(capture).isNotNull();
        assertThat(rootOf(capture)).isNotInstanceOf(NotRetryableException.class);
        assertThat(apply).isNotNull();
        assertThat(rootOf(apply)).isNotInstanceOf(NotRetryableException.class);
        // once it is back, the decision applies
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() ->
                assertResult(erp.applyDecision(decision(reqNo, 1, "APPROVED", null, null)), reqNo, 1, "APPLIED"));
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

    /** Polls the capture as the flow does: each call with the watermark the call before answered; keeps every request. */
    private static final class Poll {
        private final ErpRequisitionsUnderTest erp;
        private String watermark;
        private final List<JsonNode> requests = new ArrayList<>();

        Poll(ErpRequisitionsUnderTest erp, String watermark) {
            this.erp = erp;
            this.watermark = watermark;
        }

        void next() throws Exception {
            JsonNode result = erp.requisitionsSince(watermark);
            assertChanges(result);
            result.path("requisitions").forEach(requests::add);
            watermark = result.path("watermark").isNull() ? null : result.path("watermark").asText();
        }

        JsonNode until(String reqNo, java.util.function.Predicate<JsonNode> wanted) {
            AtomicReference<JsonNode> found = new AtomicReference<>();
            await().atMost(REPORTED_WITHIN).pollInterval(Duration.ofMillis(300)).until(() -> {
                next();
                requests.stream().filter(r -> reqNo.equals(r.path("requestId").asText())).filter(wanted).findFirst()
                        .ifPresent(found::set);
                return found.get() != null;
            });
            return found.get();
        }

        long reported(String reqNo) {
            return requests.stream().filter(r -> reqNo.equals(r.path("requestId").asText())).count();
        }
    }
}
