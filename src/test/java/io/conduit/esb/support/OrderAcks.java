package io.conduit.esb.support;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Order acknowledgements published straight onto the acknowledgements topic, as the order handoff's ERP side does:
 * how a test puts a chosen revision, status and time in front of the CRM delivery without an ERP round trip.
 */
public final class OrderAcks {

    private final KafkaProbe kafka;
    private final String topic;

    public OrderAcks(KafkaProbe kafka, String topic) {
        this.kafka = kafka;
        this.topic = topic;
    }

    /** Revision {@code revision} of the order acknowledged with {@code status} at {@code acknowledgedAt}; its event id. */
    public String publish(String orderId, int revision, String status, String acknowledgedAt) {
        String eventId = "ce-" + UUID.randomUUID();
        publish(null, eventId, orderId, revision, status, acknowledgedAt);
        return eventId;
    }

    /** The same, with a given event id, on a given partition (null: by the order id). */
    public void publish(Integer partition, String eventId, String orderId, int revision, String status,
                        String acknowledgedAt) {
        String body = """
                {"orderId":"%s","source":"crm","revision":%d,"erpOrderNumber":"SO-%s","status":"%s","erpStatus":"NEW",
                 "outcome":"UPDATED","acknowledgedAt":"%s"}""".formatted(orderId, revision,
                orderId.substring(Math.max(0, orderId.length() - 6)), status, acknowledgedAt);
        Map<String, String> headers = new HashMap<>();
        headers.put("ce_id", eventId);
        headers.put("ce_type", "io.conduit.order.acknowledged");
        headers.put("ce_source", "erp");
        headers.put("ce_specversion", "1.0");
        headers.put("ce_subject", orderId);
        headers.put("ce_correlationid", "corr-" + orderId);
        try {
            kafka.publish(topic, partition, new KafkaProbe.Event(orderId, body, headers));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
