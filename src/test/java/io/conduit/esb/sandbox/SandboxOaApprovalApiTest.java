package io.conduit.esb.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.jms.JmsAutoConfiguration;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox OA's approval API over HTTP and the decision events it publishes over JMS, in a Spring Boot context
 * holding only the sandbox (as {@link SandboxApiTest}: web MVC, Jackson, embedded Artemis, a zonky PostgreSQL as
 * {@code esbDataSource}). The queue here is the test's own, so every event on it is one this test caused.
 */
class SandboxOaApprovalApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String QUEUE = "TEST.APPROVAL.DECISIONS";

    private static EmbeddedPostgres postgres;
    private static ConfigurableApplicationContext context;
    private static String baseUrl;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        int port = freePort();
        baseUrl = "http://localhost:" + port;
        context = new SpringApplicationBuilder(SandboxOnlyApplication.class)
                .web(WebApplicationType.SERVLET)
                .run("--spring.config.location=optional:classpath:/sandbox-api-test-none/",
                        "--esb.embedded.enabled=false",
                        "--esb.sandbox.enabled=true",
                        "--server.port=" + port,
                        "--spring.artemis.mode=embedded",
                        "--esb.sandbox.oa.approval-decision-queue=" + QUEUE,
                        "--esb.sandbox.faults.retry-after-seconds=3");
    }

    @AfterAll
    static void stop() throws IOException {
        if (context != null) {
            context.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @AfterEach
    void heal() throws Exception {
        call("PUT", "/sandbox/oa/admin/faults", Map.of("mode", "normal"));
    }

    @Test
    void aTaskIsCreatedOncePerKeyAndListedByReferenceGroupAndStatus() throws Exception {
        Response created = call("POST", "/sandbox/oa/api/approvals", approval("PR-A-1", 1, 1, 0, "HEAD-PRODUCTION", 10));
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().path("approvalId").asText();
        assertThat(id).matches("APR-\\d+");
        assertThat(created.header("Location")).endsWith("/sandbox/oa/api/approvals/" + id);
        assertThat(created.body().path("status").asText()).isEqualTo("OPEN");
        assertThat(created.body().path("data").path("quantity").asInt()).isEqualTo(10);
        assertThat(created.body().path("dueAt").asText()).isEqualTo("2026-12-03T09:15:00Z");

        Response again = call("POST", "/sandbox/oa/api/approvals", approval("PR-A-1", 1, 1, 0, "HEAD-PRODUCTION", 99));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().path("approvalId").asText()).isEqualTo(id);
        assertThat(again.body().path("data").path("quantity").asInt()).as("the first task unchanged").isEqualTo(10);

        String escalation = call("POST", "/sandbox/oa/api/approvals", approval("PR-A-1", 1, 1, 1, "DIRECTOR-PRODUCTION", 10))
                .body().path("approvalId").asText();
        assertThat(escalation).isNotEqualTo(id);
        assertThat(call("GET", "/sandbox/oa/api/approvals?reference=PR-A-1", null).body().findValuesAsText("approvalId"))
                .containsExactly(id, escalation);
        assertThat(call("GET", "/sandbox/oa/api/approvals?reference=PR-A-1&group=DIRECTOR-PRODUCTION&status=open", null)
                .body().findValuesAsText("approvalId")).containsExactly(escalation);
        assertThat(call("GET", "/sandbox/oa/api/approvals/" + id, null).body().path("reference").asText()).isEqualTo("PR-A-1");
        assertThat(call("GET", "/sandbox/oa/api/approvals/APR-0", null).status()).isEqualTo(404);
        assertThat(call("GET", "/sandbox/oa/api/approvals?status=MAYBE", null).status()).isEqualTo(400);

        Response missing = call("POST", "/sandbox/oa/api/approvals", Map.of("reference", "PR-A-2", "version", 1));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().path("missingFields").toString()).contains("step", "approverGroup", "title", "text");
    }

    @Test
    void aDecisionIsStoredAndPublishedOnceAndOnlyOnAnOpenTask() throws Exception {
        String id = call("POST", "/sandbox/oa/api/approvals", approval("PR-D-1", 2, 1, 0, "HEAD-PRODUCTION", 10))
                .body().path("approvalId").asText();

        assertThat(decide(id, "REJECTED", null, null, "k.richter").status()).isEqualTo(422);
        assertThat(decide(id, "CHANGED", "10", null, "k.richter").status()).isEqualTo(422);
        assertThat(decide(id, "CHANGED", "0", null, "k.richter").status()).isEqualTo(422);
        assertThat(decide(id, "APPROVED", "7", null, "k.richter").status()).isEqualTo(422);
        assertThat(decide(id, "APPROVED", null, null, null).body().path("missingFields").toString()).contains("decidedBy");
        assertThat(decide(id, "PERHAPS", null, null, "k.richter").status()).isEqualTo(400);
        assertThat(decide("APR-0", "APPROVED", null, null, "k.richter").status()).isEqualTo(404);

        Response decided = decide(id, "CHANGED", "6.5", "six and a half will do", "k.richter");
        assertThat(decided.status()).isEqualTo(200);
        assertThat(decided.body().path("status").asText()).isEqualTo("CHANGED");
        assertThat(decided.body().path("quantity").decimalValue()).isEqualByComparingTo("6.5");
        assertThat(decided.body().path("decidedAt").asText()).isNotBlank();

        JmsTemplate jms = new JmsTemplate(context.getBean(jakarta.jms.ConnectionFactory.class));
        jms.setReceiveTimeout(5000);
        Message message = jms.receive(QUEUE);
        assertThat(message).isInstanceOf(TextMessage.class);
        assertThat(message.getStringProperty("externalRef")).isEqualTo("PR-D-1");
        JsonNode event = JSON.readTree(((TextMessage) message).getText());
        assertThat(message.getJMSCorrelationID()).isEqualTo(event.path("eventId").asText());
        assertThat(event.path("taskId").asText()).isEqualTo(id);
        assertThat(event.path("requestVersion").asInt()).isEqualTo(2);
        assertThat(event.path("fingerprint").asText()).isEqualTo("fp-PR-D-1");
        assertThat(event.path("decision").asText()).isEqualTo("CHANGED");
        assertThat(event.path("quantity").decimalValue()).isEqualByComparingTo("6.5");
        assertThat(event.path("occurredAt").asText()).isEqualTo(decided.body().path("decidedAt").asText());
        assertThat(call("GET", "/sandbox/oa/api/approvals/" + id + "/events", null).body().findValuesAsText("eventId"))
                .containsExactly(event.path("eventId").asText());

        Response twice = decide(id, "APPROVED", null, null, "someone.else");
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.body().path("approvalStatus").asText()).isEqualTo("CHANGED");
        jms.setReceiveTimeout(500);
        assertThat(jms.receive(QUEUE)).isNull();
    }

    @Test
    void aDecisionThatCannotBePublishedIsNotStored() throws Exception {
        String id = call("POST", "/sandbox/oa/api/approvals", approval("PR-X-1", 1, 1, 0, "HEAD-PRODUCTION", 10))
                .body().path("approvalId").asText();
        // a failing event write (here: the event table locked away) rolls the decision back with it
        JdbcTemplate db = new JdbcTemplate(postgres.getPostgresDatabase());
        db.execute("ALTER TABLE sandbox_oa.approval_event ADD CONSTRAINT test_no_events CHECK (false) NOT VALID");
        try {
            assertThat(decide(id, "APPROVED", null, null, "k.richter").status()).isEqualTo(500);
        } finally {
            db.execute("ALTER TABLE sandbox_oa.approval_event DROP CONSTRAINT test_no_events");
        }
        assertThat(call("GET", "/sandbox/oa/api/approvals/" + id, null).body().path("status").asText()).isEqualTo("OPEN");
        assertThat(decide(id, "APPROVED", null, null, "k.richter").status()).isEqualTo(200);
        JmsTemplate jms = new JmsTemplate(context.getBean(jakarta.jms.ConnectionFactory.class));
        jms.setReceiveTimeout(5000);
        assertThat(JSON.readTree(((TextMessage) jms.receiveSelected(QUEUE, "externalRef = 'PR-X-1'")).getText())
                .path("quantity").asInt()).isEqualTo(10);
    }

    @Test
    void remindersAreNotesOncePerNumberAndACancelClosesAnOpenTask() throws Exception {
        String id = call("POST", "/sandbox/oa/api/approvals", approval("PR-R-1", 1, 1, 0, "HEAD-PRODUCTION", 10))
                .body().path("approvalId").asText();
        Response first = call("POST", "/sandbox/oa/api/approvals/" + id + "/reminders", Map.of("number", 1, "text", "Please decide"));
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.body().path("outcome").asText()).isEqualTo("REMINDED");
        Response repeat = call("POST", "/sandbox/oa/api/approvals/" + id + "/reminders", Map.of("number", 1, "text", "Please decide"));
        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.body().path("outcome").asText()).isEqualTo("DUPLICATE");
        assertThat(call("POST", "/sandbox/oa/api/approvals/" + id + "/reminders", Map.of("number", 0, "text", "x")).status())
                .isEqualTo(400);

        Response cancelled = call("POST", "/sandbox/oa/api/approvals/" + id + "/cancel", Map.of("reason", "withdrawn in the ERP"));
        assertThat(cancelled.body().path("outcome").asText()).isEqualTo("CANCELLED");
        assertThat(call("POST", "/sandbox/oa/api/approvals/" + id + "/cancel", Map.of("reason", "again")).body()
                .path("outcome").asText()).isEqualTo("NOT_OPEN");
        assertThat(call("POST", "/sandbox/oa/api/approvals/" + id + "/reminders", Map.of("number", 2, "text", "x")).body()
                .path("outcome").asText()).isEqualTo("NOT_OPEN");
        Response decideCancelled = decide(id, "APPROVED", null, null, "k.richter");
        assertThat(decideCancelled.status()).isEqualTo(409);
        assertThat(decideCancelled.body().path("detail").asText()).contains("withdrawn in the ERP");

        JsonNode notes = call("GET", "/sandbox/oa/api/approvals/" + id + "/notes", null).body();
        assertThat(notes.findValuesAsText("kind")).containsExactly("REMINDER", "CANCELLED");
        assertThat(notes.get(0).path("number").asInt()).isEqualTo(1);
        assertThat(notes.get(1).path("text").asText()).isEqualTo("withdrawn in the ERP");
        assertThat(notes.get(0).path("createdAt").asText()).contains("T");
        assertThat(call("POST", "/sandbox/oa/api/approvals/APR-0/cancel", Map.of("reason", "x")).status()).isEqualTo(404);
    }

    @Test
    void theOaFaultSwitchAppliesToTheApprovalApi() throws Exception {
        call("PUT", "/sandbox/oa/admin/faults", Map.of("mode", "down"));
        assertThat(call("POST", "/sandbox/oa/api/approvals", approval("PR-F-1", 1, 1, 0, "HEAD-PRODUCTION", 10)).status())
                .isEqualTo(503);
        call("PUT", "/sandbox/oa/admin/faults", Map.of("mode", "normal"));
        assertThat(call("GET", "/sandbox/oa/api/approvals?reference=PR-F-1", null).body()).isEmpty();
    }

    // ---- helpers

    private static Map<String, Object> approval(String ref, int version, int step, int level, String group, int quantity) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reference", ref);
        body.put("version", version);
        body.put("fingerprint", "fp-" + ref);
        body.put("step", step);
        body.put("level", level);
        body.put("journey", "PURCHASE_REQUISITION");
        body.put("approverGroup", group);
        body.put("title", "Purchase requisition " + ref);
        body.put("text", "PRODUCTION asks for " + quantity + " PCE of P-1600.");
        body.put("data", Map.of("requisitionNo", ref, "quantity", quantity));
        body.put("dueAt", "2026-12-03T09:15:00Z");
        return body;
    }

    private static Response decide(String id, String decision, String quantity, String comment, String decidedBy) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("decision", decision);
        body.put("quantity", quantity == null ? null : new java.math.BigDecimal(quantity));
        body.put("comment", comment);
        body.put("decidedBy", decidedBy);
        return call("POST", "/sandbox/oa/api/approvals/" + id + "/decision", body);
    }

    private record Response(int status, HttpResponse<String> raw, JsonNode body) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private static Response call(String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        return new Response(response.statusCode(), response, json);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Only the sandbox and the infrastructure it needs; the zonky database plays {@code esbDataSource}. */
    @SpringBootConfiguration
    @ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, JacksonAutoConfiguration.class,
            HttpMessageConvertersAutoConfiguration.class, ServletWebServerFactoryAutoConfiguration.class,
            DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class, ArtemisAutoConfiguration.class,
            JmsAutoConfiguration.class})
    @ComponentScan(basePackages = {"io.conduit.esb.sandbox.crm", "io.conduit.esb.sandbox.erp",
            "io.conduit.esb.sandbox.oa", "io.conduit.esb.sandbox.fault"},
            basePackageClasses = SandboxSchemaConfiguration.class,
            excludeFilters = @ComponentScan.Filter(type = org.springframework.context.annotation.FilterType.REGEX,
                    pattern = "io\\.conduit\\.esb\\.sandbox\\.[A-Za-z]+Test.*"))
    static class SandboxOnlyApplication {

        @Bean
        DataSource esbDataSource() {
            return postgres.getPostgresDatabase();
        }
    }
}
