package io.conduit.esb.sandbox;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * A cheap "are you there" of the sandbox CRM and OA APIs, probed by the ESB's system health. Behind the systems'
 * fault filters, so a system switched to {@code down} or {@code failing} also fails its ping.
 */
@RestController
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class SandboxPingController {

    @GetMapping({"/sandbox/crm/api/ping", "/sandbox/oa/api/ping"})
    public Map<String, String> ping() {
        return Map.of("status", "ok");
    }
}
