package io.conduit.esb.sandbox.fault;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Makes the REST API of a simulated system (CRM, OA) slow, failing or down, as set through its
 * {@link FaultControl}. Registered only on the system's API paths ({@code /sandbox/crm/api/*},
 * {@code /sandbox/oa/api/*}), never on its admin paths, so a system can always be switched back.
 * <ul>
 *   <li>{@code slow}: blocks the request thread for {@code latencyMs} before handling it. Blocking is the point:
 *       this simulates a slow remote system, and the ESB's timeouts must see it.</li>
 *   <li>{@code failing}: answers 500 (problem+json) with probability {@code errorRate}.</li>
 *   <li>{@code down}: answers 503 with {@code Retry-After}. A real system that is down would rather refuse
 *       connections or time out; the sandbox shares its port with the ESB, so it answers 503 instead, which
 *       the ESB must treat as the same kind of transient unavailability.</li>
 * </ul>
 * A request carrying {@value #BYPASS_HEADER}{@code : true} is never faulted: it stands for the system's own
 * users (a salesperson clicking "won" in the CRM UI) while the system's API misbehaves towards the ESB.
 */
public class SimulatedFaultFilter extends OncePerRequestFilter {

    static final String PROBLEM_BASE = "urn:conduit:sandbox:problem:";
    public static final String BYPASS_HEADER = "X-Sandbox-Bypass-Faults";

    private final FaultControl faults;
    private final FaultPolicy policy;
    private final Sleeper sleeper;
    private final ObjectMapper objectMapper;
    private final int retryAfterSeconds;

    public SimulatedFaultFilter(FaultControl faults, FaultPolicy policy, Sleeper sleeper, ObjectMapper objectMapper,
                                int retryAfterSeconds) {
        this.faults = Objects.requireNonNull(faults, "faults");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if ("true".equalsIgnoreCase(request.getHeader(BYPASS_HEADER))) {
            chain.doFilter(request, response);
            return;
        }
        FaultDecision decision = policy.decide(faults.current());
        if (decision.delayMs() > 0) {
            try {
                sleeper.sleep(decision.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServletException("Interrupted while simulating latency", e);
            }
        }
        switch (decision.outcome()) {
            case PROCEED -> chain.doFilter(request, response);
            case FAIL -> writeProblem(request, response, HttpStatus.INTERNAL_SERVER_ERROR, "simulated-failure",
                    "Simulated " + faults.system().toUpperCase() + " failure",
                    "The sandbox " + faults.system() + " is in fault mode 'failing' and failed this request.");
            case UNAVAILABLE -> {
                response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
                writeProblem(request, response, HttpStatus.SERVICE_UNAVAILABLE, "system-down",
                        "Simulated " + faults.system().toUpperCase() + " outage",
                        "The sandbox " + faults.system() + " is in fault mode 'down'.");
            }
        }
    }

    private void writeProblem(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
                              String type, String title, String detail) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", PROBLEM_BASE + type);
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        objectMapper.writeValue(response.getOutputStream(), problem);
    }
}
