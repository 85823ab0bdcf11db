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
 * The Systems page and its JSON form on the whole ESB: the sandbox CRM fails every call of the ESB, the order
 * handoff's acknowledgements to it fail until the CRM's circuit breaker opens; the opening is in the journal under
 * the CRM's name, and the page and {@code GET /api/v1/systems/crm} show the transition, the failed calls and the
 * latency of the calls. The CRM comes back, a new order's acknowledgement goes through, the breaker closes, and that
 * is journaled and shown too.
 */
class SystemsPageIT extends EsbIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aFailingCrmOpensItsBreakerWhichIsJournaledAndShownAndClosesAgainOnceItIsBack() {
        Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        sandbox.setFault("crm", "failing", 0, 1.0);
        // the salesperson's clicks in the CRM work; only its API answers 500 to the ESB, so each acknowledgement of the
        // order handoff fails at the CRM, redelivered, through the CRM's breaker (10 calls, half failed, open it)
        for (int i = 0; i < 3; i++) {
            String id = "OPP-S" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
            sandbox.createOpportunity(id);
            sandbox.http().post().uri("/sandbox/crm/api/opportunities/{id}/win", id)
                    .header("X-Sandbox-Bypass-Faults", "true").retrieve().toBodilessEntity();
        }

        // journaled once, in the machinery, under the system's name
        JsonNode opened = await().atMost(WAIT).until(() -> breakerHops("BREAKER_OPENED", started), hops -> !hops.isEmpty())
                .get(0);
        assertThat(opened.path("flow").asText()).isEqualTo("systems");
        assertThat(opened.path("target").asText()).isEqualTo("crm");
        assertThat(opened.path("keys").path("system").asText()).isEqualTo("crm");
        assertThat(opened.path("detail").asText()).matches("(CLOSED|HALF_OPEN) -> OPEN.*");
        assertThat(opened.path("correlationId").isNull() || opened.path("correlationId").isMissingNode()).isTrue();

        // the JSON form: the transition, the failed calls (counted by the breaker), the calls' latency
        JsonNode crm = viewer().get().uri("/api/v1/systems/crm").retrieve().body(JsonNode.class);
        assertThat(crm.path("system").path("roles").get(0).asText()).isEqualTo("crm");
        assertThat(crm.path("system").path("adapter").asText()).isEqualTo("sandbox");
        assertThat(crm.path("system").path("transport").asText()).isEqualTo("REST over HTTP");
        List<String> to = new ArrayList<>();
        crm.path("transitions").forEach(t -> to.add(t.path("to").asText()));
        assertThat(to).contains("OPEN");
        JsonNode error = crm.path("errors").get(0);
        assertThat(error.path("counted").asBoolean()).isTrue();
        assertThat(error.path("error").asText()).contains("500");
        assertThat(error.path("step").asText()).isNotBlank();
        assertThat(crm.path("system").path("latency").path("calls").asLong()).isPositive();
        assertThat(crm.path("system").path("latency").path("p99Ms").asDouble()).isPositive();

        // the page: the CRM's row in the list, the transition and the errors on its own page
        String list = viewer().get().uri("/console/systems").retrieve().body(String.class);
        assertThat(list).contains("id=\"systems-crm\"", "id=\"systems-erp\"", "id=\"systems-oa\"",
                "class=\"health-strip\"", "REST over HTTP");
        String page = viewer().get().uri("/console/systems/crm").retrieve().body(String.class);
        assertThat(page).contains("id=\"transitions\"").containsPattern("class=\"transition\" data-from=\"[A-Z_]+\" data-to=\"OPEN\"")
                .contains("class=\"error\"", "statusCode: 500", "href=\"/console/journal?key=crm&amp;view=list\"");

        // the CRM is back: a new order's acknowledgement is a trial call that goes through, the breaker closes
        sandbox.setFault("crm", "normal", 0, 0);
        String id = "OPP-S" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        sandbox.createOpportunity(id);
        sandbox.win(id);
        await().atMost(WAIT).until(() -> breakerHops("BREAKER_CLOSED", started), hops -> !hops.isEmpty());
        await().atMost(WAIT).untilAsserted(() -> {
            String back = viewer().get().uri("/console/systems/crm").retrieve().body(String.class);
            assertThat(back).containsPattern("class=\"transition\" data-from=\"HALF_OPEN\" data-to=\"CLOSED\"")
                    .containsPattern("id=\"breaker-state\" class=\"state breaker-CLOSED\"");
        });
        // the journal search the page links to finds them by the CRM's name
        JsonNode all = viewer().get().uri("/api/v1/ops/journal?key=crm&flow=systems&from={from}", started.toString())
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

    /** The journal's entries of that hop for the CRM since the test began (the writer stores them in batches). */
    private List<JsonNode> breakerHops(String hop, Instant since) {
        JsonNode found = viewer().get().uri("/api/v1/ops/journal?key=crm&hop={hop}&from={from}", hop, since.toString())
                .retrieve().body(JsonNode.class);
        List<JsonNode> hops = new ArrayList<>();
        found.forEach(hops::add);
        return hops;
    }
}
