package io.conduit.esb.sandbox.crm;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The sandbox CRM's REST API under {@code /sandbox/crm/api/opportunities}, in the CRM's own field names:
 * create/read/list/replace opportunities, win them (fires the webhook), take the ESB's ERP status ({@code PATCH}),
 * and, for tests, the ERP status history, webhook deliveries and a duplicate webhook delivery ({@code resend}).
 */
@RestController
@RequestMapping("/sandbox/crm/api/opportunities")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class OpportunityController {

    private final OpportunityService service;

    public OpportunityController(OpportunityService service) {
        this.service = service;
    }

    @PostMapping
    public ResponseEntity<Opportunity> create(@RequestBody OpportunityRequest request) {
        Opportunity created = service.create(request);
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}")
                .buildAndExpand(created.opportunityId()).toUri();
        return ResponseEntity.created(location).body(created);
    }

    @GetMapping
    public List<Opportunity> list(@RequestParam(required = false) String stage) {
        return service.list(stage);
    }

    @GetMapping("/{id}")
    public Opportunity get(@PathVariable String id) {
        return service.get(id);
    }

    @PutMapping("/{id}")
    public Opportunity replace(@PathVariable String id, @RequestBody OpportunityRequest request) {
        return service.replace(id, request);
    }

    @PostMapping("/{id}/win")
    public Opportunity win(@PathVariable String id) {
        return service.win(id);
    }

    @PatchMapping("/{id}")
    public Opportunity updateErpStatus(@PathVariable String id, @RequestBody Map<String, Object> body) {
        return service.updateErpStatus(id, body);
    }

    @GetMapping("/{id}/erp-status-history")
    public List<ErpStatusHistoryEntry> erpStatusHistory(@PathVariable String id) {
        return service.erpStatusHistory(id);
    }

    /** 202 with the event being sent again: {@code {"eventId","eventType","opportunityId","revision"}}. */
    @PostMapping("/{id}/webhook/resend")
    public ResponseEntity<Map<String, Object>> resendWebhook(@PathVariable String id) {
        WebhookEvent event = service.resendLastEvent(id);
        return ResponseEntity.accepted().body(Map.of("eventId", event.eventId(), "eventType", event.eventType(),
                "opportunityId", event.opportunityId(), "revision", event.revision()));
    }

    @GetMapping("/{id}/webhook/deliveries")
    public List<WebhookDelivery> webhookDeliveries(@PathVariable String id) {
        return service.webhookDeliveries(id);
    }
}
