package io.conduit.esb.intake;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Ready means ready: while the ESB is not ready for traffic - starting (the web server listens some seconds before
 * the flows' routes, and the HTTP endpoints they declare, are started) or stopping - every request but the health
 * probes and the sandbox systems is answered 503 problem+json with {@code Retry-After}, never the 404 of an endpoint
 * that is not there yet, which a sender would take as final. Readiness is Spring Boot's own: it accepts traffic once
 * the application (and so the Camel context with every route) has started, and refuses it again when a stop begins.
 * Registered first, ahead of authentication, so a signed request is not checked (nor its signature used) in vain.
 */
public class StartupGate extends OncePerRequestFilter {

    private final ApplicationAvailability availability;
    private final int retryAfterSeconds;

    public StartupGate(ApplicationAvailability availability, int retryAfterSeconds) {
        this.availability = availability;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/actuator/") || path.equals("/actuator") || path.startsWith("/sandbox/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ReadinessState readiness = availability.getReadinessState();
        if (readiness == ReadinessState.ACCEPTING_TRAFFIC) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Retry-After", Integer.toString(retryAfterSeconds));
        ProblemResponses.write(response, 503, ProblemResponses.body(503, "urn:conduit:problem:not-ready",
                "Not ready", "The ESB is starting or stopping and takes no messages now; send again after "
                        + retryAfterSeconds + " s (nothing was accepted)", null));
    }
}
