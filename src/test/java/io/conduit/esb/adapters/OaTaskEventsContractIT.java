package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.support.EsbIntegrationTest;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.TextMessage;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract of inbound port {@code oa.task-events} (adapters/oa/PORTS.md), run against every OA adapter the project
 * can start: the sandbox, which pushes its task events onto the queue, and a real Redmine 5, which cannot, so the
 * adapter polls it ({@code ops/real-systems/start.sh}; skipped with a message when it is not running, required when
 * {@code CONDUIT_REAL_SYSTEMS=required}). Tasks are created through port oa.create-task as the complaint routing
 * does, and moved along in the OA by its own API, as a person's client would. What arrives is read off the queue
 * the complaint routing consumes (browsed, not taken).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OaTaskEventsContractIT extends EsbIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EVENT_SCHEMA = Path.of("mappings/oa/task-event.schema.json");
    private static final Duration ARRIVAL = Duration.ofSeconds(20);

    @Autowired
    private CamelContext esb;
    @Autowired
    private ConnectionFactory connectionFactory;

    private final List<OaTaskEventsUnderTest> adapters = new ArrayList<>();

    @BeforeAll
    void startAdapters() throws Exception {
        // a poller without a watermark starts now: earlier runs' issues are not this run's business
        jdbc.update("DELETE FROM esb.poll_watermark WHERE poller_id = 'oa-redmine.task-events'");
        adapters.add(new SandboxOa(esb, jdbc));
        RedmineOa.startIfAvailable().ifPresent(oa -> adapters.add((OaTaskEventsUnderTest) oa));
        for (OaTaskEventsUnderTest oa : adapters) {
            oa.startTaskEvents(jdbc.getDataSource(), connectionFactory);
        }
    }

    @AfterAll
    void stopAdapters() throws Exception {
        for (OaTaskEventsUnderTest oa : adapters) {
            oa.stopTaskEvents();
            oa.close();
        }
    }

    private OaTaskEventsUnderTest adapter(String name) {
        OaTaskEventsUnderTest found = adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        Assumptions.assumeTrue(found != null, () -> "OA adapter '" + name + "' skipped: " + RedmineOa.whyNotAvailable());
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sandbox", "redmine"})
    void aStatusChangeMadeInTheOaArrivesOnceAsATaskEvent(String name) throws Exception {
        OaTaskEventsUnderTest oa = adapter(name);
        String ref = reference(name);
        String taskId = newTask(oa, ref);

        oa.changeStatus(taskId, "IN_PROGRESS");
        List<JsonNode> events = awaitEvents(oa, ref, 1);
        JsonNode event = events.get(0);
        assertThat(JsonSchemas.file(EVENT_SCHEMA).validate(event)).as("%s", event).isEmpty();
        assertThat(event.path("externalRef").asText()).isEqualTo(ref);
        assertThat(event.path("taskId").asText()).isEqualTo(taskId);
        assertThat(event.path("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(event.path("eventType").asText()).isEqualTo("task.status_changed");

        // still once after the poller has asked again (several polls; nothing to wait for when the OA pushes)
        afterMorePolls(oa);
        assertThat(events(oa, ref)).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sandbox", "redmine"})
    void changesWithinTheSecondAlreadyHandedOnAreNotMissed(String name) throws Exception {
        OaTaskEventsUnderTest oa = adapter(name);
        for (int attempt = 1; attempt <= 5; attempt++) {
            String first = reference(name);
            String second = reference(name);
            String firstTask = newTask(oa, first);
            String secondTask = newTask(oa, second);

            // early in a second: a change, handed on (a poller's watermark is now that second); then, within the same
            // second, the same task moved on again and another task changed: a poller asking only for what changed
            // after its watermark, or dropping every task it has seen in that second, would miss them
            awaitStartOfASecond();
            oa.changeStatus(firstTask, "IN_PROGRESS");
            String handedOnAt = awaitEvents(oa, first, 1).get(0).path("occurredAt").asText();
            oa.changeStatus(firstTask, "DONE");
            oa.changeStatus(secondTask, "REJECTED");
            if (oa.changedAt(firstTask).isPresent() && !(oa.changedAt(firstTask).get().equals(handedOnAt)
                    && oa.changedAt(secondTask).equals(oa.changedAt(firstTask)))) {
                continue; // the changes spread over two seconds: not the case under test, try again
            }
            assertThat(awaitEvents(oa, second, 1).get(0).path("status").asText()).isEqualTo("REJECTED");
            assertThat(awaitEvents(oa, first, 2)).extracting(e -> e.path("status").asText())
                    .containsExactly("IN_PROGRESS", "DONE");
            afterMorePolls(oa);
            assertThat(events(oa, first)).hasSize(2);
            assertThat(events(oa, second)).hasSize(1);
            return;
        }
        throw new AssertionError("could not make three changes in " + name + " within one second in 5 attempts");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sandbox", "redmine"})
    void theWatermarkSurvivesARestartNothingMissedNothingRepeated(String name) throws Exception {
        OaTaskEventsUnderTest oa = adapter(name);
        Assumptions.assumeTrue(oa.polls(), () -> "OA adapter '" + name + "' pushes its task events: no watermark to keep");
        String before = reference(name);
        String during = reference(name);
        String beforeTask = newTask(oa, before);
        String duringTask = newTask(oa, during);
        oa.changeStatus(beforeTask, "IN_PROGRESS");
        awaitEvents(oa, before, 1);
        String saved = watermark();

        oa.stopTaskEvents(); // the ESB is down
        oa.changeStatus(duringTask, "IN_PROGRESS");
        assertThat(watermark()).isEqualTo(saved);
        oa.startTaskEvents(jdbc.getDataSource(), connectionFactory); // and up again: resumes from the saved watermark

        assertThat(awaitEvents(oa, during, 1).get(0).path("status").asText()).isEqualTo("IN_PROGRESS");
        afterMorePolls(oa);
        assertThat(events(oa, before)).hasSize(1);
        assertThat(events(oa, during)).hasSize(1);
        assertThat(watermark()).isNotEqualTo(saved);
    }

    // --- helpers

    /** A task created through port oa.create-task, as the OA shows it; its id there. */
    private static String newTask(OaTaskEventsUnderTest oa, String ref) throws Exception {
        oa.createTask(OaPortContractIT.task(ref, oa.department(), 5, Instant.now().plus(Duration.ofHours(4))
                .truncatedTo(ChronoUnit.SECONDS).toString(), 0));
        return oa.tasks(ref, 1).get(0).taskId();
    }

    private String watermark() {
        return jdbc.queryForObject("SELECT watermark FROM esb.poll_watermark WHERE poller_id = 'oa-redmine.task-events'", String.class);
    }

    private Map<String, Object> pollRow() {
        return jdbc.queryForMap("SELECT polled_at FROM esb.poll_watermark WHERE poller_id = 'oa-redmine.task-events'");
    }

    /** Waits until the poller has polled (and saved) three more times; nothing to wait for when the OA pushes. */
    private void afterMorePolls(OaTaskEventsUnderTest oa) {
        if (!oa.polls()) {
            return;
        }
        for (int i = 0; i < 3; i++) {
            Object last = pollRow().get("polled_at");
            await().atMost(ARRIVAL).pollInterval(Duration.ofMillis(50)).until(() -> !pollRow().get("polled_at").equals(last));
        }
    }

    private static void awaitStartOfASecond() {
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                .until(() -> System.currentTimeMillis() % 1000 < 100);
    }

    private List<JsonNode> awaitEvents(OaTaskEventsUnderTest oa, String ref, int expected) {
        List<JsonNode> found = new ArrayList<>();
        await().atMost(ARRIVAL).pollInterval(Duration.ofMillis(100)).until(() -> {
            found.clear();
            found.addAll(events(oa, ref));
            return found.size() >= expected;
        });
        return found;
    }

    /** The task events for this reference on the adapter's queue now, oldest first (browsed: they stay there). */
    private List<JsonNode> events(OaTaskEventsUnderTest oa, String ref) {
        List<JsonNode> events = new JmsTemplate(connectionFactory).browse(oa.taskEventQueue(), (session, browser) -> {
            List<JsonNode> mine = new ArrayList<>();
            for (Object message : Collections.list(browser.getEnumeration())) {
                try {
                    JsonNode event = JSON.readTree(((TextMessage) message).getText());
                    if (ref.equals(event.path("externalRef").asText())) {
                        mine.add(event);
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException notAnEvent) {
                    // another sender's message: not ours
                }
            }
            return mine;
        });
        return events == null ? List.of() : events;
    }

    private static String reference(String adapter) {
        return "CS-TE-" + adapter.toUpperCase(Locale.ROOT) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
