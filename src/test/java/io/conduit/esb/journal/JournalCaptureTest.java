package io.conduit.esb.journal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hop capture on a plain Camel context: RECEIVED from a consumer (not from a direct call), steps classified by
 * scheme and by id, asynchronous steps recorded from their callback, FAILED per retried attempt; and a capture
 * that fails (a journal that throws, an entry that cannot be built) changes nothing for the message.
 */
class JournalCaptureTest {

    private final HopRecorderTest.RecordingJournal journal = new HopRecorderTest.RecordingJournal();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private DefaultCamelContext context;
    private ListAppender<ILoggingEvent> log;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
        if (log != null) {
            recorderLogger().detachAppender(log);
        }
    }

    private void start(RouteBuilder routes) throws Exception {
        start(journal, routes);
    }

    private void start(Journal journal, RouteBuilder routes) throws Exception {
        JournalProperties settings = new JournalProperties();
        settings.setReceivedSchemes(List.of("seda"));
        settings.setRules(List.of(new JournalProperties.StepRule("log", null, null, Hop.VALIDATED, null),
                new JournalProperties.StepRule("seda", null, null, Hop.PUBLISHED, null)));
        JournalProperties.StepSetting deliver = new JournalProperties.StepSetting();
        deliver.setHop(Hop.DELIVERED);
        deliver.setTarget("erp");
        deliver.setTargetId("${exchangeProperty.soNo}");
        settings.getSteps().put("demo.deliver", deliver);
        JournalProperties.FlowSetting flow = new JournalProperties.FlowSetting();
        flow.setKeys(Map.of("orderId", List.of("${header.orderId}")));
        settings.getFlows().put("demo", flow);
        HopRecorder recorder = new HopRecorder(journal, settings, meters);

        context = new DefaultCamelContext();
        context.getCamelContextExtension().addInterceptStrategy(new JournalInterceptStrategy(recorder, settings));
        context.addRoutePolicyFactory(new ReceivedHopPolicyFactory(recorder));
        context.getManagementStrategy().addEventNotifier(new FailedAttemptNotifier(recorder));
        context.addRoutes(routes);
        context.start();
    }

    @Test
    void recordsEveryHopOfAFlowWithoutAnyJournalStepInTheRoute() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("seda:in").routeId("demo.intake").routeGroup("demo")
                        .to("log:check?level=OFF").id("demo.check")
                        .to("direct:sub").id("demo.call-sub")
                        .setProperty("soNo", constant("SO-1"))
                        .process(exchange -> { }).id("demo.deliver")
                        .to("seda:next").id("demo.publish");
                from("direct:sub").routeId("demo.sub").routeGroup("demo")
                        .to("log:sub?level=OFF").id("demo.sub-check");
                from("seda:next").routeId("demo.next").routeGroup("demo")
                        .to("log:next?level=OFF").id("demo.next-check");
            }
        });
        context.createProducerTemplate().sendBodyAndHeader("seda:in", "{}", "orderId", "O-1");

        await().atMost(Duration.ofSeconds(5)).until(() -> journal.entries.size() >= 7);
        // in the order the hops happened (a consumer may record its RECEIVED before the publisher's callback ran)
        List<JournalEntry> entries = journal.entries.stream()
                .sorted(java.util.Comparator.comparing(JournalEntry::at)).toList();
        List<String> hops = entries.stream().map(e -> e.routeId() + " " + e.hop() + " " + e.stepId()).toList();
        assertThat(hops).containsExactly(
                "demo.intake RECEIVED null",
                "demo.intake VALIDATED demo.check",
                "demo.sub VALIDATED demo.sub-check",
                "demo.intake DELIVERED demo.deliver",
                "demo.intake PUBLISHED demo.publish",
                "demo.next RECEIVED null",
                "demo.next VALIDATED demo.next-check");
        JournalEntry delivered = entries.get(3);
        assertThat(delivered.target()).isEqualTo("erp");
        assertThat(delivered.targetId()).isEqualTo("SO-1");
        assertThat(entries.get(4).target()).isEqualTo("seda:next");
        assertThat(journal.entries).allSatisfy(e -> {
            assertThat(e.flow()).isEqualTo("demo");
            assertThat(e.keys()).containsEntry("orderId", "O-1");
            assertThat(e.correlationId()).isEqualTo(journal.entries.get(0).correlationId()).isNotNull();
        });
    }

    @Test
    void recordsAFailedHopForEachRetriedAttemptAndNoHopForTheFailedStep() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(defaultErrorHandler().maximumRedeliveries(3).redeliveryDelay(1).logRetryAttempted(false));
                from("seda:flaky").routeId("demo.flaky").routeGroup("demo")
                        .process(exchange -> {
                            if (calls.incrementAndGet() < 3) {
                                throw new IllegalStateException("ERP is down (attempt " + calls.get() + ")");
                            }
                        }).id("demo.deliver");
            }
        });
        context.createProducerTemplate().sendBodyAndHeader("seda:flaky", "{}", "orderId", "O-2");

        await().atMost(Duration.ofSeconds(5)).until(() -> journal.entries.stream().anyMatch(e -> e.hop() == Hop.DELIVERED));
        assertThat(journal.entries).extracting(JournalEntry::hop)
                .containsExactly(Hop.RECEIVED, Hop.FAILED, Hop.FAILED, Hop.DELIVERED);
        assertThat(journal.entries.get(1).detail()).contains("will be retried", "ERP is down (attempt 1)");
        assertThat(journal.entries.get(2).detail()).contains("ERP is down (attempt 2)");
        assertThat(journal.entries.get(1).routeId()).isEqualTo("demo.flaky");
        assertThat(journal.entries.get(1).keys()).containsEntry("orderId", "O-2");
    }

    /**
     * The route of an order: received from seda, checked, delivered (failing twice first, so retried), answered,
     * published to a second route; the caller waits for the answer.
     */
    private RouteBuilder orderRoute(AtomicInteger deliveries) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(defaultErrorHandler().maximumRedeliveries(3).redeliveryDelay(1).logRetryAttempted(false));
                from("seda:in").routeId("demo.intake").routeGroup("demo")
                        .to("log:check?level=OFF").id("demo.check")
                        .process(exchange -> {
                            if (deliveries.incrementAndGet() < 3) {
                                throw new IllegalStateException("ERP is down (attempt " + deliveries.get() + ")");
                            }
                            exchange.setProperty("soNo", "SO-3");
                        }).id("demo.deliver")
                        .setBody(simple("accepted ${header.orderId} as ${exchangeProperty.soNo}"))
                        .to("seda:next").id("demo.publish");
                from("seda:next").routeId("demo.next").routeGroup("demo")
                        .to("mock:next");
            }
        };
    }

    @Test
    void aJournalThatThrowsChangesNeitherTheAnswerNorTheRetries() throws Exception {
        ThrowingJournal throwing = new ThrowingJournal();
        AtomicInteger deliveries = new AtomicInteger();
        captureLog();
        start(throwing, orderRoute(deliveries));
        MockEndpoint next = context.getEndpoint("mock:next", MockEndpoint.class);
        next.expectedBodiesReceived("accepted O-3 as SO-3");

        Object answer = context.createProducerTemplate()
                .requestBodyAndHeader("seda:in", "{\"fullName\":\"" + "A".repeat(2_000) + "\"}", "orderId", "O-3");

        assertThat(answer).isEqualTo("accepted O-3 as SO-3");
        assertThat(deliveries).hasValue(3);
        next.assertIsSatisfied(5_000);
        // RECEIVED, VALIDATED, FAILED twice, DELIVERED, PUBLISHED, RECEIVED by the second route: every one thrown
        assertThat(throwing.calls).hasValue(7);
        assertThat(meters.counter("esb.journal.capture.failures").count()).isEqualTo(7);
        // one line for all of them, without a stack trace
        assertThat(log.list).hasSize(1).allSatisfy(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.WARN);
            assertThat(line.getThrowableProxy()).isNull();
            assertThat(line.getFormattedMessage()).contains("RECEIVED hop of route demo.intake not recorded",
                    "StackOverflowError");
        });
    }

    @Test
    void anEntryThatCannotBeBuiltChangesNothingForTheMessage() throws Exception {
        AtomicInteger deliveries = new AtomicInteger();
        start(orderRoute(deliveries));
        MockEndpoint next = context.getEndpoint("mock:next", MockEndpoint.class);
        next.expectedBodiesReceived("accepted O-4 as SO-3");

        // the payload is read as text for the journal: here that overflows the stack, at every hop until the
        // route replaces the body
        Object answer = context.createProducerTemplate().requestBodyAndHeader("seda:in", new Unreadable(), "orderId", "O-4");

        assertThat(answer).isEqualTo("accepted O-4 as SO-3");
        assertThat(deliveries).hasValue(3);
        next.assertIsSatisfied(5_000);
        // RECEIVED, VALIDATED, FAILED twice and DELIVERED could not be built; the rest was journaled
        assertThat(meters.counter("esb.journal.capture.failures").count()).isEqualTo(5);
        assertThat(journal.entries).extracting(e -> e.routeId() + " " + e.hop())
                .containsExactlyInAnyOrder("demo.intake PUBLISHED", "demo.next RECEIVED");
    }

    private void captureLog() {
        log = new ListAppender<>();
        log.start();
        recorderLogger().addAppender(log);
    }

    private static Logger recorderLogger() {
        return (Logger) LoggerFactory.getLogger(HopRecorder.class);
    }

    /** A body whose text cannot be had: converting it to a String overflows the stack. */
    static final class Unreadable {
        @Override
        public String toString() {
            throw new StackOverflowError();
        }
    }

    /** A journal that fails every record, with an error or an exception in turn. */
    static final class ThrowingJournal implements Journal {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void record(JournalEntry entry) {
            if (calls.incrementAndGet() % 2 == 1) {
                throw new StackOverflowError();
            }
            throw new IllegalStateException("journal broken for " + entry.hop());
        }

        @Override
        public List<JournalEntry> search(JournalQuery query) {
            return List.of();
        }

        @Override
        public List<JournalEntry> journey(JournalQuery query) {
            return List.of();
        }

        @Override
        public boolean deliveredSince(String eventId, String routeId, Instant since) {
            return false;
        }

        @Override
        public void flush() {
        }
    }
}
