package io.conduit.esb.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.support.Sandbox;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sandbox CRM, ERP and OA as a service of their own, with an ESB that has none in it: from the packaged jar, the
 * infrastructure ({@link SuiteProcesses}), the sandbox ({@code io.conduit.esb.sandbox.SandboxMain}, sandbox.yaml's
 * settings, as the image {@code conduit-sandbox} runs it) and an ESB with {@code ESB_SANDBOX_ENABLED=false} whose
 * sandbox adapters are pointed at that process by environment variables only, the ones docker-compose.sandbox.yml sets
 * (the CRM and OA at its base URLs, the ERP through its database as {@code erp_app}). One order goes the whole way: the
 * sandbox CRM's own webhook (signed, sent by the sandbox process) to the ESB, the sales order in the sandbox ERP, the
 * ERP's order number and status back in the sandbox CRM.
 * <p>
 * In the fault suite's failsafe execution (group {@code fault-suite}): its processes come from the packaged jar.
 */
@Tag("fault-suite")
class SandboxServiceIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final long started = System.nanoTime();

    @Test
    void anEsbWithoutTheSandboxTakesAnOrderFromTheSandboxServiceToItsErpAndBack() throws Exception {
        Path home = Path.of(".").toAbsolutePath().normalize();
        String order = "OPP-SB" + UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT);
        int sandboxPort = freePort();
        String sandbox = "http://localhost:" + sandboxPort;
        try (SuiteProcesses processes = new SuiteProcesses(FaultSuite.jar(home), home,
                home.resolve("target/sandbox-service-it"), List.of(), 1)) {
            processes.startInfrastructure();
            log("PostgreSQL, Kafka and Artemis up");
            log("sandbox service ready after %d ms", processes.startSandbox(sandboxPort, processes.baseUrl(0)));

            // the ESB as docker-compose.sandbox.yml configures the replicas
            Map<String, String> infra = processes.infrastructure();
            processes.esbEnvironment("ESB_SANDBOX_ENABLED", "false");
            processes.esbEnvironment("ESB_CRM_ADAPTER", "sandbox");
            processes.esbEnvironment("CRM_BASE_URL", sandbox + "/sandbox/crm/api");
            processes.esbEnvironment("ESB_ERP_ADAPTER", "sandbox");
            processes.esbEnvironment("ERP_DB_URL", infra.get("ESB_DB_URL"));
            processes.esbEnvironment("ERP_DB_USER", "erp_app");
            processes.esbEnvironment("ERP_DB_PASSWORD", "erp_app");
            processes.esbEnvironment("ESB_OA_ADAPTER", "sandbox");
            processes.esbEnvironment("OA_BASE_URL", sandbox + "/sandbox/oa/api");
            log("ESB ready after %d ms", processes.startEsb());
            assertThat(processes.status("/sandbox/crm/api/ping")).as("the ESB has no sandbox of its own")
                    .isNotEqualTo(200);

            // a salesperson creates the opportunity in the sandbox CRM and wins it: the CRM posts its webhook
            assertThat(call("POST", sandbox + "/sandbox/crm/api/opportunities", """
                    {"opportunityId":"%s","accountNo":"ACC-204","accountName":"Acme GmbH","currencyCode":"EUR",\
                    "amount":"1234.50","deliveryDate":"%s","products":[\
                    {"lineNo":1,"sku":"P-100","productName":"Steel bracket","qty":"10","unitPrice":"100.00"},\
                    {"lineNo":2,"sku":"P-200","productName":"Bolt set","qty":"5","unitPrice":"46.90"}]}"""
                    .formatted(order, Sandbox.deliveryDate())).statusCode()).isEqualTo(201);
            assertThat(call("POST", sandbox + "/sandbox/crm/api/opportunities/" + order + "/win", null).statusCode())
                    .isEqualTo(200);

            // the sales order in the sandbox ERP (written by the ESB as erp_app), its number and status in the CRM
            JsonNode crm = await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(250))
                    .until(() -> json.readTree(call("GET", sandbox + "/sandbox/crm/api/opportunities/" + order, null)
                            .body()), o -> !o.path("erpOrderNo").asText("").isEmpty());
            JsonNode erp = json.readTree(call("GET", sandbox + "/sandbox/erp/sales-orders?extRef=" + order, null)
                    .body());
            log("order %s: ERP %s (%s, %s EUR), CRM shows %s %s", order, erp.path(0).path("soNo").asText(),
                    erp.path(0).path("statCd").asText(), erp.path(0).path("totAmt").asText(),
                    crm.path("erpOrderNo").asText(), crm.path("erpStatus").asText());
            assertThat(erp).hasSize(1);
            assertThat(erp.path(0).path("srcSys").asText()).isEqualTo("CRM");
            assertThat(erp.path(0).path("totAmt").decimalValue()).isEqualByComparingTo("1234.50");
            assertThat(erp.path(0).path("lines")).hasSize(2);
            assertThat(crm.path("erpOrderNo").asText()).isEqualTo(erp.path(0).path("soNo").asText());
            assertThat(crm.path("erpStatus").asText()).isEqualTo("Booked");
        }
        log("done");
    }

    private HttpResponse<String> call(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void log(String format, Object... args) {
        System.out.printf("sandbox-service-it [%5.1f s] %s%n", (System.nanoTime() - started) / 1e9,
                String.format(format, args));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
