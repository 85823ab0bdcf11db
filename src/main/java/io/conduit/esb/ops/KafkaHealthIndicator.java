package io.conduit.esb.ops;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

import java.util.concurrent.TimeUnit;

/** Health of the Kafka cluster the flows publish to: reachable, cluster id and broker count ({@code /actuator/health/kafka}). */
@Component("kafka")
public class KafkaHealthIndicator extends AbstractHealthIndicator {

    private final Admin admin;
    private final String bootstrapServers;

    public KafkaHealthIndicator(Admin kafkaAdmin, @Value("${camel.component.kafka.brokers}") String bootstrapServers) {
        super("Kafka health check failed");
        this.admin = kafkaAdmin;
        this.bootstrapServers = bootstrapServers;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000));
        int brokers = cluster.nodes().get(3, TimeUnit.SECONDS).size();
        builder.up()
                .withDetail("bootstrapServers", bootstrapServers)
                .withDetail("clusterId", cluster.clusterId().get(3, TimeUnit.SECONDS))
                .withDetail("brokers", brokers);
    }
}
