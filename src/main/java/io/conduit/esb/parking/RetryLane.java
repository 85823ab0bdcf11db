package io.conduit.esb.parking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.ops.SystemReachableAgain;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The retry lane (table {@code esb.retry_message}): non-blocking retry for every delivery route.
 * <p>
 * <b>Why.</b> Camel's redelivery waits in the consumer's thread: while one message backs off, every message behind it
 * on its Kafka partition (or JMS consumer) waits too, and a target back after an outage got its first delivery only
 * when the backoff of the message in front ran out. Now the shared error policy redelivers in place only briefly
 * ({@code esb.redelivery.*}); then {@link ParkingLot#retryLater} puts the message here and the consumer goes on. A
 * target whose breaker is open sends it here at once.
 * <p>
 * <b>Rounds.</b> Every {@code esb.retry.poll-interval} the lane claims due messages (one conditional UPDATE with
 * {@code FOR UPDATE SKIP LOCKED}, so replicas share the work) and runs each through the route whose consumer received
 * it, as a replay does (nothing is published again). Delivered: the row goes. Failed again: the policy's brief
 * redeliveries, then {@link ParkingLot#retryLater} schedules the next round ({@code esb.retry.delays}, the last one
 * repeating), or parks the message once {@code esb.retry.give-up-after} has passed since its first failure. A
 * failure retrying cannot fix parks it at once, as anywhere.
 * <p>
 * <b>Order.</b> Messages behind one in the lane are not held back, so a later state of a record can reach its target
 * first; the versioned delivery ({@code versioned:} steps) then finds the lane's older message superseded and does not
 * send it. The order a target sees per record is kept; the order of the attempts is not.
 * <p>
 * Written here rather than with a broker's scheduled delivery: the message must stay visible and countable per flow
 * for the operator, survive a broker being replaced, and be given up into the parking lot in one place.
 */
@Component("retryLane")
public class RetryLane {

    /** exchange property: the lane's message being run (its id) */
    public static final String RETRY_ID = "EsbRetryId";
    /** exchange property set by {@link ParkingLot#retryLater}: the message waits in the lane (its next attempt) */
    public static final String WAITING = "EsbRetryWaiting";

    private static final Logger LOG = LoggerFactory.getLogger(RetryLane.class);
    /** a claim's lease: renewed while its message runs, so a crashed ESB's claims run out within it */
    private static final Duration CLAIM = Duration.ofSeconds(15);
    private static final Duration RENEW = Duration.ofSeconds(5);

    private final JdbcTemplate jdbc;
    private final CamelContext camel;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final RetryProperties settings;
    private final org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate namedJdbc;
    private final AtomicInteger waiting = new AtomicInteger();
    private ScheduledExecutorService clock;
    private ExecutorService workers;
    private volatile boolean running;

    public RetryLane(JdbcTemplate jdbc, CamelContext camel, ObjectMapper json, MeterRegistry meters,
                     RetryProperties settings) {
        this.jdbc = jdbc;
        this.namedJdbc = new org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate(jdbc);
        this.camel = camel;
        this.json = json;
        this.meters = meters;
        this.settings = settings;
        // counted at every look of the lane (once a poll interval), not kept up by hand
        Gauge.builder("esb.messages.retrying", waiting, AtomicInteger::get)
                .description("messages waiting in the retry lane").register(meters);
    }

    public boolean enabled() {
        return settings.enabled();
    }

    // ------------------------------------------------------------------------------------------ entering the lane

    /**
     * A new message for the lane, due after the first delay. Returns when it is due.
     *
     * @param system the connected system whose call failed ({@link io.conduit.esb.ops.SystemCallGuard#FAILED_SYSTEM}),
     *               null if none is known
     */
    Instant add(UUID id, ParkingLot.Failure failure, int attempts, String system) {
        Instant due = Instant.now().plus(settings.delay(0));
        jdbc.update("""
                INSERT INTO esb.retry_message (id, flow, route_id, from_route_id, failed_endpoint, reason, exception_type,
                                               payload, headers, event_id, correlation_id, business_key, attempts, retry_at,
                                               target_system)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)""",
                id, failure.flow(), failure.routeId(), failure.fromRouteId(), failure.failedEndpoint(),
                failure.reason(), failure.exceptionType(), failure.payload(), toJson(failure.headers()),
                failure.headers().get("ce_id"), failure.headers().get("ce_correlationid"),
                ParkingLot.businessKey(failure.headers()), attempts, Timestamp.from(due), system);
        meters.counter("esb.messages.retry.entered", "flow", failure.flow()).increment();
        return due;
    }

    /**
     * The lane's message failed again ({@code attempts} more): its next round, or null when it has waited longer
     * than {@code give-up-after} (then the caller parks it and {@link #remove}s it).
     */
    Instant reschedule(UUID id, ParkingLot.Failure failure, int attempts, String system) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT rounds, first_failed_at FROM esb.retry_message WHERE id = ?", id);
        if (rows.isEmpty()) {
            return null;
        }
        int rounds = ((Number) rows.get(0).get("rounds")).intValue() + 1;
        Instant first = ((Timestamp) rows.get(0).get("first_failed_at")).toInstant();
        Instant due = Instant.now().plus(settings.delay(rounds));
        if (due.isAfter(first.plus(settings.giveUpAfter()))) {
            return null;
        }
        jdbc.update("""
                UPDATE esb.retry_message SET attempts = attempts + ?, rounds = ?, reason = ?, exception_type = ?,
                       failed_endpoint = ?, retry_at = ?, claimed_until = NULL, target_system = ?
                 WHERE id = ?""", attempts, rounds, failure.reason(), failure.exceptionType(),
                failure.failedEndpoint(), Timestamp.from(due), system, id);
        return due;
    }

    /** Attempts made so far for the lane's message (0 if it is gone). */
    int attempts(UUID id) {
        List<Integer> attempts = jdbc.queryForList("SELECT attempts FROM esb.retry_message WHERE id = ?",
                Integer.class, id);
        return attempts.isEmpty() ? 0 : attempts.get(0);
    }

    /** The message left the lane (delivered, superseded or parked). */
    void remove(UUID id) {
        jdbc.update("DELETE FROM esb.retry_message WHERE id = ?", id);
    }

    /**
     * A system answers its probes again: the messages waiting in the lane for it are due now, rather than at their
     * next scheduled round (up to a minute later), and so are those whose failure named no system (a call outside
     * the guarded ones). Messages that failed on another system keep their round: making them due would only send
     * them to that system's breaker, or to the system itself while it is still away.
     */
    @EventListener(SystemReachableAgain.class)
    public void systemBack(SystemReachableAgain back) {
        if (!settings.enabled()) {
            return;
        }
        int due = jdbc.update("UPDATE esb.retry_message SET retry_at = now() WHERE retry_at > now()"
                + " AND (target_system IS NULL OR target_system = ?)", back.system());
        if (due > 0) {
            LOG.info("System {} is back: {} message(s) of the retry lane are due now", back.system(), due);
        }
    }

    // ------------------------------------------------------------------------------------------ rounds

    /**
     * Starts the rounds once the application is ready (its routes started). Not a Spring lifecycle bean: one that
     * depends on the CamelContext would start the context before its routes are added.
     */
    @EventListener(ApplicationReadyEvent.class)
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        refreshCount();
        if (!settings.enabled()) {
            return;
        }
        // a start is a moment to try again (the ESB is often restarted once what failed was put right): what waits is
        // due now, except what another replica (or this one before a crash) has claimed, due when the claim runs out
        int due = jdbc.update("UPDATE esb.retry_message SET retry_at = now() WHERE retry_at > now()"
                + " AND (claimed_until IS NULL OR claimed_until < now())");
        if (due > 0) {
            LOG.info("Retry lane: {} waiting message(s) are due now, at start", due);
        }
        workers = Executors.newFixedThreadPool(settings.concurrency(), named("esb-retry-"));
        clock = Executors.newSingleThreadScheduledExecutor(named("esb-retry-lane"));
        long period = settings.pollInterval().toMillis();
        clock.scheduleWithFixedDelay(this::runDue, period, period, TimeUnit.MILLISECONDS);
    }

    /** Stops the rounds as the application closes, before the routes stop. */
    @EventListener(ContextClosedEvent.class)
    public synchronized void stop() {
        running = false;
        if (clock != null) {
            clock.shutdownNow();
        }
        if (workers != null) {
            workers.shutdown();
            try {
                // a round in flight finishes (a delivery, or its failure written back); a message claimed but not run
                // is run again once its claim (15 s) runs out
                if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                    workers.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                workers.shutdownNow();
            }
        }
    }

    public boolean isRunning() {
        return running;
    }

    void runDue() {
        try {
            refreshCount();
            List<Due> due;
            // a full batch: look again at once, so a backlog (after an outage) drains at the routes' pace
            do {
                due = claimDue();
                runAll(due);
            } while (running && due.size() >= settings.batch());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the next look tries again; one line, not a stack trace every second while the database is away
            LOG.warn("Retry lane: could not run due messages: {}", e.toString());
        }
    }

    /** Runs the claimed messages, renewing the claims of those still running every few seconds. */
    private void runAll(List<Due> due) throws Exception {
        if (due.isEmpty()) {
            return;
        }
        java.util.Set<UUID> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
        due.forEach(d -> open.add(d.id()));
        List<Future<?>> rounds = due.stream().map(d -> workers.submit(() -> {
            try {
                run(d);
            } finally {
                open.remove(d.id());
            }
        })).<Future<?>>map(f -> f).toList();
        long renewAt = System.nanoTime() + RENEW.toNanos();
        for (Future<?> round : rounds) {
            while (true) {
                try {
                    round.get(Math.max(1, renewAt - System.nanoTime()), TimeUnit.NANOSECONDS);
                    break;
                } catch (java.util.concurrent.TimeoutException e) {
                    renew(open);
                    renewAt = System.nanoTime() + RENEW.toNanos();
                }
            }
        }
    }

    private void renew(java.util.Set<UUID> open) {
        if (open.isEmpty()) {
            return;
        }
        namedJdbc.update("""
                UPDATE esb.retry_message SET claimed_until = now() + make_interval(secs => :lease)
                 WHERE id IN (:ids) AND claimed_until IS NOT NULL""",
                new org.springframework.jdbc.core.namedparam.MapSqlParameterSource("lease", CLAIM.toSeconds())
                        .addValue("ids", List.copyOf(open)));
    }

    private record Due(UUID id, String flow, String fromRouteId, String payload, Map<String, String> headers) {
    }

    private List<Due> claimDue() {
        return jdbc.query("""
                UPDATE esb.retry_message SET claimed_until = now() + make_interval(secs => ?)
                 WHERE id IN (SELECT id FROM esb.retry_message
                               WHERE retry_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
                               ORDER BY retry_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING id, flow, from_route_id, payload, headers""",
                (rs, n) -> due(rs), CLAIM.toSeconds(), settings.batch());
    }

    private Due due(ResultSet rs) throws SQLException {
        try {
            Map<String, String> headers = json.readValue(rs.getString("headers"), new TypeReference<>() { });
            return new Due(rs.getObject("id", UUID.class), rs.getString("flow"), rs.getString("from_route_id"),
                    rs.getString("payload"), headers);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable headers of retry message " + rs.getString("id"), e);
        }
    }

    private void run(Due due) {
        if (!running) {
            return;
        }
        if (ReceivingRoute.whyNotRunnable(camel, due.fromRouteId()) != null) {
            // e.g. its route file is being reloaded
            later(due.id());
            return;
        }
        try {
            Exchange exchange = ReceivingRoute.run(camel, due.fromRouteId(), due.headers(), due.payload(),
                    Map.of(RETRY_ID, due.id().toString()));
            if (exchange.getProperty(WAITING) != null) {
                return;
            }
            if (exchange.getException() != null) {
                // not handled by the error policy (e.g. the parking lot could not be written): try again later
                LOG.warn("Retry lane: message {} of flow {} failed outside the error policy: {}", due.id(), due.flow(),
                        exchange.getException().toString());
                later(due.id());
                return;
            }
            // delivered, superseded, or parked for a failure retrying cannot fix
            remove(due.id());
            String outcome = exchange.getProperty(ParkingLot.PARKED_ID) != null ? "PARKED" : "DELIVERED";
            meters.counter("esb.messages.retry.left", "flow", due.flow(), "outcome", outcome).increment();
            LOG.info("Retry lane: message {} of flow {} (key {}) {}", due.id(), due.flow(),
                    ParkingLot.businessKey(due.headers()), outcome.toLowerCase());
        } catch (RuntimeException e) {
            LOG.warn("Retry lane: message {} of flow {} could not be run: {}", due.id(), due.flow(), e.toString());
        }
    }

    /** The message could not be run this time: again after the first delay, without counting a round. */
    private void later(UUID id) {
        jdbc.update("UPDATE esb.retry_message SET retry_at = ?, claimed_until = NULL WHERE id = ?",
                Timestamp.from(Instant.now().plus(settings.delay(0))), id);
    }

    private void refreshCount() {
        try {
            Integer count = jdbc.queryForObject("SELECT count(*) FROM esb.retry_message", Integer.class);
            waiting.set(count == null ? 0 : count);
        } catch (RuntimeException e) {
            // the gauge keeps its last value
        }
    }

    private String toJson(Map<String, String> headers) {
        try {
            return json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger no = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, prefix + no.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
