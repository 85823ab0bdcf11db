package io.conduit.esb.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.sandbox.fault.FaultDecision;
import io.conduit.esb.sandbox.fault.FaultMode;
import io.conduit.esb.sandbox.fault.FaultPolicy;
import io.conduit.esb.sandbox.fault.FaultSettings;
import io.conduit.esb.sandbox.fault.InMemoryFaultControl;
import io.conduit.esb.sandbox.fault.SimulatedFaultFilter;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fault decisions of the CRM/OA API filter, and the fault settings they are made from. */
class FaultPolicyTest {

    private final ObjectMapper objectMapper = new ObjectMapper();
    private final InMemoryFaultControl faults = new InMemoryFaultControl("crm");
    private final List<Long> sleeps = new ArrayList<>();

    @Test
    void normalPassesRequestsThrough() throws Exception {
        MockFilterChain chain = new MockFilterChain();
        MockHttpServletResponse response = filter(() -> 0.0, chain);

        assertThat(chain.getRequest()).as("handled").isNotNull();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void failingWithRateOneAnswers500ProblemJson() throws Exception {
        faults.apply(FaultSettings.failing(1.0));
        MockFilterChain chain = new MockFilterChain();

        MockHttpServletResponse response = filter(() -> 0.999, chain);

        assertThat(chain.getRequest()).as("not handled").isNull();
        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        JsonNode problem = objectMapper.readTree(response.getContentAsString());
        assertThat(problem.path("status").asInt()).isEqualTo(500);
        assertThat(problem.path("type").asText()).isEqualTo("urn:conduit:sandbox:problem:simulated-failure");
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).contains("failing");
        assertThat(problem.path("instance").asText()).isEqualTo("/sandbox/crm/api/opportunities");
    }

    @Test
    void downAnswers503WithRetryAfter() throws Exception {
        faults.apply(FaultSettings.down());
        MockFilterChain chain = new MockFilterChain();

        MockHttpServletResponse response = filter(() -> 0.0, chain);

        assertThat(chain.getRequest()).isNull();
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("7");
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(objectMapper.readTree(response.getContentAsString()).path("type").asText())
                .isEqualTo("urn:conduit:sandbox:problem:system-down");
    }

    @Test
    void slowDelaysThenHandles() throws Exception {
        faults.apply(FaultSettings.slow(750));
        MockFilterChain chain = new MockFilterChain();

        MockHttpServletResponse response = filter(() -> 0.0, chain);

        assertThat(sleeps).containsExactly(750L);
        assertThat(chain.getRequest()).isNotNull();
        assertThat(response.getStatus()).isEqualTo(200);
    }

    @Test
    void failingWithAPartialRateFailsWhenTheDrawIsBelowTheRate() throws Exception {
        faults.apply(new FaultSettings(FaultMode.FAILING, 100, 0.5));

        MockFilterChain failed = new MockFilterChain();
        assertThat(filter(() -> 0.49, failed).getStatus()).isEqualTo(500);
        assertThat(failed.getRequest()).isNull();

        MockFilterChain passed = new MockFilterChain();
        assertThat(filter(() -> 0.5, passed).getStatus()).isEqualTo(200);
        assertThat(passed.getRequest()).isNotNull();

        assertThat(sleeps).as("latency applies before either outcome").containsExactly(100L, 100L);
    }

    @Test
    void failingWithATimeoutRateHoldsThoseCallsPastTheCallersTimeoutAndThenHandlesThem() throws Exception {
        faults.apply(new FaultSettings(FaultMode.FAILING, 0, 0.10, 0.05));

        MockFilterChain failed = new MockFilterChain();
        assertThat(filter(() -> 0.09, failed).getStatus()).isEqualTo(500);
        MockFilterChain held = new MockFilterChain();
        assertThat(filter(() -> 0.14, held).getStatus()).isEqualTo(200);
        assertThat(held.getRequest()).as("handled after the hold: the caller's answer is lost, the call is not").isNotNull();
        MockFilterChain passed = new MockFilterChain();
        assertThat(filter(() -> 0.16, passed).getStatus()).isEqualTo(200);

        assertThat(sleeps).containsExactly((long) FaultSettings.TIMEOUT_HOLD_MS);
    }

    @Test
    void theAdminBodyTakesATimeoutRateAndWithoutOneHasNone() throws Exception {
        FaultSettings both = objectMapper.readValue("{\"mode\":\"failing\",\"errorRate\":0.1,\"timeoutRate\":0.05}",
                FaultSettings.class).normalized();
        FaultSettings errorsOnly = objectMapper.readValue("{\"mode\":\"failing\",\"errorRate\":0.1}",
                FaultSettings.class).normalized();
        FaultSettings timeoutsOnly = objectMapper.readValue("{\"mode\":\"failing\",\"timeoutRate\":0.2}",
                FaultSettings.class).normalized();

        assertThat(both).isEqualTo(new FaultSettings(FaultMode.FAILING, 0, 0.1, 0.05));
        assertThat(errorsOnly).isEqualTo(new FaultSettings(FaultMode.FAILING, 0, 0.1, 0.0));
        assertThat(timeoutsOnly).as("a timeout rate alone does not imply failing every call")
                .isEqualTo(new FaultSettings(FaultMode.FAILING, 0, 0.0, 0.2));
        assertThatThrownBy(() -> new FaultSettings(FaultMode.FAILING, 0, 0.9, 0.2).normalized())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeoutRate");
    }

    @Test
    void failingWithRateZeroNeverFails() {
        FaultDecision decision = new FaultPolicy(() -> 0.0).decide(FaultSettings.failing(0.0));

        assertThat(decision.proceeds()).isTrue();
    }

    @Test
    void settingsAreNormalizedPerMode() {
        assertThat(new FaultSettings(FaultMode.SLOW, null, 0.7).normalized())
                .isEqualTo(new FaultSettings(FaultMode.SLOW, FaultSettings.DEFAULT_LATENCY_MS, 0.0));
        assertThat(new FaultSettings(FaultMode.FAILING, null, null).normalized())
                .isEqualTo(new FaultSettings(FaultMode.FAILING, 0, 1.0));
        assertThat(new FaultSettings(FaultMode.NORMAL, 500, 0.5).normalized()).isEqualTo(FaultSettings.NORMAL);
        assertThat(new FaultSettings(FaultMode.DOWN, 500, 0.5).normalized()).isEqualTo(FaultSettings.down());
        assertThat(FaultMode.parse("Failing")).isEqualTo(FaultMode.FAILING);
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> new FaultSettings(null, 0, 0.0).normalized()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FaultSettings(FaultMode.FAILING, 0, 1.5).normalized())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("errorRate");
        assertThatThrownBy(() -> new FaultSettings(FaultMode.SLOW, -1, 0.0).normalized())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latencyMs");
        assertThatThrownBy(() -> FaultMode.parse("broken")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("normal, slow, failing, down");
    }

    @Test
    void listenersHearOnlyChanges() {
        List<FaultSettings> heard = new ArrayList<>();
        faults.onChange(heard::add);

        faults.apply(FaultSettings.down());
        faults.apply(FaultSettings.down());
        faults.apply(FaultSettings.NORMAL);

        assertThat(heard).containsExactly(FaultSettings.down(), FaultSettings.NORMAL);
    }

    private MockHttpServletResponse filter(DoubleSupplier random, MockFilterChain chain) throws Exception {
        SimulatedFaultFilter filter = new SimulatedFaultFilter(faults, new FaultPolicy(random), sleeps::add,
                objectMapper, 7);
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/sandbox/crm/api/opportunities");
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, chain);
        return response;
    }
}
