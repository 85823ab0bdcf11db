package io.conduit.esb.sandbox.oa;

import io.conduit.esb.sandbox.fault.FaultMode;
import io.conduit.esb.sandbox.fault.FaultSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.config.JmsListenerEndpointRegistry;
import org.springframework.jms.listener.MessageListenerContainer;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Stops the OA's task consumer while the OA is {@code down} and starts it again afterwards, so task messages wait on
 * the queue as they would for a real OA that is offline, instead of being rolled back over and over until the broker
 * gives up on them. (A message already in flight when the OA goes down is rolled back by {@link OaTaskListener}.)
 */
public class OaTaskConsumerSwitch implements Consumer<FaultSettings> {

    private static final Logger LOG = LoggerFactory.getLogger(OaTaskConsumerSwitch.class);

    private final JmsListenerEndpointRegistry registry;

    public OaTaskConsumerSwitch(JmsListenerEndpointRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void accept(FaultSettings settings) {
        MessageListenerContainer container = registry.getListenerContainer(OaTaskListener.LISTENER_ID);
        if (container == null) {
            return;
        }
        if (settings.mode() == FaultMode.DOWN && container.isRunning()) {
            container.stop();
            LOG.info("Sandbox OA is down: stopped consuming its task queue");
        } else if (settings.mode() != FaultMode.DOWN && !container.isRunning()) {
            container.start();
            LOG.info("Sandbox OA is up: consuming its task queue again");
        }
    }
}
