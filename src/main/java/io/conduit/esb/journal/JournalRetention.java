package io.conduit.esb.journal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

/**
 * Deletes journal entries older than {@code esb.journal.retention.max-age}, {@code batch-size} rows per statement
 * with a {@code pause} between statements, so the delete never holds long locks or floods the WAL while the flows
 * write; counts the rows in {@code esb.journal.retention.deleted}.
 */
@Component
public class JournalRetention {

    private static final Logger LOG = LoggerFactory.getLogger(JournalRetention.class);

    private final JdbcTemplate jdbc;
    private final JournalProperties settings;
    private final Counter deleted;
    private final Clock clock;

    @Autowired
    public JournalRetention(JdbcTemplate jdbc, JournalProperties settings, MeterRegistry meters) {
        this(jdbc, settings, meters, Clock.systemUTC());
    }

    JournalRetention(JdbcTemplate jdbc, JournalProperties settings, MeterRegistry meters, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
        this.deleted = Counter.builder("esb.journal.retention.deleted").description("journal entries deleted by age")
                .register(meters);
    }

    @Scheduled(initialDelayString = "${esb.journal.retention.initial-delay:PT1M}",
            fixedDelayString = "${esb.journal.retention.period:PT1H}")
    public void scheduled() {
        try {
            purge();
        } catch (RuntimeException e) {
            LOG.warn("Journal retention failed: {}", e.getMessage());
        }
    }

    /** Deletes every entry older than the retention age, batch by batch; returns the rows deleted. */
    public long purge() {
        JournalProperties.Retention retention = settings.getRetention();
        Instant cutoff = clock.instant().minus(retention.getMaxAge());
        int batchSize = Math.max(1, retention.getBatchSize());
        long total = 0;
        while (true) {
            int rows = jdbc.update("""
                    DELETE FROM esb.journal_entry
                     WHERE id IN (SELECT id FROM esb.journal_entry WHERE at < ? ORDER BY at LIMIT ?)""",
                    Timestamp.from(cutoff), batchSize);
            total += rows;
            deleted.increment(rows);
            if (rows < batchSize) {
                break;
            }
            try {
                Thread.sleep(retention.getPause().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (total > 0) {
            LOG.info("Journal retention deleted {} entries older than {}", total, cutoff);
        }
        return total;
    }
}
