package io.conduit.esb.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;

/**
 * Makes the flows' leader policies on the ESB's cluster service ({@link ClusterConfiguration}): a Camel
 * {@link ClusteredRoutePolicy} per namespace (the routes that carry it run on one instance at a time), and for each
 * namespace the gauge {@code esb_cluster_leader{namespace}}: 1 on the instance that runs its routes, 0 on the others.
 */
public final class Leadership {

    private final CamelClusterService service;
    private final MeterRegistry registry;

    public Leadership(CamelClusterService service, MeterRegistry registry) {
        this.service = service;
        this.registry = registry;
    }

    /** The policy for the routes of one namespace (one bean per namespace; routes share it by its bean name). */
    public ClusteredRoutePolicy policy(String namespace) throws Exception {
        Gauge.builder("esb.cluster.leader", service, s -> s.isLeader(namespace) ? 1 : 0)
                .description("1 where this instance runs the namespace's singleton routes, 0 on the other instances")
                .tag("namespace", namespace)
                .register(registry);
        return ClusteredRoutePolicy.forNamespace(service, namespace);
    }

    /** Whether this instance runs the routes of the namespace now. */
    public boolean leads(String namespace) {
        return service.isLeader(namespace);
    }
}
