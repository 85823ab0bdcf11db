package io.conduit.esb.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import io.conduit.esb.canonical.JsonSchemas;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every mapping on each of its fixtures and compares the result with the expected output as JSON trees
 * (numbers by value: 10 equals 10.0). Where a mapping's header names a schema for its input or output, the
 * fixture input, the expected output and the actual output are validated against it too.
 */
class MappingFixturesTest {

    /** Each mapping needs a full case and at least one edge case. */
    private static final int MINIMUM_CASES = 2;
    private static final ObjectMapper JSON = JsonSchemas.JSON;
    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private final MappingEngine engine = new MappingEngine(MappingFixtures.MAPPINGS.toString(), 0, JSON);

    @TestFactory
    Stream<DynamicNode> mappingsProduceTheirExpectedOutput() {
        List<MappingFixtures.Mapping> mappings = MappingFixtures.mappings();
        assertThat(mappings).as("mappings under " + MappingFixtures.MAPPINGS.toAbsolutePath()).isNotEmpty();
        return mappings.stream().map(mapping -> DynamicContainer.dynamicContainer(mapping.name(),
                Stream.concat(Stream.of(DynamicTest.dynamicTest("has fixtures", () -> hasFixtures(mapping))),
                        mapping.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c))))));
    }

    @Test
    void everyFixtureFolderBelongsToAMapping() {
        assertThat(MappingFixtures.fixtureFolders())
                .allSatisfy(folder -> assertThat(folder.file()).as("mapping for fixtures " + folder.fixtureFolder())
                        .isRegularFile());
    }

    private static void hasFixtures(MappingFixtures.Mapping mapping) {
        assertThat(mapping.cases()).as("cases in " + mapping.fixtureFolder() + " (<case>.input.json)")
                .hasSizeGreaterThanOrEqualTo(MINIMUM_CASES);
    }

    private void run(MappingFixtures.Case fixture) throws Exception {
        assertThat(fixture.expected()).as("expected output of case " + fixture.name()).isRegularFile();
        JsonNode input = JSON.readTree(Files.readString(fixture.input()));
        JsonNode expected = JSON.readTree(Files.readString(fixture.expected()));

        JsonNode actual = JSON.readTree(engine.mapToJson(fixture.mapping().name(), Files.readString(fixture.input())));

        if (!expected.equals(BY_VALUE, actual)) {
            assertThat(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual))
                    .as("output of %s on %s", fixture.mapping().name(), fixture.input())
                    .isEqualTo(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(expected));
        }
        fixture.mapping().inputSchema().ifPresent(schema -> assertValid(schema, input, "input " + fixture.input()));
        fixture.mapping().outputSchema().ifPresent(schema -> {
            assertValid(schema, expected, "expected output " + fixture.expected());
            assertValid(schema, actual, "actual output of " + fixture.input());
        });
    }

    private static void assertValid(JsonSchema schema, JsonNode instance, String what) {
        List<String> violations = new ArrayList<>();
        JsonSchemas.validate(schema, instance).forEach(v -> violations.add(v.getMessage()));
        assertThat(violations).as(what + " against " + schema.getSchemaLocation()).isEmpty();
    }
}
