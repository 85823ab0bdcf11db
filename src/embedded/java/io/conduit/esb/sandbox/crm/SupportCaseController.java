package io.conduit.esb.sandbox.crm;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.util.List;
import java.util.Map;

/**
 * The sandbox CRM's case API under {@code /sandbox/crm/api/cases}: open a case (fires the {@code case.created}
 * webhook), read it, take the ESB's status update ({@code PATCH}), and, for tests, the status history.
 */
@RestController
@RequestMapping("/sandbox/crm/api/cases")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class SupportCaseController {

    private final SupportCaseService service;

    public SupportCaseController(SupportCaseService service) {
        this.service = service;
    }

    @PostMapping
    public ResponseEntity<SupportCase> open(@RequestBody SupportCaseRequest request) {
        SupportCase created = service.open(request);
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}")
                .buildAndExpand(created.caseNumber()).toUri()).body(created);
    }

    @GetMapping("/{id}")
    public SupportCase get(@PathVariable String id) {
        return service.get(id);
    }

    @PatchMapping("/{id}")
    public SupportCase update(@PathVariable String id, @RequestBody Map<String, Object> body) {
        return service.update(id, body);
    }

    @GetMapping("/{id}/status-history")
    public List<CaseStatusHistoryEntry> statusHistory(@PathVariable String id) {
        return service.statusHistory(id);
    }
}
