package io.conduit.esb.ops;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The per-system circuit breakers guard route steps by their URI, with no change to the routes. */
class SystemCallGuardTest {

    /** Nothing listens on port 1: every call to the "CRM" is refused at once. */
    private static final String CRM = "http://127.0.0.1:1/crm/api";

    private final io.conduit.esb.systems.SystemRegistry systems = new io.conduit.esb.systems.SystemRegistry(
            new org.springframework.boot.context.properties.bind.Binder(
                    new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(java.util.Map.of(
                            "esb.systems.crm.base-url", CRM,
                            "esb.systems.oa.base-url", "http://127.0.0.1:1/oa/api",
                            "esb.systems.erp.roles[0]", "erp",
                            "esb.systems.erp.datasource-bean", "erpDataSource")))
                    .bind("esb.systems", org.springframework.boot.context.properties.bind.Bindable.mapOf(String.class,
                            io.conduit.esb.systems.SystemDeclaration.class)).get());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SystemBreakers breakers = new SystemBreakers(
            new BreakerSettings(50, SlidingWindowType.COUNT_BASED, 4, 4, 60_000, 1, 10_000, 100), meters, systems);
    private final SystemActivity activity = SystemsViewTest.activity(systems, breakers, meters,
            new SystemsViewTest.MemoryJournal());
    private CamelContext camel;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.getCamelContextExtension().addInterceptStrategy(new SystemCallGuard(breakers, activity));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                from("direct:crm").to(CRM + "/ping?connectTimeout=500");
                from("direct:crm-dynamic").toD(CRM + "/cases/${header.id}?connectTimeout=500");
                from("direct:elsewhere").to("log:elsewhere");
                // a port of the CRM role whose adapter calls the CRM with an expression for its path (as every adapter)
                from("direct:crm.update-case").toD(CRM + "${header.path}?connectTimeout=500");
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void failingCallsOpenTheBreakerAndThenFailFastWithARetryableException() {
        ProducerTemplate producer = camel.createProducerTemplate();
        for (int i = 0; i < 4; i++) {
            String route = i % 2 == 0 ? "direct:crm" : "direct:crm-dynamic";
            Throwable failure = catchThrowable(() -> producer.sendBodyAndHeader(route, "x", "id", "C-1"));
            assertThat(failure).isInstanceOf(CamelExecutionException.class).hasRootCauseInstanceOf(ConnectException.class);
        }
        assertThat(breakers.breaker("crm").getState().name()).isEqualTo("OPEN");

        Throwable fast = catchThrowable(() -> producer.sendBodyAndHeader("direct:crm-dynamic", "x", "id", "C-1"));
        // the refusal quotes the last real failure: the reason an operator reads names the cause, not only the breaker
        assertThat(fast.getCause()).isInstanceOf(SystemUnavailableException.class)
                .hasMessageContaining("CRM").hasMessageContaining("OPEN")
                .hasMessageMatching("(?s).*last failure \\d+ s ago: \\w*ConnectException.*");
        assertThat(breakers.breaker("crm").getMetrics().getNumberOfNotPermittedCalls()).isEqualTo(1);
        // the same boundary timed the four calls and kept their failures; the refused call is neither
        assertThat(activity.calls("crm").count()).isEqualTo(4);
        assertThat(activity.errors("crm")).hasSize(4).allSatisfy(e -> {
            assertThat(e.counted()).isTrue();
            assertThat(e.error()).contains("ConnectException");
        });
        assertThat(activity.transitions("crm")).extracting(SystemActivity.Transition::to).containsExactly("OPEN");
        // other systems and other steps are not affected
        assertThat(breakers.breaker("oa").getState().name()).isEqualTo("CLOSED");
        producer.sendBody("direct:elsewhere", "x");
    }

    @Test
    void endpointsAreMatchedToTheirSystem() {
        assertThat(breakers.systemOf(CRM + "/opportunities/1")).contains("crm");
        assertThat(breakers.systemOf("http://127.0.0.1:1/oa/api/accounts?x=1")).contains("oa");
        assertThat(breakers.systemOf("sql:select 1?dataSource=%23erpDataSource")).contains("erp");
        assertThat(breakers.systemOf("sql:select 1?dataSource=#erpDataSource")).contains("erp");
        assertThat(breakers.systemOf("sql:select 1")).isEmpty();
        assertThat(breakers.systemOf("http://127.0.0.1:1/crm/apiother")).isEmpty();
        assertThat(breakers.systemOf("kafka:conduit.orders.v1")).isEmpty();
        // an adapter's call whose path is an expression (toD "{{esb.systems.crm.base-url}}${exchangeProperty.crmCallPath}")
        assertThat(breakers.systemOf(CRM + "${exchangeProperty.crmCallPath}")).contains("crm");
        assertThat(breakers.systemOf(CRM + "$simple{exchangeProperty.crmCallPath}")).contains("crm");
        assertThat(breakers.systemOf("http://127.0.0.1:1/crm/apix${exchangeProperty.crmCallPath}")).isEmpty();
        // a port of a role: the system declared with that role, whatever transport its adapter uses
        assertThat(breakers.systemOf("direct:erp.upsert-sales-order")).contains("erp");
        assertThat(breakers.systemOf("direct:order-handoff.crm-intake")).isEmpty();
    }

