package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The contract of ports {@code crm.suppliers-since} and {@code crm.apply-vendor-number} (adapters/crm/PORTS.md), run
 * against the sandbox CRM adapter (there is no real CRM on the test machine). Each case does in the CRM what its
 * purchasing people would (create, re-rate, deactivate a supplier), then calls the ports as the supplier master flow
 * does: the capture with the watermark of the previous answer, the vendor number as the ERP answered it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrmSuppliersPortContractIT extends EsbIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private CamelContext esb;

    @BeforeAll
    void stopFlow() throws Exception {
        // the supplier master flow would sync the test's suppliers meanwhile (its vendor number written back is a change
        // of the supplier): its capture is stopped while the ports are driven by hand
        esb.getRouteController().stopRoute("supplier-master.poller");
    }

    @AfterAll
    void startFlowAgain() throws Exception {
        esb.getRouteController().startRoute("supplier-master.poller");
    }

    @Test
    void aSupplierIsReportedOnceInItsCurrentStateAndAgainWhenPurchasingChangesIt() throws Exception {
        CapturePoll poll = poll(caughtUp());
        String tax = TaxIds.germanVat();
        String supplier = createSupplier("Stahlwerk Nord GmbH", tax.substring(0, 2) + " " + tax.substring(2), 4);
        patch(supplier, Map.of("rating", 5));
        assertThat(supplier(supplier).path("revision").asInt()).as("a new rating is a new revision").isEqualTo(2);

        JsonNode state = poll.until(supplier, s -> true);
        assertSupplier(state);
        assertThat(state.path("sourceVersion").asInt()).as("created and re-rated before the poll: its current state").isEqualTo(2);
        assertThat(state.path("rating").asInt()).isEqualTo(5);
        assertThat(state.path("taxId").asText()).as("compact, as the CRM keeps it").isEqualTo(tax);
        assertThat(state.path("active").asBoolean()).isTrue();
        assertThat(state.path("addresses").get(0).path("city").asText()).isEqualTo("Hamburg");
        assertThat(state.path("contacts").get(0).path("email").asText()).isEqualTo("jan@stahlwerk.example");
        assertThat(state.path("erpVendorNumber").isNull()).isTrue();
        assertThat(poll.reported(supplier)).as("reported once").isEqualTo(1);
        poll.next();
        poll.next();
        assertThat(poll.reported(supplier)).as("not again with the new watermark").isEqualTo(1);

        // the vendor number written by the ESB is a change of the supplier, but not of what purchasing owns: same revision
        applyVendorNumber(supplier, "V0000777");
        JsonNode withNumber = poll.until(supplier, s -> "V0000777".equals(s.path("erpVendorNumber").asText()));
        assertSupplier(withNumber);
        assertThat(withNumber.path("sourceVersion").asInt()).isEqualTo(2);

        esbSandboxPost("/sandbox/crm/api/suppliers/{s}/deactivate", supplier);
        JsonNode deactivated = poll.until(supplier, s -> !s.path("active").asBoolean());
        assertThat(deactivated.path("sourceVersion").asInt()).as("a deactivation is a new revision").isEqualTo(3);
    }

    @Test
    void theVendorNumberIsWrittenAloneAndTheSameNumberAgainIsADuplicate() throws Exception {
        String supplier = createSupplier("Schrauben Schulz KG", TaxIds.germanVat(), 3);
        JsonNode applied = applyVendorNumber(supplier, "V0000042");
        assertResult(applied, supplier, "APPLIED", "V0000042");
        JsonNode shown = supplier(supplier);
        assertThat(shown.path("erp_vendor_no").asText()).isEqualTo("V0000042");
        assertThat(shown.path("revision").asInt()).as("the vendor number is no new revision").isEqualTo(1);
        assertThat(shown.path("legal_name").asText()).isEqualTo("Schrauben Schulz KG");

        assertResult(applyVendorNumber(supplier, "V0000042"), supplier, "DUPLICATE", "V0000042");

        // purchasing cannot edit what the ERP owns
        AtomicBoolean refused = new AtomicBoolean();
        sandbox.http().patch().uri("/sandbox/crm/api/suppliers/{s}", supplier).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("erpVendorNumber", "V9")).retrieve()
                .onStatus(HttpStatusCode::is4xxClientError, (req, res) -> refused.set(
                        new String(res.getBody().readAllBytes()).contains("erpVendorNumber")))
                .toBodilessEntity();
        assertThat(refused.get()).isTrue();
        assertThat(supplier(supplier).path("erp_vendor_no").asText()).isEqualTo("V0000042");
    }

    @Test
    void anUnknownSupplierIsPermanentTheCrmAwayIsRetryable() throws Exception {
        assertThat(rootOf(catchThrowable(() -> applyVendorNumber("SUP-NOSUCH", "V1")))).isInstanceOf(NotRetryableException.class);
        String supplier = createSupplier("Away GmbH", null, 2);
        String watermark = caughtUp();
        sandbox.setFault("crm", "down", 0, 0);
        Throwable capture;
        Throwable apply;
        try {
            capture = catchThrowable(() -> suppliersSince(watermark));
            apply = catchThrowable(() -> applyVendorNumber(supplier, "V1"));
        } finally {
            sandbox.setFault("crm", "normal", 0, 0);
        }
        assertThat(capture).isNotNull();
        assertThat(rootOf(capture)).isNotInstanceOf(NotRetryableException.class);
        assertThat(apply).isNotNull();
        assertThat(rootOf(apply)).isNotInstanceOf(NotRetryableException.class);
        assertThat(supplier(supplier).path("erp_vendor_no").isNull()).isTrue();
    }

    // --- helpers

    private JsonNode suppliersSince(String watermark) throws Exception {
        String request = JSON.writeValueAsString(Collections.singletonMap("watermark", watermark));
        return JSON.readTree(esb.createProducerTemplate().requestBody("direct:crm.suppliers-since", request, String.class));
    }

    private JsonNode applyVendorNumber(String supplier, String number) throws Exception {
        String request = JSON.writeValueAsString(Map.of("supplierId", supplier, "erpVendorNumber", number));
        return JSON.readTree(esb.createProducerTemplate().requestBody("direct:crm.apply-vendor-number", request, String.class));
    }

    private String createSupplier(String legalName, String taxId, int rating) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("legalName", legalName);
        body.put("taxId", taxId);
        body.put("rating", rating);
        body.put("addresses", List.of(Map.of("type", "BILLING", "street", "Hafenweg 3", "postalCode", "20457",
                "city", "Hamburg", "country", "DE")));
        body.put("contacts", List.of(Map.of("name", "Jan Ohlsen", "role", "Sales", "email", "jan@stahlwerk.example")));
        return sandbox.http().post().uri("/sandbox/crm/api/suppliers").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().body(JsonNode.class).path("supplier_no").asText();
    }

    private void patch(String supplier, Map<String, Object> change) {
        sandbox.http().patch().uri("/sandbox/crm/api/suppliers/{s}", supplier).contentType(MediaType.APPLICATION_JSON)
                .body(change).retrieve().toBodilessEntity();
    }

    private void esbSandboxPost(String uri, String supplier) {
        sandbox.http().post().uri(uri, supplier).retrieve().toBodilessEntity();
    }

    private JsonNode supplier(String supplier) {
        return sandbox.http().get().uri("/sandbox/crm/api/suppliers/{s}", supplier).retrieve().body(JsonNode.class);
    }

    private static void assertResult(JsonNode result, String supplier, String outcome, String number) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/crm/vendor-number-result.schema.json")), result)).isEmpty();
        assertThat(result.path("supplierId").asText()).isEqualTo(supplier);
        assertThat(result.path("outcome").asText()).isEqualTo(outcome);
        assertThat(result.path("erpVendorNumber").asText()).isEqualTo(number);
    }

    private static void assertSupplier(JsonNode supplier) {
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.SUPPLIER), supplier)).isEmpty();
        assertThat(supplier.path("source").asText()).isEqualTo("crm");
    }

    static void assertChanges(JsonNode result) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/crm/supplier-changes.schema.json")), result)).isEmpty();
        Set<String> seen = new HashSet<>();
        result.path("suppliers").forEach(s -> assertThat(seen.add(s.path("supplierId").asText()))
                .as("each supplier at most once per answer: " + s.path("supplierId").asText()).isTrue());
    }

    private String caughtUp() throws Exception {
        JsonNode result = suppliersSince(null);
        assertChanges(result);
        return result.path("watermark").isNull() ? null : result.path("watermark").asText();
    }

    private CapturePoll poll(String watermark) {
        return new CapturePoll(this::suppliersSince, "suppliers", "supplierId", CrmSuppliersPortContractIT::assertChanges,
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
