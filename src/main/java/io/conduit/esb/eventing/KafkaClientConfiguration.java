package io.conduit.esb.eventing;

import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommitFactory;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.apache.camel.component.kafka.serde.KafkaHeaderDeserializer;
import org.apache.camel.component.kafka.serde.ToStringKafkaHeaderDeserializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Kafka client pieces referenced from {@code camel.component.kafka.*} in application.yaml:
 * <ul>
 *   <li>a synchronous commit factory: with {@code allow-manual-commit} and auto commit off, Camel then commits
 *       each partition's offsets itself after the records were processed (delivered or parked), never before;</li>
 *   <li>headers read as strings, so CloudEvents {@code ce_*} attributes are usable in routes and mappings.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class KafkaClientConfiguration {

    @Bean
    public KafkaManualCommitFactory kafkaCommitAfterProcessing() {
        return new DefaultKafkaManualCommitFactory();
    }

    @Bean
    public KafkaHeaderDeserializer kafkaHeadersAsText() {
        return new ToStringKafkaHeaderDeserializer();
    }
}
