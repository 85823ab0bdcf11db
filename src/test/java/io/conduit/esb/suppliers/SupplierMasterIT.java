package io.conduit.esb.suppliers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.TaxIds;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The supplier master flow (routes/supplier-master.camel.yaml) on the sandbox CRM and ERP, driven as their users would
 * drive them: purchasing keeps suppliers (with their rating) in the CRM, the ERP keeps its vendors. Asserted in the
 * systems' own tables and APIs: the ERP vendor (erp.vend_mst) and the CRM supplier.
 */
class SupplierMasterIT extends EsbIntegrationTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long a supplier takes to be parked while the ERP is down (application-test.yaml, adapters/erp/sandbox):
     * 7 attempts in place, each waiting up to the ERP pool's 3 s connection timeout whenever the ERP's breaker lets the
     * call through, with 0.2-2 s between them (up to ~28 s), then 8 s in the retry lane: ~36 s at worst. Here it took
     * 29.5 s on an idle machine; CI's 30 s bound once ran out.
     */
    private static final Duration PARK_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private CamelContext camel;

    @Test
    void aNewSupplierBecomesOneErpVendorWhoseNumberComesBackAndItsChangesFollow() {
        String tax = TaxIds.germanVat();
        String supplier = createSupplier("Stahlwerk Nord GmbH", tax, 4, "Hamburg", "jan@stahlwerk.example");

        Map<String, Object> vendor = awaitVendor(supplier, v -> "Stahlwerk Nord GmbH".equals(v.get("vend_nm")));
        assertThat(vendor.get("tax_id")).isEqualTo(tax);
        assertThat(((Number) vendor.get("rating")).intValue()).isEqualTo(4);
        assertThat(vendor.get("addr").toString()).contains("Hamburg");
        assertThat(vendor.get("cntc").toString()).contains("jan@stahlwerk.example");
        assertThat(vendor.get("pay_terms")).as("the ERP's own default terms").isEqualTo("NET30");
        String number = (String) vendor.get("vend_no");
        JsonNode shown = awaitSupplier(supplier, s -> number.equals(s.path("erp_vendor_no").asText()));
        assertThat(shown.path("revision").asInt()).as("the vendor number is no new revision of the supplier").isEqualTo(1);

        // purchasing re-rates the supplier and moves it: the ERP follows; one ERP vendor, never a second
        patchSupplier(supplier, Map.of("rating", 2, "addresses",
                List.of(Map.of("type", "BILLING", "street", "Kaistr. 9", "postalCode", "24103", "city", "Kiel", "country", "DE"))));
        Map<String, Object> changed = awaitVendor(supplier, v -> ((Number) v.get("crm_rev")).intValue() == 2);
        assertThat(((Number) changed.get("rating")).intValue()).isEqualTo(2);
        assertThat(changed.get("addr").toString()).contains("Kiel").doesNotContain("Hamburg");
        assertThat(changed.get("vend_no")).isEqualTo(number);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.vend_mst WHERE crm_ref = ? OR tax_id = ?", Integer.class,
                supplier, tax)).isEqualTo(1);
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT outcome FROM esb.supplier_master WHERE supplier_id = ? AND delivered_version = 2", String.class,
                supplier)).isEqualTo("UPDATED"));
        assertThat(supplier(supplier).path("erp_vendor_no").asText()).isEqualTo(number);
        // the journal has the supplier's journey by its number: to the ERP, and the vendor number back to the CRM
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(viewer().get()
                .uri("/api/v1/ops/journal/journey?key={k}", supplier).retrieve().body(String.class))
                .contains("supplier-master.upsert-vendor").contains("supplier-master.apply-vendor-number").contains(number));
    }

    @Test
    void aVendorTheErpAlreadyHasByTaxIdIsLinkedNotCreatedTwice() {
        String tax = TaxIds.germanVat();
        String entered = sandbox.http().post().uri("/sandbox/erp/vendors").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", "Schrauben Schulz KG", "taxId", tax, "paymentTerms", "NET60"))
                .retrieve().body(JsonNode.class).path("vend_no").asText();

        String supplier = createSupplier("Schrauben Schulz KG", tax.substring(0, 2) + " " + tax.substring(2), 5, "Bremen",
                "info@schulz.example");
        awaitSupplier(supplier, s -> entered.equals(s.path("erp_vendor_no").asText()));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.vend_mst WHERE tax_id = ?", Integer.class, tax)).isEqualTo(1);
        Map<String, Object> linked = vendor(supplier);
        assertThat(linked.get("vend_no")).isEqualTo(entered);
        assertThat(linked.get("pay_terms")).as("the ERP keeps its own terms").isEqualTo("NET60");
        assertThat(((Number) linked.get("rating")).intValue()).isEqualTo(5);
        assertThat(jdbc.queryForMap("SELECT outcome, matched_by FROM esb.supplier_master WHERE supplier_id = ?", supplier))
                .containsEntry("outcome", "LINKED").containsEntry("matched_by", "TAX_ID");

        // a second CRM supplier with the same tax id: parked for a person (a merge), no second ERP vendor
        String duplicate = createSupplier("Schulz (Bremen)", tax, 3, "Bremen", "bremen@schulz.example");
        await().atMost(FLOW_TIMEOUT).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM esb.parked_message WHERE flow = 'supplier-master' AND business_key = ? AND status = 'PARKED'"
                        + " AND reason LIKE ?", Integer.class, duplicate, "%two CRM suppliers for one vendor%") > 0);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.vend_mst WHERE tax_id = ? OR crm_ref = ?", Integer.class,
                tax, duplicate)).isEqualTo(1);
        assertThat(supplier(duplicate).path("erp_vendor_no").isNull()).isTrue();
    }

    @Test
    void aDeactivationFlagsTheVendorAndASupplierDeactivatedBeforeItsFirstSyncIsNotCreated() {
        String supplier = createSupplier("Gießerei Süd GmbH", TaxIds.germanVat(), 3, "Augsburg", "info@giesserei.example");
        String number = (String) awaitVendor(supplier, v -> true).get("vend_no");
        sandbox.http().post().uri("/sandbox/crm/api/suppliers/{s}/deactivate", supplier).retrieve().toBodilessEntity();
        Map<String, Object> flagged = awaitVendor(supplier, v -> "N".equals(v.get("crm_act")));
        assertThat(flagged.get("vend_no")).as("kept, never deleted").isEqualTo(number);

        // created and deactivated before the flow saw it: the ERP never gets it
        String never = jdbc.queryForObject(
                "INSERT INTO sandbox_crm.supplier (legal_name, active) VALUES (?, false) RETURNING supplier_no", String.class,
                "Never Ordered GmbH");
        await().atMost(FLOW_TIMEOUT).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM esb.supplier_master WHERE supplier_id = ? AND outcome = 'NOT_CREATED'"
                        + " AND delivered_version = 1", Integer.class, never) == 1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.vend_mst WHERE crm_ref = ?", Integer.class, never)).isZero();
        assertThat(supplier(never).path("erp_vendor_no").isNull()).isTrue();
    }

    @Test
    void anOlderRevisionIsNeverAppliedOverANewerOne() throws Exception {
        String supplier = createSupplier("Westfalen Guss AG", TaxIds.germanVat(), 4, "Münster", "info@wg.example");
        awaitVendor(supplier, v -> true);
        String revision1 = jdbc.queryForObject("SELECT CAST(state AS text) FROM esb.supplier_master WHERE supplier_id = ?",
                String.class, supplier);
        patchSupplier(supplier, Map.of("legalName", "Westfalen Guss AG (2)"));
        patchSupplier(supplier, Map.of("rating", 1));
        awaitVendor(supplier, v -> ((Number) v.get("crm_rev")).intValue() == 3);

        ProducerTemplate producer = camel.createProducerTemplate();
        // a late event carrying revision 1 (a redelivery, a replay) on the flow's topic: coalesced, nothing sent
        producer.sendBodyAndHeaders("kafka:{{esb.topics.names.suppliers}}", revision1,
                Map.of("kafka.KEY", supplier, "ce_subject", supplier));
        // the same old state handed to the ERP port the flow's way (versioned): superseded, not sent
        Object answer = producer.requestBody("versioned:erp.upsert-vendor?key=" + supplier + "&version=1", revision1);
        assertThat(answer == null ? "" : answer.toString()).doesNotContain("UPDATED");
        // and straight to the port: the ERP itself refuses to go back (STALE)
        JsonNode stale = JSON.readTree(producer.requestBody("direct:erp.upsert-vendor", revision1, String.class));
        assertThat(stale.path("outcome").asText()).isEqualTo("STALE");
        assertThat(stale.path("crmVersion").asInt()).isEqualTo(3);

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Map<String, Object> vendor = vendor(supplier);
            assertThat(vendor.get("vend_nm")).isEqualTo("Westfalen Guss AG (2)");
            assertThat(((Number) vendor.get("rating")).intValue()).isEqualTo(1);
            assertThat(((Number) vendor.get("crm_rev")).intValue()).isEqualTo(3);
        });
        assertThat(jdbc.queryForObject("SELECT version FROM esb.supplier_master WHERE supplier_id = ?", Long.class, supplier))
                .isEqualTo(3L);
    }

    @Test
    void theErpDownParksTheSupplierAndTheResyncDeliversItOnceWhenTheErpIsBack() {
        sandbox.setFault("erp", "down", 0, 0);
        String tax = TaxIds.germanVat();
        String supplier = createSupplier("Ostsee Metall GmbH", tax, 5, "Rostock", "info@ostsee.example");
        // the ERP call fails, is redelivered, then waits in the retry lane and is parked when it still fails
        await().atMost(PARK_TIMEOUT).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM esb.parked_message WHERE flow = 'supplier-master' AND business_key = ? AND status = 'PARKED'",
                Integer.class, supplier) > 0);
        assertThat(vendor(supplier)).isNull();

        sandbox.setFault("erp", "normal", 0, 0);
        // no further change: the resync marks the parked message REPLAYED and publishes the state again
        String number = (String) awaitVendor(supplier, v -> true).get("vend_no");
        awaitSupplier(supplier, s -> number.equals(s.path("erp_vendor_no").asText()));
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(jdbc.queryForList(
                "SELECT status, resolved_by FROM esb.parked_message WHERE flow = 'supplier-master' AND business_key = ?",
                supplier)).isNotEmpty().allSatisfy(m -> assertThat(m.get("status")).isEqualTo("REPLAYED")));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM esb.parked_message WHERE flow = 'supplier-master'"
                + " AND business_key = ? AND resolved_by = 'supplier-master.resync'", Integer.class, supplier)).isPositive();
        // delivered once: one vendor, created once
        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.vend_mst WHERE crm_ref = ? OR tax_id = ?", Integer.class,
                supplier, tax)).isEqualTo(1);
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(jdbc.queryForMap(
                "SELECT outcome, delivered_version FROM esb.supplier_master WHERE supplier_id = ?", supplier))
                .containsEntry("outcome", "CREATED").containsEntry("delivered_version", 1L));
    }

    // --- the systems, as their users use them

    private String createSupplier(String legalName, String taxId, int rating, String city, String email) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("legalName", legalName);
        body.put("taxId", taxId);
        body.put("rating", rating);
        body.put("addresses", List.of(Map.of("type", "BILLING", "street", "Hafenweg 3", "postalCode", "20457",
                "city", city, "country", "DE")));
        body.put("contacts", List.of(Map.of("name", "Jan Ohlsen", "role", "Sales", "email", email)));
        return sandbox.http().post().uri("/sandbox/crm/api/suppliers").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().body(JsonNode.class).path("supplier_no").asText();
    }

    private void patchSupplier(String supplier, Map<String, Object> change) {
        sandbox.http().patch().uri("/sandbox/crm/api/suppliers/{s}", supplier).contentType(MediaType.APPLICATION_JSON)
                .body(change).retrieve().toBodilessEntity();
    }

    private JsonNode supplier(String supplier) {
        return sandbox.http().get().uri("/sandbox/crm/api/suppliers/{s}", supplier).retrieve().body(JsonNode.class);
    }

    private JsonNode awaitSupplier(String supplier, Predicate<JsonNode> wanted) {
        return await().atMost(FLOW_TIMEOUT).until(() -> supplier(supplier), wanted::test);
    }

    private Map<String, Object> vendor(String supplier) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT vend_no, vend_nm, tax_id, crm_rev, crm_act, rating,"
                + " CAST(addr AS text) AS addr, CAST(cntc AS text) AS cntc, pay_terms FROM erp.vend_mst WHERE crm_ref = ?", supplier);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private Map<String, Object> awaitVendor(String supplier, Predicate<Map<String, Object>> wanted) {
        return await().atMost(FLOW_TIMEOUT).until(() -> vendor(supplier), v -> v != null && wanted.test(v));
    }
}
