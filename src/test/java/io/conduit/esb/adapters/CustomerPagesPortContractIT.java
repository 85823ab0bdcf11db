package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.NotRetryableException;
import io.conduit.esb.support.TaxIds;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
 * The contract of ports {@code erp.customers-page} and {@code crm.customers-page} (adapters/erp/PORTS.md,
 * adapters/crm/PORTS.md), which the customer reconciliation pages through: every ERP adapter - the sandbox (always)
 * and a real Tryton (started by {@code ops/real-systems/start.sh}; skipped with a message when it is not running,
 * required when {@code CONDUIT_REAL_SYSTEMS=required}) - and the sandbox CRM. Customers are made as the customer
 * master makes them (port erp.upsert-customer) or as the CRM's users do, and read back page by page: in byte order of
 * the CRM account after the key given, at most the limit, with the fields the system holds of both sides.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomerPagesPortContractIT extends EsbIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private CamelContext esb;

    private final List<ErpCustomersUnderTest> adapters = new ArrayList<>();
    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeAll
    void startAdapters() throws Exception {
        // the customer master flow would carry the test's customers on: its capture is stopped while ports are driven
        esb.getRouteController().stopRoute("customer-master.poller");
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
        esb.getRouteController().startRoute("customer-master.poller");
    }

    List<String> adapterNames() {
        return List.of("sandbox", "tryton");
    }

    private ErpCustomersUnderTest adapter(String name) {
        ErpCustomersUnderTest found = adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        Assumptions.assumeTrue(found != null, () -> "ERP adapter '" + name + "' skipped: " + TrytonErp.whyNotAvailable());
        String why = found.whyNoCustomers();
        if (why != null && "required".equals(System.getenv("CONDUIT_REAL_SYSTEMS"))) {
            throw new IllegalStateException("CONDUIT_REAL_SYSTEMS=required but " + why);
        }
        Assumptions.assumeTrue(why == null, () -> "ERP adapter '" + name + "' customer cases skipped: " + why);
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void theErpsCustomersComePageByPageInAccountOrderWithBothSidesAsTheErpHoldsThem(String name) throws Exception {
        ErpCustomersUnderTest erp = adapter(name);
        // three accounts next to each other in byte order, made in another order
        String stem = "PG-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        String a = stem + "-A";
        String b = stem + "-B";
        String c = stem + "-C";
        String taxB = TaxIds.germanVat();
        for (String account : List.of(c, a, b)) {
            erp.upsertCustomer(ErpCustomerPortContractIT.crmState(account, 1, "Seite " + account, account.equals(b)
                    ? taxB : TaxIds.germanVat(), "Bremen", true, null));
        }
        String numberB = erp.customersPage(a, 1).path("customers").path(0).path("erpCustomerNumber").asText();
        erp.setTerms(numberB, "25000", "NET60", true);

        JsonNode first = erp.customersPage(stem + "-", 2);
        assertPage(first, "erp");
        assertThat(keys(first)).containsExactly(a, b);
        assertThat(first.path("next").asText()).isEqualTo(b);
        JsonNode held = first.path("customers").path(1);
        assertThat(held.path("erpCustomerNumber").asText()).isEqualTo(numberB).isNotBlank();
        assertThat(held.path("legalName").asText()).isEqualTo("Seite " + b);
        assertThat(held.path("taxId").asText()).isEqualTo(taxB);
        // a field the ERP does not keep is left out (Tryton: active, contacts); one it keeps holds what was written
        if (held.has("active")) {
            assertThat(held.path("active").asBoolean()).isTrue();
        }
        assertThat(held.path("addresses").path(0).path("city").asText()).isEqualTo("Bremen");
        assertThat(held.path("addresses").path(0).path("country").asText()).isEqualTo("DE");
        assertThat(held.path("creditLimit").path("amount").decimalValue()).isEqualByComparingTo("25000");
        assertThat(held.path("paymentTerms").asText()).isEqualTo("NET60");
        assertThat(held.path("blocked").asBoolean()).isTrue();
        if (held.has("contacts")) {
            assertThat(held.path("contacts").toString()).contains("eva.klein@" + b.toLowerCase(Locale.ROOT) + ".example");
        }

        JsonNode second = erp.customersPage(first.path("next").asText(), 2);
        assertPage(second, "erp");
        assertThat(keys(second)).first().isEqualTo(c);
        assertThat(keys(second)).allSatisfy(k -> assertThat(k.compareTo(b)).isPositive());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aLimitOutsideOneToAThousandIsRefused(String name) {
        ErpCustomersUnderTest erp = adapter(name);
        assertThat(rootOf(catchThrowable(() -> erp.customersPage(null, 0)))).isInstanceOf(NotRetryableException.class)
                .hasMessageContaining("limit must be 1-1000");
        assertThat(rootOf(catchThrowable(() -> erp.customersPage(null, 1001)))).isInstanceOf(NotRetryableException.class);
    }

    @Test
    void theCrmsAccountsComePageByPageWithItsCopyOfTheErpsSide() throws Exception {
        String stem = "PG-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        String a = stem + "-A";
        String b = stem + "-B";
        for (String account : List.of(b, a)) {
            sandbox.http().post().uri("/sandbox/crm/api/accounts").contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                    .body(java.util.Map.of("accountNo", account, "legalName", "Konto " + account,
                            "addresses", List.of(java.util.Map.of("type", "BILLING", "city", "Kiel", "country", "DE")),
                            "contacts", List.of(java.util.Map.of("name", "Eva Klein", "email", "eva@kiel.example"))))
                    .retrieve().toBodilessEntity();
        }
        // the ERP's side as the customer master writes it into the CRM
        sandbox.http().put().uri("/sandbox/crm/api/accounts/{a}/erp-terms", b)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(java.util.Map.of("erpCustomerNumber", "C7777777", "creditLimit", 1000, "creditCurrency", "EUR",
                        "paymentTerms", "NET30", "blocked", false, "erpVersion", 1))
                .retrieve().toBodilessEntity();

        JsonNode first = crmPage(stem + "-", 1);
        assertPage(first, "crm");
        assertThat(keys(first)).containsExactly(a);
        assertThat(first.path("next").asText()).isEqualTo(a);
        JsonNode account = first.path("customers").path(0);
        assertThat(account.path("erpCustomerNumber").isNull()).as("no ERP number yet").isTrue();
        assertThat(account.path("mergedInto").isNull()).isTrue();
        assertThat(account.path("contacts").toString())
                .isEqualTo("[{\"name\":\"Eva Klein\",\"role\":null,\"email\":\"eva@kiel.example\",\"phone\":null}]");
        assertThat(account.path("addresses").toString()).isEqualTo(
                "[{\"type\":\"BILLING\",\"street\":null,\"postalCode\":null,\"city\":\"Kiel\",\"country\":\"DE\"}]");

        JsonNode second = crmPage(a, 1);
        assertPage(second, "crm");
        assertThat(keys(second)).containsExactly(b);
        JsonNode withTerms = second.path("customers").path(0);
        assertThat(withTerms.path("erpCustomerNumber").asText()).isEqualTo("C7777777");
        assertThat(withTerms.path("creditLimit").path("amount").decimalValue()).isEqualByComparingTo("1000");
        assertThat(withTerms.path("creditLimit").path("currency").asText()).isEqualTo("EUR");
        assertThat(withTerms.path("paymentTerms").asText()).isEqualTo("NET30");
        assertThat(withTerms.path("blocked").asBoolean()).isFalse();

        // the last page: no next
        JsonNode last = crmPage("\u007e", 10);
        assertPage(last, "crm");
        assertThat(last.path("customers")).isEmpty();
        assertThat(last.path("next").isNull()).isTrue();
    }

    private static Throwable rootOf(Throwable thrown) {
        Throwable t = thrown;
        while (t != null && !(t instanceof NotRetryableException) && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private JsonNode crmPage(String after, int limit) throws Exception {
        String request = JSON.createObjectNode().put("after", after).put("limit", limit).toString();
        return JSON.readTree(esb.createProducerTemplate().requestBody("direct:crm.customers-page", request, String.class));
    }

    private static List<String> keys(JsonNode page) {
        List<String> keys = new ArrayList<>();
        page.path("customers").forEach(c -> keys.add(c.path("customerId").asText()));
        return keys;
    }

    private static void assertPage(JsonNode page, String role) throws Exception {
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/" + role + "/customers-page.schema.json")), page))
                .as("%s", page).isEmpty();
    }
}
