package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.canonical.CanonicalSchemas;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.NotRetryableException;
import io.conduit.esb.support.TaxIds;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The contract of port {@code erp.upsert-vendor} (adapters/erp/PORTS.md), run against every ERP adapter: the sandbox
 * (always) and a real Tryton 6 with module purchase and the party category "Suppliers" (started by
 * {@code ops/real-systems/start.sh}; skipped with a message when it is not running, required when
 * {@code CONDUIT_REAL_SYSTEMS=required}). Each case calls the upsert as the supplier master flow does, with the CRM's
 * state of a supplier (its revision as sourceVersion), and does in the ERP what its purchasing people would (enter a
 * vendor first, set its payment terms). Asserted in the ERP (the sandbox's vendor table, Tryton's party).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErpVendorPortContractIT extends EsbIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private CamelContext esb;

    private final List<ErpVendorsUnderTest> adapters = new ArrayList<>();
    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeAll
    void startAdapters() throws Exception {
        // the supplier and customer master flows would carry the test's suppliers and customers (which the CRM does not
        // have) the other way: their captures are stopped while the ports are driven by hand
        esb.getRouteController().stopRoute("supplier-master.poller");
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
        esb.getRouteController().startRoute("supplier-master.poller");
    }

    List<String> adapterNames() {
        return List.of("sandbox", "tryton");
    }

    private ErpVendorsUnderTest adapter(String name) {
        ErpVendorsUnderTest found = adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        Assumptions.assumeTrue(found != null, () -> "ERP adapter '" + name + "' skipped: " + TrytonErp.whyNotAvailable());
        String why = found.whyNoVendors();
        if (why != null && "required".equals(System.getenv("CONDUIT_REAL_SYSTEMS"))) {
            throw new IllegalStateException("CONDUIT_REAL_SYSTEMS=required but " + why);
        }
        Assumptions.assumeTrue(why == null, () -> "ERP adapter '" + name + "' vendor cases skipped: " + why);
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aNewSupplierIsCreatedOnceAndTheSameRevisionAgainIsADuplicate(String name) throws Exception {
        ErpVendorsUnderTest erp = adapter(name);
        String supplier = supplierId();
        String tax = TaxIds.germanVat();
        JsonNode created = erp.upsertVendor(crmState(supplier, 1, "Stahlwerk Nord GmbH", tax, 4, "Hamburg", true, null));
        assertResult(created, supplier, "CREATED", 1);
        assertThat(created.path("matchedBy").isNull()).isTrue();
        String number = created.path("erpVendorNumber").asText();
        assertThat(number).isNotBlank();

        JsonNode again = erp.upsertVendor(crmState(supplier, 1, "Stahlwerk Nord GmbH", tax, 4, "Hamburg", true, null));
        assertResult(again, supplier, "DUPLICATE", 1);
        assertThat(again.path("erpVendorNumber").asText()).isEqualTo(number);

        ErpVendorsUnderTest.ErpVendor held = erp.vendor(number);
        assertThat(held.name()).isEqualTo("Stahlwerk Nord GmbH");
        assertThat(held.taxId()).isEqualTo(tax);
        assertThat(held.crmRef()).isEqualTo(supplier);
        assertThat(held.rating()).isEqualTo(4);
        assertThat(held.active()).isTrue();
        assertThat(held.cities()).containsExactly("Hamburg");
        assertThat(erp.vendorsOfSupplier(supplier)).as("one vendor per CRM supplier").isEqualTo(1);
        assertThat(erp.vendorsWithTaxId(tax)).as("one vendor per tax id").isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aNewerRevisionWritesTheCrmFieldsOnlyAndAnOlderOneIsStale(String name) throws Exception {
        ErpVendorsUnderTest erp = adapter(name);
        String supplier = supplierId();
        String tax = TaxIds.germanVat();
        String number = erp.upsertVendor(crmState(supplier, 1, "Ostsee Metall GmbH", tax, 3, "Rostock", true, null))
                .path("erpVendorNumber").asText();
        erp.setPurchasingTerms(number, "NET60");

        JsonNode updated = erp.upsertVendor(crmState(supplier, 2, "Ostsee Metall AG", tax, 5, "Wismar", true, number));
        assertResult(updated, supplier, "UPDATED", 2);
        assertThat(updated.path("erpVendorNumber").asText()).as("the ERP's number stays").isEqualTo(number);
        ErpVendorsUnderTest.ErpVendor held = erp.vendor(number);
        assertThat(held.name()).isEqualTo("Ostsee Metall AG");
        assertThat(held.rating()).isEqualTo(5);
        assertThat(held.cities()).as("the address no longer in the CRM is gone").containsExactly("Wismar");
        assertThat(held.paymentTerms()).as("the ERP's own terms stay").isEqualTo("NET60");

        JsonNode stale = erp.upsertVendor(crmState(supplier, 1, "Ostsee Metall GmbH", tax, 3, "Rostock", true, number));
        assertResult(stale, supplier, "STALE", 2);
        assertThat(erp.vendor(number).name()).as("never older over newer").isEqualTo("Ostsee Metall AG");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aVendorEnteredInTheErpFirstIsFoundByItsTaxIdAndLinkedNotCreatedTwice(String name) throws Exception {
        ErpVendorsUnderTest erp = adapter(name);
        String tax = TaxIds.germanVat();
        String number = erp.enterVendor("Schrauben Schulz KG", tax);
        String supplier = supplierId();
        JsonNode linked = erp.upsertVendor(crmState(supplier, 1, "Schrauben Schulz KG", tax, 5, "Bremen", true, null));
        assertResult(linked, supplier, "LINKED", 1);
        assertThat(linked.path("matchedBy").asText()).isEqualTo("TAX_ID");
        assertThat(linked.path("erpVendorNumber").asText()).isEqualTo(number);
        assertThat(erp.vendorsWithTaxId(tax)).isEqualTo(1);
        assertThat(erp.vendor(number).crmRef()).isEqualTo(supplier);

        // a second CRM supplier with the same tax id is a duplicate in the CRM: nothing written, for a person to merge
        String other = supplierId();
        Throwable conflict = catchThrowable(() -> erp.upsertVendor(crmState(other, 1, "Schulz (duplicate)", tax, 1, "Bremen", true, null)));
        assertThat(rootOf(conflict)).isInstanceOf(NotRetryableException.class).hasMessageContaining(supplier);
        assertThat(erp.vendorsWithTaxId(tax)).isEqualTo(1);
        assertThat(erp.vendorsOfSupplier(other)).isZero();
        assertThat(erp.vendor(number).name()).isEqualTo("Schrauben Schulz KG");
    }

    /**
     * A supplier that is also a customer of the company (the same legal entity, the same tax id): never a failure, and
     * the customer stays as the customer master has it. Tryton has one party for both and links it as vendor too (its
     * customer link, name and customer revision untouched); the sandbox ERP keeps vendors apart from customers.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aSupplierThatIsACustomerTooLeavesTheCustomerAsTheCustomerMasterHasIt(String name) throws Exception {
        ErpVendorsUnderTest erp = adapter(name);
        ErpCustomersUnderTest customers = (ErpCustomersUnderTest) erp;
        String tax = TaxIds.germanVat();
        String account = "CT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
        String customerState = ErpCustomerPortContractIT.crmState(account, 1, "Nordhafen Handels GmbH", tax, "Kiel", true, null);
        String customerNumber = customers.upsertCustomer(customerState).path("erpCustomerNumber").asText();

        String supplier = supplierId();
        JsonNode vendor = erp.upsertVendor(crmState(supplier, 1, "Nordhafen Handel GmbH", tax, 4, "Lübeck", true, null));
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/erp/vendor-result.schema.json")), vendor)).isEmpty();
        assertThat(vendor.path("outcome").asText()).isIn("CREATED", "LINKED");
        assertThat(vendor.path("supplierId").asText()).isEqualTo(supplier);
        String number = vendor.path("erpVendorNumber").asText();
        assertThat(erp.vendor(number).crmRef()).isEqualTo(supplier);
        assertThat(erp.vendor(number).rating()).isEqualTo(4);
        assertThat(erp.vendorsOfSupplier(supplier)).isEqualTo(1);
        if ("tryton".equals(name)) {
            // Tryton keeps one party per organisation: the customer's party is the vendor too, found by its tax id
            assertThat(vendor.path("outcome").asText()).isEqualTo("LINKED");
            assertThat(vendor.path("matchedBy").asText()).isEqualTo("TAX_ID");
            assertThat(number).as("the customer's party").isEqualTo(customerNumber);
            assertThat(erp.vendorsWithTaxId(tax)).as("no second party with the tax id").isEqualTo(1);
        }

        assertThat(customers.customer(customerNumber).crmRef()).as("the customer link stays").isEqualTo(account);
        assertThat(customers.customer(customerNumber).name()).isEqualTo("Nordhafen Handels GmbH");
        assertThat(customers.customer(customerNumber).cities()).containsExactly("Kiel");
        assertThat(customers.customersOfAccount(account)).isEqualTo(1);
        // each master keeps its own revision: the same revisions again are duplicates, newer ones updates
        assertThat(customers.upsertCustomer(customerState).path("outcome").asText()).isEqualTo("DUPLICATE");
        assertResult(erp.upsertVendor(crmState(supplier, 1, "Nordhafen Handel GmbH", tax, 4, "Lübeck", true, null)),
                supplier, "DUPLICATE", 1);
        JsonNode customerUpdated = customers.upsertCustomer(
                ErpCustomerPortContractIT.crmState(account, 2, "Nordhafen Handels GmbH", tax, "Kiel", true, customerNumber));
        assertThat(customerUpdated.path("outcome").asText()).isEqualTo("UPDATED");
        assertThat(customerUpdated.path("erpCustomerNumber").asText()).isEqualTo(customerNumber);
        assertResult(erp.upsertVendor(crmState(supplier, 2, "Nordhafen Handel GmbH", tax, 2, "Lübeck", true, number)),
                supplier, "UPDATED", 2);
        assertThat(erp.vendor(number).rating()).isEqualTo(2);
        assertThat(erp.vendor(number).crmRef()).isEqualTo(supplier);
        assertThat(customers.customer(customerNumber).crmRef()).isEqualTo(account);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aDeactivationFlagsTheVendorAndASupplierDeactivatedBeforeTheErpKnewItIsNotCreated(String name) throws Exception {
        ErpVendorsUnderTest erp = adapter(name);
        String supplier = supplierId();
        String tax = TaxIds.germanVat();
        String number = erp.upsertVendor(crmState(supplier, 1, "Gießerei Süd GmbH", tax, 2, "Augsburg", true, null))
                .path("erpVendorNumber").asText();
        assertResult(erp.upsertVendor(crmState(supplier, 2, "Gießerei Süd GmbH", tax, 2, "Augsburg", false, number)), supplier, "UPDATED", 2);
        ErpVendorsUnderTest.ErpVendor flagged = erp.vendor(number);
        assertThat(flagged.active()).as("flagged").isFalse();
        assertThat(flagged.crmRef()).as("kept").isEqualTo(supplier);

        String unknown = supplierId();
        String otherTax = TaxIds.germanVat();
        JsonNode notCreated = erp.upsertVendor(crmState(unknown, 1, "Never Ordered GmbH", otherTax, null, "Ulm", false, null));
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/erp/vendor-result.schema.json")), notCreated)).isEmpty();
        assertThat(notCreated.path("outcome").asText()).isEqualTo("NOT_CREATED");
        assertThat(notCreated.path("erpVendorNumber").isNull()).isTrue();
        assertThat(erp.vendorsOfSupplier(unknown)).isZero();
        assertThat(erp.vendorsWithTaxId(otherTax)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void theErpAwayIsRetryable(String name) throws Exception {
        ErpVendorsUnderTest erp = adapter(name);
        String supplier = supplierId();
        Throwable down = erp.whileVendorsDown(() -> catchThrowable(() ->
                erp.upsertVendor(crmState(supplier, 1, "Away GmbH", TaxIds.germanVat(), 3, "Ulm", true, null))));
        assertThat(down).isNotNull();
        assertThat(rootOf(down)).isNotInstanceOf(NotRetryableException.class);
        assertThat(erp.vendorsOfSupplier(supplier)).isZero();
    }

    // --- helpers

    /** A canonical Supplier as the CRM's capture reports it. */
    static String crmState(String supplier, long version, String legalName, String taxId, Integer rating, String city,
                           boolean active, String vendorNumber) throws Exception {
        ObjectNode s = JSON.createObjectNode();
        s.put("schemaVersion", 1);
        s.put("supplierId", supplier);
        s.put("source", "crm");
        s.put("sourceVersion", version);
        s.put("changedAt", "2026-12-01T10:00:00Z");
        s.put("erpVendorNumber", vendorNumber);
        s.put("legalName", legalName);
        s.put("taxId", taxId);
        s.put("active", active);
        s.put("rating", rating);
        s.set("addresses", JSON.valueToTree(List.of(Map.of("type", "BILLING", "street", "Hafenweg 3", "postalCode", "20457",
                "city", city, "country", "DE"))));
        s.set("contacts", JSON.valueToTree(List.of(Map.of("name", "Jan Ohlsen", "email", "jan@" + supplier.toLowerCase() + ".example"))));
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.SUPPLIER), s))
                .as("the test's CRM state is canonical").isEmpty();
        return JSON.writeValueAsString(s);
    }

    private static String supplierId() {
        return "SUP-T" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
    }

    private static void assertResult(JsonNode result, String supplier, String outcome, long crmVersion) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/erp/vendor-result.schema.json")), result)).isEmpty();
        assertThat(result.path("supplierId").asText()).isEqualTo(supplier);
        assertThat(result.path("outcome").asText()).isEqualTo(outcome);
        assertThat(result.path("crmVersion").asLong()).isEqualTo(crmVersion);
    }

    private static Throwable rootOf(Throwable t) {
        Throwable found = t;
        while (found instanceof CamelExecutionException && found.getCause() != null) {
            found = found.getCause();
        }
        return found;
    }
}
