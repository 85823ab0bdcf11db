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
import org.postgresql.ds.PGSimpleDataSource;
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
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sandbox CRM, ERP and OA over HTTP and JMS, in a Spring Boot context holding only the sandbox (web MVC, Jackson,
 * Spring Boot's embedded Artemis, a zonky PostgreSQL as {@code esbDataSource}), so it runs without the ESB's
 * embedded infrastructure and routes. A test controller plays the ESB's webhook endpoint.
 */
class SandboxApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static EmbeddedPostgres postgres;
    private static ConfigurableApplicationContext context;
    private static String baseUrl;
    private static WebhookReceiver receiver;

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
                        "--esb.sandbox.crm.webhook-url=" + baseUrl + "/test/webhooks",
                        "--esb.sandbox.crm.webhook-backoff-ms=50",
                        "--esb.sandbox.faults.retry-after-seconds=3");
        receiver = context.getBean(WebhookReceiver.class);
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
        for (String system : List.of("crm", "erp", "oa")) {
            call("PUT", "/sandbox/" + system + "/admin/faults", Map.of("mode", "normal"));
        }
        receiver.failuresLeft.set(0);
    }

    // ---- CRM -------------------------------------------------------------------------------------------------

    @Test
    void crmCreatesReadsAndValidatesOpportunities() throws Exception {
        Response created = call("POST", "/sandbox/crm/api/opportunities", opportunity(null));

        assertThat(created.status()).isEqualTo(201);
        String id = created.body().path("opportunityId").asText();
        assertThat(id).matches("OPP-\\d+");
        assertThat(created.header("Location")).endsWith("/sandbox/crm/api/opportunities/" + id);
        assertThat(created.body().path("stage").asText()).isEqualTo("Prospecting");
        assertThat(created.body().path("revision").asInt()).isEqualTo(1);
        assertThat(created.body().path("amount").asText()).isEqualTo("1250.00");
        assertThat(created.body().path("products").get(1).path("lineNo").asInt()).isEqualTo(2);
        assertThat(created.body().path("products").get(1).path("qty").asText()).as("plain decimal").isEqualTo("5");
        assertThat(created.body().has("erpOrderNo")).isTrue();

        Response read = call("GET", "/sandbox/crm/api/opportunities/" + id, null);
        assertThat(read.body().path("products").get(0).path("qty").asText()).isEqualTo("2");
        assertThat(call("GET", "/sandbox/crm/api/opportunities?stage=Prospecting", null).body().findValuesAsText("opportunityId"))
                .contains(id);

        Response invalid = call("POST", "/sandbox/crm/api/opportunities", Map.of("accountNo", "C-1", "products", List.of()));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.header("Content-Type")).startsWith("application/problem+json");
        assertThat(invalid.body().path("missingFields").toString())
                .contains("accountName", "currencyCode", "amount", "products");

        Response missing = call("GET", "/sandbox/crm/api/opportunities/OPP-NOPE", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
        assertThat(missing.body().path("title").asText()).isEqualTo("Opportunity not found");

        assertThat(call("POST", "/sandbox/crm/api/opportunities", opportunity(id)).status()).isEqualTo(409);
    }

    @Test
    void winningFiresTheWebhookWithRetriesAndResendRepeatsTheSameEvent() throws Exception {
        String id = call("POST", "/sandbox/crm/api/opportunities", opportunity("OPP-WIN-1")).body().path("opportunityId").asText();
        receiver.failuresLeft.set(1);

        Response won = call("POST", "/sandbox/crm/api/opportunities/" + id + "/win", null);

        assertThat(won.status()).isEqualTo(200);
        assertThat(won.body().path("stage").asText()).isEqualTo("Closed Won");
        assertThat(won.body().path("revision").asInt()).isEqualTo(2);
        assertThat(won.body().path("closeDate").isNull()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.accepted(id).size() == 1);
        JsonNode event = receiver.accepted(id).get(0);
        assertThat(event.path("eventId").asText()).startsWith("wh-");
        assertThat(event.path("eventType").asText()).isEqualTo("opportunity.closed_won");
        assertThat(event.path("occurredAt").asText()).endsWith("Z");
        assertThat(event.path("data").path("revision").asInt()).isEqualTo(2);
        assertThat(event.path("data").path("products").size()).isEqualTo(2);
        String deliveriesPath = "/sandbox/crm/api/opportunities/" + id + "/webhook/deliveries";
        await().atMost(Duration.ofSeconds(10)).until(() -> call("GET", deliveriesPath, null).body().size() == 2);
        JsonNode deliveries = call("GET", deliveriesPath, null).body();
        assertThat(deliveries.findValues("httpStatus")).extracting(JsonNode::asInt).containsExactly(500, 204);
        assertThat(deliveries.findValues("error")).extracting(JsonNode::asText).containsExactly("HTTP 500", "null");
        assertThat(deliveries.findValues("attempt")).extracting(JsonNode::asInt).containsExactly(1, 2);

        Response resent = call("POST", "/sandbox/crm/api/opportunities/" + id + "/webhook/resend", null);

        assertThat(resent.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.accepted(id).size() == 2);
        assertThat(receiver.accepted(id).get(1)).isEqualTo(event);
        assertThat(call("POST", "/sandbox/crm/api/opportunities/" + id + "/win", null).status()).isEqualTo(409);
    }

    @Test
    void editingAWonOpportunityAnnouncesTheNewRevision() throws Exception {
        String id = call("POST", "/sandbox/crm/api/opportunities", opportunity("OPP-EDIT-1")).body().path("opportunityId").asText();
        call("POST", "/sandbox/crm/api/opportunities/" + id + "/win", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.accepted(id).size() == 1);

        Map<String, Object> edited = opportunity(id);
        edited.put("amount", "1300.00");
        Response replaced = call("PUT", "/sandbox/crm/api/opportunities/" + id, edited);

        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.body().path("revision").asInt()).isEqualTo(3);
        assertThat(replaced.body().path("stage").asText()).isEqualTo("Closed Won");
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.accepted(id).size() == 2);
        JsonNode second = receiver.accepted(id).get(1);
        assertThat(second.path("data").path("revision").asInt()).isEqualTo(3);
        assertThat(second.path("data").path("amount").asText()).isEqualTo("1300.00");
        assertThat(second.path("eventId").asText()).isNotEqualTo(receiver.accepted(id).get(0).path("eventId").asText());
    }

    @Test
    void erpStatusUpdatesAreStoredAndCounted() throws Exception {
        String id = call("POST", "/sandbox/crm/api/opportunities", opportunity("OPP-PATCH-1")).body().path("opportunityId").asText();

        Response first = call("PATCH", "/sandbox/crm/api/opportunities/" + id,
                Map.of("erpOrderNo", "SO0000001", "erpStatus", "NEW", "erpSyncedAt", "2025-03-01T10:15:30Z"));
        Response second = call("PATCH", "/sandbox/crm/api/opportunities/" + id, Map.of("erpStatus", "REL"));
        Response rejected = call("PATCH", "/sandbox/crm/api/opportunities/" + id, Map.of("stage", "Closed Lost"));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().path("erpSyncedAt").asText()).isEqualTo("2025-03-01T10:15:30Z");
        assertThat(first.body().path("revision").asInt()).as("status updates are not edits").isEqualTo(1);
        assertThat(second.body().path("erpOrderNo").asText()).isEqualTo("SO0000001");
        assertThat(second.body().path("erpStatus").asText()).isEqualTo("REL");
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.body().path("invalidFields").has("stage")).isTrue();
        JsonNode history = call("GET", "/sandbox/crm/api/opportunities/" + id + "/erp-status-history", null).body();
        assertThat(history.findValuesAsText("erpStatus")).containsExactly("NEW", "REL");
        assertThat(history.findValuesAsText("erpOrderNo")).containsExactly("SO0000001", "SO0000001");
    }

    @Test
    void anErpStatusOlderThanTheOneTheOpportunityHoldsIsRefusedAndChangesNothing() throws Exception {
        String id = call("POST", "/sandbox/crm/api/opportunities", opportunity("OPP-PATCH-2")).body().path("opportunityId").asText();
        call("PATCH", "/sandbox/crm/api/opportunities/" + id,
                Map.of("erpOrderNo", "SO0000002", "erpStatus", "In Production", "erpSyncedAt", "2025-03-01T10:15:31Z"));

        // the answer to a request the caller gave up on long ago: older than what the CRM now shows
        Response late = call("PATCH", "/sandbox/crm/api/opportunities/" + id,
                Map.of("erpOrderNo", "SO0000002", "erpStatus", "Booked", "erpSyncedAt", "2025-03-01T10:15:30Z"));
        Response same = call("PATCH", "/sandbox/crm/api/opportunities/" + id,
                Map.of("erpOrderNo", "SO0000002", "erpStatus", "In Production", "erpSyncedAt", "2025-03-01T10:15:31Z"));

        assertThat(late.status()).isEqualTo(409);
        assertThat(late.body().path("type").asText()).isEqualTo("urn:conduit:sandbox:problem:stale-update");
        assertThat(same.status()).as("the same state again is fine").isEqualTo(200);
        JsonNode opportunity = call("GET", "/sandbox/crm/api/opportunities/" + id, null).body();
        assertThat(opportunity.path("erpStatus").asText()).isEqualTo("In Production");
        JsonNode history = call("GET", "/sandbox/crm/api/opportunities/" + id + "/erp-status-history", null).body();
        assertThat(history.findValuesAsText("erpStatus")).containsExactly("In Production", "In Production");
    }

    @Test
    void crmFaultsApplyToTheApiButNotToTheAdminPaths() throws Exception {
        Response failing = call("PUT", "/sandbox/crm/admin/faults", Map.of("mode", "failing", "errorRate", 1.0));
        assertThat(failing.body()).isEqualTo(JSON.readTree("{\"mode\":\"failing\",\"latencyMs\":0,\"errorRate\":1.0,\"timeoutRate\":0.0}"));
        Response failed = call("GET", "/sandbox/crm/api/opportunities", null);
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.header("Content-Type")).startsWith("application/problem+json");

        call("PUT", "/sandbox/crm/admin/faults", Map.of("mode", "down"));
        Response down = call("GET", "/sandbox/crm/api/opportunities", null);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.header("Retry-After")).isEqualTo("3");
        assertThat(call("GET", "/sandbox/crm/admin/faults", null).body().path("mode").asText()).isEqualTo("down");

        call("PUT", "/sandbox/crm/admin/faults", Map.of("mode", "slow", "latencyMs", 300));
        long started = System.nanoTime();
        assertThat(call("GET", "/sandbox/crm/api/opportunities", null).status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        Response invalid = call("PUT", "/sandbox/crm/admin/faults", Map.of("mode", "exploding"));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body().path("detail").asText()).contains("unknown fault mode");
    }

    // ---- ERP -------------------------------------------------------------------------------------------------

    @Test
    void erpFaultsAndSalesOrderViewWorkOverHttp() throws Exception {
        Response down = call("PUT", "/sandbox/erp/admin/faults", Map.of("mode", "down"));
        assertThat(down.status()).isEqualTo(200);
        assertThat(call("GET", "/sandbox/erp/admin/faults", null).body().path("mode").asText()).isEqualTo("down");
        assertThat(new JdbcTemplate(postgres.getPostgresDatabase())
                .queryForObject("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'erp_app'", Boolean.class)).isFalse();
        call("PUT", "/sandbox/erp/admin/faults", Map.of("mode", "normal"));

        JdbcTemplate erpApp = new JdbcTemplate(erpAppDataSource());
        String soNo = erpApp.queryForObject("""
                INSERT INTO erp.so_stage_hdr (ext_ref, ext_rev, src_sys, cust_no, ord_date, curr_cd, tot_amt)
                VALUES ('OPP-ERP-VIEW', 1, 'CRM', 'C-1', current_date, 'EUR', 10) RETURNING so_no""", String.class);

        JsonNode orders = call("GET", "/sandbox/erp/sales-orders?extRef=OPP-ERP-VIEW", null).body();
        assertThat(orders.findValuesAsText("soNo")).containsExactly(soNo);
        Response moved = call("POST", "/sandbox/erp/sales-orders/" + soNo + "/status", Map.of("statCd", "PRD"));
        assertThat(moved.body().path("statCd").asText()).isEqualTo("PRD");
        assertThat(call("POST", "/sandbox/erp/sales-orders/" + soNo + "/status", Map.of("statCd", "XXX")).status()).isEqualTo(400);
        assertThat(call("GET", "/sandbox/erp/sales-orders/SO9999999", null).status()).isEqualTo(404);

        call("PUT", "/sandbox/erp/admin/faults", Map.of("mode", "failing"));
        Response failed = call("POST", "/sandbox/erp/sales-orders/" + soNo + "/status", Map.of("statCd", "SHP"));
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.body().path("detail").asText()).contains("ERP-SIM");
    }

    // ---- OA --------------------------------------------------------------------------------------------------

    @Test
    void oaStoresTaskMessagesWithTheirPriorityAndWaitsWhileDown() throws Exception {
        JmsTemplate jms = new JmsTemplate(context.getBean(jakarta.jms.ConnectionFactory.class));
        jms.setExplicitQosEnabled(true);
        jms.setPriority(7);
        jms.convertAndSend("OA.TASKS.IN",
                "{\"queue\":\"SALES-OPS\",\"title\":\"Check credit\",\"body\":{\"amount\":\"10.00\"},\"externalRef\":\"OPP-T-1\"}");

        await().atMost(Duration.ofSeconds(10)).until(() -> call("GET", "/sandbox/oa/api/tasks?queue=SALES-OPS", null)
                .body().findValuesAsText("externalRef").contains("OPP-T-1"));
        JsonNode task = call("GET", "/sandbox/oa/api/tasks?queue=SALES-OPS", null).body().get(0);
        assertThat(task.path("taskId").asText()).matches("TSK-\\d+");
        assertThat(task.path("priority").asInt()).isEqualTo(7);
        assertThat(task.path("status").asText()).isEqualTo("OPEN");
        assertThat(task.path("body").path("amount").asText()).isEqualTo("10.00");
        Response done = call("PATCH", "/sandbox/oa/api/tasks/" + task.path("taskId").asText(), Map.of("status", "DONE"));
        assertThat(done.body().path("status").asText()).isEqualTo("DONE");

        call("PUT", "/sandbox/oa/admin/faults", Map.of("mode", "down"));
        jms.convertAndSend("OA.TASKS.IN", "{\"department\":\"HR\",\"title\":\"While down\",\"externalRef\":\"OPP-T-2\"}");
        assertThat(call("GET", "/sandbox/oa/api/tasks", null).status()).isEqualTo(503);
        // while the OA is down the message is not consumed into the OA: it stays with the broker
        org.springframework.jdbc.core.JdbcTemplate oaDb = new org.springframework.jdbc.core.JdbcTemplate(postgres.getPostgresDatabase());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> oaDb.queryForObject(
                "SELECT count(*) FROM sandbox_oa.task WHERE external_ref = 'OPP-T-2'", Integer.class) == 0);

        call("PUT", "/sandbox/oa/admin/faults", Map.of("mode", "normal"));
        await().atMost(Duration.ofSeconds(10)).until(() -> call("GET", "/sandbox/oa/api/tasks?queue=HR", null)
                .body().findValuesAsText("externalRef").contains("OPP-T-2"));
    }

    @Test
    void oaManagesAccountsAndPublishesHrEvents() throws Exception {
        Response created = call("POST", "/sandbox/oa/api/accounts",
                Map.of("employeeNo", "E-1001", "displayName", "Ada Lovelace", "email", "ada@example.com"));
        assertThat(created.status()).isEqualTo(201);
        String accountId = created.body().path("accountId").asText();
        assertThat(accountId).matches("OA-\\d+");
        assertThat(created.body().path("login").asText()).isEqualTo("e-1001");
        assertThat(created.body().path("active").asBoolean()).isTrue();

        Response duplicate = call("POST", "/sandbox/oa/api/accounts", Map.of("employeeNo", "E-1001", "displayName", "Ada"));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.body().path("accountId").asText()).isEqualTo(accountId);

        Response deactivated = call("PATCH", "/sandbox/oa/api/accounts/" + accountId, Map.of("active", false));
        assertThat(deactivated.body().path("active").asBoolean()).isFalse();
        assertThat(call("PATCH", "/sandbox/oa/api/accounts/" + accountId, Map.of("employeeNo", "X")).status()).isEqualTo(400);
        assertThat(call("GET", "/sandbox/oa/api/accounts?employeeNo=E-1001", null).body().findValuesAsText("accountId"))
                .containsExactly(accountId);

        Response published = call("POST", "/sandbox/oa/api/hr-events", Map.of("type", "HIRE", "employeeNo", "E-2002",
                "fullName", "Grace Hopper", "email", "grace@example.com", "department", "ENG", "effectiveDate", "2025-04-01"));
        assertThat(published.status()).isEqualTo(201);
        JmsTemplate jms = new JmsTemplate(context.getBean(jakarta.jms.ConnectionFactory.class));
        jms.setReceiveTimeout(5000);
        Message message = jms.receive("OA.HR.EVENTS");
        assertThat(message).isInstanceOf(TextMessage.class);
        assertThat(message.getStringProperty("eventType")).isEqualTo("HIRE");
        JsonNode event = JSON.readTree(((TextMessage) message).getText());
        assertThat(event.path("eventId").asText()).isEqualTo(published.body().path("eventId").asText());
        assertThat(event.path("employeeNo").asText()).isEqualTo("E-2002");
        assertThat(event.path("effectiveDate").asText()).isEqualTo("2025-04-01");

        assertThat(call("POST", "/sandbox/oa/api/hr-events", Map.of("type", "HIRE", "employeeNo", "E-3")).body()
                .path("missingFields").toString()).contains("fullName");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static Map<String, Object> opportunity(String id) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        if (id != null) {
            body.put("opportunityId", id);
        }
        body.put("accountNo", "C-1001");
        body.put("accountName", "ACME Hydraulics");
        body.put("currencyCode", "EUR");
        body.put("amount", "1250.00");
        body.put("deliveryDate", "2025-06-30");
        body.put("products", List.of(
                Map.of("lineNo", 1, "sku", "P-100", "productName", "Hydraulic pump HP-10", "qty", "2", "unitPrice", "500.00"),
                Map.of("sku", "P-1100", "productName", "Hose assembly", "qty", "0.5e1", "unitPrice", "50")));
        return body;
    }

    private static DataSource erpAppDataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"localhost"});
        ds.setPortNumbers(new int[] {postgres.getPort()});
        ds.setDatabaseName("postgres");
        ds.setUser("erp_app");
        ds.setPassword("erp_app");
        return ds;
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

        @Bean
        WebhookReceiver webhookReceiver() {
            return new WebhookReceiver();
        }
    }

    /** Plays the ESB's webhook endpoint: fails the first {@code failuresLeft} deliveries, records the others. */
    @RestController
    static class WebhookReceiver {

        final AtomicInteger failuresLeft = new AtomicInteger();
        final List<JsonNode> received = new CopyOnWriteArrayList<>();

        @PostMapping("/test/webhooks")
        ResponseEntity<Void> receive(@RequestBody JsonNode event, @RequestHeader("X-Webhook-Event-Id") String eventId) {
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return ResponseEntity.internalServerError().build();
            }
            assertThat(eventId).isEqualTo(event.path("eventId").asText());
            received.add(event);
            return ResponseEntity.noContent().build();
        }

        List<JsonNode> accepted(String opportunityId) {
            return received.stream().filter(e -> e.path("data").path("opportunityId").asText().equals(opportunityId)).toList();
        }
    }
}
