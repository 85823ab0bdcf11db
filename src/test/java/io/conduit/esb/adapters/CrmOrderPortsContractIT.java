package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.NotRetryableException;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.conduit.esb.adapters.ErpUserPortContractIT.rootOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The contract of the CRM ports of the order, complaint and inventory flows (adapters/crm/PORTS.md):
 * {@code crm.update-order-status}, {@code crm.update-case}, {@code crm.set-availability},
 * {@code crm.update-order-progress}, {@code crm.update-order-shipment}, against the one CRM adapter there is, the
 * sandbox's, as the running ESB has it loaded. Each port is called with canonical data and what the CRM then holds is
 * read back from the sandbox CRM's API; an unknown record is permanent, a CRM that is down retryable.
 */
class CrmOrderPortsContractIT extends EsbIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RESULT_SCHEMA = Path.of("adapters/crm/update-result.schema.json");

    @Autowired
    private CamelContext esb;

    /** Calls a port with a body that is valid canonical data of the port's input type. */
    private JsonNode call(String port, String body) throws Exception {
        String input = Map.of("update-order-status", "order-acknowledgement", "update-case", "complaint-status-update",
                "set-availability", "inventory-level", "update-order-progress", "production-status",
                "update-order-shipment", "shipment-status").get(port);
        assertThat(JsonSchemas.file(Path.of("src/main/resources/schemas/canonical/" + input + ".schema.json"))
                .validate(JSON.readTree(body))).as("canonical input of %s", port).isEmpty();
        return JSON.readTree(esb.createProducerTemplate().requestBody("direct:crm." + port, body, String.class));
    }

    private JsonNode crm(String path, Object... vars) {
        return sandbox.http().get().uri("/sandbox/crm/api" + path, vars).retrieve().body(JsonNode.class);
    }

    @Test
    void orderStatusPatchesTheOpportunityWithTheErpNumberAndStatusLabel() throws Exception {
        String id = newOpportunityId();
        sandbox.createOpportunity(id);

        JsonNode result = call("update-order-status", ack(id, "SO-C1", "ACCEPTED"));
        assertResult(result, id);
        JsonNode opportunity = sandbox.opportunity(id);
        assertThat(opportunity.path("erpOrderNo").asText()).isEqualTo("SO-C1");
        assertThat(opportunity.path("erpStatus").asText()).isEqualTo("Booked");

        assertResult(call("update-order-status", ack(id, "SO-C1", "SHIPPED")), id);
        assertThat(sandbox.opportunity(id).path("erpStatus").asText()).isEqualTo("Shipped");
    }

    @Test
    void availabilityIsSetPerItemAndWarehouse() throws Exception {
        String item = "P-C" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String level = """
                {"itemId": "%s", "warehouseId": "WH-1", "onHand": 40, "reserved": 15, "available": 25, "unit": "PCE",
                 "asOf": "2026-11-20T09:15:00Z", "changeNumber": 17}""";
        assertResult(call("set-availability", level.formatted(item)), item + "@WH-1");
        assertResult(call("set-availability", level.formatted(item).replace("\"onHand\": 40", "\"onHand\": 41")
                .replace("\"changeNumber\": 17", "\"changeNumber\": 18")), item + "@WH-1");

        JsonNode availability = crm("/products/{item}/availability", item);
        assertThat(availability).hasSize(1);
        assertThat(availability.get(0).path("siteCode").asText()).isEqualTo("WH-1");
        assertThat(availability.get(0).path("inStock").asDouble()).isEqualTo(41);
        assertThat(availability.get(0).path("allocated").asDouble()).isEqualTo(15);
        assertThat(availability.get(0).path("availableToPromise").asDouble()).isEqualTo(25);
        assertThat(availability.get(0).path("erpVersion").asLong()).isEqualTo(18);
    }

    @Test
    void productionAndShipmentShowOnTheCrmOrder() throws Exception {
        String id = newOpportunityId();
        sandbox.createOpportunity(id);
        String suffix = id.substring(id.length() - 6);

        assertResult(call("update-order-progress", """
                {"productionOrderNumber": "PRD-C%s", "erpOrderNumber": "SO-C2", "crmOrderRef": "%s", "itemId": "P-100",
                 "stage": "IN_PROGRESS", "erpStage": "IW", "plannedQuantity": 10, "quantityProduced": 4,
                 "quantityScrapped": 0, "defectRate": 0.0125, "plannedCompletion": "2026-12-01T16:00:00Z", "actualCompletion": null,
                 "changedAt": "2026-11-20T09:15:00Z", "changeNumber": 5}""".formatted(suffix, id)), id);
        JsonNode progress = crm("/opportunities/{id}/progress", id);
        assertThat(progress.path("workOrderNo").asText()).isEqualTo("PRD-C" + suffix);
        assertThat(progress.path("progressStage").asText()).isEqualTo("In production");
        assertThat(progress.path("qtyProduced").asDouble()).isEqualTo(4);
        assertThat(progress.path("defectRatePct").asDouble()).isEqualTo(1.25);

        String shipment = "SHP-C" + suffix;
        assertResult(call("update-order-shipment", """
                {"shipmentNumber": "%s", "erpOrderNumber": "SO-C2", "crmOrderRef": "%s", "status": "SHIPPED",
                 "carrier": "DHL", "trackingNumber": "TRK-%s", "shippedAt": "2026-11-21T08:00:00Z", "deliveredAt": null,
                 "changedAt": "2026-11-21T08:00:00Z", "changeNumber": 6}""".formatted(shipment, id, suffix)), shipment);
        JsonNode shipments = crm("/opportunities/{id}/shipments", id);
        assertThat(shipments).hasSize(1);
        assertThat(shipments.get(0).path("shipmentNo").asText()).isEqualTo(shipment);
        assertThat(shipments.get(0).path("trackingNumber").asText()).isEqualTo("TRK-" + suffix);
        assertThat(shipments.get(0).path("carrierName").asText()).isEqualTo("DHL");

        Throwable noOrder = catchThrowable(() -> call("update-order-shipment", """
                {"shipmentNumber": "SHP-X%s", "erpOrderNumber": "SO-C3", "crmOrderRef": null, "status": "PLANNED",
                 "changedAt": "2026-11-21T08:00:00Z", "changeNumber": 1}""".formatted(suffix)));
        assertThat(rootOf(noOrder)).isInstanceOf(NotRetryableException.class).hasMessageContaining("crmOrderRef");
    }

    @Test
    void caseShowsTheComplaintsStatus() throws Exception {
        String caseNo = "CS-C" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        sandbox.openCase(caseNo, "LATE", "Medium");
        // the complaint flow routes the new case and updates it itself first (through the same port)
        await().atMost(Duration.ofSeconds(40)).until(() -> "Routed".equals(crm("/cases/{id}", caseNo).path("caseStatus").asText()));

        assertResult(call("update-case", """
                {"complaintId": "%s", "status": "RESOLVED", "department": "LOGISTICS", "queue": "OA.TASKS.LOGISTICS",
                 "taskId": "T-C1", "assignee": "jdoe", "resolution": "Replacement sent", "escalated": false,
                 "flagged": false, "flagReason": null, "occurredAt": "%s"}""".formatted(caseNo,
                java.time.Instant.now().plusSeconds(60))), caseNo);
        // a late request, older than what the case shows (one the ESB gave up on): the CRM's conditional write refuses it
        JsonNode late = call("update-case", """
                {"complaintId": "%s", "status": "ASSIGNED", "department": "LOGISTICS", "queue": "OA.TASKS.LOGISTICS",
                 "taskId": "T-C1", "assignee": "jdoe", "escalated": false, "flagged": false, "flagReason": null,
                 "occurredAt": "2026-11-22T10:00:00Z"}""".formatted(caseNo));

        assertThat(JsonSchemas.file(RESULT_SCHEMA).validate(late)).isEmpty();
        assertThat(late.path("outcome").asText()).isEqualTo("ALREADY_NEWER");
        JsonNode crmCase = crm("/cases/{id}", caseNo);
        assertThat(crmCase.path("caseStatus").asText()).isEqualTo("Resolved");
        assertThat(crmCase.path("assignedTo").asText()).isEqualTo("jdoe");
        assertThat(crmCase.path("resolution").asText()).isEqualTo("Replacement sent");
        assertThat(crmCase.path("externalTaskRef").asText()).isEqualTo("T-C1");
    }

    @Test
    void anUnknownOpportunityOrCaseIsPermanent() {
        String id = newOpportunityId();
        Throwable unknownOpportunity = catchThrowable(() -> call("update-order-status", ack(id, "SO-C4", "ACCEPTED")));
        assertThat(rootOf(unknownOpportunity)).isInstanceOf(NotRetryableException.class)
                .hasMessageContaining("404").hasMessageContaining(id);

        String caseNo = "CS-C" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        Throwable unknownCase = catchThrowable(() -> call("update-case", """
                {"complaintId": "%s", "status": "ASSIGNED", "occurredAt": "2026-11-22T10:00:00Z"}""".formatted(caseNo)));
        assertThat(rootOf(unknownCase)).isInstanceOf(NotRetryableException.class).hasMessageContaining("404");
    }

    @Test
    void aCrmThatIsDownIsRetryableAndGetsNothing() throws Exception {
        String id = newOpportunityId();
        sandbox.createOpportunity(id);
        String item = "P-C" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        sandbox.setFault("crm", "down", 0, 0);
        try {
            Throwable status = catchThrowable(() -> call("update-order-status", ack(id, "SO-C5", "ACCEPTED")));
            assertThat(status).isNotNull();
            assertThat(rootOf(status)).isNotInstanceOf(NotRetryableException.class);
            Throwable availability = catchThrowable(() -> call("set-availability", """
                    {"itemId": "%s", "warehouseId": "WH-1", "onHand": 1, "reserved": 0, "available": 1,
                     "asOf": "2026-11-20T09:15:00Z", "changeNumber": 1}""".formatted(item)));
            assertThat(availability).isNotNull();
            assertThat(rootOf(availability)).isNotInstanceOf(NotRetryableException.class);
        } finally {
            sandbox.setFault("crm", "normal", 0, 0);
        }
        assertThat(sandbox.opportunity(id).path("erpOrderNo").isNull()).isTrue();
        assertThat(crm("/products/{item}/availability", item)).isEmpty();
    }

    private static String ack(String orderId, String erpOrderNumber, String status) {
        return """
                {"orderId": "%s", "source": "crm", "revision": 1, "erpOrderNumber": "%s", "status": "%s",
                 "erpStatus": "NEW", "outcome": "CREATED", "acknowledgedAt": "2026-11-20T09:15:02.120Z"}"""
                .formatted(orderId, erpOrderNumber, status);
    }


    private static void assertResult(JsonNode result, String crmId) {
        assertThat(JsonSchemas.file(RESULT_SCHEMA).validate(result)).isEmpty();
        assertThat(result.path("outcome").asText()).isEqualTo("UPDATED");
        assertThat(result.path("crmId").asText()).isEqualTo(crmId);
    }

    private static String newOpportunityId() {
        return "OPP-C" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }
}
