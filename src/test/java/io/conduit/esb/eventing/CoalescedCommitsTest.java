package io.conduit.esb.eventing;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoalescedCommitsTest {

    private static final TopicPartition P0 = new TopicPartition("conduit.orders.v1", 0);
    private static final TopicPartition P1 = new TopicPartition("conduit.orders.v1", 1);
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Recording recording = new Recording();
    private final Consumer<?, ?> consumer = CoalescedCommits.of(recording, SECOND, now::get);

    /** the commits the consumer really made, the timeouts of its polls, and the listener it was subscribed with */
    private static class Recording extends MockConsumer<Object, Object> {
        final List<Map<TopicPartition, Long>> written = new ArrayList<>();
        final List<Duration> polls = new ArrayList<>();
        final AtomicBoolean failNext = new AtomicBoolean();
        final AtomicBoolean wakeupPending = new AtomicBoolean();
        ConsumerRebalanceListener listener;

        Recording() {
            super(OffsetResetStrategy.EARLIEST);
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            record(offsets);
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            record(offsets);
        }

        private void record(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (failNext.getAndSet(false)) {
                throw new TimeoutException("Timeout of 5000ms expired before successfully committing offsets");
            }
            if (wakeupPending.getAndSet(false)) {
                throw new WakeupException(); // as the real client's next blocking call does after a wakeup
            }
            Map<TopicPartition, Long> plain = new java.util.TreeMap<>(
                    java.util.Comparator.comparing(TopicPartition::toString));
            offsets.forEach((p, o) -> plain.put(p, o.offset()));
            written.add(plain);
        }

        @Override
        public synchronized ConsumerRecords<Object, Object> poll(Duration timeout) {
            polls.add(timeout);
            return ConsumerRecords.empty();
        }

        @Override
        public synchronized void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
            this.listener = listener;
            super.subscribe(topics, listener);
        }
    }

    private void commit(TopicPartition partition, long offset) {
        consumer.commitSync(Map.of(partition, new OffsetAndMetadata(offset)), TIMEOUT);
    }

    private void later(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    @Test
    void commitsWithinTheIntervalWaitAndAreWrittenTogetherOnceItPassed() {
        commit(P0, 10);
        later(Duration.ofMillis(300));
        commit(P1, 4);
        later(Duration.ofMillis(300));
        commit(P0, 11);
        assertThat(recording.written).as("nothing written within the interval").isEmpty();

        later(Duration.ofMillis(400));
        commit(P0, 12);

        assertThat(recording.written).containsExactly(Map.of(P0, 12L, P1, 4L));
        commit(P1, 5);
        assertThat(recording.written).as("the interval starts again at the write").hasSize(1);
    }

    @Test
    void aPollWaitsNoLongerThanTheIntervalLeftAndWritesWhenItIsDue() {
        commit(P0, 10);
        later(Duration.ofMillis(400));
        consumer.poll(Duration.ofSeconds(5));
        assertThat(recording.polls).containsExactly(Duration.ofMillis(600));
        assertThat(recording.written).isEmpty();

        later(Duration.ofMillis(600));
        consumer.poll(Duration.ofSeconds(5));

        assertThat(recording.written).containsExactly(Map.of(P0, 10L));
        assertThat(recording.polls).as("nothing waits: the poll as asked").endsWith(Duration.ofSeconds(5));
    }

    @Test
    void anIdleConsumerPollsAsAsked() {
        consumer.poll(Duration.ofSeconds(5));
        later(Duration.ofSeconds(7));
        consumer.poll(Duration.ofSeconds(5));

        assertThat(recording.polls).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5));
        assertThat(recording.written).isEmpty();
    }

    @Test
    void whatWaitsIsWrittenWhenTheConsumerCloses() {
        commit(P0, 10);
        commit(P1, 3);

        consumer.close();

        assertThat(recording.written).containsExactly(Map.of(P0, 10L, P1, 3L));
    }

    @Test
    void whatWaitsIsWrittenBeforeUnsubscribingAndBeforeCommittedOffsetsAreRead() {
        commit(P0, 10);
        consumer.committed(java.util.Set.of(P0));
        assertThat(recording.written).containsExactly(Map.of(P0, 10L));

        commit(P0, 11);
        consumer.unsubscribe();
        assertThat(recording.written).containsExactly(Map.of(P0, 10L), Map.of(P0, 11L));
    }

    @Test
    void revokedPartitionsHaveTheirOffsetsWrittenAndCamelsOwnCommitDuringTheRevocationIsWrittenAtOnce() {
        List<String> revoked = new ArrayList<>();
        consumer.subscribe(List.of(P0.topic()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                revoked.add("revoked " + partitions + " after " + recording.written.size() + " writes");
                commit(P0, 12); // as Camel's listener commits what it processed
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        });
        commit(P0, 10);
        commit(P1, 7);

        recording.listener.onPartitionsRevoked(List.of(P0));

        assertThat(revoked).containsExactly("revoked [conduit.orders.v1-0] after 1 writes");
        assertThat(recording.written).containsExactly(Map.of(P0, 10L), Map.of(P0, 12L, P1, 7L));
    }

    @Test
    void lostPartitionsHaveTheirOffsetsDroppedAndCamelsCommitsOfThemIgnored() {
        consumer.subscribe(List.of(P0.topic()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                commit(P0, 12); // Camel's listener: lost partitions come to it as revoked ones
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        });
        commit(P0, 10);
        commit(P1, 7);

        recording.listener.onPartitionsLost(List.of(P0));
        consumer.close();

        assertThat(recording.written).containsExactly(Map.of(P1, 7L));
    }

    @Test
    void aFailedWriteIsThrownAndItsOffsetsWaitForTheNextOne() {
        commit(P0, 10);
        later(SECOND);
        recording.failNext.set(true);

        assertThatThrownBy(() -> commit(P0, 11)).isInstanceOf(TimeoutException.class);
        assertThat(recording.written).isEmpty();

        consumer.poll(Duration.ofSeconds(5));
        assertThat(recording.written).containsExactly(Map.of(P0, 11L));
    }

    @Test
    void aFailedWriteWhenTheConsumerClosesIsNotThrown() {
        commit(P0, 10);
        recording.failNext.set(true);

        consumer.close();

        assertThat(recording.written).isEmpty();
    }

    @Test
    void aWakeupThatHitsTheWriteBeforeClosingIsAbsorbedAndTheWriteMadeAgain() {
        commit(P0, 10);
        recording.wakeupPending.set(true); // the ESB stopping woke the consumer while it was processing, not polling

        consumer.close();

        assertThat(recording.written).containsExactly(Map.of(P0, 10L));
    }

    @Test
    void aWakeupThatHitsTheWriteOfRevokedPartitionsIsAbsorbedAndTheWriteMadeAgain() {
        consumer.subscribe(List.of(P0.topic()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        });
        commit(P0, 10);
        recording.wakeupPending.set(true);

        recording.listener.onPartitionsRevoked(List.of(P0));

        assertThat(recording.written).containsExactly(Map.of(P0, 10L));
    }

    @Test
    void insideTheWakeableProxyTheStopsWakeupDoesNotCostTheWaitingOffsets() {
        WakeableKafkaClients clients = new WakeableKafkaClients();
        Recording woken = new Recording() {
            @Override
            public synchronized void wakeup() {
                wakeupPending.set(true);
            }
        };
        Consumer<?, ?> stacked = clients.wakeable(CoalescedCommits.of(woken, SECOND, now::get));
        stacked.commitSync(Map.of(P0, new OffsetAndMetadata(10)), TIMEOUT);

        clients.wakeUpAll(); // the ESB stopping, while the consumer processes a record
        stacked.commitSync(Map.of(P0, new OffsetAndMetadata(11)), TIMEOUT); // not due: the wakeup stays pending
        stacked.close();

        assertThat(woken.written).containsExactly(Map.of(P0, 11L));
    }

    @Test
    void aWriteBeforeAnyTimedCommitUsesTheConsumersOwnTimeout() {
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(3)));
        consumer.close();

        assertThat(recording.written).containsExactly(Map.of(P0, 3L));
    }

    @Test
    void noIntervalMeansTheConsumerItself() {
        assertThat(CoalescedCommits.of(recording, Duration.ZERO)).isSameAs(recording);
    }
}
