package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.realsystems.RealSystemsIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The product catalogue with the ERP switched to a real Tryton by configuration only (the pair sandbox.tryton of
 * esb.product-catalogue.adapters): a product entered in Tryton appears in the (sandbox) CRM's catalogue with its list
 * price; a new list price set in Tryton reaches the catalogue and flags the open quote quoting the old one; a Tryton
 * price list with a price dated ahead becomes a CRM price book whose new price is shown from its day only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductCatalogueOnRealSystemsIT extends RealSystemsIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(ProductCatalogueOnRealSystemsIT.class);
    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(60);

    private TrytonErp tryton;

    @BeforeAll
    void systems() throws Exception {
        tryton = TrytonErp.startTrytonIfAvailable().orElseThrow();
        assertThat(tryton.whyNoCatalogue()).as("Tryton's price list modules (ops/real-systems/start.sh)").isNull();
    }

    @AfterAll
    void stopSystems() {
        tryton.close();
    }

    @Test
    void aTrytonProductAndItsDatedPricesReachTheCrmCatalogueAndAnOpenQuoteIsFlagged() throws Exception {
        String sku = "RS-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
        long created = System.currentTimeMillis();
        tryton.createProduct(sku, "Rotary pump " + sku, "640.00");
        JsonNode shown = awaitProduct(sku, null, p -> true);
        LOG.info("The CRM catalogue shows Tryton's product {} {} ms after it was created", sku, System.currentTimeMillis() - created);
        assertThat(shown.path("name").asText()).isEqualTo("Rotary pump " + sku);
        assertThat(shown.path("list_price").decimalValue()).isEqualByComparingTo("640");
        assertThat(shown.path("active").asBoolean()).isTrue();

        String quote = createQuote(sku, "640.00");
        long set = System.currentTimeMillis();
        tryton.setListPrice(sku, "665.00");
        awaitProduct(sku, null, p -> p.path("list_price").decimalValue().compareTo(new BigDecimal("665")) == 0);
        LOG.info("The CRM catalogue shows Tryton's new list price {} ms after it was set", System.currentTimeMillis() - set);
        JsonNode flagged = await().atMost(FLOW_TIMEOUT).until(() -> sandbox.http().get().uri("/sandbox/crm/api/quotes/{q}", quote)
                .retrieve().body(JsonNode.class), q -> q.path("price_review_needed").asBoolean());
        assertThat(flagged.path("lines").get(0).path("unitPrice").decimalValue()).isEqualByComparingTo("640");

        LocalDate ahead = LocalDate.now().plusDays(20);
        String list = tryton.createPriceList("Distributors " + sku);
        tryton.addPrice(list, sku, "600.00", null, ahead.minusDays(1));
        tryton.addPrice(list, sku, "620.00", ahead, null);
        await().atMost(FLOW_TIMEOUT).ignoreExceptions().until(() -> sandbox.http().get()
                .uri("/sandbox/crm/api/catalog/price-books/{b}", list).retrieve().body(JsonNode.class),
                b -> b.path("entries").size() == 2);
        assertThat(product(sku, ahead.minusDays(1)).path("prices").get(0).path("unit_price").decimalValue()).isEqualByComparingTo("600");
        assertThat(product(sku, ahead).path("prices").get(0).path("unit_price").decimalValue()).isEqualByComparingTo("620");
    }

    private JsonNode product(String sku, LocalDate on) {
        return on == null
                ? sandbox.http().get().uri("/sandbox/crm/api/catalog/products/{s}", sku).retrieve().body(JsonNode.class)
                : sandbox.http().get().uri("/sandbox/crm/api/catalog/products/{s}?on={d}", sku, on).retrieve().body(JsonNode.class);
    }

    private JsonNode awaitProduct(String sku, LocalDate on, Predicate<JsonNode> wanted) {
        // (an unknown product is a 404 problem answer: not yet)
        return await().atMost(FLOW_TIMEOUT).ignoreExceptions().until(() -> product(sku, on),
                p -> p.hasNonNull("sku") && wanted.test(p));
    }

    private String createQuote(String sku, String unitPrice) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("sku", sku);
        line.put("quantity", 1);
        line.put("unitPrice", new BigDecimal(unitPrice));
        line.put("unitCost", new BigDecimal(unitPrice).divide(new BigDecimal("2")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accountNo", "ACC-RS");
        body.put("accountName", "Real Systems GmbH");
        body.put("salesperson", "sales.rep");
        body.put("department", "SALES-DACH");
        body.put("lines", List.of(line));
        return sandbox.http().post().uri("/sandbox/crm/api/quotes").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().body(JsonNode.class).path("quote_no").asText();
    }
}
