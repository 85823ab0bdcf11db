package io.conduit.esb.embedded;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded default's infrastructure as a process of its own: PostgreSQL, Kafka (KRaft) and Artemis from the same
 * artifacts as the embedded ESB, without the ESB. The ESB then runs with {@code esb.embedded.enabled=false} and the
 * ordinary connection settings this prints, so it can be killed and restarted alone, two ESBs can share the brokers,
 * and a broker can be restarted under a running ESB (by restarting this process). Started by {@code ops/infra.sh}.
 * <p>
 * Settings (system properties or environment): {@code esb.embedded.data-dir} / {@code ESB_INFRA_DATA} (default
 * {@code data-infra}), ports {@code ESB_INFRA_PG_PORT} (15432), {@code ESB_INFRA_KAFKA_PORT} (9092),
 * {@code ESB_INFRA_KAFKA_CONTROLLER_PORT} (9093), {@code ESB_INFRA_ARTEMIS_PORT} (61616), and
 * {@code ESB_INFRA_PARTITIONS} (6), and {@code ESB_INFRA_SERVICES} (default {@code postgres,kafka,artemis}: which of the
 * three this process runs, so each can be its own process and be restarted alone, as the fault suite does). Data is
 * durable (fsync on) and survives a restart of this process.
 */
public final class InfrastructureMain {

    /** The line that carries the ESB's settings starts with this (ops/infra.sh keeps the rest). */
    public static final String SETTINGS_PREFIX = "esb-settings:";
    static final String ALL = "postgres,kafka,artemis";

    private InfrastructureMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(setting("esb.embedded.data-dir", "ESB_INFRA_DATA", "data-infra")).toAbsolutePath()
                .normalize();
        int pgPort = Integer.parseInt(setting("esb.infra.postgres-port", "ESB_INFRA_PG_PORT", "15432"));
        int kafkaPort = Integer.parseInt(setting("esb.infra.kafka-port", "ESB_INFRA_KAFKA_PORT", "9092"));
        int controllerPort = Integer.parseInt(setting("esb.infra.kafka-controller-port",
                "ESB_INFRA_KAFKA_CONTROLLER_PORT", "9093"));
        int artemisPort = Integer.parseInt(setting("esb.infra.artemis-port", "ESB_INFRA_ARTEMIS_PORT", "61616"));
        int partitions = Integer.parseInt(setting("esb.infra.partitions", "ESB_INFRA_PARTITIONS", "6"));

        Set<String> services = services(setting("esb.infra.services", "ESB_INFRA_SERVICES", ALL));

        EmbeddedPostgresServer postgres = services.contains("postgres")
                ? EmbeddedPostgresServer.start(dataDir.resolve("postgres"), pgPort, true) : null;
        EmbeddedKafkaServer kafka = services.contains("kafka")
                ? EmbeddedKafkaServer.start(dataDir.resolve("kafka"), kafkaPort, controllerPort, partitions) : null;
        EmbeddedActiveMQ artemis = null;
        if (services.contains("artemis")) {
            artemis = new EmbeddedActiveMQ().setConfiguration(artemis(dataDir.resolve("artemis"), artemisPort));
            artemis.start();
        }

        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedActiveMQ startedArtemis = artemis;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (startedArtemis != null) {
                    startedArtemis.stop();
                }
            } catch (Exception e) {
                System.err.println("infrastructure: Artemis did not stop cleanly: " + e);
            }
            try {
                if (kafka != null) {
                    kafka.stop();
                }
            } finally {
                if (postgres != null) {
                    postgres.stop();
                }
            }
            stopped.countDown();
        }, "esb-infra-stop"));

        // the ESB's ordinary settings (application.yaml) for the services this process runs, as environment
        // variables on one line, for scripts to source
        StringBuilder settings = new StringBuilder(SETTINGS_PREFIX);
        if (postgres != null) {
            settings.append(" ESB_DB_URL=").append(postgres.jdbcUrl())
                    .append(" ESB_DB_USER=postgres ESB_DB_PASSWORD=postgres ERP_DB_URL=").append(postgres.jdbcUrl());
        }
        if (kafka != null) {
            settings.append(" KAFKA_BOOTSTRAP_SERVERS=").append(kafka.bootstrapServers());
        }
        if (startedArtemis != null) {
            settings.append(" ARTEMIS_MODE=native ARTEMIS_URL=tcp://127.0.0.1:").append(artemisPort);
        }
        settings.append(" ESB_EMBEDDED_ENABLED=false");
        System.out.println("infrastructure: ready " + services + " data=" + dataDir);
        System.out.println(settings);
        System.out.flush();
        stopped.await();
    }

    /** {@code postgres,kafka,artemis} or any part of it; anything else is refused. */
    static Set<String> services(String list) {
        Set<String> services = new TreeSet<>();
        for (String service : list.split(",")) {
            String name = service.trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty()) {
                if (!Set.of("postgres", "kafka", "artemis").contains(name)) {
                    throw new IllegalArgumentException("Unknown service '" + name + "' in ESB_INFRA_SERVICES; "
                            + "choose from " + ALL);
                }
                services.add(name);
            }
        }
        if (services.isEmpty()) {
            throw new IllegalArgumentException("ESB_INFRA_SERVICES names no service; choose from " + ALL);
        }
        return services;
    }

    /** Artemis as the embedded ESB has it (persistent journal, redelivery with backoff, dead-letter queue), on a TCP port. */
    static Configuration artemis(Path dir, int port) throws Exception {
        Configuration config = new ConfigurationImpl()
                .setName("conduit-infra")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        EmbeddedArtemisConfiguration.applyConduitSettings(config);
        return config;
    }

    private static String setting(String property, String env, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}
