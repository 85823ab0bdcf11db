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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The contract of port {@code erp.upsert-vendor} (adapters/erp/PORTS.md), run against the sandbox ERP adapter (a
 * Tryton implementation is not written yet). Each case calls the upsert as the supplier master flow does, with the
 * CRM's state of a supplier (its revision as sourceVersion), and does in the ERP what its purchasing people would
 * (enter a vendor first). Asserted in the ERP's vendor table (erp.vend_mst).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErpVendorPortContractIT extends EsbIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private CamelContext esb;

    @BeforeAll
    void stopFlow() throws Exception {
        // the supplier master flow would carry the test's suppliers (which the CRM does not have) the other way: its
        // capture is stopped while the port is driven by hand
        esb.getRouteController().stopRoute("supplier-master.poller");
    }

    @AfterAll
    void startFlowAgain() throws Exception {
        esb.getRouteController().startRoute("supplier-master.poller");
    }

    @Test
    void aNewSupplierIsCreatedOnceAndTheSameRevisionAgainIsADuplicate() throws Exception {
        String supplier = supplierId();
        String tax = TaxIds.germanVat();
        JsonNode created = upsert(crmState(supplier, 1, "Stahlwerk Nord GmbH", tax, 4, "Hamburg", true, null));
        assertResult(created, supplier, "CREATED", 1);
        assertThat(created.path("matchedBy").isNull()).isTrue();
        String number = created.path("erpVendorNumber").asText();
        assertThat(number).isNotBlank();

        JsonNode again = upsert(crmState(supplier, 1, "Stahlwerk Nord GmbH", tax, 4, "Hamburg", true, null));
        assertResult(again, supplier, "DUPLICATE", 1);
        assertThat(again.path("erpVendorNumber").asText()).isEqualTo(number);

        Map<String, Object> held = vendor(number);
        assertThat(held.get("vend_nm")).isEqualTo("Stahlwerk Nord GmbH");
        assertThat(held.get("tax_id")).isEqualTo(tax);
        assertThat(held.get("crm_ref")).isEqualTo(supplier);
        assertThat(((Number) held.get("rating")).intValue()).isEqualTo(4);
        assertThat(held.get("addr").toString()).contains("Hamburg");
        assertThat(count("crm_ref", supplier)).as("one vendor per CRM supplier").isEqualTo(1);
        assertThat(count("tax_id", tax)).as("one vendor per tax id").isEqualTo(1);
    }

    @Test
    void aNewerRevisionWritesTheCrmFieldsOnlyAndAnOlderOneIsStale() throws Exception {
        String supplier = supplierId();
        String tax = TaxIds.germanVat();
        String number = upsert(crmState(supplier, 1, "Ostsee Metall GmbH", tax, 3, "Rostock", true, null))
                .path("erpVendorNumber").asText();
        jdbc.update("UPDATE erp.vend_mst SET pay_terms = 'NET60' WHERE vend_no = ?", number);

        JsonNode updated = upsert(crmState(supplier, 2, "Ostsee Metall AG", tax, 5, "Wismar", true, number));
        assertResult(updated, supplier, "UPDATED", 2);
        Map<String, Object> held = vendor(number);
        assertThat(held.get("vend_nm")).isEqualTo("Ostsee Metall AG");
        assertThat(((Number) held.get("rating")).intValue()).isEqualTo(5);
        assertThat(held.get("addr").toString()).contains("Wismar").doesNotContain("Rostock");
        assertThat(held.get("pay_terms")).as("the ERP's own terms stay").isEqualTo("NET60");

        JsonNode stale = upsert(crmState(supplier, 1, "Ostsee Metall GmbH", tax, 3, "Rostock", true, number));
        assertResult(stale, supplier, "STALE", 2);
        assertThat(vendor(number).get("vend_nm")).as("never older over newer").isEqualTo("Ostsee Metall AG");
    }

    @Test
    void aVendorEnteredInTheErpFirstIsFoundByItsTaxIdAndLinkedNotCreatedTwice() throws Exception {
        String tax = TaxIds.germanVat();
        String number = sandbox.http().post().uri("/sandbox/erp/vendors").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", "Schrauben Schulz KG", "taxId", tax)).retrieve().body(JsonNode.class)
                .path("vend_no").asText();
        String supplier = supplierId();
        JsonNode linked = upsert(crmState(supplier, 1, "Schrauben Schulz KG", tax, 5, "Bremen", true, null));
        assertResult(linked, supplier, "LINKED", 1);
        assertThat(linked.path("matchedBy").asText()).isEqualTo("TAX_ID");
        assertThat(linked.path("erpVendorNumber").asText()).isEqualTo(number);
        assertThat(count("tax_id", tax)).isEqualTo(1);
        assertThat(vendor(number).get("crm_ref")).isEqualTo(supplier);

        // a second CRM supplier with the same tax id is a duplicate in the CRM: nothing written, for a person to merge
        String other = supplierId();
        Throwable conflict = catchThrowable(() -> upsert(crmState(other, 1, "Schulz (duplicate)", tax, 1, "Bremen", true, null)));
        assertThat(rootOf(conflict)).isInstanceOf(NotRetryableException.class).hasMessageContaining(supplier);
        assertThat(count("tax_id", tax)).isEqualTo(1);
        assertThat(count("crm_ref", other)).isZero();
        assertThat(vendor(number).get("vend_nm")).isEqualTo("Schrauben Schulz KG");
    }

    @Test
    void aDeactivationFlagsTheVendorAndASupplierDeactivatedBeforeTheErpKnewItIsNotCreated() throws Exception {
        String supplier = supplierId();
        String tax = TaxIds.germanVat();
        String number = upsert(crmState(supplier, 1, "Gießerei Süd GmbH", tax, 2, "Augsburg", true, null))
                .path("erpVendorNumber").asText();
        assertResult(upsert(crmState(supplier, 2, "Gießerei Süd GmbH", tax, 2, "Augsburg", false, number)), supplier, "UPDATED", 2);
        assertThat(vendor(number).get("crm_act")).as("flagged, kept").isEqualTo("N");

        String unknown = supplierId();
        String otherTax = TaxIds.germanVat();
        JsonNode notCreated = upsert(crmState(unknown, 1, "Never Ordered GmbH", otherTax, null, "Ulm", false, null));
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/erp/vendor-result.schema.json")), notCreated)).isEmpty();
        assertThat(notCreated.path("outcome").asText()).isEqualTo("NOT_CREATED");
        assertThat(notCreated.path("erpVendorNumber").isNull()).isTrue();
        assertThat(count("crm_ref", unknown)).isZero();
        assertThat(count("tax_id", otherTax)).isZero();
    }

    @Test
    void theErpAwayIsRetryable() throws Exception {
        String supplier = supplierId();
        sandbox.setFault("erp", "down", 0, 0);
        Throwable down;
        try {
            down = catchThrowable(() -> upsert(crmState(supplier, 1, "Away GmbH", TaxIds.germanVat(), 3, "Ulm", true, null)));
        } finally {
            sandbox.setFault("erp", "normal", 0, 0);
        }
        assertThat(down).isNotNull();
        assertThat(rootOf(down)).isNotInstanceOf(NotRetryableException.class);
        assertThat(count("crm_ref", supplier)).isZero();
    }

    // --- helpers

    private JsonNode upsert(String supplier) throws Exception {
        return JSON.readTree(esb.createProducerTemplate().requestBody("direct:erp.upsert-vendor", supplier, String.class));
    }

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
        return "SUP-T" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private Map<String, Object> vendor(String number) {
        return jdbc.queryForMap("SELECT vend_no, vend_nm, tax_id, crm_ref, crm_rev, crm_act, rating, CAST(addr AS text) AS addr,"
                + " pay_terms FROM erp.vend_mst WHERE vend_no = ?", number);
    }

    private int count(String column, String value) {
        return jdbc.queryForObject("SELECT count(*) FROM erp.vend_mst WHERE " + column + " = ?", Integer.class, value);
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
