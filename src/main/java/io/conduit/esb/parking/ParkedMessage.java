package io.conduit.esb.parking;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A message kept in the parking lot ({@code esb.parked_message}).
 *
 * @param status   PARKED, REPLAYED or DISCARDED
 * @param replayOf the parked message this one came from, when a replay failed again
 * @param resolvedBy the operator who replayed or discarded it
 * @param resolution why it was discarded, or the outcome of its replay
 */
public record ParkedMessage(UUID id, String flow, String routeId, String failedEndpoint, String reason,
                            String exceptionType, String payload, Map<String, String> headers, String eventId,
                            String correlationId, String businessKey, int attempts, String status, Instant parkedAt,
                            UUID replayOf, String resolvedBy, Instant resolvedAt, String resolution) {
}
