package io.conduit.esb.realsystems;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The real Tryton and Redmine that {@code ops/real-systems/start.sh} installs and starts, described by the properties
 * file it writes ({@code $CONDUIT_REAL_DIR/real-systems.properties}). Absent: tests on them are skipped with the
 * reason, unless {@code CONDUIT_REAL_SYSTEMS=required} (CI), where the absence fails the run.
 */
public final class RealSystems {

    private RealSystems() {
    }

    public static Path propertiesFile() {
        String dir = System.getenv().getOrDefault("CONDUIT_REAL_DIR", "/var/tmp/conduit-real");
        return Path.of(dir, "real-systems.properties");
    }

    /** True when the real systems are described; throws when they are required and are not. */
    public static boolean available() {
        if (Files.isRegularFile(propertiesFile())) {
            return true;
        }
        if ("required".equals(System.getenv("CONDUIT_REAL_SYSTEMS"))) {
            throw new IllegalStateException("CONDUIT_REAL_SYSTEMS=required but there are no real systems: "
                    + propertiesFile() + " is missing (start them with ops/real-systems/start.sh)");
        }
        return false;
    }

    public static Properties load() {
        Properties real = new Properties();
        try (InputStream in = Files.newInputStream(propertiesFile())) {
            real.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return real;
    }
}
