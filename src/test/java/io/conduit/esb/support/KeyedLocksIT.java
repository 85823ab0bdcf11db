package io.conduit.esb.support;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The ESB's keyed locks: PostgreSQL advisory locks of its database (so replicas take turns too). A second call naming a
 * held key waits in PostgreSQL until the first is done; one that cannot have it within the wait fails with
 * lock_not_available (55P03), which a flow's policy retries; nothing stays locked after.
 */
class KeyedLocksIT extends EsbIntegrationTest {

    @Autowired
    KeyedLocks locks;
    @Autowired
    @Qualifier("esbDataSource")
    DataSource esbDataSource;

    private CamelContext camel;
    private final CountDownLatch hold = new CountDownLatch(1);

    @BeforeEach
    void route() throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:hold").process(e -> hold.await(10, TimeUnit.SECONDS)).setBody(constant("done"));
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        hold.countDown();
        camel.stop();
    }

    @Test
    void aSecondCallOnAHeldKeyWaitsInPostgresAndOneThatCannotHaveItInTimeFailsRetryably() throws Exception {
        String key = "party:KL-" + System.nanoTime();
        CompletableFuture<Exchange> first = CompletableFuture.supplyAsync(() -> call(locks, key));
        await().atMost(Duration.ofSeconds(5)).until(() -> waiting() == 0 && held() > 0);
        CompletableFuture<Exchange> second = CompletableFuture.supplyAsync(() -> call(locks, key.toUpperCase()));
        await().atMost(Duration.ofSeconds(5)).until(() -> waiting() == 1);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !second.isDone());

        // a caller whose wait is short gives up with PostgreSQL's lock_not_available
        KeyedLocks impatient = new KeyedLocks(esbDataSource, 200);
        Throwable refused = catchThrowable(() -> impatient.call(new DefaultExchange(camel), key, "direct:hold"));
        assertThat(refused).isInstanceOf(SQLException.class);
        assertThat(((SQLException) refused).getSQLState()).isEqualTo("55P03");

        hold.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).getMessage().getBody()).isEqualTo("done");
        assertThat(second.get(10, TimeUnit.SECONDS).getMessage().getBody()).isEqualTo("done");
        await().atMost(Duration.ofSeconds(5)).until(() -> waiting() == 0);
    }

    private Exchange call(KeyedLocks with, String keys) {
        Exchange exchange = new DefaultExchange(camel);
        try {
            with.call(exchange, keys, "direct:hold");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return exchange;
    }

    /** Advisory locks asked for and not granted (a call waiting for its turn). */
    private int waiting() {
        return jdbc.queryForObject("select count(*) from pg_locks where locktype = 'advisory' and not granted", Integer.class);
    }

    private int held() {
        return jdbc.queryForObject("select count(*) from pg_locks where locktype = 'advisory' and granted", Integer.class);
    }
}
