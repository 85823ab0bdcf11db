package io.conduit.esb.embedded;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Stops the embedded Kafka and PostgreSQL when the application context closes, in the last lifecycle phase:
 * Camel's consumers have finished their in-flight messages and committed their offsets by then.
 */
@Component
@ConditionalOnProperty(name = "esb.embedded.enabled", havingValue = "true", matchIfMissing = true)
public class EmbeddedInfrastructureLifecycle implements SmartLifecycle {

    private volatile boolean running;

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        EmbeddedInfrastructure.stopIfRunning();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE;
    }
}
