package io.conduit.esb.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One log line per change of a broker's reachability (Kafka, Artemis), instead of the clients' own logging: Kafka's
 * NetworkClient warns once per connection attempt of every producer and consumer, the JMS listener containers log
 * an error (with a stack trace) per refresh attempt of every queue, so a broker restarted for ten seconds wrote
 * hundreds of lines. Those loggers are turned down in {@code application.yaml} ({@code logging.level}); this watch
 * asks the brokers' health indicators ({@code kafka}, {@code jms}) every {@code esb.health.probe-period-ms} and logs
 * {@code Broker kafka is unreachable: ...} once, then {@code Broker kafka is reachable again} once.
 */
@Component
public class BrokerWatch {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerWatch.class);
    static final List<String> BROKERS = List.of("kafka", "jms");

    private final ObjectProvider<HealthContributorRegistry> registry;
    private final long periodMs;
    private final Map<String, Boolean> reachable = new LinkedHashMap<>();
    private ScheduledExecutorService scheduler;

    public BrokerWatch(ObjectProvider<HealthContributorRegistry> registry,
                       @Value("${esb.health.probe-period-ms:10000}") long periodMs) {
        this.registry = registry;
        this.periodMs = periodMs;
    }

    @EventListener(ApplicationReadyEvent.class)
    public synchronized void start() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "esb-broker-watch");
                t.setDaemon(true);
                return t;
            });
            scheduler.scheduleWithFixedDelay(this::checkAll, periodMs, periodMs, TimeUnit.MILLISECONDS);
        }
    }

    @EventListener(ContextClosedEvent.class)
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    /** Checks every broker once; logs a line for each one whose reachability changed since the last check. */
    public void checkAll() {
        HealthContributorRegistry contributors = registry.getIfAvailable();
        if (contributors == null) {
            return;
        }
        for (String broker : BROKERS) {
            HealthContributor contributor = contributors.getContributor(broker);
            if (contributor instanceof HealthIndicator indicator) {
                Health health;
                try {
                    health = indicator.health();
                } catch (RuntimeException e) {
                    health = Health.down(e).build();
                }
                changed(broker, Status.UP.equals(health.getStatus()), health.getDetails().get("error"));
            }
        }
    }

    /** Records a check's result; true (and one log line) when it differs from the previous one. */
    synchronized boolean changed(String broker, boolean up, Object error) {
        Boolean before = reachable.put(broker, up);
        if (before == null || before == up) {
            if (before == null && !up) {
                LOG.warn("Broker {} is unreachable: {}", broker, error);
                return true;
            }
            return false;
        }
        if (up) {
            LOG.info("Broker {} is reachable again", broker);
        } else {
            LOG.warn("Broker {} is unreachable: {}", broker, error);
        }
        return true;
    }
}
