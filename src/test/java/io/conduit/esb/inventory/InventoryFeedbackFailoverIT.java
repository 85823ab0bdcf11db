package io.conduit.esb.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.cluster.PostgresClusterService;
import io.conduit.esb.support.EsbIntegrationTest;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failover of the ERP poller between two instances: two Camel contexts (A and B), each with the leader election the
 * ESB uses (a {@link ClusteredRoutePolicy} on a {@link PostgresClusterService} on the ESB's database, same
 * namespace) around the same polling route (a timer that runs the ESB's capture of the shared ERP database). The
 * ESB's own poller is paused meanwhile, so every change that reaches the CRM was polled by A or B. B stands by while
 * A leads and takes over when A stops. (The ESB's own cluster service does not stand in for A: the shared Spring
 * context must keep working for later tests.)
 */
class InventoryFeedbackFailoverIT extends EsbIntegrationTest {

    private static final Duration TAKEOVER = Duration.ofSeconds(20);
    private static final List<String> ESB_LEADER_ROUTES = List.of("inventory-feedback.poller", "inventory-feedback.resync");

    @Autowired
    CamelContext camel;

    @Autowired
    @Qualifier("esbDataSource")
    DataSource esbDataSource;

    @Test
    void aSecondInstanceTakesOverThePollingWhenTheFirstStops() throws Exception {
        ErpFixture erp = new ErpFixture(jdbc);
        String item = "IT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase() + "-FAILOVER";
        String namespace = "failover-test-" + UUID.randomUUID();
        AtomicInteger polledByA = new AtomicInteger();
        AtomicInteger polledByB = new AtomicInteger();
        DefaultCamelContext a = instance("instance-a", namespace, polledByA);
        DefaultCamelContext b = instance("instance-b", namespace, polledByB);
        for (String route : ESB_LEADER_ROUTES) {
            camel.getRouteController().stopRoute(route);
        }
        try {
            a.start();
            await().atMost(TAKEOVER).until(() -> polledByA.get() > 0);
            b.start();
            // B stands by while A leads; A's polls carry ERP changes to the CRM
            erp.stock(item, "W01", "41", "4");
            await().atMost(TAKEOVER).untilAsserted(() -> assertThat(inStock(item)).isEqualTo("41.000"));
            assertThat(polledByB.get()).isZero();

            // A dies: B takes over and its polls carry the next change
            a.stop();
            await().atMost(TAKEOVER).until(() -> polledByB.get() > 0);
            int polledByABefore = polledByA.get();
            erp.stock(item, "W01", "42", "4");
            await().atMost(TAKEOVER).untilAsserted(() -> assertThat(inStock(item)).isEqualTo("42.000"));
            assertThat(polledByA.get()).isEqualTo(polledByABefore);
        } finally {
            a.stop();
            b.stop();
            for (String route : ESB_LEADER_ROUTES) {
                camel.getRouteController().startRoute(route);
            }
        }
    }

    private DefaultCamelContext instance(String id, String namespace, AtomicInteger polls) throws Exception {
        ProducerTemplate capture = camel.createProducerTemplate();
        PostgresClusterService service = new PostgresClusterService(esbDataSource, id + "-" + namespace,
                Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(500));
        DefaultCamelContext context = new DefaultCamelContext();
        context.addService(service);
        ClusteredRoutePolicy leader = ClusteredRoutePolicy.forNamespace(service, namespace);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:" + id + "-poll?period=200").routeId(id + ".poller").routePolicy(leader)
                        .process(e -> {
                            polls.incrementAndGet();
                            capture.sendBody("direct:inventory-feedback.capture", null);
                        });
            }
        });
        return context;
    }

    private String inStock(String item) {
        JsonNode availability = sandbox.http().get().uri("/sandbox/crm/api/products/{sku}/availability", item)
                .retrieve().body(JsonNode.class);
        return availability == null || availability.isEmpty() ? null
                : availability.get(0).path("inStock").decimalValue().setScale(3).toPlainString();
    }
}
