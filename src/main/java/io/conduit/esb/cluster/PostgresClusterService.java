package io.conduit.esb.cluster;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Leadership of the singleton pollers on the PostgreSQL the ESB instances already share: Camel's cluster SPI
 * ({@link org.apache.camel.cluster.CamelClusterService}), so the routes' {@code ClusteredRoutePolicy} beans work as
 * with any other cluster service, over one lease row per namespace in {@code esb.cluster_lease}.
 * <p>
 * The lease works as a Kubernetes Lease does (and as Camel's {@code KubernetesClusterService}, the option on
 * Kubernetes, is configured): every {@code retry} an instance tries to take or renew the row in one statement, which
 * succeeds only for the holder or once the row has expired ({@code expires_at}, set to now + {@code lease} by each
 * renewal). The holder leads while its renewals succeed; when none has succeeded for {@code renewDeadline} (measured
 * on its own monotonic clock from the start of the last successful one) it stops leading by itself, even while a
 * renewal still hangs on a dead connection (a thread of its own watches the deadline), and {@code lease - renewDeadline}
 * before anyone else can take the row. A frozen JVM (a long GC pause) or a lost connection therefore ends the
 * leadership at the expiry, unlike a session advisory lock, which a half-open TCP connection can keep for as long as
 * the server has not noticed. Every time in the row is the database's clock ({@code clock_timestamp()}), so the
 * instances' clocks never have to agree. A leader that stops releases its rows (handover within {@code retry}); one
 * that is killed hands over when its lease expires (within {@code lease + retry}).
 * <p>
 * Hand-written, because no library fits: Camel has cluster services for Kubernetes, ZooKeeper, Consul, etcd,
 * Infinispan, JGroups and a file lock, none on a database; Spring Integration's {@code JdbcLockRegistry} with
 * {@code LockRegistryLeaderInitiator} decides expiry on each client's wall clock ({@code DefaultLockRepository} writes
 * {@code LocalDateTime.now()}, so two hosts whose clocks differ disagree on who may take the lock), learns that it
 * lost the lock only at its next attempt, and brings Spring Integration's whole infrastructure for one class; ShedLock
 * locks single runs of a scheduled task ({@code lockAtMostFor}), it does not elect a leader that starts and stops
 * routes.
 * <p>
 * Correctness never rests on the lease alone: a leader that wakes from a pause longer than the lease may run one more
 * poll before it notices, so the pollers advance their watermarks with a compare-and-set and deliveries are idempotent
 * (an overlap repeats work, it loses nothing).
 */
