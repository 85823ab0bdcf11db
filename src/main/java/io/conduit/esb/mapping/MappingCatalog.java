package io.conduit.esb.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The mapping files of a mappings folder as IT lays them out (see {@code mappings/README.md}):
 * {@code <system>/<name>.jsonata} (a system may be a nested folder such as {@code partners/standard-v1}), its fixtures
 * {@code <system>/fixtures/<name>/<case>.input.json} with {@code <case>.expected.json}, and the contract its header
 * comment declares ({@code input:} and {@code output:} lines naming a canonical schema id, a schema file relative to
 * the mappings folder, or {@code none}). The same layout {@code MappingFixturesTest} and {@code ops/check-config.sh}
 * read; the folder is read afresh on every call, so a file added or removed shows at once.
 */
public final class MappingCatalog {

    static final String SUFFIX = ".jsonata";
    private static final String FIXTURES = "fixtures";
    private static final String INPUT = ".input.json";
    private static final String EXPECTED = ".expected.json";
    private static final Pattern CONTRACT = Pattern.compile("^\\s*\\*?\\s*(input|output):\\s*(\\S+)", Pattern.MULTILINE);

    /** One fixture case: its input, and the output the mapping must produce for it (null when the file is missing). */
    public record Fixture(String name, Path input, Path expected) {
    }

    /** A mapping file: its name relative to the folder (what routes write after {@code mapping:}), and its fixtures. */
    public record Entry(String name, String system, Path file, List<Fixture> fixtures) {

        public Optional<Fixture> fixture(String caseName) {
            return fixtures.stream().filter(f -> f.name().equals(caseName)).findFirst();
        }
    }

    /** What a mapping's header declares: a one-line summary, and its input and output schema references. */
    public record Contract(String summary, String input, String output) {
    }

    private final Path folder;

    MappingCatalog(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    public Path folder() {
        return folder;
    }

    /** Every mapping of the folder, by name. */
    public List<Entry> list() {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(f))
                    .filter(f -> folder.relativize(f).getNameCount() >= 2 && !underFixtures(f))
                    .map(this::entry).sorted(Comparator.comparing(Entry::name)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the mappings folder " + folder, e);
        }
    }

    /** The mapping of that name, if it is a mapping file of this folder (never a path outside it). */
    public Optional<Entry> find(String name) {
        if (name == null || !name.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        Path file = folder.resolve(name.replace('\\', '/')).normalize();
        if (!file.startsWith(folder) || !Files.isRegularFile(file) || folder.relativize(file).getNameCount() < 2
                || underFixtures(file)) {
            return Optional.empty();
        }
        return Optional.of(entry(file));
    }

    /** The header comment's contract; a file without a leading comment declares nothing. */
    public static Contract contract(String text) {
        String header = "";
        if (text.startsWith("/*")) {
            int end = text.indexOf("*/");
            header = end > 0 ? text.substring(2, end) : "";
        }
        String input = null;
        String output = null;
        Matcher m = CONTRACT.matcher(header);
        while (m.find()) {
            if (m.group(1).equals("input") && input == null) {
                input = m.group(2);
            } else if (m.group(1).equals("output") && output == null) {
                output = m.group(2);
            }
        }
        String summary = header.lines().map(l -> l.replaceFirst("^\\s*\\*?\\s*", "").strip())
                .filter(l -> !l.isEmpty()).findFirst().orElse("");
        return new Contract(summary, input, output);
    }

    private Entry entry(Path file) {
        String name = folder.relativize(file).toString().replace('\\', '/');
        String system = folder.relativize(file.getParent()).toString().replace('\\', '/');
        String base = file.getFileName().toString();
        base = base.substring(0, base.length() - SUFFIX.length());
        return new Entry(name, system, file, fixtures(file.getParent().resolve(FIXTURES).resolve(base)));
    }

    private static List<Fixture> fixtures(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Fixture> found = new ArrayList<>();
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(INPUT)).sorted().forEach(n -> {
                String caseName = n.substring(0, n.length() - INPUT.length());
                Path expected = dir.resolve(caseName + EXPECTED);
                found.add(new Fixture(caseName, dir.resolve(n), Files.isRegularFile(expected) ? expected : null));
            });
            return List.copyOf(found);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the fixtures in " + dir, e);
        }
    }

    private boolean underFixtures(Path file) {
        for (Path part : folder.relativize(file)) {
            if (part.toString().equals(FIXTURES)) {
                return true;
            }
        }
        return false;
    }
}
