package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.NotRetryableException;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Route;
import org.apache.camel.component.jsonvalidator.JsonValidationException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The contract of the approval ports of role {@code oa} (adapters/oa/PORTS.md: oa.create-approval-task,
 * oa.remind-approval-task, oa.cancel-approval-task and the inbound oa.approval-decisions), run against every OA adapter
 * that implements them: the sandbox, and a real Redmine 5 (started by {@code ops/real-systems/start.sh}; skipped with a
 * message when it is not running, required when {@code CONDUIT_REAL_SYSTEMS=required}), whose adapter polls the
 * decisions (every 200 ms here). Each case calls the ports as the approvals flow does, checks what the OA shows, and
 * has a person decide there; the decision event is taken off the queue the adapter's decisions arrive on (the
 * sandbox's: the flow's queue, whose consumers are stopped meanwhile; Redmine's poller: a queue of the test's own),
 * so the test sees every event, and sees it once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OaApprovalPortContractIT extends EsbIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TASK_RESULT = Path.of("adapters/oa/approval-task-result.schema.json");
    private static final Path ACTION_RESULT = Path.of("adapters/oa/approval-action-result.schema.json");
    private static final Path DECISION_EVENT = Path.of("mappings/oa/approval-decision-event.schema.json");

    @Autowired
    private CamelContext esb;
    @Autowired
    private ConnectionFactory connectionFactory;

    private final List<OaApprovalsUnderTest> adapters = new ArrayList<>();
    private final List<String> stoppedConsumers = new ArrayList<>();

    @BeforeAll
    void startAdapters() throws Exception {
        adapters.add(new SandboxOa(esb, jdbc));
        RedmineOaApprovals.startIfAvailable(jdbc.getDataSource(), connectionFactory).ifPresent(adapters::add);
        // the approvals flow's consumer of the decision queue (when the flow runs) would take the events first
        String queue = adapters.get(0).approvalDecisionQueue();
        for (Route route : esb.getRoutes()) {
            if (route.getEndpoint().getEndpointUri().contains(queue)) {
                esb.getRouteController().stopRoute(route.getRouteId());
                stoppedConsumers.add(route.getRouteId());
            }
        }
    }

    @AfterAll
    void stopAdapters() throws Exception {
        adapters.forEach(OaApprovalsUnderTest::close);
        for (String routeId : stoppedConsumers) {
            esb.getRouteController().startRoute(routeId);
        }
    }

    private OaApprovalsUnderTest adapter(String name) {
        OaApprovalsUnderTest found = adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        Assumptions.assumeTrue(found != null, () -> "OA adapter '" + name + "' skipped: " + RedmineOa.whyNotAvailable());
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sandbox", "redmine"})
    void aTaskIsCreatedOnceAndASecondCallIsADuplicateOfTheSameTask(String name) throws Exception {
        OaApprovalsUnderTest oa = adapter(name);
        String ref = reference(name);
        String task = task(ref, 1, 1, 0, oa.approverGroup(), 10);

        JsonNode created = oa.createApprovalTask(task);
        assertTaskResult(created, ref, 1, 1, 0, "CREATED");
        assertThat(created.path("status").asText()).isEqualTo("OPEN");
        JsonNode again = oa.createApprovalTask(task);
        assertTaskResult(again, ref, 1, 1, 0, "DUPLICATE");
        assertThat(again.path("taskId").asText()).isEqualTo(created.path("taskId").asText());

        List<OaApprovalsUnderTest.ShownApproval> shown = oa.approvals(ref);
        assertThat(shown).hasSize(1);
        OaApprovalsUnderTest.ShownApproval approval = shown.get(0);
        assertThat(approval.taskId()).isEqualTo(created.path("taskId").asText());
        assertThat(approval.group()).isEqualTo(oa.approverGroup());
        assertThat(approval.status()).isEqualTo("OPEN");
        assertThat(approval.text()).contains("Contract test " + ref).contains("Approval step 1 of 2");
        assertThat(approval.data().path("quantity").decimalValue()).isEqualByComparingTo("10");

        // the next step, an escalation and a new version are tasks of their own; each is created once too
        JsonNode step2 = oa.createApprovalTask(task(ref, 1, 2, 0, "FINANCE-CONTRACT-TEST", 10));
        assertTaskResult(step2, ref, 1, 2, 0, "CREATED");
        JsonNode escalated = oa.createApprovalTask(task(ref, 1, 1, 1, "DIRECTOR-CONTRACT-TEST", 10));
        assertTaskResult(escalated, ref, 1, 1, 1, "CREATED");
        JsonNode version2 = oa.createApprovalTask(task(ref, 2, 1, 0, oa.approverGroup(), 20));
        assertTaskResult(version2, ref, 2, 1, 0, "CREATED");
        assertTaskResult(oa.createApprovalTask(task(ref, 1, 1, 1, "DIRECTOR-CONTRACT-TEST", 10)), ref, 1, 1, 1, "DUPLICATE");
        assertThat(oa.approvals(ref)).extracting(OaApprovalsUnderTest.ShownApproval::taskId).doesNotHaveDuplicates()
                .hasSize(4);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sandbox", "redmine"})
    void aReminderIsAddedOncePerNumber(String name) throws Exception {
        OaApprovalsUnderTest oa = adapter(name);
        String ref = reference(name);
        String taskId = oa.createApprovalTask(task(ref, 1, 1, 0, oa.approverGroup(), 10)).path("taskId").asText();

        assertActionResult(oa.remindApprovalTask(reminder(taskId, ref, 1)), taskId, "REMINDED");
        assertActionResult(oa.remindApprovalTask(reminder(taskId, ref, 1)), taskId, "DUPLICATE");
        assertThat(oa.reminders(taskId)).isEqualTo(1);
        assertActionResult(oa.remindApprovalTask(reminder(taskId, ref, 2)), taskId, "REMINDED");
        assertThat(oa.reminders(taskId)).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sandbox", "redmine"})
    void aCancelledTaskCanNoLongerBeDecidedOrReminded(String name) throws Exception {
        OaApprovalsUnderTest oa = adapter(name);
        String ref = reference(name);
        String taskId = oa.createApprovalTask(task(ref, 1, 1, 0, oa.approverGroup(), 10)).path("taskId").asText();

        assertActionResult(oa.cancelApprovalTask(cancel(taskId, ref)), taskId, "CANCELLED");
        assertActionResult(oa.cancelApprovalTask(cancel(taskId, ref)), taskId, "NOT_OPEN");
        assertThat(oa.approvals(ref).get(0).status()).isEqualTo("CANCELLED");
        assertActionResult(oa.remindApprovalTask(reminder(taskId, ref, 1)), taskId, "NOT_OPEN");
        assertThat(oa.reminders(taskId)).isZero();

        assertThat(oa.decide(taskId, "APPROVED", null, null, "contract.test")).isEqualTo(409);
        assertThat(decisionEvents(oa, ref, Duration.ofMillis(500))).isEmpty();
        // the create is still answered with the task as it is
        JsonNode again = oa.createApprovalTask(task(ref, 1, 1, 0, oa.approverGroup(), 10));
        assertTaskResult(again, ref, 1, 1, 0, "DUPLICATE");
        assertThat(again.path("status").asText()).isEqualTo("CANCELLED");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sandbox", "redmine"})
    void aDecisionArrivesOnceAsADecisionEventOfTheDocumentedShape(String name) throws Exception {
        OaApprovalsUnderTest oa = adapter(name);
        String ref = reference(name);
        JsonNode created = oa.createApprovalTask(task(ref, 3, 2, 1, "DIRECTOR-CONTRACT-TEST", 10));
        String taskId = created.path("taskId").asText();

        assertThat(oa.decide(taskId, "CHANGED", new BigDecimal("6"), "six will do", "k.richter")).isBetween(200, 299);

        List<JsonNode> events = decisionEvents(oa, ref, Duration.ofSeconds(10));
        assertThat(events).hasSize(1);
        JsonNode event = events.get(0);
        assertThat(JsonSchemas.file(DECISION_EVENT).validate(event)).as("%s", event).isEmpty();
        assertThat(event.path("eventId").asText()).isNotBlank();
        assertThat(event.path("taskId").asText()).isEqualTo(taskId);
        assertThat(event.path("externalRef").asText()).isEqualTo(ref);
        assertThat(event.path("requestVersion").asInt()).isEqualTo(3);
        assertThat(event.path("fingerprint").asText()).isEqualTo(fingerprint(ref, 3));
        assertThat(event.path("step").asInt()).isEqualTo(2);
        assertThat(event.path("escalationLevel").asInt()).isEqualTo(1);
        assertThat(event.path("decision").asText()).isEqualTo("CHANGED");
        assertThat(event.path("quantity").decimalValue()).isEqualByComparingTo("6");
        assertThat(event.path("comment").asText()).isEqualTo("six will do");
        assertThat(event.path("decidedBy").asText()).isEqualTo("k.richter");
        assertThat(Instant.parse(event.path("occurredAt").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(oa.approvals(ref).get(0).status()).isEqualTo("CHANGED");

        // decided once: a second decision is refused and publishes nothing; reminders and a cancel change nothing
        assertThat(oa.decide(taskId, "APPROVED", null, null, "someone.else")).isEqualTo(409);
        assertActionResult(oa.remindApprovalTask(reminder(taskId, ref, 1)), taskId, "NOT_OPEN");
        assertActionResult(oa.cancelApprovalTask(cancel(taskId, ref)), taskId, "NOT_OPEN");
        assertThat(oa.approvals(ref).get(0).status()).isEqualTo("CHANGED");
        assertThat(decisionEvents(oa, ref, Duration.ofMillis(500))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sandbox", "redmine"})
    void aRejectionNeedsAReasonAndAChangedQuantityMustBeBelowTheRequestedOne(String name) throws Exception {
        OaApprovalsUnderTest oa = adapter(name);
        String ref = reference(name);
        String taskId = oa.createApprovalTask(task(ref, 1, 1, 0, oa.approverGroup(), 10)).path("taskId").asText();

        assertThat(oa.decide(taskId, "REJECTED", null, null, "k.richter")).isEqualTo(422);
        assertThat(oa.decide(taskId, "REJECTED", null, "  ", "k.richter")).isEqualTo(422);
        assertThat(oa.decide(taskId, "CHANGED", new BigDecimal("10"), null, "k.richter")).isEqualTo(422);
        assertThat(oa.decide(taskId, "CHANGED", new BigDecimal("12.5"), null, "k.richter")).isEqualTo(422);
        assertThat(oa.decide(taskId, "CHANGED", BigDecimal.ZERO, null, "k.richter")).isEqualTo(422);
        assertThat(oa.decide(taskId, "CHANGED", null, null, "k.richter")).isEqualTo(422);
        assertThat(oa.decide(taskId, "APPROVED", new BigDecimal("9"), null, "k.richter")).isEqualTo(422);
        assertThat(oa.approvals(ref).get(0).status()).isEqualTo("OPEN");
        assertThat(decisionEvents(oa, ref, Duration.ofMillis(500))).isEmpty();

        assertThat(oa.decide(taskId, "REJECTED", null, "budget frozen", "k.richter")).isBetween(200, 299);
        List<JsonNode> events = decisionEvents(oa, ref, Duration.ofSeconds(10));
        assertThat(events).hasSize(1);
        assertThat(JsonSchemas.file(DECISION_EVENT).validate(events.get(0))).isEmpty();
        assertThat(events.get(0).path("decision").asText()).isEqualTo("REJECTED");
        assertThat(events.get(0).path("comment").asText()).isEqualTo("budget frozen");
        assertThat(events.get(0).path("quantity").isNull()).isTrue();

        // approving the requested quantity: the event carries it
        String other = reference(name);
        String approvedTask = oa.createApprovalTask(task(other, 1, 1, 0, oa.approverGroup(), 8)).path("taskId").asText();
        assertThat(oa.decide(approvedTask, "APPROVED", null, null, "k.richter")).isBetween(200, 299);
        JsonNode approved = decisionEvents(oa, other, Duration.ofSeconds(10)).get(0);
        assertThat(approved.path("decision").asText()).isEqualTo("APPROVED");
        assertThat(approved.path("quantity").decimalValue()).isEqualByComparingTo("8");
        assertThat(approved.path("comment").isNull()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sandbox", "redmine"})
    void anInvalidCallIsRefusedAsPermanent(String name) throws Exception {
        OaApprovalsUnderTest oa = adapter(name);
        String ref = reference(name);

        ObjectNode withoutGroup = (ObjectNode) JSON.readTree(task(ref, 1, 1, 0, oa.approverGroup(), 10));
        withoutGroup.remove("approverGroup");
        Throwable invalid = catchThrowable(() -> oa.createApprovalTask(JSON.writeValueAsString(withoutGroup)));
        assertThat(permanent(invalid)).as("%s", rootOf(invalid)).isTrue();
        assertThat(oa.approvals(ref)).isEmpty();

        Throwable unknownTask = catchThrowable(() -> oa.remindApprovalTask(reminder("APR-999999999", ref, 1)));
        assertThat(rootOf(unknownTask)).isInstanceOf(NotRetryableException.class);
        Throwable unknownCancel = catchThrowable(() -> oa.cancelApprovalTask(cancel("APR-999999999", ref)));
        assertThat(rootOf(unknownCancel)).isInstanceOf(NotRetryableException.class);
        Throwable badReminder = catchThrowable(() -> oa.remindApprovalTask(
                "{\"taskId\":\"APR-1\",\"externalRef\":\"" + ref + "\",\"reminder\":0,\"text\":\"x\"}"));
        assertThat(permanent(badReminder)).as("%s", rootOf(badReminder)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sandbox", "redmine"})
    void anOaThatCannotBeReachedIsARetryableFailure(String name) throws Exception {
        OaApprovalsUnderTest oa = adapter(name);
        String ref = reference(name);
        String task = task(ref, 1, 1, 0, oa.approverGroup(), 10);
        Throwable failed = oa.whileApprovalsDown(() -> catchThrowable(() -> oa.createApprovalTask(task)));
        assertThat(failed).isNotNull();
        assertThat(permanent(failed)).as("%s", rootOf(failed)).isFalse();
        assertTaskResult(oa.createApprovalTask(task), ref, 1, 1, 0, "CREATED");
    }

    // --- helpers

    private static void assertTaskResult(JsonNode result, String ref, int version, int step, int level, String outcome) {
        assertThat(JsonSchemas.file(TASK_RESULT).validate(result)).as("%s", result).isEmpty();
        assertThat(result.path("externalRef").asText()).isEqualTo(ref);
        assertThat(result.path("requestVersion").asInt()).isEqualTo(version);
        assertThat(result.path("step").asInt()).isEqualTo(step);
        assertThat(result.path("escalationLevel").asInt()).isEqualTo(level);
        assertThat(result.path("outcome").asText()).isEqualTo(outcome);
        assertThat(result.path("taskId").asText()).isNotBlank();
    }

    private static void assertActionResult(JsonNode result, String taskId, String outcome) {
        assertThat(JsonSchemas.file(ACTION_RESULT).validate(result)).as("%s", result).isEmpty();
        assertThat(result.path("taskId").asText()).isEqualTo(taskId);
        assertThat(result.path("outcome").asText()).isEqualTo(outcome);
    }

    /**
     * The decision events for the reference that arrive on the queue within {@code wait} (taken off the queue, so a
     * later look sees only what came since).
     */
    private List<JsonNode> decisionEvents(OaApprovalsUnderTest oa, String ref, Duration wait) throws Exception {
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        jms.setReceiveTimeout(wait.toMillis());
        List<JsonNode> events = new ArrayList<>();
        Message message;
        while ((message = jms.receiveSelected(oa.approvalDecisionQueue(), "externalRef = '" + ref + "'")) != null) {
            events.add(JSON.readTree(((TextMessage) message).getText()));
            jms.setReceiveTimeout(Math.min(wait.toMillis(), 500));
        }
        return events;
    }

    /** What the flows' error policy parks at once (routes/error-policy.camel.yaml, esb-delivery). */
    private static boolean permanent(Throwable failure) {
        Throwable t = rootOf(failure);
        if (t instanceof NotRetryableException || t instanceof JsonValidationException) {
            return true;
        }
        if (t instanceof HttpOperationFailedException http) {
            int code = http.getStatusCode();
            return code >= 400 && code < 500 && code != 408 && code != 429;
        }
        return false;
    }

    private static Throwable rootOf(Throwable t) {
        Throwable found = t;
        while (found instanceof CamelExecutionException && found.getCause() != null) {
            found = found.getCause();
        }
        return found;
    }

    private static String reference(String adapter) {
        return "TCK-APR-" + adapter.toUpperCase(Locale.ROOT) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A SHA-256 in hex, as the flow's fingerprint of what is approved. */
    private static String fingerprint(String ref, int version) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest((ref + "@" + version).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    static String task(String ref, int version, int step, int level, String group, int quantity) throws Exception {
        ObjectNode task = JSON.createObjectNode()
                .put("externalRef", ref).put("journey", "PURCHASE_REQUISITION").put("requestVersion", version)
                .put("fingerprint", fingerprint(ref, version)).put("step", step).put("stepCount", 2)
                .put("escalationLevel", level).put("approverGroup", group)
                .put("title", "Contract test " + ref + ": " + quantity + " x Hydraulic press frame P-1600")
                .put("description", "Contract test " + ref + ": PRODUCTION asks for " + quantity + " PCE of P-1600.")
                .put("dueAt", Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MILLIS).toString());
        task.putObject("details").put("requisitionNo", ref).put("quantity", quantity).put("unitPrice", 7500)
                .put("estimatedCost", quantity * 7500).put("budgetLine", "PRD-2026");
        return JSON.writeValueAsString(task);
    }

    private static String reminder(String taskId, String ref, int number) throws Exception {
        return JSON.writeValueAsString(JSON.createObjectNode().put("taskId", taskId).put("externalRef", ref)
                .put("reminder", number).put("text", "Reminder " + number + ": " + ref + " waits for your decision."));
    }

    private static String cancel(String taskId, String ref) throws Exception {
        return JSON.writeValueAsString(JSON.createObjectNode().put("taskId", taskId).put("externalRef", ref)
                .put("reason", "Contract test: the request was withdrawn"));
    }
}
