package io.conduit.esb.complaints;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.KafkaProbe;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.jms.core.JmsTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Complaint routing end to end on the real embedded Kafka, Artemis and PostgreSQL and the sandbox CRM, ERP and OA:
 * a case opened in the CRM becomes a task on its department's queue with the routing table's priority, the OA's task
 * events come back to the CRM case (never backwards), and a task nobody takes within its SLA is escalated once.
 */
class ComplaintRoutingIT extends EsbIntegrationTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);

    @Autowired
    CamelContext camel;
    @Autowired
    ConnectionFactory connectionFactory;
    @Value("${esb.queues.oa-task-events}")
    String taskEventQueue;
    @Value("${camel.component.kafka.brokers}")
    String brokers;
    @Value("${esb.topics.names.complaints}")
    String complaintsTopic;
    @Value("${esb.topics.names.complaint-status}")
    String statusTopic;

    @ParameterizedTest(name = "{0} {1} {2} {3} -> {4} priority {5}")
    @CsvSource(nullValues = "-", value = {
            "DMG,  Urgent, Standard, -,      OA.TASKS.LOGISTICS,     9",
            "DMG,  Medium, Platinum, -,      OA.TASKS.LOGISTICS,     8",
            "DMG,  High,   Gold,     -,      OA.TASKS.LOGISTICS,     7",
            "DMG,  Low,    -,        -,      OA.TASKS.LOGISTICS,     5",
            "LATE, High,   Standard, -,      OA.TASKS.LOGISTICS,     7",
            "LATE, Medium, Standard, -,      OA.TASKS.LOGISTICS,     4",
            "INV,  Urgent, Gold,     -,      OA.TASKS.FINANCE,       6",
            "INV,  Low,    Gold,     -,      OA.TASKS.FINANCE,       3",
            "DEF,  Urgent, Standard, Pumps,  OA.TASKS.QUALITY-PUMPS, 9",
            "DEF,  Urgent, Standard, Valves, OA.TASKS.QUALITY,       9",
            "DEF,  High,   Standard, -,      OA.TASKS.QUALITY,       7",
            "DEF,  Medium, Platinum, Pumps,  OA.TASKS.QUALITY,       5"})
    void eachCategoryAndSeverityLandsOnItsDepartmentQueueWithItsPriority(String code, String priority, String tier,
                                                                        String productLine, String queue,
                                                                        int jmsPriority) {
        String caseNo = newCaseNumber();
        openCase(caseNo, code, priority, tier, productLine, null);

        JsonNode task = awaitTask(caseNo);
        assertThat(task.path("queue").asText()).isEqualTo(queue);
        assertThat(task.path("priority").asInt()).isEqualTo(jmsPriority);
        assertThat(task.path("status").asText()).isEqualTo("OPEN");
        assertThat(task.path("body").path("kind").asText()).isEqualTo("COMPLAINT");
        assertThat(task.path("body").path("routing").path("flagged").asBoolean()).isFalse();

        Map<String, Object> record = complaint(caseNo);
        assertThat(record.get("task_queue")).isEqualTo(queue);
        assertThat(record.get("flagged")).isEqualTo(false);
        assertThat(record.get("status")).isEqualTo("OPEN");
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            JsonNode crm = crmCase(caseNo);
            assertThat(crm.path("caseStatus").asText()).isEqualTo("Routed");
            assertThat(crm.path("assignedTeam").asText()).isEqualTo(queue.substring("OA.TASKS.".length()));
        });
    }

    @Test
    void unknownCategoryGoesToTheDefaultQueueFlaggedAndTheCrmSaysWhy() {
        String caseNo = newCaseNumber();
        openCase(caseNo, "PKG_WASTE", "Urgent", "Platinum", null, null);

        JsonNode task = awaitTask(caseNo);
        assertThat(task.path("queue").asText()).isEqualTo("OA.TASKS.COMPLAINTS-DESK");
        assertThat(task.path("priority").asInt()).isEqualTo(4);
        assertThat(task.path("body").path("routing").path("flagged").asBoolean()).isTrue();
        assertThat(task.path("title").asText()).contains("Unclassified (PKG_WASTE)");

        Map<String, Object> record = complaint(caseNo);
        assertThat(record.get("flagged")).isEqualTo(true);
        assertThat((String) record.get("flag_reason")).contains("unknown category 'PKG_WASTE'");
        // the journal row is written just after the task is sent, so the OA may show the task first
        await().atMost(FLOW_TIMEOUT).untilAsserted(() ->
                assertThat(journal(caseNo)).extracting(r -> r.get("kind")).contains("FLAGGED"));
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            JsonNode crm = crmCase(caseNo);
            assertThat(crm.path("caseStatus").asText()).isEqualTo("Routed");
            assertThat(crm.path("routingNote").asText()).contains("default queue").contains("PKG_WASTE");
        });
    }

    @Test
    void complaintAboutAnOrderCarriesTheErpOrderAndShipmentAndIsRoutedWhenTheErpIsDown() {
        String opportunity = "OPP-C" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        sandbox.createOpportunity(opportunity);
        sandbox.win(opportunity);
        await().atMost(FLOW_TIMEOUT).until(() -> !jdbc.queryForList(
                "SELECT so_no FROM erp.so_stage_hdr WHERE ext_ref = ?", opportunity).isEmpty());
        String soNo = jdbc.queryForObject("SELECT so_no FROM erp.so_stage_hdr WHERE ext_ref = ?", String.class, opportunity);
        String shipment = "SH" + soNo.substring(2);
        jdbc.update("INSERT INTO erp.shp_hdr (shp_no, so_no, carrier_cd, track_no, ship_ts) VALUES (?, ?, 'DHL', 'TRK-1', now())",
                shipment, soNo);

        String caseNo = newCaseNumber();
        openCase(caseNo, "LATE", "High", "Gold", null, opportunity);
        JsonNode order = awaitTask(caseNo).path("body").path("order");
        assertThat(order.path("crmOrderId").asText()).isEqualTo(opportunity);
        assertThat(order.path("erpLookup").asText()).isEqualTo("FOUND");
        assertThat(order.path("erpOrderNumber").asText()).isEqualTo(soNo);
        assertThat(order.path("erpStatus").asText()).isEqualTo("NEW");
        assertThat(order.path("shipment").path("shipmentNumber").asText()).isEqualTo(shipment);
        assertThat(order.path("shipment").path("carrier").asText()).isEqualTo("DHL");

        // the ERP cannot be asked: the complaint is routed all the same, and the task says the ERP data is missing
        sandbox.setFault("erp", "down", 0, 0);
        String whileDown = newCaseNumber();
        openCase(whileDown, "LATE", "High", "Gold", null, opportunity);
        JsonNode task = awaitTask(whileDown);
        assertThat(task.path("queue").asText()).isEqualTo("OA.TASKS.LOGISTICS");
        assertThat(task.path("body").path("order").path("erpLookup").asText()).isEqualTo("UNAVAILABLE");
        assertThat(jdbc.queryForList("SELECT * FROM esb.parked_message WHERE business_key = ?", whileDown)).isEmpty();
    }

    @Test
    void taskProgressReachesTheCrmAndALateAssignedDoesNotReopenIt() throws Exception {
        String caseNo = newCaseNumber();
        openCase(caseNo, "INV", "High", "Standard", null, null);
        String taskId = awaitTask(caseNo).path("taskId").asText();
        // the CRM shows Routed before the agent acts: an assignment seen by the ESB first is a newer state, and the
        // versioned delivery rightly never sends the older Routed after it (CI once read a history without Routed)
        awaitCrm(caseNo, "Routed");

        patchTask(taskId, Map.of("assignee", "f.weber"));
        awaitCrm(caseNo, "Assigned");
        assertThat(crmCase(caseNo).path("assignedTo").asText()).isEqualTo("f.weber");
        assertThat(crmCase(caseNo).path("externalTaskRef").asText()).isEqualTo(taskId);

        patchTask(taskId, Map.of("status", "IN_PROGRESS"));
        awaitCrm(caseNo, "In Progress");
        patchTask(taskId, Map.of("status", "DONE", "resolution", "Credit note CN-77 issued"));
        awaitCrm(caseNo, "Resolved");
        assertThat(crmCase(caseNo).path("resolution").asText()).isEqualTo("Credit note CN-77 issued");

        // an "assigned" event delayed in transit arrives after the task was resolved
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        jms.convertAndSend(taskEventQueue, """
                {"eventId":"TE-late-%s","eventType":"task.assigned","taskId":"%s","queue":"OA.TASKS.FINANCE",
                 "externalRef":"%s","status":"OPEN","assignee":"someone.else","resolution":null,
                 "occurredAt":"2026-01-01T00:00:00Z"}""".formatted(caseNo, taskId, caseNo));
        await().atMost(FLOW_TIMEOUT).until(() -> journal(caseNo).stream()
                .anyMatch(r -> "STATUS_IGNORED".equals(r.get("kind")) && "ASSIGNED".equals(r.get("status"))));

        Map<String, Object> record = complaint(caseNo);
        assertThat(record.get("status")).isEqualTo("RESOLVED");
        assertThat(record.get("assignee")).isEqualTo("f.weber");
        JsonNode crm = crmCase(caseNo);
        assertThat(crm.path("caseStatus").asText()).isEqualTo("Resolved");
        assertThat(crm.path("assignedTo").asText()).isEqualTo("f.weber");
        List<String> history = new ArrayList<>();
        crmHistory(caseNo).forEach(h -> history.add(h.path("caseStatus").asText()));
        assertThat(history).containsSubsequence("Routed", "Assigned", "In Progress", "Resolved");
        assertThat(ranks(history)).isSorted();
        assertThat(new KafkaProbe(brokers).recordsWithKey(complaintsTopic, caseNo)).hasSize(1);

        // the first status event delivered again (a redelivery after a crash, a republish): the record has not changed
        // since the CRM was given it, so the versioned delivery does not send the same state twice
        KafkaProbe kafka = new KafkaProbe(brokers);
        KafkaProbe.Event first = kafka.recordsWithKey(statusTopic, caseNo).get(0);
        kafka.publish(statusTopic, first);
        await().atMost(FLOW_TIMEOUT).until(() -> jdbc.queryForList(
                "SELECT 1 FROM esb.journal_entry WHERE event_id = ? AND hop = 'SUPERSEDED'", first.headers().get("ce_id"))
                .size() == 1);
        assertThat(crmHistory(caseNo)).hasSize(history.size());
    }

    @Test
    void slaBreachEscalatesExactlyOnceAlsoWithTwoScannersAndAfterARestart() throws Exception {
        // the scanner is stopped ("the ESB is down") while the SLA runs out
        camel.getRouteController().stopRoute("complaint-routing.sla-scanner");
        String breached = newCaseNumber();
        String taken = newCaseNumber();
        try {
            openCase(breached, "TEST_SLA", "Medium", "Standard", null, null);
            openCase(taken, "TEST_SLA", "Medium", "Standard", null, null);
            assertThat(awaitTask(breached).path("queue").asText()).isEqualTo("OA.TASKS.SLA-TEST");
            patchTask(awaitTask(taken).path("taskId").asText(), Map.of("assignee", "quick.responder"));
            await().atMost(FLOW_TIMEOUT).until(() -> "ASSIGNED".equals(complaint(taken).get("status")));
            await().atMost(FLOW_TIMEOUT).until(() -> Boolean.TRUE.equals(jdbc.queryForObject(
                    "SELECT bool_and(sla_due_at <= now()) FROM esb.complaint WHERE complaint_id IN (?, ?)",
                    Boolean.class, breached, taken)));
            assertThat(complaint(breached).get("escalated_at")).isNull();

            // two instances scan at the same moment
            ProducerTemplate template = camel.createProducerTemplate();
            CompletableFuture<?> first = CompletableFuture.runAsync(() -> template.sendBody("direct:complaint-routing.escalate-due", null));
            CompletableFuture<?> second = CompletableFuture.runAsync(() -> template.sendBody("direct:complaint-routing.escalate-due", null));
            CompletableFuture.allOf(first, second).join();
        } finally {
            // "restart": the scanner runs again on the same database state
            camel.getRouteController().startRoute("complaint-routing.sla-scanner");
        }

        await().atMost(FLOW_TIMEOUT).until(() -> !tasks(breached, "OA.TASKS.SLA-TEST.MANAGER").isEmpty());
        JsonNode escalation = tasks(breached, "OA.TASKS.SLA-TEST.MANAGER").get(0);
        assertThat(escalation.path("priority").asInt()).isEqualTo(9);
        assertThat(escalation.path("body").path("kind").asText()).isEqualTo("COMPLAINT_ESCALATION");
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(crmCase(breached).path("escalated").asBoolean()).isTrue());

        // several scans later (period 500 ms), still exactly one escalation, recorded once
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                tasks(breached, "OA.TASKS.SLA-TEST.MANAGER").size() == 1 && escalations(breached) == 1);
        assertThat(complaint(breached).get("escalated_at")).isNotNull();
        assertThat(complaint(breached).get("escalation_queue")).isEqualTo("OA.TASKS.SLA-TEST.MANAGER");
        // the complaint someone took in time is not escalated
        assertThat(complaint(taken).get("escalated_at")).isNull();
        assertThat(tasks(taken, "OA.TASKS.SLA-TEST.MANAGER")).isEmpty();
        assertThat(escalations(taken)).isZero();
    }

    @Test
    void invalidCaseWebhookGets400AndNothingIsStored() throws Exception {
        String caseNo = newCaseNumber();
        Map<String, Object> bad = Map.of("eventId", "wh-" + caseNo, "eventType", "case.created",
                "occurredAt", "2026-11-21T09:00:00Z",
                "data", Map.of("caseNumber", caseNo, "accountNo", "ACC-1", "accountName", "A", "categoryCode", "dmg",
                        "priority", "Critical", "origin", "Email", "description", "x", "openedAt", "2026-11-21T09:00:00Z"));
        var response = sandbox.signedAs("crm").post().uri("/api/v1/crm/webhooks/case-created")
                .contentType(MediaType.APPLICATION_JSON).body(bad).retrieve().toEntity(JsonNode.class);
        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getBody().path("violations").findValuesAsText("field"))
                .contains("$.data.categoryCode", "$.data.priority");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM esb.complaint WHERE complaint_id = ?", Integer.class, caseNo)).isZero();
    }

    // --- helpers

    private static String newCaseNumber() {
        return "CS-T" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private void openCase(String caseNo, String code, String priority, String tier, String productLine, String opportunity) {
        Map<String, Object> body = new HashMap<>();
        body.put("caseNumber", caseNo);
        body.put("accountNo", "ACC-204");
        body.put("accountName", "Acme GmbH");
        body.put("accountTier", tier);
        body.put("relatedOpportunityId", opportunity);
        body.put("categoryCode", code);
        body.put("priority", priority);
        body.put("origin", "Email");
        body.put("subject", "Complaint " + caseNo);
        body.put("description", "The customer is not happy.");
        body.put("productSku", "P-100");
        body.put("productName", "Hydraulic pump HP-10");
        body.put("productLine", productLine);
        var response = sandbox.http().post().uri("/sandbox/crm/api/cases").contentType(MediaType.APPLICATION_JSON)
                .body(body).retrieve().toEntity(JsonNode.class);
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(201);
    }

    private JsonNode awaitTask(String caseNo) {
        await().atMost(FLOW_TIMEOUT).until(() -> !tasks(caseNo, null).isEmpty());
        return tasks(caseNo, null).get(0);
    }

    private List<JsonNode> tasks(String externalRef, String queue) {
        JsonNode list = sandbox.http().get().uri(u -> {
            u.path("/sandbox/oa/api/tasks").queryParam("externalRef", externalRef);
            if (queue != null) {
                u.queryParam("queue", queue);
            }
            return u.build();
        }).retrieve().body(JsonNode.class);
        List<JsonNode> result = new ArrayList<>();
        list.forEach(t -> {
            if (queue != null || !t.path("queue").asText().endsWith(".MANAGER")) {
                result.add(t);
            }
        });
        return result;
    }

    private void patchTask(String taskId, Map<String, Object> change) {
        var response = sandbox.http().patch().uri("/sandbox/oa/api/tasks/{id}", taskId)
                .contentType(MediaType.APPLICATION_JSON).body(change).retrieve().toEntity(JsonNode.class);
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(200);
    }

    private JsonNode crmCase(String caseNo) {
        return sandbox.http().get().uri("/sandbox/crm/api/cases/{id}", caseNo).retrieve().body(JsonNode.class);
    }

    private JsonNode crmHistory(String caseNo) {
        return sandbox.http().get().uri("/sandbox/crm/api/cases/{id}/status-history", caseNo).retrieve().body(JsonNode.class);
    }

    private void awaitCrm(String caseNo, String status) {
        await().atMost(FLOW_TIMEOUT).untilAsserted(() ->
                assertThat(crmCase(caseNo).path("caseStatus").asText()).isEqualTo(status));
    }

    private Map<String, Object> complaint(String caseNo) {
        return jdbc.queryForMap("SELECT * FROM esb.complaint WHERE complaint_id = ?", caseNo);
    }

    private List<Map<String, Object>> journal(String caseNo) {
        return jdbc.queryForList("SELECT * FROM esb.complaint_journal WHERE complaint_id = ? ORDER BY id", caseNo);
    }

    private int escalations(String caseNo) {
        return jdbc.queryForObject("SELECT count(*) FROM esb.complaint_journal WHERE complaint_id = ? AND kind = 'ESCALATED'",
                Integer.class, caseNo);
    }

    private static List<Integer> ranks(List<String> crmStatuses) {
        List<String> order = List.of("New", "Routed", "Assigned", "In Progress", "Resolved");
        return crmStatuses.stream().map(order::indexOf).toList();
    }
}
