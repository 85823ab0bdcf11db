package io.conduit.esb.cluster;

import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.mock.env.MockEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code esb.cluster.type} chooses the cluster service, each configured from {@code esb.cluster.*}; the Kubernetes one
 * is only built here (no cluster is reached: its views, and so its client, come with the first route policy).
 */
class ClusterConfigurationTest {

    private final ClusterConfiguration configuration = new ClusterConfiguration();

    @Test
    void kubernetesUsesLeasesNamedByNamespaceWithTheSharedTimings() throws Exception {
        MockEnvironment env = settings("kubernetes")
                .withProperty("esb.cluster.kubernetes.namespace", "conduit")
                .withProperty("esb.cluster.kubernetes.pod-name", "conduit-esb-7d9f-abcde")
                .withProperty("esb.cluster.kubernetes.pod-labels", "app.kubernetes.io/name=conduit-esb, tier=esb");
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            CamelClusterService service = configuration.esbClusterService(camel, env, new DataSourceProperties());
            assertThat(service).isInstanceOf(KubernetesClusterService.class);
            KubernetesClusterService kubernetes = (KubernetesClusterService) service;
            assertThat(kubernetes.getLeaseResourceType()).isEqualTo(LeaseResourceType.Lease);
            assertThat(kubernetes.getKubernetesResourceName()).isEqualTo("conduit-esb-leaders");
            assertThat(kubernetes.getKubernetesNamespace()).isEqualTo("conduit");
            assertThat(kubernetes.getPodName()).isEqualTo("conduit-esb-7d9f-abcde");
            assertThat(kubernetes.getClusterLabels()).hasSize(2).containsEntry("app.kubernetes.io/name", "conduit-esb")
                    .containsEntry("tier", "esb");
            assertThat(kubernetes.getLeaseDurationMillis()).isEqualTo(10000);
            assertThat(kubernetes.getRenewDeadlineMillis()).isEqualTo(8000);
            assertThat(kubernetes.getRetryPeriodMillis()).isEqualTo(2000);
            assertThat(camel.hasService(kubernetes)).isTrue();
        }
    }

    @Test
    void kubernetesWithoutAPodNameTakesTheMemberId() {
        KubernetesClusterService service = ClusterConfiguration.kubernetes(settings("kubernetes"), "esb-host:8080",
                Duration.ofSeconds(10), Duration.ofSeconds(8), Duration.ofSeconds(2));
        assertThat(service.getPodName()).isEqualTo("esb-host:8080");
    }

    @Test
    void fileUsesTheLockFolder(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        MockEnvironment env = settings("file").withProperty("esb.cluster.file.root", dir.toString());
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            CamelClusterService service = configuration.esbClusterService(camel, env, new DataSourceProperties());
            assertThat(service).isInstanceOf(FileLockClusterService.class);
            assertThat(((FileLockClusterService) service).getRoot()).isEqualTo(dir.toString());
            assertThat(((FileLockClusterService) service).getAcquireLockInterval()).isEqualTo(5000);
        }
    }

    @Test
    void postgresIsTheDefaultAndAnUnknownTypeIsRefusedByName() throws Exception {
        String yaml = Files.readString(Path.of("src/main/resources/config/cluster.yaml"));
        assertThat(yaml).contains("type: ${ESB_CLUSTER_TYPE:postgres}");
        DataSourceProperties db = new DataSourceProperties();
        db.setUrl("jdbc:postgresql://localhost:1/none");
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            assertThat(configuration.esbClusterService(camel, settings(" Postgres "), db))
                    .isInstanceOf(PostgresClusterService.class);
            assertThatThrownBy(() -> configuration.esbClusterService(camel, settings("zookeeper"), db))
                    .hasMessageContaining("esb.cluster.type (ESB_CLUSTER_TYPE) is 'zookeeper'");
        }
    }

    @Test
    void leaseTimingsMustLeaveTheLeaderTimeToStopFirst() {
        assertThatThrownBy(() -> new PostgresClusterService(new org.springframework.jdbc.datasource
                .DriverManagerDataSource(), "a", Duration.ofSeconds(8), Duration.ofSeconds(8), Duration.ofSeconds(2)))
                .hasMessageContaining("renew-deadline-ms (8000) must be less than esb.cluster.lease-ms (8000)");
        assertThatThrownBy(() -> new PostgresClusterService(new org.springframework.jdbc.datasource
                .DriverManagerDataSource(), "a", Duration.ofSeconds(10), Duration.ofSeconds(8), Duration.ofSeconds(5)))
                .hasMessageContaining("retry-ms (5000) must be at most half");
    }

    @Test
    void labelsAreNameValuePairs() {
        assertThat(ClusterConfiguration.labels("")).isEmpty();
        assertThat(ClusterConfiguration.labels("a=b")).containsEntry("a", "b");
        assertThatThrownBy(() -> ClusterConfiguration.labels("a=b,c")).hasMessageContaining("'c' is not name=value");
    }

    private static MockEnvironment settings(String type) {
        return new MockEnvironment()
                .withProperty("esb.cluster.type", type)
                .withProperty("esb.cluster.member-id", "esb-host:8080")
                .withProperty("esb.cluster.lease-ms", "10000")
                .withProperty("esb.cluster.renew-deadline-ms", "8000")
                .withProperty("esb.cluster.retry-ms", "2000")
                .withProperty("esb.cluster.file.acquire-lock-delay-ms", "1000")
                .withProperty("esb.cluster.file.acquire-lock-interval-ms", "5000")
                .withProperty("esb.cluster.kubernetes.lease-name", "conduit-esb-leaders");
    }
}
