package io.conduit.esb.journal;

import java.time.Instant;

/**
 * A journal search. Every field is optional (null = any).
 *
 * @param key           a business-key value (CRM order id, ERP order number, employee id, complaint id...), any key name
 * @param correlationId one correlation id
 * @param flow          one flow
 * @param hop           one kind of hop
 * @param from          at or after
 * @param to            before
 * @param limit         at most this many entries (the service caps it)
 */
public record JournalQuery(String key, String correlationId, String flow, Hop hop, Instant from, Instant to, int limit) {

    public static JournalQuery byKey(String key) {
        return new JournalQuery(key, null, null, null, null, null, 500);
    }
}
