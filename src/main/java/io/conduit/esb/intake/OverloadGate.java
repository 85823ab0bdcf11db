package io.conduit.esb.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps the ESB alive when more messages arrive than it can take: at most {@code esb.intake.max-in-flight} requests
 * to the ESB's own endpoints are being handled at once (an intake request stays in flight, asynchronously, until its
 * message is durably stored); the next one is answered 503 problem+json with {@code Retry-After} at once, before
 * authentication or parsing, so nothing was accepted and the sender sends it again. Without the bound, a sender
 * that opens a connection per request (the throughput benchmark's open-model load at 1,000 orders/s on a machine
 * that handles about 100) piled up thousands of waiting requests until the heap was gone.
 * <p>
 * Not counted: the health probes (a loaded ESB must still say so), the people's pages and the admin API (an operator
 * looks at an overloaded ESB through them) and the sandbox systems (stand-ins for external systems, which the ESB
 * itself calls while it works through the queue).
 */
public class OverloadGate extends OncePerRequestFilter {

    static final String PROBLEM_TYPE = "urn:conduit:problem:overloaded";

    private static final String[] NOT_COUNTED = {"/actuator/", "/sandbox/", "/console/", "/login", "/logout",
            "/hawtio", "/webjars/", "/api/v1/ops/", "/api/v1/systems"};

    private final Semaphore permits;
    private final int maxInFlight;
    private final int retryAfterSeconds;
    private final Counter refused;

    public OverloadGate(int maxInFlight, int retryAfterSeconds, MeterRegistry meters) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("esb.intake.max-in-flight must be at least 1, was " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        this.permits = new Semaphore(maxInFlight);
        this.retryAfterSeconds = retryAfterSeconds;
        this.refused = Counter.builder("esb.intake.overloaded")
                .description("Requests answered 503 because esb.intake.max-in-flight requests were being handled")
                .register(meters);
        Gauge.builder("esb.intake.in.flight", this, OverloadGate::inFlight)
                .description("Requests to the ESB's endpoints being handled now")
                .register(meters);
    }

    /** Requests being handled now. */
    public int inFlight() {
        return maxInFlight - permits.availablePermits();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        for (String prefix : NOT_COUNTED) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return path.equals("/actuator") || path.equals("/console") || path.equals("/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!permits.tryAcquire()) {
            refused.increment();
            response.setHeader("Retry-After", Integer.toString(retryAfterSeconds));
            ProblemResponses.write(response, 503, ProblemResponses.body(503, PROBLEM_TYPE, "Overloaded",
                    "The ESB is handling " + maxInFlight + " requests and takes no more now; send again after "
                            + retryAfterSeconds + " s (nothing was accepted)", null));
            return;
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                permits.release();
            }
        };
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new ReleaseOnEnd(release));
            } else {
                release.run();
            }
        }
    }

    /** Gives the permit back when an asynchronous request ends, however it ends. */
    private record ReleaseOnEnd(Runnable release) implements AsyncListener {

        @Override
        public void onComplete(AsyncEvent event) {
            release.run();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            release.run();
        }

        @Override
        public void onError(AsyncEvent event) {
            release.run();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // a new asynchronous cycle of the same request: the listener must be registered again to hear its end
            event.getAsyncContext().addListener(this);
        }
    }
}
