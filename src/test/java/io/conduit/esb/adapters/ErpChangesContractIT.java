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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The contract of port {@code erp.changes-since} (adapters/erp/PORTS.md), run against every ERP adapter the project
 * can start: the sandbox (always) and a real Tryton 6 (started by {@code ops/real-systems/start.sh}; skipped with a
 * message when it is not running, required when {@code CONDUIT_REAL_SYSTEMS=required}). Each case does in the ERP
 * what a person or process there would, then calls the port exactly as the inventory feedback flow does: with the
 * watermark of the previous answer, until the change comes (an ERP may report a committed change a poll later).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErpChangesContractIT extends EsbIntegrationTest {

    private static final Duration REPORTED_WITHIN = Duration.ofSeconds(30);

    @Autowired
    private CamelContext esb;

    private final List<ErpChangesUnderTest> adapters = new ArrayList<>();
    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeAll
    void startAdapters() throws Exception {
        adapters.add(new SandboxErp(esb, jdbc));
        TrytonErp.startIfAvailable().ifPresent(erp -> {
            adapters.add((TrytonErp) erp);
            started.add(erp);
        });
    }

    @AfterAll
    void stopAdapters() throws Exception {
        for (AutoCloseable erp : started) {
            erp.close();
        }
    }

    List<String> adapterNames() {
        return List.of("sandbox", "tryton");
    }

    private ErpChangesUnderTest adapter(String name) {
        ErpChangesUnderTest found = adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        Assumptions.assumeTrue(found != null, () -> "ERP adapter '" + name + "' skipped: " + TrytonErp.whyNotAvailable());
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aStockChangeIsReportedOnceAfterTheWatermarkAndNotAgainWithTheNewOne(String name) throws Exception {
        ErpChangesUnderTest erp = adapter(name);
        Poll poll = new Poll(erp, caughtUp(erp));
        String item = "TCK-STK-" + name.toUpperCase(Locale.ROOT) + "-" + UUID.randomUUID().toString().substring(0, 8);

        String key = erp.receiveStock(item, "7");

        JsonNode change = poll.until("STOCK", key);
        assertThat(change.path("partitionKey").asText()).isEqualTo(item);
        assertThat(change.path("orderRef").isNull()).isTrue();
        JsonNode level = change.path("data");
        assertCanonical(CanonicalSchemas.INVENTORY_LEVEL, level);
        assertThat(level.path("itemId").asText()).isEqualTo(item);
        assertThat(level.path("onHand").decimalValue()).isEqualByComparingTo("7");
        assertThat(level.path("available").decimalValue()).isEqualByComparingTo("7");
        assertThat(level.path("changeNumber").asLong()).isEqualTo(change.path("changeNumber").asLong());
        assertThat(poll.reported("STOCK", key)).as("reported once").isEqualTo(1);

        // the next polls, each with the watermark of the one before, do not report it again
        poll.next();
        poll.next();
        assertThat(poll.reported("STOCK", key)).as("not reported again with the new watermark").isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aShipmentDoneIsReportedAsShippedForItsOrder(String name) throws Exception {
        ErpChangesUnderTest erp = adapter(name);
        Poll poll = new Poll(erp, caughtUp(erp));
        String orderId = "OPP-CHG-" + name.toUpperCase(Locale.ROOT) + "-" + UUID.randomUUID().toString().substring(0, 8);

        erp.shipOrder(orderId);

        JsonNode change = poll.untilMatching("SHIPMENT", c -> orderId.equals(c.path("orderRef").asText(null))
                && "SHIPPED".equals(c.path("data").path("status").asText()));
        JsonNode shipment = change.path("data");
        assertCanonical(CanonicalSchemas.SHIPMENT_STATUS, shipment);
        assertThat(shipment.path("crmOrderRef").asText()).isEqualTo(orderId);
        assertThat(shipment.path("shippedAt").asText()).isNotBlank();
        assertThat(change.path("key").asText()).isEqualTo(shipment.path("shipmentNumber").asText());
        assertThat(change.path("partitionKey").asText()).isEqualTo(shipment.path("erpOrderNumber").asText());
        String key = change.path("key").asText();

        poll.next();
        poll.next();
        assertThat(poll.reportedAfter("SHIPMENT", key, change)).as("not reported again with the new watermark").isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anErpThatCannotBeReachedIsARetryableFailure(String name) throws Exception {
        ErpChangesUnderTest erp = adapter(name);
        String watermark = caughtUp(erp);
        Throwable failed = erp.whileDown(() -> catchThrowable(() -> erp.changesSince(watermark)));
        assertThat(failed).isNotNull();
        assertThat(rootOf(failed)).isNotInstanceOf(NotRetryableException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void nothingChangedAnswersNoChangeOfOurs(String name) throws Exception {
        ErpChangesUnderTest erp = adapter(name);
        JsonNode first = erp.changesSince(caughtUp(erp));
        assertResult(first);
        JsonNode again = erp.changesSince(first.path("watermark").asText(null));
        assertResult(again);
        assertThat(again.path("watermark").isNull() || !again.path("watermark").asText().isEmpty()).isTrue();
    }

    // --- helpers

    /** A watermark after everything the ERP holds now (other tests' changes are read past once). */
    private static String caughtUp(ErpChangesUnderTest erp) throws Exception {
        JsonNode result = erp.changesSince(null);
        assertResult(result);
        return result.path("watermark").isNull() ? null : result.path("watermark").asText();
    }

    private static void assertResult(JsonNode result) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/erp/erp-changes.schema.json")), result)).isEmpty();
    }

    private static void assertCanonical(CanonicalSchemas.Schema schema, JsonNode event) {
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(schema), event)).isEmpty();
    }

    private static Throwable rootOf(Throwable t) {
        Throwable found = t;
        while (found instanceof CamelExecutionException && found.getCause() != null) {
            found = found.getCause();
        }
        return found;
    }

    /** Polls the port as the flow does: each call with the watermark the call before answered; keeps every change. */
    private static final class Poll {
        private final ErpChangesUnderTest erp;
        private String watermark;
        private final List<JsonNode> changes = new ArrayList<>();

        Poll(ErpChangesUnderTest erp, String watermark) {
            this.erp = erp;
            this.watermark = watermark;
        }

        void next() throws Exception {
            JsonNode result = erp.changesSince(watermark);
            assertResult(result);
            result.path("changes").forEach(changes::add);
            watermark = result.path("watermark").isNull() ? null : result.path("watermark").asText();
        }

        JsonNode until(String entity, String key) {
            return untilMatching(entity, c -> key.equals(c.path("key").asText()));
        }

        JsonNode untilMatching(String entity, java.util.function.Predicate<JsonNode> wanted) {
            AtomicReference<JsonNode> found = new AtomicReference<>();
            await().atMost(REPORTED_WITHIN).pollInterval(Duration.ofMillis(300)).until(() -> {
                next();
                changes.stream().filter(c -> entity.equals(c.path("entity").asText())).filter(wanted).findFirst()
                        .ifPresent(found::set);
                return found.get() != null;
            });
            return found.get();
        }

        long reported(String entity, String key) {
            return changes.stream().filter(c -> entity.equals(c.path("entity").asText()) && key.equals(c.path("key").asText())).count();
        }

        long reportedAfter(String entity, String key, JsonNode change) {
            int at = changes.indexOf(change);
            return changes.subList(at + 1, changes.size()).stream()
                    .filter(c -> entity.equals(c.path("entity").asText()) && key.equals(c.path("key").asText())).count();
        }
    }

}
