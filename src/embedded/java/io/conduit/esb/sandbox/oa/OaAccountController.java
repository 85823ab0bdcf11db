package io.conduit.esb.sandbox.oa;

import io.conduit.esb.sandbox.SandboxProblems;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox OA's account API under {@code /sandbox/oa/api/accounts}: create (409 when the employee already has an
 * account), change ({@code PATCH}: login, displayName, email, department, active), look up by employee number.
 */
@RestController
@RequestMapping("/sandbox/oa/api/accounts")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class OaAccountController {

    private final OaAccountRepository accounts;

    public OaAccountController(OaAccountRepository accounts) {
        this.accounts = accounts;
    }

    @PostMapping
    public ResponseEntity<OaAccount> create(@RequestBody OaAccountRequest request) {
        OaAccountRequest valid = request.validated();
        accounts.findByEmployeeNo(valid.employeeNo()).ifPresent(existing -> {
            throw employeeConflict(existing);
        });
        String id;
        try {
            id = accounts.insert(valid);
        } catch (DuplicateKeyException e) {
            throw accounts.findByEmployeeNo(valid.employeeNo()).map(OaAccountController::employeeConflict)
                    .orElseGet(() -> SandboxProblems.conflict("Login '" + valid.login() + "' is already taken"));
        }
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}").buildAndExpand(id).toUri();
        return ResponseEntity.created(location).body(accounts.find(id).orElseThrow());
    }

    @GetMapping
    public List<OaAccount> find(@RequestParam(required = false) String employeeNo) {
        return employeeNo == null ? accounts.list() : accounts.findByEmployeeNo(employeeNo).map(List::of).orElse(List.of());
    }

    @GetMapping("/{id}")
    public OaAccount get(@PathVariable String id) {
        return accounts.find(id).orElseThrow(() -> SandboxProblems.notFound("Account", id));
    }

    @PatchMapping("/{id}")
    public OaAccount update(@PathVariable String id, @RequestBody Map<String, Object> body) {
        if (body == null || body.isEmpty()) {
            throw SandboxProblems.badRequest("Nothing to update: send any of " + OaAccountRepository.UPDATABLE_COLUMNS.keySet());
        }
        Map<String, String> invalid = new LinkedHashMap<>();
        body.forEach((field, value) -> {
            if (!OaAccountRepository.UPDATABLE_COLUMNS.containsKey(field)) {
                invalid.put(field, "not updatable; only " + OaAccountRepository.UPDATABLE_COLUMNS.keySet());
            } else if ("active".equals(field) ? !(value instanceof Boolean) : value != null && !(value instanceof String)) {
                invalid.put(field, "active".equals(field) ? "true or false" : "a string");
            } else if (value == null && ("login".equals(field) || "displayName".equals(field))) {
                invalid.put(field, "required, cannot be null");
            }
        });
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        if (!accounts.update(id, body)) {
            throw SandboxProblems.notFound("Account", id);
        }
        return get(id);
    }

    private static ErrorResponseException employeeConflict(OaAccount existing) {
        ErrorResponseException conflict = SandboxProblems.conflict("Employee " + existing.employeeNo()
                + " already has account " + existing.accountId());
        conflict.getBody().setProperty("accountId", existing.accountId());
        return conflict;
    }
}
