package io.conduit.esb.realsystems;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.systems.JsonRpc;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.http.MediaType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order handoff with the ERP switched to a real Tryton by configuration only, through Tryton going down: a won
 * opportunity's order is retried while Tryton cannot be reached, parked with a reason that says so, and - Tryton
 * back - replayed by an operator into exactly one Tryton sale, whose number reaches the CRM.
 */
class OrderHandoffOnRealSystemsIT extends RealSystemsIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anOrderTrytonCouldNotTakeIsRetriedParkedWithItsReasonAndReplayedIntoOneSale() throws Exception {
        String id = "OPP-RS" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        long started = System.nanoTime();
        TRYTON.shut();
        try {
            sandbox.createOpportunity(id);
            sandbox.win(id);

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> !parked(id).isEmpty());
        } finally {
            TRYTON.open();
        }
        long parkedAfterMs = (System.nanoTime() - started) / 1_000_000;
        Map<String, Object> row = parked(id).get(0);
        assertThat(row.get("flow")).isEqualTo("order-handoff");
        assertThat(row.get("from_route_id")).isEqualTo("order-handoff.to-erp");
        assertThat((Integer) row.get("attempts")).as("retried before it was parked").isGreaterThan(1);
        assertThat((String) row.get("reason")).as("the reason names what failed").containsIgnoringCase("erp");
        assertThat(salesWithReference(id)).isZero();
        System.out.printf("order handoff on Tryton: parked after %d ms and %s attempts: %s%n", parkedAfterMs,
                row.get("attempts"), row.get("reason"));

        JsonNode outcome = operator().post().uri("/api/v1/ops/parked/{id}/replay", row.get("id"))
                .contentType(MediaType.APPLICATION_JSON).retrieve().body(JsonNode.class);

        assertThat(outcome.path("outcome").asText()).as(outcome.toString()).isEqualTo("DELIVERED");
        assertThat(salesWithReference(id)).isEqualTo(1);
        String number = saleNumber(id);
        assertThat(number).isNotBlank();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(sandbox.opportunity(id).toString()).contains(number));
        assertThat(jdbc.queryForObject("SELECT status FROM esb.parked_message WHERE id = ?", String.class,
                row.get("id"))).isEqualTo("REPLAYED");
        // the sandbox ERP was not touched: the switch took the whole flow to Tryton
        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.so_stage_hdr WHERE ext_ref = ?", Integer.class, id))
                .isZero();
    }

    private List<Map<String, Object>> parked(String businessKey) {
        return jdbc.queryForList("SELECT * FROM esb.parked_message WHERE business_key = ? AND status = 'PARKED'",
                businessKey);
    }

    private static int salesWithReference(String id) throws Exception {
        return call("model.sale.sale.search_count", "[[[\"reference\", \"=\", \"" + id + "\"]], " + company() + "]").asInt();
    }

    private static String saleNumber(String id) throws Exception {
        return call("model.sale.sale.search_read", "[[[\"reference\", \"=\", \"" + id
                + "\"]], 0, null, null, [\"number\"], " + company() + "]").path(0).path("number").asText();
    }

    private static String company() {
        return "{\"company\": " + RealSystems.load().getProperty("tryton.company-id") + "}";
    }

    /** Tryton straight, not through the gate. */
    private static JsonNode call(String method, String params) throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("tryton",
                new java.util.HashMap<>(RealSystems.trytonSettings(RealSystems.load()))));
        return JSON.readTree(new JsonRpc(environment, JSON).call("erp", method, params));
    }
}
