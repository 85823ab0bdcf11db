package io.conduit.esb.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The journal in PostgreSQL ({@code esb.journal_entry}). {@link #record} only puts the entry on a bounded queue;
 * one background thread drains it and writes JDBC batches, so a flow pays a queue offer per hop, not an INSERT.
 * When the queue is full the caller blocks up to {@code esb.journal.writer.offer-timeout} (back-pressure); only
 * if the writer still cannot keep up is the entry dropped, counted ({@code esb.journal.dropped}) and logged.
 * <p>
 * Hand-written (a queue and a thread) because neither Spring nor Camel has an asynchronous batching JDBC
 * writer with back-pressure and a "wait until written" call; a Camel seda route would add a copy of every
 * exchange and could not give {@link #flush()}.
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
                .description("journal entries lost because their batch could not be written").register(meters);
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
    }

    private void runWriter() {
        while (running || !queue.isEmpty()) {
            try {
                JournalEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<JournalEntry> batch = new ArrayList<>(settings.getWriter().getBatchSize());
                batch.add(first);
                queue.drainTo(batch, settings.getWriter().getBatchSize() - 1);
                write(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException e) {
                LOG.error("Journal writer failed", e);
            }
        }
    }

    /** Drains the queue on the calling thread (used when no writer thread runs). */
    private void writeBatches() {
        List<JournalEntry> batch = new ArrayList<>();
        while (queue.drainTo(batch, settings.getWriter().getBatchSize()) > 0) {
            write(batch);
            batch = new ArrayList<>();
        }
    }

    private void write(List<JournalEntry> batch) {
        try {
            batchTimer.record(() -> {
                for (int from = 0; from < batch.size(); from += ROWS_PER_STATEMENT) {
                    insert(batch.subList(from, Math.min(batch.size(), from + ROWS_PER_STATEMENT)));
                }
            });
            written.increment(batch.size());
        } catch (RuntimeException e) {
            writeFailures.increment(batch.size());
            LOG.error("Could not write {} journal entries: {}", batch.size(), e.getMessage());
        } finally {
            done.addAndGet(batch.size());
            synchronized (progress) {
                progress.notifyAll();
            }
        }
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
        ps.setString(offset + 11, toJson(e.keys()));
        Array values = ps.getConnection().createArrayOf("text", e.keys().values().stream().distinct().toArray());
        ps.setArray(offset + 12, values);
        ps.setString(offset + 13, e.detail());
        ps.setString(offset + 14, e.payload());
        if (e.actor() == null) {
            ps.setNull(offset + 15, Types.VARCHAR);
        } else {
            ps.setString(offset + 15, cut(e.actor(), 200));
        }
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

    @Override
    public boolean deliveredSince(String eventId, String routeId, Instant since) {
        Boolean found = jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM esb.journal_entry
                                WHERE event_id = ? AND route_id = ? AND hop = 'DELIVERED' AND at >= ?)""",
                Boolean.class, eventId, routeId, Timestamp.from(since == null ? Instant.EPOCH : since));
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
            params.addValue("key", q.key());
        }
        if (q.correlationId() != null && !q.correlationId().isBlank()) {
            conditions.add("correlation_id = :correlationId");
            params.addValue("correlationId", q.correlationId());
        }
        if (q.flow() != null && !q.flow().isBlank()) {
            conditions.add("flow = :flow");
            params.addValue("flow", q.flow());
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

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
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
