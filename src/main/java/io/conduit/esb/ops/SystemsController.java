package io.conduit.esb.ops;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/systems}: every declared system with its role, adapter, transport, health, circuit breaker and
 * call latency; {@code GET /api/v1/systems/{name}}: one system with its recent probes, reachability changes, breaker
 * transitions and last errors (masked). What the console's Systems page shows, for tools. Read only, role VIEWER;
 * 404 problem+json for a system not declared.
 */
@RestController
@RequestMapping("/api/v1/systems")
public class SystemsController {

    /** The list, and when it was taken. */
    public record Systems(Instant at, List<SystemsView.SystemSummary> systems) {
    }

    private final SystemsView view;

    public SystemsController(SystemsView view) {
        this.view = view;
    }

    @GetMapping
    public Systems all() {
        return new Systems(Instant.now(), view.systems());
    }

    @GetMapping("/{name}")
    public SystemsView.SystemDetail one(@PathVariable String name) {
        return view.system(name).orElseThrow(() -> {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "No system '" + name + "' is declared (esb.systems.<name>)");
            problem.setType(URI.create("urn:conduit:problem:not-found"));
            problem.setTitle("System not found");
            return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
        });
    }
}
