package io.conduit.esb.deploy;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml is the contract for running against external infrastructure: the ESB service must be
 * configured only through variables the application actually reads, every connection variable of the
 * application must be set there, and the infrastructure services must agree with those settings.
 */
class DockerComposeConsistencyTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
    /** Connection settings a deployment must give; each must appear in the compose file. */
    private static final Set<String> CONNECTIONS = Set.of("ESB_DB_URL", "ESB_DB_USER", "ESB_DB_PASSWORD",
            "KAFKA_BOOTSTRAP_SERVERS", "ARTEMIS_MODE", "ARTEMIS_URL", "ERP_DB_URL", "ERP_DB_USER", "ERP_DB_PASSWORD",
            "CRM_BASE_URL", "OA_BASE_URL", "ESB_EMBEDDED_ENABLED", "ESB_SANDBOX_ENABLED");

    @Test
    @SuppressWarnings("unchecked")
    void composeUsesTheApplicationsOwnPropertyNames() throws IOException {
        // the application's settings and the defaults of each adapter it may choose (adapters/<role>/<adapter>/)
        StringBuilder settings = new StringBuilder(Files.readString(Path.of("src/main/resources/application.yaml")));
        try (var adapters = Files.find(Path.of("adapters"), 3, (f, a) -> f.getFileName().toString().equals("adapter.yaml"))) {
            for (Path adapter : adapters.toList()) {
                settings.append('\n').append(Files.readString(adapter));
            }
        }
        String applicationYaml = settings.toString();
        Set<String> read = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(applicationYaml);
        while (m.find()) {
            read.add(m.group(1));
        }
        assertThat(read).containsAll(CONNECTIONS);

        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        assertThat(services).containsKeys("postgres", "kafka", "artemis", "esb");
        Map<String, Object> esbEnv = env(services, "esb");

        assertThat(read).as("variables set for the ESB that the application reads").containsAll(esbEnv.keySet());
        assertThat(esbEnv.keySet()).as("connection variables set for the ESB").containsAll(CONNECTIONS);

        Map<String, Object> pg = env(services, "postgres");
        assertThat(esbEnv.get("ESB_DB_URL").toString()).endsWith("/" + pg.get("POSTGRES_DB"));
        assertThat(esbEnv.get("ESB_DB_USER")).isEqualTo(pg.get("POSTGRES_USER"));
        assertThat(esbEnv.get("ESB_DB_PASSWORD")).isEqualTo(pg.get("POSTGRES_PASSWORD"));

        Map<String, Object> kafka = env(services, "kafka");
        assertThat(kafka.get("KAFKA_PROCESS_ROLES")).as("Kafka runs in KRaft mode").isEqualTo("broker,controller");
        assertThat(kafka.get("KAFKA_ADVERTISED_LISTENERS").toString()).endsWith("//" + esbEnv.get("KAFKA_BOOTSTRAP_SERVERS"));

        Map<String, Object> artemis = env(services, "artemis");
        assertThat(esbEnv.get("ARTEMIS_USER")).isEqualTo(artemis.get("ARTEMIS_USER"));
        assertThat(esbEnv.get("ARTEMIS_PASSWORD")).isEqualTo(artemis.get("ARTEMIS_PASSWORD"));
        assertThat(esbEnv.get("ARTEMIS_MODE")).isEqualTo("native");
        assertThat(esbEnv.get("ESB_EMBEDDED_ENABLED")).isEqualTo("false");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(Map<String, Object> services, String name) {
        Map<String, Object> service = (Map<String, Object>) services.get(name);
        return (Map<String, Object>) service.get("environment");
    }
}
