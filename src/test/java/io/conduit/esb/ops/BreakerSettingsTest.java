package io.conduit.esb.ops;

import io.conduit.esb.systems.SystemDeclaration;
import io.conduit.esb.systems.SystemRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The breakers as shipped ({@code config/observability.yaml}), fed the outcomes a system failing 15 % of its calls
 * gives them: such a system is served, not cut off; one that is away is.
 */
class BreakerSettingsTest {

    private final CircuitBreaker crm = shippedBreakers().breaker("crm");

    /**
     * The fault suite's CRM (10 % answered 500, 5 % held past the ESB's timeout): calls are recorded when they end, so
     * the timeouts of calls started 5 s earlier land together among the successes of the calls made now. The tail is
     * the one recorded just before the CRM's breaker opened at 00:07:52 (S success, F 500, T timeout): 10 failures of
     * the last 20 calls, which a window of the last 20 calls (the setting before) took for a system half away.
     */
    @Test
    void aSystemFailingFifteenPercentOfItsCallsWithBunchedTimeoutsKeepsItsBreakerClosed() {
        for (int i = 0; i < 80; i++) {
            record(i % 7 == 3 ? 'F' : 'S');
        }
        "SFSSSFFSSSFSSFSTTTTT".chars().forEach(outcome -> record((char) outcome));

        assertThat(crm.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(crm.getMetrics().getFailureRate()).isBetween(15f, 30f);
    }

    @Test
    void aSystemThatIsAwayOpensItsBreakerAfterTenFailedCalls() {
        for (int i = 0; i < 9; i++) {
            record('T');
        }
        assertThat(crm.getState()).isEqualTo(CircuitBreaker.State.CLOSED);

        record('F');

        assertThat(crm.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    /**
     * Two failed trials of five (a system failing 15 %) close it again; with three trials, two failures among them
     * reopened it.
     */
    @Test
    void halfOpenClosesAgainWhenMostTrialsSucceed() {
        crm.transitionToOpenState();
        crm.transitionToHalfOpenState();

        "FSTSS".chars().forEach(outcome -> {
            assertThat(crm.tryAcquirePermission()).isTrue();
            record((char) outcome);
        });

        assertThat(crm.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    /** One call's outcome, as SystemCallGuard reports it when the call ends. */
    private void record(char outcome) {
        switch (outcome) {
            case 'S' -> crm.onSuccess(5, TimeUnit.MILLISECONDS);
            case 'F' -> crm.onError(5, TimeUnit.MILLISECONDS, new HttpOperationFailedException(
                    "http://crm/api/opportunities/1", 500, "Internal Server Error", null, Map.of(), "{}"));
            case 'T' -> crm.onError(5_000, TimeUnit.MILLISECONDS, new SocketTimeoutException("Read timed out"));
            default -> throw new IllegalArgumentException("outcome " + outcome);
        }
    }

    /** The breakers built from the settings the ESB ships with. */
    private static SystemBreakers shippedBreakers() {
        try {
            var sources = new YamlPropertySourceLoader().load("observability",
                    new ClassPathResource("config/observability.yaml"));
            BreakerSettings settings = new Binder(ConfigurationPropertySources.from(sources))
                    .bind("esb.breakers", BreakerSettings.class).get();
            SystemRegistry systems = new SystemRegistry(new Binder(new MapConfigurationPropertySource(
                    Map.of("esb.systems.crm.base-url", "http://crm/api")))
                    .bind("esb.systems", Bindable.mapOf(String.class, SystemDeclaration.class)).get());
            return new SystemBreakers(settings, new SimpleMeterRegistry(), systems);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
