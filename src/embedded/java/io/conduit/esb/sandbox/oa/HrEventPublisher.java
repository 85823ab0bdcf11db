package io.conduit.esb.sandbox.oa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.TextMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * Records an HR event in {@code sandbox_oa.hr_event} and publishes it as a JSON text message on the HR event queue,
 * with JMS properties {@code eventType} and {@code employeeNo} and the event id as JMS correlation id. The message is
 * sent inside the database transaction, so an event that could not be published is not stored either.
 */
public class HrEventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(HrEventPublisher.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final JmsTemplate jms;
    private final String queue;
    private final ObjectMapper objectMapper;
    private final Clock clock;

    public HrEventPublisher(DataSource dataSource, TransactionTemplate tx, JmsTemplate jms, String queue,
                            ObjectMapper objectMapper, Clock clock) {
        this.jdbc = JdbcClient.create(Objects.requireNonNull(dataSource, "dataSource"));
        this.tx = Objects.requireNonNull(tx, "tx");
        this.jms = Objects.requireNonNull(jms, "jms");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public HrEvent publish(HrEventRequest request) {
        HrEventRequest valid = request.validated();
        HrEvent event = new HrEvent("HR-" + UUID.randomUUID(), valid.type(), valid.employeeNo(), valid.fullName(),
                valid.email(), valid.department(), valid.jobTitle(), valid.managerNo(), valid.effectiveDate(),
                clock.instant());
        String json = json(event);
        tx.executeWithoutResult(status -> {
            jdbc.sql("""
                            INSERT INTO sandbox_oa.hr_event (event_id, type, employee_no, payload, published_at)
                            VALUES (:eventId, :type, :employeeNo, CAST(:payload AS jsonb), :publishedAt)""")
                    .param("eventId", event.eventId())
                    .param("type", event.type())
                    .param("employeeNo", event.employeeNo())
                    .param("payload", json)
                    .param("publishedAt", event.publishedAt().atOffset(java.time.ZoneOffset.UTC))
                    .update();
            jms.send(queue, session -> {
                TextMessage message = session.createTextMessage(json);
                message.setJMSCorrelationID(event.eventId());
                message.setStringProperty("eventType", event.type());
                message.setStringProperty("employeeNo", event.employeeNo());
                return message;
            });
        });
        LOG.info("Sandbox OA published HR event {} {} for employee {} on {}", event.eventId(), event.type(),
                event.employeeNo(), queue);
        return event;
    }

    private String json(HrEvent event) {
        try {
            return objectMapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
