package io.conduit.esb.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.faults.OrderJourneys.OrderState;
import io.conduit.esb.faults.SuiteProcesses.Service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The fault suite: N orders through the order handoff, driven as a retrying CRM would, while the suite restarts the
 * Kafka broker and the Artemis broker, takes the ERP away for 30 s, makes the CRM fail 10 % of the ESB's calls and
 * time out 5 %, and kills the ESB with SIGKILL three times. Then it lets everything settle, replays what is parked,
 * and checks order by order (see {@link OrderJourneys}). It ends with one line:
 * <pre>
 * fault-suite: accepted=N erp-exactly-once=N crm-latest=N lost=0 duplicated=0 stale=0 parked=0
 * </pre>
 * Every part is a process of its own from the ESB's jar ({@link SuiteProcesses}): nothing is mocked, the ESB runs
 * as in production against its own PostgreSQL, Kafka and Artemis, with the sandbox systems in it.
 * <p>
 * Run by {@code bench/fault-suite.sh [--orders N] [--rate R]}; a small run is {@code FaultSuiteIT} in
 * {@code mvn verify}. The faults fire when a given share of the orders has been started, so a small run gets all of
 * them too.
 */
public final class FaultSuite {

    /** How a run goes. */
    public record Options(int orders, double ratePerSecond, int erpDownSeconds, double crmErrorRate,
                          double crmTimeoutRate, int kills, Path jar, Path home, Path work) {

        public static Options defaults(Path jar, Path home, Path work) {
            return new Options(300, 20, 30, 0.10, 0.05, 3, jar, home, work);
        }

        public Options withOrders(int orders, double ratePerSecond) {
            return new Options(orders, ratePerSecond, erpDownSeconds, crmErrorRate, crmTimeoutRate, kills, jar, home,
                    work);
        }
    }

    /** The counts of the final line, and what it took to get there. */
    public record Result(int orders, int accepted, int notAccepted, int erpExactlyOnce, int crmLatest, int lost,
                         int duplicated, int stale, int parked, int parkedBeforeReplay, int replayed, long retries,
                         double seconds) {

        public String line() {
            return String.format(Locale.ROOT, "fault-suite: accepted=%d erp-exactly-once=%d crm-latest=%d lost=%d "
                    + "duplicated=%d stale=%d parked=%d", accepted, erpExactlyOnce, crmLatest, lost, duplicated, stale,
                    parked);
        }

        public boolean passed() {
            return accepted == orders && erpExactlyOnce == accepted && crmLatest == accepted && lost == 0
                    && duplicated == 0 && stale == 0 && parked == 0;
        }
    }

    private static final Duration SETTLE_LIMIT = Duration.ofMinutes(20);
    private static final Duration QUIET = Duration.ofSeconds(20);

