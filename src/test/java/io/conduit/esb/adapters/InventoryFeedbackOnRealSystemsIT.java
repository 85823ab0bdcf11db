package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.realsystems.RealSystemsIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The inventory and shipment feedback with the ERP switched to a real Tryton by configuration only: stock received in
 * Tryton reaches the CRM's availability, and the shipment of an order that came through the order handoff reaches
 * the CRM opportunity - both polled from Tryton through port erp.changes-since, nothing read from the sandbox ERP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InventoryFeedbackOnRealSystemsIT extends RealSystemsIntegrationTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(60);

    /** What a person does in Tryton (its own connection, not through the ESB). */
    private TrytonErp tryton;

    @BeforeAll
    void tryton() throws Exception {
        tryton = (TrytonErp) TrytonErp.startIfAvailable().orElseThrow();
    }

    @AfterAll
    void stopTryton() {
        tryton.close();
    }

    @Test
    void stockReceivedInTrytonReachesTheCrmsAvailability() throws Exception {
        String item = "TCK-RS-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String key = tryton.receiveStock(item, "7");
        String warehouse = key.substring(key.indexOf('@') + 1);

        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            JsonNode availability = sandbox.http().get().uri("/sandbox/crm/api/products/{item}/availability", item)
                    .retrieve().body(JsonNode.class);
            assertThat(availability).hasSize(1);
            assertThat(availability.get(0).path("siteCode").asText()).isEqualTo(warehouse);
            assertThat(availability.get(0).path("inStock").decimalValue()).isEqualByComparingTo("7");
        });
        assertThat(jdbc.queryForObject("SELECT count(*) FROM esb.erp_feedback WHERE entity_key = ?", Integer.class, key))
                .isEqualTo(1);
    }

    @Test
    void theShipmentOfAnOrderFromTheCrmReachesItsOpportunity() throws Exception {
        String id = "OPP-RSI" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        sandbox.createOpportunity(id);
        sandbox.win(id);
        await().atMost(FLOW_TIMEOUT).until(() -> tryton.ordersWithReference(id) == 1);

        tryton.shipOrder(id);

        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            JsonNode shipments = sandbox.http().get().uri("/sandbox/crm/api/opportunities/{id}/shipments", id)
                    .retrieve().body(JsonNode.class);
            assertThat(shipments).isNotEmpty();
        });
    }
}
