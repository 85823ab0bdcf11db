package io.conduit.esb.intake;

import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class StartupGateTest {

    private ReadinessState readiness = ReadinessState.REFUSING_TRAFFIC;

    private final ApplicationAvailability availability = new ApplicationAvailability() {
        @Override
        public <S extends AvailabilityState> S getState(Class<S> type, S defaultState) {
            return getState(type);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <S extends AvailabilityState> S getState(Class<S> type) {
            return type == ReadinessState.class ? (S) readiness : (S) LivenessState.CORRECT;
        }

        @Override
        public <S extends AvailabilityState> org.springframework.boot.availability.AvailabilityChangeEvent<S> getLastChangeEvent(Class<S> type) {
            return null;
        }
    };

    private final StartupGate gate = new StartupGate(availability, 5);

    @Test
    void whileStartingAWebhookIsAnswered503WithRetryAfterAndNothingBehindTheGateRuns() throws Exception {
        MockHttpServletResponse response = send("POST", "/api/v1/crm/webhooks/opportunity-won");

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("urn:conduit:problem:not-ready");
        assertThat(passed).isFalse();
    }

    @Test
    void probesAndTheSandboxSystemsAreNeverGated() throws Exception {
        assertThat(send("GET", "/actuator/health/readiness").getStatus()).isEqualTo(200);
        assertThat(passed).isTrue();
        passed = false;
        assertThat(send("POST", "/sandbox/crm/api/opportunities").getStatus()).isEqualTo(200);
        assertThat(passed).isTrue();
    }

    @Test
    void onceReadyEverythingPassesAndWhenStoppingItIsGatedAgain() throws Exception {
        readiness = ReadinessState.ACCEPTING_TRAFFIC;
        assertThat(send("POST", "/api/v1/hr/events").getStatus()).isEqualTo(200);
        assertThat(passed).isTrue();

        readiness = ReadinessState.REFUSING_TRAFFIC;
        passed = false;
        assertThat(send("POST", "/api/v1/hr/events").getStatus()).isEqualTo(503);
        assertThat(passed).isFalse();
    }

    private boolean passed;

    private MockHttpServletResponse send(String method, String path) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        MockHttpServletResponse response = new MockHttpServletResponse();
        gate.doFilter(request, response, new MockFilterChain() {
            @Override
            public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res) {
                passed = true;
            }
        });
        return response;
    }
}
