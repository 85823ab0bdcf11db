package io.conduit.esb.payments;

import io.conduit.esb.cluster.Leadership;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The payment status flow ({@code routes/payment-status.camel.yaml}): bean {@code paymentStatusLeader}, the leadership
 * of its capture (the ERP's invoices are polled by one instance), on the ESB's cluster service
 * ({@code esb.cluster.type}), in a namespace of its own ({@code esb.payment-status.cluster.namespace}). Everything else
 * of the flow is in its route file and mappings; correctness does not depend on the leadership alone (the watermark
 * moves with a compare-and-set, the latest state per invoice and the deliveries are versioned).
 */
@Configuration(proxyBeanMethods = false)
public class PaymentStatusConfiguration {

    @Bean
    public ClusteredRoutePolicy paymentStatusLeader(Leadership leadership,
                                                    @Value("${esb.payment-status.cluster.namespace}") String namespace)
            throws Exception {
        return leadership.policy(namespace);
    }
}
