package io.conduit.esb.delivery;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;

/**
 * The delivery ledger in table {@code esb.delivery_version}: per ledger and business key, the newest version the target was given. A
 * delivery {@link #claim claims} the record's row (a row lock in its own transaction, on a pool of its own), calls
 * the target, then records the version and commits; another delivery of the same record waits for the lock. The
 * pool is separate from the ESB's main one because a port may itself use the main pool while the lock is held (the
 * OA sandbox adapter records the tasks it sent): one pool would deadlock once every connection held a lock.
 * <p>
 * Plain JDBC on purpose: the claim's transaction must stay off the thread's Spring transaction context, so that a
 * port that runs its own transaction on the same database never joins it.
 */
public class JdbcDeliveryLedger implements DeliveryLedger {

    private final DataSource locks;

    /** @param locks the ledger's own pool, whose connections set a {@code lock_timeout} (a claim waits that long) */
    public JdbcDeliveryLedger(DataSource locks) {
        this.locks = locks;
    }

    @Override
    public Claim claim(String ledger, String key) throws SQLException {
        Connection connection = locks.getConnection();
        try {
            connection.setAutoCommit(false);
            // a record seen for the first time (every new order): its row is inserted, and so locked, by this
            // transaction, and the INSERT answers it; a delivery of the same record elsewhere waits on the insert
            // and then finds the row. A record seen before: the INSERT does nothing, and the row is locked by the
            // SELECT. One round trip instead of two for a new record.
            Row row;
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO esb.delivery_version (ledger, business_key) VALUES (?, ?)
                    ON CONFLICT (ledger, business_key) DO NOTHING
                    RETURNING version, version_at, event_id""")) {
                insert.setString(1, ledger);
                insert.setString(2, key);
                row = read(insert);
            }
            if (row == null) {
                try (PreparedStatement select = connection.prepareStatement("""
                        SELECT version, version_at, event_id FROM esb.delivery_version
                         WHERE ledger = ? AND business_key = ? FOR UPDATE""")) {
                    select.setString(1, ledger);
                    select.setString(2, key);
                    row = read(select);
                }
            }
            SourceVersion stored = row == null ? null : row.version();
            String eventId = row == null ? null : row.eventId();
            return new RowClaim(connection, ledger, key, stored, eventId);
        } catch (SQLException | RuntimeException e) {
            close(connection);
            throw e;
        }
    }

    private record Row(SourceVersion version, String eventId) {
    }

    /** The row the statement answers (version and event id, null when never delivered), or null if none. */
    private static Row read(PreparedStatement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery()) {
            if (!row.next()) {
                return null;
            }
            long number = row.getLong(1);
            Long version = row.wasNull() ? null : number;
            Timestamp at = row.getTimestamp(2);
            SourceVersion stored = version == null && at == null ? null
                    : new SourceVersion(version, at == null ? null : at.toInstant());
            return new Row(stored, row.getString(3));
        }
    }

    private static void close(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection goes back to the pool, which discards a broken one
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // as above
        }
    }

    /** A record's row, locked until {@link #close}. */
    static final class RowClaim implements Claim {

        private final Connection connection;
        private final String ledger;
        private final String key;
        private final SourceVersion stored;
        private final String storedEventId;
        private boolean open = true;

        RowClaim(Connection connection, String ledger, String key, SourceVersion stored, String storedEventId) {
            this.connection = connection;
            this.ledger = ledger;
            this.key = key;
            this.stored = stored;
            this.storedEventId = storedEventId;
        }

        @Override
        public SourceVersion stored() {
            return stored;
        }

        @Override
        public String storedEventId() {
            return storedEventId;
        }

        @Override
        public void delivered(SourceVersion version, String eventId) throws SQLException {
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE esb.delivery_version SET version = ?, version_at = ?, event_id = ?, delivered_at = now()
                     WHERE ledger = ? AND business_key = ?""")) {
                if (version.number() == null) {
                    update.setNull(1, Types.BIGINT);
                } else {
                    update.setLong(1, version.number());
                }
                update.setTimestamp(2, version.at() == null ? null : Timestamp.from(version.at()));
                update.setString(3, eventId);
                update.setString(4, ledger);
                update.setString(5, key);
                update.executeUpdate();
            }
            connection.commit();
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                JdbcDeliveryLedger.close(connection);
            }
        }
    }
}
