package io.conduit.esb.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.support.EsbIntegrationTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Systems page and its JSON form on the whole ESB: the sandbox ERP goes down (its application role may no longer
 * log in), so the ESB's calls to it fail - the inventory feedback's change capture, an order's delivery - until the
 * ERP's circuit breaker opens; the opening is in the journal under the ERP's name, and the page and
 * {@code GET /api/v1/systems/erp} show the transition, the failed calls, the probes that found it down and the calls'
 * latency. The ERP comes back, its probe lets trial calls through, the breaker closes, and that is journaled and shown
 * too.
 */
class SystemsPageIT extends EsbIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aDownErpOpensItsBreakerWhichIsJournaledAndShownAndClosesAgainOnceItIsBack() {
        Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        sandbox.setFault("erp", "down", 0, 0);
        String id = "OPP-S" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        sandbox.createOpportunity(id);
        sandbox.win(id);

        // journaled once, in the machinery, under the system's name
        JsonNode opened = await().atMost(WAIT).until(() -> breakerHops("BREAKER_OPENED", started), hops -> !hops.isEmpty())
                .get(0);
        assertThat(opened.path("flow").asText()).isEqualTo("systems");
        assertThat(opened.path("target").asText()).isEqualTo("erp");
        assertThat(opened.path("keys").path("system").asText()).isEqualTo("erp");
        assertThat(opened.path("detail").asText()).matches("(CLOSED|HALF_OPEN) -> OPEN.*");
        assertThat(opened.path("correlationId").isNull() || opened.path("correlationId").isMissingNode()).isTrue();

        // the JSON form: the transition, the failed calls (counted by the breaker), the probes, the calls' latency
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode erp = viewer().get().uri("/api/v1/systems/erp").retrieve().body(JsonNode.class);
            assertThat(erp.path("system").path("roles").get(0).asText()).isEqualTo("erp");
            assertThat(erp.path("system").path("adapter").asText()).isEqualTo("sandbox");
            assertThat(erp.path("system").path("transport").asText()).startsWith("SQL over JDBC");
            assertThat(erp.path("system").path("endpoint").asText()).isEqualTo("datasource erpDataSource");
            assertThat(erp.path("system").path("health").path("state").asText()).isEqualTo("DOWN");
            List<String> to = new ArrayList<>();
            erp.path("transitions").forEach(t -> to.add(t.path("to").asText()));
            assertThat(to).contains("OPEN");
            assertThat(erp.path("reachability").get(0).path("reachable").asBoolean()).isFalse();
            JsonNode error = erp.path("errors").get(0);
            assertThat(error.path("counted").asBoolean()).isTrue();
            assertThat(error.path("error").asText()).isNotBlank();
            assertThat(error.path("step").asText()).isNotBlank();
            assertThat(erp.path("system").path("latency").path("calls").asLong()).isPositive();
            assertThat(erp.path("system").path("latency").path("p99Ms").asDouble()).isPositive();
        });

        // the page: the ERP's row in the list, the transition and the errors on its own page
        String list = viewer().get().uri("/console/systems").retrieve().body(String.class);
        assertThat(list).contains("id=\"systems-crm\"", "id=\"systems-erp\"", "id=\"systems-oa\"",
                "class=\"health-strip\"", "REST over HTTP", "SQL over JDBC");
        String page = viewer().get().uri("/console/systems/erp").retrieve().body(String.class);
        assertThat(page).contains("id=\"transitions\"")
                .containsPattern("class=\"transition\" data-from=\"[A-Z_]+\" data-to=\"OPEN\"")
                .contains("class=\"error\"", "class=\"probe down\"",
                        "href=\"/console/journal?key=erp&amp;view=list\"");

        // the ERP is back: its probe lets trial calls through (the change capture polls it), the breaker closes
        sandbox.setFault("erp", "normal", 0, 0);
        await().atMost(WAIT).until(() -> breakerHops("BREAKER_CLOSED", started), hops -> !hops.isEmpty());
        await().atMost(WAIT).untilAsserted(() -> {
            String back = viewer().get().uri("/console/systems/erp").retrieve().body(String.class);
            assertThat(back).containsPattern("class=\"transition\" data-from=\"HALF_OPEN\" data-to=\"CLOSED\"")
                    .containsPattern("id=\"breaker-state\" class=\"state breaker-CLOSED\"");
        });
        // the order waited and went through
        await().atMost(WAIT).until(() -> !jdbc.queryForList(
                "SELECT so_no FROM erp.so_stage_hdr WHERE ext_ref = ? AND so_no IS NOT NULL", String.class, id).isEmpty());
        // the journal search the page links to finds every transition by the ERP's name
        JsonNode all = viewer().get().uri("/api/v1/ops/journal?key=erp&flow=systems&from={from}", started.toString())
                .retrieve().body(JsonNode.class);
        List<String> hops = new ArrayList<>();
        all.forEach(h -> hops.add(h.path("hop").asText()));
        assertThat(hops).contains("BREAKER_OPENED", "BREAKER_HALF_OPEN", "BREAKER_CLOSED");
    }

    @Test
    void anUndeclaredSystemIsNotFound() {
        var api = viewer().get().uri("/api/v1/systems/nope").retrieve().toEntity(String.class);
        assertThat(api.getStatusCode().value()).isEqualTo(404);
        assertThat(api.getBody()).contains("urn:conduit:problem:not-found");
        var page = viewer().get().uri("/console/systems/nope").retrieve().toEntity(String.class);
        assertThat(page.getStatusCode().value()).isEqualTo(404);
        assertThat(page.getBody()).contains("id=\"no-system\"").containsPattern("Systems: <span>[a-z, ]*crm[a-z, ]*</span>");
    }

    /** The journal's entries of that hop for the ERP since the test began (the writer stores them in batches). */
    private List<JsonNode> breakerHops(String hop, Instant since) {
        JsonNode found = viewer().get().uri("/api/v1/ops/journal?key=erp&hop={hop}&from={from}", hop, since.toString())
                .retrieve().body(JsonNode.class);
        List<JsonNode> hops = new ArrayList<>();
        found.forEach(hops::add);
        return hops;
    }
}
