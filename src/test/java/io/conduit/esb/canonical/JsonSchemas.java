package io.conduit.esb.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test helper: loads JSON Schemas the way camel-json-validator does (networknt, draft detected from
 * {@code $schema}, default configuration) and validates instances against them.
 */
public final class JsonSchemas {

    /** Like Spring Boot's ObjectMapper: Java time support, dates as ISO strings. */
    public static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().build();
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private JsonSchemas() {
    }

    public static JsonNode canonicalSchemaNode(CanonicalSchemas.Schema schema) {
        try (InputStream in = JsonSchemas.class.getClassLoader().getResourceAsStream(schema.location())) {
            if (in == null) {
                throw new IllegalStateException("Schema not on the classpath: " + schema.location());
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonSchema canonical(CanonicalSchemas.Schema schema) {
        return CACHE.computeIfAbsent(schema.location(), location ->
                FACTORY.getSchema(SchemaLocation.of("classpath:" + location), canonicalSchemaNode(schema), CONFIG));
    }

    public static JsonSchema file(Path file) {
        return CACHE.computeIfAbsent(file.toAbsolutePath().toString(), key -> {
            try {
                JsonNode node = JSON.readTree(Files.readString(file));
                return FACTORY.getSchema(SchemaLocation.of(file.toUri().toString()), node, CONFIG);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * JSON pointers of string schemas without an upper bound: every string a schema accepts has a maxLength, or a
     * format (dates and timestamps, bounded by their pattern), or a pattern without unbounded repetition (* or +).
     * Conditional and negated subschemas ({@code allOf}, {@code if}/{@code then}/{@code else}, {@code not}) only
     * narrow a property that is bounded where it is declared, so they are not searched.
     */
    public static List<String> unboundedStrings(JsonNode schema) {
        List<String> found = new java.util.ArrayList<>();
        unboundedStrings(schema, "#", found);
        return found;
    }

    private static void unboundedStrings(JsonNode node, String pointer, List<String> found) {
        if (node.isObject()) {
            JsonNode type = node.path("type");
            boolean string = type.asText().equals("string")
                    || (type.isArray() && java.util.stream.StreamSupport.stream(type.spliterator(), false)
                    .anyMatch(t -> t.asText().equals("string")));
            String pattern = node.path("pattern").asText("");
            boolean boundedPattern = !pattern.isEmpty() && !pattern.contains("*") && !pattern.contains("+");
            if (string && !node.has("maxLength") && !node.has("format") && !boundedPattern) {
                found.add(pointer);
            }
            node.fields().forEachRemaining(field -> {
                if (!List.of("allOf", "if", "then", "else", "not").contains(field.getKey())) {
                    unboundedStrings(field.getValue(), pointer + "/" + field.getKey(), found);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                unboundedStrings(node.get(i), pointer + "/" + i, found);
            }
        }
    }

    /** The violations, sorted by instance location for stable messages. */
    public static List<ValidationMessage> validate(JsonSchema schema, Object instance) {
        JsonNode node = instance instanceof JsonNode n ? n : JSON.valueToTree(instance);
        Set<ValidationMessage> messages = schema.validate(node);
        return messages.stream().sorted((a, b) -> a.getMessage().compareTo(b.getMessage())).toList();
    }
}
