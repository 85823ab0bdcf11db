package io.conduit.esb.console;

import io.conduit.esb.intake.IntakeNonces;
import io.conduit.esb.mapping.MappingCatalog;
import io.conduit.esb.mapping.MappingEngine;
import io.conduit.esb.mapping.MappingWorkbench;
import io.conduit.esb.security.SecurityConfiguration;
import io.conduit.esb.security.SecurityUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The mapping workbench page rendered by the real controller, template, workbench, mapping engine (reload check
 * 1000 ms, as deployed) and security configuration, on a mappings folder outside the project (a copy of
 * {@code mappings/crm} in a temporary folder): what a viewer may see and may not do, an operator's runs, and a file
 * edited on disk.
 */
@WebMvcTest(controllers = ConsoleMappingsController.class)
@Import({SecurityConfiguration.class, ConsoleFormat.class, ConsolePagesTest.IntakeTestBeans.class,
        MappingEngine.class, MappingWorkbench.class})
@EnableConfigurationProperties(SecurityUsers.class)
class ConsoleMappingsPagesTest {

    private static final Path FOLDER = copyOfCrmMappings();
    private static final String OPPORTUNITY = "crm/opportunity-to-order.jsonata";

    @Autowired
    MockMvc mvc;
    @MockitoSpyBean
    MappingWorkbench workbench;
    @MockitoBean
    IntakeNonces nonces;

    @DynamicPropertySource
    static void folders(DynamicPropertyRegistry registry) {
        registry.add("esb.mappings.dir", () -> FOLDER.resolve("mappings").toString());
        registry.add("esb.adapters.dir", () -> FOLDER.resolve("adapters").toString());
        registry.add("esb.console.mappings.max-payload-bytes", () -> "4096");
    }

