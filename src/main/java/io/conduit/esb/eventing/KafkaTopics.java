package io.conduit.esb.eventing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the ESB's Kafka topics ({@code esb.topics.*}) at startup when they are missing, with the configured
 * partition count and replication factor, before any route produces or consumes. Existing topics are left as
 * they are (operators may have tuned them).
 */
@Component
@ConfigurationProperties("esb.topics")
public class KafkaTopics implements InitializingBean {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

    private final Map<String, String> names = new LinkedHashMap<>();
    private final String bootstrapServers;
    private int partitions = 6;
    private short replicationFactor = 1;
    private boolean create = true;

    public KafkaTopics(@Value("${camel.component.kafka.brokers}") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Logical name (e.g. {@code orders}) to topic name; bound from {@code esb.topics.names.*}. */
    public Map<String, String> getNames() {
        return names;
    }

    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }

    public void setReplicationFactor(short replicationFactor) {
        this.replicationFactor = replicationFactor;
    }

    public void setCreate(boolean create) {
        this.create = create;
    }

    public int getPartitions() {
        return partitions;
    }

    public short getReplicationFactor() {
        return replicationFactor;
    }

    public boolean isCreate() {
        return create;
    }

    @Override
    public void afterPropertiesSet() throws InterruptedException {
        if (!create || names.isEmpty()) {
            return;
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(props)) {
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = names.values().stream().distinct().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, replicationFactor)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                LOG.info("Created Kafka topics {}", missing.stream().map(NewTopic::name).toList());
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create Kafka topics on " + bootstrapServers, e.getCause());
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within 30 s", e);
        }
    }
}
