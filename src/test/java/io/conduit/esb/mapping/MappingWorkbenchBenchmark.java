package io.conduit.esb.mapping;

import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How long the console's mapping workbench takes on the server for one run (read the fixture, parse, check the input
 * schema, map, check the output schema, compare with the expected output: {@link MappingWorkbench.Run#totalMs()}),
 * over every fixture of every mapping under {@code mappings/}, and for the page's once-a-second version poll
 * ({@link MappingWorkbench#version}: stat, read and the engine's reload check). Engine as deployed (reload check
 * 1000 ms). Warmed up first, then each call timed with System.nanoTime. Not a unit test; run with
 * <pre>mvn -q -B test-compile exec:java -Dexec.mainClass=io.conduit.esb.mapping.MappingWorkbenchBenchmark -Dexec.classpathScope=test</pre>
 * Arguments (optional): measured rounds over all fixtures (default 20), warm-up rounds (default 20).
 */
public final class MappingWorkbenchBenchmark {

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        MappingWorkbench workbench = new MappingWorkbench(
                new MappingEngine(MappingFixtures.MAPPINGS.toString(), 1000, JsonMapper.builder().build()), "adapters");
        List<MappingCatalog.Entry> mappings = workbench.catalog().orElseThrow().list();
        int fixtures = mappings.stream().mapToInt(m -> m.fixtures().size()).sum();

        for (int i = 0; i < warmUp; i++) {
            runAll(workbench, mappings, null, null, null);
        }
        List<Double> total = new ArrayList<>();
        List<Double> mapping = new ArrayList<>();
        List<Double> version = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            runAll(workbench, mappings, total, mapping, version);
        }
        MappingCatalog.Entry order = workbench.catalog().orElseThrow().find("crm/opportunity-to-order.jsonata").orElseThrow();
        List<Double> orderTotal = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            orderTotal.add(workbench.run(order, order.fixture("full").orElseThrow()).totalMs());
        }

        System.out.printf(Locale.ROOT, "mapping workbench, %d mappings, %d fixtures, %d measured rounds after %d warm-up "
                + "rounds, %d processors%n", mappings.size(), fixtures, rounds, warmUp,
                Runtime.getRuntime().availableProcessors());
        print("fixture run, whole (read, parse, validate in, map, validate out, diff)", total);
        print("fixture run, the mapping's evaluation alone", mapping);
        print("version poll (stat, read, reload check)", version);
        print("crm/opportunity-to-order.jsonata fixture 'full', whole run, 2000 runs", orderTotal);
    }

    private static void runAll(MappingWorkbench workbench, List<MappingCatalog.Entry> mappings, List<Double> total,
                               List<Double> mapping, List<Double> version) {
        for (MappingCatalog.Entry entry : mappings) {
            long started = System.nanoTime();
            workbench.version(entry);
            if (version != null) {
                version.add((System.nanoTime() - started) / 1e6);
            }
            for (MappingCatalog.Fixture fixture : entry.fixtures()) {
                MappingWorkbench.Run run = workbench.run(entry, fixture);
                if (run.failure() != null || run.diff() == null || !run.diff().same()) {
                    throw new IllegalStateException(entry.name() + " " + fixture.name() + " does not run clean: "
                            + run.failure());
                }
                if (total != null) {
                    total.add(run.totalMs());
                    mapping.add(run.mappingMs());
                }
            }
        }
    }

    private static void print(String what, List<Double> millis) {
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "  %-75s n=%6d  p50 %7.3f ms  p95 %7.3f ms  p99 %7.3f ms  max %7.3f ms  mean %7.3f ms%n",
                what, sorted.length, percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99),
                sorted[sorted.length - 1], Arrays.stream(sorted).average().orElse(0));
    }

    private static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }
}
