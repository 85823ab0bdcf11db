package io.conduit.esb.delivery;

import io.conduit.esb.support.EsbIntegrationTest;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.jms.JmsMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.connection.ConnectionFactoryUtils;
import org.springframework.jms.core.JmsTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A transacted JMS route of the ESB is one JMS transaction: the message it consumes and every message it sends are
 * committed together, or rolled back together. Both tests run routes on the ESB's own {@code jms} component, so they
 * check its configuration ({@code camel.component.jms.*} in application.yaml), on the embedded Artemis.
 * <p>
 * Why this needs a test: with Camel's lazily created JmsTransactionManager and a cached consumer
 * ({@code cache-level-name: CACHE_CONSUMER}), Spring's listener container received on its own cached session and
 * committed that (the acknowledgement) first, while the route's sends went on the transaction manager's session,
 * committed afterwards. An ESB killed, or a broker restarted, between the two lost the sends with the message already
 * acknowledged: the fault suite found an employee whose "onboarding complete" notice never reached the OA.
 */
class JmsTransactionsIT extends EsbIntegrationTest {

    @Autowired
    CamelContext camel;

    private final List<String> routes = new ArrayList<>();

    @AfterEach
    void removeRoutes() throws Exception {
        for (String route : routes) {
            camel.getRouteController().stopRoute(route);
            camel.removeRoute(route);
        }
    }

    @Test
    void aTransactedRouteSendsOnTheSessionItsMessageWasReceivedOn() throws Exception {
        String in = queue("tx-session-in");
        String out = queue("tx-session-out");
        ConnectionFactory connectionFactory = camel.getComponent("jms", JmsComponent.class).getConnectionFactory();
        Queue<Boolean> sameSession = new ConcurrentLinkedQueue<>();
        route("jms-tx-session", new RouteBuilder() {
            @Override
            public void configure() {
                from("jms:queue:" + in + "?transacted=true").routeId("jms-tx-session")
                        .process(exchange -> {
                            Session received = exchange.getIn(JmsMessage.class).getJmsSession();
                            // the session a JmsTemplate (Camel's JMS producer) sends on from this thread
                            Session sending = ConnectionFactoryUtils.getTransactionalSession(
                                    connectionFactory, null, false);
                            sameSession.add(received != null && received == sending);
                        })
                        .to("jms:queue:" + out);
            }
        });

        JmsTemplate jms = template();
        jms.convertAndSend(in, "one");
        jms.convertAndSend(in, "two");

        await().atMost(Duration.ofSeconds(30)).until(() -> sameSession.size() == 2);
        assertThat(sameSession).containsExactly(true, true);
        assertThat(receiveAll(jms, out)).containsExactlyInAnyOrder("one", "two");
    }

    @Test
    void aRouteThatFailsAfterItsSendTakesBackTheSendAndGetsItsMessageAgain() throws Exception {
        String in = queue("tx-rollback-in");
        String out = queue("tx-rollback-out");
        AtomicInteger attempts = new AtomicInteger();
        route("jms-tx-rollback", new RouteBuilder() {
            @Override
            public void configure() {
                from("jms:queue:" + in + "?transacted=true").routeId("jms-tx-rollback")
                        .to("jms:queue:" + out)
                        .process(exchange -> {
                            if (attempts.incrementAndGet() == 1) {
                                throw new IllegalStateException("first attempt fails after its send");
                            }
                        });
            }
        });

        JmsTemplate jms = template();
        jms.convertAndSend(in, "order-1");

        await().atMost(Duration.ofSeconds(30)).until(() -> attempts.get() >= 2);
        assertThat(receiveAll(jms, out)).containsExactly("order-1");
        assertThat(attempts).hasValue(2);
        assertThat(receiveAll(jms, in)).isEmpty();
    }

    private void route(String id, RouteBuilder builder) throws Exception {
        camel.addRoutes(builder);
        routes.add(id);
    }

    private static String queue(String name) {
        return "test." + name + "." + UUID.randomUUID();
    }

    private JmsTemplate template() {
        JmsTemplate jms = new JmsTemplate(camel.getComponent("jms", JmsComponent.class).getConnectionFactory());
        jms.setReceiveTimeout(2_000);
        return jms;
    }

    /** Every message on the queue until none comes for the receive timeout. */
    private static List<String> receiveAll(JmsTemplate jms, String queue) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (var message = jms.receive(queue); message != null; message = jms.receive(queue)) {
            bodies.add(((TextMessage) message).getText());
        }
        return bodies;
    }
}
