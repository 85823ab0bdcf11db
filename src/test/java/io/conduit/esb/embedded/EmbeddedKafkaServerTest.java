package io.conduit.esb.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded broker's flush policy on a real broker: records are on disk one by one (a producer's acknowledgement
 * means stored), the consumer offsets within about a second, and offsets committed before a restart are there after
 * it, on the same log folder.
 */
class EmbeddedKafkaServerTest {

    private static final ConfigResource ORDERS = new ConfigResource(ConfigResource.Type.TOPIC, "conduit.test-orders.v1");

    @TempDir
    Path data;

    @Test
    void recordsAreFlushedOneByOneAndConsumerOffsetsByTheFlusherAndBothSurviveARestart() throws Exception {
        int port = freePort();
        int controllerPort = freePort();
        TopicPartition partition = new TopicPartition(ORDERS.name(), 0);

        EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(data.resolve("kafka"), port, controllerPort, 1);
        try (Admin admin = admin(kafka)) {
            admin.createTopics(List.of(new NewTopic(ORDERS.name(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(ORDERS, EmbeddedKafkaServer.OFFSETS_TOPIC))
                    .all().get(30, TimeUnit.SECONDS);
            assertThat(configs.get(ORDERS).get("flush.messages").value()).as("a data topic").isEqualTo("1");
            assertThat(configs.get(EmbeddedKafkaServer.OFFSETS_TOPIC).get("flush.messages").value())
                    .as("the consumer offsets").isEqualTo(String.valueOf(Long.MAX_VALUE));
            assertThat(configs.get(EmbeddedKafkaServer.OFFSETS_TOPIC).get("flush.ms").value())
                    .as("the consumer offsets, by the log flusher").isEqualTo("1000");

            admin.alterConsumerGroupOffsets("conduit.test-delivery", Map.of(partition, new OffsetAndMetadata(42)))
                    .all().get(30, TimeUnit.SECONDS);
        } finally {
            kafka.stop();
        }

        EmbeddedKafkaServer restarted = EmbeddedKafkaServer.start(data.resolve("kafka"), port, controllerPort, 1);
        try (Admin admin = admin(restarted)) {
            assertThat(admin.listConsumerGroupOffsets("conduit.test-delivery").partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(partition).offset()).isEqualTo(42);
            assertThat(admin.describeConfigs(List.of(EmbeddedKafkaServer.OFFSETS_TOPIC)).all().get(30, TimeUnit.SECONDS)
                    .get(EmbeddedKafkaServer.OFFSETS_TOPIC).get("flush.messages").value())
                    .isEqualTo(String.valueOf(Long.MAX_VALUE));
        } finally {
            restarted.stop();
        }
    }

    private static Admin admin(EmbeddedKafkaServer kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
