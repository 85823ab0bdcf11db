package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.NotRetryableException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.component.jsonvalidator.JsonValidationException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

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
import static org.awaitility.Awaitility.await;

/**
 * The contract of role {@code oa} (adapters/oa/PORTS.md), run against every OA adapter the project can start: the
 * sandbox (always) and a real Redmine 5 (started by {@code ops/real-systems/start.sh}; skipped with a message when
 * it is not running, required when {@code CONDUIT_REAL_SYSTEMS=required}). Each case calls the port exactly as the
 * complaint routing does ({@code direct:oa.create-task}) and checks what the OA shows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OaPortContractIT extends EsbIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private CamelContext esb;

    private final List<OaUnderTest> adapters = new ArrayList<>();

    @BeforeAll
    void startAdapters() throws Exception {
        adapters.add(new SandboxOa(esb, jdbc));
        RedmineOa.startIfAvailable().ifPresent(adapters::add);
    }

    @AfterAll
    void stopAdapters() {
        adapters.forEach(OaUnderTest::close);
    }

    List<String> adapterNames() {
        return List.of("sandbox", "redmine");
    }

    private OaUnderTest adapter(String name) {
        OaUnderTest found = adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(found != null,
                () -> "OA adapter '" + name + "' skipped: " + RedmineOa.whyNotAvailable());
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aNewTaskIsCreatedOnceAndASecondCallIsADuplicate(String name) throws Exception {
        OaUnderTest oa = adapter(name);
        String ref = reference(name);
        String task = task(ref, oa.department(), 7, dueAt(), 0);

        JsonNode created = oa.createTask(task);
        assertResult(created, ref, 0, "CREATED");
        JsonNode again = oa.createTask(task);
        assertResult(again, ref, 0, "DUPLICATE");
        assertThat(again.path("taskId").asText()).isEqualTo(created.path("taskId").asText());

        assertThat(oa.tasks(ref, 1)).hasSize(1);
        // a queue-fed OA takes its messages when it can: still one a moment later
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> oa.tasks(ref, 1).size() == 1);
        assertThat(oa.escalations(ref, 0)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void theTaskCarriesDepartmentPriorityDueTimeAndReferenceAsTheOaShowsThem(String name) throws Exception {
        OaUnderTest oa = adapter(name);
        String ref = reference(name);
        String due = dueAt();
        oa.createTask(task(ref, oa.department(), 9, due, 0));

        OaUnderTest.Shown shown = oa.tasks(ref, 1).get(0);
        assertThat(shown.externalRef()).isEqualTo(ref);
        assertThat(shown.department()).isEqualTo(oa.department());
        assertThat(shown.priority()).isEqualTo(oa.priorityShownFor(9));
        assertThat(Instant.parse(shown.dueAt())).isEqualTo(Instant.parse(due));
        assertThat(shown.text()).contains("Contract test " + ref);

        String low = reference(name);
        oa.createTask(task(low, oa.department(), 3, due, 0));
        assertThat(oa.tasks(low, 1).get(0).priority()).isEqualTo(oa.priorityShownFor(3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anEscalationIsVisibleInTheOaOnce(String name) throws Exception {
        OaUnderTest oa = adapter(name);
        String ref = reference(name);
        String due = dueAt();
        JsonNode task = oa.createTask(task(ref, oa.department(), 4, due, 0));

        JsonNode escalated = oa.createTask(task(ref, oa.department(), 9, due, 1));
        assertResult(escalated, ref, 1, "CREATED");
        JsonNode again = oa.createTask(task(ref, oa.department(), 9, due, 1));
        assertResult(again, ref, 1, "DUPLICATE");
        assertThat(again.path("taskId").asText()).isEqualTo(escalated.path("taskId").asText());

        List<OaUnderTest.Shown> escalations = oa.escalations(ref, 1);
        assertThat(escalations).hasSize(1);
        assertThat(escalations.get(0).priority()).isEqualTo(oa.priorityShownFor(9));
        assertThat(escalations.get(0).text()).contains("was not taken within its SLA");
        // the task itself is still the one task
        List<OaUnderTest.Shown> tasks = oa.tasks(ref, 1);
        assertThat(tasks).hasSize(1);
        assertThat(tasks.get(0).taskId()).isNotBlank();
        assertThat(task.path("outcome").asText()).isEqualTo("CREATED");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anInvalidTaskIsRefusedAsPermanentAndNothingIsCreated(String name) throws Exception {
        OaUnderTest oa = adapter(name);
        String ref = reference(name);

        Throwable unknownDepartment = catchThrowable(() -> oa.createTask(task(ref, "NO-SUCH-DEPT", 5, dueAt(), 0)));
        assertThat(unknownDepartment).isNotNull();
        assertThat(permanent(unknownDepartment)).as("%s", rootOf(unknownDepartment)).isTrue();
        assertThat(rootOf(unknownDepartment)).isInstanceOf(NotRetryableException.class);

        ObjectNode invalid = (ObjectNode) JSON.readTree(task(ref, oa.department(), 5, dueAt(), 0));
        invalid.put("priority", 12);
        Throwable badPriority = catchThrowable(() -> oa.createTask(JSON.writeValueAsString(invalid)));
        assertThat(permanent(badPriority)).as("%s", rootOf(badPriority)).isTrue();

        assertThat(oa.tasks(ref, 0)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anOaThatCannotBeReachedIsARetryableFailure(String name) throws Exception {
        OaUnderTest oa = adapter(name);
        String ref = reference(name);
        String task = task(ref, oa.department(), 5, dueAt(), 0);
        Throwable failed = oa.whileDown(() -> catchThrowable(() -> oa.createTask(task)));
        assertThat(failed).isNotNull();
        assertThat(permanent(failed)).as("%s", rootOf(failed)).isFalse();
        // and once it is back, the same task goes through
        assertResult(oa.createTask(task), ref, 0, "CREATED");
    }

    // --- helpers

    private static void assertResult(JsonNode result, String ref, int level, String outcome) {
        assertThat(JsonSchemas.file(Path.of("adapters/oa/task-result.schema.json")).validate(result)).isEmpty();
        assertThat(result.path("externalRef").asText()).isEqualTo(ref);
        assertThat(result.path("escalationLevel").asInt()).isEqualTo(level);
        assertThat(result.path("outcome").asText()).isEqualTo(outcome);
        assertThat(result.path("taskId").asText()).isNotBlank();
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
        return "TCK-" + adapter.toUpperCase(Locale.ROOT) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** An SLA due time two hours from now, to the millisecond, as the complaint routing records it. */
    private static String dueAt() {
        return Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MILLIS).toString();
    }

    static String task(String ref, String department, int priority, String dueAt, int escalationLevel) throws Exception {
        String title = escalationLevel == 0 ? "Contract test " + ref + ": Damaged goods - Contract Test Kunde GmbH"
                : "ESCALATION: complaint " + ref + " was not taken within its SLA";
        String description = escalationLevel == 0 ? "Contract test " + ref + ": two of ten brackets arrived bent.\nDue by " + dueAt + "."
                : "Nobody in " + department + " has taken " + ref + " since it was routed; it was due by " + dueAt + ".";
        ObjectNode task = JSON.createObjectNode()
                .put("externalRef", ref).put("department", department).put("title", title).put("description", description)
                .put("priority", priority).put("dueAt", dueAt).put("escalationLevel", escalationLevel);
        task.putObject("details").put("kind", escalationLevel == 0 ? "COMPLAINT" : "COMPLAINT_ESCALATION")
                .put("complaintId", ref).put("message", description);
        return JSON.writeValueAsString(task);
    }
}
