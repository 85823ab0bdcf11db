package io.conduit.esb.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.support.EsbIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.Status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health per connected system and per flow, the overview of the console, and the Prometheus metrics the Grafana
 * dashboard in ops/grafana is built on.
 */
class OpsHealthIT extends EsbIntegrationTest {

    @Autowired
    HealthEndpointGroups healthGroups;

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    FlowMonitor flowMonitor;

    @BeforeEach
    void startTheFlowsWindowsAfresh() {
        // the ESB is shared by the ITs: an earlier test's deliberate failures (a CRM answering 500, a breaker open)
        // stay in the five-minute error-rate window and would make order-handoff DEGRADED here (seen in CI)
        flowMonitor.restartWindow();
    }

    @Test
    void overviewShowsEveryFlowAndSystem() {
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode overview = viewer().get().uri("/api/v1/ops/overview").retrieve().body(JsonNode.class);
            List<String> flows = new ArrayList<>();
            overview.path("flows").forEach(f -> flows.add(f.path("flow").asText()));
            assertThat(flows).contains("order-handoff", "complaint-routing", "employee-onboarding",
                    "inventory-feedback", "partner-intake");
            // an adapter's ports are part of the flow that calls them, not flows of their own
            assertThat(flows).doesNotContain("erp-sandbox", "oa-sandbox");
            JsonNode orderHandoff = find(overview.path("flows"), "flow", "order-handoff");
            assertThat(orderHandoff.path("state").asText()).as(orderHandoff.toString()).isEqualTo("UP");
            assertThat(orderHandoff.path("routesStarted").asInt()).isEqualTo(orderHandoff.path("routesTotal").asInt())
                    .isPositive();
            assertThat(orderHandoff.path("throughputHistory").isArray()).isTrue();
            for (String system : List.of("crm", "erp", "oa")) {
                JsonNode s = find(overview.path("systems"), "system", system);
                assertThat(s.path("reachable").asBoolean()).as(system).isTrue();
                assertThat(s.path("breakerState").asText()).as(system).isEqualTo("CLOSED");
            }
        });
    }

    @Test
    void aSystemThatIsDownIsReportedButDoesNotMakeTheEsbUnready() {
        sandbox.setFault("oa", "down", 0, 0);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode oa = viewer().get().uri("/actuator/health/systems/oa").retrieve().body(JsonNode.class);
            assertThat(oa.path("status").asText()).isEqualTo("DOWN");
            assertThat(oa.path("details").path("reachable").asBoolean()).isFalse();
            assertThat(oa.path("details").path("detail").asText()).contains("503");
        });
        assertThat(viewer().get().uri("/actuator/health/readiness").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(200);
        sandbox.setFault("oa", "normal", 0, 0);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode oa = viewer().get().uri("/actuator/health/systems/oa").retrieve().body(JsonNode.class);
            assertThat(oa.path("status").asText()).isEqualTo("UP");
            assertThat(oa.path("details").path("latencyMs").isNumber()).isTrue();
        });
    }

    @Test
    void aDownReadinessIsAnswered503AndTheGroupHasTheRouteFiles() {
        // a mapping given for DEGRADED alone had replaced Spring Boot's defaults: readiness DOWN was answered 200, so
        // an orchestrator saw a starting ESB as ready
        HealthEndpointGroup readiness = healthGroups.get("readiness");
        assertThat(readiness.getHttpCodeStatusMapper().getStatusCode(Status.DOWN)).isEqualTo(503);
        assertThat(readiness.getHttpCodeStatusMapper().getStatusCode(Status.OUT_OF_SERVICE)).isEqualTo(503);
        assertThat(healthGroups.getPrimary().getHttpCodeStatusMapper().getStatusCode(new Status("DEGRADED")))
                .isEqualTo(200);
        assertThat(readiness.isMember("routeFiles")).isTrue();
        assertThat(readiness.isMember("systems")).isFalse();
        // the ESB's own database, not a system's (the sandbox ERP is reached through its database)
        assertThat(readiness.isMember("db/esbDataSource")).isTrue();
        assertThat(readiness.isMember("db/erpDataSource")).isFalse();
    }

    @Test
    void readinessCountsEveryRouteFileAndItsRoutes() {
        // in the readiness group (management.endpoint.health.group.readiness.include); its details, for a VIEWER:
        JsonNode routeFiles = viewer().get().uri("/actuator/health/routeFiles").retrieve().body(JsonNode.class);
        assertThat(routeFiles.path("status").asText()).isEqualTo("UP");
        // the flows' files and the chosen adapters' files (sandbox ERP, OA, CRM)
        assertThat(routeFiles.path("details").path("files").asInt()).isGreaterThanOrEqualTo(10);
        assertThat(routeFiles.path("details").path("routes").asInt()).isGreaterThan(40);
    }

    @Test
    void everyFlowHasAHealthEntry() {
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode flows = viewer().get().uri("/actuator/health/flows").retrieve().body(JsonNode.class);
            assertThat(flows.path("components").path("order-handoff").path("status").asText())
                    .as(flows.path("components").path("order-handoff").toString()).isEqualTo("UP");
            assertThat(flows.path("components").path("order-handoff").path("details").has("backlog")).isTrue();
            assertThat(flows.path("components").has("erp-sandbox")).isFalse();
        });
    }

    @Test
    void prometheusCarriesFlowTaggedRouteMetricsHistogramsAndBreakers() {
        await().atMost(WAIT).untilAsserted(() -> {
            String metrics = viewer().get().uri("/actuator/prometheus").retrieve().body(String.class);
            assertThat(metrics).contains("camel_route_policy_seconds_bucket{")
                    .containsPattern("camel_exchanges_total\\{[^}]*flow=\"order-handoff\"[^}]*routeId=\"order-handoff\\.")
                    .contains("resilience4j_circuitbreaker_state{", "name=\"erp\"")
                    .containsPattern("esb_flow_parked\\{[^}]*flow=\"order-handoff\"")
                    .containsPattern("esb_system_reachable\\{[^}]*system=\"crm\"");
        });
    }

    /** Every metric the Grafana dashboard queries is one this application exposes. */
    @Test
    void grafanaDashboardQueriesOnlyMetricsTheEsbExposes() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(Path.of("ops/grafana/conduit-esb-dashboard.json")));
        Set<String> referenced = new TreeSet<>();
        collectMetricNames(dashboard, referenced);
        assertThat(referenced).isNotEmpty();
        // counters Micrometer registers on their first event (a redelivery, a parked or replayed message)
        Set<String> onFirstEvent = Set.of("esb_redeliveries_total", "esb_messages_parked_total",
                "esb_messages_replayed_total");
        await().atMost(WAIT).untilAsserted(() -> {
            String metrics = viewer().get().uri("/actuator/prometheus").retrieve().body(String.class);
            Set<String> exposed = new TreeSet<>();
            for (String line : metrics.split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    exposed.add(line.split("[{ ]", 2)[0]);
                }
            }
            List<String> missing = referenced.stream()
                    .filter(m -> !exposed.contains(m) && !onFirstEvent.contains(m)).toList();
            assertThat(missing).as("metrics the dashboard queries but the ESB does not expose").isEmpty();
        });
    }

    private static final Pattern METRIC = Pattern.compile("\\b((?:camel|esb|resilience4j)_[a-z0-9_]+)");

    private static void collectMetricNames(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if ((e.getKey().equals("expr") || e.getKey().equals("definition")) && e.getValue().isTextual()) {
                    Matcher m = METRIC.matcher(e.getValue().asText());
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                } else {
                    collectMetricNames(e.getValue(), names);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectMetricNames(n, names));
        }
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText())) {
                return n;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array);
    }
}
