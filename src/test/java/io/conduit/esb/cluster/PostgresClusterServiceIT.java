package io.conduit.esb.cluster;

import io.conduit.esb.support.EsbIntegrationTest;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link PostgresClusterService} between two instances (two Camel contexts A and B, each with its own service and a
 * {@link ClusteredRoutePolicy} per namespace around a timer route, as the ESB's singleton pollers have) on the one
 * embedded PostgreSQL of the test context: each namespace gets exactly one leader, whose routes alone run; B takes over
 * when A stops (it releases its leases) and when A is suspended (its lease statements hang: A must stop its routes by
 * its renew deadline, before its lease expires, and B may start only after that).
 */
class PostgresClusterServiceIT extends EsbIntegrationTest {

    private static final Duration LEASE = Duration.ofMillis(3000);
    private static final Duration RENEW_DEADLINE = Duration.ofMillis(2000);
    private static final Duration RETRY = Duration.ofMillis(500);
    private static final long TIMER_MS = 50;

    @Autowired
    @Qualifier("esbDataSource")
    DataSource esbDataSource;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> namespaces = List.of("it-" + run + "-capture", "it-" + run + "-scanner");
    /** Every run of a singleton route: which instance, which namespace, when (System.nanoTime). */
    private final ConcurrentLinkedQueue<Object[]> runs = new ConcurrentLinkedQueue<>();
    private final List<DefaultCamelContext> contexts = new ArrayList<>();

    @AfterEach
    void stopInstances() {
        contexts.forEach(DefaultCamelContext::stop);
        jdbc.update("DELETE FROM esb.cluster_lease WHERE namespace LIKE ?", "it-" + run + "-%");
    }

    @Test
    void eachNamespaceHasOneLeaderAndTheOtherInstanceTakesOverWithinTheRetryWhenTheLeaderStops() throws Exception {
        Instance a = instance("a", esbDataSource);
        Instance b = instance("b", esbDataSource);
        a.camel.start();
        await().atMost(LEASE).until(() -> namespaces.stream().allMatch(a.service::isLeader));
        b.camel.start();

        // B stands by on both namespaces while A renews: its routes are stopped and never run
        await().during(LEASE.plus(RETRY)).atMost(LEASE.multipliedBy(3)).until(() ->
                namespaces.stream().allMatch(ns -> a.service.isLeader(ns) && !b.service.isLeader(ns)));
        for (String ns : namespaces) {
            assertThat(a.status(ns)).isEqualTo(ServiceStatus.Started);
            assertThat(b.status(ns)).isEqualTo(ServiceStatus.Stopped);
            assertThat(holder(ns)).isEqualTo(a.service.getMemberId());
        }
        assertThat(runsOf("b")).isEmpty();
        assertThat(runsOf("a")).isNotEmpty();

        // A stops: it releases its leases, B takes both within about one retry, long before a lease would expire
        long stopped = System.nanoTime();
        a.camel.stop();
        await().atMost(LEASE).until(() -> namespaces.stream().allMatch(b.service::isLeader));
        long handover = (System.nanoTime() - stopped) / 1_000_000;
        System.out.printf("postgres cluster service: handover after a graceful stop %d ms (retry %d ms)%n", handover,
                RETRY.toMillis());
        assertThat(handover).isLessThan(LEASE.toMillis());
        for (String ns : namespaces) {
            await().atMost(RETRY.multipliedBy(4)).until(() -> b.status(ns) == ServiceStatus.Started);
            assertThat(holder(ns)).isEqualTo(b.service.getMemberId());
        }
        awaitRunsOnB();
        assertNeverTwoAtOnce();
    }

    @Test
    void aSuspendedLeaderStopsItsRoutesByItsDeadlineAndTheOtherTakesOverOnlyAfterTheLeaseExpired() throws Exception {
        FreezableDataSource frozenA = new FreezableDataSource(esbDataSource);
        Instance a = instance("a", frozenA);
        Instance b = instance("b", esbDataSource);
        a.camel.start();
        await().atMost(LEASE).until(() -> namespaces.stream().allMatch(a.service::isLeader));
        b.camel.start();
        await().during(RETRY.multipliedBy(3)).atMost(LEASE).until(() ->
                namespaces.stream().noneMatch(b.service::isLeader));

        // A's lease statements hang from now on (a frozen connection): it can no longer renew
        long frozen = System.nanoTime();
        frozenA.freeze();
        try {
            await().atMost(LEASE.multipliedBy(3)).until(() -> namespaces.stream().allMatch(b.service::isLeader));
            long takeover = (System.nanoTime() - frozen) / 1_000_000;
            System.out.printf("postgres cluster service: takeover from a suspended leader %d ms (lease %d ms)%n",
                    takeover, LEASE.toMillis());
            // A stepped down by itself although its statements hang
            for (String ns : namespaces) {
                assertThat(a.service.isLeader(ns)).isFalse();
                await().atMost(RETRY.multipliedBy(4)).until(() -> a.status(ns) == ServiceStatus.Stopped);
            }
            // not before A's lease expired (it was renewed at most one retry before the freeze), and soon after
            assertThat(takeover).isGreaterThanOrEqualTo(LEASE.minus(RETRY).toMillis())
                    .isLessThan(LEASE.plus(RETRY.multipliedBy(3)).toMillis());
            awaitRunsOnB();
            assertNeverTwoAtOnce();
            // taken over from A's expired row, not released by A
            for (String ns : namespaces) {
                assertThat(transitions(ns)).isEqualTo(1);
                assertThat(holder(ns)).isEqualTo(b.service.getMemberId());
            }
        } finally {
            frozenA.thaw();
        }
        // A answers again: B keeps the leases it renews, A stays on standby
        await().during(RETRY.multipliedBy(4)).atMost(LEASE).until(() ->
                namespaces.stream().allMatch(ns -> b.service.isLeader(ns) && !a.service.isLeader(ns)));
    }

    private void awaitRunsOnB() {
        await().atMost(RETRY.multipliedBy(4)).until(() -> namespaces.stream().allMatch(ns ->
                runs.stream().anyMatch(r -> r[0].equals("b") && r[1].equals(ns))));
    }

    /** For each namespace: every run on one instance ended before the first run on the other began. */
    private void assertNeverTwoAtOnce() {
        for (String ns : namespaces) {
            Map<String, long[]> span = new ConcurrentHashMap<>();
            for (Object[] r : runs) {
                if (r[1].equals(ns)) {
                    span.merge((String) r[0], new long[]{(long) r[2], (long) r[2]},
                            (x, y) -> new long[]{Math.min(x[0], y[0]), Math.max(x[1], y[1])});
                }
            }
            assertThat(span).as("runs of %s", ns).containsKeys("a", "b");
            assertThat(span.get("a")[1]).as("A's last run of %s before B's first", ns).isLessThan(span.get("b")[0]);
        }
    }

    private List<Object[]> runsOf(String instance) {
        return runs.stream().filter(r -> r[0].equals(instance)).toList();
    }

    private String holder(String namespace) {
        return jdbc.queryForObject("SELECT holder FROM esb.cluster_lease WHERE namespace = ?", String.class, namespace);
    }

    private long transitions(String namespace) {
        return jdbc.queryForObject("SELECT transitions FROM esb.cluster_lease WHERE namespace = ?", Long.class,
                namespace);
    }

    private Instance instance(String name, DataSource dataSource) throws Exception {
        PostgresClusterService service = new PostgresClusterService(dataSource, "it-" + run + "-" + name, LEASE,
                RENEW_DEADLINE, RETRY);
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getShutdownStrategy().setTimeout(5);
        camel.addService(service);
        for (String ns : namespaces) {
            ClusteredRoutePolicy policy = ClusteredRoutePolicy.forNamespace(service, ns);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("timer:" + ns + "?period=" + TIMER_MS).routeId(ns).routePolicy(policy)
                            .process(e -> runs.add(new Object[]{name, ns, System.nanoTime()}));
                }
            });
        }
        contexts.add(camel);
        return new Instance(camel, service);
    }

    private record Instance(DefaultCamelContext camel, PostgresClusterService service) {
        ServiceStatus status(String routeId) {
            return camel.getRouteController().getRouteStatus(routeId);
        }
    }

    /** A data source whose connections can be made to hang, as a frozen or half-open connection does. */
    private static final class FreezableDataSource extends DelegatingDataSource {
        private volatile CountDownLatch gate = new CountDownLatch(0);

        FreezableDataSource(DataSource target) {
            super(target);
        }

        void freeze() {
            gate = new CountDownLatch(1);
        }

        void thaw() {
            gate.countDown();
        }

        @Override
        public Connection getConnection() throws SQLException {
            try {
                gate.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted", e);
            }
            return super.getConnection();
        }
    }
}
