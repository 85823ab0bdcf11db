package io.conduit.esb.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.yaml.snakeyaml.Yaml;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox as a service of its own ({@link SandboxMain}): its settings file (sandbox.yaml) agrees with the settings
 * the sandbox takes inside the embedded ESB (queues, the webhook secret, the webhook paths, the quote rule), and the
 * application starts with nothing but the sandbox in it, on its own settings, against a PostgreSQL given by settings:
 * its APIs and fault switches answer and the ERP's schema and login exist for an ESB to use. The whole way with an ESB
 * (processes from the packaged jar): {@code SandboxServiceIT}.
 */
class SandboxServiceTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void itsSettingsAgreeWithTheSandboxsSettingsInsideTheEsb() throws IOException {
        Map<String, Object> sandbox = yaml("src/embedded/resources/sandbox.yaml");
        Map<String, Object> application = yaml("src/main/resources/application.yaml");
        Map<String, Object> complaints = yaml("src/main/resources/flows/complaint-routing.yaml");
        Map<String, Object> approvals = yaml("src/main/resources/flows/approvals.yaml");
        Map<String, Object> onboarding = yaml("src/main/resources/flows/employee-onboarding.yaml");
        Map<String, Object> intake = yaml("src/main/resources/config/intake.yaml");

        assertThat(queues(get(sandbox, "esb.sandbox.oa.department-queues")))
                .isEqualTo(queues(get(complaints, "esb.sandbox.oa.department-queues")));
        // the same variables and defaults as the ESB's queues
        assertThat(get(sandbox, "esb.sandbox.oa.task-event-queue")).isEqualTo(get(complaints, "esb.queues.oa-task-events"));
        assertThat(get(sandbox, "esb.sandbox.oa.approval-decision-queue"))
                .isEqualTo(get(approvals, "esb.queues.oa-approval-decisions"));
        assertThat(get(sandbox, "esb.sandbox.oa.hr-event-queue")).isEqualTo(get(onboarding, "esb.queues.hr-events"));
        assertThat(get(sandbox, "esb.sandbox.oa.onboarding-done-queue"))
                .isEqualTo(get(onboarding, "esb.queues.onboarding-done"));
        // signed with the ESB's key for source crm, posted to the ESB's intake paths
        assertThat(get(sandbox, "esb.sandbox.crm.webhook-secret"))
                .isEqualTo(get(intake, "esb.intake.sources.crm.keys.crm1"));
        assertThat(path(get(sandbox, "esb.sandbox.crm.webhook-url")))
                .isEqualTo(path(get(application, "esb.sandbox.crm.webhook-url")));
        assertThat(path(get(sandbox, "esb.sandbox.crm.case-webhook-url")))
                .isEqualTo(path(get(complaints, "esb.sandbox.crm.case-webhook-url")));
        assertThat(get(sandbox, "esb.sandbox.crm.quotes")).isEqualTo(get(application, "esb.sandbox.crm.quotes"));
        // the ESB reaches it where its sandbox adapters' defaults point, on the sandbox's own port
        assertThat(path(get(application, "esb.systems.crm.base-url"))).isEqualTo("/sandbox/crm/api");
        assertThat(path(get(application, "esb.systems.oa.base-url"))).isEqualTo("/sandbox/oa/api");
        assertThat(get(sandbox, "server.port")).isEqualTo("${SANDBOX_PORT:8090}");
        assertThat(get(sandbox, "esb.sandbox.enabled")).isEqualTo(true);
    }

    @Test
    void startsWithOnlyTheSandboxOnItsOwnSettingsAndMigratesTheSchemasForAnEsb() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            int port = freePort();
            String base = "http://localhost:" + port;
            String jdbcUrl = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            try (ConfigurableApplicationContext context = SandboxMain.run("--server.port=" + port,
                    "--spring.datasource.url=" + jdbcUrl,
                    "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                    // Spring Boot's in-JVM broker stands for the ESB's Artemis here
                    "--spring.artemis.mode=embedded")) {
                // sandbox.yaml, not the ESB's application.yaml; no ESB in it
                assertThat(context.getEnvironment().getProperty("spring.application.name")).isEqualTo("conduit-sandbox");
                assertThat(context.getEnvironment().getProperty("esb.sandbox.crm.webhook-url"))
                        .isEqualTo("http://localhost:8080/api/v1/crm/webhooks/opportunity-won");
                assertThat(context.getBeanNamesForType(CamelContext.class)).isEmpty();
                assertThat(context.getBeansOfType(DataSource.class)).containsOnlyKeys("esbDataSource");

                assertThat(get(base + "/sandbox/crm/api/ping").statusCode()).isEqualTo(200);
                assertThat(get(base + "/sandbox/oa/api/ping").statusCode()).isEqualTo(200);
                HttpResponse<String> faults = get(base + "/sandbox/erp/admin/faults");
                assertThat(faults.statusCode()).isEqualTo(200);
                JsonNode mode = new ObjectMapper().readTree(faults.body()).path("mode");
                assertThat(mode.asText()).isEqualToIgnoringCase("normal");
                assertThat(get(base + "/sandbox/erp/sales-orders").body()).isEqualTo("[]");
            }
            // the ERP as the ESB's sandbox ERP adapter reaches it: its login, its staging tables
            try (Connection erp = DriverManager.getConnection(jdbcUrl, "erp_app", "erp_app");
                 Statement statement = erp.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT count(*) FROM erp.so_stage_hdr")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isZero();
            }
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String file) throws IOException {
        return new Yaml().load(Files.readString(Path.of(file)));
    }

    @SuppressWarnings("unchecked")
    private static Object get(Map<String, Object> tree, String dotted) {
        Object node = tree;
        for (String key : dotted.split("\\.")) {
            assertThat(node).as("%s: %s", dotted, key).isInstanceOf(Map.class);
            node = ((Map<String, Object>) node).get(key);
        }
        assertThat(node).as(dotted).isNotNull();
        return node;
    }

    private static List<String> queues(Object list) {
        return Arrays.stream(list.toString().split(",")).map(String::trim).filter(q -> !q.isEmpty()).toList();
    }

    /** The path of a URL setting, after its host part ({@code ${...}} placeholders included). */
    private static String path(Object url) {
        String text = url.toString();
        int api = text.indexOf("/sandbox/");
        if (api < 0) {
            api = text.indexOf("/api/");
        }
        return text.substring(api).replaceAll("}+$", "");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
