package io.conduit.esb.sandbox.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.sandbox.SandboxProblems;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What the sandbox CRM does with opportunities: create, edit, win (which fires the "closed won" webhook), and take
 * the ERP status the ESB reports back. Each operation is one database transaction; webhook events are stored in
 * that transaction and handed to the {@link WebhookDispatcher} only after it committed.
 */
public class OpportunityService {

    /** The fields {@code PATCH} accepts: the ERP status the ESB reports. */
    public static final Set<String> ERP_STATUS_FIELDS = Set.of("erpOrderNo", "erpStatus", "erpSyncedAt");

    private final OpportunityRepository opportunities;
    private final WebhookLog webhookLog;
    private final WebhookDispatcher dispatcher;
    private final TransactionTemplate tx;
    private final ObjectMapper objectMapper;
    private final Clock clock;

    public OpportunityService(OpportunityRepository opportunities, WebhookLog webhookLog, WebhookDispatcher dispatcher,
                              TransactionTemplate tx, ObjectMapper objectMapper, Clock clock) {
        this.opportunities = Objects.requireNonNull(opportunities, "opportunities");
        this.webhookLog = Objects.requireNonNull(webhookLog, "webhookLog");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Opportunity create(OpportunityRequest request) {
        OpportunityRequest valid = request.validated();
        return tx.execute(status -> {
            if (valid.opportunityId() != null && opportunities.find(valid.opportunityId()).isPresent()) {
                throw SandboxProblems.conflict("Opportunity '" + valid.opportunityId() + "' already exists");
            }
            return opportunities.find(opportunities.insert(valid)).orElseThrow();
        });
    }

    public Opportunity get(String id) {
        return opportunities.find(id).orElseThrow(() -> notFound(id));
    }

    public List<Opportunity> list(String stage) {
        return opportunities.list(stage);
    }

    /** Replaces the editable fields (new revision); a won opportunity announces the new revision by webhook. */
    public Opportunity replace(String id, OpportunityRequest request) {
        OpportunityRequest valid = request.validated();
        if (valid.opportunityId() != null && !valid.opportunityId().equals(id)) {
            throw SandboxProblems.badRequest("opportunityId in the body (" + valid.opportunityId()
                    + ") differs from the path (" + id + ")");
        }
        Changed changed = tx.execute(status -> {
            lock(id);
            opportunities.replace(id, valid);
            Opportunity updated = opportunities.find(id).orElseThrow();
            return new Changed(updated, updated.isWon() ? newWonEvent(updated) : null);
        });
        return changed.dispatched(dispatcher);
    }

    /** Moves the opportunity to Closed Won (new revision) and fires the webhook; 409 if it is already won. */
    public Opportunity win(String id) {
        Changed changed = tx.execute(status -> {
            if (lock(id).isWon()) {
                throw SandboxProblems.conflict("Opportunity '" + id + "' is already " + Opportunity.STAGE_CLOSED_WON);
            }
            opportunities.markWon(id, LocalDate.now(clock));
            Opportunity won = opportunities.find(id).orElseThrow();
            return new Changed(won, newWonEvent(won));
        });
        return changed.dispatched(dispatcher);
    }

    /**
     * Takes the ERP status the ESB reports: any of {@link #ERP_STATUS_FIELDS}, a JSON null clearing a field and an
     * absent one keeping its value. Appends to the ERP status history; revision and stage stay, no webhook fires.
     * Conditional: an {@code erpSyncedAt} earlier than the one the opportunity holds is refused (409 stale-update).
     */
    public Opportunity updateErpStatus(String id, Map<String, Object> body) {
        if (body == null || body.isEmpty()) {
            throw SandboxProblems.badRequest("Nothing to update: send any of " + ERP_STATUS_FIELDS);
        }
        Map<String, String> invalid = new LinkedHashMap<>();
        body.keySet().stream().filter(k -> !ERP_STATUS_FIELDS.contains(k)).sorted()
                .forEach(k -> invalid.put(k, "not updatable here; only " + ERP_STATUS_FIELDS));
        body.forEach((k, v) -> {
            if (ERP_STATUS_FIELDS.contains(k) && v != null && !(v instanceof String)) {
                invalid.put(k, "a string");
            }
        });
        OffsetDateTime syncedAt = null;
        if (body.get("erpSyncedAt") instanceof String text) {
            try {
                syncedAt = OffsetDateTime.parse(text);
            } catch (DateTimeParseException e) {
                invalid.put("erpSyncedAt", "an ISO-8601 instant such as 2025-01-31T10:15:30Z");
            }
        }
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        OffsetDateTime newSyncedAt = syncedAt;
        return tx.execute(status -> {
            Opportunity current = lock(id);
            OffsetDateTime held = OpportunityRepository.utc(current.erpSyncedAt());
            if (newSyncedAt != null && held != null && newSyncedAt.isBefore(held)) {
                throw SandboxProblems.staleUpdate("Opportunity", id, newSyncedAt, held);
            }
            String orderNo = body.containsKey("erpOrderNo") ? (String) body.get("erpOrderNo") : current.erpOrderNo();
            String erpStatus = body.containsKey("erpStatus") ? (String) body.get("erpStatus") : current.erpStatus();
            OffsetDateTime synced = body.containsKey("erpSyncedAt") ? newSyncedAt : OpportunityRepository.utc(current.erpSyncedAt());
            opportunities.updateErpStatus(id, orderNo, erpStatus, synced);
            return opportunities.find(id).orElseThrow();
        });
    }

    public List<ErpStatusHistoryEntry> erpStatusHistory(String id) {
        get(id);
        return opportunities.erpStatusHistory(id);
    }

    /** Sends the opportunity's last webhook event again, with the same event id (a duplicate delivery). */
    public WebhookEvent resendLastEvent(String id) {
        get(id);
        WebhookEvent event = webhookLog.latestEvent(id).orElseThrow(() -> SandboxProblems.notFound(
                "Webhook event of opportunity", id));
        dispatcher.dispatch(event, true);
        return event;
    }

    public List<WebhookDelivery> webhookDeliveries(String id) {
        get(id);
        return webhookLog.deliveries(id);
    }

    private Opportunity lock(String id) {
        return opportunities.findForUpdate(id).orElseThrow(() -> notFound(id));
    }

    private WebhookEvent newWonEvent(Opportunity opportunity) {
        String eventId = "wh-" + UUID.randomUUID();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", eventId);
        body.put("eventType", WebhookEvent.OPPORTUNITY_CLOSED_WON);
        body.put("occurredAt", clock.instant().toString());
        body.put("data", opportunity);
        WebhookEvent event;
        try {
            event = new WebhookEvent(eventId, WebhookEvent.OPPORTUNITY_CLOSED_WON, opportunity.opportunityId(),
                    opportunity.revision(), objectMapper.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        webhookLog.saveEvent(event);
        return event;
    }

    private static RuntimeException notFound(String id) {
        return SandboxProblems.notFound("Opportunity", id);
    }

    /** The result of a committed change and the webhook event it produced, if any. */
    private record Changed(Opportunity opportunity, WebhookEvent event) {

        Opportunity dispatched(WebhookDispatcher dispatcher) {
            if (event != null) {
                dispatcher.dispatch(event, false);
            }
            return opportunity;
        }
    }
}
