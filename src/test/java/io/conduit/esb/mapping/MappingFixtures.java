package io.conduit.esb.mapping;

import com.networknt.schema.JsonSchema;
import io.conduit.esb.canonical.CanonicalSchemas;
import io.conduit.esb.canonical.JsonSchemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the mappings under {@code mappings/} and their fixtures
 * ({@code <system>/fixtures/<mapping>/<case>.input.json} and {@code <case>.expected.json}), and reads the
 * contract a mapping declares in its header comment ({@code input:} and {@code output:} lines naming a canonical
 * schema id or a schema file relative to {@code mappings/}).
 */
final class MappingFixtures {

    static final Path MAPPINGS = Path.of("mappings");
    private static final Pattern CONTRACT = Pattern.compile("^\\s*\\*?\\s*(input|output):\\s*(\\S+)", Pattern.MULTILINE);

    record Mapping(String system, String baseName) {
        String name() {
            return system + "/" + baseName + ".jsonata";
        }

        Path file() {
            return MAPPINGS.resolve(system).resolve(baseName + ".jsonata");
        }

        Path fixtureFolder() {
            return MAPPINGS.resolve(system).resolve("fixtures").resolve(baseName);
        }

        List<Case> cases() {
            if (!Files.isDirectory(fixtureFolder())) {
                return List.of();
            }
            try (Stream<Path> files = Files.list(fixtureFolder())) {
                return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".input.json")).sorted()
                        .map(n -> new Case(this, n.substring(0, n.length() - ".input.json".length()))).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Optional<JsonSchema> inputSchema() {
            return contract("input");
        }

        Optional<JsonSchema> outputSchema() {
            return contract("output");
        }

        private Optional<JsonSchema> contract(String kind) {
            Matcher m = CONTRACT.matcher(header());
            while (m.find()) {
                if (m.group(1).equals(kind)) {
                    return schema(m.group(2));
                }
            }
            return Optional.empty();
        }

        private String header() {
            String text = read(file());
            int end = text.indexOf("*/");
            return text.startsWith("/*") && end > 0 ? text.substring(0, end) : "";
        }

        private static Optional<JsonSchema> schema(String reference) {
            if (reference.startsWith("urn:")) {
                CanonicalSchemas.Schema schema = CanonicalSchemas.byId(reference).orElseThrow(
                        () -> new IllegalStateException("Unknown canonical schema " + reference));
                return Optional.of(JsonSchemas.canonical(schema));
            }
            if (reference.endsWith(".schema.json")) {
                return Optional.of(JsonSchemas.file(MAPPINGS.resolve(reference)));
            }
            return Optional.empty();
        }
    }

    record Case(Mapping mapping, String name) {
        Path input() {
            return mapping.fixtureFolder().resolve(name + ".input.json");
        }

        Path expected() {
            return mapping.fixtureFolder().resolve(name + ".expected.json");
        }
    }

    private MappingFixtures() {
    }

    /**
     * Every {@code <system>/<name>.jsonata} under {@code mappings/}; a system may be a nested folder such as
     * {@code partners/standard-v1} (one folder per partner format).
     */
    static List<Mapping> mappings() {
        try (Stream<Path> files = Files.walk(MAPPINGS)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsonata"))
                    .filter(f -> MAPPINGS.relativize(f).getNameCount() >= 2 && !isUnderFixtures(f))
                    .map(f -> new Mapping(system(f.getParent()),
                            f.getFileName().toString().replaceFirst("\\.jsonata$", "")))
                    .sorted((a, b) -> a.name().compareTo(b.name())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every fixture folder {@code <system>/fixtures/<mapping>}, as the mapping it belongs to. */
    static List<Mapping> fixtureFolders() {
        try (Stream<Path> folders = Files.walk(MAPPINGS)) {
            return folders.filter(Files::isDirectory)
                    .filter(f -> MAPPINGS.relativize(f).getNameCount() >= 3
                            && f.getParent().getFileName().toString().equals("fixtures"))
                    .map(f -> new Mapping(system(f.getParent().getParent()), f.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String system(Path folder) {
        return MAPPINGS.relativize(folder).toString().replace('\\', '/');
    }

    private static boolean isUnderFixtures(Path file) {
        for (Path part : MAPPINGS.relativize(file)) {
            if (part.toString().equals("fixtures")) {
                return true;
            }
        }
        return false;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
