package io.conduit.esb.sandbox.crm;

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
 * The sandbox CRM's user API under {@code /sandbox/crm/api/users}: create (409 with the existing {@code userId}
 * when the employee already has a user), change ({@code PATCH}: userName, fullName, emailAddress, team, jobTitle,
 * isActive; {@code isActive: false} deactivates), look up by employee number. There is no delete.
 */
@RestController
@RequestMapping("/sandbox/crm/api/users")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class CrmUserController {

    private final CrmUserRepository users;

    public CrmUserController(CrmUserRepository users) {
        this.users = users;
    }

    @PostMapping
    public ResponseEntity<CrmUser> create(@RequestBody CrmUserRequest request) {
        CrmUserRequest valid = request.validated();
        users.findByEmployeeNumber(valid.employeeNumber()).ifPresent(existing -> {
            throw employeeConflict(existing);
        });
        String id;
        try {
            id = users.insert(valid);
        } catch (DuplicateKeyException e) {
            throw users.findByEmployeeNumber(valid.employeeNumber()).map(CrmUserController::employeeConflict)
                    .orElseGet(() -> SandboxProblems.conflict("User name '" + valid.userName() + "' is already taken"));
        }
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}").buildAndExpand(id).toUri();
        return ResponseEntity.created(location).body(users.find(id).orElseThrow());
    }

    @GetMapping
    public List<CrmUser> find(@RequestParam(required = false) String employeeNumber) {
        return employeeNumber == null ? users.list()
                : users.findByEmployeeNumber(employeeNumber).map(List::of).orElse(List.of());
    }

    @GetMapping("/{id}")
    public CrmUser get(@PathVariable String id) {
        return users.find(id).orElseThrow(() -> SandboxProblems.notFound("User", id));
    }

    @PatchMapping("/{id}")
    public CrmUser update(@PathVariable String id, @RequestBody Map<String, Object> body) {
        if (body == null || body.isEmpty()) {
            throw SandboxProblems.badRequest("Nothing to update: send any of " + CrmUserRepository.UPDATABLE_COLUMNS.keySet());
        }
        Map<String, String> invalid = new LinkedHashMap<>();
        body.forEach((field, value) -> {
            if (!CrmUserRepository.UPDATABLE_COLUMNS.containsKey(field)) {
                invalid.put(field, "not updatable; only " + CrmUserRepository.UPDATABLE_COLUMNS.keySet());
            } else if ("isActive".equals(field) ? !(value instanceof Boolean) : value != null && !(value instanceof String)) {
                invalid.put(field, "isActive".equals(field) ? "true or false" : "a string");
            } else if (value == null && ("userName".equals(field) || "fullName".equals(field))) {
                invalid.put(field, "required, cannot be null");
            }
        });
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        if (!users.update(id, body)) {
            throw SandboxProblems.notFound("User", id);
        }
        return get(id);
    }

    private static ErrorResponseException employeeConflict(CrmUser existing) {
        ErrorResponseException conflict = SandboxProblems.conflict("Employee " + existing.employeeNumber()
                + " already has user " + existing.userId());
        conflict.getBody().setProperty("userId", existing.userId());
        return conflict;
    }
}
