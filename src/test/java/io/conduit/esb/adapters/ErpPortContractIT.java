package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.NotRetryableException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The contract of role {@code erp} (adapters/erp/PORTS.md), run against every ERP adapter the project can start:
 * the sandbox (always) and a real Tryton 6 (started by {@code ops/real-systems/start.sh}; skipped with a message
 * when it is not running, required when {@code CONDUIT_REAL_SYSTEMS=required}, as in CI). Each case calls the port
 * exactly as the order handoff does ({@code direct:erp.upsert-sales-order}) and checks what the ERP holds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErpPortContractIT extends EsbIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private CamelContext esb;

    private final List<ErpUnderTest> adapters = new ArrayList<>();

    @BeforeAll
    void startAdapters() throws Exception {
        adapters.add(new SandboxErp(esb, jdbc));
        TrytonErp.startIfAvailable().ifPresent(adapters::add);
    }

    @AfterAll
    void stopAdapters() {
        adapters.forEach(ErpUnderTest::close);
    }

    List<String> adapterNames() {
        List<String> names = new ArrayList<>(List.of("sandbox"));
        names.add("tryton");
        return names;
    }

    private ErpUnderTest adapter(String name) {
        ErpUnderTest found = adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(found != null,
                () -> "ERP adapter '" + name + "' skipped: " + TrytonErp.whyNotAvailable());
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aNewOrderIsCreatedOnceWithTheErpsNumber(String name) throws Exception {
        ErpUnderTest erp = adapter(name);
        String id = orderId(name);
        JsonNode created = erp.upsert(order(id, 1, "10"));
        assertResult(created, id, 1, "CREATED");
        assertThat(created.path("erpOrderNumber").asText()).isNotBlank();
        assertThat(created.path("status").asText()).isIn("RECEIVED", "ACCEPTED");

        JsonNode again = erp.upsert(order(id, 1, "10"));
        assertResult(again, id, 1, "DUPLICATE");
        assertThat(again.path("erpOrderNumber").asText()).isEqualTo(created.path("erpOrderNumber").asText());
        assertThat(erp.ordersWithReference(id)).isEqualTo(1);
        assertThat(erp.quantities(id)).containsExactly("10");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aNewerRevisionReplacesAnOrderNotYetReleasedAndAnOlderOneChangesNothing(String name) throws Exception {
        ErpUnderTest erp = adapter(name);
        String id = orderId(name);
        String number = erp.upsert(order(id, 1, "10")).path("erpOrderNumber").asText();

        JsonNode updated = erp.upsert(order(id, 2, "12"));
        assertResult(updated, id, 2, "UPDATED");
        assertThat(updated.path("erpOrderNumber").asText()).isEqualTo(number);
        assertThat(erp.quantities(id)).containsExactly("12");

        JsonNode stale = erp.upsert(order(id, 1, "10"));
        assertResult(stale, id, 2, "STALE");
        assertThat(erp.quantities(id)).containsExactly("12");
        assertThat(erp.ordersWithReference(id)).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aNewerRevisionOfAReleasedOrderIsRefusedAsPermanent(String name) throws Exception {
        ErpUnderTest erp = adapter(name);
        String id = orderId(name);
        erp.upsert(order(id, 1, "10"));
        erp.release(id);

        Throwable refused = catchThrowable(() -> erp.upsert(order(id, 2, "12")));
        assertThat(rootOf(refused)).isInstanceOf(NotRetryableException.class);
        assertThat(rootOf(refused).getMessage()).contains(id);
        assertThat(erp.quantities(id)).containsExactly("10");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anErpThatCannotBeReachedIsARetryableFailure(String name) throws Exception {
        ErpUnderTest erp = adapter(name);
        Throwable failed = erp.whileDown(() -> catchThrowable(() -> erp.upsert(order(orderId(name), 1, "1"))));
        assertThat(failed).isNotNull();
        assertThat(rootOf(failed)).isNotInstanceOf(NotRetryableException.class);
    }

    // --- helpers

    private static void assertResult(JsonNode result, String id, int revision, String outcome) {
        assertThat(JsonSchemas.file(Path.of("adapters/erp/sales-order-result.schema.json")).validate(result)).isEmpty();
        assertThat(result.path("orderId").asText()).isEqualTo(id);
        assertThat(result.path("revision").asInt()).isEqualTo(revision);
        assertThat(result.path("outcome").asText()).isEqualTo(outcome);
    }

    private static Throwable rootOf(Throwable t) {
        Throwable found = t;
        while (found instanceof CamelExecutionException && found.getCause() != null) {
            found = found.getCause();
        }
        return found;
    }

    private static String orderId(String adapter) {
        return "OPP-TCK-" + adapter.toUpperCase(Locale.ROOT) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String order(String id, int revision, String quantity) throws Exception {
        return JSON.writeValueAsString(JSON.readTree("""
                {"orderId": "%s", "revision": %d, "source": "crm",
                 "customer": {"customerId": "ACC-TCK-1", "name": "Contract Test Kunde GmbH"},
                 "orderDate": "2026-11-30", "requestedDeliveryDate": "2026-12-15", "currency": "EUR",
                 "lines": [{"lineNumber": 1, "productCode": "P-TCK-100", "description": "Contract test bracket",
                            "quantity": %s, "unitPrice": 12.50, "lineTotal": %s}],
                 "totalAmount": %s}
                """.formatted(id, revision, quantity, total(quantity), total(quantity))));
    }

    private static String total(String quantity) {
        return new java.math.BigDecimal(quantity).multiply(new java.math.BigDecimal("12.50")).toPlainString();
    }
}
