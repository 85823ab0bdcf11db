package io.conduit.esb.mapping;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures what compiling a mapping once saves, per message: (a) parse the JSONata text and evaluate, for every
 * message, as camel-jsonata does (the text is kept in memory here, so file reading is not even counted), against
 * (b) the engine's cached compiled expression, also with the file stat on every call ({@code reload-check-ms=0}).
 * Every strategy does the whole step a route does: JSON text in, JSON text out. Each strategy is warmed up, then
 * timed call by call with System.nanoTime, on 1 and on 2 threads. Not a unit test; run with
 * <pre>mvn -q -B test-compile exec:java -Dexec.mainClass=io.conduit.esb.mapping.MappingBenchmark -Dexec.classpathScope=test</pre>
 * Arguments (optional): messages per run (default 20000), warm-up messages (default 20000).
 */
public final class MappingBenchmark {

    private static final String MAPPING = "crm/opportunity-to-order.jsonata";
    private static final Path MAPPINGS = Path.of("mappings");
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** One way of running the mapping on a message (JSON text in, JSON text out). */
    private interface Strategy {
        String apply(String input) throws Exception;
    }

    private record Result(String strategy, int threads, int messages, double totalMillis, long[] nanos) {
        double percentileMicros(double p) {
            int index = (int) Math.ceil(p / 100.0 * nanos.length) - 1;
            return nanos[Math.max(0, Math.min(index, nanos.length - 1))] / 1000.0;
        }

        double throughput() {
            return messages / (totalMillis / 1000.0);
        }
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        String expressionText = Files.readString(MAPPINGS.resolve(MAPPING));
        List<String> inputs = new ArrayList<>();
        for (String fixture : List.of("full", "minimal-single-line", "null-delivery-fractional-lines")) {
            inputs.add(Files.readString(MAPPINGS.resolve("crm/fixtures/opportunity-to-order/" + fixture + ".input.json")));
        }
        MappingEngine cached = new MappingEngine(MAPPINGS.toString(), 1000, JSON);
        MappingEngine statEveryCall = new MappingEngine(MAPPINGS.toString(), 0, JSON);

        Strategy parseEveryMessage = input -> {
            Object data = JSON.readValue(input, Object.class);
            Jsonata expression = Jsonata.jsonata(expressionText);
            return JSON.writeValueAsString(expression.evaluate(data, expression.createFrame()));
        };
        Strategy engine = input -> cached.mapToJson(MAPPING, input);
        Strategy engineStat = input -> statEveryCall.mapToJson(MAPPING, input);

        String reference = JSON.readTree(engine.apply(inputs.get(0))).toString();
        if (!JSON.readTree(parseEveryMessage.apply(inputs.get(0))).toString().equals(reference)) {
            throw new IllegalStateException("Strategies disagree on the result");
        }

        List<Result> results = new ArrayList<>();
        for (int threads : new int[]{1, 2}) {
            results.add(run("parse+evaluate per message", parseEveryMessage, threads, messages, warmUp, inputs));
            results.add(run("engine, compiled once", engine, threads, messages, warmUp, inputs));
            results.add(run("engine, compiled once, stat every call", engineStat, threads, messages, warmUp, inputs));
        }
        print(results, cached);
    }

    private static Result run(String name, Strategy strategy, int threads, int messages, int warmUp,
                              List<String> inputs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            timed(strategy, pool, threads, warmUp, inputs);
            return timed(strategy, pool, threads, messages, inputs).named(name);
        } finally {
            pool.shutdown();
        }
    }

    private static Timing timed(Strategy strategy, ExecutorService pool, int threads, int messages,
                                List<String> inputs) throws Exception {
        int perThread = messages / threads;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<long[]>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            futures.add(pool.submit(() -> {
                long[] nanos = new long[perThread];
                start.await();
                for (int i = 0; i < perThread; i++) {
                    String input = inputs.get((i + offset) % inputs.size());
                    long begin = System.nanoTime();
                    String output = strategy.apply(input);
                    nanos[i] = System.nanoTime() - begin;
                    if (output.isEmpty()) {
                        throw new IllegalStateException("empty result");
                    }
                }
                return nanos;
            }));
        }
        long begin = System.nanoTime();
        start.countDown();
        long[] all = new long[perThread * threads];
        for (int t = 0; t < threads; t++) {
            System.arraycopy(futures.get(t).get(), 0, all, t * perThread, perThread);
        }
        double totalMillis = (System.nanoTime() - begin) / 1e6;
        Arrays.sort(all);
        return new Timing(threads, all.length, totalMillis, all);
    }

    private record Timing(int threads, int messages, double totalMillis, long[] nanos) {
        Result named(String name) {
            return new Result(name, threads, messages, totalMillis, nanos);
        }
    }

    private static void print(List<Result> results, MappingEngine cached) {
        String format = "%-32s | %-40s | %7s | %8s | %9s | %8s | %8s | %9s%n";
        System.out.printf(Locale.ROOT, format, "mapping", "strategy", "threads", "messages", "total ms",
                "p50 µs", "p99 µs", "msg/s");
        System.out.println("-".repeat(141));
        for (Result r : results) {
            System.out.printf(Locale.ROOT, format, MAPPING, r.strategy(), r.threads(), r.messages(),
                    String.format(Locale.ROOT, "%.0f", r.totalMillis()),
                    String.format(Locale.ROOT, "%.1f", r.percentileMicros(50)),
                    String.format(Locale.ROOT, "%.1f", r.percentileMicros(99)),
                    String.format(Locale.ROOT, "%.0f", r.throughput()));
        }
        System.out.printf(Locale.ROOT, "%nJava %s, %d cores; engine compilations: %d%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), cached.compilations());
    }

    private MappingBenchmark() {
    }
}
