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
        JsonNode opened = await().atMost(WAIT).until(() -> breakerHops("erp", "BREAKER_OPENED", started), hops -> !hops.isEmpty())
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
        await().atMost(WAIT).until(() -> breakerHops("erp", "BREAKER_CLOSED", started), hops -> !hops.isEmpty());
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

    /**
     * The CRM's API answers 500 to every call of the ESB: the order handoff's acknowledgements fail in the CRM
     * adapter's HTTP call (a toD whose path is an expression), through the CRM's breaker, until it opens - journaled
     * under the CRM's name and shown; the messages it then refuses wait in the retry lane with a reason that still
     * names the CRM's 500. The CRM comes back, a new order's acknowledgement goes through, the breaker closes.
     */
    @Test
    void aFailingCrmOpensItsBreakerWhichIsJournaledAndShownAndClosesAgainOnceItIsBack() {
        Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = "OPP-S" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
            ids.add(id);
            sandbox.createOpportunity(id);
        }
        sandbox.setFault("crm", "failing", 0, 1.0);
        // the salesperson's clicks in the CRM work; only its API answers 500 to the ESB, so each acknowledgement of the
        // order handoff fails at the CRM adapter's HTTP call, through the CRM's breaker (as do the CRM pollers' calls),
        // until it opens
        for (String id : ids) {
            sandbox.http().post().uri("/sandbox/crm/api/opportunities/{id}/win", id)
                    .header("X-Sandbox-Bypass-Faults", "true").retrieve().toBodilessEntity();
        }

        // journaled once, in the machinery, under the system's name
        JsonNode opened = await().atMost(WAIT).until(() -> breakerHops("crm", "BREAKER_OPENED", started),
                hops -> !hops.isEmpty()).get(0);
        assertThat(opened.path("flow").asText()).isEqualTo("systems");
        assertThat(opened.path("target").asText()).isEqualTo("crm");
        assertThat(opened.path("keys").path("system").asText()).isEqualTo("crm");
        assertThat(opened.path("detail").asText()).matches("(CLOSED|HALF_OPEN) -> OPEN.*");

        // an acknowledgement the open breaker refused waits in the retry lane; its reason names the breaker and the
        // CRM's own answer (the operator sees why, not only that the ESB stopped calling)
        await().atMost(WAIT).until(() -> !jdbc.queryForList("""
                SELECT detail FROM esb.journal_entry
                 WHERE at >= ? AND hop = 'FAILED' AND route_id = 'order-handoff.ack-to-crm'
                   AND detail LIKE 'waiting in the retry lane%Circuit breaker of CRM is OPEN: call not attempted; last failure%statusCode: 500%'""",
                String.class, java.sql.Timestamp.from(started)).isEmpty());

        // the JSON form: the transition, the failed calls (counted by the breaker, at the adapter's HTTP call), latency
        JsonNode crm = viewer().get().uri("/api/v1/systems/crm").retrieve().body(JsonNode.class);
        assertThat(crm.path("system").path("transport").asText()).isEqualTo("REST over HTTP");
        List<String> to = new ArrayList<>();
        crm.path("transitions").forEach(t -> to.add(t.path("to").asText()));
        assertThat(to).contains("OPEN");
        List<String> counted = new ArrayList<>();
        crm.path("errors").forEach(e -> {
            if (e.path("counted").asBoolean()) {
                counted.add(e.path("error").asText());
            }
        });
        assertThat(counted).anySatisfy(e -> assertThat(e).contains("statusCode: 500"));
        assertThat(crm.path("system").path("latency").path("calls").asLong()).isPositive();
        String page = viewer().get().uri("/console/systems/crm").retrieve().body(String.class);
        assertThat(page).containsPattern("class=\"transition\" data-from=\"[A-Z_]+\" data-to=\"OPEN\"")
                .contains("class=\"error\"", "statusCode: 500");

        // the CRM is back: a new order's acknowledgement is a trial call that goes through, the breaker closes
        sandbox.setFault("crm", "normal", 0, 0);
        String id = "OPP-S" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        sandbox.createOpportunity(id);
        sandbox.win(id);
        await().atMost(WAIT).until(() -> breakerHops("crm", "BREAKER_CLOSED", started), hops -> !hops.isEmpty());
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(sandbox.opportunity(id).path("erpStatus").asText()).isEqualTo("Booked"));
        // the refused ones waited in the lane and went through too
        await().atMost(WAIT).untilAsserted(() -> assertThat(ids).allSatisfy(waiting ->
                assertThat(sandbox.opportunity(waiting).path("erpStatus").asText()).isEqualTo("Booked")));
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

    /** The journal's entries of that hop for the system since the test began (the writer stores them in batches). */
    private List<JsonNode> breakerHops(String system, String hop, Instant since) {
        JsonNode found = viewer().get().uri("/api/v1/ops/journal?key={system}&hop={hop}&from={from}", system, hop,
                        since.toString())
                .retrieve().body(JsonNode.class);
        List<JsonNode> hops = new ArrayList<>();
        found.forEach(hops::add);
        return hops;
    }
}
