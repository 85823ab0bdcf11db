package io.conduit.esb.embedded;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

import java.nio.file.Path;
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
 * {@code ESB_INFRA_PARTITIONS} (6). Data is durable (fsync on) and survives a restart of this process.
 */
public final class InfrastructureMain {

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

        EmbeddedInfrastructure infra = EmbeddedInfrastructure.startOnce(dataDir, pgPort, true, kafkaPort,
                controllerPort, partitions);
        EmbeddedActiveMQ artemis = new EmbeddedActiveMQ().setConfiguration(artemis(dataDir.resolve("artemis"),
                artemisPort));
        artemis.start();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                artemis.stop();
            } catch (Exception e) {
                System.err.println("infrastructure: Artemis did not stop cleanly: " + e);
            }
            EmbeddedInfrastructure.stopIfRunning();
            stopped.countDown();
        }, "esb-infra-stop"));

        String artemisUrl = "tcp://127.0.0.1:" + artemisPort;
        // the ESB's ordinary settings (application.yaml), as environment variables; one line, for scripts to source
        System.out.println("infrastructure: ready data=" + dataDir);
        System.out.println("ESB_DB_URL=" + infra.postgresJdbcUrl() + " ESB_DB_USER=postgres ESB_DB_PASSWORD=postgres"
                + " ERP_DB_URL=" + infra.postgresJdbcUrl() + " KAFKA_BOOTSTRAP_SERVERS=" + infra.kafkaBootstrapServers()
                + " ARTEMIS_MODE=native ARTEMIS_URL=" + artemisUrl + " ESB_EMBEDDED_ENABLED=false");
        System.out.flush();
        stopped.await();
    }

    /** Artemis as the embedded ESB has it (persistent journal, redelivery with backoff, DLQ), on a TCP port. */
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
        config.addAddressSetting("#", new AddressSettings()
                .setRedeliveryDelay(1000)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(60_000)
                .setMaxDeliveryAttempts(10)
                .setDeadLetterAddress(SimpleString.of("DLQ"))
                .setExpiryAddress(SimpleString.of("ExpiryQueue"))
                .setAutoCreateDeadLetterResources(true)
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true));
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
