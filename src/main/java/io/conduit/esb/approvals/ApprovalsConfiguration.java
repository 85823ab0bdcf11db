package io.conduit.esb.approvals;

import io.conduit.esb.cluster.Leadership;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
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
 * leadership of the capture (every journey's source is polled by one instance), on the ESB's cluster service
 * ({@code esb.cluster.type}; its own namespace, {@code esb.approvals.cluster.namespace}): one instance polls the sources, the others stand by; and
 * bean {@code approvalJourneys}, the journeys of {@code esb.approvals.journeys} ({@link ApprovalJourneys}).
 * <p>
 * The flow runs only where the chosen OA adapter implements the approval task ports: its routes carry
 * {@code precondition: "{{esb.approvals.enabled}}"}, and {@code flows/approvals.yaml} makes that true for the OA
 * adapters known to have them; each journey is on where, in addition, the chosen source adapter (ERP, CRM, ...)
 * implements its capture and apply ports. Forced on ({@code ESB_APPROVALS_ENABLED=true}, or a journey's own switch)
 * with an adapter that lacks a port, the start fails here naming the port and the property, rather than a poller
 * failing every few seconds.
 */
@Configuration(proxyBeanMethods = false)
public class ApprovalsConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalsConfiguration.class);

    /** The OA ports every journey calls; each must be the {@code from} of a route of the chosen OA adapter. */
    static final List<String> OA_PORTS = List.of("oa.create-approval-task", "oa.remind-approval-task",
            "oa.cancel-approval-task");

    @Bean
    public ApprovalJourneys approvalJourneys(org.springframework.core.env.Environment environment) {
        return ApprovalJourneys.from(environment);
    }

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
    public ClusteredRoutePolicy approvalsLeader(Leadership leadership,
                                                @Value("${esb.approvals.cluster.namespace}") String namespace)
            throws Exception {
        return leadership.policy(namespace);
    }

    @Bean
    CamelContextConfiguration approvalPortsCheck(ApprovalJourneys journeys) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                List<String> missing = missingPorts(camel, ports(journeys));
                if (missing == null) {
                    LOG.info("Approvals flow off (esb.approvals.enabled=false, or the chosen OA adapter lacks its ports)");
                } else if (!missing.isEmpty()) {
                    throw new IllegalStateException("esb.approvals.enabled=true but no route of the chosen adapters "
                            + "(esb.systems.<role>.adapter) implements port(s) " + missing
                            + "; set esb.approvals.enabled=false (ESB_APPROVALS_ENABLED), switch the journey off "
                            + "(esb.approvals.journeys.<journey>.enabled) or choose adapters that have them");
                } else {
                    LOG.info("Approvals flow on; journeys on: {}", journeys.enabled().stream()
                            .map(j -> j.get("journey")).toList());
                }
            }
        };
    }

    /**
     * The ports the flow needs: the OA's, and of each journey that is on its capture and apply ports, its reverse
     * port and the ports its composite routes call (effect-ports).
     */
    static List<String> ports(ApprovalJourneys journeys) {
        List<String> ports = new ArrayList<>();
        for (ApprovalJourneys.Journey journey : journeys.all()) {
            if (!journey.enabled()) {
                continue;
            }
            ports.add(journey.capturePort());
            ports.add(journey.applyPort());
            if (journey.reversePort() != null) {
                ports.add(journey.reversePort());
            }
            ports.addAll(journey.effectPorts());
        }
        ports.addAll(OA_PORTS);
        return ports;
    }

    /** The ports the approvals flow needs and no route implements; null when the flow has no routes (it is off). */
    static List<String> missingPorts(CamelContext camel, List<String> ports) {
        List<Route> routes = camel.getRoutes();
        if (routes.stream().noneMatch(r -> "approvals".equals(r.getGroup()))) {
            return null;
        }
        Set<String> implemented = routes.stream().map(r -> r.getEndpoint().getEndpointUri())
                .filter(uri -> uri.startsWith("direct:"))
                .map(uri -> uri.substring("direct:".length()).replaceFirst("^//", "").replaceFirst("\\?.*$", ""))
                .collect(Collectors.toSet());
        return ports.stream().filter(p -> !implemented.contains(p)).toList();
    }
}
