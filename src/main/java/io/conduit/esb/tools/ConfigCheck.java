package io.conduit.esb.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.conduit.esb.mapping.MappingEngine;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks the files an IT team edits, without starting the ESB or any broker: every route file (flows and
 * adapters) loads into a Camel model, every JSON Schema compiles, every mapping compiles and produces the expected
 * output of each of its fixtures. Run it on folders outside the jar before deploying them:
 * <pre>
 *   ops/check-config.sh [--routes routes] [--adapters adapters] [--mappings mappings]
 * </pre>
 * One line per problem, a summary, exit status 1 when anything is wrong.
 */
public final class ConfigCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final List<String> problems = new ArrayList<>();
    private int routeFiles;
    private int schemas;
    private int mappings;
    private int fixtures;
    private int journals;

    ConfigCheck(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        // the problems are this tool's output; Camel's start/stop chatter for each file is not
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Path routes = Path.of("routes");
        Path adapters = Path.of("adapters");
        Path mappingsDir = Path.of("mappings");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--routes" -> routes = Path.of(args[i + 1]);
                case "--adapters" -> adapters = Path.of(args[i + 1]);
                case "--mappings" -> mappingsDir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use --routes, --adapters, --mappings)");
            }
        }
        ConfigCheck check = new ConfigCheck(System.out);
        boolean ok = check.run(routes, adapters, mappingsDir);
        System.exit(ok ? 0 : 1);
    }

    boolean run(Path routes, Path adapters, Path mappingsDir) throws Exception {
        checkRoutes(routes, adapters);
        checkJournals(routes, adapters);
        checkSchemas(mappingsDir, adapters);
        checkMappings(mappingsDir);
        out.printf("config-check: route-files=%d journal-files=%d schemas=%d mappings=%d fixtures=%d problems=%d%n",
                routeFiles, journals, schemas, mappings, fixtures, problems.size());
        return problems.isEmpty();
    }

    List<String> problems() {
        return problems;
    }

    private void problem(String text) {
        problems.add(text);
        out.println("PROBLEM " + text);
    }

    private void checkRoutes(Path routes, Path adapters) throws Exception {
        List<Path> files = new ArrayList<>(files(routes, ".camel.yaml"));
        files.addAll(files(adapters, ".camel.yaml"));
        // route templates (routes/poll-template.camel.yaml) are shared: a file that instantiates one needs it loaded first
        List<Path> templates = new ArrayList<>();
        for (Path file : files) {
            if (Files.readString(file).contains("- routeTemplate:")) {
                templates.add(file);
            }
        }
        for (Path file : files) {
            routeFiles++;
            // each file in a model of its own: a broken file is reported by name, and ids are checked per file
            try (DefaultCamelContext camel = new DefaultCamelContext()) {
                if (Files.readString(file).contains("- templatedRoute:")) {
                    for (Path template : templates) {
                        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveResource(camel, "file:" + template));
                    }
                }
                PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveResource(camel, "file:" + file));
            } catch (Exception e) {
                problem(file + ": " + rootMessage(e));
            }
        }
    }

    /** Each flow's journal file reads, and every step it names is a step id of some route file. */
    private void checkJournals(Path routes, Path adapters) throws IOException {
        StringBuilder routeText = new StringBuilder();
        List<Path> routeFilesFound = new ArrayList<>(files(routes, ".camel.yaml"));
        routeFilesFound.addAll(files(adapters, ".camel.yaml"));
        for (Path file : routeFilesFound) {
            routeText.append(Files.readString(file)).append('\n');
        }
        for (Path file : files(routes, io.conduit.esb.journal.FlowJournalFiles.SUFFIX)) {
            journals++;
            io.conduit.esb.journal.JournalProperties settings = new io.conduit.esb.journal.JournalProperties();
            try {
                io.conduit.esb.journal.FlowJournalFiles.mergeFile(settings, file);
            } catch (RuntimeException e) {
                problem(file + ": " + rootMessage(e));
                continue;
            }
            for (String step : settings.getSteps().keySet()) {
                java.util.regex.Pattern id = java.util.regex.Pattern.compile(
                        "(?m)^\\s*-?\\s*id:\\s*[\"']?" + java.util.regex.Pattern.quote(step) + "[\"']?\\s*$");
                if (!id.matcher(routeText).find()) {
                    problem(file + ": step '" + step + "' is not the id of any step in the route files");
                }
            }
        }
    }

    private void checkSchemas(Path... dirs) throws IOException {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        // the 2020-12 meta-schema, from the validator's own copy (no network)
        com.networknt.schema.JsonSchema meta = factory.getSchema(
                com.networknt.schema.SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        for (Path dir : dirs) {
            for (Path file : files(dir, ".schema.json")) {
                schemas++;
                try {
                    JsonNode schema = JSON.readTree(file.toFile());
                    var errors = meta.validate(schema);
                    if (!errors.isEmpty()) {
                        problem(file + ": not a valid JSON Schema: " + errors.iterator().next().getMessage());
                        continue;
                    }
                    factory.getSchema(schema);
                } catch (Exception e) {
                    problem(file + ": not a valid JSON Schema: " + rootMessage(e));
                }
            }
        }
    }

    private void checkMappings(Path dir) throws IOException {
        MappingEngine engine = new MappingEngine(dir.toString());
        for (Path file : files(dir, ".jsonata")) {
            mappings++;
            String name = dir.relativize(file).toString().replace('\\', '/');
            try {
                engine.prepare(name);
            } catch (Exception e) {
                problem(file + ": " + rootMessage(e));
                continue;
            }
            Path fixtureDir = file.getParent().resolve("fixtures")
                    .resolve(file.getFileName().toString().replace(".jsonata", ""));
            for (Path input : files(fixtureDir, ".input.json")) {
                fixtures++;
                Path expected = Path.of(input.toString().replace(".input.json", ".expected.json"));
                try {
                    JsonNode actual = JSON.readTree(engine.mapToJson(name, JSON.readValue(input.toFile(), Object.class)));
                    if (!Files.isRegularFile(expected)) {
                        problem(input + ": no expected output " + expected.getFileName());
                    } else if (!sameJson(JSON.readTree(expected.toFile()), actual)) {
                        problem(input + ": output differs from " + expected.getFileName() + ": " + actual);
                    }
                } catch (Exception e) {
                    problem(input + ": " + rootMessage(e));
                }
            }
        }
    }

    /** JSON trees equal, numbers by value (10 equals 10.0). */
    static boolean sameJson(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!sameJson(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            var names = a.fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                if (!sameJson(a.get(n), b.get(n))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted(Comparator.naturalOrder()).toList();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
