package io.conduit.esb.bench.throughput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The simple flow of the throughput benchmark (bench/throughput.sh): the ESB's route
 * bench/simple-flow/bench-simple-order.camel.yaml (POST order JSON -> JSONata mapping -> INSERT ... RETURNING ->
 * 201 with the order number) against {@link RawOrderServer}, the same work in plain Java, both on the same
 * PostgreSQL. Creates table {@code bench.simple_order}, checks one request on each, then drives each with wrk
 * (bench/simple-flow/post-order.lua): a JIT warm-up at 16 connections ({@code -Dsimple.jit-warmup-seconds}, 60 by
 * default), then at 1, 16 and 64 connections a warm-up run and the measured run. Per run:
 * requests/s, latency p50/p90/p99/p99.9 as wrk measures it (closed model: a connection sends its next request when
 * the previous answer came), non-2xx and socket errors, CPU ms per request of the serving process (its
 * {@code /proc} utime+stime delta over the measured run / requests), its largest RSS, and the rows the run added to
 * the table (a check that each 201 was an insert), and the PostgreSQL server's CPU ms per request (postmaster and
 * backends, {@code -Dpg.data=DIR}), which both paths share. Writes {@code simple.json} and exits 3 when any request errored.
 * <pre>
 * SimpleFlowBench ESB_URL ESB_PID RAW_URL RAW_PID JDBC_URL WARMUP_S RUN_S OUT_JSON
 * </pre>
 */
public final class SimpleFlowBench {

    private static final Path PG_DATA = Path.of(System.getProperty("pg.data", "target/throughput/data/postgres"));
    private static final int[] CONNECTIONS = {1, 16, 64};
    private static final int JIT_WARMUP_S = Integer.getInteger("simple.jit-warmup-seconds", 60);
    private static final String LUA = "bench/simple-flow/post-order.lua";
    private static final String BODY = "bench/simple-flow/order.json";
    private static final String OPERATOR = Base64.getEncoder().encodeToString("operator:operator".getBytes(StandardCharsets.UTF_8));

    private final ObjectMapper json = new ObjectMapper();
    private final String jdbcUrl;
    private final int warmup;
    private final int seconds;
    private final Path logDir;

    private SimpleFlowBench(String jdbcUrl, int warmup, int seconds, Path logDir) {
        this.jdbcUrl = jdbcUrl;
        this.warmup = warmup;
        this.seconds = seconds;
        this.logDir = logDir;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--create-table")) {
            // bench/profile.sh: only the table the simple flow's route writes to
            new SimpleFlowBench(args[1], 0, 0, null).createTable();
            return;
        }
        String esbUrl = args[0];
        long esbPid = Long.parseLong(args[1]);
        String rawUrl = args[2];
        long rawPid = Long.parseLong(args[3]);
        Path out = Path.of(args[7]);
        SimpleFlowBench bench = new SimpleFlowBench(args[4], Integer.parseInt(args[5]), Integer.parseInt(args[6]),
                out.getParent());
        bench.createTable();
        bench.checkOne("esb", esbUrl + "/bench/orders", OPERATOR);
        bench.checkOne("raw", rawUrl + "/bench/orders", null);

        ObjectNode result = bench.json.createObjectNode();
        result.put("jit_warmup_s", JIT_WARMUP_S).put("warmup_s", bench.warmup).put("run_s", bench.seconds).put("tool", "wrk -t2 (-t1 at 1 connection)");
        long errored = 0;
        for (String target : List.of("esb", "raw")) {
            boolean esb = target.equals("esb");
            String url = (esb ? esbUrl : rawUrl) + "/bench/orders";
            // the JIT compiles the ESB's request path for a minute or two under load; a figure taken before that
            // measures the compiler (a fresh ESB did 293 req/s at 1 connection, the same ESB warm 800)
            if (JIT_WARMUP_S > 0) {
                System.out.println("simple flow, " + target + ": JIT warm-up, " + JIT_WARMUP_S + " s at 16 connections");
                bench.wrk(target, url, esb ? OPERATOR : null, 16, JIT_WARMUP_S, "jit-warmup");
            }
            ArrayNode runs = result.putArray(target);
            for (int c : CONNECTIONS) {
                ObjectNode run = bench.run(target, url, esb ? esbPid : rawPid, esb ? OPERATOR : null, c);
                runs.add(run);
                // a wrong answer fails the run; a socket error (wrk's 2 s timeout, a reset) is reported in the table
                errored += run.path("non2xx").asLong();
            }
        }
        result.put("errored_requests", errored);
        Files.writeString(out, bench.json.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        if (errored > 0) {
            System.err.println("SIMPLE FLOW FAILED: " + errored + " requests were answered non-2xx (see "
                    + bench.logDir + "/wrk-*.txt and esb.log)");
            System.exit(3);
        }
    }