    @AfterAll
    static void removeFolder() throws IOException {
        try (Stream<Path> files = Files.walk(FOLDER)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Test
    void viewerReadsTheMappingsAndTheirSourceButHasNoRunControls() throws Exception {
        String list = page("viewer", get("/console/mappings"));
        assertThat(list).contains("class=\"active\">Mappings</a>", "id=\"mapping-list\"",
                "data-mapping=\"crm/opportunity-to-order.jsonata\"", "href=\"/console/mappings?name=crm/opportunity-to-order.jsonata\"",
                "id=\"pick-one\"", FOLDER.resolve("mappings").toString());

        String page = page("viewer", get("/console/mappings").param("name", OPPORTUNITY));
        Path file = FOLDER.resolve("mappings").resolve(OPPORTUNITY);
        assertThat(page).contains("id=\"mapping-file\">" + file + "<", "id=\"mapping-modified\"",
                "id=\"contract-input\">crm/opportunity-webhook.schema.json<",
                "id=\"contract-output\">urn:conduit:schema:order:1<", "id=\"fixture-full\"", "id=\"fixture-minimal-single-line\"",
                "CRM &quot;opportunity closed-won&quot; webhook -&gt; canonical Order.", "id=\"read-only\"",
                "class=\"good\">this version<");
        assertThat(page).as("the source, read only, line by line").contains("id=\"line-1\"><code>/*</code>")
                .doesNotContain("<textarea");
        assertThat(page).doesNotContain("id=\"run-payload\"", "id=\"run-fixture-full\"", "class=\"run-fixture\"");
    }

    @Test
    void viewerIsRefusedARunEvenByPostingDirectly() throws Exception {
        mvc.perform(post("/console/mappings/run").param("name", OPPORTUNITY).param("fixture", "full")
                .with(user("viewer").roles("VIEWER")).with(csrf())).andExpect(status().isForbidden());
        mvc.perform(post("/console/mappings/run").param("name", OPPORTUNITY).param("payload", "{}")
                .with(user("viewer").roles("VIEWER")).with(csrf())).andExpect(status().isForbidden());
        verify(workbench, never()).run(any(), any(MappingCatalog.Fixture.class));
        verify(workbench, never()).run(any(), any(String.class));
    }

    @Test
    void aRunNeedsTheCsrfToken() throws Exception {
        mvc.perform(post("/console/mappings/run").param("name", OPPORTUNITY).param("fixture", "full")
                .with(user("operator").roles("OPERATOR"))).andExpect(status().isForbidden());
        verify(workbench, never()).run(any(), any(MappingCatalog.Fixture.class));
    }

    @Test
    void operatorRunsAFixtureAndSeesTheOutputAndNoDifference() throws Exception {
        String page = page("operator", get("/console/mappings").param("name", OPPORTUNITY));
        assertThat(page).contains("id=\"run-payload\"", "id=\"run-fixture-full\"", "name=\"_csrf\"")
                .doesNotContain("id=\"read-only\"");
        assertThat(page).as("the payload starts as the first fixture's input").contains("&quot;opportunityId&quot; : &quot;OPP-1001&quot;");

        String result = run(post("/console/mappings/run").param("name", OPPORTUNITY).param("fixture", "full")
                .header("HX-Request", "true"), 200);

        assertThat(result).as("a fragment").startsWith("<section id=\"run-result\"").doesNotContain("class=\"bar\"");
        assertThat(result).contains("of fixture full", "id=\"run-output\"", "&quot;orderId&quot; : &quot;OPP-1001&quot;",
                "id=\"run-expected\"", "id=\"diff-empty\"", "id=\"input-check\"", "id=\"output-check\"",
                "valid against <code>crm/opportunity-webhook.schema.json</code>",
                "valid against <code>urn:conduit:schema:order:1</code>", "id=\"run-mapping-ms\"");
        assertThat(result).doesNotContain("id=\"run-failure\"", "id=\"diff\"");

        // without htmx the whole page comes back, with the result in it
        String full = run(post("/console/mappings/run").param("name", OPPORTUNITY).param("fixture", "minimal-single-line"), 200);
        assertThat(full).contains("class=\"bar\"", "id=\"mapping-source\"", "of fixture minimal-single-line", "id=\"diff-empty\"");
    }

    @Test
    void aBrokenPayloadGetsTheSchemaViolationNamingTheField() throws Exception {
        String payload = Files.readString(FOLDER.resolve("mappings/crm/fixtures/opportunity-to-order/full.input.json"))
                .replace("\"currencyCode\": \"EUR\"", "\"currencyCode\": \"eur\"");

        String result = run(post("/console/mappings/run").param("name", OPPORTUNITY).param("payload", payload)
                .header("HX-Request", "true"), 200);

        assertThat(result).contains("of the pasted payload", "1 violation(s) of crm/opportunity-webhook.schema.json",
                "data-field=\"/data/currencyCode\"", "<td>pattern</td>");
        assertThat(result).as("the mapping still ran").contains("id=\"run-output\"");
        assertThat(result).as("no fixture, no diff").doesNotContain("id=\"diff-empty\"", "id=\"diff\"");

        String notJson = run(post("/console/mappings/run").param("name", OPPORTUNITY).param("payload", "{\"a\": }")
                .header("HX-Request", "true"), 200);
        assertThat(notJson).contains("id=\"run-failure\"", "data-stage=\"PAYLOAD\"", "(line 1, column 7)",
                "The payload is not JSON");
    }

    @Test
    void aPayloadOverTheLimitIsRefused() throws Exception {
        String payload = "{\"x\": \"" + "a".repeat(5000) + "\"}";
        String result = run(post("/console/mappings/run").param("name", OPPORTUNITY).param("payload", payload)
                .header("HX-Request", "true"), 413);
        assertThat(result).contains("id=\"run-error\"", "at most 4096 bytes");
        verify(workbench, never()).run(any(), any(String.class));
    }

    @Test
    void unknownMappingsAndFixturesAreNotFound() throws Exception {
        assertThat(mvc.perform(get("/console/mappings").param("name", "crm/nope.jsonata").with(user("viewer").roles("VIEWER")))
                .andExpect(status().isNotFound()).andReturn().getResponse().getContentAsString()).contains("id=\"no-mapping\"");
        mvc.perform(get("/console/mappings").param("name", "../../etc/passwd").with(user("viewer").roles("VIEWER")))
                .andExpect(status().isNotFound());
        String result = run(post("/console/mappings/run").param("name", OPPORTUNITY).param("fixture", "../../x")
                .header("HX-Request", "true"), 404);
        assertThat(result).contains("has no fixture");
    }

    @Test
    void aMappingEditedOnDiskShowsWithinASecondAndRunsTheNewVersion() throws Exception {
        Path file = FOLDER.resolve("mappings/test/greeting.jsonata");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "/*\n * input: none\n * output: none\n */\n'Hello ' & name");
        String name = "test/greeting.jsonata";
        String before = run(post("/console/mappings/run").param("name", name).param("payload", "{\"name\": \"Ada\"}")
                .header("HX-Request", "true"), 200);
        assertThat(before).contains("&quot;Hello Ada&quot;");

        String page = page("viewer", get("/console/mappings").param("name", name));
        String key = page.replaceFirst("(?s).*id=\"mapping-source\".*?data-key=\"([^\"]+)\".*", "$1");
        assertThat(key).matches("\\d+-\\d+-\\d+-c");
        mvc.perform(get("/console/mappings/version").param("name", name).param("key", key)
                .with(user("viewer").roles("VIEWER"))).andExpect(status().isNoContent());

        Files.writeString(file, "/*\n * input: none\n * output: none\n */\n'Guten Tag ' & name");
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5_000));

