package io.conduit.esb.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.support.EsbIntegrationTest;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failover of the ERP poller between two instances: this ESB (instance A, leader) and a second Camel context
 * (instance B) with the same lock folder and namespace and the same polling route (it runs the capture of the shared
 * database). B stands by while A holds the lock, takes over when A stops, and A takes over again when B stops.
 */
class InventoryFeedbackFailoverIT extends EsbIntegrationTest {

    private static final Duration TAKEOVER = Duration.ofSeconds(20);

    @Autowired
    CamelContext camel;

    @Autowired
    FileLockClusterService inventoryFeedbackClusterService;

    @Value("${esb.inventory-feedback.cluster.root}")
    String root;

    @Value("${esb.inventory-feedback.cluster.namespace}")
    String namespace;

    @Test
    void aSecondInstanceTakesOverThePollingWhenTheFirstStops() throws Exception {
        ErpFixture erp = new ErpFixture(jdbc);
        String item = "IT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase() + "-FAILOVER";
        await().atMost(TAKEOVER).until(() -> camel.getRouteController().getRouteStatus("inventory-feedback.poller").isStarted());

        AtomicInteger polledByB = new AtomicInteger();
        ProducerTemplate capture = camel.createProducerTemplate();
        FileLockClusterService serviceB = new FileLockClusterService();
        serviceB.setId("instance-b");
        serviceB.setRoot(root);
        serviceB.setAcquireLockDelay(200, TimeUnit.MILLISECONDS);
        serviceB.setAcquireLockInterval(500, TimeUnit.MILLISECONDS);
        DefaultCamelContext b = new DefaultCamelContext();
        b.addService(serviceB);
        ClusteredRoutePolicy policyB = ClusteredRoutePolicy.forNamespace(serviceB, namespace);
        b.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:instance-b-poll?period=200").routeId("instance-b.poller").routePolicy(policyB)
                        .process(e -> {
                            polledByB.incrementAndGet();
                            capture.sendBody("direct:inventory-feedback.capture", null);
                        });
            }
        });
        b.start();
        try {
            // B stands by while A holds the lock
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> polledByB.get() == 0);

            // A dies: its pollers stop and its lock is released
            camel.getRouteController().stopRoute("inventory-feedback.poller");
            camel.getRouteController().stopRoute("inventory-feedback.resync");
            inventoryFeedbackClusterService.stop();
            await().atMost(TAKEOVER).until(() -> polledByB.get() > 0);

            erp.stock(item, "W01", "42", "4");
            await().atMost(TAKEOVER).untilAsserted(() -> assertThat(inStock(item)).isEqualTo("42.000"));

            // A comes back and stands by; B stops: A takes over again
            inventoryFeedbackClusterService.start();
            b.stop();
            await().atMost(TAKEOVER).until(() -> camel.getRouteController().getRouteStatus("inventory-feedback.poller").isStarted());
            erp.stock(item, "W01", "43", "4");
            await().atMost(TAKEOVER).untilAsserted(() -> assertThat(inStock(item)).isEqualTo("43.000"));
        } finally {
            b.stop();
            if (!inventoryFeedbackClusterService.isRunAllowed() || inventoryFeedbackClusterService.isStopped()) {
                inventoryFeedbackClusterService.start();
            }
        }
    }

    private String inStock(String item) {
        JsonNode availability = sandbox.http().get().uri("/sandbox/crm/api/products/{sku}/availability", item)
                .retrieve().body(JsonNode.class);
        return availability == null || availability.isEmpty() ? null
                : availability.get(0).path("inStock").decimalValue().setScale(3).toPlainString();
    }
}
