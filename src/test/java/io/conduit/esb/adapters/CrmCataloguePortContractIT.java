package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.canonical.CanonicalSchemas;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.support.EsbIntegrationTest;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of ports {@code crm.upsert-product} and {@code crm.upsert-price-book} (adapters/crm/PORTS.md), run
 * against every CRM adapter (the sandbox). Each case calls the ports as the product catalogue flow does, with the
 * ERP's state of a product or price list (its version as sourceVersion), and looks at the CRM as sales would: the
 * catalogue on a given day, and their open quotes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrmCataloguePortContractIT extends EsbIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    @Autowired
    private CamelContext esb;

    private List<CrmCatalogueUnderTest> adapters;

    @BeforeAll
    void adapters() {
        adapters = List.of(new SandboxCrmCatalogue(esb));
    }

    List<String> adapterNames() {
        return List.of("sandbox");
    }

    private CrmCatalogueUnderTest adapter(String name) {
        return adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aProductIsWrittenOnceByVersionAndNeverGoesBack(String name) throws Exception {
        CrmCatalogueUnderTest crm = adapter(name);
        String sku = sku();
        assertResult(crm.upsertProduct(product(sku, 2, "100.00", true)), sku, "APPLIED", 2);
        assertResult(crm.upsertProduct(product(sku, 2, "100.00", true)), sku, "DUPLICATE", 2);
        assertResult(crm.upsertProduct(product(sku, 1, "90.00", true)), sku, "ALREADY_NEWER", 1);
        assertThat(crm.product(sku, TODAY).listPrice()).isEqualByComparingTo("100");

        assertResult(crm.upsertProduct(product(sku, 3, "105.00", false)), sku, "APPLIED", 3);
        CrmCatalogueUnderTest.Shown shown = crm.product(sku, TODAY);
        assertThat(shown.active()).as("deactivated, kept").isFalse();
        assertThat(shown.listPrice()).isEqualByComparingTo("105");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aPriceDatedAheadIsNotShownBeforeItsDay(String name) throws Exception {
        CrmCatalogueUnderTest crm = adapter(name);
        String sku = sku();
        String list = "PL-" + sku;
        LocalDate ahead = TODAY.plusDays(14);
        crm.upsertProduct(product(sku, 1, "80.00", true));
        assertResult(crm.upsertPriceBook(priceList(list, 1, true, sku, "72.00", null, ahead.minusDays(1),
                "76.50", ahead, null)), list, "APPLIED", 1);
        assertThat(crm.product(sku, TODAY).prices()).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("72"));
        assertThat(crm.product(sku, ahead.minusDays(1)).prices()).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("72"));
        assertThat(crm.product(sku, ahead).prices()).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("76.5"));

        // an older state of the list changes nothing; a deactivated list prices nothing
        assertResult(crm.upsertPriceBook(priceList(list, 1, true, sku, "1.00", null, null, "1.00", ahead, null)), list,
                "DUPLICATE", 1);
        assertResult(crm.upsertPriceBook(priceList(list, 2, false, sku, "72.00", null, ahead.minusDays(1),
                "76.50", ahead, null)), list, "APPLIED", 2);
        assertThat(crm.product(sku, ahead).prices()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void openQuotesAtAnotherPriceAreFlaggedNotChanged(String name) throws Exception {
        CrmCatalogueUnderTest crm = adapter(name);
        String sku = sku();
        crm.upsertProduct(product(sku, 1, "200.00", true));
        String atOldPrice = crm.quote(sku, "200.00");
        String atNewPrice = crm.quote(sku, "210.00");

        JsonNode result = crm.upsertProduct(product(sku, 2, "210.00", true));
        assertResult(result, sku, "APPLIED", 2);
        assertThat(result.path("flaggedQuotes").toString()).contains(atOldPrice).doesNotContain(atNewPrice);
        CrmCatalogueUnderTest.Quote flagged = crm.quoteOf(atOldPrice);
        assertThat(flagged.flagged()).isTrue();
        assertThat(flagged.notes()).isEqualTo(1);
        assertThat(flagged.unitPrices()).usingElementComparator(BigDecimal::compareTo).containsExactly(new BigDecimal("200"));
        assertThat(crm.quoteOf(atNewPrice).flagged()).isFalse();

        // the same version again flags nothing more
        assertThat(crm.upsertProduct(product(sku, 2, "210.00", true)).path("flaggedQuotes").size()).isZero();
        assertThat(crm.quoteOf(atOldPrice).notes()).isEqualTo(1);

        // a dated price of a price list flags it too
        String list = "PL-" + sku;
        JsonNode dated = crm.upsertPriceBook(priceList(list, 1, true, sku, "195.00", TODAY.plusDays(30), null,
                null, null, null));
        assertThat(dated.path("flaggedQuotes").toString()).contains(atOldPrice).contains(atNewPrice);
        assertThat(crm.quoteOf(atOldPrice).notes()).isEqualTo(2);
        assertThat(crm.quoteOf(atOldPrice).unitPrices()).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("200"));
    }

    // --- helpers

    private static String sku() {
        return "CC-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
    }

    static String product(String sku, long version, String listPrice, boolean active) throws Exception {
        ObjectNode p = JSON.createObjectNode();
        p.put("schemaVersion", 1);
        p.put("productId", sku);
        p.put("source", "erp");
        p.put("sourceVersion", version);
        p.put("changedAt", "2026-12-01T10:00:0" + Math.min(version, 9) + "Z");
        p.put("name", "Pump " + sku);
        p.put("unit", "EA");
        p.put("productGroup", "PUMP");
        p.put("active", active);
        p.putObject("listPrice").put("amount", new BigDecimal(listPrice)).put("currency", "EUR");
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.PRODUCT), p)).isEmpty();
        return JSON.writeValueAsString(p);
    }

    /** A price list with one or two entries of the product (the second left out when its price is null). */
    static String priceList(String id, long version, boolean active, String sku, String price1, LocalDate from1,
                            LocalDate to1, String price2, LocalDate from2, LocalDate to2) throws Exception {
        ObjectNode l = JSON.createObjectNode();
        l.put("schemaVersion", 1);
        l.put("priceListId", id);
        l.put("source", "erp");
        l.put("sourceVersion", version);
        l.put("changedAt", "2026-12-01T10:00:0" + Math.min(version, 9) + "Z");
        l.put("name", "Distributors " + id);
        l.put("currency", "EUR");
        l.put("active", active);
        ArrayNode entries = l.putArray("entries");
        entry(entries, sku, price1, from1, to1);
        if (price2 != null) {
            entry(entries, sku, price2, from2, to2);
        }
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.PRICE_LIST), l)).isEmpty();
        return JSON.writeValueAsString(l);
    }

    private static void entry(ArrayNode entries, String sku, String price, LocalDate from, LocalDate to) {
        ObjectNode e = entries.addObject().put("productId", sku).put("unitPrice", new BigDecimal(price));
        e.put("validFrom", from == null ? null : from.toString());
        e.put("validTo", to == null ? null : to.toString());
    }

    private static void assertResult(JsonNode result, String id, String outcome, long version) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/crm/catalogue-result.schema.json")), result)).isEmpty();
        assertThat(result.path("id").asText()).isEqualTo(id);
        assertThat(result.path("outcome").asText()).isEqualTo(outcome);
        assertThat(result.path("erpVersion").asLong()).isEqualTo(version);
    }
}
