package io.conduit.esb.embedded;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Broker settings for the embedded Artemis (and the standalone infrastructure process, {@link InfrastructureMain})
 * that a production broker would have: redelivery with backoff, a dead-letter queue instead of Artemis's defaults
 * (immediate redelivery, then the message is dropped), and queues that are not deleted when empty (their duplicate ids
 * are kept).
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "embedded")
public class EmbeddedArtemisConfiguration {

    /** The dead-letter address and its one anycast queue, as Artemis's default broker.xml has them. */
    static final String DEAD_LETTERS = "DLQ";

    @Bean
    ArtemisConfigurationCustomizer conduitAddressSettings() {
        return EmbeddedArtemisConfiguration::applyConduitSettings;
    }

    /**
     * Every address: redelivery after 1 s, doubling up to 60 s; after 10 deliveries the broker gives the message to
     * the dead-letter queue {@value #DEAD_LETTERS}, which the ESB drains into its parking lot (route
     * {@code broker.dead-letters}): a message the ESB rolled back ten times (it stopped, or could not even park it,
     * e.g. its database was away for minutes) is then on record with its reason and can be replayed. The dead-letter
     * queue itself never gives up (a message there is retried until the ESB has parked it).
     */
    static void applyConduitSettings(Configuration config) {
        config.addAddressSetting("#", new AddressSettings()
                .setRedeliveryDelay(1000)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(60_000)
                .setMaxDeliveryAttempts(10)
                .setDeadLetterAddress(SimpleString.of(DEAD_LETTERS))
                .setExpiryAddress(SimpleString.of("ExpiryQueue"))
                // one dead-letter queue the ESB reads, not a DLQ.<queue> per queue created on the fly
                .setAutoCreateDeadLetterResources(false)
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                // a queue created on the fly stays when it is empty and nobody listens: its address keeps the
                // duplicate ids (_AMQ_DUPL_ID) that make a message resent after a crash harmless. Deleted (Artemis's
                // default for auto-created ones), the address forgot them: in the fault suite an ESB killed after
                // sending a complaint's task but before recording it, the OA's listeners all away for a broker
                // restart, the empty queue reaped, and the task resent by the next ESB became a second OA task
                .setAutoDeleteQueues(false)
                .setAutoDeleteAddresses(false));
        config.addAddressSetting(DEAD_LETTERS, new AddressSettings().setMaxDeliveryAttempts(-1));
        config.addQueueConfiguration(QueueConfiguration.of(DEAD_LETTERS).setRoutingType(RoutingType.ANYCAST));
    }
}
