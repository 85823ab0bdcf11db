package io.conduit.esb.embedded;

import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Broker settings for the embedded Artemis that a production broker would have: redelivery with backoff and a
 * dead-letter address, instead of Artemis's defaults (immediate redelivery, then the message is dropped).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "embedded")
public class EmbeddedArtemisConfiguration {

    @Bean
    ArtemisConfigurationCustomizer conduitAddressSettings() {
        return config -> {
            config.addAddressSetting("#", new AddressSettings()
                    .setRedeliveryDelay(1000)
                    .setRedeliveryMultiplier(2.0)
                    .setMaxRedeliveryDelay(60_000)
                    .setMaxDeliveryAttempts(10)
                    .setDeadLetterAddress(org.apache.activemq.artemis.api.core.SimpleString.of("DLQ"))
                    .setExpiryAddress(org.apache.activemq.artemis.api.core.SimpleString.of("ExpiryQueue"))
                    .setAutoCreateDeadLetterResources(true)
                    .setAutoCreateQueues(true)
                    .setAutoCreateAddresses(true));
        };
    }
}
