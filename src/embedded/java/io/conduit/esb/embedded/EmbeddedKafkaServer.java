package io.conduit.esb.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller), started inside the JVM.
 * <p>
 * Why not spring-kafka-test's {@code EmbeddedKafkaKraftBroker}: it formats a fresh temporary log folder on
 * every start and cannot bind fixed ports (its own javadoc says so), so topics and consumer offsets would be
 * lost on every restart of the ESB and partners could not reach a known address. This class runs Kafka's
 * own {@link KafkaRaftServer} on a persistent log folder, formatting it only the first time.
 */
final class EmbeddedKafkaServer {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaServer.class);
    private static final int NODE_ID = 1;
    static final ConfigResource OFFSETS_TOPIC = new ConfigResource(ConfigResource.Type.TOPIC, "__consumer_offsets");

    private final KafkaRaftServer server;
    private final int port;

    private EmbeddedKafkaServer(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    static EmbeddedKafkaServer start(Path logDir, int port, int controllerPort, int partitions) {
        try {
            Files.createDirectories(logDir);
            Properties props = new Properties();
            props.putAll(Map.ofEntries(
                    Map.entry("process.roles", "broker,controller"),
                    Map.entry("node.id", String.valueOf(NODE_ID)),
                    Map.entry("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort),
                    Map.entry("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort),
                    Map.entry("advertised.listeners", "PLAINTEXT://localhost:" + port),
                    Map.entry("controller.listener.names", "CONTROLLER"),
                    Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                    Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                    Map.entry("log.dirs", logDir.toAbsolutePath().toString()),
                    Map.entry("num.partitions", String.valueOf(partitions)),
                    Map.entry("offsets.topic.replication.factor", "1"),
                    Map.entry("offsets.topic.num.partitions", "10"),
                    Map.entry("transaction.state.log.replication.factor", "1"),
                    Map.entry("transaction.state.log.min.isr", "1"),
                    Map.entry("group.initial.rebalance.delay.ms", "0"),
                    Map.entry("auto.create.topics.enable", "true"),
                    // every record is on disk before its producer's acknowledgement: one broker, no replicas to
                    // hold it (a 202 means stored). The consumer offsets are the exception (flushOffsetsOncePerSecond)
                    Map.entry("log.flush.interval.messages", "1"),
                    // the log flusher looks every second for logs with records older than their flush.ms (which
                    // defaults to this period): the consumer offsets are on disk within about a second
                    Map.entry("log.flush.scheduler.interval.ms", "1000"),
                    Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                    Map.entry("share.coordinator.state.topic.min.isr", "1"),
                    // the active controller appends a no-op record to the metadata log when it has written nothing
                    // for this long (KIP-835, 500 ms by default: a liveness signal for the other controllers and the
                    // brokers of a cluster). Here the one node is controller and broker in the same JVM; every 500 ms
                    // was an append, a flush and a metadata fetch, ~0.3 s of CPU a minute of an idle ESB
                    // (bench/idle.sh: kafka-raft-io-thread, quorum-controller event handler, CONTROLLER network)
                    Map.entry("metadata.max.idle.interval.ms", "5000"),
                    // sized for one ESB on a small machine, not for a shared cluster (Kafka's defaults): the log
                    // cleaner's dedupe buffer is a heap array allocated once, 128 MB by default, which was a third of
                    // the ESB's heap after a full GC; 16 MB holds the offsets of some 600,000 keys per cleaning pass,
                    // while the compacted topics here (consumer offsets, the flows' state) hold thousands
                    Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024))));
            KafkaConfig config = new KafkaConfig(props, false);

            if (!Files.exists(logDir.resolve("meta.properties"))) {
                new Formatter()
                        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                        .setNodeId(NODE_ID)
                        .setClusterId(Uuid.randomUuid().toString())
                        .setControllerListenerName("CONTROLLER")
                        .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
                        .addDirectory(logDir.toAbsolutePath().toString())
                        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                        .setUnstableFeatureVersionsEnabled(false)
                        .setIgnoreFormatted(true)
                        .run();
                LOG.info("Formatted new KRaft log folder {}", logDir);
            }
            long started = System.nanoTime();
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            EmbeddedKafkaServer embedded = new EmbeddedKafkaServer(server, port);
            embedded.flushOffsetsOncePerSecond();
            LOG.info("Embedded Kafka (KRaft) ready on localhost:{} (log in {}) after {} ms", port, logDir,
                    (System.nanoTime() - started) / 1_000_000);
            return embedded;
        } catch (Exception e) {
            throw new IllegalStateException("Could not start embedded Kafka in " + logDir, e);
        }
    }

    /**
     * The consumer offsets topic is written to disk by the log flusher about once a second, not at every commit. Each
     * delivery route commits its offsets after every poll, so at moderate rates that is a commit and a flush per record
     * per consumer group (three per order in the handoff): the offset commits' flushes were 2.0 % of the ESB's CPU,
     * more than the records' own flushes (1.7 %). An offset commit only saves work after a restart: a commit lost with
     * the machine (a process kill keeps what the operating system has) means that up to a second of records is
     * delivered again, as after a kill between a delivery and its commit, and every delivery skips what its target
     * already has (versioned delivery). Records themselves are still flushed one by one. Set on every start (the
     * topic is created here if it is missing), so a log folder from an older ESB gets it too.
     */
    private void flushOffsetsOncePerSecond() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000))) {
            // asking for a group's offsets makes the broker create its offsets topic, as the first consumer would
            admin.listConsumerGroupOffsets("conduit-embedded-broker").partitionsToOffsetAndMetadata()
                    .get(60, TimeUnit.SECONDS);
            admin.incrementalAlterConfigs(Map.of(OFFSETS_TOPIC, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG, String.valueOf(Long.MAX_VALUE)),
                    AlterConfigOp.OpType.SET)))).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not set the flush policy of the embedded broker's consumer offsets", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while setting up the embedded broker", e);
        }
    }

    String bootstrapServers() {
        return "localhost:" + port;
    }

    void stop() {
        server.shutdown();
        server.awaitShutdown();
    }
}
