package io.conduit.esb.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.faults.ComplaintJourneys.ComplaintState;
import io.conduit.esb.faults.OnboardingJourneys.EmployeeState;
import io.conduit.esb.faults.OrderJourneys.OrderState;
import io.conduit.esb.faults.SuiteProcesses.Service;

import org.awaitility.core.ConditionTimeoutException;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * The fault suite: N orders through the order handoff, driven as a retrying CRM would, and - interleaved with them,
 * one per ten orders (at least one each) - employees through the onboarding, driven as a retrying HR system would,
 * and complaints through the complaint routing, driven as a retrying CRM and a working OA would; all while the suite
 * restarts the Kafka broker and the Artemis broker, takes the ERP away for 30 s, makes the CRM fail 10 % of the
 * ESB's calls and time out 5 %, and kills the ESB with SIGKILL three times. Then it lets everything settle, replays
 * what is parked (every flow), and checks order by order ({@link OrderJourneys}), employee by employee
 * ({@link OnboardingJourneys}) and complaint by complaint ({@link ComplaintJourneys}). It ends with three lines:
 * <pre>
 * fault-suite: accepted=N erp-exactly-once=N crm-latest=N lost=0 duplicated=0 stale=0 parked=0
 * fault-suite onboarding: accepted=N each-target-once=N lost=0 duplicated=0 stale=0 parked=0
 * fault-suite complaints: accepted=N one-task=N crm-final=N lost=0 duplicated=0 stale=0 parked=0
 * </pre>
 * Every part is a process of its own from the ESB's jar ({@link SuiteProcesses}): nothing is mocked, the ESB runs
 * as in production against its own PostgreSQL, Kafka and Artemis, with the sandbox systems in it. The sandbox CRM's
 * own webhook senders (opportunities, cases) are off: the suite is the CRM, and it retries until 202.
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

        /** Employees driven through the onboarding: one per ten orders, at least one. */
        public int onboardings() {
            return Math.max(1, orders / 10);
        }

        /** Complaints driven through the complaint routing: one per ten orders, at least one. */
        public int complaints() {
            return Math.max(1, orders / 10);
        }
    }

    /**
     * The counts of the orders' line, and what it took to get there; the onboarding's and the complaints' counts.
     */
    public record Result(int orders, int accepted, int notAccepted, int erpExactlyOnce, int crmLatest, int lost,
                         int duplicated, int stale, int parked, int parkedBeforeReplay, int replayed, long retries,
                         double seconds, Onboarding onboarding, Complaints complaints, List<String> findings) {

        /** The orders' line. */
        public String line() {
            return String.format(Locale.ROOT, "fault-suite: accepted=%d erp-exactly-once=%d crm-latest=%d lost=%d "
                    + "duplicated=%d stale=%d parked=%d", accepted, erpExactlyOnce, crmLatest, lost, duplicated, stale,
                    parked);
        }

        /** The orders' line, the onboarding's and the complaints'. */
        public List<String> lines() {
            return List.of(line(), onboarding.line(), complaints.line());
        }

        /** Every order, employee and complaint passed. */
        public boolean passed() {
            return ordersPassed() && onboarding.passed() && complaints.passed();
        }

        private boolean ordersPassed() {
            return accepted == orders && erpExactlyOnce == accepted && crmLatest == accepted && lost == 0
                    && duplicated == 0 && stale == 0 && parked == 0;
        }
    }

    /** The onboarding's counts: employees driven, accepted (hire got 202), complete in each target, and what is not. */
    public record Onboarding(int employees, int accepted, int notAccepted, int eachTargetOnce, int lost,
                             int duplicated, int stale, int parked) {

        public String line() {
            return String.format(Locale.ROOT, "fault-suite onboarding: accepted=%d each-target-once=%d lost=%d "
                    + "duplicated=%d stale=%d parked=%d", accepted, eachTargetOnce, lost, duplicated, stale, parked);
        }

        public boolean passed() {
            return accepted == employees && eachTargetOnce == accepted && lost == 0 && duplicated == 0 && stale == 0
                    && parked == 0;
        }
    }

    /**
     * The complaints' counts: complaints driven, accepted (webhook got 202), with exactly one OA task, with their
     * final state in the CRM case, escalated (legitimately: the SLA ran out), and what is not right.
     */
    public record Complaints(int complaints, int accepted, int notAccepted, int oneTask, int crmFinal, int escalated,
                             int lost, int duplicated, int stale, int parked) {

        public String line() {
            return String.format(Locale.ROOT, "fault-suite complaints: accepted=%d one-task=%d crm-final=%d lost=%d "
                    + "duplicated=%d stale=%d parked=%d", accepted, oneTask, crmFinal, lost, duplicated, stale, parked);
        }

        public boolean passed() {
            return accepted == complaints && oneTask == accepted && crmFinal == accepted && lost == 0
                    && duplicated == 0 && stale == 0 && parked == 0;
        }
    }

    private static final Duration SETTLE_LIMIT = Duration.ofMinutes(20);
    // longer than the broker's longest redelivery delay (Artemis max-redelivery-delay, 60 s): a JMS message that was
    // rolled back several times by kills and a broker restart (an OA task event) waits that long on the broker, where
    // neither the retry lane nor the complete counts see it; 20 s declared such a run settled with that event still
    // to come (two CI runs, a complaint one OA status behind)
    // (and on a slower CI machine 75 s once declared a run settled with one complaint a status behind; waiting
    // longer costs nothing when everything completes, which ends the settling at once)
    private static final Duration QUIET = Duration.ofSeconds(120);
    /** What went wrong, an example each (for the test's failure message: CI shows that, not this log). */
    private final List<String> findings = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Options options;
    private final SuiteProcesses processes;
    private final OrderJourneys orders;
    private final OnboardingJourneys employees;
    private final ComplaintJourneys complaints;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final long started = System.nanoTime();
    private final String run = UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT);

    private FaultSuite(Options options) {
        this.options = options;
        // the sandbox CRM's own webhook senders (opportunities, cases) are off: the suite is the CRM, and it retries
        // until 202
        this.processes = new SuiteProcesses(options.jar(), options.home(), options.work(),
                List.of("--esb.sandbox.crm.webhook-url=", "--esb.sandbox.crm.case-webhook-url="));
        this.orders = new OrderJourneys(processes.baseUrl(), run);
        this.employees = new OnboardingJourneys(processes.baseUrl(), run);
        this.complaints = new ComplaintJourneys(processes.baseUrl(), run);
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
        result.lines().forEach(System.out::println);
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
        log("run %s: %d orders at %.0f/s, %d employees, %d complaints; ERP away %d s, CRM failing %.0f %% and timing "
                + "out %.0f %%, %d kills", run, options.orders(), options.ratePerSecond(), options.onboardings(),
                options.complaints(), options.erpDownSeconds(), options.crmErrorRate() * 100,
                options.crmTimeoutRate() * 100, options.kills());
        processes.startInfrastructure();
        log("PostgreSQL, Kafka and Artemis up (a process each)");
        log("ESB ready after %d ms", processes.startEsb());
        crmFaults(true);

        AtomicInteger startedOrders = new AtomicInteger();
        Thread faults = new Thread(() -> injectFaults(startedOrders), "fault-suite-faults");
        faults.start();
        ExecutorService drivers = Executors.newFixedThreadPool(64);
        // employees and complaints wait between their steps (HR's next event, the OA's next move): a pool of their own
        ExecutorService journeys = Executors.newFixedThreadPool(64);
        long pace = (long) (1_000_000_000L / options.ratePerSecond());
        long begin = System.nanoTime();
        int nextEmployee = 0;
        int nextComplaint = 0;
        for (int i = 0; i < options.orders(); i++) {
            long due = begin + i * pace;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int order = i;
            drivers.execute(() -> orders.drive(order));
            startedOrders.incrementAndGet();
            // interleaved: employee k with order k * orders / employees, complaint k half-way to the next one
            while (nextEmployee < options.onboardings()
                    && (long) nextEmployee * options.orders() / options.onboardings() <= i) {
                int employee = nextEmployee++;
                journeys.execute(() -> employees.drive(employee));
            }
            while (nextComplaint < options.complaints()
                    && ((long) nextComplaint * 2 + 1) * options.orders() / (2L * options.complaints()) <= i) {
                int complaint = nextComplaint++;
                String aboutOrder = orders.orderId(order);
                journeys.execute(() -> complaints.drive(complaint, aboutOrder));
            }
        }
        log("all %d orders, %d employees and %d complaints started", options.orders(), nextEmployee, nextComplaint);
        faults.join();
        drivers.shutdown();
        journeys.shutdown();
        if (!drivers.awaitTermination(30, TimeUnit.MINUTES) || !journeys.awaitTermination(30, TimeUnit.MINUTES)) {
            throw new IllegalStateException("drivers still running after 30 min");
        }
        log("all orders sent: %d accepted, %d not (given up or refused), %d retried calls of %d %s",
                orders.accepted(), orders.notAccepted(), orders.sender().retries(), orders.sender().attempts(),
                orders.sender().outcomes());
        orders.rejected().stream().limit(10).forEach(refusal -> log("  refused: %s", refusal));
        orders.sender().firstAnswers().forEach(answer -> log("  first answer: %s", clip(answer)));
        log("all HR events sent: %d employees accepted (%d events), %d not, %d retried calls of %d %s",
                employees.accepted(), employees.acceptedEvents(), employees.notAccepted(), employees.sender().retries(),
                employees.sender().attempts(), employees.sender().outcomes());
        employees.rejected().stream().limit(10).forEach(refusal -> log("  refused: %s", refusal));
        employees.sender().firstAnswers().forEach(answer -> log("  first answer: %s", clip(answer)));
        log("all complaints sent and worked: %d accepted, %d not, %d tasks the OA did not show within 10 min, "
                + "%d retried calls of %d %s", complaints.accepted(), complaints.notAccepted(),
                complaints.tasksNotSeen(), complaints.sender().retries(), complaints.sender().attempts(),
                complaints.sender().outcomes());
        complaints.rejected().stream().limit(10).forEach(refusal -> log("  refused: %s", refusal));
        complaints.sender().firstAnswers().forEach(answer -> log("  first answer: %s", clip(answer)));
        crmFaults(false);

        try (Connection db = OrderJourneys.connect(processes.jdbcUrl())) {
            settle(db);
            int parkedBefore = parked(db, Kind.ALL);
            int replayed = 0;
            if (parkedBefore > 0) {
                logParked(db);
                replayed = replayParked(db);
                settle(db);
            }
            List<OrderState> states = orders.check(db);
            List<EmployeeState> employeeStates = employees.check(db);
            List<ComplaintState> complaintStates = complaints.check(db);
            Onboarding onboarding = new Onboarding(options.onboardings(), employees.accepted(),
                    employees.notAccepted(), count(employeeStates, EmployeeState::eachTargetOnce),
                    count(employeeStates, EmployeeState::lost) + (employees.accepted() - employeeStates.size()),
                    count(employeeStates, EmployeeState::duplicated), count(employeeStates, EmployeeState::stale),
                    parked(db, Kind.ONBOARDING));
            Complaints complaintCounts = new Complaints(options.complaints(), complaints.accepted(),
                    complaints.notAccepted(), count(complaintStates, ComplaintState::oneTask),
                    count(complaintStates, ComplaintState::crmFinal),
                    count(complaintStates, c -> c.escalatedAt() != null),
                    count(complaintStates, ComplaintState::lost) + (complaints.accepted() - complaintStates.size()),
                    count(complaintStates, ComplaintState::duplicated), count(complaintStates, ComplaintState::stale),
                    parked(db, Kind.COMPLAINTS));
            Result result = new Result(options.orders(), orders.accepted(), orders.notAccepted(),
                    count(states, OrderState::erpExactlyOnce), count(states, OrderState::crmLatest),
                    count(states, OrderState::lost) + (orders.accepted() - states.size()),
                    count(states, OrderState::duplicated), count(states, OrderState::stale), parked(db, Kind.ORDERS),
                    parkedBefore, replayed,
                    orders.sender().retries() + employees.sender().retries() + complaints.sender().retries(),
                    (System.nanoTime() - started) / 1e9, onboarding, complaintCounts, findings);
            report(states);
            logWithoutPayload(db);
            reportEmployees(employeeStates);
            reportComplaints(complaintStates);
            int parkedElsewhere = parked(db, Kind.ALL) - result.parked() - onboarding.parked()
                    - complaintCounts.parked();
            if (parkedElsewhere > 0) {
                log("%d parked messages belong to none of the three kinds (see esb.parked_message)", parkedElsewhere);
            }
            log("graceful stop of the ESB took %d ms", processes.stopEsb());
            log("%s (parked before replay %d, replayed %d, driver retries %d, %.0f s)", result.line(),
                    parkedBefore, replayed, result.retries(), result.seconds());
            log("%s (%d HR events accepted)", onboarding.line(), employees.acceptedEvents());
            log("%s (escalated %d)", complaintCounts.line(), complaintCounts.escalated());
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
        for (int i : order) {
            double share = at.get(i);
            await().forever().pollInterval(Duration.ofMillis(50))
                    .until(() -> startedOrders.get() >= share * options.orders());
            steps.get(i).run();
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
        // back after its outage, scheduled rather than waited for: the suite's other faults go on meanwhile
        CompletableFuture.runAsync(() -> {
            sandboxFault("erp", "{\"mode\":\"normal\"}");
            log("ERP back");
        }, CompletableFuture.delayedExecutor(options.erpDownSeconds(), TimeUnit.SECONDS));
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
        HttpRequest request = HttpRequest.newBuilder(URI.create(processes.baseUrl() + "/sandbox/" + system
                        + "/admin/faults")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            // the ESB (where the sandbox runs) may be restarting: asked again until it answers
            await().atMost(Duration.ofMinutes(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            return;
        } catch (ConditionTimeoutException e) {
            // reported below
        }
        throw new IllegalStateException("could not set the " + system + "'s faults to " + body);
    }

    /**
     * Waits until every accepted order, employee and complaint is complete, or nothing waits in the retry lane and
     * none of the three complete counts has moved for {@link #QUIET}.
     */
    private void settle(Connection db) {
        List<List<Integer>> last = new ArrayList<>(List.of(List.of()));
        long[] lastChange = {System.nanoTime()};
        try {
            await().atMost(SETTLE_LIMIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(2)).until(() -> {
                List<Integer> complete = List.of(orders.complete(db), employees.complete(db), complaints.complete(db));
                int waiting = retryLane(db);
                long backlog = backlog();
                if (!complete.equals(last.get(0))) {
                    last.set(0, complete);
                    lastChange[0] = System.nanoTime();
                    log("settling: orders %d of %d, employees %d of %d, complaints %d of %d complete; %d in the retry "
                                    + "lane, %d parked, backlog %d", complete.get(0), orders.accepted(), complete.get(1),
                            employees.accepted(), complete.get(2), complaints.accepted(), waiting,
                            parked(db, Kind.ALL), backlog);
                }
                boolean all = complete.get(0) == orders.accepted() && complete.get(1) == employees.accepted()
                        && complete.get(2) == complaints.accepted();
                // quiet is not enough while records wait on a topic or a queue: after three kills a Kafka consumer
                // group can take minutes to hand a complaint on (a CI run declared two complaints stale that were
                // still on their topic, their counts unchanged for 75 s)
                return all || (waiting == 0 && backlog == 0 && System.nanoTime() - lastChange[0] > QUIET.toNanos());
            });
        } catch (ConditionTimeoutException e) {
            log("still not settled after %s", SETTLE_LIMIT);
            findings.add("still not settled after " + SETTLE_LIMIT);
        }
    }

    /** Replays every parked message, one job per flow (a filter matching everything is refused); how many. */
    private int replayParked(Connection db) throws IOException, InterruptedException, SQLException {
        List<String> flows = new ArrayList<>();
        try (PreparedStatement statement = db.prepareStatement(
                "SELECT DISTINCT flow FROM esb.parked_message WHERE status = 'PARKED' ORDER BY flow");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                flows.add(rows.getString(1));
            }
        }
        int replayed = 0;
        for (String flow : flows) {
            replayed += replayParked(flow);
        }
        return replayed;
    }

    private int replayParked(String flow) throws IOException, InterruptedException {
        ObjectNode filter = json.createObjectNode();
        filter.putObject("filter").put("flow", flow);
        HttpRequest start = operator("/api/v1/ops/parked/replay")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(filter.toString())).build();
        HttpResponse<String> answer = http.send(start, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 202) {
            throw new IllegalStateException("replay refused: HTTP " + answer.statusCode() + " " + answer.body());
        }
        String jobId = json.readTree(answer.body()).path("id").asText();
        log("replaying the parked messages of flow %s: job %s", flow, jobId);
        JsonNode job = await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> json.readTree(http.send(operator("/api/v1/ops/replays/" + jobId).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body()), done -> !"RUNNING".equals(done.path("status").asText()));
        log("replay job %s: %s", job.path("status").asText(), job);
        return job.path("total").asInt(job.path("replayed").asInt());
    }

    /**
     * Messages still waiting to be consumed, over all flows (the ESB's overview: Kafka consumer lag plus JMS queue
     * depth); -1 while the ESB cannot tell (restarting).
     */
    private long backlog() {
        try {
            HttpResponse<String> answer = http.send(operator("/api/v1/ops/overview").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                return -1;
            }
            long total = 0;
            for (JsonNode flow : json.readTree(answer.body()).path("flows")) {
                total += flow.path("backlog").asLong();
            }
            return total;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private HttpRequest.Builder operator(String path) {
        return HttpRequest.newBuilder(URI.create(processes.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "operator:operator".getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Whose parked messages: by business key (CloudEvents subject or Kafka key: order id, employee number, case
     * number), a flow's keyless ones with it (an OA task event, an HR event that failed before it had a subject).
     */
    private enum Kind {
        ORDERS("business_key ~ ('^' || ? || '-[0-9]')", null),
        ONBOARDING("business_key LIKE (? || '-E%')", "employee-onboarding"),
        COMPLAINTS("business_key LIKE (? || '-C%')", "complaint-routing"),
        /** Everything: the suite's database holds nothing but what the run did. */
        ALL("true", null);

        private final String condition;
        private final String flow;

        Kind(String condition, String flow) {
            this.condition = condition;
            this.flow = flow;
        }

        String where() {
            return flow == null ? condition : "(" + condition + " OR (business_key IS NULL AND flow = '" + flow + "'))";
        }
    }

    /**
     * Messages of the run waiting in the retry lane; keyless ones too (an OA task event carries no subject), unless
     * they have no payload: such a row can never deliver anything, so it is not waited for (see
     * {@link #logWithoutPayload}).
     */
    private int retryLane(Connection db) throws SQLException {
        return countWhere(db, "SELECT count(*) FROM esb.retry_message WHERE business_key LIKE (? || '-%') "
                + "OR (business_key IS NULL AND payload IS NOT NULL)");
    }

    /** Retry-lane and parked rows without a payload: what the ESB stored for a failure that had no message. */
    private void logWithoutPayload(Connection db) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement("""
                SELECT 'retry lane' AS place, route_id, count(*) AS n, min(left(reason, 300)) AS reason
                  FROM esb.retry_message WHERE payload IS NULL GROUP BY route_id
                UNION ALL
                SELECT 'parked', route_id, count(*), min(left(reason, 300))
                  FROM esb.parked_message WHERE payload IS NULL AND status = 'PARKED' GROUP BY route_id
                 ORDER BY 1, 2""");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                log("  without payload in the %s: %d of route %s, e.g.: %s", rows.getString("place"),
                        rows.getInt("n"), rows.getString("route_id"), rows.getString("reason"));
            }
        }
    }

    private int parked(Connection db, Kind kind) throws SQLException {
        return countWhere(db, "SELECT count(*) FROM esb.parked_message WHERE status = 'PARKED' AND " + kind.where());
    }

    private int countWhere(Connection db, String sql) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            if (sql.contains("?")) {
                statement.setString(1, "FS" + run);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** What is parked before the replay, by flow and reason (the first of each). */
    private void logParked(Connection db) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement("""
                SELECT flow, route_id, count(*) AS n, min(business_key) AS example, min(left(reason, 300)) AS reason
                  FROM esb.parked_message WHERE status = 'PARKED' GROUP BY flow, route_id ORDER BY flow, route_id""");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                log("  parked: %d in %s (%s), e.g. %s: %s", rows.getInt("n"), rows.getString("flow"),
                        rows.getString("route_id"), rows.getString("example"), rows.getString("reason"));
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
        reportEach(states, what, test);
    }

    private void reportEmployees(List<EmployeeState> states) {
        reportEach(states, "employees lost", EmployeeState::lost);
        reportEach(states, "employees duplicated", EmployeeState::duplicated);
        reportEach(states, "employees stale", EmployeeState::stale);
    }

    private void reportComplaints(List<ComplaintState> states) {
        reportEach(states, "complaints lost", ComplaintState::lost);
        reportEach(states, "complaints duplicated", ComplaintState::duplicated);
        reportEach(states, "complaints stale", ComplaintState::stale);
        long worked = states.stream().filter(c -> c.oaSteps() > 0).count();
        log("complaints: %d worked in the OA, %d resolved, %d escalated", worked,
                states.stream().filter(c -> "RESOLVED".equals(c.esbStatus())).count(),
                states.stream().filter(c -> c.escalatedAt() != null).count());
    }

    private <T> void reportEach(List<T> states, String what, Predicate<T> test) {
        List<T> bad = states.stream().filter(test).toList();
        if (!bad.isEmpty()) {
            log("%d %s, e.g.:", bad.size(), what);
            bad.stream().limit(10).forEach(s -> log("  %s", s));
            findings.add(bad.size() + " " + what + ", e.g. " + bad.get(0));
        }
    }

    private static String clip(String text) {
        String line = text.replaceAll("\\s+", " ");
        return line.length() > 400 ? line.substring(0, 400) + "..." : line;
    }

    private static <T> int count(List<T> states, Predicate<T> test) {
        return (int) states.stream().filter(test).count();
    }

    private void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[%7.1f s] %s%n", (System.nanoTime() - started) / 1e9,
                String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
