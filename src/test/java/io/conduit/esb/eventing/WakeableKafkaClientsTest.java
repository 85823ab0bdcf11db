package io.conduit.esb.eventing;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class WakeableKafkaClientsTest {

    private static final TopicPartition PARTITION = new TopicPartition("conduit.orders.v1", 0);

    private final WakeableKafkaClients clients = new WakeableKafkaClients();

    /** a consumer whose poll blocks for the whole timeout unless woken up, like the real client's idle poll */
    private static final class BlockingConsumer extends MockConsumer<Object, Object> {
        final CountDownLatch woken = new CountDownLatch(1);
        volatile Duration lastTimeout;

        BlockingConsumer() {
            super(OffsetResetStrategy.EARLIEST);
        }

        @Override
        public synchronized void wakeup() {
            woken.countDown();
        }

        @Override
        public ConsumerRecords<Object, Object> poll(Duration timeout) {
            lastTimeout = timeout;
            try {
                if (woken.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new WakeupException();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ConsumerRecords.empty();
        }
    }

    @Test
    void anIdlePollWaitsItsWholeTimeoutUntilTheEsbStops() throws Exception {
        BlockingConsumer blocking = new BlockingConsumer();
        Consumer<?, ?> consumer = clients.wakeable(blocking);

        CompletableFuture<ConsumerRecords<?, ?>> poll = CompletableFuture.supplyAsync(
                () -> consumer.poll(Duration.ofSeconds(30)));
        await().atMost(Duration.ofSeconds(5)).until(() -> blocking.lastTimeout != null);
        assertThat(blocking.lastTimeout).isEqualTo(Duration.ofSeconds(30));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !poll.isDone());

        long started = System.nanoTime();
        clients.wakeUpAll();

        // the woken poll answers "no records" (Camel carries on and sees its route stopping), it does not throw
        assertThat(poll.get(5, TimeUnit.SECONDS).isEmpty()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void oncePollsAreShortenedWhileStopping() {
        BlockingConsumer blocking = new BlockingConsumer();
        Consumer<?, ?> consumer = clients.wakeable(blocking);
        clients.wakeUpAll();

        assertThat(consumer.poll(Duration.ofSeconds(5)).isEmpty()).isTrue(); // the wakeup, absorbed
        consumer.poll(Duration.ofSeconds(5));
        assertThat(blocking.lastTimeout).isEqualTo(WakeableKafkaClients.STOPPING_POLL);
        consumer.poll(Duration.ofMillis(20));
        assertThat(blocking.lastTimeout).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void aWakeupNotSentByTheFactoryReachesTheCaller() {
        MockConsumer<Object, Object> mock = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        mock.subscribe(List.of(PARTITION.topic()));
        Consumer<?, ?> consumer = clients.wakeable(mock);

        consumer.wakeup(); // Camel's own, when it stops a route
        assertThatThrownBy(() -> consumer.poll(Duration.ofMillis(10))).isInstanceOf(WakeupException.class);
    }

    @Test
    void aWakeupThatHitsAnOffsetCommitIsAbsorbedAndTheCommitMadeAgain() {
        AtomicInteger commits = new AtomicInteger();
        AtomicBoolean wakeupPending = new AtomicBoolean();
        MockConsumer<Object, Object> mock = new MockConsumer<>(OffsetResetStrategy.EARLIEST) {
            @Override
            public synchronized void wakeup() {
                wakeupPending.set(true);
            }

            @Override
            public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
                commits.incrementAndGet();
                if (wakeupPending.getAndSet(false)) {
                    throw new WakeupException(); // as the real client's next blocking call does
                }
                super.commitSync(offsets, timeout);
            }
        };
        mock.assign(List.of(PARTITION));
        Consumer<?, ?> consumer = clients.wakeable(mock);

        clients.wakeUpAll(); // while the consumer was processing a record, not polling
        consumer.commitSync(Map.of(PARTITION, new OffsetAndMetadata(42)), Duration.ofSeconds(1));

        assertThat(commits).hasValue(2);
        assertThat(mock.committed(java.util.Set.of(PARTITION)).get(PARTITION).offset()).isEqualTo(42);
    }

    @Test
    void onlyTheEsbsOwnContextClosingWakesTheConsumers() {
        BlockingConsumer blocking = new BlockingConsumer();
        Consumer<?, ?> consumer = clients.wakeable(blocking);
        try (GenericApplicationContext own = new GenericApplicationContext();
             GenericApplicationContext child = new GenericApplicationContext()) {
            clients.setApplicationContext(own);

            clients.onApplicationEvent(new ContextClosedEvent(child));
            consumer.poll(Duration.ofMillis(50));
            assertThat(blocking.lastTimeout).isEqualTo(Duration.ofMillis(50));
            assertThat(blocking.woken.getCount()).isEqualTo(1);

            clients.onApplicationEvent(new ContextClosedEvent(own));
            assertThat(blocking.woken.getCount()).isZero();
        }
    }

    @Test
    void aClosedConsumerIsForgotten() {
        Consumer<?, ?> consumer = clients.wakeable(new MockConsumer<>(OffsetResetStrategy.EARLIEST));
        assertThat(clients.openConsumers()).isEqualTo(1);
        consumer.close();
        assertThat(clients.openConsumers()).isZero();
    }
}
