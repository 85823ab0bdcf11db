package io.conduit.esb.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementSetter;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How the journal writer answers a failed INSERT, without a database (JournalIT writes to a real one): a row the
 * database refuses costs only that row; a database that fails costs the batch at once, not one wait per row.
 */
class JdbcJournalTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void aRefusedStatementIsWrittenAgainRowByRowAndOnlyTheRefusedRowIsLost() {
        AtomicInteger singleRows = new AtomicInteger();
        FakeJdbc jdbc = new FakeJdbc(rows -> {
            if (rows > 1) {
                return refused();
            }
            return singleRows.incrementAndGet() == 7 ? refused() : null;
        });
        JdbcJournal journal = journal(jdbc, 30);

        assertThat(meters.counter("esb.journal.written").count()).isEqualTo(29);
        assertThat(meters.counter("esb.journal.write.failures").count()).isEqualTo(1);
        // one statement for all 30, then one per row
        assertThat(jdbc.statements).hasValue(31);
    }

    @Test
    void aFailingDatabaseIsNotTriedRowByRow() {
        FakeJdbc down = new FakeJdbc(rows -> new CannotGetJdbcConnectionException("no connection",
                new SQLTransientConnectionException("Connection is not available, request timed out after 30000ms.")));
        journal(down, 250);
        assertThat(meters.counter("esb.journal.write.failures").count()).isEqualTo(250);
        assertThat(down.statements).hasValue(1);

        FakeJdbc broken = new FakeJdbc(rows -> new BadSqlGrammarException("insert", "INSERT ...",
                new SQLException("column \"keys\" does not exist", "42703")));
        journal(broken, 10);
        assertThat(broken.statements).hasValue(1);
    }

    @Test
    void theDatabaseFailingWhileRowsAreWrittenOneByOneEndsTheBatch() {
        AtomicInteger singleRows = new AtomicInteger();
        FakeJdbc jdbc = new FakeJdbc(rows -> {
            if (rows > 1) {
                return refused();
            }
            return singleRows.incrementAndGet() > 3 ? new CannotGetJdbcConnectionException("gone") : null;
        });
        journal(jdbc, 10);
        assertThat(meters.counter("esb.journal.written").count()).isEqualTo(3);
        assertThat(meters.counter("esb.journal.write.failures").count()).isEqualTo(7);
        assertThat(jdbc.statements).hasValue(5);
    }

    @Test
    void hopsThatComeMillisecondsApartAreWrittenInOneStatement() {
        FakeJdbc jdbc = new FakeJdbc(rows -> null);
        JdbcJournal journal = started(jdbc, Duration.ofSeconds(1));
        try {
            // the writer has taken the first hop off the queue before the others come, as a flow's hops do
            journal.record(entry(0));
            await().atMost(Duration.ofSeconds(10)).until(() -> meters.get("esb.journal.queue.depth").gauge().value() == 0);
            for (int i = 1; i < 10; i++) {
                journal.record(entry(i));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> meters.counter("esb.journal.written").count() == 10);
            assertThat(jdbc.statements).hasValue(1);
        } finally {
            journal.stop();
        }
    }

    @Test
    void aBatchThatFillsUpIsWrittenWithoutWaitingOutTheLinger() {
        FakeJdbc jdbc = new FakeJdbc(rows -> null);
        JournalProperties settings = new JournalProperties();
        settings.getWriter().setLinger(Duration.ofMinutes(1));
        settings.getWriter().setBatchSize(5);
        JdbcJournal journal = new JdbcJournal(jdbc, new ObjectMapper(), settings, meters);
        journal.start();
        try {
            journal.record(entry(0));
            await().atMost(Duration.ofSeconds(10)).until(() -> meters.get("esb.journal.queue.depth").gauge().value() == 0);
            long started = System.nanoTime();
            for (int i = 1; i < 5; i++) {
                journal.record(entry(i));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> meters.counter("esb.journal.written").count() == 5);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(jdbc.statements).hasValue(1);
        } finally {
            journal.stop();
        }
    }

    @Test
    void aFlushDoesNotWaitForTheLinger() {
        JdbcJournal journal = started(new FakeJdbc(rows -> null), Duration.ofMinutes(1));
        try {
            journal.record(entry(1));
            long started = System.nanoTime();
            journal.flush();
            assertThat(meters.counter("esb.journal.written").count()).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        } finally {
            journal.stop();
        }
    }

    @Test
    void recognisesWhatARowCausedByItsSqlState() {
        assertThat(JdbcJournal.refusedRow(refused())).isTrue();
        assertThat(JdbcJournal.refusedRow(new DataIntegrityViolationException("x",
                new SQLException("index row requires 10024 bytes, maximum size is 8191", "54000")))).isTrue();
        assertThat(JdbcJournal.refusedRow(new IllegalArgumentException("a value Java cannot bind"))).isTrue();
        assertThat(JdbcJournal.refusedRow(new CannotGetJdbcConnectionException("x", new SQLException("x", "08001"))))
                .isFalse();
        assertThat(JdbcJournal.refusedRow(new CannotGetJdbcConnectionException("no cause"))).isFalse();
    }

    @Test
    void cleansNulAndOnlyNul() {
        assertThat(JdbcJournal.clean("a\0b\0")).isEqualTo("a\uFFFDb\uFFFD");
        String clean = "no nul \uD800 here";
        assertThat(JdbcJournal.clean(clean)).isSameAs(clean);
        assertThat(JdbcJournal.clean(null)).isNull();
    }

    private JdbcJournal journal(JdbcTemplate jdbc, int entries) {
        JdbcJournal journal = new JdbcJournal(jdbc, new ObjectMapper(), new JournalProperties(), meters);
        for (int i = 0; i < entries; i++) {
            journal.record(entry(i));
        }
        // no writer thread started: flush writes on this thread
        journal.flush();
        return journal;
    }

    /** A journal with its writer thread running, waiting up to {@code linger} for a batch. */
    private JdbcJournal started(JdbcTemplate jdbc, Duration linger) {
        JournalProperties settings = new JournalProperties();
        settings.getWriter().setLinger(linger);
        JdbcJournal journal = new JdbcJournal(jdbc, new ObjectMapper(), settings, meters);
        journal.start();
        return journal;
    }

    private static JournalEntry entry(int i) {
        return new JournalEntry(0, Instant.now(), "c", null, "f", "r", "s-" + i, Hop.MAPPED, null, null, null, Map.of(),
                null, null, null);
    }

    private static DataIntegrityViolationException refused() {
        return new DataIntegrityViolationException("insert",
                new SQLException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00", "22021"));
    }

    /** Answers each INSERT by its number of rows: null = written, else the exception it throws. */
    private static final class FakeJdbc extends JdbcTemplate {
        final AtomicInteger statements = new AtomicInteger();
        private final IntFunction<RuntimeException> answer;

        FakeJdbc(IntFunction<RuntimeException> answer) {
            this.answer = answer;
        }

        @Override
        public int update(String sql, PreparedStatementSetter values) {
            statements.incrementAndGet();
            int rows = sql.split("\\), \\(").length;
            RuntimeException failure = answer.apply(rows);
            if (failure != null) {
                throw failure;
            }
            return rows;
        }
    }
}
