package io.conduit.esb.support;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.ScheduledPollConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A poller built like the ESB's capture pollers (scheduler with idle backoff, begin / found in a split's copy / end)
 * backs off when its polls find nothing and keeps its period while they find something.
 */
class PollActivityTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final AtomicInteger polls = new AtomicInteger();

    @AfterEach
    void stop() {
        camel.stop();
    }

    /** Polls every 10 ms, two sides one after the other (a split); the ERP side finds something when told to. */
    private ScheduledPollConsumer poller(boolean erpFinds) throws Exception {
        camel.getRegistry().bind("pollActivity", new PollActivity());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("scheduler:capture?delay=10&initialDelay=0&synchronous=true"
                        + "&backoffIdleThreshold=3&backoffMultiplier=1000").routeId("poller")
                        .process(exchange -> polls.incrementAndGet())
                        .bean("pollActivity", "begin")
                        .setBody(constant("crm,erp"))
                        .split(body().tokenize(","))
                            // each side answers its items: none, except the ERP when told to
                            .process(exchange -> exchange.setProperty("items", erpFinds
                                    && "erp".equals(exchange.getMessage().getBody(String.class)) ? 2 : 0))
                            .bean("pollActivity", "found(${exchange}, ${exchangeProperty.items})")
                        .end()
                        .bean("pollActivity", "end");
            }
        });
        camel.start();
        return (ScheduledPollConsumer) camel.getRoute("poller").getConsumer();
    }

    @Test
    void pollsThatFindNothingBackOff() throws Exception {
        ScheduledPollConsumer consumer = poller(false);

        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.getBackoffCounter() > 0);
        int atBackoff = polls.get();
        assertThat(atBackoff).isGreaterThanOrEqualTo(3);
        // backing off: the next 1,000 periods (10 s) pass without a poll
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> polls.get() == atBackoff);
    }

    @Test
    void aFindInAnyCopyOfTheSplitKeepsThePeriod() throws Exception {
        ScheduledPollConsumer consumer = poller(true);

        await().atMost(Duration.ofSeconds(10)).until(() -> polls.get() >= 20);
        assertThat(consumer.getBackoffCounter()).isZero();
    }

    @Test
    void aPollThatNeverBeganCountsAsBusy() {
        PollActivity activity = new PollActivity();
        Exchange exchange = new DefaultExchange(camel);

        activity.end(exchange);

        assertThat(exchange.getProperty(Exchange.SCHEDULER_POLLED_MESSAGES, Boolean.class)).isTrue();
    }
}
