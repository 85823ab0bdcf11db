package io.conduit.esb.journal;

import java.time.Instant;
import java.util.Map;

/**
 * One journal record: one hop of one message.
 *
 * @param id            database id (0 before it is stored)
 * @param at            when the hop happened
 * @param correlationId ties together every hop of one business transaction across flows (CloudEvents
 *                      extension {@code correlationid})
 * @param eventId       the CloudEvents id of the message at this hop, if any
 * @param flow          the flow (route group), e.g. {@code order-handoff}
 * @param routeId       the route that recorded the hop
 * @param stepId        the route step (node id) that recorded it, if any
 * @param hop           what happened
 * @param source        where the message came from (system or endpoint), if known
 * @param target        where it went (system, topic, queue), if any
 * @param targetId      the id the target gave it (e.g. the ERP order number), if any
 * @param keys          business keys known at this hop, e.g. {@code crmOrderId -> OPP-4711, erpOrderNo -> SO-100023}
 * @param detail        reason of a failure, park, discard; note of a replay
 * @param payload       the message at this hop, with sensitive fields masked (may be truncated or null)
 * @param actor         the user who caused it (operator actions), or null for the ESB itself
 */
public record JournalEntry(long id, Instant at, String correlationId, String eventId, String flow, String routeId,
                           String stepId, Hop hop, String source, String target, String targetId,
                           Map<String, String> keys, String detail, String payload, String actor) {

    public JournalEntry {
        keys = keys == null ? Map.of() : Map.copyOf(keys);
    }
}
