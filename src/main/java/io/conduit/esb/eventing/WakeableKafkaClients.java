package io.conduit.esb.eventing;

import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.WakeupException;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Kafka clients of Camel's Kafka component ({@code camel.component.kafka.kafka-client-factory}), with consumers
 * that wait long in an idle poll and still stop at once.
 * <p>
 * An idle consumer's cost is its polls: each one runs the client's whole poll loop (coordinator, fetch bookkeeping,
 * metrics). At Camel's 200 ms the ESB's ~30 consumers made 150 polls a second, 1.1-1.3 s of CPU a minute with no
 * traffic ({@code bench/idle.sh}). A longer poll timeout costs nothing while records flow (a poll returns as soon as
 * records arrive), but Camel stops its consumers one after another, each only after its current poll returned: with
 * 1 s a graceful stop took 29 s instead of 11.
 * <p>
 * So when the application context starts closing (before Camel, the web server and the brokers stop), this factory
 * wakes every consumer it made out of its poll ({@link Consumer#wakeup()}) and from then on shortens each poll to
 * {@link #STOPPING_POLL}. The wakeup it sent never reaches Camel: a woken poll answers "no records"; if the consumer
 * was busy elsewhere and the wakeup hits another blocking call (an offset commit after processing), that call is made
 * again, once. Records are processed and committed as before; only the idle wait changes.
 * <p>
 * Each consumer writes its offset commits at most once per {@code esb.kafka-consumers.commit-interval-ms}
 * ({@link CoalescedCommits}).
 * <p>
 * Producers are Camel's own.
 */
public class WakeableKafkaClients extends DefaultKafkaClientFactory
        implements ApplicationListener<ContextClosedEvent>, ApplicationContextAware {

    /** the longest poll once the ESB is stopping */
    static final Duration STOPPING_POLL = Duration.ofMillis(100);

    private final Set<Consumer<?, ?>> open = ConcurrentHashMap.newKeySet();
    private final Duration commitInterval;
    private volatile boolean stopping;
    private ApplicationContext context;

    /** consumers that write each offset commit when Camel asks for it */
    public WakeableKafkaClients() {
        this(Duration.ZERO);
    }

    /** consumers that write their offset commits at most once per {@code commitInterval} ({@link CoalescedCommits}) */
    public WakeableKafkaClients(Duration commitInterval) {
        this.commitInterval = commitInterval;
    }

    @Override
    public Consumer getConsumer(Properties kafkaProps) {
        return wakeable(CoalescedCommits.of(super.getConsumer(kafkaProps), commitInterval));
    }

    /** {@code consumer} behind a proxy that polls briefly once stopping and absorbs the wakeup sent by this factory */
    Consumer<?, ?> wakeable(Consumer<?, ?> consumer) {
        open.add(consumer);
        InvocationHandler handler = (proxy, method, args) -> invoke(consumer, method, args);
        return (Consumer<?, ?>) Proxy.newProxyInstance(Consumer.class.getClassLoader(),
                new Class<?>[] {Consumer.class}, handler);
    }

    /** wakes every open consumer out of its poll; later polls last {@link #STOPPING_POLL} at most */
    public void wakeUpAll() {
        stopping = true;
        open.forEach(Consumer::wakeup);
    }

    @Override
    public void setApplicationContext(ApplicationContext context) {
        this.context = context;
    }

    /** the ESB's own context closing, not a child's (a management server on its own port has one) */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (event.getApplicationContext() == context) {
            wakeUpAll();
        }
    }

    int openConsumers() {
        return open.size();
    }

    private Object invoke(Consumer<?, ?> consumer, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        boolean poll = name.equals("poll") && args != null && args.length == 1 && args[0] instanceof Duration;
        if (poll && stopping && ((Duration) args[0]).compareTo(STOPPING_POLL) > 0) {
            args = new Object[] {STOPPING_POLL};
        }
        try {
            return call(consumer, method, args);
        } catch (WakeupException e) {
            if (!stopping) {
                throw e; // not sent by this factory
            }
            // sent by wakeUpAll (Camel's own wakeup comes after its polling loop ended: the same answers do)
            return poll ? ConsumerRecords.empty() : call(consumer, method, args);
        } finally {
            if (name.equals("close")) {
                open.remove(consumer);
            }
        }
    }

    private static Object call(Consumer<?, ?> consumer, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(consumer, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
