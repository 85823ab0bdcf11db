package io.conduit.esb.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.QueueBrowser;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The live figures of every flow (a Camel route group) and every connected system: bean {@code opsOverview}.
 * <p>
 * Every {@code esb.ops.sample-period-ms} it reads each route's counters from Camel's management API (exchanges
 * completed and failed, failures handled, total processing time), the parked messages per flow
 * ({@code esb.parked_message}, status PARKED), the Kafka consumer lag of the flow's consumer groups (Kafka
 * AdminClient) and the depth of the flow's JMS queues (a JMS queue browser, so any JMS broker works, counted up to
 * {@code esb.ops.queue-depth-cap}). Counters are kept in a ring buffer covering {@code esb.ops.window-ms}; throughput
 * is over the last minute, error rate and mean latency over the window. Routes started by a timer (scanners,
 * pollers) and direct sub-routes are left out of throughput, error rate and latency (see {@link #carriesMessages}).
 * Hand-written because
 * Camel keeps only totals since start and Micrometer's registry offers no windowed reading.
 */
@Component("opsOverview")
public class FlowMonitor implements OpsOverview, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(FlowMonitor.class);

    /** Counters of one flow at one moment (totals since start, summed over its message routes). */
    record Sample(long at, long completed, long failed, long handled, long processingMs) {
    }

    /** Everything else sampled about a flow. */
    record Snapshot(int routesStarted, int routesTotal, long parked, long backlog) {
    }

    private final CamelContext camel;
    private final JdbcTemplate jdbc;
    private final ObjectProvider<ConnectionFactory> jms;
    private final SystemProbes systems;
    private final MeterRegistry meters;
    private final Admin kafka;
    private final long periodMs;
    private final long windowMs;
    private final double degradedErrorRate;
    private final int queueDepthCap;
    private final Map<String, Deque<Sample>> history = new ConcurrentHashMap<>();
    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "esb-flow-monitor");
        t.setDaemon(true);
        return t;
    });

    public FlowMonitor(CamelContext camel, JdbcTemplate jdbc, ObjectProvider<ConnectionFactory> jms,
                       SystemProbes systems, MeterRegistry meters,
                       Admin kafkaAdmin,
                       @Value("${esb.ops.sample-period-ms:10000}") long periodMs,
                       @Value("${esb.ops.window-ms:300000}") long windowMs,
                       @Value("${esb.ops.degraded-error-rate:0.5}") double degradedErrorRate,
                       @Value("${esb.ops.queue-depth-cap:10000}") int queueDepthCap) {
        this.camel = camel;
        this.jdbc = jdbc;
        this.jms = jms;
        this.systems = systems;
        this.meters = meters;
        this.periodMs = periodMs;
        this.windowMs = windowMs;
        this.degradedErrorRate = degradedErrorRate;
        this.queueDepthCap = queueDepthCap;
        this.kafka = kafkaAdmin;
        scheduler.scheduleWithFixedDelay(this::sampleQuietly, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public List<FlowStatus> flows() {
        if (snapshots.isEmpty()) {
            sampleQuietly(); // asked before the first scheduled sample: answer with the routes at least
        }
        return new TreeMap<>(snapshots).keySet().stream().map(this::status).toList();
    }

    @Override
    public List<SystemStatus> systems() {
        return systems.statuses();
    }

    /**
     * Starts every flow's window afresh: error rate, latency and throughput history count from the next sample on.
     * For tests that share one ESB, so one test's deliberate failures do not colour the next test's health.
     */
    public void restartWindow() {
        history.values().forEach(deque -> {
            synchronized (deque) {
                deque.clear();
            }
        });
    }

    /** The flow's figures, or null if no such flow was sampled. */
    public FlowStatus flow(String flow) {
        return snapshots.containsKey(flow) ? status(flow) : null;
    }

    public Set<String> flowIds() {
        if (snapshots.isEmpty()) {
            sampleQuietly();
        }
        return new TreeMap<>(snapshots).keySet();
    }

    private FlowStatus status(String flow) {
        Snapshot snap = snapshots.get(flow);
        List<Sample> samples;
        Deque<Sample> deque = history.getOrDefault(flow, new ArrayDeque<>());
        synchronized (deque) {
            samples = new ArrayList<>(deque);
        }
        double throughputPerMin = 0;
        double errorRate = 0;
        double meanLatency = 0;
        List<Double> throughputHistory = new ArrayList<>();
        if (samples.size() >= 2) {
            Sample last = samples.get(samples.size() - 1);
            Sample first = samples.get(0);
            Sample minuteAgo = samples.stream().filter(s -> last.at() - s.at() <= 60_000).findFirst().orElse(first);
            long minuteSpan = last.at() - minuteAgo.at();
            if (minuteSpan > 0) {
                throughputPerMin = (last.completed() - minuteAgo.completed()) * 60_000.0 / minuteSpan;
            }
            long done = last.completed() - first.completed();
            long failedOrParked = (last.failed() - first.failed()) + (last.handled() - first.handled());
            long all = done + (last.failed() - first.failed());
            errorRate = all == 0 ? 0 : Math.min(1.0, (double) failedOrParked / all);
            meanLatency = done == 0 ? 0 : (double) (last.processingMs() - first.processingMs()) / done;
            for (int i = 1; i < samples.size(); i++) {
                throughputHistory.add((double) (samples.get(i).completed() - samples.get(i - 1).completed()));
            }
        }
        String state = snap.routesStarted() == 0 ? "DOWN"
                : snap.routesStarted() < snap.routesTotal() || errorRate > degradedErrorRate ? "DEGRADED" : "UP";
        return new FlowStatus(flow, state, snap.routesStarted(), snap.routesTotal(), round(throughputPerMin),
                round(errorRate), round(meanLatency), snap.parked(), snap.backlog(), List.copyOf(throughputHistory));
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            LOG.warn("Sampling the flows failed: {}", e.toString());
        }
    }

    /** Takes one sample of every flow now. */
    public synchronized void sample() {
        if (!camel.isStarted()) {
            return;
        }
        long now = System.currentTimeMillis();
        Map<String, List<Route>> byFlow = camel.getRoutes().stream().filter(r -> r.getGroup() != null)
                .collect(Collectors.groupingBy(Route::getGroup, TreeMap::new, Collectors.toList()));
        // a flow receives messages from somewhere; a group of direct routes only is an adapter's ports
        // (adapters/<role>/<adapter>/), whose work counts in the flow that called it
        byFlow.values().removeIf(routes -> routes.stream()
                .allMatch(r -> r.getEndpoint().getEndpointUri().startsWith("direct:")));
        Map<String, Long> parked = parkedPerFlow();
        ManagedCamelContext managed = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        for (Map.Entry<String, List<Route>> e : byFlow.entrySet()) {
            String flow = e.getKey();
            int started = 0;
            // singleton routes this instance keeps stopped while another one leads (a ClusteredRoutePolicy): not
            // missing, so they count neither as started nor in the total (a standby replica's flow is UP)
            int standingBy = 0;
            long completed = 0, failed = 0, handled = 0, processing = 0;
            Map<String, Set<String>> kafkaGroups = new LinkedHashMap<>();
            Set<String> queues = new LinkedHashSet<>();
            for (Route route : e.getValue()) {
                ServiceStatus status = camel.getRouteController().getRouteStatus(route.getRouteId());
                if (status != null && status.isStarted()) {
                    started++;
                } else if (route.getRoutePolicyList().stream()
                        .anyMatch(p -> p instanceof ClusteredRoutePolicy c && !c.isLeader())) {
                    standingBy++;
                }
                Endpoint from = route.getEndpoint();
                if (from instanceof KafkaEndpoint k && k.getConfiguration().getGroupId() != null) {
                    kafkaGroups.computeIfAbsent(k.getConfiguration().getGroupId(), g -> new LinkedHashSet<>())
                            .add(k.getConfiguration().getTopic());
                } else if (from instanceof JmsEndpoint j && !j.isPubSubDomain()) {
                    queues.add(j.getDestinationName());
                }
                if (!carriesMessages(route)) {
                    continue;
                }
                ManagedRouteMBean m = managed == null ? null : managed.getManagedRoute(route.getRouteId());
                if (m != null) {
                    completed += m.getExchangesCompleted();
                    failed += m.getExchangesFailed();
                    handled += m.getFailuresHandled();
                    processing += m.getTotalProcessingTime();
                }
            }
            long backlog = kafkaLag(kafkaGroups) + queueDepth(queues);
            boolean known = snapshots.containsKey(flow);
            snapshots.put(flow, new Snapshot(started, e.getValue().size() - standingBy, parked.getOrDefault(flow, 0L),
                    backlog));
            Deque<Sample> deque = history.computeIfAbsent(flow, f -> new ArrayDeque<>());
            synchronized (deque) {
                deque.addLast(new Sample(now, completed, failed, handled, processing));
                while (deque.size() > 2 && now - deque.peekFirst().at() > windowMs + periodMs / 2) {
                    deque.removeFirst();
                }
            }
            if (!known) {
                registerGauges(flow);
            }
        }
    }

    /**
     * Routes whose exchanges are messages: consumers of Kafka, JMS, HTTP, and the direct intake routes behind REST
     * endpoints (route configuration esb-http-intake). Timer-driven scanners and pollers and the direct sub-routes
     * they or the delivery routes call are left out, so a poll every second is not "throughput" and a message is
     * counted once per route it is consumed by.
     */
    static boolean carriesMessages(Route route) {
        String scheme = route.getEndpoint().getEndpointUri().split(":", 2)[0];
        if (scheme.equals("direct") || scheme.equals("seda")) {
            String config = route.getConfigurationId();
            return config != null && config.contains("esb-http-intake");
        }
        return !(scheme.equals("timer") || scheme.equals("scheduler") || scheme.equals("quartz"));
    }

    private void registerGauges(String flow) {
        Gauge.builder("esb.flow.parked", () -> snapshots.get(flow).parked()).tag("flow", flow)
                .description("messages of the flow waiting in the parking lot").register(meters);
        Gauge.builder("esb.flow.backlog", () -> snapshots.get(flow).backlog()).tag("flow", flow)
                .description("messages waiting to be consumed: Kafka consumer lag plus JMS queue depth").register(meters);
        Gauge.builder("esb.flow.routes.started", () -> snapshots.get(flow).routesStarted()).tag("flow", flow)
                .description("running routes of the flow").register(meters);
        Gauge.builder("esb.flow.routes", () -> snapshots.get(flow).routesTotal()).tag("flow", flow)
                .description("routes of the flow").register(meters);
    }

    private Map<String, Long> parkedPerFlow() {
        Map<String, Long> counts = new HashMap<>();
        try {
            jdbc.query("SELECT flow, count(*) AS n FROM esb.parked_message WHERE status = 'PARKED' GROUP BY flow",
                    rs -> {
                        counts.put(rs.getString("flow"), rs.getLong("n"));
                    });
        } catch (RuntimeException e) {
            LOG.debug("Counting parked messages failed: {}", e.toString());
        }
        return counts;
    }

    /** Sum over the flow's consumer groups of (latest offset - committed offset) of the partitions they consume. */
    private long kafkaLag(Map<String, Set<String>> groups) {
        long lag = 0;
        for (Map.Entry<String, Set<String>> g : groups.entrySet()) {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = kafka.listConsumerGroupOffsets(g.getKey(),
                                new ListConsumerGroupOffsetsOptions().timeoutMs(3000))
                        .partitionsToOffsetAndMetadata().get(3, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                committed.forEach((tp, offset) -> {
                    if (offset != null && g.getValue().contains(tp.topic())) {
                        request.put(tp, OffsetSpec.latest());
                    }
                });
                if (request.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> latest =
                        kafka.listOffsets(request).all().get(3, TimeUnit.SECONDS);
                for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> l : latest.entrySet()) {
                    lag += Math.max(0, l.getValue().offset() - committed.get(l.getKey()).offset());
                }
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.debug("Consumer lag of {} unknown: {}", g.getKey(), e.toString());
            }
        }
        return lag;
    }

    private long queueDepth(Set<String> queues) {
        ConnectionFactory factory = jms.getIfUnique();
        if (factory == null || queues.isEmpty()) {
            return 0;
        }
        JmsTemplate template = new JmsTemplate(factory);
        template.setReceiveTimeout(1000);
        long depth = 0;
        for (String queue : queues) {
            try {
                Integer n = template.browse(queue, (session, browser) -> count(browser));
                depth += n == null ? 0 : n;
            } catch (RuntimeException e) {
                LOG.debug("Depth of queue {} unknown: {}", queue, e.toString());
            }
        }
        return depth;
    }

    private int count(QueueBrowser browser) throws jakarta.jms.JMSException {
        Enumeration<?> messages = browser.getEnumeration();
        int n = 0;
        while (messages.hasMoreElements() && n < queueDepthCap) {
            messages.nextElement();
            n++;
        }
        return n;
    }

    /** For tests: the flows known so far. */
    Map<String, Snapshot> snapshots() {
        return Collections.unmodifiableMap(snapshots);
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
