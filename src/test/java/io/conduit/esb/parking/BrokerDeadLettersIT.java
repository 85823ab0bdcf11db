package io.conduit.esb.parking;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.support.EsbIntegrationTest;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message the broker gives up on (its maximum delivery attempts, every delivery rolled back) is parked by the ESB
 * from the broker's dead-letter queue, with the queue it came from, and a replay delivers it through the route that
 * consumes that queue. In the second case the broker really gives up: the test tightens a queue's address settings
 * to two delivery attempts without delay and rolls both back with its own transacted consumer.
 */
class BrokerDeadLettersIT extends EsbIntegrationTest {

    private static final String ERP_ROUTE = "employee-onboarding.to-erp";

    @Autowired
    EmbeddedActiveMQ artemis;
    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    CamelContext camel;

    private final List<String> tightened = new java.util.ArrayList<>();
    private Queue paused;

    @AfterEach
    void restore() throws Exception {
        for (String match : tightened) {
            artemis.getActiveMQServer().getAddressSettingsRepository().removeMatch(match);
        }
        if (paused != null && paused.isPaused()) {
            paused.resume();
        }
    }

    @Test
    void employeeDeliveryTheBrokerGaveUpOnIsParkedWithItsQueueAndAReplayCreatesTheErpUser() throws Exception {
        String queueName = camel.resolvePropertyPlaceholders("{{esb.queues.employee-erp}}");
        // the broker holds the ERP target's queue: the hire's ERP delivery waits there (the ESB's consumer stays)
        Queue queue = artemis.getActiveMQServer().locateQueue(SimpleString.of(queueName));
        queue.pause();
        paused = queue;
        String employee = "E-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String eventId = hire(employee);
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveryStatus(eventId, "OA").equals("DONE")
                && queue.getMessageCount() == 1);
        assertThat(deliveryStatus(eventId, "ERP")).isEqualTo("PENDING");

        // the broker gives up on it (as after its maximum delivery attempts; the real thing is the case below)
        assertThat(queue.sendMessagesToDeadLetterAddress(null)).isEqualTo(1);
        queue.resume();

        Map<String, Object> parked = awaitParked(employee);
        assertThat(parked.get("from_route_id")).isEqualTo(ERP_ROUTE);
        assertThat(parked.get("flow")).isEqualTo("employee-onboarding");
        assertThat(parked.get("exception_type")).isEqualTo("BrokerDeadLetter");
        assertThat((String) parked.get("reason")).contains("maximum delivery attempts on queue " + queueName)
                .contains("route " + ERP_ROUTE);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.sys_user WHERE emp_no = ?", Integer.class, employee))
                .isZero();

        // the operator replays it: through the ERP target's route, which creates the user and completes the event
        JsonNode outcome = operator().post().uri("/api/v1/ops/parked/{id}/replay", parked.get("id"))
                .contentType(MediaType.APPLICATION_JSON).body("{}").retrieve().body(JsonNode.class);
        assertThat(outcome.path("outcome").asText()).as(outcome.toString()).isEqualTo("DELIVERED");
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveryStatus(eventId, "ERP").equals("DONE"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.sys_user WHERE emp_no = ?", Integer.class, employee))
                .isOne();
        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(jdbc.queryForObject(
                "SELECT status FROM esb.employee_sync_event WHERE event_id = ?", String.class, eventId)));
    }

    @Test
    void deadLetterFromAQueueNoRouteConsumesIsParkedSayingAReplayHasNowhereToGo() throws Exception {
        String queue = "TEST.DEAD." + UUID.randomUUID();
        String key = "K-" + UUID.randomUUID();
        tighten(queue);
        try (Connection connection = connectionFactory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message message = session.createTextMessage("{\"hello\":\"dead letter\"}");
            message.setStringProperty("ce_subject", key);
            session.createProducer(session.createQueue(queue)).send(message);
        }
        assertThat(rollBackUntilGone(queue)).isEqualTo(2);

        Map<String, Object> parked = awaitParked(key);
        assertThat(parked.get("from_route_id")).isEqualTo("unknown");
        assertThat((String) parked.get("payload")).isEqualTo("{\"hello\":\"dead letter\"}");
        assertThat((String) parked.get("reason")).contains(queue).contains("nowhere to go");
    }

    /** Two delivery attempts, no redelivery delay, for this queue only (until the test ends). */
    private void tighten(String queue) {
        artemis.getActiveMQServer().getAddressSettingsRepository().addMatch(queue, new AddressSettings()
                .setMaxDeliveryAttempts(2).setRedeliveryDelay(0).setDeadLetterAddress(SimpleString.of("DLQ")));
        tightened.add(queue);
    }

    /** Receives the queue's message and rolls back, until the broker stops delivering it; how many deliveries. */
    private int rollBackUntilGone(String queue) throws Exception {
        int deliveries = 0;
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            while (consumer.receive(2000) != null) {
                deliveries++;
                session.rollback();
            }
        }
        return deliveries;
    }

    private String hire(String employee) {
        JsonNode created = sandbox.http().post().uri("/sandbox/oa/api/hr-events").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("type", "HIRE", "employeeNo", employee, "fullName", "Dora Dead", "email",
                        "dora@example.com", "department", "Finance", "jobTitle", "Accountant", "managerNo", "E-1",
                        "effectiveDate", "2026-12-01"))
                .retrieve().body(JsonNode.class);
        return created.path("eventId").asText();
    }

    private String deliveryStatus(String eventId, String target) {
        List<String> status = jdbc.queryForList("SELECT status FROM esb.employee_sync_delivery WHERE event_id = ? "
                + "AND target = ?", String.class, eventId, target);
        return status.isEmpty() ? "" : status.get(0);
    }

    private Map<String, Object> awaitParked(String businessKey) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !parkedFor(businessKey).isEmpty());
        List<Map<String, Object>> rows = parkedFor(businessKey);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private List<Map<String, Object>> parkedFor(String businessKey) {
        return jdbc.queryForList("SELECT id, flow, from_route_id, reason, exception_type, payload, status "
                + "FROM esb.parked_message WHERE business_key = ?", businessKey);
    }
}
