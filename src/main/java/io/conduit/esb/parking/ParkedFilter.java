package io.conduit.esb.parking;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Which parked messages an operator means. Every field is optional (null = any); {@code status} defaults to PARKED.
 *
 * @param ids         these messages only
 * @param flow        one flow
 * @param reason      reason contains this text (case-insensitive)
 * @param businessKey one business key
 * @param from        parked at or after
 * @param to          parked before
 * @param status      PARKED, REPLAYED or DISCARDED
 */
public record ParkedFilter(List<UUID> ids, String flow, String reason, String businessKey, Instant from, Instant to,
                           String status) {

    public ParkedFilter {
        ids = ids == null ? List.of() : List.copyOf(ids);
        status = status == null || status.isBlank() ? "PARKED" : status;
    }

    public static ParkedFilter one(UUID id) {
        return new ParkedFilter(List.of(id), null, null, null, null, null, null);
    }
}
