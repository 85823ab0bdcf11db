package io.conduit.esb.customers;

import io.conduit.esb.cluster.Leadership;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The customer master flow ({@code routes/customer-master.camel.yaml}): bean {@code customerMasterLeader}, the
 * leadership of its capture (the CRM's and the ERP's customers are polled by one instance), on the ESB's cluster
 * service ({@code esb.cluster.type}), in a namespace of its own ({@code esb.customer-master.cluster.namespace}).
 * Everything else of the flow is in its route file and mappings; correctness does not depend on the leadership alone
 * (the watermarks move with a compare-and-set, the latest state per customer and the deliveries are versioned).
 */
@Configuration(proxyBeanMethods = false)
public class CustomerMasterConfiguration {

    @Bean
    public ClusteredRoutePolicy customerMasterLeader(Leadership leadership,
                                                     @Value("${esb.customer-master.cluster.namespace}") String namespace)
            throws Exception {
        return leadership.policy(namespace);
    }
}
