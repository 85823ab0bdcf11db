package io.conduit.esb.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.support.EsbIntegrationTest;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 10,000 stock changes across 500 items while the ESB "restarts" mid-way (its polling, resync and CRM delivery
 * routes stopped and started again: the shared Spring context itself cannot be restarted) end with the CRM equal to
 * the ERP, item by item. Also measures the ERP-to-CRM lag (p50/p99) of single changes in steady state.
 */
class InventoryFeedbackLoadIT extends EsbIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(InventoryFeedbackLoadIT.class);
    private static final List<String> RESTARTED_ROUTES = List.of(
            "inventory-feedback.poller", "inventory-feedback.resync", "inventory-feedback.stock-to-crm");

    @Autowired
    CamelContext camel;

    @Autowired
    InventoryFeedbackMetrics metrics;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void tenThousandChangesAcross500ItemsWithARestartEndWithTheCrmEqualToTheErp() throws Exception {
        String prefix = "LD-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase() + "-";
        List<String> items = IntStream.range(0, 500).mapToObj(i -> prefix + String.format("%03d", i)).toList();
        jdbc.batchUpdate("INSERT INTO erp.item_mst (item_no, item_desc, item_grp) VALUES (?, 'load test', 'TEST')",
                items.stream().map(i -> new Object[] {i}).toList());
        jdbc.batchUpdate("INSERT INTO erp.inv_stock (item_no, whse_cd, qty_oh, qty_rsv) VALUES (?, 'W01', 0, 0)",
                items.stream().map(i -> new Object[] {i}).toList());
        TransactionTemplate tx = new TransactionTemplate(transactionManager);
        Random random = new Random(42);
        long started = System.nanoTime();
        for (int round = 1; round <= 20; round++) {
            if (round == 11) {
                for (String route : RESTARTED_ROUTES) {
                    camel.getRouteController().stopRoute(route);
                }
            }
            if (round == 16) {
                for (String route : RESTARTED_ROUTES) {
                    camel.getRouteController().startRoute(route);
                }
            }
            List<Object[]> changes = new ArrayList<>();
            for (String item : items) {
                changes.add(new Object[] {BigDecimal.valueOf(random.nextInt(100_000), 1), BigDecimal.valueOf(random.nextInt(50)), item});
            }
            // one ERP transaction per round of 500 changes, as a stock-taking or MRP run would commit them
            tx.executeWithoutResult(status -> jdbc.batchUpdate(
                    "UPDATE erp.inv_stock SET qty_oh = ?, qty_rsv = ? WHERE item_no = ? AND whse_cd = 'W01'", changes));
        }
        long written = System.nanoTime();

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(crm(prefix)).isEqualTo(erp(prefix)));
        long converged = System.nanoTime();
        LOG.info("Load: 10,000 ERP changes across 500 items written in {} ms, CRM equal to ERP {} ms later; "
                        + "CRM updates {}, lag (ms) {}", (written - started) / 1_000_000, (converged - written) / 1_000_000,
                jdbc.queryForObject("SELECT sum(update_count) FROM sandbox_crm.product_availability WHERE sku LIKE ?",
                        Long.class, prefix + "%"), metrics.lagSummary("STOCK"));
    }

    @Test
    void steadyStateLag() {
        String item = "LAG-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        ErpFixture erp = new ErpFixture(jdbc);
        List<Long> lags = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            String qty = String.valueOf(i);
            erp.stock(item, "W01", qty, "0");
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM sandbox_crm.product_availability WHERE sku = ? AND in_stock = ?",
                    Integer.class, item, new BigDecimal(qty)) > 0);
            lags.add(jdbc.queryForObject("""
                    SELECT CAST(extract(epoch FROM c.last_modified - e.upd_ts) * 1000 AS bigint)
                    FROM sandbox_crm.product_availability c JOIN erp.inv_stock e ON e.item_no = c.sku AND e.whse_cd = c.site_code
                    WHERE c.sku = ?""", Long.class, item));
        }
        List<Long> sorted = lags.stream().sorted().toList();
        long p50 = sorted.get(sorted.size() / 2);
        long p99 = sorted.get(sorted.size() - 1);
        LOG.info("Steady-state ERP-to-CRM lag over {} single changes: p50 {} ms, p99 {} ms (poll period {} ms); "
                        + "Micrometer esb.feedback.lag STOCK: {}", lags.size(), p50, p99,
                camel.resolvePropertyPlaceholders("{{esb.inventory-feedback.poll-period-ms}}"), metrics.lagSummary("STOCK"));
        assertThat(p99).isLessThan(10_000);
    }

    private Map<String, String> erp(String prefix) {
        Map<String, String> state = new TreeMap<>();
        jdbc.queryForList("SELECT item_no, qty_oh, qty_rsv FROM erp.inv_stock WHERE item_no LIKE ?", prefix + "%")
                .forEach(r -> state.put((String) r.get("item_no"),
                        ((BigDecimal) r.get("qty_oh")).stripTrailingZeros().toPlainString() + "/"
                                + ((BigDecimal) r.get("qty_rsv")).stripTrailingZeros().toPlainString()));
        return state;
    }

    private Map<String, String> crm(String prefix) {
        Map<String, String> state = new TreeMap<>();
        JsonNode rows = sandbox.http().get().uri("/sandbox/crm/api/product-availability?skuPrefix={p}", prefix)
                .retrieve().body(JsonNode.class);
        for (JsonNode r : rows) {
            state.put(r.path("sku").asText(), r.path("inStock").decimalValue().stripTrailingZeros().toPlainString() + "/"
                    + r.path("allocated").decimalValue().stripTrailingZeros().toPlainString());
        }
        return state;
    }
}
