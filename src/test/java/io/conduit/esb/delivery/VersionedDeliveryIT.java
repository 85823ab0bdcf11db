package io.conduit.esb.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.KafkaProbe;
import io.conduit.esb.support.OrderAcks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Versioned delivery through the real routes, ledger and sandbox CRM: a target is never taken back in time, by a
 * replay or by a late redelivery, and the same state is not sent twice where the flow says so.
 */
class VersionedDeliveryIT extends EsbIntegrationTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(40);

    @Autowired
    DeliveryLedger ledger;
    @Value("${camel.component.kafka.brokers}")
    String brokers;
    @Value("${esb.topics.names.order-acks}")
    String acksTopic;

    OrderAcks acks;

    @BeforeEach
    void clients() {
        acks = new OrderAcks(new KafkaProbe(brokers), acksTopic);
    }

    /** The case: revision 2's acknowledgement, parked, replayed after revision 3's was delivered. */
    @Test
    void aParkedAcknowledgementReplayedAfterANewerOneWasDeliveredIsSupersededAndNotSent() {
        String id = newOpportunityId();
        // the CRM does not know the opportunity yet: revision 2's acknowledgement is refused (404) and parked
        String older = publishAck(id, 2, "ACCEPTED", "2026-11-20T09:15:02.120Z");
        UUID parked = awaitParked(id);
        sandbox.createOpportunity(id);
        String newer = publishAck(id, 3, "IN_PRODUCTION", "2026-11-20T10:00:00.000Z");
        await().atMost(FLOW_TIMEOUT).until(() -> sandbox.erpStatusHistory(id).size() == 1);
        assertThat(sandbox.opportunity(id).path("erpStatus").asText()).isEqualTo("In Production");

        JsonNode outcome = replay(parked);

        assertThat(outcome.path("outcome").asText()).isEqualTo("SUPERSEDED");
        assertThat(outcome.path("detail").asText())
                .contains("version 2 of 2026-11-20T09:15:02.120Z not sent, the target has version 3 of 2026-11-20T10:00:00Z")
                .contains(newer);
        assertThat(sandbox.opportunity(id).path("erpStatus").asText()).isEqualTo("In Production");
        assertThat(sandbox.erpStatusHistory(id)).hasSize(1);
        Map<String, Object> row = jdbc.queryForMap("SELECT status, resolution FROM esb.parked_message WHERE id = ?", parked);
        assertThat(row).containsEntry("status", "REPLAYED").containsEntry("resolution", "SUPERSEDED");
        await().atMost(FLOW_TIMEOUT).until(() -> hops(older).contains("SUPERSEDED"));
        assertThat(jdbc.queryForObject("""
                SELECT version FROM esb.delivery_version WHERE ledger = 'crm.update-order-status' AND business_key = ?""",
                Long.class, id)).isEqualTo(3L);
    }

    @Test
    void aLateRedeliveryOfAnOlderStateChangesNothingAndTheSameStateIsNotSentTwice() {
        String id = newOpportunityId();
        sandbox.createOpportunity(id);
        publishAck(id, 3, "IN_PRODUCTION", "2026-11-20T10:00:00.000Z");
        await().atMost(FLOW_TIMEOUT).until(() -> sandbox.erpStatusHistory(id).size() == 1);

        // a late copy of an older state, then the very same state again under another event id (e.g. a republish)
        String late = publishAck(id, 2, "ACCEPTED", "2026-11-20T09:15:02.120Z");
        String again = publishAck(id, 3, "IN_PRODUCTION", "2026-11-20T10:00:00.000Z");
        // a newer state of the same revision (the ERP's status moved on): sent
        publishAck(id, 3, "SHIPPED", "2026-11-20T11:00:00.000Z");

        await().atMost(FLOW_TIMEOUT).until(() -> sandbox.erpStatusHistory(id).size() == 2);
        await().atMost(FLOW_TIMEOUT).until(() -> hops(late).contains("SUPERSEDED") && hops(again).contains("SUPERSEDED"));
        assertThat(jdbc.queryForObject("SELECT detail FROM esb.journal_entry WHERE event_id = ? AND hop = 'SUPERSEDED'",
                String.class, again)).contains("was delivered already");
        assertThat(sandbox.opportunity(id).path("erpStatus").asText()).isEqualTo("Shipped");
        assertThat(sandbox.erpStatusHistory(id)).hasSize(2);
        assertThat(jdbc.queryForList("SELECT 1 FROM esb.parked_message WHERE business_key = ?", id)).isEmpty();
    }

    /** Onboarding: a parked hire replayed after a later change of the same employee reached the CRM. */
    @Test
    void aParkedHireReplayedAfterALaterChangeWasDeliveredIsSupersededAndTheEventCompletes() {
        String employee = "E-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        sandbox.setFault("crm", "down", 0, 0);
        String hire = sandbox.hrEvent("HIRE", employee, "Vera Version", "Account Executive");
        await().atMost(Duration.ofSeconds(60)).until(() -> "PARKED".equals(deliveryStatus(hire, "CRM")));
        sandbox.setFault("crm", "normal", 0, 0);

        String change = sandbox.hrEvent("CHANGE", employee, "Vera Version", "Sales Director");
        await().atMost(FLOW_TIMEOUT).until(() -> "DONE".equals(deliveryStatus(change, "CRM")));
        assertThat(crmUser(employee).path("jobTitle").asText()).isEqualTo("Sales Director");

        JsonNode outcome = replay(parked(employee).get(0));

        assertThat(outcome.path("outcome").asText()).isEqualTo("SUPERSEDED");
        assertThat(crmUser(employee).path("jobTitle").asText()).isEqualTo("Sales Director");
        assertThat(deliveryStatus(hire, "CRM")).isEqualTo("SUPERSEDED");
        // superseded finishes the target like DONE: the hire completes and the OA hears of it
        await().atMost(FLOW_TIMEOUT).until(() -> "COMPLETED".equals(jdbc.queryForObject(
                "SELECT status FROM esb.employee_sync_event WHERE event_id = ?", String.class, hire)));
        assertThat(viewer().get().uri("/api/v1/onboarding/{id}", employee).retrieve().body(JsonNode.class).toString())
                .contains("SUPERSEDED");
    }

    /** Two deliveries of one record never overlap; deliveries of other records do not wait for it. */
    @Test
    void aRecordIsHeldByOneDeliveryAtATime() throws Exception {
        String key = "K-" + UUID.randomUUID();
        CountDownLatch secondAsked = new CountDownLatch(1);
        CompletableFuture<SourceVersion> second;
        try (DeliveryLedger.Claim first = ledger.claim("test.ledger", key)) {
            assertThat(first.stored()).isNull();
            second = CompletableFuture.supplyAsync(() -> {
                secondAsked.countDown();
                try (DeliveryLedger.Claim claim = ledger.claim("test.ledger", key)) {
                    return claim.stored();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(secondAsked.await(5, TimeUnit.SECONDS)).isTrue();
            // another record is not held up
            try (DeliveryLedger.Claim other = ledger.claim("test.ledger", key + "-other")) {
                assertThat(other.stored()).isNull();
            }
            // held for as long as the first one has it
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !second.isDone());
            first.delivered(new SourceVersion(7L, Instant.parse("2026-11-20T10:00:00Z")), "ce-1");
        }
        // the second delivery sees what the first recorded
        assertThat(second.get(10, TimeUnit.SECONDS))
                .isEqualTo(new SourceVersion(7L, Instant.parse("2026-11-20T10:00:00Z")));
        // a claim closed without a delivery records nothing
        try (DeliveryLedger.Claim failed = ledger.claim("test.ledger", key)) {
            assertThat(failed.storedEventId()).isEqualTo("ce-1");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private String publishAck(String orderId, int revision, String status, String acknowledgedAt) {
        return acks.publish(orderId, revision, status, acknowledgedAt);
    }

    private String deliveryStatus(String eventId, String target) {
        List<String> status = jdbc.queryForList(
                "SELECT status FROM esb.employee_sync_delivery WHERE event_id = ? AND target = ?", String.class,
                eventId, target);
        return status.isEmpty() ? null : status.get(0);
    }

    private JsonNode crmUser(String employee) {
        JsonNode users = sandbox.crmUsers(employee);
        assertThat(users.size()).isEqualTo(1);
        return users.get(0);
    }

    private JsonNode replay(UUID parked) {
        return operator().post().uri("/api/v1/ops/parked/" + parked + "/replay").contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE).retrieve().body(JsonNode.class);
    }

    private UUID awaitParked(String businessKey) {
        await().atMost(FLOW_TIMEOUT).until(() -> !parked(businessKey).isEmpty());
        return parked(businessKey).get(0);
    }

    private List<UUID> parked(String businessKey) {
        return jdbc.queryForList("SELECT id FROM esb.parked_message WHERE business_key = ? AND status = 'PARKED'",
                UUID.class, businessKey);
    }

    private List<String> hops(String eventId) {
        return jdbc.queryForList("SELECT hop FROM esb.journal_entry WHERE event_id = ?", String.class, eventId);
    }

    private static String newOpportunityId() {
        return "OPP-V" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }
}
