package io.conduit.esb.sandbox.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.sandbox.SandboxProblems;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What the sandbox CRM does with support cases: open one (fires the {@code case.created} webhook after the
 * transaction committed) and take the status the ESB reports back ({@code PATCH}), each kept in the case's history.
 * The CRM itself accepts any status of its picklist in any order: keeping it moving forward is the ESB's job.
 */
public class SupportCaseService {

    public static final String CASE_CREATED = "case.created";
    /** The CRM's case status picklist. */
    public static final Set<String> STATUSES = Set.of("New", "Routed", "Assigned", "In Progress", "Resolved");
    /** The fields {@code PATCH} accepts. */
    public static final Set<String> ESB_FIELDS = Set.of("caseStatus", "assignedTeam", "assignedTo", "resolution",
            "escalated", "routingNote", "externalTaskRef", "esbSyncedAt");

    private final SupportCaseRepository cases;
    private final CaseWebhookDispatcher dispatcher;
    private final TransactionTemplate tx;
    private final ObjectMapper objectMapper;
    private final Clock clock;

    public SupportCaseService(SupportCaseRepository cases, CaseWebhookDispatcher dispatcher, TransactionTemplate tx,
                              ObjectMapper objectMapper, Clock clock) {
        this.cases = Objects.requireNonNull(cases, "cases");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public SupportCase open(SupportCaseRequest request) {
        SupportCaseRequest valid = request.validated();
        SupportCase created = tx.execute(status -> {
            if (valid.caseNumber() != null && cases.find(valid.caseNumber()).isPresent()) {
                throw SandboxProblems.conflict("Case '" + valid.caseNumber() + "' already exists");
            }
            return cases.find(cases.insert(valid)).orElseThrow();
        });
        String eventId = "wh-" + UUID.randomUUID();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", eventId);
        body.put("eventType", CASE_CREATED);
        body.put("occurredAt", clock.instant().toString());
        body.put("data", created);
        dispatcher.dispatch(eventId, created.caseNumber(), json(body));
        return created;
    }

    public SupportCase get(String caseNumber) {
        return cases.find(caseNumber).orElseThrow(() -> SandboxProblems.notFound("Case", caseNumber));
    }

    /** Takes the ESB's status fields: an absent field keeps its value, a JSON null clears it. */
    public SupportCase update(String caseNumber, Map<String, Object> body) {
        if (body == null || body.isEmpty()) {
            throw SandboxProblems.badRequest("Nothing to update: send any of " + ESB_FIELDS);
        }
        Map<String, String> invalid = new LinkedHashMap<>();
        body.keySet().stream().filter(k -> !ESB_FIELDS.contains(k)).sorted()
                .forEach(k -> invalid.put(k, "not updatable here; only " + ESB_FIELDS));
        body.forEach((k, v) -> {
            if (k.equals("escalated")) {
                if (v != null && !(v instanceof Boolean)) {
                    invalid.put(k, "true or false");
                }
            } else if (ESB_FIELDS.contains(k) && v != null && !(v instanceof String)) {
                invalid.put(k, "a string");
            }
        });
        if (body.get("caseStatus") instanceof String s && !STATUSES.contains(s)) {
            invalid.put("caseStatus", "one of " + STATUSES);
        }
        OffsetDateTime syncedAt = null;
        if (body.get("esbSyncedAt") instanceof String text) {
            try {
                syncedAt = OffsetDateTime.parse(text);
            } catch (DateTimeParseException e) {
                invalid.put("esbSyncedAt", "an ISO-8601 instant such as 2025-01-31T10:15:30Z");
            }
        }
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        OffsetDateTime synced = syncedAt;
        return tx.execute(status -> {
            SupportCase c = cases.findForUpdate(caseNumber)
                    .orElseThrow(() -> SandboxProblems.notFound("Case", caseNumber));
            OffsetDateTime held = OpportunityRepository.utc(c.esbSyncedAt());
            if (synced != null && held != null && synced.isBefore(held)) {
                throw SandboxProblems.staleUpdate("Case", caseNumber, synced, held);
            }
            SupportCase updated = new SupportCase(c.caseNumber(), c.accountNo(), c.accountName(), c.accountTier(),
                    c.relatedOpportunityId(), c.categoryCode(), c.priority(), c.origin(), c.subject(), c.description(),
                    c.productSku(), c.productName(), c.productLine(),
                    str(body, "caseStatus", c.caseStatus()), str(body, "assignedTeam", c.assignedTeam()),
                    str(body, "assignedTo", c.assignedTo()), str(body, "resolution", c.resolution()),
                    body.containsKey("escalated") ? Boolean.TRUE.equals(body.get("escalated")) : c.escalated(),
                    str(body, "routingNote", c.routingNote()), str(body, "externalTaskRef", c.externalTaskRef()),
                    null, c.openedAt(), c.lastModified());
            cases.updateStatus(updated, body.containsKey("esbSyncedAt") ? synced
                    : OpportunityRepository.utc(c.esbSyncedAt()));
            return cases.find(caseNumber).orElseThrow();
        });
    }

    public List<CaseStatusHistoryEntry> statusHistory(String caseNumber) {
        get(caseNumber);
        return cases.statusHistory(caseNumber);
    }

    private static String str(Map<String, Object> body, String field, String current) {
        return body.containsKey(field) ? (String) body.get(field) : current;
    }

    private String json(Object value) {
        try {
            return objectMapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
