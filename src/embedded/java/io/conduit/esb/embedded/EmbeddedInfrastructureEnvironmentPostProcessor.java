package io.conduit.esb.embedded;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts the embedded PostgreSQL and Kafka before any bean needs them, when {@code esb.embedded.enabled} is
 * true (the default in the embedded build), and points the application's ordinary connection properties at
 * them. Routes and beans only ever see those ordinary properties, so nothing knows whether the
 * infrastructure is embedded or external.
 */
public class EmbeddedInfrastructureEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY_SOURCE = "esbEmbeddedInfrastructure";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (!env.getProperty("esb.embedded.enabled", Boolean.class, true)
                || env.getPropertySources().contains(PROPERTY_SOURCE)) {
            return;
        }
        // resolve once: the folder may be given as ${random.uuid} for tests
        Path dataDir = Path.of(env.getProperty("esb.embedded.data-dir", "data")).toAbsolutePath().normalize();
        EmbeddedInfrastructure infra = EmbeddedInfrastructure.startOnce(dataDir,
                env.getProperty("esb.embedded.postgres.port", Integer.class, 15432),
                env.getProperty("esb.embedded.postgres.durable", Boolean.class, true),
                env.getProperty("esb.embedded.kafka.port", Integer.class, 9092),
                env.getProperty("esb.embedded.kafka.controller-port", Integer.class, 9093),
                env.getProperty("esb.embedded.kafka.partitions", Integer.class, 6));

        Map<String, Object> props = new LinkedHashMap<>();
        props.put("esb.embedded.data-dir", dataDir.toString());
        props.put("spring.datasource.url", infra.postgresJdbcUrl());
        props.put("spring.datasource.username", "postgres");
        props.put("spring.datasource.password", "postgres");
        props.put("esb.systems.erp.datasource.url", infra.postgresJdbcUrl());
        props.put("camel.component.kafka.brokers", infra.kafkaBootstrapServers());
        props.put("spring.artemis.mode", "embedded");
        env.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, props));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
