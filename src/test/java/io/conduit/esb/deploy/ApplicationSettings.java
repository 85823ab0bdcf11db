package io.conduit.esb.deploy;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The settings the ESB reads, for the deployment files' tests: the environment variables its configuration names
 * explicitly ({@code ${ESB_DB_URL:...}}) and the variables Spring Boot's relaxed binding maps onto its properties
 * ({@code ESB_SECURITY_USERS_VIEWER_PASSWORD} = {@code esb.security.users.viewer.password}), from application.yaml,
 * the files it imports (flows/, config/) and every adapter's adapter.yaml, plus the java launcher's own variables.
 */
final class ApplicationSettings {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
    /** read by the java launcher or the JVM, not by the application */
    static final Set<String> JVM_VARIABLES = Set.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");

    final Set<String> placeholders = new TreeSet<>();
    final Set<String> relaxedNames = new TreeSet<>();
    final String text;

    private ApplicationSettings(String text) {
        this.text = text;
    }

    static ApplicationSettings load() {
        try {
            StringBuilder all = new StringBuilder();
            ApplicationSettings settings = new ApplicationSettings("");
            try (Stream<Path> files = Stream.concat(Files.walk(Path.of("src/main/resources")).filter(
                            f -> f.toString().endsWith(".yaml") && !f.toString().contains("openapi")
                                    && !f.toString().contains("schemas")),
                    Files.find(Path.of("adapters"), 3, (f, a) -> f.getFileName().toString().equals("adapter.yaml")))) {
                for (Path f : files.toList()) {
                    String yaml = Files.readString(f);
                    all.append(yaml).append('\n');
                    Object tree = new Yaml().load(yaml);
                    if (tree instanceof Map<?, ?> map) {
                        settings.flatten("", map);
                    }
                }
            }
            ApplicationSettings result = new ApplicationSettings(all.toString());
            result.relaxedNames.addAll(settings.relaxedNames);
            Matcher m = PLACEHOLDER.matcher(result.text);
            while (m.find()) {
                result.placeholders.add(m.group(1));
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the ESB reads this environment variable (by name in its configuration, or by relaxed binding). */
    boolean reads(String variable) {
        return placeholders.contains(variable) || relaxedNames.contains(variable) || JVM_VARIABLES.contains(variable);
    }

    /** The environment variable Spring Boot binds to this property: upper case, dots to _, dashes dropped. */
    static String variableOf(String property) {
        return property.replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT);
    }

    private void flatten(String prefix, Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
            relaxedNames.add(variableOf(key));
            if (e.getValue() instanceof Map<?, ?> child) {
                flatten(key, child);
            }
        }
    }
}
