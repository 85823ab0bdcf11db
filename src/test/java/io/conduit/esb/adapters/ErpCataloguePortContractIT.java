package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.canonical.CanonicalSchemas;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.NotRetryableException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The contract of port {@code erp.catalogue-since} (adapters/erp/PORTS.md), run against every ERP adapter: the sandbox
 * (always) and a real Tryton 6 with modules product_price_list and product_price_list_dates (started by
 * {@code ops/real-systems/start.sh}; skipped with a message when it is not running, required when
 * {@code CONDUIT_REAL_SYSTEMS=required}). Each case does in the ERP what product management would (enter a product,
 * change its list price, stop selling it, price it in a price list with dates) and reads the capture with the
 * watermark of the previous answer, as the product catalogue flow does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErpCataloguePortContractIT extends EsbIntegrationTest {

    @Autowired
    private CamelContext esb;

    private final List<ErpCatalogueUnderTest> adapters = new ArrayList<>();
    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeAll
    void startAdapters() throws Exception {
        // the product catalogue flow would carry the test's products to the CRM: its capture is stopped while the port
        // is driven by hand
        esb.getRouteController().stopRoute("product-catalogue.poller");
        adapters.add(new SandboxErp(esb, jdbc));
        TrytonErp.startTrytonIfAvailable().ifPresent(erp -> {
            adapters.add(erp);
            started.add(erp);
        });
    }

    @AfterAll
    void stopAdapters() throws Exception {
        for (AutoCloseable erp : started) {
            erp.close();
        }
        esb.getRouteController().startRoute("product-catalogue.poller");
    }

    List<String> adapterNames() {
        return List.of("sandbox", "tryton");
    }

    private ErpCatalogueUnderTest adapter(String name) {
        ErpCatalogueUnderTest found = adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        Assumptions.assumeTrue(found != null, () -> "ERP adapter '" + name + "' skipped: " + TrytonErp.whyNotAvailable());
        String why = found.whyNoCatalogue();
        if (why != null && "required".equals(System.getenv("CONDUIT_REAL_SYSTEMS"))) {
            throw new IllegalStateException("CONDUIT_REAL_SYSTEMS=required but " + why);
        }
        Assumptions.assumeTrue(why == null, () -> "ERP adapter '" + name + "' catalogue cases skipped: " + why);
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aNewProductIsReportedOnceAndAgainWithAHigherVersionWhenItsListPriceChanges(String name) throws Exception {
        ErpCatalogueUnderTest erp = adapter(name);
        CapturePoll poll = products(erp, caughtUp(erp));
        String sku = sku();
        erp.createProduct(sku, "Hydraulic pump " + sku, "1250.00");
        JsonNode created = poll.until(sku, p -> true);
        assertProduct(created);
        assertThat(created.path("name").asText()).isEqualTo("Hydraulic pump " + sku);
        assertThat(created.path("active").asBoolean()).isTrue();
        assertThat(created.path("listPrice").path("amount").decimalValue()).isEqualByComparingTo("1250");
        assertThat(created.path("listPrice").path("currency").asText()).isEqualTo("EUR");
        assertThat(created.path("unit").asText()).isNotBlank();

        erp.setListPrice(sku, "1310.50");
        JsonNode changed = poll.until(sku, p -> p.path("listPrice").path("amount").decimalValue().compareTo(
                new java.math.BigDecimal("1310.50")) == 0);
        assertProduct(changed);
        assertThat(changed.path("sourceVersion").asLong()).as("a later state has a higher version")
                .isGreaterThan(created.path("sourceVersion").asLong());
        long reported = poll.reported(sku);
        poll.next();
        poll.next();
        assertThat(poll.reported(sku)).as("not again with the new watermark").isEqualTo(reported);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aProductNoLongerSoldIsReportedInactive(String name) throws Exception {
        ErpCatalogueUnderTest erp = adapter(name);
        CapturePoll poll = products(erp, caughtUp(erp));
        String sku = sku();
        erp.createProduct(sku, "Seal kit " + sku, "35.00");
        poll.until(sku, p -> p.path("active").asBoolean());
        erp.deactivateProduct(sku);
        JsonNode inactive = poll.until(sku, p -> !p.path("active").asBoolean());
        assertProduct(inactive);
        assertThat(inactive.path("listPrice").path("amount").decimalValue()).isEqualByComparingTo("35");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aPriceListIsReportedWholeWithItsDatedPricesAndAgainWhenAPriceIsAdded(String name) throws Exception {
        ErpCatalogueUnderTest erp = adapter(name);
        String sku = sku();
        erp.createProduct(sku, "Check valve " + sku, "80.00");
        CapturePoll poll = priceLists(erp, caughtUp(erp));
        String list = erp.createPriceList("Distributors " + sku);
        LocalDate ahead = LocalDate.now().plusDays(10);
        erp.addPrice(list, sku, "72.00", null, ahead.minusDays(1));
        JsonNode first = poll.until(list, l -> l.path("entries").size() == 1);
        assertPriceList(first);
        assertThat(first.path("active").asBoolean()).isTrue();
        assertThat(first.path("currency").asText()).isEqualTo("EUR");
        JsonNode entry = first.path("entries").get(0);
        assertThat(entry.path("productId").asText()).isEqualTo(sku);
        assertThat(entry.path("unitPrice").decimalValue()).isEqualByComparingTo("72");
        assertThat(entry.path("validFrom").isNull()).isTrue();
        assertThat(entry.path("validTo").asText()).isEqualTo(ahead.minusDays(1).toString());

        erp.addPrice(list, sku, "76.50", ahead, null);
        JsonNode second = poll.until(list, l -> l.path("entries").size() == 2);
        assertPriceList(second);
        assertThat(second.path("sourceVersion").asLong()).isGreaterThan(first.path("sourceVersion").asLong());
        assertThat(second.path("entries").findValuesAsText("validFrom")).contains(ahead.toString());
        assertThat(second.path("entries").findValues("unitPrice").stream().map(JsonNode::decimalValue)
                .map(java.math.BigDecimal::stripTrailingZeros).map(java.math.BigDecimal::toPlainString))
                .containsExactlyInAnyOrder("72", "76.5");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void theErpAwayIsRetryable(String name) throws Exception {
        ErpCatalogueUnderTest erp = adapter(name);
        String watermark = caughtUp(erp);
        Throwable capture = erp.whileCatalogueDown(() -> catchThrowable(() -> erp.catalogueSince(watermark)));
        assertThat(capture).isNotNull();
        assertThat(rootOf(capture)).isNotInstanceOf(NotRetryableException.class);
    }

    // --- helpers

    private static String sku() {
        return "CT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
    }

    private static void assertProduct(JsonNode product) {
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.PRODUCT), product)).isEmpty();
    }

    private static void assertPriceList(JsonNode list) {
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.PRICE_LIST), list)).isEmpty();
    }

    private static void assertChanges(JsonNode result) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/erp/catalogue-changes.schema.json")), result)).isEmpty();
        Set<String> seen = new HashSet<>();
        result.path("products").forEach(p -> assertThat(seen.add("product:" + p.path("productId").asText()))
                .as("each product at most once per answer: " + p.path("productId").asText()).isTrue());
        result.path("priceLists").forEach(l -> assertThat(seen.add("list:" + l.path("priceListId").asText()))
                .as("each price list at most once per answer: " + l.path("priceListId").asText()).isTrue());
    }

    /** A watermark after everything the ERP holds now (other tests' records are read past once). */
    private static String caughtUp(ErpCatalogueUnderTest erp) throws Exception {
        JsonNode result = erp.catalogueSince(null);
        assertChanges(result);
        return result.path("watermark").isNull() ? null : result.path("watermark").asText();
    }

    private static CapturePoll products(ErpCatalogueUnderTest erp, String watermark) {
        return new CapturePoll(erp::catalogueSince, "products", "productId", ErpCataloguePortContractIT::assertChanges, watermark);
    }

    private static CapturePoll priceLists(ErpCatalogueUnderTest erp, String watermark) {
        return new CapturePoll(erp::catalogueSince, "priceLists", "priceListId", ErpCataloguePortContractIT::assertChanges,
                watermark);
    }

    private static Throwable rootOf(Throwable t) {
        Throwable found = t;
        while (found instanceof CamelExecutionException && found.getCause() != null) {
            found = found.getCause();
        }
        return found;
    }
}