        // the page's poll sees the saved file at once and that the ESB runs it within its reload check (1 s)
        long saved = System.nanoTime();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            MvcResult poll = mvc.perform(get("/console/mappings/version").param("name", name).param("key", key)
                    .with(user("viewer").roles("VIEWER"))).andReturn();
            assertThat(poll.getResponse().getStatus()).isEqualTo(200);
            assertThat(poll.getResponse().getContentAsString()).contains("id=\"reloaded\"", "and compiled: the ESB runs this version",
                    "<code>&#39;Guten Tag &#39; &amp; name</code>");
        });
        System.out.printf("saved mapping shown as running after %.0f ms%n", (System.nanoTime() - saved) / 1e6);

        String after = run(post("/console/mappings/run").param("name", name).param("payload", "{\"name\": \"Ada\"}")
                .header("HX-Request", "true"), 200);
        assertThat(after).contains("&quot;Guten Tag Ada&quot;");
    }

    @Test
    void aMappingThatNoLongerCompilesShowsWhereAndTheRunSaysSo() throws Exception {
        Path file = FOLDER.resolve("mappings/test/broken.jsonata");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\n  'a': x,\n  'b': (y +\n}");
        String page = page("operator", get("/console/mappings").param("name", "test/broken.jsonata"));
        assertThat(page).contains("id=\"compile-error\"", "syntax error at line 4", "id=\"line-4\" class=\"error-line\"",
                "nothing: this file does not compile");
        String result = run(post("/console/mappings/run").param("name", "test/broken.jsonata").param("payload", "{}")
                .header("HX-Request", "true"), 200);
        assertThat(result).contains("data-stage=\"MAPPING\"", "(line 4, column");
    }

    private String page(String role, org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request)
            throws Exception {
        return mvc.perform(request.with(user(role).roles(role.toUpperCase()))).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString();
    }

    private String run(org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request, int status)
            throws Exception {
        return mvc.perform(request.with(user("operator").roles("OPERATOR")).with(csrf()))
                .andExpect(status().is(status)).andReturn().getResponse().getContentAsString();
    }

    /** {@code mappings/crm} of the project in a temporary folder: a mappings folder outside the jar and the project. */
    private static Path copyOfCrmMappings() {
        try {
            Path folder = Files.createTempDirectory("conduit-mappings-");
            Path source = Path.of("mappings", "crm");
            try (Stream<Path> files = Files.walk(source)) {
                for (Path from : files.toList()) {
                    Path to = folder.resolve("mappings").resolve("crm").resolve(source.relativize(from).toString());
                    if (Files.isDirectory(from)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            Files.createDirectories(folder.resolve("adapters"));
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