    private final Options options;
    private final SuiteProcesses processes;
    private final OrderJourneys orders;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final long started = System.nanoTime();
    private final String run = UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT);

    private FaultSuite(Options options) {
        this.options = options;
        // the sandbox CRM's own webhook sender is off: the suite is the CRM, and it retries until 202
        this.processes = new SuiteProcesses(options.jar(), options.home(), options.work(),
                List.of("--esb.sandbox.crm.webhook-url="));
        this.orders = new OrderJourneys(processes.baseUrl(), run);
    }

    public static Result run(Options options) throws Exception {
        FaultSuite suite = new FaultSuite(options);
        try (SuiteProcesses processes = suite.processes) {
            return suite.execute();
        }
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(".").toAbsolutePath().normalize();
        Options options = Options.defaults(jar(home), home, home.resolve("target/fault-suite"));
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--orders" -> options = options.withOrders(Integer.parseInt(args[i + 1]), options.ratePerSecond());
                case "--rate" -> options = options.withOrders(options.orders(), Double.parseDouble(args[i + 1]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--orders N, --rate ORDERS_PER_SECOND)");
            }
        }
        Result result = run(options);
        System.out.println(result.line());
        System.exit(result.passed() ? 0 : 1);
    }

    /** The ESB's executable jar in {@code target/}. */
    public static Path jar(Path home) throws IOException {
        try (var files = Files.list(home.resolve("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("conduit-esb-.*\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("build the jar first: mvn -DskipTests package"));
        }
    }

    private Result execute() throws Exception {
        log("run %s: %d orders at %.0f/s; ERP away %d s, CRM failing %.0f %% and timing out %.0f %%, %d kills",
                run, options.orders(), options.ratePerSecond(), options.erpDownSeconds(), options.crmErrorRate() * 100,
                options.crmTimeoutRate() * 100, options.kills());
        processes.startInfrastructure();
        log("PostgreSQL, Kafka and Artemis up (a process each)");
        log("ESB ready after %d ms", processes.startEsb());
        crmFaults(true);

        AtomicInteger startedOrders = new AtomicInteger();
        Thread faults = new Thread(() -> injectFaults(startedOrders), "fault-suite-faults");
        faults.start();
        ExecutorService drivers = Executors.newFixedThreadPool(64);
        long pace = (long) (1_000_000_000L / options.ratePerSecond());
        long begin = System.nanoTime();
        for (int i = 0; i < options.orders(); i++) {
            long due = begin + i * pace;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int order = i;
            drivers.execute(() -> orders.drive(order));
            startedOrders.incrementAndGet();
        }
        log("all %d orders started", options.orders());
        faults.join();
        drivers.shutdown();
        if (!drivers.awaitTermination(30, TimeUnit.MINUTES)) {
            throw new IllegalStateException("order drivers still running after 30 min");
        }
        log("all orders sent: %d accepted, %d not (given up or refused), %d retried calls of %d", orders.accepted(),
                orders.notAccepted(), orders.retries(), orders.attempts());
        orders.rejected().stream().limit(10).forEach(refusal -> log("  refused: %s", refusal));
        crmFaults(false);

        try (Connection db = OrderJourneys.connect(processes.jdbcUrl())) {
            settle(db);
            int parkedBefore = parked(db);
            int replayed = 0;
            if (parkedBefore > 0) {
                replayed = replayParked();
                settle(db);
            }
            List<OrderState> states = orders.check(db);
            Result result = new Result(options.orders(), orders.accepted(), orders.notAccepted(),
                    count(states, OrderState::erpExactlyOnce), count(states, OrderState::crmLatest),
                    count(states, OrderState::lost) + (orders.accepted() - states.size()),
                    count(states, OrderState::duplicated), count(states, OrderState::stale), parked(db), parkedBefore,
                    replayed, orders.retries(), (System.nanoTime() - started) / 1e9);
            report(states);
            log("graceful stop of the ESB took %d ms", processes.stopEsb());
            log("%s (parked before replay %d, replayed %d, driver retries %d, %.0f s)", result.line(),
                    parkedBefore, replayed, result.retries(), result.seconds());
            return result;
        }
    }

    /** The faults, each when its share of the orders has been started; one at a time. */
    private void injectFaults(AtomicInteger startedOrders) {
        List<Runnable> steps = new ArrayList<>();
        List<Double> at = new ArrayList<>();
        at.add(0.10);
        steps.add(() -> restart(Service.KAFKA));
        at.add(0.25);
        steps.add(this::erpAway);
        double[] kills = {0.40, 0.70, 0.85};
        for (int k = 0; k < options.kills(); k++) {
            at.add(kills[Math.min(k, kills.length - 1)]);
            int number = k + 1;
            steps.add(() -> killEsb(number));
        }
        at.add(0.55);
        steps.add(() -> restart(Service.ARTEMIS));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < at.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(at.get(a), at.get(b)));
        try {
            for (int i : order) {
                while (startedOrders.get() < at.get(i) * options.orders()) {
                    Thread.sleep(50);
                }
                steps.get(i).run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void restart(Service service) {
        try {
            log("restarting %s", service);
            processes.restart(service);
            log("%s back", service);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not restart " + service, e);
        }
    }

    private void erpAway() {
        sandboxFault("erp", "{\"mode\":\"down\"}");
        log("ERP down for %d s", options.erpDownSeconds());
        Thread back = new Thread(() -> {
            try {
                Thread.sleep(options.erpDownSeconds() * 1000L);
                sandboxFault("erp", "{\"mode\":\"normal\"}");
                log("ERP back");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fault-suite-erp-back");
        back.start();
    }

    private void killEsb(int number) {
        try {
            processes.killEsb();
            log("ESB killed with SIGKILL (%d of %d)", number, options.kills());
            log("ESB ready again after %d ms", processes.startEsb());
            crmFaults(true);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not restart the ESB", e);
        }
    }

    /** The CRM's faults live in the ESB's memory (the sandbox), so they are set again after every start. */
    private void crmFaults(boolean on) {
        sandboxFault("crm", on ? String.format(Locale.ROOT, "{\"mode\":\"failing\",\"errorRate\":%s,\"timeoutRate\":%s}",
                options.crmErrorRate(), options.crmTimeoutRate()) : "{\"mode\":\"normal\"}");
    }

    /** Sets a sandbox system's faults, retried while the ESB (where the sandbox runs) is away. */
    private void sandboxFault(String system, String body) {
        for (int attempt = 0; attempt < 600; attempt++) {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(processes.baseUrl() + "/sandbox/" + system
                                + "/admin/faults")).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // the ESB is restarting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("could not set the " + system + "'s faults to " + body);
    }

    /**
     * Waits until every accepted order is complete, or nothing waits in the retry lane and the number of complete
     * orders has not moved for {@link #QUIET}.
     */
    private void settle(Connection db) throws SQLException, InterruptedException {
        long limit = System.nanoTime() + SETTLE_LIMIT.toNanos();
        int last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < limit) {
            int complete = orders.complete(db);
            int waiting = retryLane(db);
            if (complete != last) {
                last = complete;
                lastChange = System.nanoTime();
                log("settling: %d of %d complete, %d in the retry lane, %d parked", complete, orders.accepted(),
                        waiting, parked(db));
            }
            if (complete == orders.accepted() || (waiting == 0 && System.nanoTime() - lastChange > QUIET.toNanos())) {
                return;
            }
            Thread.sleep(2000);
        }
        log("still not settled after %s", SETTLE_LIMIT);
    }

    private int replayParked() throws IOException, InterruptedException {
        HttpRequest start = operator("/api/v1/ops/parked/replay")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"filter\":{\"flow\":\"order-handoff\"}}")).build();
        HttpResponse<String> answer = http.send(start, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 202) {
            throw new IllegalStateException("replay refused: HTTP " + answer.statusCode() + " " + answer.body());
        }
        String jobId = json.readTree(answer.body()).path("id").asText();
        log("replaying the parked messages: job %s", jobId);
        for (int i = 0; i < 600; i++) {
            JsonNode job = json.readTree(http.send(operator("/api/v1/ops/replays/" + jobId).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if (!"RUNNING".equals(job.path("status").asText())) {
                log("replay job %s: %s", job.path("status").asText(), job);
                return job.path("total").asInt(job.path("replayed").asInt());
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("replay job " + jobId + " still running after 10 min");
    }

    private HttpRequest.Builder operator(String path) {
        return HttpRequest.newBuilder(URI.create(processes.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "operator:operator".getBytes(StandardCharsets.UTF_8)));
    }

    private int retryLane(Connection db) throws SQLException {
        return countWhere(db, "SELECT count(*) FROM esb.retry_message WHERE business_key LIKE ?");
    }

    private int parked(Connection db) throws SQLException {
        return countWhere(db, "SELECT count(*) FROM esb.parked_message WHERE status = 'PARKED' AND business_key LIKE ?");
    }

    private int countWhere(Connection db, String sql) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, "FS" + run + "-%");
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private void report(List<OrderState> states) {
        report(states, "lost", OrderState::lost);
        report(states, "duplicated", OrderState::duplicated);
        report(states, "stale", OrderState::stale);
        report(states, "not exactly once in the ERP", s -> !s.erpExactlyOnce() && !s.lost());
        long updates = states.stream().mapToLong(OrderState::crmUpdates).sum();
        log("CRM status updates: %d for %d orders (%.2f each)", updates, states.size(),
                states.isEmpty() ? 0.0 : (double) updates / states.size());
    }

    private void report(List<OrderState> states, String what, Predicate<OrderState> test) {
        List<OrderState> bad = states.stream().filter(test).toList();
        if (!bad.isEmpty()) {
            log("%d %s, e.g.:", bad.size(), what);
            bad.stream().limit(10).forEach(s -> log("  %s", s));
        }
    }

    private static int count(List<OrderState> states, Predicate<OrderState> test) {
        return (int) states.stream().filter(test).count();
    }

    private void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[%7.1f s] %s%n", (System.nanoTime() - started) / 1e9,
                String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
