package io.conduit.esb.eventing;

import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommitFactory;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.apache.camel.component.kafka.serde.KafkaHeaderDeserializer;
import org.apache.camel.component.kafka.serde.ToStringKafkaHeaderDeserializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.Map;

/**
 * Kafka client pieces referenced from {@code camel.component.kafka.*} in application.yaml:
 * <ul>
 *   <li>a synchronous commit factory: with {@code allow-manual-commit} and auto commit off, Camel then commits
 *       each partition's offsets itself after the records were processed (delivered or parked), never before;</li>
 *   <li>consumers that wait long in an idle poll and still stop at once ({@link WakeableKafkaClients}), and write
 *       their offset commits at most once per {@code esb.kafka-consumers.commit-interval-ms}
 *       ({@link CoalescedCommits});</li>
 *   <li>headers read as strings, so CloudEvents {@code ce_*} attributes are usable in routes and mappings;</li>
 *   <li>one admin client for the ESB's own questions to the cluster (health, consumer lag), closed with the
 *       context.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class KafkaClientConfiguration {

    @Bean
    public KafkaManualCommitFactory kafkaCommitAfterProcessing() {
        return new DefaultKafkaManualCommitFactory();
    }

    @Bean
    public WakeableKafkaClients wakeableKafkaClients(
            @Value("${esb.kafka-consumers.commit-interval-ms:1000}") long commitIntervalMs) {
        return new WakeableKafkaClients(Duration.ofMillis(commitIntervalMs));
    }

    @Bean
    public KafkaHeaderDeserializer kafkaHeadersAsText() {
        return new ToStringKafkaHeaderDeserializer();
    }

    @Bean(destroyMethod = "close")
    public Admin kafkaAdmin(@Value("${camel.component.kafka.brokers}") String bootstrapServers) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "conduit-esb-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000));
    }
}
