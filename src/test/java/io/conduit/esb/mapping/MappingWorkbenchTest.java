package io.conduit.esb.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.canonical.JsonSchemas;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The mapping workbench on the project's own mappings folder (every fixture of every mapping gives the same verdict as
 * {@link MappingFixturesTest}, with every schema its header names) and on mappings written for a case in a temporary
 * folder: schema violations naming the field, a mapping error with its line and column, the diff, and a file edited
 * on disk picked up by the engine's own reload.
 */
class MappingWorkbenchTest {

    private static final String OPPORTUNITY = "crm/opportunity-to-order.jsonata";

    @TempDir
    Path dir;

    private static MappingWorkbench onProject() {
        return new MappingWorkbench(new MappingEngine(MappingFixtures.MAPPINGS.toString(), 1000, JsonSchemas.JSON),
                "adapters");
    }

    private MappingWorkbench onTemp(long reloadCheckMs) {
        return new MappingWorkbench(new MappingEngine(dir.toString(), reloadCheckMs, JsonSchemas.JSON),
                dir.resolve("adapters").toString());
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureOfTheProjectRunsCleanWithTheSchemasItsHeaderNames() {
        MappingWorkbench workbench = onProject();
        MappingCatalog catalog = workbench.catalog().orElseThrow();
        List<MappingCatalog.Entry> mappings = catalog.list();
        // the same mappings the fixture test finds
        assertThat(mappings.stream().map(MappingCatalog.Entry::name))
                .containsExactlyElementsOf(MappingFixtures.mappings().stream().map(MappingFixtures.Mapping::name).toList());
        return mappings.stream().flatMap(m -> m.fixtures().stream().map(f -> DynamicTest.dynamicTest(
                m.name() + " " + f.name(), () -> {
                    MappingWorkbench.Run run = workbench.run(m, f);
                    assertThat(run.failure()).as("failure").isNull();
                    assertThat(run.diff().differences()).as("diff to %s", f.expected()).isEmpty();
                    for (MappingWorkbench.SchemaCheck check : List.of(run.inputCheck(), run.outputCheck())) {
                        assertThat(check.problem()).as("schema %s", check.reference()).isNull();
                        assertThat(check.violations()).as("violations of %s", check.reference()).isEmpty();
                        assertThat(check.applied()).as("applied %s", check.reference())
                                .isEqualTo(check.reference() != null && !check.reference().equals("none"));
                    }
                })));
    }

    @Test
    void aFixtureRunShowsOutputValidatedBothWaysAndNoDifference() throws Exception {
        MappingWorkbench workbench = onProject();
        MappingCatalog.Entry mapping = workbench.catalog().orElseThrow().find(OPPORTUNITY).orElseThrow();
        assertThat(mapping.fixtures()).extracting(MappingCatalog.Fixture::name).contains("full", "minimal-single-line");

        MappingWorkbench.Run run = workbench.run(mapping, mapping.fixture("full").orElseThrow());

        assertThat(run.failure()).isNull();
        assertThat(run.inputCheck().valid()).isTrue();
        assertThat(run.inputCheck().location()).endsWith("mappings/crm/opportunity-webhook.schema.json");
        assertThat(run.outputCheck().valid()).isTrue();
        assertThat(run.outputCheck().location()).isEqualTo("classpath:schemas/canonical/order.schema.json");
        assertThat(run.diff().same()).isTrue();
        JsonNode output = JsonSchemas.JSON.readTree(run.output());
        assertThat(output.path("orderId").asText()).isEqualTo("OPP-1001");
        assertThat(run.output()).contains("\n  \"orderId\"");   // pretty-printed
        assertThat(run.versionModified()).isEqualTo(Files.getLastModifiedTime(mapping.file()).toInstant()
                .truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(run.mappingMs()).isPositive().isLessThanOrEqualTo(run.totalMs());
    }

    @Test
    void aSchemaReferenceIntoTheAdaptersFolderIsReadFromTheAdaptersFolder() {
        MappingWorkbench workbench = onProject();
        MappingCatalog.Entry mapping = workbench.catalog().orElseThrow().find("erp/order-row-to-order-status.jsonata")
                .orElseThrow();
        MappingWorkbench.Run run = workbench.run(mapping, mapping.fixtures().get(0));
        assertThat(run.outputCheck().reference()).startsWith("../adapters/");
        assertThat(run.outputCheck().location()).isEqualTo(Path.of("adapters/erp/order-status.schema.json")
                .toAbsolutePath().toString());
        assertThat(run.outputCheck().valid()).isTrue();
    }

    @Test
    void aBrokenPayloadIsReportedAgainstTheInputSchemaNamingTheField() throws Exception {
        MappingWorkbench workbench = onProject();
        MappingCatalog.Entry mapping = workbench.catalog().orElseThrow().find(OPPORTUNITY).orElseThrow();
        String payload = Files.readString(mapping.fixture("full").orElseThrow().input())
                .replace("\"amount\": \"1234.50\"", "\"amount\": \"1234,50\"")
                .replace("\"eventId\": \"wh-7f3c2a91-5d0e-4b8a-9c61-2e4f8a7b1c03\",", "");

        MappingWorkbench.Run run = workbench.run(mapping, payload);

        assertThat(run.inputCheck().valid()).isFalse();
        assertThat(run.inputCheck().violations()).extracting(MappingWorkbench.Violation::field)
                .containsExactly("/data/amount", "/eventId");
        assertThat(run.inputCheck().violations()).extracting(MappingWorkbench.Violation::keyword)
                .containsExactly("pattern", "required");
        assertThat(run.diff()).as("no fixture, no diff").isNull();
    }

    @Test
    void aPayloadThatIsNotJsonSaysWhere() throws Exception {
        MappingWorkbench workbench = onProject();
        MappingCatalog.Entry mapping = workbench.catalog().orElseThrow().find(OPPORTUNITY).orElseThrow();

        MappingWorkbench.Run run = workbench.run(mapping, "{\n  \"eventId\": \"x\",\n  \"data\": {,}\n}");
        assertThat(run.failure().stage()).isEqualTo(MappingWorkbench.Stage.PAYLOAD);
        assertThat(run.failure().line()).isEqualTo(3);
        assertThat(run.failure().excerpt()).isEqualTo("  \"data\": {,}");
        assertThat(run.output()).isNull();

        assertThat(workbench.run(mapping, "{\"a\": 1} {\"b\": 2}").failure().message()).contains("not JSON");
        assertThat(workbench.run(mapping, "  ").failure().message()).contains("empty");
    }

    @Test
    void aMappingErrorNamesItsLineAndColumn() throws Exception {
        write("test/fails.jsonata", "/*\n * input: none\n */\nitems.{\n  'id': id,\n  'qty': $number(qty) + unknown.(\n}");
        write("test/throws.jsonata", "(\n  $x := name;\n  $error('no customer for ' & $x)\n)");
        MappingWorkbench workbench = onTemp(0);
        MappingCatalog catalog = workbench.catalog().orElseThrow();

        MappingWorkbench.Version broken = workbench.version(catalog.find("test/fails.jsonata").orElseThrow());
        assertThat(broken.compileError()).isNotNull();
        assertThat(broken.compileError().line()).isEqualTo(7);
        assertThat(broken.compileError().message()).contains("syntax error at line 7");
        assertThat(broken.current()).isFalse();

        MappingWorkbench.Run run = workbench.run(catalog.find("test/throws.jsonata").orElseThrow(), "{\"name\": \"Ada\"}");
        assertThat(run.failure().stage()).isEqualTo(MappingWorkbench.Stage.MAPPING);
        assertThat(run.failure().message()).contains("no customer for Ada").contains("at line 3, column");
        assertThat(run.failure().line()).isEqualTo(3);
        assertThat(run.failure().excerpt()).contains("$error(");
        assertThat(run.inputCheck().reference()).as("no header").isNull();
    }

    @Test
    void theDiffListsEachDifferingPathWithBothValues() throws Exception {
        write("test/order.jsonata", "{ 'id': id, 'total': total, 'lines': lines, 'extra': 'x' }");
        write("test/fixtures/order/changed.input.json",
                "{\"id\": \"A/1\", \"total\": 10, \"lines\": [{\"qty\": 1}, {\"qty\": 2}]}");
        write("test/fixtures/order/changed.expected.json",
                "{\"id\": \"A/2\", \"total\": 10.0, \"lines\": [{\"qty\": 1}, {\"qty\": 3}, {\"qty\": 4}], \"note\": null}");
        MappingWorkbench workbench = onTemp(0);
        MappingCatalog.Entry mapping = workbench.catalog().orElseThrow().find("test/order.jsonata").orElseThrow();

        MappingWorkbench.Run run = workbench.run(mapping, mapping.fixture("changed").orElseThrow());

        assertThat(run.diff().differences()).extracting(d -> d.path() + " " + d.kind() + " " + d.expected() + " "
                + d.actual()).containsExactly(
                "/id CHANGED \"A/2\" \"A/1\"",
                "/lines/1/qty CHANGED 3 2",
                "/lines/2 MISSING {\"qty\":4} null",
                "/note MISSING null null",
                "/extra UNEXPECTED null \"x\"");
    }

    @Test
    void aMappingEditedOnDiskIsRunWithinTheReloadCheck() throws Exception {
        Path file = write("test/greeting.jsonata", "'Hello ' & name");
        MappingWorkbench workbench = onTemp(1000);
        MappingCatalog.Entry mapping = workbench.catalog().orElseThrow().find("test/greeting.jsonata").orElseThrow();
        assertThat(workbench.run(mapping, "{\"name\": \"Ada\"}").output()).isEqualTo("\"Hello Ada\"");
        MappingWorkbench.Version before = workbench.version(mapping);
        assertThat(before.current()).isTrue();

        FileTime saved = FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5_000);
        Files.writeString(file, "'Guten Tag ' & name");
        Files.setLastModifiedTime(file, saved);

        // the file is read at once; the ESB's compiled version follows within its reload check (1 s)
        assertThat(workbench.version(mapping).text()).isEqualTo("'Guten Tag ' & name");
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(workbench.run(mapping, "{\"name\": \"Ada\"}").output()).isEqualTo("\"Guten Tag Ada\""));
        System.out.printf("edited mapping ran after %.0f ms (reload check every 1000 ms)%n",
                (System.nanoTime() - start) / 1e6);
        MappingWorkbench.Version after = workbench.version(mapping);
        assertThat(after.current()).isTrue();
        assertThat(after.modified()).isEqualTo(saved.toInstant());
        assertThat(after.key()).isNotEqualTo(before.key());
    }

    @Test
    void namesOutsideTheFolderOrUnderFixturesAreNoMappings() throws Exception {
        write("test/fixtures/x/evil.jsonata", "1");
        write("top.jsonata", "1");
        MappingCatalog catalog = onTemp(0).catalog().orElseThrow();
        assertThat(catalog.find("../pom.xml")).isEmpty();
        assertThat(catalog.find("../" + dir.getFileName() + "/top.jsonata")).isEmpty();
        assertThat(catalog.find("test/fixtures/x/evil.jsonata")).isEmpty();
        assertThat(catalog.find("top.jsonata")).as("a mapping sits in a system folder").isEmpty();
        assertThat(catalog.list()).isEmpty();
    }

    @Test
    void aClasspathBaseHasNoFolderToShow() {
        MappingWorkbench workbench = new MappingWorkbench(new MappingEngine("classpath:mappings"), "adapters");
        assertThat(workbench.catalog()).isEmpty();
        assertThat(workbench.base()).isEqualTo("classpath:mappings");
    }
}