    @Test
    void anAdaptersCallWithAnExpressionForItsPathIsGuarded() {
        ProducerTemplate producer = camel.createProducerTemplate();
        Throwable failure = catchThrowable(() -> producer.sendBodyAndHeader("direct:crm.update-case", "x", "path",
                "/cases/C-1"));
        assertThat(failure).hasRootCauseInstanceOf(ConnectException.class);
        // the port step (direct:crm.update-case is called by the template, not a step) is not guarded here: the
        // adapter's HTTP toD is, and counted
        assertThat(breakers.breaker("crm").getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
        assertThat(activity.calls("crm").count()).isEqualTo(1);
        assertThat(activity.errors("crm").get(0).step()).isNotBlank();
    }

    @Test
    void aPortCalledByAComponentIsGuardedOnceWithTheAdaptersStepsInside() throws Exception {
        org.apache.camel.Producer port = camel.getEndpoint("direct:crm.update-case").createProducer();
        org.apache.camel.Processor guarded = new SystemCallGuard(breakers, activity)
                .guardPortCall("crm.update-case", port, "versioned:crm.update-case");
        assertThat(guarded).isNotSameAs(port);
        org.apache.camel.support.service.ServiceHelper.startService(guarded);
        for (int i = 0; i < 4; i++) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getMessage().setHeader("path", "/cases/C-" + i);
            guarded.process(exchange);
            assertThat(org.apache.camel.util.ObjectHelper.getException(ConnectException.class, exchange.getException()))
                    .isNotNull();
        }
        // four port calls, each counted once (the adapter's toD inside is the same system's: not counted again)
        assertThat(breakers.breaker("crm").getMetrics().getNumberOfFailedCalls()).isEqualTo(4);
        assertThat(activity.calls("crm").count()).isEqualTo(4);
        assertThat(activity.errors("crm")).allSatisfy(e -> assertThat(e.step()).isEqualTo("versioned:crm.update-case"));
        assertThat(breakers.breaker("crm").getState().name()).isEqualTo("OPEN");

        org.apache.camel.Exchange refused = new org.apache.camel.support.DefaultExchange(camel);
        refused.getMessage().setHeader("path", "/cases/C-9");
        guarded.process(refused);
        assertThat(refused.getException()).isInstanceOf(SystemUnavailableException.class);
        // a port of a role no system plays is called as it is
        assertThat(new SystemCallGuard(breakers, activity).guardPortCall("hr.nothing", port, "x")).isSameAs(port);
        org.apache.camel.support.service.ServiceHelper.stopService(guarded);
    }

    @Test
    void anOperatorsReplayIsATrialCallWhileTheBreakerIsOpenOncePerWait() {
        ProducerTemplate producer = camel.createProducerTemplate();
        failCrmCallsUntilTheBreakerOpens(producer);
        assertThat(breakers.breaker("crm").getState().name()).isEqualTo("OPEN");
        // an automatic attempt is refused
        org.apache.camel.Exchange automatic = producer.send("direct:crm-dynamic", e -> e.getMessage().setHeader("id", "C-1"));
        assertThat(automatic.getException()).isInstanceOf(SystemUnavailableException.class);
        assertThat(activity.calls("crm").count()).isEqualTo(4);

        // an operator's replay is let through: the breaker tries the CRM (half-open), the trial fails, OPEN again
        org.apache.camel.Exchange replay = replay(producer, "C-1");
        assertThat(org.apache.camel.util.ObjectHelper.getException(ConnectException.class, replay.getException()))
                .isNotNull();
        assertThat(activity.calls("crm").count()).isEqualTo(5);
        assertThat(activity.transitions("crm")).extracting(SystemActivity.Transition::to)
                .containsExactly("OPEN", "HALF_OPEN", "OPEN");

        // the next replay within the breaker's wait (60 s here) fails fast: a bulk replay to a system still away
        org.apache.camel.Exchange next = replay(producer, "C-2");
        assertThat(next.getException()).isInstanceOf(SystemUnavailableException.class)
                .hasMessageContaining("ConnectException");
        assertThat(activity.calls("crm").count()).isEqualTo(5);
    }

