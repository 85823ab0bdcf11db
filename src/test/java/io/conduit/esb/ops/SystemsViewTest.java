package io.conduit.esb.ops;

import com.sun.net.httpserver.HttpServer;
import io.conduit.esb.journal.Hop;
import io.conduit.esb.journal.HopRecorder;
import io.conduit.esb.journal.Journal;
import io.conduit.esb.journal.JournalEntry;
import io.conduit.esb.journal.JournalProperties;
import io.conduit.esb.journal.JournalQuery;
import io.conduit.esb.systems.JsonRpc;
import io.conduit.esb.systems.SystemDeclaration;
import io.conduit.esb.systems.SystemRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.env.MockEnvironment;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * What the Systems page and {@code GET /api/v1/systems} show, assembled from real parts: a "CRM" that is a real HTTP
 * server answering what the test says, the circuit breakers, the call guard on a Camel route calling it, the probes
 * and the journal's hop recorder (writing into a list). The CRM fails with personal data in its answer, the breaker
 * opens and is journaled, the CRM comes back, the probe lets trial calls through and the breaker closes.
 */
class SystemsViewTest {

    private HttpServer crm;
    private volatile int status = 200;
    private volatile String answer = "{}";
    private CamelContext camel;
    private SystemProbes probes;
    private GenericApplicationContext beans;
    private final MemoryJournal journal = new MemoryJournal();
    private SystemBreakers breakers;
    private SystemActivity activity;
    private SystemsView view;

