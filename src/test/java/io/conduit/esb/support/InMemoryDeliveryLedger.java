package io.conduit.esb.support;

import io.conduit.esb.delivery.DeliveryLedger;
import io.conduit.esb.delivery.SourceVersion;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/** The delivery ledger of route tests (no database): one lock and one stored version per record, in memory. */
public final class InMemoryDeliveryLedger implements DeliveryLedger {

    private record Stored(SourceVersion version, String eventId) {
    }

    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, Stored> versions = new ConcurrentHashMap<>();

    @Override
    public Claim claim(String ledger, String key) {
        String record = ledger + "|" + key;
        ReentrantLock lock = locks.computeIfAbsent(record, r -> new ReentrantLock());
        lock.lock();
        Stored stored = versions.get(record);
        return new Claim() {
            private boolean open = true;

            @Override
            public SourceVersion stored() {
                return stored == null ? null : stored.version();
            }

            @Override
            public String storedEventId() {
                return stored == null ? null : stored.eventId();
            }

            @Override
            public void delivered(SourceVersion version, String eventId) {
                versions.put(record, new Stored(version, eventId));
            }

            @Override
            public void close() {
                if (open) {
                    open = false;
                    lock.unlock();
                }
            }
        };
    }

    /** The version recorded for a record, or null. */
    public SourceVersion version(String ledger, String key) {
        Stored stored = versions.get(ledger + "|" + key);
        return stored == null ? null : stored.version();
    }
}
