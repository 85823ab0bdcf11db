package io.conduit.esb.intake;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.AsyncContext;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class OverloadGateTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final OverloadGate gate = new OverloadGate(2, 1, meters);

    /** A request whose handling goes on asynchronously (as an intake request waits for Kafka), left open. */
    private MockHttpServletRequest startAsync(String path) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setAsyncSupported(true);
        gate.doFilter(request, new MockHttpServletResponse(), (req, res) -> req.startAsync());
        return request;
    }

    private MockHttpServletResponse send(String path) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        gate.doFilter(new MockHttpServletRequest("POST", path), response, new MockFilterChain());
        return response;
    }

    @Test
    void beyondTheBoundARequestIsAnswered503WithRetryAfterAndTheBoundFreesWhenOneEnds() throws Exception {
        MockHttpServletRequest first = startAsync("/api/v1/crm/webhooks/opportunity-won");
        startAsync("/api/v1/hr/events");
        assertThat(gate.inFlight()).isEqualTo(2);

        MockHttpServletResponse refused = send("/api/v1/crm/webhooks/opportunity-won");
        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refused.getContentType()).startsWith("application/problem+json");
        assertThat(refused.getContentAsString()).contains(OverloadGate.PROBLEM_TYPE).contains("nothing was accepted");
        assertThat(meters.counter("esb.intake.overloaded").count()).isEqualTo(1.0);

        AsyncContext context = first.getAsyncContext();
        ((MockAsyncContext) context).complete();
        assertThat(gate.inFlight()).isEqualTo(1);
        assertThat(send("/api/v1/crm/webhooks/opportunity-won").getStatus()).isEqualTo(200);
        assertThat(gate.inFlight()).as("a request handled synchronously gives its permit back at once").isEqualTo(1);
    }

    @Test
    void probesPeopleOperatorsAndTheSandboxSystemsAreNotCountedNorRefused() throws Exception {
        startAsync("/api/v1/crm/webhooks/opportunity-won");
        startAsync("/api/v1/crm/webhooks/opportunity-won");

        assertThat(send("/actuator/health/readiness").getStatus()).isEqualTo(200);
        assertThat(send("/sandbox/crm/api/opportunities/OPP-1").getStatus()).isEqualTo(200);
        assertThat(send("/console/parked").getStatus()).isEqualTo(200);
        assertThat(send("/api/v1/ops/overview").getStatus()).isEqualTo(200);
        assertThat(send("/api/v1/orders/OPP-1/status").getStatus()).isEqualTo(503);
    }

    @Test
    void aRequestThatFailsGivesItsPermitBack() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/hr/events");
        try {
            gate.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
                throw new IllegalStateException("route failed");
            });
        } catch (IllegalStateException expected) {
            // the failure goes on to the error handling; the permit must not stay taken
        }
        assertThat(gate.inFlight()).isZero();
    }
}
