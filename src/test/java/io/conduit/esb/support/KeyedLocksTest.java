package io.conduit.esb.support;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The keyed locks (in this JVM): keys as locked, turns taken on a shared key, none on others, failures passed on. */
class KeyedLocksTest {

    private CamelContext camel;
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();
    private volatile CountDownLatch hold = new CountDownLatch(0);

    @BeforeEach
    void routes() throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:work").process(e -> {
                    mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    try {
                        hold.await(5, TimeUnit.SECONDS);
                    } finally {
                        inside.decrementAndGet();
                    }
                    e.getMessage().setBody("done");
                });
                from("direct:fail").process(e -> {
                    throw new IllegalStateException("the system refused");
                });
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void keysAreComparedWithoutCaseAndBlanksSortedAndEmptyOnesAreNoLock() {
        assertThat(KeyedLocks.keys("tax:de 123, party:acc-1,,tax:,party:ACC-1")).containsExactly("PARTY:ACC-1", "TAX:DE123");
        assertThat(KeyedLocks.keys(null)).isEmpty();
        assertThat(KeyedLocks.keys(" , tax:")).isEmpty();
    }

    @Test
    void callsNamingOneKeyTakeTurnsAndOthersDoNotWait() throws Exception {
        KeyedLocks locks = KeyedLocks.inJvm();
        hold = new CountDownLatch(1);
        CompletableFuture<Exchange> first = CompletableFuture.supplyAsync(() -> call(locks, "party:ACC-1,tax:DE1"));
        awaitInside(1);
        CompletableFuture<Exchange> second = CompletableFuture.supplyAsync(() -> call(locks, "Tax:de1"));
        CompletableFuture<Exchange> other = CompletableFuture.supplyAsync(() -> call(locks, "party:ACC-2"));
        awaitInside(2);
        // the one with another key is in beside the first; the one sharing a key stays out while the first holds it
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(300)).atMost(java.time.Duration.ofSeconds(2))
                .until(() -> inside.get() == 2 && !second.isDone());
        hold.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS).getMessage().getBody()).isEqualTo("done");
        assertThat(second.get(5, TimeUnit.SECONDS).getMessage().getBody()).isEqualTo("done");
        assertThat(other.get(5, TimeUnit.SECONDS).getMessage().getBody()).isEqualTo("done");
        assertThat(mostInside.get()).isEqualTo(2);
    }

    @Test
    void aFailingSubRouteFailsTheCallAndReleasesItsLocks() {
        KeyedLocks locks = KeyedLocks.inJvm();
        Exchange exchange = new DefaultExchange(camel);
        assertThatThrownBy(() -> locks.call(exchange, "party:ACC-1", "direct:fail"))
                .isInstanceOf(IllegalStateException.class).hasMessage("the system refused");
        assertThat(exchange.getException()).isNull();
        assertThat(call(locks, "party:ACC-1").getMessage().getBody()).as("the lock was released").isEqualTo("done");
    }

    private Exchange call(KeyedLocks locks, String keys) {
        Exchange exchange = new DefaultExchange(camel);
        try {
            locks.call(exchange, keys, "direct:work");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return exchange;
    }

    private void awaitInside(int n) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> inside.get() == n);
    }
}
