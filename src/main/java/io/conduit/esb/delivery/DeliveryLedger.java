package io.conduit.esb.delivery;

import java.sql.SQLException;

/**
 * Per ledger (a kind of target record) and business key, the newest source version the target was given; used by
 * {@link VersionedProducer}. {@link JdbcDeliveryLedger} keeps it in the ESB's database, shared by its replicas.
 */
public interface DeliveryLedger {

    /** Locks the record (created when new) and reads the version the target holds; close the claim to release. */
    Claim claim(String ledger, String key) throws SQLException;

    /** One record, held by one delivery until closed. */
    interface Claim extends AutoCloseable {

        /** The newest version the target was given, or null if it never was. */
        SourceVersion stored();

        /** The event that delivered the stored version, if known. */
        String storedEventId();

        /** The target has {@code version}: recorded, and the record released. */
        void delivered(SourceVersion version, String eventId) throws SQLException;

        /** Releases the record; what was not recorded by {@link #delivered} is forgotten. */
        @Override
        void close();
    }
}
