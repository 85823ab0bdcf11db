package io.conduit.esb.inventory;

import io.conduit.esb.cluster.Leadership;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Leadership for the ERP change capture: only one ESB instance polls the ERP.
 * <p>
 * A Camel {@link ClusteredRoutePolicy} on the ESB's cluster service ({@code esb.cluster.type}, see
 * {@link io.conduit.esb.cluster.ClusterConfiguration}) on the routes that must run once (bean
 * {@code inventoryFeedbackLeader}, referenced by the routes' {@code routePolicy}): the instance holding the namespace's
 * leadership runs them, the others keep them stopped and take over when the holder stops or dies. Correctness never
 * depends on the leadership alone: the capture advances its watermark with a compare-and-set and delivery is
 * idempotent by change counter, so a brief overlap of two leaders repeats work, never loses it.
 */
@Configuration(proxyBeanMethods = false)
public class InventoryFeedbackConfiguration {

    @Bean
    public ClusteredRoutePolicy inventoryFeedbackLeader(Leadership leadership,
                                                        @Value("${esb.inventory-feedback.cluster.namespace}") String namespace)
            throws Exception {
        return leadership.policy(namespace);
    }
}
