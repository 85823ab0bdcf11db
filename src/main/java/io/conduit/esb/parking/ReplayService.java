package io.conduit.esb.parking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.delivery.VersionedProducer;
import io.conduit.esb.journal.Hop;
import io.conduit.esb.journal.Journal;
import io.conduit.esb.journal.JournalEntry;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Recovery of parked messages (bean {@code replays}).
 * <p>
 * <b>How a message is replayed.</b> Its stored original payload (or an operator's edit) and kept headers are run
 * through the route whose consumer received it ({@code from_route_id}), by handing an exchange made by that
 * route's consumer to the consumer's own processor. Nothing is sent to a Kafka topic or JMS queue again (other
 * consumer groups would get a duplicate); the route's error policy applies as to any message, so a replay that
 * fails again is redelivered and then parked again as a new message whose {@code replay_of} names this one.
 * <p>
 * <b>At most once.</b> A replay first claims the message (PARKED -> REPLAYING, one conditional UPDATE). It is then
 * not re-sent if the journal has a DELIVERED hop of its event id by its route since it was parked, or if another
 * parked copy of the same event was delivered by a replay since: it becomes REPLAYED with outcome
 * ALREADY_DELIVERED. A bulk replay runs several copies of one event id once.
 * <p>
 * <b>Never back in time.</b> A flow's versioned deliveries ({@code versioned:} steps) compare the message's version
 * with the one the target was given: a replayed message older than what the target has is not sent and becomes
 * REPLAYED with outcome SUPERSEDED; the same version, where the step skips it, ALREADY_DELIVERED.
 * <p>
 * The bulk job runner is written here rather than with Spring Batch: one table row of counts is all the job state
 * an operator needs, and the pace is a Resilience4j rate limiter already on the classpath.
 */
@Service("replays")
public class ReplayService implements Replays, DisposableBean {

    public static final String DELIVERED = "DELIVERED";
    public static final String PARKED_AGAIN = "PARKED_AGAIN";
    public static final String ALREADY_DELIVERED = "ALREADY_DELIVERED";
    /** a versioned delivery found the target holding a newer version: the message was not sent */
    public static final String SUPERSEDED = "SUPERSEDED";
    public static final String NOT_PARKED = "NOT_PARKED";
    public static final String FAILED = "FAILED";

    private static final Logger LOG = LoggerFactory.getLogger(ReplayService.class);
    private static final int MAX_REASON = 2000;

    private final ParkedMessages parked;
    private final NamedParameterJdbcTemplate jdbc;
    private final CamelContext camel;
    private final Journal journal;
    private final MeterRegistry meters;
    private final ObjectMapper json;
    private final ReplayProperties settings;
    private final ExecutorService jobs;
    private final AtomicInteger workerNo = new AtomicInteger();

    public ReplayService(ParkedMessages parked, NamedParameterJdbcTemplate jdbc, CamelContext camel,
                         Journal journal, MeterRegistry meters, ObjectMapper json,
                         ReplayProperties settings) {
        this.parked = parked;
        this.jdbc = jdbc;
        this.camel = camel;
        this.journal = journal;
        this.meters = meters;
        this.json = json;
        this.settings = settings;
        this.jobs = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "esb-replay-" + workerNo.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Jobs and replays cut off by a stop of the ESB: jobs FAILED (interrupted), messages PARKED again. */
    @EventListener(ApplicationReadyEvent.class)
    public void recoverInterrupted() {
        int interruptedJobs = jdbc.update("""
                UPDATE esb.replay_job SET status = 'FAILED', detail = 'interrupted by a restart of the ESB',
                       finished_at = now()
                 WHERE status = 'RUNNING'""", new MapSqlParameterSource());
        int released = parked.releaseInterrupted();
        if (interruptedJobs + released > 0) {
            LOG.warn("{} replay job(s) were interrupted by a restart; {} message(s) being replayed are parked again",
                    interruptedJobs, released);
        }
    }

    // ----------------------------------------------------------------------------------------------- reading

    @Override
    public List<ParkedMessage> find(ParkedFilter filter, int limit) {
        validate(filter);
        return parked.find(filter, Math.min(Math.max(limit, 1), 1000)).stream().map(ParkedMessages.Stored::message)
                .toList();
    }

    @Override
    public long count(ParkedFilter filter) {
        validate(filter);
        return parked.count(filter);
    }

    @Override
    public Map<String, Long> countsByFlow(ParkedFilter filter) {
        validate(filter);
        return parked.countsByFlow(filter);
    }

    @Override
    public Optional<ParkedMessage> get(UUID id) {
        return parked.get(id).map(ParkedMessages.Stored::message);
    }

    /** A page of stored messages (with receiving route and edit), newest first. */
    public List<ParkedMessages.Stored> storedPage(ParkedFilter filter, int limit) {
        validate(filter);
        return parked.find(filter, limit);
    }

    /** The stored message with its receiving route and edit, for the detail view. */
    public Optional<ParkedMessages.Stored> stored(UUID id) {
        return parked.get(id);
    }

    @Override
    public ReplayPlan dryRun(ParkedFilter filter) {
        ParkedFilter replayable = replayable(filter);
        Map<String, Long> perFlow = parked.countsByFlow(replayable);
        long total = perFlow.values().stream().mapToLong(Long::longValue).sum();
        List<ParkedMessage> page = parked.find(replayable, settings.dryRunPageSize()).stream()
                .map(ParkedMessages.Stored::message).toList();
        return new ReplayPlan(total, page, List.copyOf(perFlow.keySet()));
    }

    // ----------------------------------------------------------------------------------------------- replay

    @Override
    public ReplayOutcome replay(UUID id, String editedPayload, String actor) {
        ParkedMessages.Stored stored = parked.get(id).orElseThrow(() -> new UnknownParkedMessageException(id));
        return replay(stored, editedPayload, actor(actor), null);
    }

    private ReplayOutcome replay(ParkedMessages.Stored stored, String editedPayload, String actor, UUID jobId) {
        ParkedMessage message = stored.message();
        if (!parked.claim(message.id(), actor, editedPayload, jobId)) {
            return new ReplayOutcome(message.id(), NOT_PARKED, "message is " + currentStatus(message.id()));
        }
        Instant started = Instant.now();
        boolean edited = editedPayload != null;
        String edit = editedPayload;
        try {
            Optional<String> deliveredBy = alreadyDelivered(stored);
            if (deliveredBy.isPresent()) {
                return finish(stored, ALREADY_DELIVERED, deliveredBy.get(), actor, started, edit);
            }
            String notRunnable = ReceivingRoute.whyNotRunnable(camel, stored.fromRouteId());
            if (notRunnable != null) {
                parked.unclaim(message.id(), "replay not run: " + notRunnable);
                count(message.flow(), FAILED);
                return new ReplayOutcome(message.id(), FAILED, notRunnable);
            }
            Exchange result = ReceivingRoute.run(camel, stored.fromRouteId(), message.headers(),
                    edited ? editedPayload : message.payload(),
                    Map.of(ParkingLot.REPLAY_OF, message.id().toString(), "EsbReplayActor", actor));
            String parkedAgain = result.getProperty(ParkingLot.PARKED_ID, String.class);
            if (parkedAgain != null) {
                return finish(stored, PARKED_AGAIN, parkedAgain, actor, started, edit);
            }
            String skipped = result.getProperty(VersionedProducer.OUTCOME, String.class);
            if (skipped != null && result.getException() == null) {
                // a versioned delivery did not send it: the target has a newer version (or this one)
                return finish(stored, SUPERSEDED.equals(skipped) ? SUPERSEDED : ALREADY_DELIVERED,
                        result.getProperty(VersionedProducer.DETAIL, String.class), actor, started, edit);
            }
            if (result.getException() != null) {
                // not handled by the route's error policy (e.g. the parking lot could not be written): still parked
                String why = "replay failed: " + result.getException();
                parked.unclaim(message.id(), clip(why));
                count(message.flow(), FAILED);
                return new ReplayOutcome(message.id(), FAILED, why);
            }
            return finish(stored, DELIVERED, null, actor, started, edit);
        } catch (RuntimeException e) {
            parked.unclaim(message.id(), clip("replay failed: " + e));
            count(message.flow(), FAILED);
            LOG.warn("Replay of parked message {} failed: {}", message.id(), e.toString());
            return new ReplayOutcome(message.id(), FAILED, e.toString());
        }
    }

    /** The journal's DELIVERED hop since parking, or a delivered replay of another parked copy of the event. */
    private Optional<String> alreadyDelivered(ParkedMessages.Stored stored) {
        ParkedMessage message = stored.message();
        if (message.eventId() != null
                && journal.deliveredSince(message.eventId(), stored.fromRouteId(), message.parkedAt())) {
            return Optional.of("journal has a delivery of event " + message.eventId() + " since it was parked");
        }
        return parked.deliveredCopy(stored).map(copy -> "parked copy " + copy + " of event " + message.eventId()
                + " was delivered by its replay");
    }

    private ReplayOutcome finish(ParkedMessages.Stored stored, String outcome, String detail, String actor,
                                 Instant started, String editedPayload) {
        ParkedMessage message = stored.message();
        boolean edited = editedPayload != null;
        String resolution = outcome;
        parked.replayed(message.id(), resolution);
        count(message.flow(), outcome);
        String note = "replayed by " + actor + (edited ? " with a payload edited by " + actor : "") + ": " + outcome
                + (detail == null ? "" : " (" + detail + ")");
        journal.record(new JournalEntry(0, started, message.correlationId(), message.eventId(), message.flow(),
                stored.fromRouteId(), null, Hop.REPLAYED, null, null,
                PARKED_AGAIN.equals(outcome) ? detail : message.id().toString(), ParkingLot.keys(message.headers()),
                note, editedPayload, actor));
        LOG.info("Parked message {} of flow {} {}", message.id(), message.flow(), note);
        return new ReplayOutcome(message.id(), outcome, detail);
    }

    // ----------------------------------------------------------------------------------------------- bulk jobs

    @Override
    public ReplayJob start(ParkedFilter filter, String actor) {
        ParkedFilter replayable = replayable(filter);
        requireCriteria(replayable);
        String who = actor(actor);
        UUID jobId = UUID.randomUUID();
        List<ParkedMessages.Stored> messages = parked.findAllOldestFirst(replayable);
        jdbc.update("""
                INSERT INTO esb.replay_job (id, filter, requested_by, status, total)
                VALUES (:id, CAST(:filter AS jsonb), :actor, 'RUNNING', :total)""",
                new MapSqlParameterSource("id", jobId).addValue("filter", toJson(replayable)).addValue("actor", who)
                        .addValue("total", messages.size()));
        LOG.info("Replay job {} by {}: {} message(s) matching {}", jobId, who, messages.size(), toJson(replayable));
        jobs.submit(() -> run(jobId, messages, who));
        return job(jobId).orElseThrow();
    }

    private void run(UUID jobId, List<ParkedMessages.Stored> messages, String actor) {
        ExecutorService workers = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread thread = new Thread(r, "esb-replay-" + workerNo.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        RateLimiter pace = settings.maxPerSecond() > 0 ? RateLimiter.of("replay-" + jobId, RateLimiterConfig.custom()
                .limitForPeriod(settings.maxPerSecond()).limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ofDays(1)).build()) : null;
        try {
            List<Future<?>> running = new ArrayList<>();
            for (List<ParkedMessages.Stored> copies : byEvent(messages)) {
                running.add(workers.submit(() -> replayCopies(jobId, copies, actor, pace)));
            }
            for (Future<?> future : running) {
                future.get();
            }
            jdbc.update("UPDATE esb.replay_job SET status = 'DONE', finished_at = now() WHERE id = :id",
                    new MapSqlParameterSource("id", jobId));
            LOG.info("Replay job {} done", jobId);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.error("Replay job {} failed", jobId, e);
            jdbc.update("""
                    UPDATE esb.replay_job SET status = 'FAILED', detail = :detail, finished_at = now() WHERE id = :id""",
                    new MapSqlParameterSource("id", jobId).addValue("detail", clip(e.toString())));
        } finally {
            workers.shutdownNow();
        }
    }

    /**
     * Replays the first copy of one event; the other copies (same event id, same receiving route) are then
     * REPLAYED as duplicates of it, unless it could not be run.
     */
    private void replayCopies(UUID jobId, List<ParkedMessages.Stored> copies, String actor, RateLimiter pace) {
        String replayedAs = null;
        for (ParkedMessages.Stored copy : copies) {
            if (replayedAs != null) {
                if (parked.claim(copy.message().id(), actor, null, jobId)) {
                    finish(copy, ALREADY_DELIVERED, "duplicate of parked message " + replayedAs, actor, Instant.now(),
                            null);
                }
                progress(jobId, ALREADY_DELIVERED);
                continue;
            }
            if (pace != null) {
                RateLimiter.waitForPermission(pace);
            }
            ReplayOutcome outcome = replay(copy, null, actor, jobId);
            progress(jobId, outcome.outcome());
            if (!FAILED.equals(outcome.outcome()) && !NOT_PARKED.equals(outcome.outcome())) {
                replayedAs = copy.message().id().toString();
            }
        }
    }

    private void progress(UUID jobId, String outcome) {
        String column = switch (outcome) {
            case DELIVERED -> "delivered";
            case PARKED_AGAIN -> "parked_again";
            default -> "skipped";
        };
        jdbc.update("UPDATE esb.replay_job SET " + column + " = " + column + " + 1 WHERE id = :id",
                new MapSqlParameterSource("id", jobId));
    }

    /** Groups copies of one event (same event id and receiving route), keeping the oldest-first order. */
    static List<List<ParkedMessages.Stored>> byEvent(List<ParkedMessages.Stored> messages) {
        Map<String, List<ParkedMessages.Stored>> groups = new LinkedHashMap<>();
        for (ParkedMessages.Stored stored : messages) {
            String key = stored.message().eventId() == null ? "id:" + stored.message().id()
                    : stored.fromRouteId() + "|" + stored.message().eventId();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(stored);
        }
        return List.copyOf(groups.values());
    }

    @Override
    public Optional<ReplayJob> job(UUID jobId) {
        return jdbc.query("SELECT * FROM esb.replay_job WHERE id = :id", new MapSqlParameterSource("id", jobId),
                (rs, n) -> jobOf(rs)).stream().findFirst();
    }

    @Override
    public List<ReplayJob> recentJobs(int limit) {
        return jdbc.query("SELECT * FROM esb.replay_job ORDER BY started_at DESC LIMIT :limit",
                new MapSqlParameterSource("limit", Math.min(Math.max(limit, 1), 500)), (rs, n) -> jobOf(rs));
    }

    /** Why a job failed (e.g. interrupted by a restart), if it did. */
    public Optional<String> jobDetail(UUID jobId) {
        return jdbc.queryForList("SELECT detail FROM esb.replay_job WHERE id = :id",
                new MapSqlParameterSource("id", jobId), String.class).stream().filter(d -> d != null).findFirst();
    }

    private static ReplayJob jobOf(java.sql.ResultSet rs) throws java.sql.SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new ReplayJob(rs.getObject("id", UUID.class), rs.getString("requested_by"), rs.getString("filter"),
                rs.getString("status"), rs.getLong("total"), rs.getLong("delivered"), rs.getLong("parked_again"),
                rs.getLong("skipped"), rs.getTimestamp("started_at").toInstant(),
                finished == null ? null : finished.toInstant());
    }

    // ----------------------------------------------------------------------------------------------- discard

    @Override
    public int discard(ParkedFilter filter, String reason, String actor) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidFilterException("a reason is required to discard messages");
        }
        ParkedFilter discardable = replayable(filter);
        requireCriteria(discardable);
        String who = actor(actor);
        List<ParkedMessages.Stored> discarded = parked.discard(discardable, clip(reason.strip()), who);
        for (ParkedMessages.Stored stored : discarded) {
            ParkedMessage message = stored.message();
            meters.counter("esb.messages.discarded", "flow", message.flow()).increment();
            journal.record(new JournalEntry(0, Instant.now(), message.correlationId(), message.eventId(), message.flow(),
                    stored.fromRouteId(), null, Hop.DISCARDED, null, null, message.id().toString(),
                    ParkingLot.keys(message.headers()), "discarded by " + who + ": " + reason.strip(), null, who));
        }
        LOG.info("{} parked message(s) discarded by {}: {}", discarded.size(), who, reason.strip());
        return discarded.size();
    }

    // ----------------------------------------------------------------------------------------------- helpers

    /**
     * Checks a filter: a known status, a time range that is not reversed, no absurdly long texts.
     *
     * @throws InvalidFilterException if it is not valid
     */
    public static void validate(ParkedFilter filter) {
        if (filter == null) {
            throw new InvalidFilterException("a filter is required");
        }
        if (!"ANY".equalsIgnoreCase(filter.status()) && !ParkedMessages.STATUSES.contains(filter.status().toUpperCase())) {
            throw new InvalidFilterException("status must be one of " + ParkedMessages.STATUSES + " or ANY");
        }
        if (filter.from() != null && filter.to() != null && !filter.from().isBefore(filter.to())) {
            throw new InvalidFilterException("'from' must be before 'to'");
        }
        if (filter.ids().size() > 10_000) {
            throw new InvalidFilterException("at most 10000 ids");
        }
        for (String text : new String[] {filter.flow(), filter.reason(), filter.businessKey()}) {
            if (text != null && text.length() > 256) {
                throw new InvalidFilterException("flow, reason and businessKey are at most 256 characters");
            }
        }
    }

    /** Only PARKED messages are replayed or discarded; a filter asking for another status is refused. */
    private static ParkedFilter replayable(ParkedFilter filter) {
        validate(filter);
        if (!"PARKED".equalsIgnoreCase(filter.status())) {
            throw new InvalidFilterException("only PARKED messages can be replayed or discarded; filter.status names another status");
        }
        return ParkedMessages.onlyParked(filter);
    }

    /** A bulk action names what it acts on: at least one criterion besides the status. */
    private static void requireCriteria(ParkedFilter filter) {
        if (filter.ids().isEmpty() && blank(filter.flow()) && blank(filter.reason()) && blank(filter.businessKey())
                && filter.from() == null && filter.to() == null) {
            throw new InvalidFilterException(
                    "name at least one of ids, flow, reason, businessKey, from, to (a filter matching everything is refused)");
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private String currentStatus(UUID id) {
        return parked.get(id).map(s -> s.message().status()).orElse("unknown");
    }

    private void count(String flow, String outcome) {
        meters.counter("esb.messages.replayed", "flow", flow, "outcome", outcome).increment();
    }

    private static String actor(String actor) {
        return actor == null || actor.isBlank() ? "anonymous" : actor;
    }

    private static String clip(String text) {
        return text != null && text.length() > MAX_REASON ? text.substring(0, MAX_REASON) : text;
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        jobs.shutdownNow();
        jobs.awaitTermination(5, TimeUnit.SECONDS);
    }
}