    @BeforeEach
    void start() throws Exception {
        crm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        crm.createContext("/crm/api", exchange -> {
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        crm.start();
        String base = "http://127.0.0.1:" + crm.getAddress().getPort() + "/crm/api";
        Map<String, String> declared = new LinkedHashMap<>();
        declared.put("esb.systems.crm.roles[0]", "crm");
        declared.put("esb.systems.crm.adapter", "sandbox");
        declared.put("esb.systems.crm.base-url", base);
        declared.put("esb.systems.crm.health-url", base + "/ping");
        declared.put("esb.systems.erp.roles[0]", "erp");
        declared.put("esb.systems.erp.adapter", "sandbox");
        declared.put("esb.systems.erp.transport", "SQL over JDBC (staging tables)");
        declared.put("esb.systems.erp.datasource-bean", "erpDataSource");
        declared.put("esb.systems.vault.base-url", "https://esb:s3cret@vault.example/api");
        declared.put("esb.systems.vault.health.type", "none");
        SystemRegistry systems = registry(declared);
        MeterRegistry meters = new SimpleMeterRegistry();
        // four calls in the window, half failing opens it; one trial call in HALF_OPEN; a minute OPEN unless probed back
        breakers = new SystemBreakers(new BreakerSettings(50, SlidingWindowType.COUNT_BASED, 4, 4, 60_000, 1, 10_000,
                100), meters, systems);
        activity = activity(systems, breakers, meters, journal);
        beans = new GenericApplicationContext();
        beans.refresh();
        probes = new SystemProbes(breakers, activity, systems, beans, new JsonRpc(new MockEnvironment(),
                new com.fasterxml.jackson.databind.ObjectMapper()), meters, 2000, 3_600_000, 2);
        view = new SystemsView(systems, probes, breakers, activity);

        camel = new DefaultCamelContext();
        camel.getCamelContextExtension().addInterceptStrategy(new SystemCallGuard(breakers, activity));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                from("direct:update").routeId("shop.to-crm")
                        .to(base + "/orders").id("shop.update-crm");
            }
        });
        camel.start();
        // the probes' first round runs at once on their own thread
        await().atMost(Duration.ofSeconds(10)).until(() -> activity.probes("vault").size() == 1);
    }

    @AfterEach
    void stop() {
        camel.stop();
        probes.destroy();
        beans.close();
        crm.stop(0);
    }

    @Test
    void theBreakerOpensIsJournaledAndClosesAgainAndThePageDataFollows() {
        ProducerTemplate calls = camel.createProducerTemplate();
        for (int i = 0; i < 3; i++) {
            calls.sendBody("direct:update", "{}");
        }
        SystemsView.SystemSummary healthy = summary("crm");
        assertThat(healthy.roles()).containsExactly("crm");
        assertThat(healthy.adapter()).isEqualTo("sandbox");
        assertThat(healthy.transport()).isEqualTo("HTTP");
        assertThat(healthy.health().state()).isEqualTo("UP");
        assertThat(healthy.breaker().state()).isEqualTo("CLOSED");
        assertThat(healthy.latency().calls()).isEqualTo(3);
        assertThat(healthy.latency().recent()).isTrue();
        assertThat(healthy.latency().p50Ms()).isPositive();
        assertThat(healthy.latency().p50Ms()).isLessThanOrEqualTo(healthy.latency().p95Ms());
        assertThat(healthy.latency().p95Ms()).isLessThanOrEqualTo(healthy.latency().p99Ms());
        assertThat(healthy.recentErrors()).isZero();

        // the CRM refuses one request (it answered: not the breaker's business), then fails, with personal data
        status = 422;
        answer = "{\"detail\":\"bad order\"}";
        assertThat(catchThrowable(() -> calls.sendBody("direct:update", "{}"))).isNotNull();
        status = 500;
        answer = "{\"error\":\"cannot save the order of jane.doe@example.com\",\"contact\":{\"email\":\"jane.doe@example.com\","
                + "\"password\":\"hunter2\"}}";
        for (int i = 0; i < 2; i++) {
            assertThat(catchThrowable(() -> calls.sendBody("direct:update", "{}"))).isNotNull();
        }
        assertThat(breakers.breaker("crm").getState().name()).isEqualTo("OPEN");
        probes.probeAll();
        // a second failed probe in a row confirms it unreachable (one alone changes nothing but the health shown)
        probes.probeAll();

        SystemsView.SystemDetail down = view.system("crm").orElseThrow();
        assertThat(down.system().health().state()).isEqualTo("DOWN");
        assertThat(down.system().health().probesUp()).isEqualTo(1);
        assertThat(down.system().health().probes()).isEqualTo(3);
        assertThat(down.reachability()).extracting(SystemActivity.ReachabilityChange::reachable).containsExactly(false, true);
        assertThat(down.system().breaker().state()).isEqualTo("OPEN");
        assertThat(down.system().breaker().since()).isNotNull();
        assertThat(down.transitions()).hasSize(1);
        assertThat(down.transitions().get(0).from()).isEqualTo("CLOSED");
        assertThat(down.transitions().get(0).describe()).startsWith("CLOSED -> OPEN: failure rate 50.0 % of 4 calls");
        // last errors, newest first, masked as the journal masks payloads
        assertThat(down.errors()).hasSize(3);
        SystemActivity.CallError newest = down.errors().get(0);
        assertThat(newest.step()).isEqualTo("shop.update-crm");
        assertThat(newest.route()).isEqualTo("shop.to-crm");
        assertThat(newest.counted()).isTrue();
        assertThat(newest.error()).contains("HttpOperationFailedException", "statusCode: 500", "cannot save",
                "j***@example.com", "\"email\":\"***\"").doesNotContain("jane.doe", "hunter2");
        assertThat(down.errors().get(2).counted()).as("the 422").isFalse();
        assertThat(down.errors().get(2).error()).contains("422");
        assertThat(down.system().recentErrors()).isEqualTo(3);

        // the opening is in the journal, found by the system's name
        assertThat(journal.entries).singleElement().satisfies(e -> {
            assertThat(e.hop()).isEqualTo(Hop.BREAKER_OPENED);
            assertThat(e.flow()).isEqualTo(HopRecorder.SYSTEMS_FLOW);
            assertThat(e.target()).isEqualTo("crm");
            assertThat(e.keys()).containsEntry(HopRecorder.SYSTEM_KEY, "crm");
            assertThat(e.detail()).startsWith("CLOSED -> OPEN");
            assertThat(e.correlationId()).isNull();
        });

        // the CRM is back: the probe lets a trial call through, which closes the breaker
        status = 200;
        answer = "{}";
        probes.probeAll();
        // one good probe is not yet "back": the breaker stays OPEN until a second one in a row
        assertThat(breakers.breaker("crm").getState().name()).isEqualTo("OPEN");
        probes.probeAll();
        assertThat(breakers.breaker("crm").getState().name()).isEqualTo("HALF_OPEN");
        calls.sendBody("direct:update", "{}");
        SystemsView.SystemDetail back = view.system("crm").orElseThrow();
        assertThat(back.system().breaker().state()).isEqualTo("CLOSED");
        assertThat(back.transitions()).extracting(SystemActivity.Transition::to)
                .containsExactly("CLOSED", "HALF_OPEN", "OPEN");
        assertThat(back.system().health().state()).isEqualTo("UP");
        assertThat(back.reachability()).extracting(SystemActivity.ReachabilityChange::reachable)
                .containsExactly(true, false, true);
        assertThat(journal.entries).extracting(JournalEntry::hop)
                .containsExactly(Hop.BREAKER_OPENED, Hop.BREAKER_HALF_OPEN, Hop.BREAKER_CLOSED);
        assertThat(back.system().latency().calls()).isEqualTo(7);
    }

    @Test
    void everyDeclaredSystemIsListedWithWhatItsDeclarationSays() {
        List<SystemsView.SystemSummary> all = view.systems();
        assertThat(all).extracting(SystemsView.SystemSummary::name).containsExactly("crm", "erp", "vault");
        SystemsView.SystemSummary erp = all.get(1);
        assertThat(erp.transport()).isEqualTo("SQL over JDBC (staging tables)");
        assertThat(erp.endpoint()).isEqualTo("datasource erpDataSource");
        assertThat(erp.probe()).isEqualTo("sql");
        // no erpDataSource bean here: the probe fails, and says why
        assertThat(erp.health().state()).isEqualTo("DOWN");
        assertThat(erp.latency().calls()).isZero();
        assertThat(erp.latency().recent()).isFalse();
        SystemsView.SystemSummary vault = all.get(2);
        assertThat(vault.roles()).containsExactly("vault");
        assertThat(vault.transport()).isEqualTo("HTTP");
        assertThat(vault.endpoint()).isEqualTo("https://vault.example/api").doesNotContain("s3cret");
        assertThat(view.system("nope")).isEmpty();
    }

    @Test
    void userInformationInAUrlIsLeftOutOfAnError() {
        assertThat(SystemActivity.withoutUserInfo("GET https://esb:s3cret@vault.example/api failed, see http://x/y"))
                .isEqualTo("GET https://vault.example/api failed, see http://x/y");
        assertThat(SystemActivity.withoutUserInfo("invoking http://127.0.0.1:8080/crm with statusCode: 500 · "
                + "answered: {\"email\":\"jane@example.com\"}"))
                .isEqualTo("invoking http://127.0.0.1:8080/crm with statusCode: 500 · answered: {\"email\":\"jane@example.com\"}");
        assertThat(SystemActivity.withoutUserInfo("no url here")).isEqualTo("no url here");
    }

    private SystemsView.SystemSummary summary(String name) {
        return view.systems().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    static SystemRegistry registry(Map<String, String> properties) {
        return new SystemRegistry(new Binder(new MapConfigurationPropertySource(properties))
                .bind("esb.systems", Bindable.mapOf(String.class, SystemDeclaration.class)).get());
    }

    /** The activity as the application builds it, with the journal's masked fields of config/journal.yaml. */
    static SystemActivity activity(SystemRegistry systems, SystemBreakers breakers, MeterRegistry meters, Journal journal) {
        JournalProperties settings = new JournalProperties();
        settings.getPayload().setMaskedFields(List.of("email", "password", "token", "name"));
        return new SystemActivity(systems, breakers, meters, new HopRecorder(journal, settings, meters), settings,
                120, 20, 20, 20, Duration.ofMinutes(5));
    }

    /** A journal that keeps what it is given. */
    static final class MemoryJournal implements Journal {
        final List<JournalEntry> entries = new CopyOnWriteArrayList<>();

        @Override
        public void record(JournalEntry entry) {
            entries.add(entry);
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
