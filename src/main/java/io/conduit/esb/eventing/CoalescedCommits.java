package io.conduit.esb.eventing;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A Kafka consumer whose offset commits after processing are written at most once per interval, not after every
 * poll.
 * <p>
 * Camel commits a partition's offset synchronously after each poll's records of it were processed (delivered or
 * parked): at moderate rates a commit per record per consumer group, three per order handoff, each a round trip the
 * consumer thread waits for and a write on the broker. In a saturated handoff the commits were about 8 % of the
 * ESB's CPU samples ({@code bench/profile.sh --flow handoff --rate 150}: the broker's offset-commit requests 3.2 %,
 * the clients' {@code commitSync} 2.5 %, plus their share of the broker's network threads).
 * <p>
 * Here a commit Camel asks for ({@code commitSync(offsets, timeout)}) is remembered and written with whatever else
 * is waiting once the interval since the last write has passed: at that commit, or at the next poll (a poll that
 * would wait longer is shortened so that it comes back in time). An offset is never written before Camel asked for
 * it, so nothing is committed before it was processed; what changes is that a consumer killed with its ESB leaves up
 * to one interval of processed records uncommitted, which are delivered again on restart and skipped by the
 * versioned delivery like any record processed but not yet committed at a kill. Everything waiting is written before
 * the consumer lets go of it: on close, unsubscribe, assign, a rebalance that revokes the partitions, a no-argument
 * or asynchronous commit, and before {@code committed(...)} is read. Partitions lost to the group (their owner
 * changed without a revocation) are dropped, as the broker would refuse their commit.
 * <p>
 * A failed write keeps the offsets waiting and throws to the caller, as the synchronous commit it replaces did (Camel
 * reconnects the consumer, which starts again from the last written offset). Used on the consumer's own thread, like
 * the consumer itself.
 */
final class CoalescedCommits implements InvocationHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CoalescedCommits.class);

    private final Consumer<?, ?> consumer;
    private final long intervalNanos;
    private final Map<TopicPartition, OffsetAndMetadata> waiting = new HashMap<>();
    private final LongSupplier clock;
    private Duration timeout;
    private long lastWrite;
    /** while a rebalance revokes partitions: commits are written at once */
    private boolean revoking;
    /** while a rebalance reports partitions lost: their commits are dropped */
    private Collection<TopicPartition> lost = Set.of();

    private CoalescedCommits(Consumer<?, ?> consumer, Duration interval, LongSupplier clock) {
        this.consumer = consumer;
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
        this.lastWrite = clock.getAsLong();
    }

    /** {@code consumer} with its commits written at most once per {@code interval}; itself when the interval is 0 */
    static Consumer<?, ?> of(Consumer<?, ?> consumer, Duration interval) {
        return of(consumer, interval, System::nanoTime);
    }

    /** the same, with {@code clock} giving the time in nanoseconds */
    static Consumer<?, ?> of(Consumer<?, ?> consumer, Duration interval, LongSupplier clock) {
        if (interval.isZero() || interval.isNegative()) {
            return consumer;
        }
        return (Consumer<?, ?>) Proxy.newProxyInstance(Consumer.class.getClassLoader(),
                new Class<?>[] {Consumer.class}, new CoalescedCommits(consumer, interval, clock));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "commitSync" -> {
                if (args != null && args.length >= 1 && args[0] instanceof Map<?, ?> offsets) {
                    ((Map<TopicPartition, OffsetAndMetadata>) offsets).forEach((partition, offset) -> {
                        if (!lost.contains(partition)) {
                            waiting.put(partition, offset);
                        }
                    });
                    if (args.length == 2) {
                        timeout = (Duration) args[1];
                    }
                    if (revoking || due()) {
                        write(waiting.keySet());
                    }
                    return null;
                }
                write(waiting.keySet()); // commit of every consumed position: what waits goes first
            }
            case "poll" -> {
                if (!waiting.isEmpty() && args != null && args.length == 1 && args[0] instanceof Duration wait) {
                    long left = intervalNanos - (clock.getAsLong() - lastWrite);
                    if (left <= 0) {
                        write(waiting.keySet());
                    } else if (wait.compareTo(Duration.ofNanos(left)) > 0) {
                        args = new Object[] {Duration.ofNanos(left)};
                    }
                }
            }
            case "subscribe" -> {
                if (args != null && args.length == 2 && args[1] instanceof ConsumerRebalanceListener listener) {
                    args = new Object[] {args[0], new WritingBeforeRevocation(listener)};
                }
            }
            case "commitAsync", "committed", "assign" -> write(waiting.keySet());
            case "unsubscribe", "close" -> writeQuietly();
            default -> {
                // every other call goes to the consumer as it is
            }
        }
        try {
            return method.invoke(consumer, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private boolean due() {
        return clock.getAsLong() - lastWrite >= intervalNanos;
    }

    /** writes what waits for {@code partitions}; on failure it keeps waiting and the failure is thrown */
    private void write(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = waiting.get(partition);
            if (offset != null) {
                offsets.put(partition, offset);
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        if (timeout == null) {
            consumer.commitSync(offsets);
        } else {
            consumer.commitSync(offsets, timeout);
        }
        offsets.forEach(waiting::remove);
        lastWrite = clock.getAsLong();
    }

    /**
     * writes what waits for {@code partitions} before the consumer lets go of them. A wakeup meant for a poll (the
     * ESB stopping: {@link WakeableKafkaClients}) that hits this write instead is absorbed and the write made again,
     * once, so the offsets are not lost to it.
     */
    private void writeBeforeLettingGo(Collection<TopicPartition> partitions) {
        try {
            write(partitions);
        } catch (WakeupException e) {
            write(partitions);
        }
    }

    /** before the consumer closes or unsubscribes: a failure is logged, the records are delivered again */
    private void writeQuietly() {
        try {
            writeBeforeLettingGo(waiting.keySet());
        } catch (RuntimeException e) {
            LOG.warn("Offsets {} could not be committed before the consumer let go of them ({}); their records will be "
                    + "delivered again and skipped where already delivered", waiting, e.toString());
            waiting.clear();
        }
    }

    /** Camel's rebalance listener, after what waits for the revoked partitions was written */
    private final class WritingBeforeRevocation implements ConsumerRebalanceListener {
        private final ConsumerRebalanceListener listener;

        WritingBeforeRevocation(ConsumerRebalanceListener listener) {
            this.listener = listener;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            revoking = true;
            try {
                writeBeforeLettingGo(partitions);
            } catch (RuntimeException e) {
                LOG.warn("Offsets of revoked partitions {} could not be committed ({}); their records will be delivered "
                        + "again and skipped where already delivered", partitions, e.toString());
                partitions.forEach(waiting::remove);
            }
            try {
                listener.onPartitionsRevoked(partitions); // Camel commits what it processed: written at once
            } finally {
                revoking = false;
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            listener.onPartitionsAssigned(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(waiting::remove);
            lost = partitions;
            try {
                listener.onPartitionsLost(partitions); // Camel's commits of lost partitions would be refused
            } finally {
                lost = Set.of();
            }
        }
    }
}
