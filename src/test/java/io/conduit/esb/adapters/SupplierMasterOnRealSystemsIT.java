package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.realsystems.RealSystemsIntegrationTest;
import io.conduit.esb.support.TaxIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The supplier master with the ERP switched to a real Tryton by configuration only (the pair sandbox.tryton of
 * esb.supplier-master.adapters): a supplier created in the (sandbox) CRM becomes one Tryton party used as vendor - its
 * CRM supplier and tax id as identifiers, its address, in the party category "Suppliers", its rating in the supplier
 * note -, Tryton's party code comes back to the CRM as the vendor number; a re-rating and a rename in the CRM reach the
 * party without touching the supplier payment term purchasing set in Tryton, and a deactivation takes it out of
 * "Suppliers". A supplier that is a customer already (the customer master's party with its tax id) is that party,
 * linked as vendor too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SupplierMasterOnRealSystemsIT extends RealSystemsIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(SupplierMasterOnRealSystemsIT.class);
    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(60);

    private TrytonErp tryton;

    @BeforeAll
    void systems() throws Exception {
        tryton = TrytonErp.startTrytonIfAvailable().orElseThrow();
        assertThat(tryton.whyNoVendors()).as("Tryton's supplier set-up (ops/real-systems/start.sh)").isNull();
        // Tryton keeps its parties between runs, each carrying the CRM supplier (and account) it came from, while every
        // run's sandbox CRM numbers them from SUP-30001 (ACC-20001) again: each run numbers them apart
        long apart = System.currentTimeMillis() / 1000 * 10;
        jdbc.queryForObject("SELECT setval('sandbox_crm.supplier_seq', ?)", Long.class, apart);
        jdbc.queryForObject("SELECT setval('sandbox_crm.account_seq', GREATEST(?, (SELECT last_value FROM sandbox_crm.account_seq)))",
                Long.class, apart);
    }

    @AfterAll
    void stopSystems() {
        tryton.close();
    }

    @Test
    void aSupplierBecomesATrytonVendorWhoseCodeComesBackAndItsChangesFollow() throws Exception {
        String tax = TaxIds.germanVat();
        long created = System.currentTimeMillis();
        String supplier = createSupplier("Stahlwerk Nord GmbH", tax, 4, "Hamburg");

        JsonNode withNumber = awaitSupplier(supplier, s -> !s.path("erp_vendor_no").isNull());
        LOG.info("The CRM supplier {} shows Tryton's party code {} {} ms after it was created", supplier,
                withNumber.path("erp_vendor_no").asText(), System.currentTimeMillis() - created);
        String code = withNumber.path("erp_vendor_no").asText();
        ErpVendorsUnderTest.ErpVendor vendor = tryton.vendor(code);
        assertThat(vendor.name()).isEqualTo("Stahlwerk Nord GmbH");
        assertThat(vendor.taxId()).isEqualTo(tax);
        assertThat(vendor.crmRef()).isEqualTo(supplier);
        assertThat(vendor.rating()).isEqualTo(4);
        assertThat(vendor.active()).isTrue();
        assertThat(vendor.cities()).containsExactly("Hamburg");
        assertThat(withNumber.path("revision").asInt()).as("the vendor number is no new revision of the supplier").isEqualTo(1);

        // purchasing sets the supplier payment term in Tryton while the CRM re-rates and renames the supplier
        tryton.setPurchasingTerms(code, "NET60");
        patchSupplier(supplier, Map.of("rating", 2, "legalName", "Stahlwerk Nord AG"));
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            ErpVendorsUnderTest.ErpVendor changed = tryton.vendor(code);
            assertThat(changed.name()).isEqualTo("Stahlwerk Nord AG");
            assertThat(changed.rating()).isEqualTo(2);
            assertThat(changed.paymentTerms()).as("Tryton's own terms stay").isEqualTo("NET60");
        });
        assertThat(tryton.vendorsOfSupplier(supplier)).isEqualTo(1);
        assertThat(tryton.vendorsWithTaxId(tax)).isEqualTo(1);

        sandbox.http().post().uri("/sandbox/crm/api/suppliers/{s}/deactivate", supplier).retrieve().toBodilessEntity();
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(tryton.vendor(code).active()).as("flagged").isFalse());
        assertThat(tryton.vendor(code).crmRef()).as("kept, never archived").isEqualTo(supplier);
    }

    @Test
    void aSupplierThatIsACustomerAlreadyIsItsPartyLinkedAsVendorToo() throws Exception {
        String tax = TaxIds.germanVat();
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("legalName", "Nordhafen Handels GmbH");
        account.put("taxId", tax);
        account.put("addresses", List.of(Map.of("type", "BILLING", "street", "Kai 1", "postalCode", "24103", "city", "Kiel", "country", "DE")));
        account.put("contacts", List.of(Map.of("name", "Eva Klein", "role", "Purchasing", "email", "eva@nordhafen.example")));
        String accountNo = sandbox.http().post().uri("/sandbox/crm/api/accounts").contentType(MediaType.APPLICATION_JSON)
                .body(account).retrieve().body(JsonNode.class).path("account_no").asText();
        String code = await().atMost(FLOW_TIMEOUT).until(() -> sandbox.http().get().uri("/sandbox/crm/api/accounts/{a}", accountNo)
                .retrieve().body(JsonNode.class), a -> !a.path("erp_customer_no").isNull()).path("erp_customer_no").asText();

        String supplier = createSupplier("Nordhafen Handel GmbH", tax, 5, "Lübeck");
        awaitSupplier(supplier, s -> code.equals(s.path("erp_vendor_no").asText()));
        assertThat(jdbc.queryForObject("SELECT outcome FROM esb.supplier_master WHERE supplier_id = ?", String.class, supplier))
                .isEqualTo("LINKED");
        assertThat(tryton.vendor(code).crmRef()).isEqualTo(supplier);
        assertThat(tryton.vendor(code).rating()).isEqualTo(5);
        assertThat(tryton.customer(code).crmRef()).as("the customer link stays").isEqualTo(accountNo);
        assertThat(tryton.customer(code).name()).as("the customer master's name stays").isEqualTo("Nordhafen Handels GmbH");
        assertThat(tryton.vendorsWithTaxId(tax)).isEqualTo(1);
    }

    private String createSupplier(String legalName, String taxId, int rating, String city) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("legalName", legalName);
        body.put("taxId", taxId);
        body.put("rating", rating);
        body.put("addresses", List.of(Map.of("type", "BILLING", "street", "Hafenweg 3", "postalCode", "20457",
                "city", city, "country", "DE")));
        body.put("contacts", List.of(Map.of("name", "Jan Ohlsen", "role", "Sales", "email", "jan@example.com")));
        return sandbox.http().post().uri("/sandbox/crm/api/suppliers").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().body(JsonNode.class).path("supplier_no").asText();
    }

    private void patchSupplier(String supplier, Map<String, Object> change) {
        sandbox.http().patch().uri("/sandbox/crm/api/suppliers/{s}", supplier).contentType(MediaType.APPLICATION_JSON)
                .body(change).retrieve().toBodilessEntity();
    }

    private JsonNode awaitSupplier(String supplier, Predicate<JsonNode> wanted) {
        return await().atMost(FLOW_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> sandbox.http().get()
                .uri("/sandbox/crm/api/suppliers/{s}", supplier).retrieve().body(JsonNode.class), wanted::test);
    }
}
