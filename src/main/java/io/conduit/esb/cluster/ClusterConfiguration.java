package io.conduit.esb.cluster;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Leadership for the singleton pollers: the one {@link CamelClusterService} every {@link ClusteredRoutePolicy} of
 * the flows uses (beans {@code inventoryFeedbackLeader}, {@code approvalsLeader}, {@code dueLeaversLeader},
 * {@code pollersLeader}, each its own namespace, made by {@link Leadership} and referenced by the routes'
 * {@code routePolicy}): on each namespace
 * one ESB instance runs the routes, the others keep them stopped and take over when it stops or dies.
 * {@code esb.cluster.type} (config/cluster.yaml) chooses the service:
 * <ul>
 *   <li>{@code postgres} (the default): {@link PostgresClusterService}, a lease row per namespace in the ESB's own
 *       database, which every instance already shares: any number of instances on any hosts, nothing else to run;</li>
 *   <li>{@code file}: Camel's {@link FileLockClusterService}, a lock file per namespace in a folder every instance
 *       sees ({@code esb.cluster.file.root}): instances on one host, or a shared volume whose locks hold across
 *       hosts;</li>
 *   <li>{@code kubernetes}: Camel's {@link KubernetesClusterService}, a {@code coordination.k8s.io} Lease per
 *       namespace (the pods need a service account allowed to read and write leases and to list pods).</li>
 * </ul>
 * The postgres and kubernetes services share the timing settings ({@code esb.cluster.lease-ms},
 * {@code renew-deadline-ms}, {@code retry-ms}), with the same meaning as in a Kubernetes Lease.
 */
@Configuration(proxyBeanMethods = false)
public class ClusterConfiguration {

    /** The cluster service of {@code esb.cluster.type}, added to (and started and stopped with) the Camel context. */
    @Bean
    public CamelClusterService esbClusterService(CamelContext camelContext, Environment environment,
                                                 @Qualifier("esbDataSourceProperties") DataSourceProperties esb)
            throws Exception {
        String type = environment.getProperty("esb.cluster.type", "postgres").trim().toLowerCase(Locale.ROOT);
        Duration lease = Duration.ofMillis(environment.getRequiredProperty("esb.cluster.lease-ms", Long.class));
        Duration renewDeadline = Duration.ofMillis(
                environment.getRequiredProperty("esb.cluster.renew-deadline-ms", Long.class));
        Duration retry = Duration.ofMillis(environment.getRequiredProperty("esb.cluster.retry-ms", Long.class));
        String memberId = environment.getRequiredProperty("esb.cluster.member-id");
        CamelClusterService service = switch (type) {
            case "postgres" -> {
                HikariDataSource leases = leaseDataSource(esb, renewDeadline, retry);
                yield new PostgresClusterService(leases, memberId, lease, renewDeadline, retry)
                        .closingOnShutdown(leases);
            }
            case "file" -> file(environment);
            case "kubernetes" -> kubernetes(environment, memberId, lease, renewDeadline, retry);
            default -> throw new IllegalStateException("esb.cluster.type (ESB_CLUSTER_TYPE) is '" + type
                    + "'; it must be postgres, file or kubernetes");
        };
        camelContext.addService(service);
        return service;
    }

    /**
     * One connection of its own on the ESB's database for the lease statements, so a main pool that is busy (every
     * connection lent to deliveries) never delays a renewal. The socket timeout ends a statement stuck on a dead
     * connection; the service steps down by its deadline anyway.
     */
    private static HikariDataSource leaseDataSource(DataSourceProperties esb, Duration renewDeadline, Duration retry) {
        HikariDataSource ds = esb.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        ds.setPoolName("esb-cluster-lease");
        ds.setMaximumPoolSize(1);
        ds.setMinimumIdle(1);
        ds.setConnectionTimeout(Math.max(250, retry.toMillis()));
        ds.setValidationTimeout(Math.max(250, Math.min(retry.toMillis(), 5000)));
        // the ESB cannot start without its database anyway (Flyway runs first): no need to fail on it here
        ds.setInitializationFailTimeout(-1);
        ds.addDataSourceProperty("socketTimeout", String.valueOf(Math.max(1, renewDeadline.toSeconds())));
        ds.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, retry.toSeconds())));
        ds.addDataSourceProperty("ApplicationName", "conduit-esb cluster lease");
        return ds;
    }

    private static FileLockClusterService file(Environment environment) {
        FileLockClusterService service = new FileLockClusterService();
        service.setId("esb-cluster-file");
        service.setRoot(environment.getRequiredProperty("esb.cluster.file.root"));
        service.setAcquireLockDelay(environment.getRequiredProperty("esb.cluster.file.acquire-lock-delay-ms",
                Long.class), TimeUnit.MILLISECONDS);
        service.setAcquireLockInterval(environment.getRequiredProperty("esb.cluster.file.acquire-lock-interval-ms",
                Long.class), TimeUnit.MILLISECONDS);
        return service;
    }

    static KubernetesClusterService kubernetes(Environment environment, String memberId, Duration lease,
                                               Duration renewDeadline, Duration retry) {
        KubernetesClusterService service = new KubernetesClusterService();
        service.setId("esb-cluster-kubernetes");
        service.setLeaseResourceType(LeaseResourceType.Lease);
        // one Lease per leadership namespace: <lease-name>-<namespace>
        service.setKubernetesResourceName(environment.getRequiredProperty("esb.cluster.kubernetes.lease-name"));
        String namespace = environment.getProperty("esb.cluster.kubernetes.namespace", "");
        if (!namespace.isBlank()) {
            service.setKubernetesNamespace(namespace.trim());
        }
        // the pod's name (HOSTNAME in a pod): the Lease's holder identity, and how the pod is found among the members
        String podName = environment.getProperty("esb.cluster.kubernetes.pod-name", "");
        service.setPodName(podName.isBlank() ? memberId : podName.trim());
        service.setClusterLabels(labels(environment.getProperty("esb.cluster.kubernetes.pod-labels", "")));
        service.setLeaseDurationMillis(lease.toMillis());
        service.setRenewDeadlineMillis(renewDeadline.toMillis());
        service.setRetryPeriodMillis(retry.toMillis());
        return service;
    }

    /** {@code a=b,c=d} as a map. */
    static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalStateException("esb.cluster.kubernetes.pod-labels: '" + pair.trim()
                        + "' is not name=value");
            }
            labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return labels;
    }

    /** The flows' leader policies come from here: one per namespace, each with its gauge. */
    @Bean
    public Leadership leadership(CamelClusterService esbClusterService, MeterRegistry registry) {
        return new Leadership(esbClusterService, registry);
    }

    /**
     * Bean {@code pollersLeader}: the leadership of the watermark pollers (routes/poll-template.camel.yaml: every route
     * an adapter makes from the template, e.g. Redmine's task events and approval decisions), one namespace for all.
     */
    @Bean
    public ClusteredRoutePolicy pollersLeader(Leadership leadership, Environment environment) throws Exception {
        return leadership.policy(environment.getRequiredProperty("esb.cluster.pollers-namespace"));
    }
}