    private void createTable() throws SQLException {
        try (Connection c = db(); Statement s = c.createStatement()) {
            s.execute("create schema if not exists bench");
            s.execute("create sequence if not exists bench.simple_order_no");
            s.execute("""
                    create table if not exists bench.simple_order (
                        id         bigserial     primary key,
                        order_no   text          not null unique
                                   default 'B' || lpad(nextval('bench.simple_order_no')::text, 9, '0'),
                        customer   text          not null,
                        amount     numeric(18,2) not null,
                        currency   char(3)       not null,
                        lines      jsonb         not null,
                        created_at timestamptz   not null default now()
                    )""");
        }
    }

    /** One request before the load: 201 with an order number, or the benchmark stops here. */
    private void checkOne(String target, String url, String auth) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofFile(Path.of(BODY)));
        if (auth != null) {
            request.header("Authorization", "Basic " + auth);
        }
        HttpResponse<String> answer = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = answer.statusCode() == 201 ? json.readTree(answer.body()) : null;
        if (body == null || !body.path("orderNo").asText().startsWith("B")) {
            throw new IllegalStateException("simple flow, " + target + ": expected 201 {\"orderNo\":\"B...\"}, got "
                    + answer.statusCode() + " " + answer.body());
        }
        System.out.println("simple flow, " + target + ": POST " + url + " -> " + answer.statusCode() + " " + answer.body());
    }

    private ObjectNode run(String target, String url, long pid, String auth, int connections) throws Exception {
        wrk(target, url, auth, connections, warmup, "warmup");
        long rowsBefore = rows();
        long cpuBefore = ProcStats.cpuMillis(pid);
        long pgBefore = ProcStats.postgresCpuMillis(PG_DATA);
        ProcStats.RssSampler rss = new ProcStats.RssSampler(pid);
        JsonNode w = wrk(target, url, auth, connections, seconds, "run");
        long cpu = ProcStats.cpuMillis(pid) - cpuBefore;
        long pg = ProcStats.postgresCpuMillis(PG_DATA) - pgBefore;
        long rssKb = rss.stop();
        long rowsAdded = rows() - rowsBefore;

        long requests = w.path("requests").asLong();
        double secondsRun = w.path("duration_us").asLong() / 1e6;
        ObjectNode run = json.createObjectNode();
        run.put("connections", connections);
        run.put("requests", requests);
        run.put("req_per_s", round1(requests / secondsRun));
        run.put("p50_ms", w.path("p50_us").asLong() / 1000.0);
        run.put("p90_ms", w.path("p90_us").asLong() / 1000.0);
        run.put("p99_ms", w.path("p99_us").asLong() / 1000.0);
        run.put("p999_ms", w.path("p999_us").asLong() / 1000.0);
        run.put("max_ms", w.path("max_us").asLong() / 1000.0);
        run.put("non2xx", w.path("non2xx").asLong());
        run.put("socket_errors", w.path("connect_errors").asLong() + w.path("read_errors").asLong()
                + w.path("write_errors").asLong() + w.path("timeouts").asLong());
        run.put("cpu_ms_per_req", requests == 0 ? 0 : Math.round(cpu * 1000.0 / requests) / 1000.0);
        run.put("pg_cpu_ms_per_req", requests == 0 || pgBefore < 0 ? -1 : Math.round(pg * 1000.0 / requests) / 1000.0);
        run.put("server_cpu_pct_of_core", round1(cpu / 10.0 / secondsRun));
        run.put("rss_max_mb", Math.round(rssKb / 1024.0));
        run.put("rows_added", rowsAdded);
        System.out.printf(Locale.ROOT, "simple flow, %s, %2d conn: %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  non-2xx %d"
                        + "  socket errors %d  cpu %.3f ms/req  rss %d MB  rows +%d%n", target, connections,
                run.path("req_per_s").asDouble(), run.path("p50_ms").asDouble(), run.path("p99_ms").asDouble(),
                run.path("non2xx").asLong(), run.path("socket_errors").asLong(), run.path("cpu_ms_per_req").asDouble(),
                run.path("rss_max_mb").asLong(), rowsAdded);
        return run;
    }

    /** Runs wrk once; its output goes to wrk-TARGET-cN-PHASE.txt; the figures of its WRK_RESULT line. */
    private JsonNode wrk(String target, String url, String auth, int connections, int duration, String phase)
            throws IOException, InterruptedException {
        int threads = Math.min(2, connections);
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + duration + "s",
                "--timeout", "10s", "--latency", "-s", LUA, url));
        Path log = logDir.resolve("wrk-" + target + "-c" + connections + "-" + phase + ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("BENCH_BODY", BODY);
        pb.environment().put("BENCH_AUTH", auth == null ? "" : auth);
        int exit = pb.start().waitFor();
        List<String> lines = Files.readAllLines(log);
        String result = lines.stream().filter(l -> l.startsWith("WRK_RESULT ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("wrk (exit " + exit + ") printed no result; see " + log));
        return json.readTree(result.substring("WRK_RESULT ".length()));
    }

    private long rows() throws SQLException {
        try (Connection c = db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from bench.simple_order")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Connection db() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
