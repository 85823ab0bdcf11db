package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The contract of port {@code erp.order-status} (adapters/erp/PORTS.md), run against every ERP adapter the project
 * can start: the sandbox (always) and a real Tryton 6 ({@code ops/real-systems/start.sh}; skipped with a message
 * when it is not running, required when {@code CONDUIT_REAL_SYSTEMS=required}). Orders are put into the ERP through
 * port erp.upsert-sales-order, as the order handoff does, and moved on there as a person in the ERP would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErpOrderStatusContractIT extends EsbIntegrationTest {

    private static final Path SCHEMA = Path.of("adapters/erp/order-status.schema.json");

    @Autowired
    private CamelContext esb;

    private final List<ErpOrderStatusUnderTest> adapters = new ArrayList<>();

    @BeforeAll
    void startAdapters() throws Exception {
        adapters.add(new SandboxErp(esb, jdbc));
        TrytonErp.startIfAvailable().ifPresent(erp -> adapters.add((ErpOrderStatusUnderTest) erp));
    }

    @AfterAll
    void stopAdapters() {
        adapters.forEach(ErpUnderTest::close);
    }

    private ErpOrderStatusUnderTest adapter(String name) {
        ErpOrderStatusUnderTest found = adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        Assumptions.assumeTrue(found != null, () -> "ERP adapter '" + name + "' skipped: " + TrytonErp.whyNotAvailable());
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sandbox", "tryton"})
    void aKnownOrderAnswersItsNumberStatusAndLastShipment(String name) throws Exception {
        ErpOrderStatusUnderTest erp = adapter(name);
        String id = orderId(name);
        String number = erp.upsert(ErpPortContractIT.order(id, 1, "10")).path("erpOrderNumber").asText();

        JsonNode taken = erp.orderStatus(id);
        assertValid(taken);
        assertThat(taken.path("orderId").asText()).isEqualTo(id);
        assertThat(taken.path("found").asBoolean()).isTrue();
        assertThat(taken.path("erpOrderNumber").asText()).isEqualTo(number);
        assertThat(taken.path("erpStatus").asText()).isNotBlank();
        assertThat(taken.path("status").asText()).isIn("RECEIVED", "ACCEPTED");
        assertThat(taken.path("lastShipment").isNull()).as("no shipment yet: %s", taken).isTrue();

        erp.ship(id);
        JsonNode shipped = erp.orderStatus(id);
        assertValid(shipped);
        assertThat(shipped.path("erpOrderNumber").asText()).isEqualTo(number);
        assertThat(shipped.path("status").asText()).isEqualTo("SHIPPED");
        JsonNode shipment = shipped.path("lastShipment");
        assertThat(shipment.path("shipmentNumber").asText()).isNotBlank();
        assertThat(shipment.path("status").asText()).as("the shipment that left, not the planned one: %s", shipped)
                .isEqualTo("SHIPPED");
        assertThat(shipment.path("delivered").asBoolean()).isFalse();
        assertThat(shipment.path("carrier").isNull() || !shipment.path("carrier").asText().isBlank()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sandbox", "tryton"})
    void anOrderTheErpDoesNotHoldIsNotFoundNotAnError(String name) throws Exception {
        ErpOrderStatusUnderTest erp = adapter(name);
        String id = orderId(name);

        JsonNode answer = erp.orderStatus(id);
        assertValid(answer);
        assertThat(answer.path("orderId").asText()).isEqualTo(id);
        assertThat(answer.path("found").asBoolean()).isFalse();
        for (String member : List.of("erpOrderNumber", "erpStatus", "status", "lastShipment")) {
            assertThat(answer.path(member).isNull()).as(member + " of " + answer).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sandbox", "tryton"})
    void anErpThatCannotBeReachedIsARetryableFailure(String name) throws Exception {
        ErpOrderStatusUnderTest erp = adapter(name);
        Throwable failed = erp.whileDown(() -> catchThrowable(() -> erp.orderStatus(orderId(name))));
        assertThat(failed).isNotNull();
        assertThat(rootOf(failed)).isNotInstanceOf(NotRetryableException.class);
    }

    private static void assertValid(JsonNode answer) {
        assertThat(JsonSchemas.file(SCHEMA).validate(answer)).as("%s", answer).isEmpty();
    }

    private static Throwable rootOf(Throwable t) {
        Throwable found = t;
        while (found instanceof CamelExecutionException && found.getCause() != null) {
            found = found.getCause();
        }
        return found;
    }

    private static String orderId(String adapter) {
        return "OPP-TCK-ST-" + adapter.toUpperCase(Locale.ROOT) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