    @Test
    void anOperatorsReplayIsATrialCallWhileTheHalfOpenBreakersTrialsAreTakenByOthers() {
        ProducerTemplate producer = camel.createProducerTemplate();
        failCrmCallsUntilTheBreakerOpens(producer);
        var breaker = breakers.breaker("crm");
        breaker.transitionToHalfOpenState();
        // a poller's trial call in flight holds the one permit of the half-open state
        assertThat(breaker.tryAcquirePermission()).isTrue();
        org.apache.camel.Exchange automatic = producer.send("direct:crm-dynamic", e -> e.getMessage().setHeader("id", "C-1"));
        assertThat(automatic.getException()).isInstanceOf(SystemUnavailableException.class);
        assertThat(activity.calls("crm").count()).isEqualTo(4);

        // the operator's replay is let through all the same, as one more trial
        org.apache.camel.Exchange replay = replay(producer, "C-1");
        assertThat(org.apache.camel.util.ObjectHelper.getException(ConnectException.class, replay.getException()))
                .isNotNull();
        assertThat(activity.calls("crm").count()).isEqualTo(5);
    }

    @Test
    void aStepThatThrowsInsteadOfFailingTheExchangeStillEndsItsHalfOpenTrial() {
        ProducerTemplate producer = camel.createProducerTemplate();
        failCrmCallsUntilTheBreakerOpens(producer);
        var breaker = breakers.breaker("crm");
        breaker.transitionToHalfOpenState();
        // against Camel's contract: throws out of process() rather than setting the exchange's exception
        AsyncProcessor throwing = new AsyncProcessorSupport() {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                throw new IllegalStateException("adapter bean broke");
            }
        };
        var guarded = new SystemCallGuard.Guarded(throwing, "crm", breakers, activity, "crm-step");
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(camel);
        AtomicInteger callbacks = new AtomicInteger();

        assertThat(guarded.process(exchange, doneSync -> callbacks.incrementAndGet())).isTrue();

        assertThat(exchange.getException()).isInstanceOf(IllegalStateException.class);
        assertThat(callbacks).hasValue(1);
        // the trial's one permit came back as a recorded failure: the breaker judged it (OPEN again), instead of
        // staying HALF_OPEN with its permit gone and refusing every later call
        assertThat(breaker.getState().name()).isEqualTo("OPEN");
        assertThat(exchange.getProperties()).doesNotContainKey("esbGuarded.crm");
    }

    /** Four failed calls to the (unreachable) CRM: the breaker's minimum, all failures, so it opens. */
    private static void failCrmCallsUntilTheBreakerOpens(ProducerTemplate producer) {
        for (int i = 0; i < 4; i++) {
            catchThrowable(() -> producer.sendBodyAndHeader("direct:crm-dynamic", "x", "id", "C-1"));
        }
    }

    /** A call as an operator's replay of a parked message makes it. */
    private static org.apache.camel.Exchange replay(ProducerTemplate producer, String id) {
        return producer.send("direct:crm-dynamic", e -> {
            e.getMessage().setHeader("id", id);
            e.setProperty(io.conduit.esb.parking.ParkingLot.REPLAY_OF, java.util.UUID.randomUUID().toString());
        });
    }

    @Test
    void aSystemThatAnswersARequestIsUpHoweverWrongTheRequest() {
        assertThat(SystemBreakers.countsAsFailure(new HttpOperationFailedException(CRM, 422, "x", null, null, null)))
                .isFalse();
        assertThat(SystemBreakers.countsAsFailure(new HttpOperationFailedException(CRM, 503, "x", null, null, null)))
                .isTrue();
        assertThat(SystemBreakers.countsAsFailure(new HttpOperationFailedException(CRM, 429, "x", null, null, null)))
                .isTrue();
        assertThat(SystemBreakers.countsAsFailure(new java.sql.SQLException("dup", "23505"))).isFalse();
        assertThat(SystemBreakers.countsAsFailure(new java.sql.SQLException("down", "08006"))).isTrue();
        // the adapter's own mapping failed: the system was not even asked, or it answered
        assertThat(SystemBreakers.countsAsFailure(new org.apache.camel.RuntimeCamelException(
                new io.conduit.esb.mapping.MappingException("tryton/x.jsonata", "input cannot be converted", null))))
                .isFalse();
    }
}
