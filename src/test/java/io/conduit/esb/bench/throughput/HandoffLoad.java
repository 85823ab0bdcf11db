package io.conduit.esb.bench.throughput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.support.Sandbox;
import org.HdrHistogram.Histogram;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The full order handoff of the throughput benchmark (bench/throughput.sh), driven as an <b>open model</b>: CRM
 * "closed won" webhooks arrive at a fixed rate whatever the ESB does with them, and every latency is measured from
 * the time the webhook was due (t_i = t0 + i / rate), so a stall of the ESB - or of this driver - shows in the
 * figures instead of slowing the arrivals down.
 * <p>
 * Per rate phase: the opportunities are created beforehand by SQL in {@code sandbox_crm.opportunity} (stage Closed
 * Won, so the ESB's acknowledgement PATCH finds them), then the webhooks are posted to
 * {@code /api/v1/crm/webhooks/opportunity-won}, each body unique and signed as the CRM signs it (X-Timestamp, X-Signature
 * sha256=HMAC-SHA256(secret, "ts.body")), by one pacing thread handing them to {@code HttpClient.sendAsync} (HTTP/1.1;
 * at most 256 in flight, as from a sender's connection pool, {@code -Dload.connections}; sends more than 10 ms behind
 * their due time are counted as late). Then it waits, at most DRAIN_S seconds, until
 * every accepted order has its ERP row ({@code erp.so_stage_hdr}, crt_ts: the ERP transaction's start) and its first
 * acknowledgement in the CRM ({@code sandbox_crm.erp_status_history.received_at}), and computes per order, in
 * HdrHistogram: 202 latency, webhook due -> ERP row, webhook due -> acknowledgement in the CRM (end to end); database
 * and driver share this machine's clock. Also per phase: CPU ms per order of the ESB process ({@code /proc} delta
 * over sending and drain / orders acknowledged), its largest RSS, and the Kafka producers' batch figures the ESB
 * exposes (Actuator metrics, else JMX through its Jolokia endpoint, else "n/a"); the embedded PostgreSQL's CPU ms
 * per order besides (postmaster and backends, {@code -Dpg.data=DIR}; it includes this driver's few queries).
 * <p>
 * A warm-up phase (50/s, {@code -Dload.warmup-rate}; {@code -Dload.warmup-seconds}, default 30) first, then the rates step up; a step passes when every webhook got 202, every order was
 * acknowledged within the bound and the end-to-end p99 is at most 100 ms. The highest passing rate is the result;
 * stepping stops after the first failing step. A 1,000/s phase is always run (or taken from the steps), reported as
 * measured even when it saturates the ESB ({@code -Dload.skip-reference=true}: not). Writes {@code handoff.json}.
 * <p>
 * Several instances (bench/replicas.sh, {@link ReplicasBench}): BASE_URL and ESB_PID may each be a comma-separated
 * list; webhook i goes to base URL i mod n (round robin, as a load balancer spreads them), the CPU per order is that
 * of all the listed processes together (and per process in {@code cpu_ms_per_order_by_pid}), the RSS their sum.
 * {@code -Dload.e2e-limit-ms} moves the p99 bound (default 100); {@code -Dload.infra-pids} (comma-separated) adds the
 * CPU per order of those processes (the brokers' JVMs) as {@code infra_cpu_ms_per_order}.
 * <pre>
 * HandoffLoad BASE_URL[,BASE_URL..] ESB_PID[,ESB_PID..] JDBC_URL RATES(comma-separated) PHASE_S DRAIN_S OUT_JSON
 * </pre>
 */
public final class HandoffLoad {

    static final String CRM_SECRET = "dev-crm-webhook-secret";
    private static final String PATH = "/api/v1/crm/webhooks/opportunity-won";
    private static final long E2E_LIMIT_MS = Long.getLong("load.e2e-limit-ms", 100);
    private static final long LATE_NANOS = 10_000_000L;
    private static final int REFERENCE_RATE = 1000;
    private static final Path PG_DATA = Path.of(System.getProperty("pg.data", "target/throughput/data/postgres"));
    private static final String OPERATOR = "Basic " + Base64.getEncoder()
            .encodeToString("operator:operator".getBytes(StandardCharsets.UTF_8));

    private final ObjectMapper json = new ObjectMapper();
    private final String[] baseUrls;
    private final long[] esbPids;
    private final long[] infraPids = Arrays.stream(System.getProperty("load.infra-pids", "").split(","))
            .filter(p -> !p.isBlank()).mapToLong(p -> Long.parseLong(p.trim())).toArray();
    private final String jdbcUrl;
    private final int drainSeconds;
    private final String run = UUID.randomUUID().toString().substring(0, 4).toUpperCase(Locale.ROOT);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /** Webhooks in flight at most: the sender's connection pool ({@code -Dload.connections}, default 256). */
    private final Semaphore inFlight = new Semaphore(Integer.getInteger("load.connections", 256));
    private final String closeDate = LocalDate.now().toString();
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(() -> {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(CRM_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    });

    private HandoffLoad(String baseUrls, String esbPids, String jdbcUrl, int drainSeconds) {
        this.baseUrls = baseUrls.split(",");
        this.esbPids = Arrays.stream(esbPids.split(",")).mapToLong(p -> Long.parseLong(p.trim())).toArray();
        this.jdbcUrl = jdbcUrl;
        this.drainSeconds = drainSeconds;
    }

    public static void main(String[] args) throws Exception {
        HandoffLoad load = new HandoffLoad(args[0], args[1], args[2], Integer.parseInt(args[5]));
        int[] rates = Arrays.stream(args[3].split(",")).mapToInt(r -> Integer.parseInt(r.trim())).toArray();
        int seconds = Integer.parseInt(args[4]);
        Path out = Path.of(args[6]);

        ObjectNode result = load.json.createObjectNode();
        result.put("phase_s", seconds).put("instances", load.baseUrls.length).put("e2e_limit_ms", E2E_LIMIT_MS).put("drain_bound_s", load.drainSeconds)
                .put("pass_rule", "every webhook 202, every order acknowledged in the CRM within the bound, "
                        + "end-to-end p99 <= " + E2E_LIMIT_MS + " ms");
        // a fresh JVM compiles its hot paths during the first minutes of traffic: 50/s, not counted
        Phase warmup = load.phase("W", Integer.getInteger("load.warmup-rate", 50),
                Integer.getInteger("load.warmup-seconds", 30));
        result.set("warmup", warmup.json);

        ArrayNode steps = result.putArray("steps");
        int best = 0;
        Phase at1000 = null;
        Phase last = warmup;
        for (int rate : rates) {
            load.awaitBacklog(last);
            Phase step = load.phase("R", rate, seconds);
            steps.add(step.json);
            last = step;
            if (rate == REFERENCE_RATE) {
                at1000 = step;
            }
            if (!step.passed) {
                result.put("first_failing_rate", rate);
                break;
            }
            best = rate;
        }
        result.put("best_rate", best);
        if (at1000 == null && !Boolean.getBoolean("load.skip-reference")) {
            load.awaitBacklog(last);
            at1000 = load.phase("K", REFERENCE_RATE, seconds);
        }
        if (at1000 != null) {
            result.set("at1000", at1000.json);
        }
        Files.writeString(out, load.json.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        System.out.println("handoff: best rate with every order acknowledged and e2e p99 <= " + E2E_LIMIT_MS
                + " ms: " + best + "/s");
    }

    /** One phase at a fixed arrival rate, its drain and its figures. */
    private Phase phase(String kind, int rate, int seconds) throws Exception {
        int n = rate * seconds;
        String prefix = "BT" + run + kind + rate + "-";
        createOpportunities(prefix, n);

        int[] status = new int[n];
        long[] acceptNanos = new long[n];
        Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
        CompletableFuture<?>[] answers = new CompletableFuture<?>[n];
        long late = 0;
        long maxLateNanos = 0;

        long[] cpuBefore = cpuMillis(esbPids);
        long[] infraBefore = cpuMillis(infraPids);
        long pgBefore = ProcStats.postgresCpuMillis(PG_DATA);
        ProcStats.RssSampler[] rss = Arrays.stream(esbPids).mapToObj(ProcStats.RssSampler::new)
                .toArray(ProcStats.RssSampler[]::new);
        Instant wallNow = Instant.now();
        long nanoNow = System.nanoTime();
        long t0 = nanoNow + 50_000_000L;
        long wallStartMicros = wallNow.getEpochSecond() * 1_000_000L + wallNow.getNano() / 1000 + 50_000L;
        for (int i = 0; i < n; i++) {
            long due = t0 + (long) (i * 1e9 / rate);
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            if (now - due > LATE_NANOS) {
                late++;
            }
            int index = i;
            // a CRM sends from a bounded pool of connections: with all of them waiting for answers, the next webhook
            // waits here (its latency still counts from its due time)
            inFlight.acquireUninterruptibly();
            maxLateNanos = Math.max(maxLateNanos, System.nanoTime() - due);
            answers[i] = http.sendAsync(signedRequest(prefix, i), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> {
                        inFlight.release();
                        acceptNanos[index] = System.nanoTime() - due;
                        if (response != null) {
                            status[index] = response.statusCode();
                            if (response.statusCode() != 202) {
                                failures.computeIfAbsent(String.valueOf(response.statusCode()), x -> new AtomicLong())
                                        .incrementAndGet();
                            }
                        } else {
                            status[index] = -1;
                            Throwable cause = error.getCause() != null ? error.getCause() : error;
                            failures.computeIfAbsent(cause.getClass().getSimpleName(), x -> new AtomicLong())
                                    .incrementAndGet();
                        }
                    });
        }
        long sendEnd = System.nanoTime();
        JsonNode batches = kafkaBatchFigures();
        try {
            CompletableFuture.allOf(answers).get(60, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            // counted per request below (status 0: no answer yet)
        }
        long accepted = Arrays.stream(status).filter(s -> s == 202).count();
        long noAnswer = Arrays.stream(status).filter(s -> s == 0).count();
        if (noAnswer > 0) {
            failures.put("no answer within 60 s", new AtomicLong(noAnswer));
        }

        // drain: until every accepted order has its ERP row and its acknowledgement in the CRM, or the bound
        long drainDeadline = sendEnd + drainSeconds * 1_000_000_000L;
        awaitAcknowledged(prefix, n, accepted, drainDeadline);
        long drainEnd = System.nanoTime();
        long[] cpuAfter = cpuMillis(esbPids);
        long[] cpuByPid = new long[esbPids.length];
        for (int i = 0; i < esbPids.length; i++) {
            cpuByPid[i] = cpuAfter[i] - cpuBefore[i];
        }
        long cpu = Arrays.stream(cpuByPid).sum();
        long infra = Arrays.stream(cpuMillis(infraPids)).sum() - Arrays.stream(infraBefore).sum();
        long pg = ProcStats.postgresCpuMillis(PG_DATA) - pgBefore;
        long rssKb = Arrays.stream(rss).mapToLong(ProcStats.RssSampler::stop).sum();

        Histogram accept = new Histogram(3_600_000_000L, 3);
        for (int i = 0; i < n; i++) {
            if (status[i] == 202) {
                accept.recordValue(Math.max(0, acceptNanos[i] / 1000));
            }
        }
        Histogram erp = new Histogram(3_600_000_000L, 3);
        Histogram ack = new Histogram(3_600_000_000L, 3);
        long[] lastAckMicros = {0};
        boolean[] acknowledged = new boolean[n];
        try (Connection c = db()) {
            timestamps(c, "select ext_ref, crt_ts from erp.so_stage_hdr where ext_ref like ?", prefix, rate,
                    wallStartMicros, erp, null, new boolean[n]);
            timestamps(c, "select opportunity_id, min(received_at) from sandbox_crm.erp_status_history"
                    + " where opportunity_id like ? group by opportunity_id", prefix, rate, wallStartMicros, ack,
                    lastAckMicros, acknowledged);
        }
        // orders not acknowledged by the bound (accepted or not) count at the bound (a lower bound of their latency), so
        // a saturated phase's percentiles are not those of the orders that happened to get through
        Histogram ackCensored = ack.copy();
        long drainEndMicros = wallStartMicros + (drainEnd - t0) / 1000;
        for (int i = 0; i < n; i++) {
            if (!acknowledged[i]) {
                ackCensored.recordValue(Math.max(0, drainEndMicros - (wallStartMicros + (long) (i * 1e6 / rate))));
            }
        }

        Phase phase = new Phase();
        phase.prefix = prefix;
        phase.accepted = accepted;
        phase.orders = n;
        ObjectNode p = json.createObjectNode();
        p.put("rate", rate).put("prefix", prefix).put("seconds", seconds).put("orders", n).put("accepted_202", accepted);
        ObjectNode refused = p.putObject("not_accepted");
        new TreeMap<>(failures).forEach((k, v) -> refused.put(k, v.get()));
        p.put("late_sends_over_10ms", late).put("max_send_lateness_ms", round1(maxLateNanos / 1e6));
        p.put("achieved_send_rate", round1(n / ((sendEnd - t0) / 1e9)));
        p.put("erp_rows", erp.getTotalCount()).put("acknowledged", ack.getTotalCount());
        p.put("incomplete_at_bound", n - ack.getTotalCount());
        p.put("drain_s", round1((drainEnd - sendEnd) / 1e9));
        p.put("acknowledged_per_s", lastAckMicros[0] == 0 ? 0
                : round1(ack.getTotalCount() / ((lastAckMicros[0] - wallStartMicros) / 1e6)));
        p.set("accept_202_ms", summary(accept));
        p.set("to_erp_ms", summary(erp));
        p.set("end_to_end_ms", summary(ack));
        p.set("end_to_end_incl_incomplete_at_bound_ms", summary(ackCensored));
        p.put("cpu_ms_per_order", ack.getTotalCount() == 0 ? 0 : round3((double) cpu / ack.getTotalCount()));
        if (esbPids.length > 1) {
            ArrayNode byPid = p.putArray("cpu_ms_per_order_by_pid");
            for (long c : cpuByPid) {
                byPid.add(ack.getTotalCount() == 0 ? 0 : round3((double) c / ack.getTotalCount()));
            }
        }
        if (infraPids.length > 0) {
            p.put("infra_cpu_ms_per_order", ack.getTotalCount() == 0 ? 0 : round3((double) infra / ack.getTotalCount()));
        }
        p.put("pg_cpu_ms_per_order", ack.getTotalCount() == 0 || pgBefore < 0 ? -1
                : round3((double) pg / ack.getTotalCount()));
        p.put("esb_cpu_pct_of_core", round1(cpu / 10.0 / ((drainEnd - t0) / 1e9)));
        p.put("rss_max_mb", Math.round(rssKb / 1024.0));
        p.set("kafka_producer_batches", batches);
        phase.passed = accepted == n && ack.getTotalCount() == n
                && ack.getValueAtPercentile(99) <= E2E_LIMIT_MS * 1000;
        p.put("passed", phase.passed);
        phase.json = p;
        System.out.printf(Locale.ROOT, "handoff %5d/s x %ds: 202 %d/%d (late sends %d), acknowledged %d, e2e p50 %.1f"
                        + " p99 %.1f p99.9 %.1f ms, drain %.1f s, %.2f cpu ms/order, rss %d MB -> %s%n", rate, seconds,
                accepted, n, late, ack.getTotalCount(), ackCensored.getValueAtPercentile(50) / 1000.0,
                ackCensored.getValueAtPercentile(99) / 1000.0, ackCensored.getValueAtPercentile(99.9) / 1000.0,
                (drainEnd - sendEnd) / 1e9, p.path("cpu_ms_per_order").asDouble(), p.path("rss_max_mb").asLong(),
                kind.equals("W") ? "warm-up" : phase.passed ? "pass" : "FAIL");
        return phase;
    }

    /**
     * Waits until all n orders are acknowledged in the CRM, or the accepted ones are and the count stood still for
     * 3 s (a webhook that got no 202 may still have been taken), or the deadline; true unless the deadline came.
     */
    private boolean awaitAcknowledged(String prefix, long n, long accepted, long deadline) {
        long[] last = {-1, System.nanoTime()}; // count seen last, and since when
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            Awaitility.await().atMost(Duration.ofNanos(left)).pollInterval(Duration.ofMillis(500)).until(() -> {
                long acked = completedCounts(prefix)[1];
                if (acked != last[0]) {
                    last[0] = acked;
                    last[1] = System.nanoTime();
                }
                return acked >= n || (acked >= accepted && System.nanoTime() - last[1] > 3_000_000_000L);
            });
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** Before the next phase, the previous one's backlog (orders accepted, not yet acknowledged) gets another bound. */
    private void awaitBacklog(Phase previous) throws Exception {
        if (!awaitAcknowledged(previous.prefix, previous.orders, previous.accepted,
                System.nanoTime() + drainSeconds * 1_000_000_000L)) {
            System.out.println("handoff: the previous phase's backlog was still not through after another "
                    + drainSeconds + " s; the next phase starts on top of it");
        }
    }

    private HttpRequest signedRequest(String prefix, int i) {
        String id = prefix + i;
        String body = ("{\"eventId\":\"bt-%s\",\"eventType\":\"opportunity.closed_won\",\"occurredAt\":\"%s\","
                + "\"data\":{\"opportunityId\":\"%s\",\"accountNo\":\"ACC-204\",\"accountName\":\"Acme GmbH\","
                + "\"currencyCode\":\"EUR\",\"amount\":\"1234.50\",\"closeDate\":\"%s\",\"deliveryDate\":\"%s\","
                + "\"stage\":\"Closed Won\",\"revision\":1,\"products\":["
                + "{\"lineNo\":1,\"sku\":\"P-100\",\"productName\":\"Steel bracket\",\"qty\":\"10\",\"unitPrice\":\"100.00\"},"
                + "{\"lineNo\":2,\"sku\":\"P-200\",\"productName\":\"Bolt set\",\"qty\":\"5\",\"unitPrice\":\"46.90\"}],"
                + "\"erpOrderNo\":null,\"erpStatus\":null,\"erpSyncedAt\":null}}")
                .formatted(id, Instant.now(), id, closeDate, Sandbox.deliveryDate());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String ts = String.valueOf(Instant.now().getEpochSecond());
        Mac mac = macs.get();
        mac.update((ts + ".").getBytes(StandardCharsets.UTF_8));
        String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(bytes));
        return HttpRequest.newBuilder(URI.create(baseUrls[i % baseUrls.length] + PATH)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Timestamp", ts).header("X-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
    }

    /** The phase's opportunities, won, as the CRM holds them when it sends the webhook (one statement). */
    private void createOpportunities(String prefix, int n) throws SQLException {
        try (Connection c = db(); PreparedStatement insert = c.prepareStatement("""
                insert into sandbox_crm.opportunity (opportunity_id, account_no, account_name, currency_code, amount,
                    close_date, delivery_date, stage, revision, products)
                select ? || g, 'ACC-204', 'Acme GmbH', 'EUR', 1234.50, current_date, current_date + 30, 'Closed Won', 1,
                    '[{"lineNo":1,"sku":"P-100","productName":"Steel bracket","qty":"10","unitPrice":"100.00"},
                      {"lineNo":2,"sku":"P-200","productName":"Bolt set","qty":"5","unitPrice":"46.90"}]'::jsonb
                from generate_series(0, ? - 1) g""")) {
            insert.setString(1, prefix);
            insert.setInt(2, n);
            insert.executeUpdate();
        }
    }

    /** ERP rows and CRM acknowledgements (distinct orders) of the phase so far. */
    private long[] completedCounts(String prefix) throws SQLException {
        try (Connection c = db(); PreparedStatement q = c.prepareStatement("""
                select (select count(*) from erp.so_stage_hdr where ext_ref like ?),
                       (select count(distinct opportunity_id) from sandbox_crm.erp_status_history
                        where opportunity_id like ?)""")) {
            q.setString(1, prefix + "%");
            q.setString(2, prefix + "%");
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return new long[]{rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    /** Records, per order, its timestamp minus its webhook's due time (microseconds) into the histogram. */
    private static void timestamps(Connection c, String sql, String prefix, int rate, long wallStartMicros,
                                   Histogram into, long[] latestMicros, boolean[] seen) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, prefix + "%");
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    int i = Integer.parseInt(rs.getString(1).substring(prefix.length()));
                    seen[i] = true;
                    Timestamp at = rs.getTimestamp(2);
                    long micros = at.getTime() / 1000 * 1_000_000L + at.getNanos() / 1000;
                    long due = wallStartMicros + (long) (i * 1e6 / rate);
                    into.recordValue(Math.max(0, micros - due));
                    if (latestMicros != null) {
                        latestMicros[0] = Math.max(latestMicros[0], micros);
                    }
                }
            }
        }
    }

    /**
     * The Kafka producers' batch size and records per request as the ESB exposes them: Actuator metrics whose name
     * holds "kafka" and "batch" or "records.per.request"; else the producers' own JMX figures through the ESB's
     * Jolokia endpoint (Kafka's windowed averages, about the last 30-60 s); else "n/a".
     */
    private JsonNode kafkaBatchFigures() {
        ObjectNode figures = json.createObjectNode();
        try {
            JsonNode names = get("/actuator/metrics").path("names");
            for (JsonNode name : names) {
                String n = name.asText();
                if (n.contains("kafka") && (n.contains("batch") || n.contains("records.per.request")
                        || n.contains("records-per-request"))) {
                    figures.put("source", "actuator metrics");
                    ArrayNode values = figures.withArray(n);
                    for (JsonNode m : get("/actuator/metrics/" + n).path("measurements")) {
                        values.add(m);
                    }
                }
            }
            if (!figures.has("source")) {
                String mbean = "kafka.producer:type=producer-metrics,client-id=*";
                JsonNode read = get("/actuator/jolokia/read/" + mbean);
                if (read.path("status").asInt() == 200 && read.path("value").size() > 0) {
                    figures.put("source", "jolokia JMX " + mbean);
                    read.path("value").fields().forEachRemaining(e -> {
                        if (e.getValue().path("batch-size-avg").isNull()
                                || e.getValue().path("batch-size-avg").isMissingNode()) {
                            return; // a producer that sent nothing in Kafka's window
                        }
                        ObjectNode producer = figures.putObject(e.getKey().replaceAll(".*client-id=", "client-id="));
                        for (String attribute : new String[]{"batch-size-avg", "records-per-request-avg",
                                "record-send-rate", "request-rate"}) {
                            producer.set(attribute, e.getValue().path(attribute));
                        }
                    });
                }
            }
        } catch (Exception e) {
            figures.put("error", String.valueOf(e));
        }
        if (!figures.has("source")) {
            figures.put("source", "n/a");
        }
        return figures;
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(baseUrls[0] + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", OPERATOR).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode());
        }
        return json.readTree(r.body());
    }

    private static long[] cpuMillis(long[] pids) {
        return Arrays.stream(pids).map(ProcStats::cpuMillis).toArray();
    }

    private ObjectNode summary(Histogram h) {
        ObjectNode s = json.createObjectNode();
        s.put("count", h.getTotalCount());
        s.put("p50", h.getValueAtPercentile(50) / 1000.0);
        s.put("p90", h.getValueAtPercentile(90) / 1000.0);
        s.put("p99", h.getValueAtPercentile(99) / 1000.0);
        s.put("p999", h.getValueAtPercentile(99.9) / 1000.0);
        s.put("max", h.getMaxValue() / 1000.0);
        return s;
    }

    private Connection db() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** A phase's figures and what the next phase needs to know of it. */
    private static final class Phase {
        String prefix;
        long accepted;
        long orders;
        boolean passed;
        ObjectNode json;
    }
}
