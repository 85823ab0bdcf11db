package io.conduit.esb.products;

import io.conduit.esb.cluster.Leadership;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The product catalogue flow ({@code routes/product-catalogue.camel.yaml}): bean {@code productCatalogueLeader}, the
 * leadership of its capture (the ERP's products and price lists are polled by one instance), on the ESB's cluster
 * service ({@code esb.cluster.type}), in a namespace of its own ({@code esb.product-catalogue.cluster.namespace}).
 * Everything else of the flow is in its route file and mappings; correctness does not depend on the leadership alone
 * (the watermark moves with a compare-and-set, the latest state per record and the deliveries are versioned).
 */
@Configuration(proxyBeanMethods = false)
public class ProductCatalogueConfiguration {

    @Bean
    public ClusteredRoutePolicy productCatalogueLeader(Leadership leadership,
                                                       @Value("${esb.product-catalogue.cluster.namespace}") String namespace)
            throws Exception {
        return leadership.policy(namespace);
    }
}
