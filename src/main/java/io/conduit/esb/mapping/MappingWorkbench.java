package io.conduit.esb.mapping;

import com.dashjoin.jsonata.JException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.conduit.esb.canonical.CanonicalSchemas;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tries a mapping file the way the running ESB would run it, without running anything else (the console's mapping
 * workbench): the mapping comes from the {@link MappingEngine} the routes use, so what runs here is exactly the version
 * the next message would get (a saved file is compiled again at most {@code esb.mappings.reload-check-ms} after the
 * save); the input is checked against the schema the mapping's header names for its input, the output against the one
 * for its output, and for a fixture the output is compared with the fixture's expected output ({@link JsonDiff}).
 * <p>
 * A run has no side effects: a mapping is a JSONata expression over its input ({@code $now()} and {@code $millis()}
 * are the only functions bound besides JSONata's own, see {@link CompiledMapping}); no Camel endpoint, route or
 * producer is involved, and nothing is written.
 * <p>
 * Schemas are loaded as camel-json-validator loads them (networknt, draft from {@code $schema}, default settings):
 * canonical ids ({@code urn:conduit:schema:order:1}) from the classpath, files relative to the mappings folder, and
 * {@code ../adapters/...} from {@code esb.adapters.dir}, where the routes' validators read them. A schema file is read
 * again when it changes.
 */
@Component
public class MappingWorkbench {

    /** As {@link MappingEngine} reads input: plain Jackson, objects as Maps. */
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    /** A payload is one JSON document: text after it is an error, not ignored. */
    private static final ObjectReader STRICT = JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig SCHEMA_CONFIG = SchemaValidatorsConfig.builder().build();
    private static final String ADAPTERS_PREFIX = "../adapters/";
    private static final String NONE = "none";

    private final MappingEngine engine;
    private final Path adaptersDir;
    private final Map<String, LoadedSchema> schemaCache = new ConcurrentHashMap<>();

    public MappingWorkbench(MappingEngine engine, @Value("${esb.adapters.dir:adapters}") String adaptersDir) {
        this.engine = engine;
        this.adaptersDir = Path.of(adaptersDir).toAbsolutePath().normalize();
    }

    /** Where something went wrong: in the payload (line and column of the payload) or in the mapping (of its text). */
    public enum Stage { PAYLOAD, MAPPING, EXPECTED }

    /** What failed; where known, the line and column (of the payload or the mapping) and that line's text. */
    public record Failure(Stage stage, String message, Integer line, Integer column, String excerpt) {

        static Failure at(Stage stage, String message, String text, Integer line, Integer column) {
            String excerpt = null;
            if (text != null && line != null && line >= 1) {
                excerpt = text.lines().skip(line - 1L).findFirst().orElse(null);
            }
            return new Failure(stage, message, line, column, excerpt);
        }
    }

    /**
     * One schema violation, named by the field as a JSON Pointer ({@code /data/amount}; empty for the whole document), as
     * the intake's problem responses name it.
     */
    public record Violation(String field, String keyword, String message) {
    }

    /**
     * A schema check: the header's reference ({@code null} when the header names none, {@code "none"} when it says
     * so), where the schema was read from, a problem when it could not be used, and the violations (empty: valid).
     */
    public record SchemaCheck(String reference, String location, String problem, List<Violation> violations) {
        public boolean applied() {
            return location != null && problem == null;
        }

        public boolean valid() {
            return applied() && violations.isEmpty();
        }
    }

    /**
     * The mapping file as it is on disk now, and the version the ESB runs: {@code current} when the compiled version is
     * this file's, else the ESB still runs the earlier one (until its next reload check) or the file does not compile.
     */
    public record Version(String name, Path file, Instant modified, long size, String text,
                          MappingCatalog.Contract contract, Instant compiledAt, boolean current, Failure compileError) {

        /** Changes whenever the file or the ESB's compiled version changes (the page polls for it). */
        public String key() {
            return modified.toEpochMilli() + "-" + size + "-" + (compiledAt == null ? "x" : compiledAt.toEpochMilli())
                    + (current ? "-c" : "-o");
        }

        public List<String> lines() {
            return text.lines().toList();
        }
    }

    /**
     * One run: the input (pretty-printed), its schema check, the output (pretty-printed, null when the run failed),
     * its schema check, a failure, the diff to the fixture's expected output (fixture runs only), which version ran,
     * and how long the mapping itself and the whole run took (ms).
     */
    public record Run(String mapping, String fixture, String input, SchemaCheck inputCheck, String output,
                      SchemaCheck outputCheck, Failure failure, String expected, JsonDiff.Result diff,
                      Instant versionModified, Instant compiledAt, double mappingMs, double totalMs) {
        public boolean failed() {
            return failure != null;
        }
    }

    /** The mappings folder the ESB reads, or empty when it reads mappings from the classpath (inside the jar). */
    public Optional<MappingCatalog> catalog() {
        Path folder = engine.folder();
        return folder == null ? Optional.empty() : Optional.of(new MappingCatalog(folder));
    }

    /** The mappings base as the engine names it (a folder, or a {@code classpath:} location). */
    public String base() {
        return engine.baseLocation();
    }

    public long reloadCheckMillis() {
        return engine.reloadCheckMillis();
    }

    /**
     * The file now, and whether the ESB runs it: asking is the ESB's own reload check, so a saved file is compiled at
     * most {@code reload-check-ms} after the save (as the next message would have it compiled).
     */
    public Version version(MappingCatalog.Entry mapping) {
        MappingSource source = MappingSource.ofFile(mapping.name(), mapping.file());
        MappingSource.Stamp stamp = source.stamp();
        String text = source.read();
        Instant compiledAt = null;
        boolean current = false;
        Failure compileError = null;
        try {
            CompiledMapping compiled = engine.current(mapping.name());
            compiledAt = compiled.compiledAt();
            current = compiled.stamp().equals(stamp);
        } catch (MappingException e) {
            compileError = mappingFailure(e, text);
        }
        return new Version(mapping.name(), mapping.file(), Instant.ofEpochMilli(stamp.lastModifiedMillis()),
                stamp.size(), text, MappingCatalog.contract(text), compiledAt, current, compileError);
    }

    /** Runs the mapping on a fixture's input and compares the output with the fixture's expected output. */
    public Run run(MappingCatalog.Entry mapping, MappingCatalog.Fixture fixture) {
        long started = System.nanoTime();
        String expected = fixture.expected() == null ? null : read(fixture.expected());
        return run(mapping, fixture.name(), read(fixture.input()), expected, started);
    }

    /** Runs the mapping on a payload (JSON text). */
    public Run run(MappingCatalog.Entry mapping, String payload) {
        return run(mapping, null, payload, null, System.nanoTime());
    }

    private Run run(MappingCatalog.Entry mapping, String fixture, String payload, String expectedText, long started) {
        String name = mapping.name();
        MappingSource source = MappingSource.ofFile(name, mapping.file());
        MappingCatalog.Contract contract = MappingCatalog.contract(source.read());
        JsonNode input;
        try {
            input = STRICT.readTree(payload == null ? "" : payload);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            return failedRun(name, fixture, payload, null, Failure.at(Stage.PAYLOAD,
                    "The payload is not JSON: " + e.getOriginalMessage(), payload,
                    at == null ? null : at.getLineNr(), at == null ? null : at.getColumnNr()), started);
        }
        if (input == null || input.isMissingNode()) {
            return failedRun(name, fixture, payload, null, Failure.at(Stage.PAYLOAD,
                    "The payload is empty: paste a JSON document, or run a fixture.", null, null, null), started);
        }
        String inputText = pretty(input);
        SchemaCheck inputCheck = check(contract.input(), input);

        CompiledMapping compiled;
        try {
            compiled = engine.current(name);
        } catch (MappingException e) {
            return failedRun(name, fixture, inputText, inputCheck, mappingFailure(e, source.read()), started);
        }
        Object output;
        long mappingStarted = System.nanoTime();
        try {
            output = compiled.evaluate(JSON.treeToValue(input, Object.class));
        } catch (MappingException e) {
            return new Run(name, fixture, inputText, inputCheck, null, null, mappingFailure(e, compiled.text()),
                    expectedText, null, Instant.ofEpochMilli(compiled.stamp().lastModifiedMillis()),
                    compiled.compiledAt(), millisSince(mappingStarted), millisSince(started));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed payload could not be read as JSON values", e);
        }
        double mappingMs = millisSince(mappingStarted);

        JsonNode outputNode;
        try {
            // as a route has it: the result written as JSON text (mapping:...?output=json), then read by the validator
            outputNode = JSON.readTree(JSON.writeValueAsString(output));
        } catch (JsonProcessingException e) {
            return new Run(name, fixture, inputText, inputCheck, null, null, Failure.at(Stage.MAPPING,
                    "The result cannot be written as JSON: " + e.getOriginalMessage(), null, null, null), expectedText, null,
                    Instant.ofEpochMilli(compiled.stamp().lastModifiedMillis()), compiled.compiledAt(), mappingMs,
                    millisSince(started));
        }
        SchemaCheck outputCheck = check(contract.output(), outputNode);
        JsonDiff.Result diff = null;
        Failure failure = null;
        String expected = expectedText;
        if (expectedText != null) {
            try {
                JsonNode expectedNode = JSON.readTree(expectedText);
                expected = pretty(expectedNode);
                diff = JsonDiff.between(expectedNode, outputNode);
            } catch (JsonProcessingException e) {
                failure = Failure.at(Stage.EXPECTED, "The fixture's expected output is not JSON: "
                        + e.getOriginalMessage(), expectedText, e.getLocation() == null ? null : e.getLocation().getLineNr(),
                        e.getLocation() == null ? null : e.getLocation().getColumnNr());
            }
        }
        return new Run(name, fixture, inputText, inputCheck, pretty(outputNode), outputCheck, failure, expected, diff,
                Instant.ofEpochMilli(compiled.stamp().lastModifiedMillis()), compiled.compiledAt(), mappingMs,
                millisSince(started));
    }

    private static Run failedRun(String name, String fixture, String input, SchemaCheck inputCheck, Failure failure,
                                 long started) {
        return new Run(name, fixture, input, inputCheck, null, null, failure, null, null, null, null, 0,
                millisSince(started));
    }

    /** The failure with the line and column in the mapping's text where JSONata located it. */
    private static Failure mappingFailure(MappingException e, String text) {
        if (e.getCause() instanceof JException cause && cause.getLocation() >= 0 && text != null) {
            TextPosition.Position at = TextPosition.of(text, cause.getLocation());
            return Failure.at(Stage.MAPPING, e.getMessage(), text, at.line(), at.column());
        }
        return Failure.at(Stage.MAPPING, e.getMessage(), null, null, null);
    }

    // --- schemas

    private SchemaCheck check(String reference, JsonNode instance) {
        if (reference == null || reference.equals(NONE)) {
            return new SchemaCheck(reference, null, null, List.of());
        }
        LoadedSchema schema;
        try {
            schema = schema(reference);
        } catch (RuntimeException e) {
            return new SchemaCheck(reference, null, e.getMessage(), List.of());
        }
        List<Violation> violations = schema.schema().validate(instance).stream()
                .map(MappingWorkbench::violation)
                .sorted(Comparator.comparing(Violation::field).thenComparing(Violation::message)).toList();
        return new SchemaCheck(reference, schema.location(), null, violations);
    }

    private static Violation violation(ValidationMessage message) {
        String field = String.valueOf(message.getInstanceLocation());
        // a missing required property is reported at its parent: name the property itself
        if (message.getProperty() != null && ("required".equals(message.getType())
                || "dependentRequired".equals(message.getType()))) {
            field = field + "/" + message.getProperty().replace("~", "~0").replace("/", "~1");
        }
        return new Violation(field, message.getType(), message.getMessage());
    }

    private record LoadedSchema(String location, MappingSource.Stamp stamp, JsonSchema schema) {
    }

    private LoadedSchema schema(String reference) {
        if (reference.startsWith("urn:")) {
            CanonicalSchemas.Schema canonical = CanonicalSchemas.byId(reference).orElseThrow(
                    () -> new IllegalArgumentException("no canonical schema has the id " + reference));
            String location = "classpath:" + canonical.location();
            return schemaCache.computeIfAbsent(location, key -> new LoadedSchema(key, MappingSource.Stamp.FIXED,
                    SCHEMAS.getSchema(SchemaLocation.of(key), classpathNode(canonical.location()), SCHEMA_CONFIG)));
        }
        if (!reference.endsWith(".schema.json")) {
            throw new IllegalArgumentException("'" + reference + "' is neither a canonical schema id (urn:...) nor a"
                    + " schema file (*.schema.json)");
        }
        Path file = reference.startsWith(ADAPTERS_PREFIX)
                ? adaptersDir.resolve(reference.substring(ADAPTERS_PREFIX.length())).normalize()
                : engine.folder().resolve(reference).normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("schema file " + file + " not found");
        }
        MappingSource.Stamp stamp = MappingSource.ofFile(reference, file).stamp();
        return schemaCache.compute(file.toString(), (key, loaded) -> loaded != null && loaded.stamp().equals(stamp)
                ? loaded : new LoadedSchema(key, stamp, SCHEMAS.getSchema(SchemaLocation.of(file.toUri().toString()),
                readSchema(file), SCHEMA_CONFIG)));
    }

    private static JsonNode readSchema(Path file) {
        try {
            return JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("schema file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static JsonNode classpathNode(String location) {
        try (InputStream in = MappingWorkbench.class.getClassLoader().getResourceAsStream(location)) {
            if (in == null) {
                throw new IllegalArgumentException("schema " + location + " is not on the classpath");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- helpers

    private static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static double millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000.0;
    }
}
