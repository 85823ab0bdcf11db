package io.conduit.esb.bench.throughput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.faults.SuiteProcesses;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TopicDescription;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * The order handoff's throughput with one ESB instance and with two (replicas) against <b>one</b> set of
 * infrastructure (bench/replicas.sh, issue 17): PostgreSQL, Kafka and Artemis as a process each, started once (the
 * fault suite's {@link SuiteProcesses}), then
 * <ol>
 *   <li>one ESB instance (embedded brokers off, sandbox CRM/ERP/OA in it on the shared database), driven by
 *       {@link HandoffLoad} at stepped rates, then stopped;</li>
 *   <li>two instances, each its own port and data folder, the webhooks spread over both in turn (round robin, as a
 *       load balancer), the same warm-up and rates.</li>
 * </ol>
 * Per configuration besides HandoffLoad's figures: once every accepted order is acknowledged, the rows written per
 * order in each table (PostgreSQL's {@code pg_stat_user_tables} inserts + updates + deletes over the load, divided by
 * the orders in the ERP; other flows' background writes included), the journal's hops of one order (by its key), the
 * client connections open on the shared PostgreSQL, and the orders' Kafka topics and consumer groups (partitions,
 * members, partitions per member) as the broker describes them. Writes {@code results.json}, prints a table and as
 * the last line:
 * <pre>
 * replicas: one=&lt;orders/s&gt; two=&lt;orders/s&gt; ratio=&lt;two/one&gt; p99-one@R=&lt;ms&gt; p99-two@R=&lt;ms&gt; cpu-ms-per-order-one=.. two=..
 * </pre>
 * one, two: the highest rate that passed (every webhook 202, every order acknowledged within the drain, end-to-end p99
 * within {@code -Dload.e2e-limit-ms}); R: one's best rate if two ran it, else the highest rate both ran; the CPU per
 * order at R, of all ESB instances together (the brokers' JVMs and PostgreSQL in results.json).
 * <pre>
 * ReplicasBench JAR OUT_DIR RATES PHASE_S DRAIN_S MODE
 * </pre>
 * System properties as HandoffLoad's ({@code load.warmup-seconds}, {@code load.e2e-limit-ms}, {@code clk.tck}).
 */
public final class ReplicasBench {

    static final List<String> GROUPS = List.of("conduit-order-handoff-erp", "conduit-order-handoff-crm");
    static final List<String> TOPICS = List.of("conduit.orders.v1", "conduit.order-acks.v1");
    private static final Duration SETTLE = Duration.ofSeconds(20);

    private final ObjectMapper json = new ObjectMapper();
    private final SuiteProcesses processes;
    private final Path out;
    private final String[] loadArgs;

    private ReplicasBench(SuiteProcesses processes, Path out, String rates, String phaseSeconds, String drainSeconds) {
        this.processes = processes;
        this.out = out;
        this.loadArgs = new String[]{rates, phaseSeconds, drainSeconds};
    }

    public static void main(String[] args) throws Exception {
        // the Kafka admin client's INFO lines (its whole configuration) would bury the figures
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Path jar = Path.of(args[0]);
        Path out = Path.of(args[1]).toAbsolutePath();
        Path home = Path.of(".").toAbsolutePath().normalize();
        Path work = out.resolve("run");
        // HandoffLoad reads these once: the shared PostgreSQL's data folder (its CPU), no extra 1,000/s phase
        System.setProperty("pg.data", work.resolve("infra/postgres").toString());
        System.setProperty("load.skip-reference", "true");
        ObjectMapper json = new ObjectMapper();
        ObjectNode results = json.createObjectNode();
        results.put("mode", args[5]).put("date", OffsetDateTime.now().toString())
                .put("nproc", Runtime.getRuntime().availableProcessors())
                .put("cpu_model", Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                        .filter(l -> l.startsWith("model name")).map(l -> l.replaceFirst("^[^:]*:\\s*", ""))
                        .findFirst().orElse("unknown"))
                .put("e2e_limit_ms", Long.getLong("load.e2e-limit-ms", 100));
        try (SuiteProcesses processes = new SuiteProcesses(jar, home, work, List.of("--esb.cluster.type=postgres",
                "--esb.sandbox.crm.webhook-url=", "--esb.sandbox.crm.case-webhook-url="), 2)) {
            processes.startInfrastructure();
            log("PostgreSQL, Kafka and Artemis up, a process each: %s", processes.infrastructurePids());
            ReplicasBench bench = new ReplicasBench(processes, out, args[2], args[3], args[4]);
            results.set("one", bench.configuration(1));
            // the first configuration's figures survive a failure of the second
            Files.writeString(out.resolve("results.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(results));
            results.set("two", bench.configuration(2));
        }
        Files.writeString(out.resolve("results.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        report(results);
    }

    /** Starts {@code n} instances, settles, drives the load, takes the database's and Kafka's figures, stops them. */
    private ObjectNode configuration(int n) throws Exception {
        String name = n == 1 ? "one" : "two";
        ExecutorService starting = Executors.newFixedThreadPool(n);
        List<Future<Long>> ready = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int instance = i;
            ready.add(starting.submit(() -> processes.startEsb(instance)));
        }
        List<String> urls = new ArrayList<>();
        List<String> pids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            log("%s: ESB %d ready after %d ms (pid %d, %s)", name, i, ready.get(i).get(), processes.esbPid(i),
                    processes.baseUrl(i));
            urls.add(processes.baseUrl(i));
            pids.add(String.valueOf(processes.esbPid(i)));
        }
        starting.shutdown();
        await().pollDelay(SETTLE).atMost(SETTLE.plusSeconds(1)).until(() -> true);
        System.setProperty("load.infra-pids", processes.infrastructurePids().values().stream().map(String::valueOf)
                .collect(Collectors.joining(",")));

        ObjectNode result = json.createObjectNode();
        result.put("instances", n);
        try {
            load(name, urls, pids, result);
        } finally {
            for (int i = 0; i < n; i++) {
                log("%s: ESB %d stopped in %d ms", name, i, processes.stopEsb(i));
            }
        }
        return result;
    }

    /** The load on the started instances, and the figures beside it (an extra figure that fails is noted, not fatal). */
    private void load(String name, List<String> urls, List<String> pids, ObjectNode result) throws Exception {
        Map<String, long[]> before = tableWrites();
        Path handoff = out.resolve("handoff-" + name + ".json");
        HandoffLoad.main(new String[]{String.join(",", urls), String.join(",", pids), processes.jdbcUrl(),
                loadArgs[0], loadArgs[1], loadArgs[2], handoff.toString()});
        JsonNode load = json.readTree(handoff.toFile());
        result.set("handoff", load);

        // every accepted order through (a failed step leaves a backlog), then PostgreSQL's counters of the whole load
        long accepted = load.path("warmup").path("accepted_202").asLong();
        for (JsonNode step : load.path("steps")) {
            accepted += step.path("accepted_202").asLong();
        }
        String stem = load.path("warmup").path("prefix").asText().substring(0, 6);
        long orders = awaitAllAcknowledged(stem, accepted);
        try {
            extras(name, load, orders, before, result);
        } catch (Exception e) {
            log("%s: the figures beside the load failed: %s", name, e);
            result.put("extras_error", String.valueOf(e));
        }
    }

    private void extras(String name, JsonNode load, long orders, Map<String, long[]> before, ObjectNode result)
            throws SQLException {
        // a backend reports its table counters when it goes idle, at the latest after 10 s
        await().pollDelay(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(13)).until(() -> true);
        Map<String, long[]> after = tableWrites();
        ObjectNode writes = result.putObject("rows_written_per_order");
        writes.put("orders", orders);
        double total = 0;
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[3]);
            long[] a = e.getValue();
            long ins = a[0] - b[0], upd = a[1] - b[1], del = a[2] - b[2];
            if (ins + upd + del > 0 && orders > 0) {
                writes.putObject(e.getKey()).put("inserts", round2((double) ins / orders))
                        .put("updates", round2((double) upd / orders)).put("deletes", round2((double) del / orders));
                total += (double) (ins + upd + del) / orders;
            }
        }
        writes.put("total", round2(total));
        result.set("journal_hops_of_one_order", journalHops(load.path("steps").path(0).path("prefix").asText() + "0"));
        result.put("postgres_client_connections", clientConnections());
        result.set("kafka", kafka());
        log("%s: %s rows written per order (journal %s), %d connections on PostgreSQL, Kafka %s", name,
                writes.path("total"), writes.path("esb.journal_entry"), result.path("postgres_client_connections").asLong(),
                result.path("kafka"));
    }

    private long awaitAllAcknowledged(String stem, long accepted) throws SQLException {
        long[] last = {-1, System.nanoTime()};
        try {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                long acked = count("select count(distinct opportunity_id) from sandbox_crm.erp_status_history"
                        + " where opportunity_id like ?", stem + "%");
                if (acked != last[0]) {
                    last[0] = acked;
                    last[1] = System.nanoTime();
                }
                return acked >= accepted || System.nanoTime() - last[1] > TimeUnit.SECONDS.toNanos(15);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            log("not every accepted order was acknowledged within 5 minutes after the load");
        }
        return count("select count(*) from erp.so_stage_hdr where ext_ref like ?", stem + "%");
    }

    /** Inserts, updates and deletes per table since the statistics were reset, from pg_stat_user_tables. */
    private Map<String, long[]> tableWrites() throws SQLException {
        Map<String, long[]> writes = new TreeMap<>();
        try (Connection c = db(); PreparedStatement q = c.prepareStatement(
                "select schemaname || '.' || relname, n_tup_ins, n_tup_upd, n_tup_del from pg_stat_user_tables");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                writes.put(rs.getString(1), new long[]{rs.getLong(2), rs.getLong(3), rs.getLong(4)});
            }
        }
        return writes;
    }

    /** The journal's rows of one order's correlation ids (found by its CRM id), counted by route and hop. */
    private ObjectNode journalHops(String opportunityId) throws SQLException {
        ObjectNode hops = json.createObjectNode();
        hops.put("order", opportunityId);
        long total = 0;
        try (Connection c = db(); PreparedStatement q = c.prepareStatement("""
                select coalesce(route_id, '-') || ' ' || hop, count(*) from esb.journal_entry where correlation_id in
                    (select correlation_id from esb.journal_entry where key_values @> ARRAY[CAST(? AS text)])
                group by 1 order by 1""")) {
            q.setString(1, opportunityId);
            try (ResultSet rs = q.executeQuery()) {
                ObjectNode by = hops.putObject("by_route_and_hop");
                while (rs.next()) {
                    by.put(rs.getString(1), rs.getLong(2));
                    total += rs.getLong(2);
                }
            }
        }
        hops.put("rows", total);
        return hops;
    }

    private long clientConnections() throws SQLException {
        // without this query's own connection
        return count("select count(*) - 1 from pg_stat_activity where backend_type = 'client backend'");
    }

    /** The orders' topics (partitions) and consumer groups (members, partitions per member), as the broker has them. */
    private ObjectNode kafka() {
        ObjectNode k = json.createObjectNode();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                processes.infrastructure().get("KAFKA_BOOTSTRAP_SERVERS")))) {
            for (Map.Entry<String, TopicDescription> t : admin.describeTopics(TOPICS).allTopicNames()
                    .get(30, TimeUnit.SECONDS).entrySet()) {
                k.put(t.getKey() + " partitions", t.getValue().partitions().size());
            }
            for (Map.Entry<String, ConsumerGroupDescription> g : admin.describeConsumerGroups(GROUPS).all()
                    .get(30, TimeUnit.SECONDS).entrySet()) {
                ObjectNode group = k.putObject(g.getKey());
                group.put("members", g.getValue().members().size());
                ArrayNode per = group.putArray("partitions_per_member");
                new TreeSet<>(g.getValue().members().stream().map(MemberDescription::assignment)
                        .map(a -> a.topicPartitions().size()).toList()).forEach(per::add);
            }
        } catch (Exception e) {
            k.put("error", String.valueOf(e));
        }
        return k;
    }

    private long count(String sql, String... parameters) throws SQLException {
        try (Connection c = db(); PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                q.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Connection db() throws SQLException {
        return DriverManager.getConnection(processes.jdbcUrl(), "postgres", "postgres");
    }

    /** The table per rate, and the summary line. */
    static void report(JsonNode results) {
        JsonNode one = results.path("one").path("handoff");
        JsonNode two = results.path("two").path("handoff");
        Map<Integer, JsonNode[]> byRate = new TreeMap<>();
        for (JsonNode step : one.path("steps")) {
            byRate.computeIfAbsent(step.path("rate").asInt(), r -> new JsonNode[2])[0] = step;
        }
        for (JsonNode step : two.path("steps")) {
            byRate.computeIfAbsent(step.path("rate").asInt(), r -> new JsonNode[2])[1] = step;
        }
        System.out.printf(Locale.ROOT, "%n%-8s | %-52s | %-52s%n", "orders/s",
                "1 instance: e2e p50 / p99, cpu ms/order esb+infra+pg", "2 instances: the same");
        byRate.forEach((rate, steps) -> System.out.printf(Locale.ROOT, "%-8d | %-52s | %-52s%n", rate, cell(steps[0]),
                cell(steps[1])));
        int bestOne = one.path("best_rate").asInt();
        int bestTwo = two.path("best_rate").asInt();
        int r = byRate.containsKey(bestOne) && byRate.get(bestOne)[1] != null ? bestOne
                : byRate.entrySet().stream().filter(e -> e.getValue()[0] != null && e.getValue()[1] != null)
                .mapToInt(Map.Entry::getKey).max().orElse(0);
        JsonNode[] atR = byRate.getOrDefault(r, new JsonNode[2]);
        JsonNode writes1 = results.path("one").path("rows_written_per_order");
        JsonNode writes2 = results.path("two").path("rows_written_per_order");
        System.out.printf(Locale.ROOT, "rows written per order: one %s (journal %s), two %s (journal %s); journal hops of"
                        + " one order: %d / %d; connections on PostgreSQL: %d / %d%n",
                writes1.path("total"), writes1.path("esb.journal_entry").path("inserts"), writes2.path("total"),
                writes2.path("esb.journal_entry").path("inserts"),
                results.path("one").path("journal_hops_of_one_order").path("rows").asLong(),
                results.path("two").path("journal_hops_of_one_order").path("rows").asLong(),
                results.path("one").path("postgres_client_connections").asLong(),
                results.path("two").path("postgres_client_connections").asLong());
        System.out.printf(Locale.ROOT, "replicas (%s, %d cores, p99 bound %d ms): see target/replicas/results.json%n",
                results.path("mode").asText(), results.path("nproc").asInt(), results.path("e2e_limit_ms").asLong());
        System.out.printf(Locale.ROOT, "replicas: one=%d two=%d ratio=%.2f p99-one@%d=%s p99-two@%d=%s"
                        + " cpu-ms-per-order-one=%s two=%s%n", bestOne, bestTwo,
                bestOne == 0 ? 0.0 : (double) bestTwo / bestOne, r, p99(atR[0]), r, p99(atR[1]), cpu(atR[0]),
                cpu(atR[1]));
    }

    private static String cell(JsonNode step) {
        if (step == null) {
            return "-";
        }
        JsonNode e2e = step.path("end_to_end_incl_incomplete_at_bound_ms");
        return String.format(Locale.ROOT, "%.1f / %.1f ms, %.1f+%.1f+%.1f %s", e2e.path("p50").asDouble(),
                e2e.path("p99").asDouble(), step.path("cpu_ms_per_order").asDouble(),
                step.path("infra_cpu_ms_per_order").asDouble(), step.path("pg_cpu_ms_per_order").asDouble(),
                step.path("passed").asBoolean() ? "pass" : step.path("acknowledged").asLong()
                        == step.path("orders").asLong() ? "FAIL" : "FAIL (" + step.path("acknowledged").asLong() + "/"
                        + step.path("orders").asLong() + " acked)");
    }

    private static String p99(JsonNode step) {
        return step == null ? "n/a" : String.format(Locale.ROOT, "%.1f",
                step.path("end_to_end_incl_incomplete_at_bound_ms").path("p99").asDouble());
    }

    private static String cpu(JsonNode step) {
        return step == null ? "n/a" : String.format(Locale.ROOT, "%.2f", step.path("cpu_ms_per_order").asDouble());
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "replicas: " + format + "%n", args);
    }
}
