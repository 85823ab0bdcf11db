package io.conduit.esb.partner;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Admin endpoints of the partner registry, behind {@link PartnerAdminAuthFilter} (bearer token):
 * <ul>
 *   <li>{@code POST /api/v1/partner/admin/partners}: register a partner; the answer holds its first API key and
 *       secret (shown only this once);</li>
 *   <li>{@code GET /api/v1/partner/admin/partners/{partnerId}}: the partner and its keys (never secrets);</li>
 *   <li>{@code POST /api/v1/partner/admin/partners/{partnerId}/keys}: rotate: a new key, the previous keys stay
 *       valid for {@code esb.partner.rotation-overlap-seconds};</li>
 *   <li>{@code DELETE /api/v1/partner/admin/partners/{partnerId}/keys/{keyId}}: revoke a key at once.</li>
 * </ul>
 */
@RestController
@RequestMapping("/api/v1/partner/admin/partners")
public class PartnerAdminController {

    /** Message types that have a flow to enter. */
    static final Set<String> MESSAGE_TYPES = Set.of("order", "complaint");
    /** Source names of the company's own systems: a partner id must not pose as one of them. */
    private static final Set<String> RESERVED_IDS = Set.of("crm", "erp", "oa", "esb", "conduit-esb", "admin");

    public record Registration(String partnerId, String name, String format, List<String> allowedMessageTypes,
                               Integer rateLimitPerMinute) { }

    private final PartnerRegistry registry;
    private final String defaultFormat;
    private final int defaultRate;

    public PartnerAdminController(PartnerRegistry registry,
                                  @Value("${esb.partner.default-format}") String defaultFormat,
                                  @Value("${esb.partner.default-rate-limit-per-minute}") int defaultRate) {
        this.registry = registry;
        this.defaultFormat = defaultFormat;
        this.defaultRate = defaultRate;
    }

    @PostMapping
    public ResponseEntity<Map<String, Object>> register(@RequestBody Registration registration) {
        String id = registration.partnerId();
        // at most 16 characters: the partner id becomes the orders' source system (the ERP's src_sys column)
        if (id == null || !id.matches("^[a-z][a-z0-9-]{1,15}$") || RESERVED_IDS.contains(id)) {
            throw problem(HttpStatus.BAD_REQUEST, "partnerId must match ^[a-z][a-z0-9-]{1,15}$ and not be a system name");
        }
        if (registration.name() == null || registration.name().isBlank()) {
            throw problem(HttpStatus.BAD_REQUEST, "name is required");
        }
        List<String> types = registration.allowedMessageTypes() == null ? List.of("order") : registration.allowedMessageTypes();
        if (types.isEmpty() || !MESSAGE_TYPES.containsAll(types)) {
            throw problem(HttpStatus.BAD_REQUEST, "allowedMessageTypes must be a non-empty subset of " + MESSAGE_TYPES);
        }
        String format = registration.format() == null ? defaultFormat : registration.format();
        if (!format.matches("^[a-z0-9][a-z0-9-]{0,63}$")) {
            throw problem(HttpStatus.BAD_REQUEST, "format must match ^[a-z0-9][a-z0-9-]{0,63}$");
        }
        int rate = registration.rateLimitPerMinute() == null ? defaultRate : registration.rateLimitPerMinute();
        if (rate < 1) {
            throw problem(HttpStatus.BAD_REQUEST, "rateLimitPerMinute must be at least 1");
        }
        PartnerRegistry.IssuedKey key;
        try {
            key = registry.register(id, registration.name(), format, types, rate);
        } catch (DuplicateKeyException e) {
            throw problem(HttpStatus.CONFLICT, "Partner '" + id + "' is already registered");
        }
        Map<String, Object> body = partner(id);
        body.put("apiKey", issued(key));
        return ResponseEntity.created(URI.create("/api/v1/partner/admin/partners/" + id)).body(body);
    }

    @GetMapping("/{partnerId}")
    public Map<String, Object> get(@PathVariable String partnerId) {
        return partner(partnerId);
    }

    @PostMapping("/{partnerId}/keys")
    public ResponseEntity<Map<String, Object>> rotate(@PathVariable String partnerId) {
        partner(partnerId);
        return ResponseEntity.status(HttpStatus.CREATED).body(issued(registry.rotate(partnerId)));
    }

    @DeleteMapping("/{partnerId}/keys/{keyId}")
    public ResponseEntity<Void> revoke(@PathVariable String partnerId, @PathVariable String keyId) {
        if (!registry.revoke(partnerId, keyId)) {
            throw problem(HttpStatus.NOT_FOUND, "Partner '" + partnerId + "' has no key '" + keyId + "'");
        }
        return ResponseEntity.noContent().build();
    }

    private Map<String, Object> partner(String partnerId) {
        PartnerRegistry.Partner partner = registry.partner(partnerId)
                .orElseThrow(() -> problem(HttpStatus.NOT_FOUND, "No partner '" + partnerId + "'"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("partnerId", partner.partnerId());
        body.put("name", partner.name());
        body.put("status", partner.status());
        body.put("format", partner.format());
        body.put("allowedMessageTypes", partner.allowedTypes());
        body.put("rateLimitPerMinute", partner.rateLimitPerMinute());
        body.put("keys", registry.keys(partnerId));
        return body;
    }

    private static Map<String, Object> issued(PartnerRegistry.IssuedKey key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("keyId", key.keyId());
        body.put("secret", key.secret());
        body.put("validFrom", key.validFrom().toString());
        return body;
    }

    private static ErrorResponseException problem(HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:conduit:problem:" + (status == HttpStatus.NOT_FOUND ? "not-found"
                : status == HttpStatus.CONFLICT ? "conflict" : "invalid-request")));
        return new ErrorResponseException(status, problem, null);
    }
}
