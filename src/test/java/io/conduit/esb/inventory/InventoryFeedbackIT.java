package io.conduit.esb.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.KafkaProbe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ERP stock, production and shipment changes reach the sandbox CRM; out-of-order commits are not lost; the CRM down
 * then back converges with nothing parked forgotten; the order status query answers from the latest events.
 */
class InventoryFeedbackIT extends EsbIntegrationTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);

    @Autowired
    @Qualifier("esbDataSource")
    DataSource superuser;

    @Value("${camel.component.kafka.brokers}")
    String brokers;

    @Value("${esb.topics.names.inventory-levels}")
    String inventoryTopic;

    ErpFixture erp;
    String prefix;

    @BeforeEach
    void setUp() {
        erp = new ErpFixture(jdbc);
        prefix = "IT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase() + "-";
    }

    @Test
    void stockProductionAndShipmentReachTheCrmAndTheStatusQuery() {
        String item = prefix + "PUMP";
        String opp = "OPP-" + prefix + "1";
        erp.stock(item, "W01", "120", "20.5");
        String soNo = erp.salesOrder(opp);
        jdbc.update("""
                INSERT INTO erp.prd_ord (prd_no, so_no, item_no, qty_plan, qty_done, qty_scrap, stage_cd, plan_end_ts)
                VALUES (?, ?, ?, 10, 6, 2, 'WIP', TIMESTAMPTZ '2026-12-30 16:00:00Z')""", prefix + "PRD", soNo, item);
        jdbc.update("""
                INSERT INTO erp.shp_hdr (shp_no, so_no, carrier_cd, track_no, ship_ts)
                VALUES (?, ?, 'FDX', '7946-1234', TIMESTAMPTZ '2026-12-31 07:30:00Z')""", prefix + "SHP", soNo);

        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            JsonNode availability = get("/sandbox/crm/api/products/" + item + "/availability");
            assertThat(availability).hasSize(1);
            assertThat(availability.get(0).path("siteCode").asText()).isEqualTo("W01");
            assertThat(availability.get(0).path("inStock").decimalValue()).isEqualByComparingTo("120");
            assertThat(availability.get(0).path("allocated").decimalValue()).isEqualByComparingTo("20.5");
            assertThat(availability.get(0).path("availableToPromise").decimalValue()).isEqualByComparingTo("99.5");
        });
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            JsonNode progress = get("/sandbox/crm/api/opportunities/" + opp + "/progress");
            assertThat(progress.path("erpOrderNo").asText()).isEqualTo(soNo);
            assertThat(progress.path("workOrderNo").asText()).isEqualTo(prefix + "PRD");
            assertThat(progress.path("progressStage").asText()).isEqualTo("In production");
            assertThat(progress.path("qtyProduced").decimalValue()).isEqualByComparingTo("6");
            assertThat(progress.path("defectRatePct").decimalValue()).isEqualByComparingTo("25");
            JsonNode shipments = get("/sandbox/crm/api/opportunities/" + opp + "/shipments");
            assertThat(shipments).hasSize(1);
            assertThat(shipments.get(0).path("carrierName").asText()).isEqualTo("FedEx");
            assertThat(shipments.get(0).path("trackingNumber").asText()).isEqualTo("7946-1234");
        });

        // the events on Kafka are keyed by item and carry the canonical payload
        List<KafkaProbe.Event> events = new KafkaProbe(brokers).recordsWithKey(inventoryTopic, item);
        assertThat(events).isNotEmpty();
        assertThat(events.get(0).headers()).containsEntry("ce_type", "io.conduit.inventory.level-changed");

        // production finishes: the CRM follows, and the status query answers from the latest events
        jdbc.update("UPDATE erp.prd_ord SET stage_cd = 'FIN', qty_done = 10, act_end_ts = TIMESTAMPTZ '2026-12-29 11:00:00Z' WHERE prd_no = ?",
                prefix + "PRD");
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(
                get("/sandbox/crm/api/opportunities/" + opp + "/progress").path("progressStage").asText()).isEqualTo("Completed"));
        JsonNode status = get("/api/v1/orders/" + opp + "/status");
        assertThat(status.path("erpOrderNumber").asText()).isEqualTo(soNo);
        assertThat(status.path("productionStage").asText()).isEqualTo("FINISHED");
        assertThat(status.path("expectedCompletion").asText()).isEqualTo("2026-12-30T16:00:00.000Z");
        assertThat(status.path("actualCompletion").asText()).isEqualTo("2026-12-29T11:00:00.000Z");
        assertThat(status.path("shipments").get(0).path("trackingNumber").asText()).isEqualTo("7946-1234");
        assertThat(status.path("shipments").get(0).path("status").asText()).isEqualTo("SHIPPED");

        ResponseEntity<String> unknown = viewer().get().uri("/api/v1/orders/{id}/status", "OPP-" + prefix + "NONE")
                .retrieve().toEntity(String.class);
        assertThat(unknown.getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void aBurstOfChangesToOneItemEndsWithTheLatestInTheCrm() {
        String item = prefix + "BURST";
        for (int i = 1; i <= 50; i++) {
            erp.stock(item, "W01", String.valueOf(i), "0");
        }
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            JsonNode availability = get("/sandbox/crm/api/products/" + item + "/availability");
            assertThat(availability).hasSize(1);
            assertThat(availability.get(0).path("inStock").decimalValue()).isEqualByComparingTo("50");
        });
        // far fewer CRM updates than ERP changes
        assertThat(get("/sandbox/crm/api/products/" + item + "/availability").get(0).path("updateCount").asInt())
                .isLessThan(50);
        // the versioned delivery's ledger holds the change number the CRM was given: an older state (a replay, a
        // slow redelivery) is never sent after it
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT version FROM esb.delivery_version WHERE ledger = 'crm.set-availability' AND business_key = ?",
                Long.class, item + "@W01")).isEqualTo(jdbc.queryForObject(
                "SELECT delivered_chg_no FROM esb.erp_feedback WHERE entity = 'STOCK' AND entity_key = ?",
                Long.class, item + "@W01")));
    }

    /**
     * Two ERP transactions commit out of order: T2 writes item A (lower change counter) but commits after T1, which
     * took its transaction id earlier and wrote item B (higher change counter). A naive "changed since the last
     * counter seen" poll reads B, moves its watermark past A's counter and never sees A. The horizon capture delivers
     * B while T2 is still open and A once T2 commits.
     */
    @Test
    void outOfOrderCommitsAreNotLost() throws Exception {
        String itemA = prefix + "A";
        String itemB = prefix + "B";
        erp.stock(itemA, "W01", "1", "0");
        erp.stock(itemB, "W01", "1", "0");
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            assertThat(get("/sandbox/crm/api/products/" + itemA + "/availability")).hasSize(1);
            assertThat(get("/sandbox/crm/api/products/" + itemB + "/availability")).hasSize(1);
        });

        try (Connection t1 = superuser.getConnection(); Connection t2 = superuser.getConnection()) {
            t1.setAutoCommit(false);
            t2.setAutoCommit(false);
            long xid1 = queryLong(t1, "SELECT CAST(CAST(pg_current_xact_id() AS text) AS bigint)");
            long chgA = update(t2, itemA, "222");          // later transaction id, lower change counter
            long chgB = update(t1, itemB, "111");          // earlier transaction id, higher change counter
            assertThat(chgA).isLessThan(chgB);
            t1.commit();
            assertThat(xid1).isPositive();

            // B arrives while T2 (A) is still open: the capture has moved past change counter chgB ...
            await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(
                    get("/sandbox/crm/api/products/" + itemB + "/availability").get(0).path("inStock").decimalValue())
                    .isEqualByComparingTo("111"));
            assertThat(get("/sandbox/crm/api/products/" + itemA + "/availability").get(0).path("inStock").decimalValue())
                    .isEqualByComparingTo("1");
            // ... and yet A, committed now with its lower counter, is not lost
            t2.commit();
        }
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(
                get("/sandbox/crm/api/products/" + itemA + "/availability").get(0).path("inStock").decimalValue())
                .isEqualByComparingTo("222"));
    }

    @Test
    void crmDownThenBackConvergesAndNothingParkedIsForgotten() {
        String item = prefix + "OUTAGE";
        sandbox.setFault("crm", "down", 0, 0);
        erp.stock(item, "W01", "7", "2");
        String key = item + "@W01";
        await().atMost(FLOW_TIMEOUT).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM esb.parked_message WHERE flow = 'inventory-feedback' AND business_key = ? AND status = 'PARKED'",
                Integer.class, key) > 0);

        sandbox.setFault("crm", "normal", 0, 0);
        // no further ERP change: the resync publishes the undelivered state again
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            JsonNode availability = get("/sandbox/crm/api/products/" + item + "/availability");
            assertThat(availability).hasSize(1);
            assertThat(availability.get(0).path("inStock").decimalValue()).isEqualByComparingTo("7");
            assertThat(availability.get(0).path("allocated").decimalValue()).isEqualByComparingTo("2");
        });
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT count(*) FROM esb.parked_message WHERE flow = 'inventory-feedback' AND business_key = ? AND status = 'PARKED'",
                Integer.class, key)).isZero());
        assertThat(jdbc.queryForObject(
                "SELECT count(*) FROM esb.parked_message WHERE flow = 'inventory-feedback' AND business_key = ? AND status = 'REPLAYED'",
                Integer.class, key)).isPositive();
    }

    private JsonNode get(String path) {
        // the ESB's own API needs a login; the sandbox CRM stands for an external system
        RestClient client = path.startsWith("/api/") ? viewer() : sandbox.http();
        return client.get().uri(path).retrieve().body(JsonNode.class);
    }

    private static long update(Connection c, String item, String qty) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE erp.inv_stock SET qty_oh = ? WHERE item_no = ? AND whse_cd = 'W01' RETURNING chg_no")) {
            ps.setBigDecimal(1, new BigDecimal(qty));
            ps.setString(2, item);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long queryLong(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