public class PostgresClusterService extends AbstractCamelClusterService<PostgresClusterService.View> {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresClusterService.class);

    private static final String TAKE_OR_RENEW = """
            INSERT INTO esb.cluster_lease AS l (namespace, holder, acquired_at, renewed_at, expires_at)
            VALUES (?, ?, clock_timestamp(), clock_timestamp(), clock_timestamp() + ? * interval '1 millisecond')
            ON CONFLICT (namespace) DO UPDATE SET
                   holder = excluded.holder,
                   acquired_at = CASE WHEN l.holder = excluded.holder THEN l.acquired_at ELSE excluded.acquired_at END,
                   renewed_at = excluded.renewed_at,
                   expires_at = excluded.expires_at,
                   transitions = l.transitions + CASE WHEN l.holder = excluded.holder THEN 0 ELSE 1 END
             WHERE l.holder = excluded.holder OR l.expires_at < clock_timestamp()
            RETURNING holder""";
    private static final String CURRENT_HOLDER =
            "SELECT holder FROM esb.cluster_lease WHERE namespace = ? AND expires_at >= clock_timestamp()";
    private static final String RELEASE = "DELETE FROM esb.cluster_lease WHERE namespace = ? AND holder = ?";

    private final JdbcTemplate jdbc;
    private final String memberId;
    private final Duration lease;
    private final Duration renewDeadline;
    private final Duration retry;
    private AutoCloseable closeOnShutdown;

    /** The lease statements, one at a time (a hanging one delays only the lease work). */
    private ScheduledExecutorService leaseThread;
    /** The renew deadlines: never waits on the database. */
    private ScheduledExecutorService deadlineThread;
    /** Leadership events: the listeners start and stop routes, which may take a while. */
    private ExecutorService eventThread;

    /**
     * @param dataSource    the ESB's database (best a small pool of its own, so a busy main pool delays no renewal)
     * @param memberId      this instance's name in the lease rows; unique among the running instances
     * @param lease         how long a taken or renewed lease is the holder's
     * @param renewDeadline how long the holder keeps leading without a successful renewal; less than {@code lease}
     * @param retry         how often the holder renews and the others try to take an expired lease; well below
     *                      {@code renewDeadline}
     */
    public PostgresClusterService(DataSource dataSource, String memberId, Duration lease, Duration renewDeadline,
                                  Duration retry) {
        if (renewDeadline.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("esb.cluster.renew-deadline-ms (" + renewDeadline.toMillis()
                    + ") must be less than esb.cluster.lease-ms (" + lease.toMillis() + ")");
        }
        if (retry.multipliedBy(2).compareTo(renewDeadline) > 0) {
            throw new IllegalArgumentException("esb.cluster.retry-ms (" + retry.toMillis() + ") must be at most half "
                    + "of esb.cluster.renew-deadline-ms (" + renewDeadline.toMillis() + ")");
        }
        if (memberId == null || memberId.isBlank()) {
            throw new IllegalArgumentException("esb.cluster.member-id is empty");
        }
        this.jdbc = new JdbcTemplate(dataSource);
        // a statement never outlasts the deadline
        this.jdbc.setQueryTimeout((int) Math.max(1, renewDeadline.toSeconds()));
        this.memberId = memberId;
        this.lease = lease;
        this.renewDeadline = renewDeadline;
        this.retry = retry;
        setId("esb-cluster-postgres");
    }

    public String getMemberId() {
        return memberId;
    }

    /** Something to close when the service shuts down for good (the lease's own connection pool). */
    public PostgresClusterService closingOnShutdown(AutoCloseable resource) {
        this.closeOnShutdown = resource;
        return this;
    }

    @Override
    protected void doShutdown() throws Exception {
        if (closeOnShutdown != null) {
            closeOnShutdown.close();
        }
    }

    @Override
    protected View createView(String namespace) {
        return new View(namespace);
    }

    @Override
    protected void doStart() throws Exception {
        leaseThread = Executors.newSingleThreadScheduledExecutor(daemon("esb-cluster-lease"));
        deadlineThread = Executors.newSingleThreadScheduledExecutor(daemon("esb-cluster-deadline"));
        eventThread = Executors.newSingleThreadExecutor(daemon("esb-cluster-events"));
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        try {
            super.doStop();
        } finally {
            leaseThread.shutdownNow();
            deadlineThread.shutdownNow();
            eventThread.shutdown();
            if (!eventThread.awaitTermination(retry.toMillis(), TimeUnit.MILLISECONDS)) {
                eventThread.shutdownNow();
            }
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One namespace's leadership: this instance's view of its lease row. */
    public final class View extends AbstractCamelClusterView {

        private final Member local = new Member(memberId, true);
        /** Leading: the last successful renewal started less than the renew deadline ago. */
        private boolean leader;
        /** Until when (System.nanoTime) the last successful renewal lets this instance lead. */
        private long leadsUntil;
        /** Another instance holding the lease, as last read; null when none does or this one leads. */
        private Member remote;
        private boolean failing;
        private ScheduledFuture<?> renewals;
        private ScheduledFuture<?> deadlines;

        View(String namespace) {
            super(PostgresClusterService.this, namespace);
        }

        @Override
        public synchronized Optional<CamelClusterMember> getLeader() {
            return leader ? Optional.of(local) : Optional.ofNullable(remote);
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public synchronized List<CamelClusterMember> getMembers() {
            List<CamelClusterMember> members = new ArrayList<>();
            members.add(local);
            if (remote != null) {
                members.add(remote);
            }
            return members;
        }

        synchronized boolean isLeader() {
            return leader;
        }

        @Override
        protected void doStart() {
            if (leaseThread == null || leaseThread.isShutdown()) {
                throw new IllegalStateException("the cluster service " + getId() + " is not started");
            }
            renewals = leaseThread.scheduleWithFixedDelay(this::takeOrRenew, 0, retry.toMillis(),
                    TimeUnit.MILLISECONDS);
            long check = Math.max(50, retry.toMillis() / 4);
            deadlines = deadlineThread.scheduleWithFixedDelay(this::checkDeadline, check, check, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void doStop() throws Exception {
            if (renewals == null) {
                return;
            }
            renewals.cancel(false);
            deadlines.cancel(false);
            boolean led;
            synchronized (this) {
                led = leader;
            }
            if (led) {
                changed(false, null, "stopping");
            }
            // after any renewal still running (the same thread), so the row is not renewed again once released
            Future<?> release = leaseThread.submit(() -> jdbc.update(RELEASE, getNamespace(), memberId));
            try {
                release.get(renewDeadline.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("Leadership {}: could not release the lease ({}); another instance takes it when it expires",
                        getNamespace(), e.getCause() != null ? e.getCause().getMessage() : e.toString());
                release.cancel(true);
            }
        }

        private void takeOrRenew() {
            long started = System.nanoTime();
            try {
                List<String> taken = jdbc.queryForList(TAKE_OR_RENEW, String.class, getNamespace(), memberId,
                        lease.toMillis());
                recovered();
                if (!taken.isEmpty()) {
                    synchronized (this) {
                        leadsUntil = started + renewDeadline.toNanos();
                    }
                    changed(true, null, "lease taken");
                    return;
                }
                List<String> holder = jdbc.queryForList(CURRENT_HOLDER, String.class, getNamespace());
                changed(false, holder.isEmpty() ? null : new Member(holder.get(0), false), "held by another instance");
            } catch (RuntimeException e) {
                // keeps leading until the deadline (checkDeadline); the next attempt comes after retry
                synchronized (this) {
                    if (!failing) {
                        failing = true;
                        LOG.warn("Leadership {}: the lease could not be taken or renewed ({}); {}", getNamespace(),
                                e.getMessage(), leader ? "stepping down unless renewed within "
                                        + renewDeadline.toMillis() + " ms" : "trying again every "
                                        + retry.toMillis() + " ms");
                    }
                }
            }
        }

        private synchronized void recovered() {
            if (failing) {
                failing = false;
                LOG.info("Leadership {}: the lease table answers again", getNamespace());
            }
        }

        private void checkDeadline() {
            synchronized (this) {
                if (!leader || System.nanoTime() - leadsUntil < 0) {
                    return;
                }
            }
            changed(false, null, "no renewal within " + renewDeadline.toMillis() + " ms");
        }

        /** Records the leadership (and the other holder, if any); on a change, tells the listeners. */
        private void changed(boolean leads, Member other, String why) {
            boolean fire;
            synchronized (this) {
                String before = leader ? memberId : remote == null ? null : remote.getId();
                String after = leads ? memberId : other == null ? null : other.getId();
                fire = leader != leads || !java.util.Objects.equals(before, after);
                if (leader != leads) {
                    if (leads) {
                        LOG.info("Leadership {}: {} leads ({})", getNamespace(), memberId, why);
                    } else {
                        LOG.info("Leadership {}: {} no longer leads ({})", getNamespace(), memberId, why);
                    }
                }
                leader = leads;
                remote = leads ? null : other;
            }
            if (fire) {
                // the listeners read getLocalMember().isLeader() when they run: always the latest state
                try {
                    eventThread.execute(() -> fireLeadershipChangedEvent(getLeader()));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    LOG.debug("Leadership {}: the service has stopped, no event", getNamespace());
                }
            }
        }

        /** A member of a namespace: this instance, or the other one holding its lease. */
        private final class Member implements CamelClusterMember {
            private final String id;
            private final boolean isLocal;

            Member(String id, boolean isLocal) {
                this.id = id;
                this.isLocal = isLocal;
            }

            @Override
            public boolean isLeader() {
                synchronized (View.this) {
                    return isLocal ? leader : remote != null && remote.id.equals(id);
                }
            }

            @Override
            public boolean isLocal() {
                return isLocal;
            }

            @Override
            public String getId() {
                return id;
            }

            @Override
            public String toString() {
                return id;
            }
        }
    }
}
