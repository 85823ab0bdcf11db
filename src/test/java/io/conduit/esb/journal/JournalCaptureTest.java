package io.conduit.esb.journal;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hop capture on a plain Camel context: RECEIVED from a consumer (not from a direct call), steps classified by
 * scheme and by id, asynchronous steps recorded from their callback, FAILED per retried attempt.
 */
class JournalCaptureTest {

    private final HopRecorderTest.RecordingJournal journal = new HopRecorderTest.RecordingJournal();
    private DefaultCamelContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    private void start(RouteBuilder routes) throws Exception {
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
        HopRecorder recorder = new HopRecorder(journal, settings);

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
}
