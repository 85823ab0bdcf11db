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

    /** The sandbox service's settings file (SandboxMain) and the variables the override file switches. */
    private static final Path SANDBOX_SETTINGS = Path.of("src/embedded/resources/sandbox.yaml");
    private static final Set<String> SANDBOX_SYSTEMS = Set.of("ESB_CRM_ADAPTER", "CRM_BASE_URL", "ESB_ERP_ADAPTER",
            "ERP_DB_URL", "ERP_DB_USER", "ERP_DB_PASSWORD", "ESB_OA_ADAPTER", "OA_BASE_URL");

    static ApplicationSettings settings;
    static Map<String, Object> services;
    static Map<String, Object> sandboxOverride;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        settings = ApplicationSettings.load();
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        services = (Map<String, Object>) compose.get("services");
        Map<String, Object> override = new Yaml().load(Files.readString(Path.of("docker-compose.sandbox.yml")));
        sandboxOverride = (Map<String, Object>) override.get("services");
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

    /**
     * The sandbox CRM/ERP/OA as a service of its own: the sandbox image (pom.xml sandbox.image.name), only with the
     * profile "sandbox" (the replicas do not need it), configured through the variables its settings file reads, on
     * the replicas' PostgreSQL and Artemis, posting the CRM's webhooks to a replica with the replicas' secret.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theSandboxServiceRunsTheSandboxImageOnTheReplicasInfrastructure() throws IOException {
        Map<String, Object> sandbox = service("sandbox");
        assertThat(sandbox.get("image")).isEqualTo("conduit-sandbox:" + ImageTarballTest.pomVersion());
        assertThat(ImageTarballTest.pomProperty("sandbox.image.name")).isEqualTo("conduit-sandbox:${project.version}");
        assertThat((List<String>) sandbox.get("profiles")).containsExactly("sandbox");
        for (String replica : REPLICAS) {
            assertThat((List<String>) service(replica).get("depends_on")).as("%s starts without the sandbox", replica)
                    .doesNotContain("sandbox");
        }

        String sandboxSettings = Files.readString(SANDBOX_SETTINGS);
        Map<String, Object> env = env("sandbox");
        assertThat(env.keySet()).as("variables the sandbox's settings read")
                .allMatch(v -> sandboxSettings.contains("${" + v + ":"));
        assertThat(env.keySet()).containsExactlyInAnyOrder("SANDBOX_DB_URL", "SANDBOX_DB_USER", "SANDBOX_DB_PASSWORD",
                "ARTEMIS_URL", "ARTEMIS_USER", "ARTEMIS_PASSWORD", "SANDBOX_ESB_URL", "ESB_INTAKE_CRM_SECRET");
        Map<String, Object> esbEnv = env("esb-1");
        assertThat(env.get("SANDBOX_DB_URL")).isEqualTo(esbEnv.get("ESB_DB_URL"));
        assertThat(env.get("SANDBOX_DB_USER")).as("a login that may create schemas and roles")
                .isEqualTo(env("postgres").get("POSTGRES_USER"));
        assertThat(env.get("SANDBOX_DB_PASSWORD")).isEqualTo(env("postgres").get("POSTGRES_PASSWORD"));
        for (String artemis : List.of("ARTEMIS_URL", "ARTEMIS_USER", "ARTEMIS_PASSWORD")) {
            assertThat(env.get(artemis)).as(artemis).isEqualTo(esbEnv.get(artemis));
        }
        assertThat(env.get("ESB_INTAKE_CRM_SECRET")).isEqualTo(esbEnv.get("ESB_INTAKE_CRM_SECRET"));
        assertThat(REPLICAS.stream().map(r -> "http://" + r + ":8080")).contains(env.get("SANDBOX_ESB_URL").toString());

        assertThat(sandboxSettings).contains("port: ${SANDBOX_PORT:8090}");
        assertThat(hostPort("sandbox", 8090)).isEqualTo("8090");
    }

    /**
     * docker-compose.sandbox.yml points both replicas at the sandbox service by settings only: the sandbox adapters,
     * the CRM's and OA's APIs at the service's base URLs, the ERP through the sandbox's database as the login its
     * migration creates.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theSandboxOverridePointsBothReplicasAtTheSandboxService() throws IOException {
        assertThat(sandboxOverride).containsOnlyKeys(REPLICAS);
        Map<String, Object> first = (Map<String, Object>) ((Map<String, Object>) sandboxOverride.get(REPLICAS.get(0)))
                .get("environment");
        for (String replica : REPLICAS) {
            Map<String, Object> override = (Map<String, Object>) sandboxOverride.get(replica);
            assertThat(override).containsOnlyKeys("depends_on", "environment");
            assertThat((List<String>) override.get("depends_on"))
                    .containsAll((List<String>) service(replica).get("depends_on")).contains("sandbox");
            Map<String, Object> env = (Map<String, Object>) override.get("environment");
            assertThat(env).as("both replicas alike").isEqualTo(first);
            assertThat(env.keySet()).containsExactlyInAnyOrderElementsOf(SANDBOX_SYSTEMS)
                    .allMatch(settings::reads);
        }
        for (String role : List.of("CRM", "ERP", "OA")) {
            assertThat(first.get("ESB_" + role + "_ADAPTER")).isEqualTo("sandbox");
            assertThat(Path.of("adapters", role.toLowerCase(), "sandbox")).isDirectory();
        }
        String sandbox = "http://sandbox:" + containerPort("sandbox");
        assertThat(first.get("CRM_BASE_URL")).isEqualTo(sandbox + "/sandbox/crm/api");
        assertThat(first.get("OA_BASE_URL")).isEqualTo(sandbox + "/sandbox/oa/api");
        assertThat(settings.text).contains("/sandbox/crm/api}").contains("/sandbox/oa/api}");
        Map<String, Object> sandboxEnv = env("sandbox");
        assertThat(first.get("ERP_DB_URL")).isEqualTo(sandboxEnv.get("SANDBOX_DB_URL"));
        String erpLogin = Files.readString(Path.of("src/embedded/resources/db/sandbox/erp/V1__erp_schema.sql"));
        assertThat(erpLogin).contains("CREATE ROLE " + first.get("ERP_DB_USER") + " LOGIN PASSWORD '"
                + first.get("ERP_DB_PASSWORD") + "'");
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

    /** The container port of the service's only published port. */
    @SuppressWarnings("unchecked")
    private static String containerPort(String name) {
        List<String> ports = (List<String>) service(name).get("ports");
        assertThat(ports).hasSize(1);
        return ports.get(0).split(":")[1];
    }

    /** The host port the service publishes for this container port. */
    @SuppressWarnings("unchecked")
    private static String hostPort(String name, int containerPort) {
        return ((List<String>) service(name).get("ports")).stream().map(p -> p.split(":"))
                .filter(p -> p[1].equals(String.valueOf(containerPort))).map(p -> p[0]).findFirst().orElseThrow();
    }
}
