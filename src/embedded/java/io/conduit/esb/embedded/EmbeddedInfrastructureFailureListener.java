package io.conduit.esb.embedded;

import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.context.ApplicationListener;

/**
 * When the application fails to start, stops the embedded Kafka and PostgreSQL it started, so the JVM exits
 * instead of lingering on the brokers' threads and holding the data folder's lock.
 */
public class EmbeddedInfrastructureFailureListener implements ApplicationListener<ApplicationFailedEvent> {

    @Override
    public void onApplicationEvent(ApplicationFailedEvent event) {
        EmbeddedInfrastructure.stopIfRunning();
    }
}
