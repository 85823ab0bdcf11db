package io.conduit.esb.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.canonical.CanonicalSchemas;
import io.conduit.esb.canonical.CustomerRef;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.canonical.Order;
import io.conduit.esb.canonical.OrderLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MappingEngineTest {

    private static final String OPPORTUNITY = "crm/opportunity-to-order.jsonata";

    @TempDir
    Path dir;

    private MappingEngine engineOn(Path base, long reloadCheckMillis) {
        return new MappingEngine(base.toString(), reloadCheckMillis, JsonSchemas.JSON);
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @Test
    void compilesAMappingOnceAndReusesIt() {
        MappingEngine engine = engineOn(MappingFixtures.MAPPINGS, 0);
        String webhook = MappingFixtures.read(
                MappingFixtures.MAPPINGS.resolve("crm/fixtures/opportunity-to-order/full.input.json"));

        for (int i = 0; i < 100; i++) {
            engine.map(OPPORTUNITY, webhook);
        }

        assertThat(engine.compilations()).isEqualTo(1);
    }

    @Test
    void recompilesWhenTheFileChanges() throws Exception {
        Path file = write("test/greeting.jsonata", "'Hello ' & name");
        MappingEngine engine = engineOn(dir, 0);
        assertThat(engine.map("test/greeting.jsonata", "{\"name\":\"Ada\"}")).isEqualTo("Hello Ada");
        assertThat(engine.map("test/greeting.jsonata", "{\"name\":\"Ada\"}")).isEqualTo("Hello Ada");
        assertThat(engine.compilations()).isEqualTo(1);

        FileTime before = Files.getLastModifiedTime(file);
        Files.writeString(file, "'Hallo ' & name");
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 5_000));

        assertThat(engine.map("test/greeting.jsonata", "{\"name\":\"Ada\"}")).isEqualTo("Hallo Ada");
        assertThat(engine.compilations()).isEqualTo(2);
    }

    @Test
    void recompilesWhenOnlyTheSizeChanges() throws Exception {
        Path file = write("test/size.jsonata", "'a'");
        MappingEngine engine = engineOn(dir, 0);
        assertThat(engine.map("test/size.jsonata", "{}")).isEqualTo("a");

        FileTime before = Files.getLastModifiedTime(file);
        Files.writeString(file, "'bb'");
        Files.setLastModifiedTime(file, before);

        assertThat(engine.map("test/size.jsonata", "{}")).isEqualTo("bb");
    }

    @Test
    void checksTheFileAtMostOncePerInterval() throws Exception {
        Path file = write("test/cached.jsonata", "'v1'");
        MappingEngine engine = engineOn(dir, TimeUnit.HOURS.toMillis(1));
        assertThat(engine.map("test/cached.jsonata", "{}")).isEqualTo("v1");

        Files.writeString(file, "'v2 changed'");
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));

        assertThat(engine.map("test/cached.jsonata", "{}")).isEqualTo("v1");
        assertThat(engine.compilations()).isEqualTo(1);
    }

    @Test
    void aMissingFileNamesTheFile() {
        MappingEngine engine = engineOn(dir, 0);
        assertThatThrownBy(() -> engine.map("crm/no-such-mapping.jsonata", "{}"))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("crm/no-such-mapping.jsonata")
                .hasMessageContaining("not found")
                .satisfies(e -> assertThat(((MappingException) e).mapping()).isEqualTo("crm/no-such-mapping.jsonata"));
    }

    @Test
    void aFileThatDisappearsFailsInsteadOfServingTheOldVersion() throws Exception {
        Path file = write("test/gone.jsonata", "'here'");
        MappingEngine engine = engineOn(dir, 0);
        assertThat(engine.map("test/gone.jsonata", "{}")).isEqualTo("here");

        Files.delete(file);

        assertThatThrownBy(() -> engine.map("test/gone.jsonata", "{}"))
                .isInstanceOf(MappingException.class).hasMessageContaining("not found");
    }

    @Test
    void aSyntaxErrorNamesTheFileAndPosition() throws Exception {
        write("test/broken.jsonata", "{\n  \"a\": foo,\n  \"b\": $sum(,\n}");
        MappingEngine engine = engineOn(dir, 0);

        assertThatThrownBy(() -> engine.prepare("test/broken.jsonata"))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("test/broken.jsonata")
                .hasMessageContaining("syntax error at line 3, column")
                .hasMessageContaining("S0211");
    }

    @Test
    void aBrokenEditFailsUntilItIsFixed() throws Exception {
        Path file = write("test/edited.jsonata", "'ok'");
        MappingEngine engine = engineOn(dir, 0);
        assertThat(engine.map("test/edited.jsonata", "{}")).isEqualTo("ok");

        Files.writeString(file, "'unterminated");
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertThatThrownBy(() -> engine.map("test/edited.jsonata", "{}"))
                .isInstanceOf(MappingException.class).hasMessageContaining("syntax error");

        Files.writeString(file, "'fixed'");
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        assertThat(engine.map("test/edited.jsonata", "{}")).isEqualTo("fixed");
    }

    @Test
    void anEvaluationErrorNamesTheMapping() throws Exception {
        write("test/arithmetic.jsonata", "{ \"total\": amount * 2 }");
        MappingEngine engine = engineOn(dir, 0);

        assertThatThrownBy(() -> engine.map("test/arithmetic.jsonata", "{\"amount\":\"12.50\"}"))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("Mapping test/arithmetic.jsonata")
                .hasMessageContaining("evaluation failed")
                .hasMessageContaining("T2001");
    }

    @Test
    void invalidJsonInputIsAMappingErrorCausedByTheParser() throws Exception {
        write("test/identity.jsonata", "$");
        MappingEngine engine = engineOn(dir, 0);

        assertThatThrownBy(() -> engine.map("test/identity.jsonata", "{\"a\": "))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("input is not valid JSON")
                .hasCauseInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
    }

    @Test
    void namesMayNotLeaveTheMappingsFolder() throws Exception {
        write("inside/x.jsonata", "1");
        MappingEngine engine = engineOn(dir.resolve("inside"), 0);

        assertThatThrownBy(() -> engine.map("../inside/x.jsonata", "{}"))
                .isInstanceOf(MappingException.class).hasMessageContaining("..");
    }

    @Test
    void acceptsEveryKindOfInput() throws Exception {
        write("test/echo.jsonata", "{ \"id\": id, \"n\": $count(items) }");
        MappingEngine engine = engineOn(dir, 0);
        String text = "{\"id\":\"A-1\",\"items\":[1,2]}";
        Map<String, Object> expected = Map.of("id", "A-1", "n", 2);

        assertThat(engine.map("test/echo.jsonata", text)).isEqualTo(expected);
        assertThat(engine.map("test/echo.jsonata", text.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
        assertThat(engine.map("test/echo.jsonata", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(expected);
        assertThat(engine.map("test/echo.jsonata", JsonSchemas.JSON.readTree(text))).isEqualTo(expected);
        assertThat(engine.map("test/echo.jsonata", Map.of("id", "A-1", "items", List.of(1, 2)))).isEqualTo(expected);
        assertThat(engine.mapToJson("test/echo.jsonata", text)).isEqualTo("{\"id\":\"A-1\",\"n\":2}");
    }

    @Test
    void aCanonicalRecordIsMappedAsItsJson() {
        MappingEngine engine = engineOn(MappingFixtures.MAPPINGS, 0);
        Order order = new Order("OPP-9", 1, "crm", new CustomerRef("ACC-1", "Acme GmbH"), LocalDate.of(2026, 11, 20),
                null, "EUR", List.of(new OrderLine(1, "P-1", null, BigDecimal.ONE, BigDecimal.TEN, BigDecimal.TEN)),
                BigDecimal.TEN);

        @SuppressWarnings("unchecked")
        Map<String, Object> rows = (Map<String, Object>) engine.map("erp/order-to-sales-order.jsonata", order);

        assertThat((Map<String, Object>) rows.get("header")).containsEntry("ord_date", "2026-11-20")
                .containsEntry("req_dlv_date", null).containsEntry("src_sys", "CRM");
    }

    @Test
    void readsMappingsFromTheClasspath() throws Exception {
        MappingEngine engine = new MappingEngine("classpath:schemas");
        Object schema = engine.map("canonical/order.schema.json", "{}");
        assertThat(schema).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) schema).get("$id")).isEqualTo(CanonicalSchemas.ORDER.id());

        assertThatThrownBy(() -> engine.map("canonical/none.jsonata", "{}"))
                .isInstanceOf(MappingException.class).hasMessageContaining("classpath:schemas/canonical/none.jsonata");
    }

    /**
     * {@code $$} reads the evaluation's root input. jsonata 0.9.9 binds it in a frame shared by all callers of a
     * compiled expression; with 8 threads about a fifth of the results carried another message's id.
     */
    @Test
    void evaluatesConcurrentlyFromEightThreads() throws Exception {
        write("test/root-in-loop.jsonata", "( $n := $count(items); items.{ \"id\": $$.id, \"v\": $, \"n\": $n } )");
        MappingEngine engine = engineOn(MappingFixtures.MAPPINGS, 0);
        MappingEngine tempEngine = engineOn(dir, 0);
        Path folder = MappingFixtures.MAPPINGS.resolve("crm/fixtures/opportunity-to-order");
        List<String> inputs = new ArrayList<>();
        List<JsonNode> singleThreaded = new ArrayList<>();
        for (String name : List.of("full", "minimal-single-line", "null-delivery-fractional-lines")) {
            String input = MappingFixtures.read(folder.resolve(name + ".input.json"));
            inputs.add(input);
            singleThreaded.add(JsonSchemas.JSON.readTree(engine.mapToJson(OPPORTUNITY, input)));
        }

        int threads = 8;
        int perThread = 1_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Callable<Integer> worker = () -> {
                start.await();
                int wrong = 0;
                for (int i = 0; i < perThread; i++) {
                    int which = (thread + i) % inputs.size();
                    JsonNode order = JsonSchemas.JSON.readTree(engine.mapToJson(OPPORTUNITY, inputs.get(which)));
                    String id = "T" + thread + "-" + i;
                    Object rows = tempEngine.map("test/root-in-loop.jsonata",
                            Map.of("id", id, "items", List.of(thread, i)));
                    if (!order.equals(singleThreaded.get(which))
                            || !rows.equals(List.of(Map.of("id", id, "v", thread, "n", 2),
                                                    Map.of("id", id, "v", i, "n", 2)))) {
                        wrong++;
                    }
                }
                return wrong;
            };
            results.add(pool.submit(worker));
        }
        start.countDown();
        int wrong = 0;
        for (Future<Integer> result : results) {
            wrong += result.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();

        assertThat(wrong).as("results that differ from the single-threaded one").isZero();
        assertThat(engine.compilations()).isEqualTo(1);
    }

    /**
     * On the thread that compiled it, a compiled jsonata 0.9.9 expression keeps the last frame of one evaluation as
     * the root of the next, so a variable of the previous message was visible (and the frame chain grew).
     */
    @Test
    void noStateCarriesOverFromOneEvaluationToTheNextOnTheCompilingThread() throws Exception {
        write("test/carry-over.jsonata", "( $previous := $seen; $seen := id; $exists($previous) ? $previous : 'none' )");
        MappingEngine engine = engineOn(dir, 0);

        assertThat(engine.map("test/carry-over.jsonata", "{\"id\":\"first\"}")).isEqualTo("none");
        assertThat(engine.map("test/carry-over.jsonata", "{\"id\":\"second\"}")).isEqualTo("none");
    }

    /**
     * jsonata 0.9.9's $millis() reads a timestamp frozen at the first evaluation on each thread other than the
     * compiling one; the engine binds it to the time of each evaluation.
     */
    @Test
    void millisIsTheTimeOfEachEvaluationOnEveryThread() throws Exception {
        write("test/clock.jsonata", "$millis()");
        MappingEngine engine = engineOn(dir, 0);
        engine.prepare("test/clock.jsonata");
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            long first = ((Number) worker.submit(() -> engine.map("test/clock.jsonata", "{}")).get()).longValue();
            long later = first + 20;
            while (System.currentTimeMillis() < later) {
                Thread.onSpinWait();
            }
            long second = ((Number) worker.submit(() -> engine.map("test/clock.jsonata", "{}")).get()).longValue();
            assertThat(second).isGreaterThanOrEqualTo(later);
        } finally {
            worker.shutdown();
        }
    }
}
