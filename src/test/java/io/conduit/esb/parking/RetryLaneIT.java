package io.conduit.esb.parking;

import io.conduit.esb.ops.SystemBreakers;
import io.conduit.esb.ops.SystemReachableAgain;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.KafkaProbe;
import io.conduit.esb.support.OrderAcks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The retry lane through the real routes, Kafka and sandbox CRM: a message whose retries are not done no longer
 * holds up the messages behind it on its partition, a target that is back gets them at once, and the lane's late
 * older message does not overwrite a newer one.
 */
class RetryLaneIT extends EsbIntegrationTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(40);
    private static final int PARTITION = 1;

    @Value("${camel.component.kafka.brokers}")
    String brokers;
    @Value("${esb.topics.names.order-acks}")
    String acksTopic;
    @Autowired
    SystemBreakers breakers;
    @Autowired
    ApplicationEventPublisher events;

    OrderAcks acks;

    @BeforeEach
    void clients() {
        acks = new OrderAcks(new KafkaProbe(brokers), acksTopic);
    }

    @AfterEach
    void crmNormal() {
        sandbox.setFault("crm", "normal", 0, 0);
    }

    /**
     * The lane alone: the CRM's circuit breaker is disabled for this test. With it, the CRM pollers' failing calls
     * open it within a second; the acknowledgements arriving right after the CRM is back, before its probe or the
     * breaker's wait lets calls through again, are then refused and join the older one in the lane, where the two
     * states of one order run in no particular order (the CRM still never goes back in time: the older one is either
     * superseded or delivered first). That path is SystemsPageIT's; here the newer state must overtake the lane's.
     */
    @Test
    void aMessageWaitingForItsRetryDoesNotHoldUpTheNextOnItsPartitionAndAnOlderStateIsNotSentAfterANewer() {
        breakers.breaker("crm").transitionToDisabledState();
        String waiting = newOpportunityId();
        String next = newOpportunityId();
        sandbox.createOpportunity(waiting);
        sandbox.createOpportunity(next);
        sandbox.setFault("crm", "failing", 0, 1.0);

        publishAck(waiting, 2, "ACCEPTED", "2026-11-20T09:00:00.000Z");
        // after its redeliveries in place the message waits in the lane, and its consumer is free again
        await().atMost(FLOW_TIMEOUT).until(() -> !inLane(waiting).isEmpty());
        assertThat(inLane(waiting).get(0).get("target_system")).as("the system whose call failed").isEqualTo("crm");
        sandbox.setFault("crm", "normal", 0, 0);
        long recovered = System.nanoTime();

        // the next message on the same partition goes through at once, and a newer state of the waiting order too
        publishAck(next, 1, "ACCEPTED", "2026-11-20T09:00:00.000Z");
        publishAck(waiting, 3, "IN_PRODUCTION", "2026-11-20T10:00:00.000Z");
        await().atMost(FLOW_TIMEOUT).until(() -> sandbox.erpStatusHistory(next).size() == 1);
        Duration firstDelivery = Duration.ofNanos(System.nanoTime() - recovered);
        assertThat(firstDelivery).as("from the CRM's recovery to the next message's delivery")
                .isLessThan(Duration.ofSeconds(5));

        // the lane's message (revision 2) is run again, finds revision 3 delivered, and leaves the lane unsent
        await().atMost(FLOW_TIMEOUT).until(() -> inLane(waiting).isEmpty());
        await().atMost(FLOW_TIMEOUT).until(() -> sandbox.opportunity(waiting).path("erpStatus").asText()
                .equals("In Production"));
        assertThat(sandbox.erpStatusHistory(waiting)).hasSize(1);
        assertThat(jdbc.queryForList("SELECT 1 FROM esb.parked_message WHERE business_key IN (?, ?)", waiting, next))
                .isEmpty();
        assertThat(jdbc.queryForList("SELECT detail FROM esb.journal_entry WHERE hop = 'FAILED' AND detail LIKE ?",
                String.class, "waiting in the retry lane%")).isNotEmpty();
    }

    @Test
    void aMessageStillFailingWhenTheLaneGivesUpIsParkedWithEveryAttempt() {
        String id = newOpportunityId();
        sandbox.createOpportunity(id);
        sandbox.setFault("crm", "failing", 0, 1.0);

        publishAck(id, 1, "ACCEPTED", "2026-11-20T09:00:00.000Z");

        // tried in place first: up to 7 times, fewer when the CRM's breaker opens meanwhile (other flows call the
        // failing CRM too, and an open breaker sends a message to the lane at once, esb-delivery.target-unavailable).
        // It then waits in the lane for 8 s (test config), so it is seen there
        await().atMost(FLOW_TIMEOUT).until(() -> !inLane(id).isEmpty());
        int attemptsInPlace = (Integer) inLane(id).get(0).get("attempts");

        await().atMost(FLOW_TIMEOUT).until(() -> !jdbc.queryForList(
                "SELECT 1 FROM esb.parked_message WHERE business_key = ?", id).isEmpty());
        Map<String, Object> parked = jdbc.queryForMap("SELECT * FROM esb.parked_message WHERE business_key = ?", id);
        assertThat(parked.get("status")).isEqualTo("PARKED");
        assertThat((String) parked.get("reason")).contains("500");
        // every attempt counted: those in place and the lane's rounds after them
        assertThat(attemptsInPlace).isPositive();
        assertThat((Integer) parked.get("attempts")).isGreaterThan(attemptsInPlace);
        assertThat(inLane(id)).isEmpty();
    }

    @Test
    void aSystemBackMakesDueOnlyItsOwnMessagesAndThoseOfNoKnownSystem() {
        String crm = "OPP-L-CRM-" + UUID.randomUUID();
        String erp = "OPP-L-ERP-" + UUID.randomUUID();
        String unknown = "OPP-L-NONE-" + UUID.randomUUID();
        // waiting an hour, and claimed by "another replica" for as long, so that no round runs them here
        for (String[] row : new String[][] {{crm, "crm"}, {erp, "erp"}, {unknown, null}}) {
            jdbc.update("""
                    INSERT INTO esb.retry_message (id, flow, route_id, from_route_id, reason, exception_type, payload,
                                                   business_key, attempts, retry_at, claimed_until, target_system)
                    VALUES (?, 'order-handoff', 'order-handoff.ack-to-crm', 'order-handoff.ack-to-crm', 'test',
                            'java.net.ConnectException', '{}', ?, 1, now() + interval '1 hour',
                            now() + interval '1 hour', ?)""", UUID.randomUUID(), row[0], row[1]);
        }
        try {
            events.publishEvent(new SystemReachableAgain("erp"));

            assertThat(dueNow(erp)).as("failed on the ERP, which is back").isTrue();
            assertThat(dueNow(unknown)).as("no system known: due whichever comes back").isTrue();
            assertThat(dueNow(crm)).as("failed on the CRM, still away: keeps its round").isFalse();
        } finally {
            jdbc.update("DELETE FROM esb.retry_message WHERE business_key IN (?, ?, ?)", crm, erp, unknown);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private boolean dueNow(String businessKey) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT retry_at <= now() FROM esb.retry_message WHERE business_key = ?", Boolean.class, businessKey));
    }

    private List<Map<String, Object>> inLane(String businessKey) {
        return jdbc.queryForList("SELECT * FROM esb.retry_message WHERE business_key = ?", businessKey);
    }

    /** every acknowledgement of this test on one partition, behind one another */
    private void publishAck(String orderId, int revision, String status, String acknowledgedAt) {
        acks.publish(PARTITION, "ce-" + UUID.randomUUID(), orderId, revision, status, acknowledgedAt);
    }

    private static String newOpportunityId() {
        return "OPP-L" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }
}
