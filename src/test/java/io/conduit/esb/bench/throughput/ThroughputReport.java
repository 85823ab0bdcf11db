package io.conduit.esb.bench.throughput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The throughput benchmark's report (bench/throughput.sh): merges the idle CPU figure, {@code simple.json}
 * ({@link SimpleFlowBench}) and {@code handoff.json} ({@link HandoffLoad}) with the machine (processors, CPU model,
 * Java version, date) into {@code results.json}, prints them as a table, and as the last line:
 * <pre>
 * throughput: simple=&lt;req/s&gt; raw=&lt;req/s&gt; ratio=&lt;simple/raw&gt; handoff=&lt;orders/s&gt; p99@1000=&lt;ms&gt; rss=&lt;MB&gt; idle-cpu=&lt;%&gt;
 * </pre>
 * simple and raw: the best of their connection counts; handoff: the highest rate that passed; p99@1000: end to end
 * at 1,000 orders/s, orders not acknowledged by the bound counted at the bound (then a lower bound, marked in the
 * table); rss: the ESB's largest RSS in that phase; idle-cpu: percent of one core.
 * <pre>
 * ThroughputReport DIR IDLE_CPU_PCT IDLE_SECONDS MODE IDLE_AFTER_LOAD_CPU_PCT
 * </pre>
 */
public final class ThroughputReport {

    private ThroughputReport() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        double idleAtStart = Double.parseDouble(args[1]);
        // the headline's idle figure: the ESB idle after the load, its JIT done (a fresh ESB compiles for minutes)
        double idle = Double.parseDouble(args[4]);
        ObjectMapper json = new ObjectMapper();
        JsonNode simple = json.readTree(dir.resolve("simple.json").toFile());
        JsonNode handoff = json.readTree(dir.resolve("handoff.json").toFile());

        ObjectNode results = json.createObjectNode();
        ObjectNode machine = results.putObject("machine");
        machine.put("nproc", Runtime.getRuntime().availableProcessors());
        machine.put("cpu_model", Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name")).map(l -> l.replaceFirst("^[^:]*:\\s*", "")).findFirst()
                .orElse("unknown"));
        Path javaVersion = dir.resolve("java-version.txt");
        machine.put("java_version", Files.exists(javaVersion) ? Files.readString(javaVersion).trim() : "unknown");
        machine.put("date", OffsetDateTime.now().toString());
        results.put("mode", args[3]);
        results.putObject("idle").put("cpu_pct_of_core", idle).put("cpu_pct_of_core_at_start", idleAtStart)
                .put("measured_s", Integer.parseInt(args[2])).put("settle_s", 20);
        results.set("simple_flow", simple);
        results.set("order_handoff", handoff);
        // the same handoff by hand-written Java (RawHandoffServer), when the run had it
        Path rawHandoffFile = dir.resolve("raw-handoff.json");
        JsonNode rawHandoff = Files.exists(rawHandoffFile) ? json.readTree(rawHandoffFile.toFile()) : null;
        if (rawHandoff != null) {
            results.set("order_handoff_raw", rawHandoff);
        }

