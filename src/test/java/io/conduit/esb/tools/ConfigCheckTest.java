package io.conduit.esb.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigCheckTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final ConfigCheck check = new ConfigCheck(new PrintStream(printed, true, StandardCharsets.UTF_8));

    @Test
    void theProjectsOwnFilesPass() throws Exception {
        boolean ok = check.run(Path.of("routes"), Path.of("adapters"), Path.of("mappings"));
        assertThat(check.problems()).isEmpty();
        assertThat(ok).isTrue();
        assertThat(printed.toString(StandardCharsets.UTF_8)).containsPattern("route-files=\\d{2} journal-files=\\d+ schemas=\\d+ mappings=\\d{2,}");
    }

    @Test
    void brokenFilesAreNamedWithTheirProblem(@TempDir Path dir) throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("broken.camel.yaml"), "- route:\n    id: x\n    from:\n      uri: direct:x\n      steps:\n        - nosuchstep: {}\n");
        Path mappings = Files.createDirectories(dir.resolve("mappings/crm/fixtures/order"));
        Files.writeString(dir.resolve("mappings/crm/order.jsonata"), "{ \"id\": orderId }");
        Files.writeString(mappings.resolve("one.input.json"), "{\"orderId\": \"A\"}");
        Files.writeString(mappings.resolve("one.expected.json"), "{\"id\": \"B\"}");
        Files.writeString(dir.resolve("mappings/crm/bad.jsonata"), "{ \"id\": ");
        Files.writeString(dir.resolve("mappings/crm/bad.schema.json"), "{\"type\": 12}");
        Files.writeString(routes.resolve("ok.camel.yaml"), "- route:\n    id: ok\n    from:\n      uri: direct:ok\n      steps:\n        - to:\n            id: ok.write-erp\n            uri: log:x\n");
        Files.writeString(routes.resolve("ok.journal.yaml"), "steps:\n  \"[ok.write-erp]\": {hop: DELIVERED, target: erp}\n  \"[ok.wirte-crm]\": {hop: DELIVERED, target: crm}\n");
        Files.writeString(routes.resolve("bad.journal.yaml"), "steps:\n  \"[ok.write-erp]\": {hop: ARRIVED}\n");

        boolean ok = check.run(routes, dir.resolve("adapters"), dir.resolve("mappings"));

        assertThat(ok).isFalse();
        assertThat(check.problems()).hasSize(6);
        assertThat(check.problems()).anyMatch(p -> p.contains("ok.journal.yaml") && p.contains("'ok.wirte-crm'"));
        assertThat(check.problems()).anyMatch(p -> p.contains("bad.journal.yaml"));
        assertThat(check.problems()).anyMatch(p -> p.contains("broken.camel.yaml"));
        assertThat(check.problems()).anyMatch(p -> p.contains("one.input.json") && p.contains("differs"));
        assertThat(check.problems()).anyMatch(p -> p.contains("bad.jsonata"));
        assertThat(check.problems()).anyMatch(p -> p.contains("bad.schema.json"));
    }
}
