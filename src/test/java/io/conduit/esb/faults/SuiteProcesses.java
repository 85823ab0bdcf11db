package io.conduit.esb.faults;

import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The processes of a fault-suite run, each a JVM of its own started from the ESB's jar (its contents extracted once,
 * see {@link #extracted(Path)}): PostgreSQL, Kafka and Artemis
 * (one {@code InfrastructureMain} each, so a broker can be restarted alone) and the ESB itself against them, with its
 * embedded brokers off (as in production) and the sandbox CRM/ERP/OA in it; or several ESB instances (replicas,
 * numbered from 0, each on its own port and data folder) against the same infrastructure. Logs go to files in the
 * work folder: {@code esb-<n>.log} per start of instance 0, {@code esb<i>-<n>.log} of instance i (from 1).
 * Public, with the few methods the replicas benchmark uses ({@code io.conduit.esb.bench.throughput.ReplicasBench}).
 */
public final class SuiteProcesses implements AutoCloseable {

    enum Service { POSTGRES, KAFKA, ARTEMIS }

    private static final String EXTRACTED_FROM = ".extracted-from";
    private static final String SETTINGS_PREFIX = "esb-settings: ";

    private final Path jar;
    private final Path home;
    private final Path work;
    private final int[] esbPorts;
    private final Map<String, String> ports = new LinkedHashMap<>();
    private final Map<Service, Process> infra = new EnumMap<>(Service.class);
    private final Map<String, String> esbEnvironment = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> esbArguments;
    private final Process[] esbs;
    private final int[] esbStarts;
    private Process sandbox;

    /**
     * @param jar          the ESB's executable jar (the embedded build)
     * @param home         the folder the ESB runs in: its routes/, adapters/ and mappings/
     * @param work         where data and logs go (emptied first)
     * @param esbArguments extra Spring Boot arguments for the ESB
     */
    SuiteProcesses(Path jar, Path home, Path work, List<String> esbArguments) {
        this(jar, home, work, esbArguments, 1);
    }

    /** As above, with {@code instances} ESB instances (replicas) against the one infrastructure. */
    public SuiteProcesses(Path jar, Path home, Path work, List<String> esbArguments, int instances) {
        this.jar = extracted(jar.toAbsolutePath());
        this.home = home.toAbsolutePath();
        this.work = work.toAbsolutePath();
        this.esbArguments = List.copyOf(esbArguments);
        this.esbPorts = new int[instances];
        for (int i = 0; i < instances; i++) {
            esbPorts[i] = freePort();
        }
        this.esbs = new Process[instances];
        this.esbStarts = new int[instances];
        ports.put("ESB_INFRA_PG_PORT", String.valueOf(freePort()));
        ports.put("ESB_INFRA_KAFKA_PORT", String.valueOf(freePort()));
        ports.put("ESB_INFRA_KAFKA_CONTROLLER_PORT", String.valueOf(freePort()));
        ports.put("ESB_INFRA_ARTEMIS_PORT", String.valueOf(freePort()));
        // a suite stopped half-way (Ctrl-C, a failed test) leaves no process behind
        Runtime.getRuntime().addShutdownHook(new Thread(this::killAll, "fault-suite-processes"));
    }

    private synchronized void killAll() {
        for (Process esb : esbs) {
            if (esb != null) {
                esb.destroyForcibly();
            }
        }
        if (sandbox != null) {
            sandbox.destroy();
        }
        infra.values().forEach(Process::destroy);
    }

    String baseUrl() {
        return baseUrl(0);
    }

    public String baseUrl(int instance) {
        return "http://localhost:" + esbPorts[instance];
    }

    int port(int instance) {
        return esbPorts[instance];
    }

    /** The infrastructure's settings, as the ESB gets them (ESB_DB_URL, KAFKA_BOOTSTRAP_SERVERS, ARTEMIS_URL, ...). */
    public Map<String, String> infrastructure() {
        return Map.copyOf(esbEnvironment);
    }

    /** The JDBC URL of the suite's PostgreSQL (the ESB's database, the sandbox CRM's and the sandbox ERP's). */
    public String jdbcUrl() {
        return esbEnvironment.get("ESB_DB_URL");
    }

    public Path work() {
        return work;
    }

    /** The process id of ESB instance {@code i} (started). */
    public long esbPid(int i) {
        return esbs[i].pid();
    }

    /** The process ids of the infrastructure's JVMs, by service (postgres: the JVM that started PostgreSQL). */
    public Map<String, Long> infrastructurePids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        infra.forEach((service, process) -> pids.put(service.name().toLowerCase(java.util.Locale.ROOT), process.pid()));
        return pids;
    }

    /** Sets an environment variable of every ESB started from now on (after the infrastructure's own). */
    void esbEnvironment(String name, String value) {
        esbEnvironment.put(name, value);
    }

    /**
     * Starts the sandbox CRM, ERP and OA as a process of their own ({@code io.conduit.esb.sandbox.SandboxMain} from the
     * jar, sandbox.yaml's settings) on {@code port}, against the infrastructure's PostgreSQL and Artemis, its CRM
     * posting webhooks to {@code esbUrl}; waits until its CRM answers. Returns the milliseconds that took.
     */
    long startSandbox(int port, String esbUrl) throws IOException {
        Path log = work.resolve("sandbox.log");
        ProcessBuilder builder = new ProcessBuilder(javaCommand(), "-Xms64m", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", jar.toString(), "io.conduit.esb.sandbox.SandboxMain")
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("SANDBOX_PORT", String.valueOf(port));
        env.put("SANDBOX_DB_URL", esbEnvironment.get("ESB_DB_URL"));
        env.put("SANDBOX_DB_USER", esbEnvironment.get("ESB_DB_USER"));
        env.put("SANDBOX_DB_PASSWORD", esbEnvironment.get("ESB_DB_PASSWORD"));
        env.put("ARTEMIS_URL", esbEnvironment.get("ARTEMIS_URL"));
        env.put("SANDBOX_ESB_URL", esbUrl);
        long started = System.nanoTime();
        Process process = builder.start();
        synchronized (this) {
            sandbox = process;
        }
        URI ping = URI.create("http://localhost:" + port + "/sandbox/crm/api/ping");
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The sandbox exited with " + process.exitValue()
                            + " while starting; see " + log);
                }
                return status(ping) == 200;
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("The sandbox did not answer within 120 s; see " + log);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    public void startInfrastructure() throws IOException, InterruptedException {
        deleteRecursively(work);
        Files.createDirectories(work);
        for (Service service : Service.values()) {
            start(service);
        }
    }

    /** Stops one broker (SIGTERM, as an operator's restart does) and starts it again on the same data and port. */
    void restart(Service service) throws IOException, InterruptedException {
        Process process = infra.remove(service);
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        start(service);
    }

    private void start(Service service) throws IOException, InterruptedException {
        String name = service.name().toLowerCase(java.util.Locale.ROOT);
        Path log = work.resolve("infra-" + name + ".log");
        Files.deleteIfExists(log);
        ProcessBuilder builder = new ProcessBuilder(javaCommand(), "-Xmx" + (service == Service.KAFKA ? "640m" : "384m"),
                "-cp", jar.toString(), "io.conduit.esb.embedded.InfrastructureMain")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(ports);
        builder.environment().put("ESB_INFRA_DATA", work.resolve("infra").toString());
        builder.environment().put("ESB_INFRA_SERVICES", name);
        Process process = builder.start();
        infra.put(service, process);
        String settings = awaitLine(log, SETTINGS_PREFIX, process, Duration.ofSeconds(120));
        for (String pair : settings.substring(SETTINGS_PREFIX.length()).trim().split(" ")) {
            int eq = pair.indexOf('=');
            esbEnvironment.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
    }

    /** Starts the ESB and waits until its readiness answers 200; returns the milliseconds that took. */
    long startEsb() throws IOException, InterruptedException {
        return startEsb(0);
    }

    /** Starts ESB instance {@code i} and waits until its readiness answers 200; returns the milliseconds that took. */
    public long startEsb(int i) throws IOException, InterruptedException {
        int starts = ++esbStarts[i];
        Path log = work.resolve((i == 0 ? "esb-" : "esb" + i + "-") + starts + ".log");
        List<String> command = new ArrayList<>(List.of(javaCommand(), "-Xms256m", "-Xmx768m",
                "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString(), "--server.port=" + esbPorts[i],
                "--esb.embedded.data-dir=" + work.resolve(i == 0 ? "esb-data" : "esb-data-" + i)));
        command.addAll(esbArguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(esbEnvironment);
        long started = System.nanoTime();
        Process started_ = builder.start();
        synchronized (this) {
            esbs[i] = started_;
        }
        Duration limit = Duration.ofSeconds(240);
        try {
            await().atMost(limit).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (!started_.isAlive()) {
                    throw new IllegalStateException("The ESB exited with " + started_.exitValue()
                            + " while starting; see " + log);
                }
                return status(i, "/actuator/health/readiness") == 200;
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("The ESB was not ready within " + limit + "; see " + log);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** SIGKILL: no shutdown hook runs, in-flight work is cut off where it stands. */
    void killEsb() throws InterruptedException {
        killEsb(0);
    }

    /** SIGKILL of instance {@code i}. */
    void killEsb(int i) throws InterruptedException {
        Process esb = esbs[i];
        if (esb != null) {
            esb.destroyForcibly();
            esb.waitFor();
        }
    }

    /** SIGTERM and the time the ESB took to stop, in milliseconds. */
    long stopEsb() throws InterruptedException {
        return stopEsb(0);
    }

    /** SIGTERM of instance {@code i} and the time it took to stop, in milliseconds. */
    public long stopEsb(int i) throws InterruptedException {
        Process esb = esbs[i];
        if (esb == null || !esb.isAlive()) {
            return 0;
        }
        long started = System.nanoTime();
        esb.destroy();
        if (!esb.waitFor(90, TimeUnit.SECONDS)) {
            esb.destroyForcibly().waitFor();
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    int status(String path) {
        return status(0, path);
    }

    int status(int instance, String path) {
        return status(URI.create(baseUrl(instance) + path));
    }

    private int status(URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(5))
                    .GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = 0; i < esbs.length; i++) {
            stopEsb(i);
        }
        if (sandbox != null) {
            sandbox.destroy();
            if (!sandbox.waitFor(60, TimeUnit.SECONDS)) {
                sandbox.destroyForcibly().waitFor();
            }
        }
        List<Service> reverse = new ArrayList<>(infra.keySet());
        java.util.Collections.reverse(reverse);
        for (Service service : reverse) {
            Process process = infra.remove(service);
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static String awaitLine(Path log, String prefix, Process process, Duration limit) {
        try {
            return await().atMost(limit).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Infrastructure process exited with " + process.exitValue()
                            + "; see " + log);
                }
                if (!Files.exists(log)) {
                    return null;
                }
                return Files.readAllLines(log).stream().filter(line -> line.startsWith(prefix)).findFirst()
                        .orElse(null);
            }, java.util.Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("No '" + prefix + "' line within " + limit + "; see " + log);
        }
    }

    /**
     * The executable jar's contents extracted beside it ({@code <jar name>-extracted/}: the application jar, whose
     * manifest names its libraries, and {@code lib/}; Spring Boot's {@code -Djarmode=tools extract}), once per build of
     * the jar; returns the application jar in it. A JVM reading plain jars starts the ESB in about two thirds of the
     * time it takes from the executable jar, whose nested jars are read through Spring Boot's launcher (embedded
     * default, 2 cores: 41.8 s against 63.3 s to "Started"), and each run here starts the ESB several times.
     */
    public static synchronized Path extracted(Path jar) {
        String name = jar.getFileName().toString();
        Path dir = jar.resolveSibling(name.replaceFirst("\\.jar$", "") + "-extracted");
        Path app = dir.resolve(name);
        try {
            String stamp = Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
            Path marker = dir.resolve(EXTRACTED_FROM);
            if (Files.isRegularFile(app) && Files.isRegularFile(marker) && Files.readString(marker).equals(stamp)) {
                return app;
            }
            deleteRecursively(dir);
            Process extract = new ProcessBuilder(javaCommand(), "-Djarmode=tools", "-jar", jar.toString(), "extract",
                    "--destination", dir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!extract.waitFor(120, TimeUnit.SECONDS) || extract.exitValue() != 0 || !Files.isRegularFile(app)) {
                extract.destroyForcibly();
                throw new IllegalStateException("Could not extract " + jar + " into " + dir);
            }
            Files.writeString(marker, stamp);
            return app;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while extracting " + jar, e);
        }
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
