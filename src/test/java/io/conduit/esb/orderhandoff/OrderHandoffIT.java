package io.conduit.esb.orderhandoff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.KafkaProbe;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order handoff end to end, through the real embedded Kafka and PostgreSQL and the sandbox CRM and ERP:
 * CRM won deal -> webhook -> Kafka -> ERP staging tables -> acknowledgement -> CRM.
 */
class OrderHandoffIT extends EsbIntegrationTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);

    @Autowired
    ObjectMapper json;
    @Autowired
    MeterRegistry meters;
    @Value("${camel.component.kafka.brokers}")
    String brokers;
    @Value("${esb.topics.names.orders}")
    String ordersTopic;
    @Value("${esb.topics.names.order-acks}")
    String acksTopic;

    KafkaProbe kafka;

    @BeforeEach
    void probe() {
        kafka = new KafkaProbe(brokers);
    }

    @Test
    void wonOpportunityBecomesErpOrderAndErpNumberFlowsBackToCrm() throws Exception {
        String id = newOpportunityId();
        sandbox.createOpportunity(id);
        sandbox.win(id);

        Map<String, Object> header = awaitErpHeader(id);
        assertThat(header.get("cust_no")).isEqualTo("ACC-204");
        assertThat(header.get("curr_cd")).isEqualTo("EUR");
        assertThat((BigDecimal) header.get("tot_amt")).isEqualByComparingTo("1234.50");
        assertThat(header.get("src_sys")).isEqualTo("CRM");
        assertThat(header.get("stat_cd")).isEqualTo("NEW");
        String soNo = (String) header.get("so_no");
        assertThat(soNo).startsWith("SO");

        List<Map<String, Object>> lines = jdbc.queryForList(
                "SELECT line_no, item_no, ord_qty, unit_prc, line_amt FROM erp.so_stage_line WHERE stg_id = ? ORDER BY line_no",
                header.get("stg_id"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).get("item_no")).isEqualTo("P-100");
        assertThat((BigDecimal) lines.get(0).get("ord_qty")).isEqualByComparingTo("10");
        assertThat((BigDecimal) lines.get(0).get("line_amt")).isEqualByComparingTo("1000.00");
        assertThat((BigDecimal) lines.get(1).get("line_amt")).isEqualByComparingTo("234.50");

        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            JsonNode opp = sandbox.opportunity(id);
            assertThat(opp.path("erpOrderNo").asText()).isEqualTo(soNo);
            assertThat(opp.path("erpStatus").asText()).isEqualTo("Booked");
        });

        List<KafkaProbe.Event> orders = kafka.recordsWithKey(ordersTopic, id);
        List<KafkaProbe.Event> acks = kafka.recordsWithKey(acksTopic, id);
        assertThat(orders).hasSize(1);
        assertThat(acks).hasSize(1);
        KafkaProbe.Event order = orders.get(0);
        KafkaProbe.Event ack = acks.get(0);
        assertThat(order.headers()).containsEntry("ce_type", "io.conduit.order.received")
                .containsEntry("ce_source", "crm").containsEntry("ce_subject", id).containsEntry("ce_specversion", "1.0");
        assertThat(ack.headers()).containsEntry("ce_type", "io.conduit.order.acknowledged")
                .containsEntry("ce_subject", id)
                .containsEntry("ce_correlationid", order.headers().get("ce_correlationid"));
        JsonNode ackBody = json.readTree(ack.value());
        assertThat(ackBody.path("erpOrderNumber").asText()).isEqualTo(soNo);
        assertThat(ackBody.path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(ackBody.path("outcome").asText()).isEqualTo("CREATED");
    }

    @Test
    void duplicateWebhookAndKafkaRedeliveryCreateOneErpOrder() throws Exception {
        String id = newOpportunityId();
        sandbox.createOpportunity(id);
        sandbox.win(id);
        String soNo = (String) awaitErpHeader(id).get("so_no");
        await().atMost(FLOW_TIMEOUT).until(() -> kafka.recordsWithKey(acksTopic, id).size() == 1);

        // the CRM retries its webhook (same event): the ESB accepts it again, the ERP does not change
        sandbox.resendWebhook(id);
        await().atMost(FLOW_TIMEOUT).until(() -> kafka.recordsWithKey(acksTopic, id).size() == 2);

        // Kafka redelivers the stored order record (as after a crash between ERP commit and offset commit)
        KafkaProbe.Event stored = kafka.recordsWithKey(ordersTopic, id).get(0);
        kafka.publish(ordersTopic, stored);
        await().atMost(FLOW_TIMEOUT).until(() -> kafka.recordsWithKey(acksTopic, id).size() == 3);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.so_stage_hdr WHERE ext_ref = ?", Integer.class, id)).isOne();
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM erp.so_stage_line l JOIN erp.so_stage_hdr h ON h.stg_id = l.stg_id
                 WHERE h.ext_ref = ?""", Integer.class, id)).isEqualTo(2);
        List<String> outcomes = kafka.recordsWithKey(acksTopic, id).stream()
                .map(e -> readTree(e.value()).path("outcome").asText()).toList();
        assertThat(outcomes).containsExactly("CREATED", "DUPLICATE", "DUPLICATE");
        List<String> numbers = kafka.recordsWithKey(acksTopic, id).stream()
                .map(e -> readTree(e.value()).path("erpOrderNumber").asText()).distinct().toList();
        assertThat(numbers).containsExactly(soNo);
    }

    @Test
    void revisionsAreAppliedInOrderAndOlderRevisionsChangeNothing() throws Exception {
        String id = newOpportunityId();
        sandbox.createOpportunity(id);
        sandbox.win(id);
        awaitErpHeader(id);
        KafkaProbe.Event firstRevision = kafka.recordsWithKey(ordersTopic, id).get(0);

        // the salesperson changes the won order: one line, new amount -> a newer revision replaces the staged order
        sandbox.replaceOpportunity(id, Map.of(
                "accountNo", "ACC-204", "accountName", "Acme GmbH", "currencyCode", "EUR", "amount", "300.00", "closeDate", "2026-11-20",
                "deliveryDate", "2026-12-15",
                "products", List.of(Map.of("lineNo", 1, "sku", "P-300", "productName", "Hinge", "qty", "3", "unitPrice", "100.00"))));
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(
                (BigDecimal) erpHeader(id).get("tot_amt")).isEqualByComparingTo("300.00"));
        Map<String, Object> updated = erpHeader(id);
        int revision = ((Number) updated.get("ext_rev")).intValue();
        assertThat(revision).isGreaterThan(readTree(firstRevision.value()).path("revision").asInt());

        // the older revision arrives late: it is not sent to the ERP (superseded: the ERP was given a newer one),
        // nothing is acknowledged, nothing changes
        int acks = kafka.recordsWithKey(acksTopic, id).size();
        kafka.publish(ordersTopic, firstRevision);
        String eventId = firstRevision.headers().get("ce_id");
        await().atMost(FLOW_TIMEOUT).until(() -> !jdbc.queryForList(
                "SELECT detail FROM esb.journal_entry WHERE event_id = ? AND hop = 'SUPERSEDED'", String.class, eventId)
                .isEmpty());
        assertThat(jdbc.queryForObject("SELECT detail FROM esb.journal_entry WHERE event_id = ? AND hop = 'SUPERSEDED'",
                String.class, eventId)).contains("erp.upsert-sales-order " + id + ": version "
                + readTree(firstRevision.value()).path("revision").asInt() + " not sent, the target has version " + revision);
        assertThat(kafka.recordsWithKey(acksTopic, id)).hasSize(acks);
        Map<String, Object> after = erpHeader(id);
        assertThat(((Number) after.get("ext_rev")).intValue()).isEqualTo(revision);
        assertThat((BigDecimal) after.get("tot_amt")).isEqualByComparingTo("300.00");
        assertThat(jdbc.queryForList("SELECT item_no FROM erp.so_stage_line WHERE stg_id = ?", String.class, after.get("stg_id")))
                .containsExactly("P-300");
    }

    @Test
    void invalidWebhookGets400ProblemNamingEachViolationAndNothingIsWritten() throws Exception {
        String id = newOpportunityId();
        Map<String, Object> bad = Map.of("eventId", "wh-" + id, "eventType", "opportunity.closed_won",
                "occurredAt", "2026-11-20T09:15:00Z",
                "data", Map.of("opportunityId", id, "revision", 1, "accountNo", "ACC-1", "currencyCode", "euro",
                        "amount", "12,50", "closeDate", "2026-11-20", "products", List.of()));
        ResponseEntity<String> response = sandbox.signedAs("crm").post().uri("/api/v1/crm/webhooks/opportunity-won")
                .contentType(MediaType.APPLICATION_JSON).body(bad).retrieve().toEntity(String.class);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
        JsonNode problem = json.readTree(response.getBody());
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        List<String> fields = problem.path("violations").findValuesAsText("field");
        assertThat(fields).contains("$.data.currencyCode", "$.data.amount", "$.data.products");

        ResponseEntity<String> malformed = sandbox.signedAs("crm").post().uri("/api/v1/crm/webhooks/opportunity-won")
                .contentType(MediaType.APPLICATION_JSON).body("{\"eventId\": ").retrieve().toEntity(String.class);
        assertThat(malformed.getStatusCode().value()).isEqualTo(400);
        assertThat(json.readTree(malformed.getBody()).path("type").asText()).isEqualTo("urn:conduit:problem:malformed-json");

        assertThat(kafka.recordsWithKey(ordersTopic, id)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.so_stage_hdr WHERE ext_ref = ?", Integer.class, id)).isZero();
    }

    @Test
    void erpDownThenBackIsRedeliveredWithoutParking() {
        String id = newOpportunityId();
        double redeliveriesBefore = redeliveries("order-handoff.to-erp");
        sandbox.setFault("erp", "down", 0, 0);
        sandbox.createOpportunity(id);
        sandbox.win(id);

        await().atMost(FLOW_TIMEOUT).until(() -> redeliveries("order-handoff.to-erp") > redeliveriesBefore);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.so_stage_hdr WHERE ext_ref = ?", Integer.class, id)).isZero();
        sandbox.setFault("erp", "normal", 0, 0);

        awaitErpHeader(id);
        await().atMost(FLOW_TIMEOUT).untilAsserted(() ->
                assertThat(sandbox.opportunity(id).path("erpStatus").asText()).isEqualTo("Booked"));
        assertThat(parkedFor(id)).isEmpty();
    }

    @Test
    void crmThatKeepsFailingGetsTheAcknowledgementParkedAndOtherOrdersGoOn() {
        String failing = newOpportunityId();
        sandbox.createOpportunity(failing);
        sandbox.setFault("crm", "failing", 0, 1.0);
        // the salesperson's click in the CRM UI still works; only the CRM's API answers 500 to the ESB
        winIgnoringFaults(failing);

        await().atMost(FLOW_TIMEOUT).until(() -> !parkedFor(failing).isEmpty());
        Map<String, Object> parked = parkedFor(failing).get(0);
        assertThat(parked.get("flow")).isEqualTo("order-handoff");
        assertThat(parked.get("route_id")).isEqualTo("order-handoff.ack-to-crm");
        assertThat((String) parked.get("reason")).contains("500");
        assertThat((String) parked.get("payload")).contains("\"erpOrderNumber\"");
        assertThat(erpHeader(failing)).isNotNull();

        sandbox.setFault("crm", "normal", 0, 0);
        String next = newOpportunityId();
        sandbox.createOpportunity(next);
        sandbox.win(next);
        await().atMost(FLOW_TIMEOUT).untilAsserted(() ->
                assertThat(sandbox.opportunity(next).path("erpStatus").asText()).isEqualTo("Booked"));
        assertThat(sandbox.opportunity(failing).path("erpOrderNo").isMissingNode()
                || sandbox.opportunity(failing).path("erpOrderNo").isNull()).isTrue();
    }

    @Test
    void newerRevisionOfAnOrderTheErpAlreadyReleasedIsParkedForAPersonAndOthersGoOn() {
        String id = newOpportunityId();
        sandbox.createOpportunity(id);
        sandbox.win(id);
        Map<String, Object> staged = awaitErpHeader(id);
        int revision = ((Number) staged.get("ext_rev")).intValue();
        sandbox.http().post().uri("/sandbox/erp/sales-orders/{soNo}/status", staged.get("so_no"))
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("statCd", "REL")).retrieve().toBodilessEntity();

        sandbox.replaceOpportunity(id, Map.of(
                "accountNo", "ACC-204", "accountName", "Acme GmbH", "currencyCode", "EUR", "amount", "100.00",
                "closeDate", "2026-11-20",
                "products", List.of(Map.of("lineNo", 1, "sku", "P-300", "productName", "Hinge", "qty", "1", "unitPrice", "100.00"))));

        await().atMost(FLOW_TIMEOUT).until(() -> !parkedFor(id).isEmpty());
        Map<String, Object> parked = parkedFor(id).get(0);
        assertThat(parked.get("route_id")).isEqualTo("order-handoff.to-erp");
        assertThat((String) parked.get("reason")).contains("REL").contains("manual handling");
        assertThat(((Number) erpHeader(id).get("ext_rev")).intValue()).isEqualTo(revision);

        String next = newOpportunityId();
        sandbox.createOpportunity(next);
        sandbox.win(next);
        awaitErpHeader(next);
    }

    // --- helpers

    private void winIgnoringFaults(String id) {
        sandbox.http().post().uri("/sandbox/crm/api/opportunities/{id}/win", id).header("X-Sandbox-Bypass-Faults", "true")
                .retrieve().toBodilessEntity();
    }

    private static String newOpportunityId() {
        return "OPP-T" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private Map<String, Object> awaitErpHeader(String extRef) {
        await().atMost(FLOW_TIMEOUT).until(() -> erpHeader(extRef) != null);
        return erpHeader(extRef);
    }

    private Map<String, Object> erpHeader(String extRef) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM erp.so_stage_hdr WHERE ext_ref = ?", extRef);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private List<Map<String, Object>> parkedFor(String businessKey) {
        return jdbc.queryForList("SELECT * FROM esb.parked_message WHERE business_key = ?", businessKey);
    }

    private double redeliveries(String routeId) {
        var counter = meters.find("esb.redeliveries").tag("route", routeId).counter();
        return counter == null ? 0 : counter.count();
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
