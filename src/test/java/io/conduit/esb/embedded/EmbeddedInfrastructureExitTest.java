package io.conduit.esb.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JVM that started the embedded infrastructure and ends without an application context that stops it (a test slice
 * without the stopper bean, a start that failed early) does not leave its PostgreSQL running: the next JVM on the same
 * port found "Port 15432 is in use" and every test of a CI run failed. The JVM here is a real child process.
 */
class EmbeddedInfrastructureExitTest {

    @TempDir
    Path data;

    @Test
    void aJvmEndingWithoutAContextStillStopsItsPostgres() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), data.toString())
                .redirectErrorStream(true)
                .redirectOutput(data.resolve("child.log").toFile())
                .start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child JVM ended").isTrue();
        String log = Files.readString(data.resolve("child.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("STARTED postmaster ");

        long pid = Long.parseLong(log.substring(log.indexOf("STARTED postmaster ") + 19).trim().split("\\s+")[0]);
        ProcessHandle postmaster = ProcessHandle.of(pid).orElse(null);
        if (postmaster != null) {
            assertThat(postmaster.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        }
        assertThat(Files.exists(data.resolve("postgres/postmaster.pid")))
                .as("PostgreSQL removes its pid file when it stopped cleanly").isFalse();
    }

    /** Starts the embedded infrastructure, says so, and exits: no Spring context, no stopper bean. */
    public static final class Child {
        public static void main(String[] args) throws java.io.IOException {
            EmbeddedInfrastructure.startOnce(Path.of(args[0]), 0, false, 0, 0, 1);
            List<String> pidFile = Files.readAllLines(Path.of(args[0], "postgres", "postmaster.pid"));
            System.out.println("STARTED postmaster " + pidFile.get(0).trim());
            System.exit(0);
        }
    }
}
