package io.conduit.esb.inventory;

import org.apache.camel.CamelContext;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.TimeUnit;

/**
 * Leadership for the ERP change capture: only one ESB instance polls the ERP.
 * <p>
 * Camel's own cluster SPI: a {@link FileLockClusterService} (camel-file, already on the classpath) holding a lock
 * file per namespace in {@code esb.inventory-feedback.cluster.root}, and a {@link ClusteredRoutePolicy} on the
 * routes that must run once (bean {@code inventoryFeedbackLeader}, referenced by the routes' {@code routePolicy}):
 * the instance holding the lock runs them, the others keep them stopped and take over within about
 * {@code acquire-lock-interval-ms} when the holder stops or dies (its lock file heartbeat goes stale).
 * Chosen because it needs nothing we do not run (no ZooKeeper, Consul, etcd or Kubernetes API); the replicas
 * only need one shared folder (a shared volume). A deployment without a shared volume can swap in any other
 * {@code CamelClusterService} (camel-kubernetes leases, camel-zookeeper, ...) as this bean without touching the
 * routes. Correctness never depends on the lock alone: the capture advances its watermark with a compare-and-set
 * and delivery is idempotent by change counter, so a brief overlap of two leaders repeats work, never loses it.
 */
@Configuration(proxyBeanMethods = false)
public class InventoryFeedbackConfiguration {

    @Bean
    public FileLockClusterService inventoryFeedbackClusterService(
            CamelContext camelContext,
            @Value("${esb.inventory-feedback.cluster.root}") String root,
            @Value("${esb.inventory-feedback.cluster.acquire-lock-delay-ms}") long delayMs,
            @Value("${esb.inventory-feedback.cluster.acquire-lock-interval-ms}") long intervalMs) throws Exception {
        FileLockClusterService service = new FileLockClusterService();
        service.setId("inventory-feedback-cluster");
        service.setRoot(root);
        service.setAcquireLockDelay(delayMs, TimeUnit.MILLISECONDS);
        service.setAcquireLockInterval(intervalMs, TimeUnit.MILLISECONDS);
        camelContext.addService(service);
        return service;
    }

    @Bean
    public ClusteredRoutePolicy inventoryFeedbackLeader(FileLockClusterService inventoryFeedbackClusterService,
                                                        @Value("${esb.inventory-feedback.cluster.namespace}") String namespace)
            throws Exception {
        return ClusteredRoutePolicy.forNamespace(inventoryFeedbackClusterService, namespace);
    }
}
