package io.conduit.esb.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml is the contract for running the image against external infrastructure: the ESB replicas are
 * configured only through variables the application actually reads, every connection variable is set, the
 * infrastructure services agree with those settings, the mounted folders are where the settings point, and
 * Prometheus and Grafana are wired to the replicas with the repository's own scrape configuration and dashboard.
 */
class DockerComposeConsistencyTest {

    /** Connection settings a deployment must give; each must appear in the compose file. */
    private static final Set<String> CONNECTIONS = Set.of("ESB_DB_URL", "ESB_DB_USER", "ESB_DB_PASSWORD",
            "KAFKA_BOOTSTRAP_SERVERS", "ARTEMIS_MODE", "ARTEMIS_URL", "ERP_DB_URL", "ERP_DB_USER", "ERP_DB_PASSWORD",
            "CRM_BASE_URL", "OA_BASE_URL", "ESB_EMBEDDED_ENABLED", "ESB_SANDBOX_ENABLED");
    private static final List<String> REPLICAS = List.of("esb-1", "esb-2");

    static ApplicationSettings settings;
    static Map<String, Object> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        settings = ApplicationSettings.load();
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        services = (Map<String, Object>) compose.get("services");
    }

    @Test
    void replicasUseTheApplicationsOwnSettingNames() {
        assertThat(settings.placeholders).containsAll(CONNECTIONS);
        assertThat(services).containsKeys("postgres", "kafka", "artemis", "esb-1", "esb-2", "prometheus", "grafana");
        for (String replica : REPLICAS) {
            Map<String, Object> env = env(replica);
            assertThat(env.keySet()).as("variables of %s the application reads", replica).allMatch(settings::reads);
            assertThat(env.keySet()).as("connection variables of %s", replica).containsAll(CONNECTIONS);
            assertThat(env).as("both replicas configured alike").isEqualTo(env(REPLICAS.get(0)));
            assertThat(service(replica).get("image")).as("the image profile's name (pom.xml esb.image.name)")
                    .isEqualTo("conduit-esb:" + ImageTarballTest.pomVersion());
            assertThat(service(replica).get("mem_limit")).as("the RSS budget (docs/operations/memory.md)")
                    .isEqualTo(ImageTarballTest.pomProperty("esb.memory.rss-budget-mb") + "m");
        }
        assertThat(REPLICAS.stream().map(r -> hostPort(r, 8080)).distinct()).hasSize(REPLICAS.size());
        assertThat(settings.text).contains("port: ${PORT:8080}");
    }

    @Test
    void infrastructureAgreesWithTheReplicasSettings() {
        Map<String, Object> esbEnv = env("esb-1");
        Map<String, Object> pg = env("postgres");
        assertThat(esbEnv.get("ESB_DB_URL").toString()).isEqualTo("jdbc:postgresql://postgres:5432/" + pg.get("POSTGRES_DB"));
        assertThat(esbEnv.get("ESB_DB_USER")).isEqualTo(pg.get("POSTGRES_USER"));
        assertThat(esbEnv.get("ESB_DB_PASSWORD")).isEqualTo(pg.get("POSTGRES_PASSWORD"));

        Map<String, Object> kafka = env("kafka");
        assertThat(kafka.get("KAFKA_PROCESS_ROLES")).as("Kafka runs in KRaft mode").isEqualTo("broker,controller");
        assertThat(kafka.get("KAFKA_ADVERTISED_LISTENERS").toString()).endsWith("//" + esbEnv.get("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(esbEnv.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");

        Map<String, Object> artemis = env("artemis");
        assertThat(esbEnv.get("ARTEMIS_URL")).isEqualTo("tcp://artemis:61616");
        assertThat(esbEnv.get("ARTEMIS_USER")).isEqualTo(artemis.get("ARTEMIS_USER"));
        assertThat(esbEnv.get("ARTEMIS_PASSWORD")).isEqualTo(artemis.get("ARTEMIS_PASSWORD"));
        assertThat(esbEnv.get("ARTEMIS_MODE")).isEqualTo("native");
        assertThat(esbEnv.get("ESB_EMBEDDED_ENABLED")).isEqualTo("false");
        assertThat(esbEnv.get("ESB_SANDBOX_ENABLED")).isEqualTo("false");
    }

    @Test
    void mountsTheEditedFoldersWhereTheSettingsPointAndElectsThePollersLeaderInPostgres() {
        for (String replica : REPLICAS) {
            Map<String, Object> env = env(replica);
            List<String[]> volumes = volumes(replica);
            for (String folder : List.of("routes", "adapters", "mappings")) {
                String dir = env.get("ESB_" + folder.toUpperCase() + "_DIR").toString();
                assertThat(settings.text).contains("${ESB_" + folder.toUpperCase() + "_DIR:" + folder + "}");
                assertThat(volumes).as("%s mounted at %s", folder, dir)
                        .anyMatch(v -> v[0].equals("./" + folder) && v[1].equals(dir) && Files.isDirectory(Path.of(folder)));
            }
            // the singleton pollers elect their leader in the PostgreSQL every replica shares: no shared volume
            assertThat(env.get("ESB_CLUSTER_TYPE")).isEqualTo("postgres");
            assertThat(settings.text).contains("type: ${ESB_CLUSTER_TYPE:");
            assertThat(volumes).as("no lock volume").noneMatch(v -> v[1].equals(env.get("ESB_DATA_DIR")));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesEveryReplicaWithTheRepositorysConfiguration() throws IOException {
        List<String[]> volumes = volumes("prometheus");
        assertThat(volumes).anyMatch(v -> v[0].equals("./ops/prometheus/prometheus.yml")
                && v[1].equals("/etc/prometheus/prometheus.yml"));
        Map<String, Object> prometheus = new Yaml().load(Files.readString(Path.of("ops/prometheus/prometheus.yml")));
        Map<String, Object> job = ((List<Map<String, Object>>) prometheus.get("scrape_configs")).get(0);
        assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
        assertThat(settings.text).containsPattern("include: health,info,metrics,prometheus");
        List<String> targets = new ArrayList<>();
        ((List<Map<String, Object>>) job.get("static_configs")).forEach(c -> targets.addAll((List<String>) c.get("targets")));
        assertThat(targets).containsExactlyElementsOf(REPLICAS.stream().map(r -> r + ":8080").toList());

        Map<String, Object> auth = (Map<String, Object>) job.get("basic_auth");
        String passwordFile = auth.get("password_file").toString();
        String[] mounted = volumes.stream().filter(v -> v[1].equals(passwordFile)).findFirst().orElseThrow();
        String password = Files.readString(Path.of(mounted[0])).trim();
        assertThat(settings.text).as("Prometheus's user is a VIEWER").containsPattern(
                "\\n      " + auth.get("username") + ":\\n        password: [^\\n]*\\n        roles: \\[VIEWER\\]");
        assertThat(env("esb-1").get("ESB_SECURITY_USERS_" + auth.get("username").toString().toUpperCase() + "_PASSWORD"))
                .isEqualTo("{noop}" + password);
    }

    @Test
    @SuppressWarnings("unchecked")
    void grafanaHasThePrometheusDataSourceAndTheDashboardProvisioned() throws IOException {
        List<String[]> volumes = volumes("grafana");
        assertThat(volumes).anyMatch(v -> v[0].equals("./ops/grafana/provisioning") && v[1].equals("/etc/grafana/provisioning"));
        Map<String, Object> ds = new Yaml().load(Files.readString(Path.of("ops/grafana/provisioning/datasources/prometheus.yaml")));
        Map<String, Object> source = ((List<Map<String, Object>>) ds.get("datasources")).get(0);
        assertThat(source.get("type")).isEqualTo("prometheus");
        assertThat(hostPort("prometheus", 9090)).isNotEmpty();
        assertThat(source.get("url")).isEqualTo("http://prometheus:9090");

        Map<String, Object> dashboards = new Yaml().load(Files.readString(Path.of("ops/grafana/provisioning/dashboards/conduit.yaml")));
        String path = ((Map<String, Object>) ((List<Map<String, Object>>) dashboards.get("providers")).get(0).get("options"))
                .get("path").toString();
        assertThat(volumes).anyMatch(v -> v[0].equals("./ops/grafana/conduit-esb-dashboard.json")
                && v[1].equals(path + "/conduit-esb-dashboard.json") && Files.isRegularFile(Path.of(v[0])));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        return (Map<String, Object>) services.get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(String name) {
        return (Map<String, Object>) service(name).get("environment");
    }

    /** source, target of each volume entry */
    @SuppressWarnings("unchecked")
    private static List<String[]> volumes(String name) {
        return ((List<String>) service(name).get("volumes")).stream().map(v -> v.split(":")).toList();
    }

    /** The host port the service publishes for this container port. */
    @SuppressWarnings("unchecked")
    private static String hostPort(String name, int containerPort) {
        return ((List<String>) service(name).get("ports")).stream().map(p -> p.split(":"))
                .filter(p -> p[1].equals(String.valueOf(containerPort))).map(p -> p[0]).findFirst().orElseThrow();
    }
}
