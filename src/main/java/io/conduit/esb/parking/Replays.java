package io.conduit.esb.parking;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Recovery of parked messages: find, replay (one or a filtered set, with a dry run) and discard. Replay is
 * idempotent: a message is replayed at most once, and one already delivered is not delivered again. Every action
 * is journaled with the operator who did it. Implemented by bean {@code replays}.
 */
public interface Replays {

    /** Parked messages matching the filter, newest first, at most {@code limit}. */
    List<ParkedMessage> find(ParkedFilter filter, int limit);

    long count(ParkedFilter filter);

    Optional<ParkedMessage> get(UUID id);

    /** What a replay of this filter would do, changing nothing. */
    ReplayPlan dryRun(ParkedFilter filter);

    /** How many parked messages the filter matches, per flow (added with the replay service; additive). */
    default java.util.Map<String, Long> countsByFlow(ParkedFilter filter) {
        return java.util.Map.of();
    }

    /**
     * Replays one message now, optionally with an edited payload (recorded as such), and reports its outcome.
     */
    ReplayOutcome replay(UUID id, String editedPayload, String actor);

    /** Starts replaying every message the filter matches, in the background; follow it with {@link #job(UUID)}. */
    ReplayJob start(ParkedFilter filter, String actor);

    Optional<ReplayJob> job(UUID jobId);

    List<ReplayJob> recentJobs(int limit);

    /** Discards the messages the filter matches, with a reason; returns how many. */
    int discard(ParkedFilter filter, String reason, String actor);

    /** @param messages the messages that would be replayed (at most a page of them) */
    record ReplayPlan(long total, List<ParkedMessage> messages, List<String> flows) {
    }

    /**
     * @param outcome DELIVERED, PARKED_AGAIN, ALREADY_DELIVERED, NOT_PARKED (nothing done), FAILED (could not be run,
     *                e.g. its route is stopped; the message stays parked)
     */
    record ReplayOutcome(UUID parkedId, String outcome, String detail) {
    }

    /** @param status RUNNING, DONE, FAILED */
    record ReplayJob(UUID id, String requestedBy, String filter, String status, long total, long delivered,
                     long parkedAgain, long skipped, java.time.Instant startedAt, java.time.Instant finishedAt) {

        public long done() {
            return delivered + parkedAgain + skipped;
        }
    }
}
