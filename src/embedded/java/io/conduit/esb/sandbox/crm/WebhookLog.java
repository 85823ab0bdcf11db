package io.conduit.esb.sandbox.crm;

import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The sandbox CRM's webhook events and delivery attempts ({@code sandbox_crm.webhook_event}, {@code webhook_delivery}). */
public class WebhookLog {

    private final JdbcClient jdbc;

    public WebhookLog(DataSource dataSource) {
        this.jdbc = JdbcClient.create(Objects.requireNonNull(dataSource, "dataSource"));
    }

    public void saveEvent(WebhookEvent event) {
        jdbc.sql("""
                        INSERT INTO sandbox_crm.webhook_event (event_id, event_type, opportunity_id, revision, payload)
                        VALUES (:eventId, :eventType, :opportunityId, :revision, CAST(:payload AS json))""")
                .param("eventId", event.eventId())
                .param("eventType", event.eventType())
                .param("opportunityId", event.opportunityId())
                .param("revision", event.revision())
                .param("payload", event.payload())
                .update();
    }

    /** The most recent event about an opportunity. */
    public Optional<WebhookEvent> latestEvent(String opportunityId) {
        return jdbc.sql("""
                        SELECT event_id, event_type, opportunity_id, revision, payload::text AS payload
                        FROM sandbox_crm.webhook_event WHERE opportunity_id = :id
                        ORDER BY created_at DESC, event_id DESC LIMIT 1""")
                .param("id", opportunityId)
                .query((rs, n) -> new WebhookEvent(rs.getString("event_id"), rs.getString("event_type"),
                        rs.getString("opportunity_id"), rs.getInt("revision"), rs.getString("payload")))
                .optional();
    }

    /**
     * Records one attempt; its number continues after the attempts already recorded for the event.
     *
     * @return the attempt number recorded
     */
    public int recordAttempt(WebhookEvent event, boolean resend, Integer httpStatus, String error) {
        return jdbc.sql("""
                        INSERT INTO sandbox_crm.webhook_delivery (event_id, opportunity_id, attempt, resend, http_status, error)
                        SELECT :eventId, :opportunityId, COALESCE(MAX(attempt), 0) + 1, :resend, :httpStatus, :error
                        FROM sandbox_crm.webhook_delivery WHERE event_id = :eventId
                        RETURNING attempt""")
                .param("eventId", event.eventId())
                .param("opportunityId", event.opportunityId())
                .param("resend", resend)
                .param("httpStatus", httpStatus)
                .param("error", error)
                .query(Integer.class)
                .single();
    }

    /** Every delivery attempt for an opportunity's events, in the order they were made. */
    public List<WebhookDelivery> deliveries(String opportunityId) {
        return jdbc.sql("""
                        SELECT event_id, opportunity_id, attempt, resend, http_status, error, sent_at
                        FROM sandbox_crm.webhook_delivery WHERE opportunity_id = :id ORDER BY id""")
                .param("id", opportunityId)
                .query((rs, n) -> new WebhookDelivery(rs.getString("event_id"), rs.getString("opportunity_id"),
                        rs.getInt("attempt"), rs.getBoolean("resend"), (Integer) rs.getObject("http_status"),
                        rs.getString("error"), OpportunityRepository.instant(rs, "sent_at")))
                .list();
    }
}
