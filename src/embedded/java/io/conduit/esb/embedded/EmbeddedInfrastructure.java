package io.conduit.esb.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * The embedded PostgreSQL and Kafka of this JVM. Started at most once per JVM, however many Spring
 * contexts ask for them (tests share one set of brokers), and stopped by a shutdown hook.
 * The embedded Artemis broker is Spring Boot's own ({@code spring.artemis.mode=embedded}).
 * They are stopped by {@link EmbeddedInfrastructureShutdown} after everything else in the context has closed. PostgreSQL
 * runs as a process of its own, so a JVM that ends without such a context (a test slice without the stopper bean, a
 * start that failed early) would leave it running: this class's own shutdown hook stops it once no context that holds
 * the stopper is open any more (at most 60 s after the JVM began to exit, system property {@code esb.embedded.stop-wait-ms};
 * the test JVMs, which Failsafe kills 5 s after they began to exit, wait 2 s). zonky's hook,
 * which stopped it at once while Camel was still stopping, is disarmed ({@link EmbeddedPostgresServer}).
 */
public final class EmbeddedInfrastructure {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedInfrastructure.class);

    /** How long the JVM exit waits for open contexts before stopping PostgreSQL itself (system property). */
    static final long CONTEXT_CLOSE_WAIT_MS = Long.getLong("esb.embedded.stop-wait-ms", 60_000);

    private static EmbeddedInfrastructure instance;
    /** Open application contexts whose {@link EmbeddedInfrastructureShutdown} stopper will stop the infrastructure. */
    private static int contextsWithStopper;
    private static boolean hookRegistered;

    private final EmbeddedPostgresServer postgres;
    private final EmbeddedKafkaServer kafka;
    private boolean stopped;

    private EmbeddedInfrastructure(EmbeddedPostgresServer postgres, EmbeddedKafkaServer kafka) {
        this.postgres = postgres;
        this.kafka = kafka;
    }

    /** Starts PostgreSQL and Kafka under {@code dataDir} unless this JVM already did. Port 0 picks a free port. */
    public static synchronized EmbeddedInfrastructure startOnce(Path dataDir, int postgresPort, boolean durable,
                                                                int kafkaPort, int kafkaControllerPort, int kafkaPartitions) {
        if (instance == null) {
            EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), freeIfZero(postgresPort),
                    durable);
            EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(dataDir.resolve("kafka"), freeIfZero(kafkaPort),
                    freeIfZero(kafkaControllerPort), kafkaPartitions);
            instance = new EmbeddedInfrastructure(pg, kafka);
            if (!hookRegistered) {
                Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedInfrastructure::stopOnJvmExit,
                        "esb-embedded-infrastructure-stop"));
                hookRegistered = true;
            }
        }
        return instance;
    }

    static synchronized void contextOpened() {
        contextsWithStopper++;
    }

    static synchronized void contextClosed() {
        contextsWithStopper = Math.max(0, contextsWithStopper - 1);
        EmbeddedInfrastructure.class.notifyAll();
    }

    /** The JVM is exiting: let open contexts stop the infrastructure in their order, else stop it here. */
    private static void stopOnJvmExit() {
        long deadline = System.currentTimeMillis() + CONTEXT_CLOSE_WAIT_MS;
        synchronized (EmbeddedInfrastructure.class) {
            try {
                while (instance != null && contextsWithStopper > 0 && System.currentTimeMillis() < deadline) {
                    EmbeddedInfrastructure.class.wait(Math.max(1, deadline - System.currentTimeMillis()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopIfRunning();
        }
    }

    public String postgresJdbcUrl() {
        return postgres.jdbcUrl();
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Stops the embedded brokers if this JVM started them (e.g. when the application failed to start). */
    public static synchronized void stopIfRunning() {
        if (instance != null) {
            instance.stop();
            instance = null;
        }
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        LOG.info("Stopping embedded Kafka and PostgreSQL");
        try {
            kafka.stop();
        } finally {
            postgres.stop();
        }
    }

    static int freeIfZero(int port) {
        if (port != 0) {
            return port;
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PostgreSQL refuses to run as root and drops to an unprivileged user, which must reach the data folder. */
    static void makeReadableByAll(Path dir) {
        try {
            Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(dir));
            perms.addAll(EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE));
            Files.setPosixFilePermissions(dir, perms);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Could not widen permissions of {}: {}", dir, e.getMessage());
        }
    }
}
