package io.conduit.esb.support;

import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs a sub-route while holding named locks, so that two routes which each look a record up in a system and create it
 * when it is missing take turns instead of both creating it - the order handoff and the customer master each making
 * the party of a new CRM account in Tryton, say:
 * {@code bean: {ref: keyedLocks, method: "call(${exchange}, 'party:ACC-1,tax:DE123456789', 'direct:...')"}}.
 * <p>
 * The keys are compared without case and blanks, taken in sorted order (two callers naming the same keys never wait
 * for each other crosswise), and an empty key is no lock. In the ESB ({@link #KeyedLocks(DataSource, long)}) they are
 * PostgreSQL advisory locks of the ESB's database, so every replica takes its turn too; a lock not had within the wait
 * fails the call with PostgreSQL's lock_not_available (SQLState 55P03), which the caller's policy retries. A replica
 * that dies holding a lock releases it with its connection. {@link #inJvm()} keeps them in this JVM (route tests).
 * <p>
 * Why not a table row or Camel's own: a system's record is not the ESB's to lock, and the lock must span calls to that
 * system, not one database statement; an advisory lock needs no row and no schema.
 */
@Component("keyedLocks")
public class KeyedLocks {

    /** Takes the locks of the sorted keys; the returned handle releases them all. */
    interface Locker {
        AutoCloseable lock(List<String> keys) throws Exception;
    }

    private final Locker locker;
    private final ContextProducer producer = new ContextProducer();

    @Autowired
    public KeyedLocks(@Qualifier("esbDataSource") DataSource esbDataSource,
                      @Value("${esb.locks.wait-ms:30000}") long waitMs) {
        this(postgres(esbDataSource, waitMs));
    }

    KeyedLocks(Locker locker) {
        this.locker = locker;
    }

    /** Locks held in this JVM only: for route tests without the ESB's database. */
    public static KeyedLocks inJvm() {
        Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
        return new KeyedLocks(keys -> {
            List<ReentrantLock> held = new ArrayList<>();
            try {
                for (String key : keys) {
                    ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
                    if (!lock.tryLock(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("lock " + key + " not had within 30 s");
                    }
                    held.add(lock);
                }
            } catch (Exception e) {
                held.forEach(ReentrantLock::unlock);
                throw e;
            }
            return () -> held.forEach(ReentrantLock::unlock);
        });
    }

    /**
     * Sends the exchange to {@code uri} holding the locks of {@code keys} (comma-separated); releases them whatever the
     * sub-route did and rethrows its exception, so the calling route's error policy sees it.
     */
    public void call(Exchange exchange, String keys, String uri) throws Exception {
        try (AutoCloseable ignored = locker.lock(keys(keys))) {
            producer.of(exchange).send(uri, exchange);
        }
        Exception failure = exchange.getException();
        if (failure != null) {
            exchange.setException(null);
            throw failure instanceof RuntimeException runtime ? runtime : new RuntimeCamelException(failure);
        }
    }

    /** The keys as locked: without case and blanks, no empty one, each once, sorted. */
    static List<String> keys(String keys) {
        if (keys == null) {
            return List.of();
        }
        return Arrays.stream(keys.split(","))
                .map(k -> k.replaceAll("\\s+", "").toUpperCase(Locale.ROOT))
                .filter(k -> !k.isEmpty() && !k.endsWith(":"))
                .distinct().sorted().toList();
    }

    private static Locker postgres(DataSource dataSource, long waitMs) {
        return keys -> {
            if (keys.isEmpty()) {
                return () -> { };
            }
            Connection connection = dataSource.getConnection();
            try {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("set lock_timeout = " + Math.max(1, waitMs));
                }
                try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_lock(hashtextextended(?, 0))")) {
                    for (String key : keys) {
                        lock.setString(1, key);
                        lock.execute();
                    }
                }
            } catch (SQLException e) {
                release(connection);
                throw e;
            }
            return () -> release(connection);
        };
    }

    /** Every advisory lock of this session released, the lock wait reset, the connection back to its pool. */
    private static void release(Connection connection) throws SQLException {
        try (connection; Statement statement = connection.createStatement()) {
            statement.execute("select pg_advisory_unlock_all()");
            statement.execute("reset lock_timeout");
        }
    }
}