        double bestEsb = best(simple.path("esb"));
        double bestRaw = best(simple.path("raw"));
        double ratio = bestRaw == 0 ? 0 : bestEsb / bestRaw;
        JsonNode at1000 = handoff.path("at1000");
        JsonNode e2e1000 = at1000.path("end_to_end_incl_incomplete_at_bound_ms");
        long incomplete1000 = at1000.path("incomplete_at_bound").asLong();
        ObjectNode headline = results.putObject("headline");
        headline.put("simple_req_per_s", bestEsb).put("raw_req_per_s", bestRaw).put("ratio", round(ratio, 3))
                .put("handoff_orders_per_s", handoff.path("best_rate").asInt())
                .put("p99_at_1000_ms", e2e1000.path("p99").asDouble())
                .put("p99_at_1000_is_lower_bound", incomplete1000 > 0)
                .put("rss_at_1000_mb", at1000.path("rss_max_mb").asLong()).put("idle_cpu_pct", idle);
        if (rawHandoff != null) {
            headline.put("raw_handoff_orders_per_s", rawHandoff.path("best_rate").asInt())
                    .put("raw_handoff_p99_at_1000_ms", rawHandoff.path("at1000")
                            .path("end_to_end_incl_incomplete_at_bound_ms").path("p99").asDouble());
        }
        Files.writeString(dir.resolve("results.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(results));

        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%n== Conduit ESB throughput (%s) - %d x %s, %s%n   %s%n", args[3],
                machine.path("nproc").asInt(), machine.path("cpu_model").asText(), machine.path("date").asText(),
                machine.path("java_version").asText().lines().findFirst().orElse("")));
        t.append(String.format(Locale.ROOT, "%nidle: the ESB process used %.1f %% of one core after the load, %.1f %% at"
                + " start (%s s each, after 20 s settling; at start the JIT compiler is still busy)%n", idle, idleAtStart, args[2]));
        t.append(String.format(Locale.ROOT, "%nsimple flow: POST order JSON -> JSONata -> INSERT ... RETURNING -> 201"
                + " (wrk, closed model, %d s runs after %d s warm-up)%n", simple.path("run_s").asInt(),
                simple.path("warmup_s").asInt()));
        t.append(String.format(Locale.ROOT, "  %-6s %5s %10s %9s %9s %9s %8s %8s %11s %10s %7s%n", "target", "conn", "req/s",
                "p50 ms", "p99 ms", "p99.9 ms", "non-2xx", "sock-err", "cpu ms/req", "pg ms/req", "rss MB"));
        for (String target : new String[]{"esb", "raw"}) {
            for (JsonNode r : simple.path(target)) {
                t.append(String.format(Locale.ROOT, "  %-6s %5d %10.1f %9.2f %9.2f %9.2f %8d %8d %11.3f %10.3f %7d%n", target,
                        r.path("connections").asInt(), r.path("req_per_s").asDouble(), r.path("p50_ms").asDouble(),
                        r.path("p99_ms").asDouble(), r.path("p999_ms").asDouble(), r.path("non2xx").asLong(),
                        r.path("socket_errors").asLong(), r.path("cpu_ms_per_req").asDouble(),
                        r.path("pg_cpu_ms_per_req").asDouble(), r.path("rss_max_mb").asLong()));
            }
        }
        t.append("  (cpu ms/req: the serving process, idle background included; pg ms/req: the shared PostgreSQL)\n");
        t.append(String.format(Locale.ROOT, "  best: esb %.1f req/s, raw %.1f req/s, ratio %.3f%n", bestEsb, bestRaw, ratio));

