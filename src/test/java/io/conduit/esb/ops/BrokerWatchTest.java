package io.conduit.esb.ops;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.actuate.health.DefaultHealthContributorRegistry;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** A broker's reachability is logged once per change, however often it is checked. */
class BrokerWatchTest {

    @Test
    void logsOnlyChangesOfReachability() {
        BrokerWatch watch = new BrokerWatch(new StaticListableBeanFactory().getBeanProvider(
                HealthContributorRegistry.class), 1000);

        assertThat(watch.changed("kafka", true, null)).as("first check, up: nothing to say").isFalse();
        assertThat(watch.changed("kafka", true, null)).isFalse();
        assertThat(watch.changed("kafka", false, "TimeoutException")).as("went away").isTrue();
        assertThat(watch.changed("kafka", false, "TimeoutException")).as("still away: silent").isFalse();
        assertThat(watch.changed("kafka", false, "TimeoutException")).isFalse();
        assertThat(watch.changed("kafka", true, null)).as("back").isTrue();
        assertThat(watch.changed("jms", false, "refused")).as("away at the first check").isTrue();
    }

    @Test
    void asksTheBrokersHealthIndicators() {
        AtomicReference<Health> kafka = new AtomicReference<>(Health.up().build());
        HealthContributorRegistry registry = new DefaultHealthContributorRegistry(
                Map.of("kafka", (HealthIndicator) kafka::get, "jms", (HealthIndicator) () -> Health.up().build()));
        StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("registry", registry));
        BrokerWatch watch = new BrokerWatch(beans.getBeanProvider(HealthContributorRegistry.class), 1000);

        watch.checkAll();
        kafka.set(Health.down().withDetail("error", "refused").build());
        watch.checkAll();

        assertThat(watch.changed("kafka", false, "refused")).as("the watch saw it go down already").isFalse();
        assertThat(watch.changed("jms", true, null)).isFalse();
    }
}
