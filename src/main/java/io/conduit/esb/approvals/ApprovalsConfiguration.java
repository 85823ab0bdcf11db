package io.conduit.esb.approvals;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The approvals flow ({@code routes/approvals.camel.yaml}): bean {@code approvalMatrix} (the matrix IT edits,
 * {@code esb.approvals.matrix} plus {@code esb.approvals.extra-matrices}) and bean {@code approvalsLeader}, the
 * leadership of the requisition capture, on the same lock service as the inventory feedback's capture (its own
 * namespace, {@code esb.approvals.cluster.namespace}): one instance polls the ERP, the others stand by.
 * <p>
 * The flow runs only where the chosen adapters implement its ports: its routes carry
 * {@code precondition: "{{esb.approvals.enabled}}"}, and {@code flows/approvals.yaml} makes that true for the adapter
 * pairs known to have them (slice 1: the sandboxes), so an ESB on Tryton and Redmine simply has no approvals routes.
 * Forced on ({@code ESB_APPROVALS_ENABLED=true}) with an adapter that lacks a port, the start fails here naming the
 * port and the property, rather than a poller failing every few seconds.
 */
@Configuration(proxyBeanMethods = false)
public class ApprovalsConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalsConfiguration.class);

    /** The ports the flow calls; each must be the {@code from} of a route of the chosen adapters. */
    static final List<String> PORTS = List.of("erp.requisitions-since", "erp.apply-requisition-decision",
            "oa.create-approval-task", "oa.remind-approval-task", "oa.cancel-approval-task");

    @Bean
    public ApprovalMatrix approvalMatrix(
            @Value("${esb.approvals.matrix}") String matrix,
            @Value("${esb.approvals.extra-matrices:}") List<String> extraMatrices,
            @Value("${esb.approvals.matrix-reload-check-ms:1000}") long reloadCheckMs) {
        List<Path> files = new ArrayList<>();
        files.add(Path.of(matrix));
        extraMatrices.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).forEach(files::add);
        return new ApprovalMatrix(files, reloadCheckMs);
    }

    @Bean
    public ClusteredRoutePolicy approvalsLeader(FileLockClusterService inventoryFeedbackClusterService,
                                                @Value("${esb.approvals.cluster.namespace}") String namespace)
            throws Exception {
        return ClusteredRoutePolicy.forNamespace(inventoryFeedbackClusterService, namespace);
    }

    @Bean
    CamelContextConfiguration approvalPortsCheck() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                List<String> missing = missingPorts(camel);
                if (missing == null) {
                    LOG.info("Approvals flow off (esb.approvals.enabled=false, or the chosen ERP/OA adapters lack its ports)");
                } else if (!missing.isEmpty()) {
                    throw new IllegalStateException("esb.approvals.enabled=true but no route of the chosen adapters "
                            + "(esb.systems.erp.adapter, esb.systems.oa.adapter) implements port(s) " + missing
                            + "; set esb.approvals.enabled=false (ESB_APPROVALS_ENABLED) or choose adapters that have them");
                }
            }
        };
    }

    /** The ports the approvals flow needs and no route implements; null when the flow has no routes (it is off). */
    static List<String> missingPorts(CamelContext camel) {
        List<Route> routes = camel.getRoutes();
        if (routes.stream().noneMatch(r -> "approvals".equals(r.getGroup()))) {
            return null;
        }
        Set<String> implemented = routes.stream().map(r -> r.getEndpoint().getEndpointUri())
                .filter(uri -> uri.startsWith("direct:"))
                .map(uri -> uri.substring("direct:".length()).replaceFirst("^//", "").replaceFirst("\\?.*$", ""))
                .collect(Collectors.toSet());
        return PORTS.stream().filter(p -> !implemented.contains(p)).toList();
    }
}