        t.append(String.format(Locale.ROOT, "%norder handoff: signed CRM webhooks at a fixed arrival rate (open model),"
                + " %d s per rate; latencies from each webhook's due time; drain bound %d s%n",
                handoff.path("phase_s").asInt(), handoff.path("drain_bound_s").asInt()));
        header(t);
        row(t, "warm-up", handoff.path("warmup"));
        for (JsonNode step : handoff.path("steps")) {
            row(t, String.valueOf(step.path("rate").asInt()), step);
        }
        boolean separate1000 = true;
        for (JsonNode step : handoff.path("steps")) {
            separate1000 &= step.path("rate").asInt() != 1000;
        }
        if (separate1000) {
            row(t, "1000*", at1000);
            t.append("  (* the 1,000/s phase, run after the stepping stopped)\n");
        }
        t.append("  (e2e = webhook due -> first acknowledgement row in the CRM; '>=' : orders not acknowledged by the"
                + " bound counted at the bound)\n");
        t.append(String.format(Locale.ROOT, "  highest rate with every order acknowledged and e2e p99 <= 100 ms: %d orders/s%s%n",
                handoff.path("best_rate").asInt(), handoff.has("first_failing_rate")
                        ? " (first failing step: " + handoff.path("first_failing_rate").asInt() + "/s)" : ""));
        t.append(String.format(Locale.ROOT, "  at 1,000 orders/s: e2e p50 %s%.1f, p99 %s%.1f, p99.9 %s%.1f ms; %d of %d"
                        + " got 202, %d not acknowledged at the bound%s; ESB rss max %d MB, %.2f cpu ms/order%n",
                ge(incomplete1000), e2e1000.path("p50").asDouble(), ge(incomplete1000), e2e1000.path("p99").asDouble(),
                ge(incomplete1000), e2e1000.path("p999").asDouble(), at1000.path("accepted_202").asLong(),
                at1000.path("orders").asLong(), incomplete1000,
                at1000.path("passed").asBoolean() ? "" : " - the ESB does NOT keep up with 1,000/s here",
                at1000.path("rss_max_mb").asLong(), at1000.path("cpu_ms_per_order").asDouble()));
        t.append("  Kafka producer batches at 1,000/s: ").append(batches(at1000.path("kafka_producer_batches"))).append('\n');
        if (rawHandoff != null) {
            handoffTable(t, "the same handoff by hand-written Java (RawHandoffServer: the same broker, database and"
                    + " CRM; no journal, validation, versioning, breakers or parking); cpu ms/o: its own process", rawHandoff);
        }
        System.out.println(t);
        if (rawHandoff != null) {
            JsonNode raw1000 = rawHandoff.path("at1000");
            System.out.println(String.format(Locale.ROOT, "throughput: raw handoff=%d p99@1000=%s%.1f (hand-written"
                            + " Java, same broker, database and CRM; the ESB: %d)", rawHandoff.path("best_rate").asInt(),
                    ge(raw1000.path("incomplete_at_bound").asLong()),
                    raw1000.path("end_to_end_incl_incomplete_at_bound_ms").path("p99").asDouble(),
                    handoff.path("best_rate").asInt()));
        }
        System.out.println(String.format(Locale.ROOT,
                "throughput: simple=%.1f raw=%.1f ratio=%.3f handoff=%d p99@1000=%.1f rss=%d idle-cpu=%.1f",
                bestEsb, bestRaw, ratio, handoff.path("best_rate").asInt(), e2e1000.path("p99").asDouble(),
                at1000.path("rss_max_mb").asLong(), idle));
    }

    /** A handoff run's steps as rows, its highest passing rate and its 1,000/s figures. */
    private static void handoffTable(StringBuilder t, String title, JsonNode handoff) {
        t.append('\n').append(title).append('\n');
        header(t);
        row(t, "warm-up", handoff.path("warmup"));
        boolean separate1000 = true;
        for (JsonNode step : handoff.path("steps")) {
            row(t, String.valueOf(step.path("rate").asInt()), step);
            separate1000 &= step.path("rate").asInt() != 1000;
        }
        if (separate1000) {
            row(t, "1000*", handoff.path("at1000"));
        }
        t.append(String.format(Locale.ROOT, "  highest rate with every order acknowledged and e2e p99 <= 100 ms: %d orders/s%s%n",
                handoff.path("best_rate").asInt(), handoff.has("first_failing_rate")
                        ? " (first failing step: " + handoff.path("first_failing_rate").asInt() + "/s)" : ""));
    }

    private static void header(StringBuilder t) {
        t.append(String.format(Locale.ROOT, "  %-7s %7s %7s %6s %7s %7s %8s %8s %9s %9s %9s %7s %9s %8s %6s  %s%n", "rate/s",
                "orders", "202", "late", "acked", "incompl", "202 p99", "erp p99", "e2e p50", "e2e p99", "e2e p99.9",
                "drain s", "cpu ms/o", "pg ms/o", "rss MB", "result"));
    }

    private static void row(StringBuilder t, String label, JsonNode p) {
        long incomplete = p.path("incomplete_at_bound").asLong();
        JsonNode e2e = p.path("end_to_end_incl_incomplete_at_bound_ms");
        t.append(String.format(Locale.ROOT, "  %-7s %7d %7d %6d %7d %7d %8.1f %8.1f %9s %9s %9s %7.1f %9.2f %8.2f %6d  %s%n",
                label, p.path("orders").asLong(), p.path("accepted_202").asLong(), p.path("late_sends_over_10ms").asLong(),
                p.path("acknowledged").asLong(), incomplete, p.path("accept_202_ms").path("p99").asDouble(),
                p.path("to_erp_ms").path("p99").asDouble(), ms(incomplete, e2e.path("p50")), ms(incomplete, e2e.path("p99")),
                ms(incomplete, e2e.path("p999")), p.path("drain_s").asDouble(), p.path("cpu_ms_per_order").asDouble(),
                p.path("pg_cpu_ms_per_order").asDouble(), p.path("rss_max_mb").asLong(), label.equals("warm-up") ? "-" : p.path("passed").asBoolean() ? "pass"
                        : "FAIL" + (p.path("not_accepted").size() > 0 ? " not accepted " + p.path("not_accepted") : "")));
    }

    private static String ms(long incomplete, JsonNode value) {
        return ge(incomplete) + String.format(Locale.ROOT, "%.1f", value.asDouble());
    }

    private static String ge(long incomplete) {
        return incomplete > 0 ? ">=" : "";
    }

    private static String batches(JsonNode b) {
        if ("n/a".equals(b.path("source").asText())) {
            return "n/a (the ESB exposes no Kafka producer batch figures" + (b.has("error") ? ": " + b.path("error").asText() : "") + ")";
        }
        StringBuilder s = new StringBuilder(b.path("source").asText()).append(':');
        Iterator<Map.Entry<String, JsonNode>> fields = b.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (!f.getKey().equals("source")) {
                s.append(' ').append(f.getKey()).append(' ').append(f.getValue());
            }
        }
        return s.toString();
    }

    private static double best(JsonNode runs) {
        double best = 0;
        for (JsonNode r : runs) {
            best = Math.max(best, r.path("req_per_s").asDouble());
        }
        return best;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
