package io.conduit.esb.journal;

import java.time.Instant;
import java.util.List;

/**
 * The message journal: one record per hop of every message, kept in PostgreSQL ({@code esb.journal_entry}) and
 * searchable by business key, correlation id, flow and time. Implemented by bean {@code journal}.
 */
public interface Journal {

    /** Records a hop. Writes are batched off the calling thread; {@link #flush()} waits for them. */
    void record(JournalEntry entry);

    /** Entries matching the query, newest first. */
    List<JournalEntry> search(JournalQuery query);

    /**
     * The whole journey of the messages a query finds: every entry of every correlation id the matching entries
     * carry (e.g. an order's intake, ERP delivery, acknowledgement and CRM update), oldest first.
     */
    List<JournalEntry> journey(JournalQuery query);

    /**
     * The newest FAILED and PARKED hops recorded at any of these steps (node ids) at or after {@code since}, newest
     * first: what the console lists for a step of a flow picture.
     */
    default List<JournalEntry> failuresAt(java.util.Collection<String> stepIds, Instant since, int limit) {
        throw new UnsupportedOperationException("this journal cannot be searched by step");
    }

    /** True if a DELIVERED hop of this event id was recorded by this route at or after {@code since}. */
    boolean deliveredSince(String eventId, String routeId, Instant since);

    /** Waits until every entry recorded so far is stored. */
    void flush();
}
