package io.conduit.esb.products;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.support.EsbIntegrationTest;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The product catalogue flow (routes/product-catalogue.camel.yaml) on the sandbox ERP and CRM, driven as their users
 * would drive them: product management keeps products, list prices and dated price lists in the ERP; sales quote from
 * the CRM's catalogue. Asserted in the CRM's own API (its catalogue as sales see it, on a given day) and its quotes.
 */
class ProductCatalogueIT extends EsbIntegrationTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    @Autowired
    private CamelContext camel;

    @Test
    void aNewProductReachesTheCatalogueAndItsChangesFollow() {
        String sku = sku();
        createProduct(sku, "Hydraulic pump HP-90", "1250.00");
        JsonNode shown = awaitProduct(sku, null, p -> true);
        assertThat(shown.path("name").asText()).isEqualTo("Hydraulic pump HP-90");
        assertThat(shown.path("unit").asText()).isEqualTo("EA");
        assertThat(shown.path("product_group").asText()).isEqualTo("PUMP");
        assertThat(shown.path("list_price").decimalValue()).isEqualByComparingTo("1250");
        assertThat(shown.path("currency_code").asText()).isEqualTo("EUR");
        assertThat(shown.path("active").asBoolean()).isTrue();

        changeProduct(sku, Map.of("description", "Hydraulic pump HP-90 (2027)", "listPrice", 1310));
        JsonNode changed = awaitProduct(sku, null, p -> p.path("list_price").decimalValue().compareTo(new BigDecimal("1310")) == 0);
        assertThat(changed.path("name").asText()).isEqualTo("Hydraulic pump HP-90 (2027)");
        assertThat(changed.path("erp_version").asLong()).isGreaterThan(shown.path("erp_version").asLong());
        await().atMost(FLOW_TIMEOUT).until(() -> "APPLIED".equals(jdbc.queryForObject(
                "SELECT outcome FROM esb.product_catalogue WHERE record_key = ? AND delivered_version = version",
                String.class, "product:" + sku)));
        // the journal has the product's journey by its SKU
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(viewer().get()
                .uri("/api/v1/ops/journal/journey?key={k}", sku).retrieve().body(String.class))
                .contains("product-catalogue.upsert-product"));
    }

    @Test
    void aPriceDatedAheadTakesEffectOnItsValidFromDayNeverBefore() {
        String sku = sku();
        String list = "PL-" + sku;
        createProduct(sku, "Check valve CV-9", "80.00");
        LocalDate ahead = TODAY.plusDays(10);
        putPriceList(list, "Distributors " + sku);
        putPrice(list, sku, "72.00", null, ahead.minusDays(1));
        putPrice(list, sku, "76.50", ahead, null);

        awaitPriceBook(list, b -> b.path("entries").size() == 2);
        // today and the day before: the current price; from its day on: the new one
        assertThat(prices(product(sku, null))).containsExactly("72.0000");
        assertThat(prices(product(sku, ahead.minusDays(1)))).containsExactly("72.0000");
        assertThat(prices(product(sku, ahead))).containsExactly("76.5000");
        assertThat(prices(product(sku, ahead.plusYears(1)))).containsExactly("76.5000");
        assertThat(product(sku, null).path("list_price").decimalValue()).as("the list price is not the price list's")
                .isEqualByComparingTo("80");

        // the ERP ends the old price earlier and moves the new one: the CRM follows, whole
        putPrice(list, sku, "72.00", null, TODAY.minusDays(1));
        putPrice(list, sku, "74.00", TODAY, ahead.minusDays(1));
        awaitPriceBook(list, b -> b.path("entries").size() == 3);
        assertThat(prices(product(sku, TODAY.minusDays(1)))).containsExactly("72.0000");
        assertThat(prices(product(sku, null))).containsExactly("74.0000");
        assertThat(prices(product(sku, ahead))).containsExactly("76.5000");
    }

    @Test
    void openQuotesQuotingAnOldPriceAreFlaggedAndNeverChanged() {
        String sku = sku();
        createProduct(sku, "Power unit PU-11kW", "4200.00");
        awaitProduct(sku, null, p -> true);
        String open = createQuote(sku, "4200.00");
        String other = createQuote(sku, "4200.00");
        sandbox.http().post().uri("/sandbox/crm/api/quotes/{q}/withdraw", other).retrieve().toBodilessEntity();
        JsonNode before = quote(open);

        // the list price changes now: the open quote is flagged, the withdrawn one not
        changeProduct(sku, Map.of("listPrice", 4350));
        JsonNode flagged = await().atMost(FLOW_TIMEOUT).until(() -> quote(open), q -> q.path("price_review_needed").asBoolean());
        JsonNode note = flagged.path("price_review_notes").get(0);
        assertThat(note.path("sku").asText()).isEqualTo(sku);
        assertThat(note.path("quotedPrice").decimalValue()).isEqualByComparingTo("4200");
        assertThat(note.path("newPrice").decimalValue()).isEqualByComparingTo("4350");
        assertThat(note.path("source").asText()).isEqualTo("list price");
        assertThat(flagged.path("lines")).as("the quote's lines are never changed").isEqualTo(before.path("lines"));
        assertThat(flagged.path("revision").asInt()).isEqualTo(before.path("revision").asInt());
        assertThat(flagged.path("list_total").decimalValue()).isEqualByComparingTo(before.path("list_total").decimalValue());
        assertThat(quote(other).path("price_review_needed").asBoolean()).isFalse();
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT CAST(flagged_quotes AS text) FROM esb.product_catalogue WHERE record_key = ?", String.class,
                "product:" + sku)).contains(open));

        // a price list price dated ahead: flagged too, with the day it applies from
        String list = "PL-" + sku;
        LocalDate ahead = TODAY.plusDays(30);
        putPriceList(list, "Key accounts " + sku);
        putPrice(list, sku, "3990.00", ahead, null);
        JsonNode twice = await().atMost(FLOW_TIMEOUT).until(() -> quote(open), q -> q.path("price_review_notes").size() == 2);
        assertThat(twice.path("price_review_notes").get(1).path("validFrom").asText()).isEqualTo(ahead.toString());
        assertThat(twice.path("price_review_notes").get(1).path("source").asText()).isEqualTo("price book " + list);
        assertThat(twice.path("lines")).isEqualTo(before.path("lines"));
    }

    @Test
    void aProductNoLongerSoldIsDeactivatedNotDeletedAndADeactivatedPriceListPricesNothing() {
        String sku = sku();
        String list = "PL-" + sku;
        createProduct(sku, "Seal kit SK-90", "35.00");
        putPriceList(list, "Service partners " + sku);
        putPrice(list, sku, "31.00", null, null);
        awaitPriceBook(list, b -> b.path("entries").size() == 1);
        assertThat(prices(awaitProduct(sku, null, p -> true))).containsExactly("31.0000");

        changeProduct(sku, Map.of("active", false));
        JsonNode inactive = awaitProduct(sku, null, p -> !p.path("active").asBoolean());
        assertThat(inactive.path("list_price").decimalValue()).as("kept, not deleted").isEqualByComparingTo("35");

        sandbox.http().put().uri("/sandbox/erp/price-lists/{c}", list).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("active", false)).retrieve().toBodilessEntity();
        awaitPriceBook(list, b -> !b.path("active").asBoolean());
        assertThat(prices(product(sku, null))).as("a deactivated price list prices nothing").isEmpty();
        assertThat(priceBook(list).path("entries").size()).isEqualTo(1);
    }

    @Test
    void olderVersionsAreNeverAppliedOverNewerOnes() throws Exception {
        String sku = sku();
        createProduct(sku, "Gear pump GP-9", "410.00");
        awaitProduct(sku, null, p -> true);
        String version1 = jdbc.queryForObject("SELECT CAST(state AS text) FROM esb.product_catalogue WHERE record_key = ?",
                String.class, "product:" + sku);
        changeProduct(sku, Map.of("listPrice", 420));
        changeProduct(sku, Map.of("listPrice", 430));
        JsonNode latest = awaitProduct(sku, null, p -> p.path("list_price").decimalValue().compareTo(new BigDecimal("430")) == 0);
        long newest = latest.path("erp_version").asLong();

        // a late event carrying version 1 (a redelivery, a replay) on the flow's topic: coalesced, nothing sent
        ProducerTemplate producer = camel.createProducerTemplate();
        producer.sendBodyAndHeaders("kafka:{{esb.topics.names.catalogue}}", version1,
                Map.of("kafka.KEY", "product:" + sku, "ce_subject", "product:" + sku, "ce_type", "io.conduit.product.changed"));
        // the same old state handed to the CRM port the flow's way (versioned): superseded, not sent
        Object answer = producer.requestBody("versioned:crm.upsert-product?key=" + sku + "&version=1", version1);
        assertThat(answer == null ? "" : answer.toString()).doesNotContain("APPLIED");
        // and straight to the port: the CRM itself refuses to go back
        JsonNode stale = JSON.readTree(producer.requestBody("direct:crm.upsert-product", version1, String.class));
        assertThat(stale.path("outcome").asText()).isEqualTo("ALREADY_NEWER");

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode shown = product(sku, null);
            assertThat(shown.path("list_price").decimalValue()).isEqualByComparingTo("430");
            assertThat(shown.path("erp_version").asLong()).isEqualTo(newest);
        });
        assertThat(jdbc.queryForObject("SELECT version FROM esb.product_catalogue WHERE record_key = ?", Long.class,
                "product:" + sku)).isEqualTo(newest);
    }

    // --- the systems, as their users use them

    private static String sku() {
        return "PC-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
    }

    private void createProduct(String sku, String description, String listPrice) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("itemNo", sku);
        body.put("description", description);
        body.put("unit", "EA");
        body.put("group", "PUMP");
        body.put("listPrice", new BigDecimal(listPrice));
        body.put("currency", "EUR");
        sandbox.http().post().uri("/sandbox/erp/products").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toBodilessEntity();
    }

    private void changeProduct(String sku, Map<String, Object> change) {
        sandbox.http().patch().uri("/sandbox/erp/products/{p}", sku).contentType(MediaType.APPLICATION_JSON).body(change)
                .retrieve().toBodilessEntity();
    }

    private void putPriceList(String code, String name) {
        sandbox.http().put().uri("/sandbox/erp/price-lists/{c}", code).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", name, "currency", "EUR")).retrieve().toBodilessEntity();
    }

    private void putPrice(String code, String sku, String price, LocalDate from, LocalDate to) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("unitPrice", new BigDecimal(price));
        body.put("validFrom", from == null ? null : from.toString());
        body.put("validTo", to == null ? null : to.toString());
        sandbox.http().put().uri("/sandbox/erp/price-lists/{c}/prices/{p}", code, sku).contentType(MediaType.APPLICATION_JSON)
                .body(body).retrieve().toBodilessEntity();
    }

    private String createQuote(String sku, String unitPrice) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("sku", sku);
        line.put("description", "quoted at list price");
        line.put("quantity", 2);
        line.put("unitPrice", new BigDecimal(unitPrice));
        line.put("unitCost", new BigDecimal(unitPrice).multiply(new BigDecimal("0.5")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accountNo", "ACC-PC");
        body.put("accountName", "Catalogue Test GmbH");
        body.put("salesperson", "sales.rep");
        body.put("department", "SALES-DACH");
        body.put("currency", "EUR");
        body.put("lines", List.of(line));
        body.put("discountPercent", 0);
        return sandbox.http().post().uri("/sandbox/crm/api/quotes").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().body(JsonNode.class).path("quote_no").asText();
    }

    private JsonNode quote(String quoteNo) {
        return sandbox.http().get().uri("/sandbox/crm/api/quotes/{q}", quoteNo).retrieve().body(JsonNode.class);
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

    private JsonNode priceBook(String id) {
        return sandbox.http().get().uri("/sandbox/crm/api/catalog/price-books/{b}", id).retrieve().body(JsonNode.class);
    }

    private JsonNode awaitPriceBook(String id, Predicate<JsonNode> wanted) {
        return await().atMost(FLOW_TIMEOUT).ignoreExceptions().until(() -> priceBook(id),
                b -> b.hasNonNull("price_book_id") && wanted.test(b));
    }

    /** The prices the CRM shows for the product on the day it was asked for, as text. */
    private static List<String> prices(JsonNode product) {
        List<String> prices = new ArrayList<>();
        product.path("prices").forEach(p -> prices.add(p.path("unit_price").decimalValue().setScale(4).toPlainString()));
        return prices;
    }
}
