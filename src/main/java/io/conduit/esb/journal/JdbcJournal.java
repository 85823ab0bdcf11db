package io.conduit.esb.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.support.PersonalDataMask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The journal in PostgreSQL ({@code esb.journal_entry}). {@link #record} only puts the entry on a bounded queue;
 * one background thread drains it and writes JDBC batches, so a flow pays a queue offer per hop, not an INSERT.
 * When the queue is full the caller blocks up to {@code esb.journal.writer.offer-timeout} (back-pressure); only
 * if the writer still cannot keep up is the entry dropped, counted ({@code esb.journal.dropped}) and logged.
 * <p>
 * Hand-written (a queue and a thread) because neither Spring nor Camel has an asynchronous batching JDBC
 * writer with back-pressure and a "wait until written" call; a Camel seda route would add a copy of every
 * exchange and could not give {@link #flush()}.
 * <p>
 * One entry must never cost its neighbours their place in the journal (a NUL in one order's field once made 17
 * batches, 59 entries of many messages, fail and be dropped):
 * <ul>
 *   <li>every text value is made storable first ({@link #clean}): PostgreSQL refuses the NUL character (U+0000) in
 *       {@code text} and {@code varchar} columns, in {@code text[]} and, as the escape Jackson writes for it, in
 *       {@code jsonb}; it is stored as U+FFFD, the replacement character. Not as the six characters of its escape
 *       (backslash, u, 0000): U+FFFD keeps the length, so the column limits cut the same, and it cannot be taken
 *       for text a sender really sent (a JSON payload carries its NUL as that escape, and is journaled so).
 *       Searches clean their parameters the same way, so a search for the original value finds the entry;</li>
 *   <li>business key values are cut to {@value #MAX_KEY_CHARS} characters (names to 100): a key value comes from
 *       the payload, and the GIN index on {@code key_values} refuses an entry of more than about 2.7 KB (a
 *       10,000-character order id made its row fail). A search cuts its key the same way, so the full value still
 *       finds the entry;</li>
 *   <li>when a multi-row INSERT still fails because of what a row holds (SQL state class 22 data exception, 23
 *       constraint, 54 limit exceeded, or a value Java cannot bind), its rows are written again one by one: only
 *       the entry that is refused again is lost, counted ({@code esb.journal.write.failures}) and logged as one
 *       line. A failure of the database itself (no connection, no resources, a wrong statement) is not retried row
 *       by row, which would only wait out the same failure per row: the batch is lost, counted and logged.</li>
 * </ul>
 */
@Component("journal")
public class JdbcJournal implements Journal, SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcJournal.class);
    private static final String INSERT = """
            INSERT INTO esb.journal_entry (at, correlation_id, event_id, flow, route_id, step_id, hop, source, target,
                                           target_id, keys, key_values, detail, payload, actor)
            VALUES """;
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)";
    private static final int PARAMS = 15;
    /** rows per multi-row INSERT: one round trip and one statement for many rows (several times a JDBC batch) */
    private static final int ROWS_PER_STATEMENT = 100;
    private static final String COLUMNS = "id, at, correlation_id, event_id, flow, route_id, step_id, hop, source, "
            + "target, target_id, keys::text AS keys, detail, payload, actor";
    private static final TypeReference<Map<String, String>> KEYS = new TypeReference<>() {
    };
    /** the longest business key value stored (and searched for); see the class comment */
    static final int MAX_KEY_CHARS = 200;
    /** the longest failure reason a log line carries */
    private static final int MAX_REASON_CHARS = 300;

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final ObjectMapper json;
    private final JournalProperties settings;
    private final BlockingQueue<JournalEntry> queue;
    private final Counter written;
    private final Counter dropped;
    private final Counter writeFailures;
    private final Timer batchTimer;
    /** entries accepted by record() so far, and entries the writer has finished with (written or given up) */
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    /** callers waiting in flush(): the writer stops lingering for them */
    private final AtomicInteger flushing = new AtomicInteger();
    private final Object progress = new Object();
    private volatile Thread writer;
    private volatile boolean running;

    public JdbcJournal(JdbcTemplate jdbc, ObjectMapper json, JournalProperties settings, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.json = json;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, settings.getWriter().getQueueCapacity()));
        this.written = Counter.builder("esb.journal.written").description("journal entries written").register(meters);
        this.dropped = Counter.builder("esb.journal.dropped")
                .description("journal entries dropped because the writer could not keep up").register(meters);
        this.writeFailures = Counter.builder("esb.journal.write.failures")
                .description("journal entries lost because they could not be written").register(meters);
        this.batchTimer = Timer.builder("esb.journal.batch.write").description("time to write one batch of journal entries")
                .register(meters);
        Gauge.builder("esb.journal.queue.depth", queue, BlockingQueue::size)
                .description("journal entries waiting to be written").register(meters);
    }

    @Override
    public void record(JournalEntry entry) {
        if (entry == null) {
            return;
        }
        try {
            if (queue.offer(entry) || queue.offer(entry, settings.getWriter().getOfferTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                accepted.incrementAndGet();
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dropped.increment();
        LOG.warn("Journal queue full ({} entries): dropped {} hop of {} (correlation {})", queue.size(), entry.hop(),
                entry.routeId(), entry.correlationId());
    }

    @Override
    public void flush() {
        long target = accepted.get();
        long deadline = System.nanoTime() + settings.getWriter().getShutdownTimeout().toNanos();
        flushing.incrementAndGet();
        Thread lingering = writer;
        if (lingering != null) {
            // a writer waiting for its batch to fill writes it now
            LockSupport.unpark(lingering);
        }
        try {
            synchronized (progress) {
                while (done.get() < target && System.nanoTime() < deadline) {
                    if (writer == null || !writer.isAlive()) {
                        writeBatches();
                        continue;
                    }
                    try {
                        progress.wait(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        } finally {
            flushing.decrementAndGet();
        }
    }

    private void runWriter() {
        while (running || !queue.isEmpty()) {
            try {
                JournalEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                int size = settings.getWriter().getBatchSize();
                List<JournalEntry> batch = new ArrayList<>(size);
                batch.add(first);
                queue.drainTo(batch, size - 1);
                linger(batch, size);
                write(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (Throwable e) {
                // the writer keeps going: without it every hop would wait out the offer timeout on a full queue
                LOG.error("Journal writer failed: {}", reason(e));
            }
        }
    }

    /**
     * Lets a batch that is not full wait up to {@code esb.journal.writer.linger} for more entries. A flow records
     * several hops per message a few milliseconds apart: written as they came, nearly every hop was an INSERT and a
     * commit of its own (24,000 one-row statements for 4,500 orders in bench/throughput.sh's handoff at 30 orders/s,
     * pg_stat_statements). Nothing waits for the journal but {@link #flush()}, which ends the wait within a step; the
     * hops are asynchronous anyway (docs/operations/journal.md).
     * <p>
     * The writer sleeps through the wait, in steps of 10 ms at most, and then takes what came. It does not wait on the
     * queue: a thread waiting there is woken by every hop recorded (a futex wake-up per hop, and the writer running
     * for each one: {@code ArrayBlockingQueue.offer} was 1.8 % of the CPU samples of bench/profile.sh's handoff).
     * A batch that fills up ends the wait at the next step.
     */
    private void linger(List<JournalEntry> batch, int size) {
        long deadline = System.nanoTime() + settings.getWriter().getLinger().toNanos();
        while (running && flushing.get() == 0 && queue.size() < size - batch.size()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                // stopping (interrupted): the batch in hand is written all the same
                break;
            }
            LockSupport.parkNanos(this, Math.min(left, 10_000_000L));
        }
        queue.drainTo(batch, size - batch.size());
    }

    /** Drains the queue on the calling thread (used when no writer thread runs). */
    private void writeBatches() {
        List<JournalEntry> batch = new ArrayList<>();
        while (queue.drainTo(batch, settings.getWriter().getBatchSize()) > 0) {
            write(batch);
            batch = new ArrayList<>();
        }
    }

    /** Writes a batch in multi-row statements; a statement refused for what a row holds is written row by row. */
    private void write(List<JournalEntry> batch) {
        long started = System.nanoTime();
        // the first entry neither written nor given up
        int next = 0;
        try {
            while (next < batch.size()) {
                List<JournalEntry> rows = batch.subList(next, Math.min(batch.size(), next + ROWS_PER_STATEMENT));
                try {
                    insert(rows);
                    written.increment(rows.size());
                    next += rows.size();
                } catch (RuntimeException e) {
                    if (!refusedRow(e)) {
                        throw e;
                    }
                    for (JournalEntry row : rows) {
                        writeAlone(row);
                        next++;
                    }
                }
            }
        } catch (Throwable e) {
            writeFailures.increment(batch.size() - next);
            LOG.error("Could not write {} journal entries: {}", batch.size() - next, reason(e));
        } finally {
            batchTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            done.addAndGet(batch.size());
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    /**
     * Writes one entry of a statement that was refused. If this entry is refused too it is lost (counted, one log
     * line); any other failure is thrown, and the rest of the batch with it.
     */
    private void writeAlone(JournalEntry entry) {
        try {
            insert(List.of(entry));
            written.increment();
        } catch (RuntimeException e) {
            if (!refusedRow(e)) {
                throw e;
            }
            writeFailures.increment();
            LOG.warn("Journal entry lost: {} hop of route {} (correlation {}) could not be written: {}", entry.hop(),
                    clean(entry.routeId()), clean(entry.correlationId()), reason(e));
        }
    }

    /**
     * Whether a failed INSERT may have been refused for what a row holds rather than for the state of the database
     * or the statement: SQL state class 22 (data exception: a character the encoding refuses, a value out of range,
     * invalid JSON), 23 (integrity constraint), 54 (program limit exceeded: e.g. an index entry too large), or a
     * value that failed to bind in Java (no SQL state at all).
     */
    static boolean refusedRow(Throwable failure) {
        SQLException sql = sqlException(failure);
        if (sql == null) {
            return !(failure instanceof DataAccessException);
        }
        String state = sql.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    private static SQLException sqlException(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    /**
     * A failure as one short line: the database's own message and SQL state when there is one (not Spring's
     * message, which repeats the whole multi-row statement), masked and cut.
     */
    private static String reason(Throwable failure) {
        SQLException sql = sqlException(failure);
        Throwable shown = sql != null ? sql : failure;
        String message = shown.getMessage() == null ? "" : shown.getMessage();
        int lineEnd = message.indexOf('\n');
        String line = PersonalDataMask.mask(clean(lineEnd < 0 ? message : message.substring(0, lineEnd)).trim());
        String text = shown.getClass().getSimpleName() + (sql != null && sql.getSQLState() != null
                ? " (SQL state " + sql.getSQLState() + ")" : "") + (line.isEmpty() ? "" : ": " + line);
        return text.length() > MAX_REASON_CHARS ? text.substring(0, MAX_REASON_CHARS) + "..." : text;
    }

    private void insert(List<JournalEntry> rows) {
        String sql = INSERT + String.join(", ", java.util.Collections.nCopies(rows.size(), ROW));
        jdbc.update(sql, ps -> {
            for (int i = 0; i < rows.size(); i++) {
                bind(ps, i * PARAMS, rows.get(i));
            }
        });
    }

    private void bind(PreparedStatement ps, int offset, JournalEntry e) throws SQLException {
        ps.setTimestamp(offset + 1, Timestamp.from(e.at() == null ? Instant.now() : e.at()));
        ps.setString(offset + 2, cut(e.correlationId(), 128));
        ps.setString(offset + 3, cut(e.eventId(), 128));
        ps.setString(offset + 4, cut(e.flow() == null ? "unknown" : e.flow(), 100));
        ps.setString(offset + 5, cut(e.routeId(), 200));
        ps.setString(offset + 6, cut(e.stepId(), 200));
        ps.setString(offset + 7, e.hop().name());
        ps.setString(offset + 8, cut(e.source(), 500));
        ps.setString(offset + 9, cut(e.target(), 500));
        ps.setString(offset + 10, cut(e.targetId(), 200));
        Map<String, String> keys = cleanKeys(e.keys());
        ps.setString(offset + 11, toJson(keys));
        Array values = ps.getConnection().createArrayOf("text", keys.values().stream().distinct().toArray());
        ps.setArray(offset + 12, values);
        ps.setString(offset + 13, clean(e.detail()));
        ps.setString(offset + 14, clean(e.payload()));
        if (e.actor() == null) {
            ps.setNull(offset + 15, Types.VARCHAR);
        } else {
            ps.setString(offset + 15, cut(e.actor(), 200));
        }
    }

    /** The business keys {@linkplain #cut cleaned and cut} (the same map when nothing needs it). */
    private static Map<String, String> cleanKeys(Map<String, String> keys) {
        boolean clean = keys.entrySet().stream().allMatch(k -> cut(k.getKey(), 100) == k.getKey()
                && cut(k.getValue(), MAX_KEY_CHARS) == k.getValue());
        if (clean) {
            return keys;
        }
        Map<String, String> cleaned = new LinkedHashMap<>();
        keys.forEach((name, value) -> cleaned.put(cut(name, 100), cut(value, MAX_KEY_CHARS)));
        return cleaned;
    }

    /**
     * The text as PostgreSQL stores it: NUL (U+0000), which it refuses in any text, becomes U+FFFD (see the class
     * comment for why that and not the escape). The same string when it holds none.
     */
    static String clean(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }

    @Override
    public List<JournalEntry> search(JournalQuery query) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        String where = where(query, params);
        params.addValue("limit", limit(query));
        return named.query("SELECT " + COLUMNS + " FROM esb.journal_entry WHERE " + where
                + " ORDER BY at DESC, id DESC LIMIT :limit", params, rows());
    }

    @Override
    public List<JournalEntry> journey(JournalQuery query) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        String where = where(query, params);
        params.addValue("limit", limit(query));
        // the matching entries name the correlation ids; the journey is every entry of those (plus matching
        // entries that carry no correlation id), oldest first
        return named.query("""
                WITH hit AS (SELECT id, correlation_id FROM esb.journal_entry WHERE %s ORDER BY at DESC LIMIT :limit)
                SELECT %s FROM (
                    SELECT * FROM esb.journal_entry
                     WHERE correlation_id IN (SELECT DISTINCT correlation_id FROM hit WHERE correlation_id IS NOT NULL)
                    UNION ALL
                    SELECT * FROM esb.journal_entry WHERE id IN (SELECT id FROM hit WHERE correlation_id IS NULL)) journey
                 ORDER BY at, id
                 LIMIT :limit""".formatted(where, COLUMNS), params, rows());
    }

    /**
     * Bounded by time so the scan is one of the {@code at} index's ranges (there is no index on the step: a failure
     * is rare among hops, and the console asks for the recent ones).
     */
    @Override
    public List<JournalEntry> failuresAt(java.util.Collection<String> stepIds, Instant since, int limit) {
        if (stepIds.isEmpty()) {
            return List.of();
        }
        MapSqlParameterSource params = new MapSqlParameterSource("steps", stepIds.stream().map(JdbcJournal::clean).toList())
                .addValue("since", Timestamp.from(since == null ? Instant.EPOCH : since))
                .addValue("limit", Math.min(Math.max(limit, 1), settings.getMaxResults()));
        return named.query("SELECT " + COLUMNS + " FROM esb.journal_entry WHERE at >= :since AND hop IN ('FAILED', 'PARKED')"
                + " AND step_id IN (:steps) ORDER BY at DESC, id DESC LIMIT :limit", params, rows());
    }

    @Override
    public boolean deliveredSince(String eventId, String routeId, Instant since) {
        Boolean found = jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM esb.journal_entry
                                WHERE event_id = ? AND route_id = ? AND hop = 'DELIVERED' AND at >= ?)""",
                Boolean.class, clean(eventId), clean(routeId), Timestamp.from(since == null ? Instant.EPOCH : since));
        return Boolean.TRUE.equals(found);
    }

    private int limit(JournalQuery query) {
        int limit = query.limit() <= 0 ? 100 : query.limit();
        return Math.min(limit, settings.getMaxResults());
    }

    private static String where(JournalQuery q, MapSqlParameterSource params) {
        List<String> conditions = new ArrayList<>();
        conditions.add("true");
        if (q.key() != null && !q.key().isBlank()) {
            // text[] @> text[] is answered by the GIN index on key_values
            conditions.add("key_values @> ARRAY[CAST(:key AS text)]");
            params.addValue("key", cut(q.key(), MAX_KEY_CHARS));
        }
        if (q.correlationId() != null && !q.correlationId().isBlank()) {
            conditions.add("correlation_id = :correlationId");
            params.addValue("correlationId", clean(q.correlationId()));
        }
        if (q.flow() != null && !q.flow().isBlank()) {
            conditions.add("flow = :flow");
            params.addValue("flow", clean(q.flow()));
        }
        if (q.hop() != null) {
            conditions.add("hop = :hop");
            params.addValue("hop", q.hop().name());
        }
        if (q.from() != null) {
            conditions.add("at >= :from");
            params.addValue("from", Timestamp.from(q.from()));
        }
        if (q.to() != null) {
            conditions.add("at < :to");
            params.addValue("to", Timestamp.from(q.to()));
        }
        return String.join(" AND ", conditions);
    }

    private RowMapper<JournalEntry> rows() {
        return (rs, n) -> new JournalEntry(rs.getLong("id"), rs.getTimestamp("at").toInstant(),
                rs.getString("correlation_id"), rs.getString("event_id"), rs.getString("flow"), rs.getString("route_id"),
                rs.getString("step_id"), Hop.valueOf(rs.getString("hop")), rs.getString("source"), rs.getString("target"),
                rs.getString("target_id"), fromJson(rs.getString("keys")), rs.getString("detail"), rs.getString("payload"),
                rs.getString("actor"));
    }

    private String toJson(Map<String, String> keys) {
        try {
            return json.writeValueAsString(keys);
        } catch (JsonProcessingException e) {
            return "{}";
        }
    }

    private Map<String, String> fromJson(String text) {
        try {
            return text == null ? Map.of() : json.readValue(text, KEYS);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    /** The text {@linkplain #clean cleaned} and cut to a column's width. */
    private static String cut(String text, int max) {
        String clean = clean(text);
        return clean == null || clean.length() <= max ? clean : clean.substring(0, max);
    }

    @Override
    public void start() {
        running = true;
        Thread thread = new Thread(this::runWriter, "journal-writer");
        thread.setDaemon(true);
        writer = thread;
        thread.start();
    }

    /** Flushes what is queued, then stops the writer (after Camel has stopped: see {@link #getPhase()}). */
    @Override
    public void stop() {
        flush();
        running = false;
        Thread thread = writer;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(settings.getWriter().getShutdownTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        writer = null;
        writeBatches();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Started before and stopped after the Camel context and the web server, so every hop is still written. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }
}
