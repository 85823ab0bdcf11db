package io.conduit.esb.suppliers;

import io.conduit.esb.cluster.Leadership;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The supplier master flow ({@code routes/supplier-master.camel.yaml}): bean {@code supplierMasterLeader}, the
 * leadership of its capture and resync (the CRM's suppliers are polled by one instance), on the ESB's cluster service
 * ({@code esb.cluster.type}), in a namespace of its own ({@code esb.supplier-master.cluster.namespace}). Everything
 * else of the flow is in its route file and mappings; correctness does not depend on the leadership alone (the
 * watermark moves with a compare-and-set, the latest state per supplier and the deliveries are versioned).
 */
@Configuration(proxyBeanMethods = false)
public class SupplierMasterConfiguration {

    @Bean
    public ClusteredRoutePolicy supplierMasterLeader(Leadership leadership,
                                                     @Value("${esb.supplier-master.cluster.namespace}") String namespace)
            throws Exception {
        return leadership.policy(namespace);
    }
}
