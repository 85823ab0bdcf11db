package io.conduit.esb.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.faults.ComplaintJourneys.ComplaintState;
import io.conduit.esb.faults.OnboardingJourneys.EmployeeState;
import io.conduit.esb.faults.OrderJourneys.OrderState;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scale-out: two ESB JVMs from the packaged jar against one set of infrastructure (PostgreSQL, Kafka and Artemis, a
 * process each: the fault suite's {@link SuiteProcesses}), leadership of the singleton pollers on PostgreSQL
 * ({@code esb.cluster.type=postgres}, the default, with its default timings). Asserts that they:
 * <ul>
 *   <li>split the Kafka partitions: the orders' consumer group has both instances' consumers, every partition
 *       assigned (the broker's own description of the group);</li>
 *   <li>both consume the Artemis queues (the broker's consumer count of each onboarding queue);</li>
 *   <li>run each singleton poller on exactly one of them (its route started there and stopped on the other, and the
 *       lease row names that instance);</li>
 *   <li>hand the singletons over when the leader is killed with SIGKILL (the handover time is printed), the survivor's
 *       change capture then carrying an ERP stock change to the CRM, and the survivor taking all partitions;</li>
 *   <li>deliver each order, employee and complaint driven across both, through the kill, exactly once (the sandbox
 *       ERP's, OA's and CRM's tables, as the fault suite checks them).</li>
 * </ul>
 * In the fault suite's failsafe execution (group {@code fault-suite}): its processes come from the packaged jar.
 */
@Tag("fault-suite")
class ScaleOutIT {

    /** The singleton routes of the embedded configuration (sandbox adapters): each runs on one instance. */
    static final List<String> SINGLETONS = List.of("inventory-feedback.poller", "inventory-feedback.resync",
            "approvals.poller", "employee-onboarding.due-leavers", "customer-master.poller", "customer-master.resync",
            "product-catalogue.poller", "product-catalogue.resync", "payment-status.poller", "payment-status.resync",
            "supplier-master.poller", "supplier-master.resync");
    /** Their leadership namespaces (flows/*.yaml). */
    static final List<String> NAMESPACES = List.of("inventory-feedback-poller", "approvals-poller",
            "employee-onboarding-due-leavers", "customer-master-poller", "product-catalogue-poller",
            "payment-status-poller", "supplier-master-poller");
    static final String ORDERS_GROUP = "conduit-order-handoff-erp";
    static final int CONSUMERS_PER_INSTANCE = 3;
    static final int PARTITIONS = 6;
    static final List<String> QUEUES = List.of("ESB.EMPLOYEE.ERP", "ESB.EMPLOYEE.OA", "ESB.EMPLOYEE.CRM",
            "OA.HR.EVENTS");
    static final int ORDERS = 60;
    static final double ORDERS_PER_SECOND = 4;
    static final int EMPLOYEES = 6;
    static final int COMPLAINTS = 6;
    /** The kill comes when this many orders have been started. */
    static final int KILL_AT = ORDERS / 3;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final long started = System.nanoTime();

    @Test
    void twoInstancesShareTheWorkRunEachSingletonOnceHandItOverOnAKillAndDeliverEverythingOnce() throws Exception {
        Path home = Path.of(".").toAbsolutePath().normalize();
        String run = UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT);
        try (SuiteProcesses processes = new SuiteProcesses(FaultSuite.jar(home), home,
                home.resolve("target/scale-out-it"), List.of("--esb.cluster.type=postgres",
                "--esb.sandbox.crm.webhook-url=", "--esb.sandbox.crm.case-webhook-url="), 2)) {
            processes.startInfrastructure();
            log("PostgreSQL, Kafka and Artemis up (a process each)");
            ExecutorService starting = Executors.newFixedThreadPool(2);
            Future<Long> first = starting.submit(() -> processes.startEsb(0));
            Future<Long> second = starting.submit(() -> processes.startEsb(1));
            log("ESB 0 ready after %d ms, ESB 1 after %d ms (started together)", first.get(), second.get());
            starting.shutdown();
            Map<String, String> infra = processes.infrastructure();

            // each singleton on exactly one instance, and its lease names that instance
            Map<String, Integer> runners = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> singletonRunners(processes), m -> m.values().stream().allMatch(i -> i >= 0));
            log("singletons: %s (instance by route)", runners);
            int leader = runners.get("inventory-feedback.poller");
            int survivor = 1 - leader;
            // a flow whose singleton another instance runs is whole on both (its standby routes are not missing)
            for (int i = 0; i < 2; i++) {
                int instance = i;
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(flows(processes, instance)).as("flows of ESB %d", instance)
                                .containsKeys("inventory-feedback", "employee-onboarding", "approvals", "customer-master",
                                        "product-catalogue", "payment-status", "supplier-master")
                                .allSatisfy((flow, routes) -> assertThat(routes[0]).as(flow).isEqualTo(routes[1])));
            }
            try (Connection db = OrderJourneys.connect(infra.get("ESB_DB_URL"))) {
                Map<String, String> holders = leaseHolders(db);
                assertThat(holders).containsOnlyKeys(NAMESPACES);
                assertThat(holders.get("inventory-feedback-poller")).endsWith(":" + processes.port(leader));
                assertThat(holders.get("approvals-poller"))
                        .endsWith(":" + processes.port(runners.get("approvals.poller")));
                assertThat(holders.get("employee-onboarding-due-leavers"))
                        .endsWith(":" + processes.port(runners.get("employee-onboarding.due-leavers")));
                assertThat(holders.get("customer-master-poller"))
                        .endsWith(":" + processes.port(runners.get("customer-master.poller")));
                assertThat(runners.get("customer-master.resync")).isEqualTo(runners.get("customer-master.poller"));
                assertThat(holders.get("product-catalogue-poller"))
                        .endsWith(":" + processes.port(runners.get("product-catalogue.poller")));
                assertThat(runners.get("product-catalogue.resync")).isEqualTo(runners.get("product-catalogue.poller"));
                assertThat(holders.get("payment-status-poller"))
                        .endsWith(":" + processes.port(runners.get("payment-status.poller")));
                assertThat(runners.get("payment-status.resync")).isEqualTo(runners.get("payment-status.poller"));
                assertThat(holders.get("supplier-master-poller"))
                        .endsWith(":" + processes.port(runners.get("supplier-master.poller")));
                assertThat(runners.get("supplier-master.resync")).isEqualTo(runners.get("supplier-master.poller"));
            }

            try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    infra.get("KAFKA_BOOTSTRAP_SERVERS")))) {
                // both instances' consumers share the orders' partitions
                List<MemberDescription> members = awaitGroup(kafka, 2 * CONSUMERS_PER_INSTANCE);
                log("orders' consumer group with both: %s", describe(members));
                assertThat(members).allSatisfy(m -> assertThat(m.assignment().topicPartitions()).isNotEmpty());
                // both consume the Artemis queues
                for (String queue : QUEUES) {
                    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                            .until(() -> consumers(infra, queue) == 2);
                }
                log("Artemis: 2 consumers on each of %s", QUEUES);

                // orders, employees and complaints, sent in turn to both instances as a load balancer does
                List<String> urls = List.of(processes.baseUrl(0), processes.baseUrl(1));
                OrderJourneys orders = new OrderJourneys(urls, run);
                OnboardingJourneys employees = new OnboardingJourneys(urls, run);
                ComplaintJourneys complaints = new ComplaintJourneys(urls, run);
                ExecutorService drivers = Executors.newFixedThreadPool(32);
                ExecutorService killer = Executors.newSingleThreadExecutor();
                Future<Map<String, Long>> handover = null;
                long pace = (long) (1_000_000_000L / ORDERS_PER_SECOND);
                long begin = System.nanoTime();
                for (int i = 0; i < ORDERS; i++) {
                    long wait = begin + i * pace - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    int order = i;
                    drivers.execute(() -> orders.drive(order));
                    if (i % (ORDERS / EMPLOYEES) == 0) {
                        int k = i / (ORDERS / EMPLOYEES);
                        drivers.execute(() -> employees.drive(k));
                    }
                    if (i % (ORDERS / COMPLAINTS) == ORDERS / COMPLAINTS / 2) {
                        int k = i / (ORDERS / COMPLAINTS);
                        String about = orders.orderId(order);
                        drivers.execute(() -> complaints.drive(k, about));
                    }
                    if (i == KILL_AT) {
                        // the orders go on meanwhile
                        handover = killer.submit(() -> killLeaderAndTimeTheHandover(processes, runners, leader,
                                survivor));
                    }
                }
                log("all %d orders, %d employees and %d complaints started", ORDERS, EMPLOYEES, COMPLAINTS);
                Map<String, Long> handedOver = handover.get(2, TimeUnit.MINUTES);
                killer.shutdown();

                // the survivor holds every partition now
                List<MemberDescription> after = awaitGroup(kafka, CONSUMERS_PER_INSTANCE);
                log("orders' consumer group after the kill: %s", describe(after));
                for (String queue : QUEUES) {
                    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                            .until(() -> consumers(infra, queue) == 1);
                }

                drivers.shutdown();
                assertThat(drivers.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
                try (Connection db = OrderJourneys.connect(infra.get("ESB_DB_URL"))) {
                    // the survivor's change capture works: an ERP stock change reaches the CRM
                    String item = "SO" + run + "-STOCK";
                    erpStock(db, item, "57");
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                            .until(() -> "57.000".equals(inStock(processes.baseUrl(survivor), item)));
                    assertThat(leaseHolders(db).values()).allSatisfy(h -> assertThat(h)
                            .endsWith(":" + processes.port(survivor)));

                    await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).until(() ->
                            orders.complete(db) == orders.accepted() && employees.complete(db) == employees.accepted()
                                    && complaints.complete(db) == complaints.accepted());
                    List<OrderState> orderStates = orders.check(db);
                    List<EmployeeState> employeeStates = employees.check(db);
                    List<ComplaintState> complaintStates = complaints.check(db);
                    String line = String.format(Locale.ROOT, "scale-out: orders %d/%d exactly once in the ERP, "
                                    + "employees %d/%d once in each target, complaints %d/%d with one OA task; "
                                    + "handover after SIGKILL of the leader (lease %s): %s",
                            orderStates.stream().filter(OrderState::crmLatest).count(), ORDERS,
                            employeeStates.stream().filter(EmployeeState::eachTargetOnce).count(), EMPLOYEES,
                            complaintStates.stream().filter(c -> c.oneTask() && c.crmFinal()).count(), COMPLAINTS,
                            "10 s", handedOver.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() + " ms")
                                    .collect(Collectors.joining(", ")));
                    log("%s", line);
                    assertThat(orders.accepted()).isEqualTo(ORDERS);
                    assertThat(orderStates).hasSize(ORDERS).allSatisfy(s -> {
                        assertThat(s.erpExactlyOnce()).as("%s", s).isTrue();
                        assertThat(s.crmLatest()).as("%s", s).isTrue();
                        assertThat(s.duplicated()).as("%s", s).isFalse();
                    });
                    assertThat(employees.accepted()).isEqualTo(EMPLOYEES);
                    assertThat(employeeStates).hasSize(EMPLOYEES)
                            .allSatisfy(s -> assertThat(s.eachTargetOnce()).as("%s", s).isTrue());
                    assertThat(complaints.accepted()).isEqualTo(COMPLAINTS);
                    assertThat(complaintStates).hasSize(COMPLAINTS).allSatisfy(s -> {
                        assertThat(s.oneTask()).as("%s", s).isTrue();
                        assertThat(s.crmFinal()).as("%s", s).isTrue();
                    });
                    assertThat(parked(db)).isZero();
                }
            }
        }
    }

    /**
     * SIGKILL of the instance running the ERP change capture; then, route by route, the milliseconds until the
     * survivor runs each singleton the killed instance ran.
     */
    private Map<String, Long> killLeaderAndTimeTheHandover(SuiteProcesses processes, Map<String, Integer> runners,
                                                          int leader, int survivor) throws Exception {
        List<String> moving = runners.entrySet().stream().filter(e -> e.getValue() == leader).map(Map.Entry::getKey)
                .toList();
        long killed = System.nanoTime();
        processes.killEsb(leader);
        log("ESB %d (leader of %s) killed with SIGKILL", leader, moving);
        Map<String, Long> handover = new LinkedHashMap<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Map<String, String> status = routeStatus(processes, survivor);
            for (String route : moving) {
                if (!handover.containsKey(route) && "Started".equals(status.get(route))) {
                    handover.put(route, (System.nanoTime() - killed) / 1_000_000);
                }
            }
            return handover.size() == moving.size();
        });
        log("singletons running on ESB %d after: %s", survivor, handover);
        return handover;
    }

    /** For each singleton route: the instance where it runs, -1 unless it is started on exactly one. */
    private Map<String, Integer> singletonRunners(SuiteProcesses processes) {
        List<Map<String, String>> status = List.of(routeStatus(processes, 0), routeStatus(processes, 1));
        Map<String, Integer> runners = new LinkedHashMap<>();
        for (String route : SINGLETONS) {
            List<Integer> started = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String s = status.get(i).get(route);
                if ("Started".equals(s)) {
                    started.add(i);
                }
            }
            boolean otherStopped = started.size() == 1 && "Stopped".equals(status.get(1 - started.get(0)).get(route));
            runners.put(route, otherStopped ? started.get(0) : -1);
        }
        return runners;
    }

    /** Route id to status ({@code Started}, {@code Stopped}) from the instance's /actuator/camelroutes. */
    private Map<String, String> routeStatus(SuiteProcesses processes, int instance) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                            URI.create(processes.baseUrl(instance) + "/actuator/camelroutes"))
                    .timeout(Duration.ofSeconds(5)).header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString("viewer:viewer".getBytes(StandardCharsets.UTF_8))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, String> status = new LinkedHashMap<>();
            if (answer.statusCode() == 200) {
                for (JsonNode route : json.readTree(answer.body())) {
                    status.put(route.path("id").asText(), route.path("status").asText());
                }
            }
            return status;
        } catch (Exception e) {
            return Map.of();
        }
    }

    /** Flow to {routes started, routes expected running} from the instance's overview (/api/v1/ops/overview). */
    private Map<String, int[]> flows(SuiteProcesses processes, int instance) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create(processes.baseUrl(instance) + "/api/v1/ops/overview"))
                .timeout(Duration.ofSeconds(5)).header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString("viewer:viewer".getBytes(StandardCharsets.UTF_8))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, int[]> flows = new LinkedHashMap<>();
        for (JsonNode flow : json.readTree(answer.body()).path("flows")) {
            flows.put(flow.path("flow").asText(), new int[]{flow.path("routesStarted").asInt(),
                    flow.path("routesTotal").asInt()});
        }
        return flows;
    }

    private List<MemberDescription> awaitGroup(Admin kafka, int members) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
            ConsumerGroupDescription group = kafka.describeConsumerGroups(List.of(ORDERS_GROUP))
                    .describedGroups().get(ORDERS_GROUP).get(10, TimeUnit.SECONDS);
            return List.copyOf(group.members());
        }, m -> {
            Set<TopicPartition> assigned = new TreeSet<>((x, y) -> Integer.compare(x.partition(), y.partition()));
            m.forEach(member -> assigned.addAll(member.assignment().topicPartitions()));
            return m.size() == members && assigned.size() == PARTITIONS;
        });
    }

    private static String describe(List<MemberDescription> members) {
        return members.stream().map(m -> m.clientId() + " " + m.assignment().topicPartitions().stream()
                        .map(p -> String.valueOf(p.partition())).sorted().toList())
                .sorted().collect(Collectors.joining(", ", members.size() + " consumers: ", ""));
    }

    /** The broker's count of consumers on a queue (Artemis management, over its core protocol). */
    private static int consumers(Map<String, String> infra, String queue) throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(infra.get("ARTEMIS_URL"));
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession()) {
            session.start();
            try (ClientRequestor requestor = new ClientRequestor(session, "activemq.management")) {
                ClientMessage request = session.createMessage(false);
                ManagementHelper.putAttribute(request, ResourceNames.QUEUE + queue, "consumerCount");
                ClientMessage reply = requestor.request(request, 5000);
                return reply == null ? -1 : ((Number) ManagementHelper.getResult(reply)).intValue();
            }
        }
    }

    private static Map<String, String> leaseHolders(Connection db) throws Exception {
        Map<String, String> holders = new LinkedHashMap<>();
        try (PreparedStatement statement = db.prepareStatement(
                "SELECT namespace, holder FROM esb.cluster_lease WHERE expires_at > clock_timestamp()");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                holders.put(rows.getString(1), rows.getString(2));
            }
        }
        return holders;
    }

    private static void erpStock(Connection db, String item, String onHand) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(
                "INSERT INTO erp.item_mst (item_no, item_desc, item_grp) VALUES (?, ?, 'TEST') ON CONFLICT DO NOTHING")) {
            statement.setString(1, item);
            statement.setString(2, "Scale-out test item");
            statement.executeUpdate();
        }
        try (PreparedStatement statement = db.prepareStatement(
                "INSERT INTO erp.inv_stock (item_no, whse_cd, qty_oh, qty_rsv) VALUES (?, 'W01', ?, 0)")) {
            statement.setString(1, item);
            statement.setBigDecimal(2, new BigDecimal(onHand));
            statement.executeUpdate();
        }
    }

    /** What the sandbox CRM shows in stock for an item (its availability API), with three decimals; null if nothing. */
    private String inStock(String baseUrl, String item) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create(baseUrl + "/sandbox/crm/api/products/" + item + "/availability"))
                .header(RetryingSender.BYPASS, "true").timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            return null;
        }
        JsonNode availability = json.readTree(answer.body());
        return availability.isEmpty() ? null
                : availability.get(0).path("inStock").decimalValue().setScale(3).toPlainString();
    }

    private static int parked(Connection db) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(
                "SELECT count(*) FROM esb.parked_message WHERE status = 'PARKED'");
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[%7.1f s] %s%n", (System.nanoTime() - started) / 1e9,
                String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
