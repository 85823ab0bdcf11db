package io.conduit.esb.orderhandoff;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.canonical.Envelope;
import io.conduit.esb.canonical.EventTypes;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.KafkaProbe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A poison message never holds up the others: an order the ERP's database refuses for good (a value its column
 * cannot hold) is parked at once - no redeliveries, no backoff during which the Kafka consumer would hold every
 * record behind it - with the database's own message as the reason, and the valid order right behind it on the
 * same partition is delivered promptly.
 * <p>
 * The orders are put on the orders topic directly, as canonical events: the intake's validation (which refuses these
 * values) is not what is tested here, the delivery side's error policy is. With the test's redelivery schedule
 * (application-test.yaml: 6 redeliveries, 200 ms doubling up to 2 s) a retried failure would take 7 s to park,
 * and the valid order would wait as long.
 */
class PermanentErpFailureIT extends EsbIntegrationTest {

    /** Well under the 7 s the redelivery schedule would take: parking and the next delivery happen at once. */
    private static final Duration PROMPTLY = Duration.ofSeconds(4);
    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);
    private static final int PARTITION = 0;
    private static final String SOURCE = "it-direct";

    @Autowired
    ObjectMapper json;
    @Value("${camel.component.kafka.brokers}")
    String brokers;
    @Value("${esb.topics.names.orders}")
    String ordersTopic;

    KafkaProbe kafka;

    @BeforeEach
    void flowIsLive() throws Exception {
        kafka = new KafkaProbe(brokers);
        // the orders consumer is assigned its partitions and delivering (the shared context may just have started)
        String warmUp = newOrderId();
        kafka.publish(ordersTopic, PARTITION, order(warmUp, o -> { }));
        await().atMost(FLOW_TIMEOUT).until(() -> erpHeader(warmUp) != null);
    }

    @Test
    void nulInTheCustomerNameIsParkedAtOnceWithTheDatabaseMessageAndTheNextOrderGoesOn() throws Exception {
        String poison = newOrderId();
        String next = newOrderId();

        long start = System.nanoTime();
        kafka.publish(ordersTopic, PARTITION,
                order(poison, o -> ((ObjectNode) o.get("customer")).put("name", "Acme\u0000GmbH")));
        kafka.publish(ordersTopic, PARTITION, order(next, o -> { }));

        Map<String, Object> parked = awaitParkedPromptly(poison);
        assertThat((String) parked.get("reason")).contains("invalid byte sequence").contains("0x00");
        assertNextOrderDeliveredPromptly(next, start);
        assertThat(erpHeader(poison)).isNull();
    }

    @Test
    void revisionOutOfTheErpsIntegerRangeIsParkedAtOnceWithTheDatabaseMessageAndTheNextOrderGoesOn() throws Exception {
        String poison = newOrderId();
        String next = newOrderId();

        long start = System.nanoTime();
        // 3,000,000,000 is an integer to JSON Schema and to the versioned delivery (a long), but not to the ERP's
        // integer column (1e32, not a whole number to the versioned delivery, is parked at once before the ERP call)
        kafka.publish(ordersTopic, PARTITION, order(poison, o -> o.put("revision", 3_000_000_000L)));
        kafka.publish(ordersTopic, PARTITION, order(next, o -> { }));

        Map<String, Object> parked = awaitParkedPromptly(poison);
        assertThat((String) parked.get("reason")).contains("integer out of range");
        assertNextOrderDeliveredPromptly(next, start);
        assertThat(erpHeader(poison)).isNull();
    }

    // --- helpers

    private Map<String, Object> awaitParkedPromptly(String orderId) {
        await().atMost(PROMPTLY).until(() -> !parkedFor(orderId).isEmpty());
        List<Map<String, Object>> rows = parkedFor(orderId);
        assertThat(rows).hasSize(1);
        Map<String, Object> parked = rows.get(0);
        assertThat(parked.get("route_id")).isEqualTo("order-handoff.to-erp");
        assertThat(((Number) parked.get("attempts")).intValue()).as("parked at the first attempt, no redelivery").isOne();
        assertThat((String) parked.get("payload")).contains("\"orderId\":\"" + orderId + "\"");
        return parked;
    }

    private void assertNextOrderDeliveredPromptly(String orderId, long start) {
        await().atMost(PROMPTLY).until(() -> erpHeader(orderId) != null);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("the valid order behind the poison one").isLessThan(PROMPTLY);
        assertThat(parkedFor(orderId)).isEmpty();
    }

    /** A canonical order (the ERP mapping's full fixture) with its CloudEvents headers, changed by {@code change}. */
    private KafkaProbe.Event order(String orderId, Consumer<ObjectNode> change) throws Exception {
        ObjectNode order = (ObjectNode) json.readTree(
                Files.readString(Path.of("mappings/erp/fixtures/order-to-sales-order/full.input.json")));
        order.put("orderId", orderId);
        // not "crm": the acknowledgement goes back only to the source, and the sandbox CRM has no such opportunity
        order.put("source", SOURCE);
        change.accept(order);
        Map<String, String> headers = new LinkedHashMap<>();
        new Envelope(UUID.randomUUID().toString(), UUID.randomUUID().toString(), SOURCE, EventTypes.ORDER_RECEIVED, 1,
                OffsetDateTime.now(ZoneOffset.UTC), orderId).toCloudEventHeaders()
                .forEach((name, value) -> headers.put(name, String.valueOf(value)));
        return new KafkaProbe.Event(orderId, json.writeValueAsString(order), headers);
    }

    private static String newOrderId() {
        return "OPP-P" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private Map<String, Object> erpHeader(String extRef) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM erp.so_stage_hdr WHERE ext_ref = ?", extRef);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private List<Map<String, Object>> parkedFor(String businessKey) {
        return jdbc.queryForList("SELECT * FROM esb.parked_message WHERE business_key = ?", businessKey);
    }
}
