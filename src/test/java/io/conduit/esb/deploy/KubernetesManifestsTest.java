package io.conduit.esb.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/kubernetes/base, parsed: every manifest is listed in the kustomization, the probes name the actuator's
 * probe groups, every environment variable is one the ESB reads, the mounted folders are where the image's settings
 * point and can be ConfigMaps, the memory limit is the RSS budget, and the disruption budget and the Service select
 * the Deployment's pods.
 */
class KubernetesManifestsTest {

    static final Path BASE = Path.of("deploy/kubernetes/base");
    static final Map<String, Map<String, Object>> byKind = new HashMap<>();
    static ApplicationSettings settings;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        settings = ApplicationSettings.load();
        Map<String, Object> kustomization = yaml(BASE.resolve("kustomization.yaml"));
        List<String> resources = (List<String>) kustomization.get("resources");
        try (Stream<Path> files = Files.list(BASE)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> !f.equals("kustomization.yaml")))
                    .as("every manifest is a resource of the kustomization").containsExactlyInAnyOrderElementsOf(resources);
        }
        for (String resource : resources) {
            for (Object doc : new Yaml().loadAll(Files.readString(BASE.resolve(resource)))) {
                Map<String, Object> manifest = (Map<String, Object>) doc;
                assertThat(manifest).containsKeys("apiVersion", "kind", "metadata");
                assertThat(byKind.put(manifest.get("kind").toString(), manifest)).as("one %s", manifest.get("kind")).isNull();
            }
        }
        assertThat(byKind).containsKeys("Deployment", "Service", "PodDisruptionBudget", "ConfigMap", "Secret");
    }

    @Test
    void probesUseTheActuatorsProbeGroups() throws IOException {
        Map<String, Object> container = container();
        assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        // the groups exist (config/observability.yaml) and the probes are on (application.yaml)
        String observability = Files.readString(Path.of("src/main/resources/config/observability.yaml"));
        assertThat(observability).containsPattern("\\n        readiness:\\n          include: ")
                .containsPattern("\\n        liveness:\\n          include: livenessState");
        assertThat(settings.text).containsPattern("probes:\\n        enabled: true");
        assertThat(Files.readString(Path.of("src/main/resources/config/security.yaml")))
                .as("the probes are answered without a login").contains("the probes themselves stay open");
        assertThat(at(container, "ports")).asList().anySatisfy(p -> assertThat(((Map<?, ?>) p).get("containerPort"))
                .isEqualTo(8080));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyEnvironmentVariableIsASettingOfTheEsb() {
        List<String> names = new ArrayList<>();
        names.addAll(((Map<String, Object>) byKind.get("ConfigMap").get("data")).keySet());
        names.addAll(((Map<String, Object>) byKind.get("Secret").get("stringData")).keySet());
        ((List<Map<String, Object>>) container().get("env")).forEach(e -> names.add(e.get("name").toString()));
        assertThat(names).isNotEmpty().allSatisfy(n -> assertThat(settings.reads(n)).as("the ESB reads %s", n).isTrue());

        List<Map<String, Object>> envFrom = (List<Map<String, Object>>) container().get("envFrom");
        assertThat(envFrom).anySatisfy(e -> assertThat(at(e, "configMapRef", "name")).isEqualTo(name("ConfigMap")))
                .anySatisfy(e -> assertThat(at(e, "secretRef", "name")).isEqualTo(name("Secret")));
        Map<String, Object> secret = (Map<String, Object>) byKind.get("Secret").get("stringData");
        assertThat(secret).as("credentials and partner keys are in the Secret").containsKeys("ESB_DB_PASSWORD",
                "ARTEMIS_PASSWORD", "ESB_PARTNER_MASTER_KEY", "ESB_INTAKE_CRM_SECRET", "ESB_SECURITY_USERS_OPERATOR_PASSWORD");
        Map<String, Object> plain = (Map<String, Object>) byKind.get("ConfigMap").get("data");
        assertThat(plain.keySet()).as("no secret in the ConfigMap").noneMatch(k -> k.contains("PASSWORD")
                || k.contains("SECRET") || k.contains("KEY") || k.contains("TOKEN"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void mountsTheEditedFoldersWhereTheImagesSettingsPoint() throws IOException {
        Map<String, String> scriptFolders = new HashMap<>();
        Matcher m = Pattern.compile("\\nconfigmap (\\S+) \"\\$(ROUTES|ADAPTERS|MAPPINGS)(/[^\"]*)?\" ")
                .matcher(Files.readString(Path.of("deploy/kubernetes/config-maps.sh")));
        while (m.find()) {
            scriptFolders.put(m.group(1), m.group(2).toLowerCase() + (m.group(3) == null ? "" : m.group(3)));
        }
        Map<String, String> volumeConfigMaps = new HashMap<>();
        for (Map<String, Object> v : (List<Map<String, Object>>) at(pod(), "volumes")) {
            if (v.containsKey("configMap")) {
                volumeConfigMaps.put(v.get("name").toString(), at(v, "configMap", "name").toString());
            }
        }
        assertThat(new TreeSet<>(volumeConfigMaps.values())).as("the ConfigMaps config-maps.sh makes")
                .isEqualTo(new TreeSet<>(scriptFolders.keySet()));

        Map<String, Object> settingsMap = (Map<String, Object>) byKind.get("ConfigMap").get("data");
        for (Map<String, Object> mount : (List<Map<String, Object>>) container().get("volumeMounts")) {
            String configMap = volumeConfigMaps.get(mount.get("name").toString());
            if (configMap == null) {
                continue;
            }
            String folder = scriptFolders.get(configMap);
            String kind = folder.split("/")[0];
            String imageDir = imageEnv("ESB_" + kind.toUpperCase() + "_DIR");
            assertThat(mount.get("mountPath")).as("ConfigMap %s", configMap)
                    .isEqualTo(imageDir + folder.substring(kind.length()));
            Path dir = Path.of(folder);
            assertThat(dir).isDirectory();
            long bytes = 0;
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    bytes += Files.size(f);
                }
            }
            assertThat(bytes).as("%s fits in a ConfigMap (1 MiB)", folder).isLessThan(900 * 1024);
            if (kind.equals("adapters")) {
                // the mounted adapter is the one the settings choose (esb.systems.<role>.adapter)
                String[] roleAdapter = folder.split("/");
                assertThat(settingsMap.get("ESB_" + roleAdapter[1].toUpperCase() + "_ADAPTER")).isEqualTo(roleAdapter[2]);
                assertThat(dir.resolve("adapter.yaml")).isRegularFile();
            }
        }
        // /tmp only: the root file system is read-only, and nothing else is written (no lock folder: the singleton
        // pollers' leader is elected in PostgreSQL, so no ReadWriteMany volume is needed)
        assertThat(at(container(), "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
        assertThat((List<Map<String, Object>>) container().get("volumeMounts"))
                .anySatisfy(v -> assertThat(v.get("mountPath")).isEqualTo("/tmp"))
                .noneSatisfy(v -> assertThat(v.get("mountPath")).isEqualTo(imageEnv("ESB_DATA_DIR")));
        assertThat(byKind).doesNotContainKey("PersistentVolumeClaim");
        assertThat(((Map<String, Object>) byKind.get("ConfigMap").get("data")).get("ESB_CLUSTER_TYPE"))
                .isEqualTo("postgres");
        assertThat(settings.text).contains("type: ${ESB_CLUSTER_TYPE:postgres}");
    }

    /**
     * Overlay {@code lease}: the singleton pollers' leader on Kubernetes Leases. Its patches name the base's
     * ConfigMap and Deployment, set {@code ESB_CLUSTER_TYPE=kubernetes}, give the pods the service account the Role is
     * bound to and their name and namespace (variables the ESB reads), and the Role allows what Camel's
     * KubernetesClusterService calls on Leases and pods.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theLeaseOverlayGivesThePodsWhatCamelsKubernetesClusterServiceNeeds() throws IOException {
        Path lease = Path.of("deploy/kubernetes/lease");
        Map<String, Object> kustomization = yaml(lease.resolve("kustomization.yaml"));
        assertThat((List<String>) kustomization.get("resources")).contains("../base");
        Map<String, Map<String, Object>> overlay = new HashMap<>();
        List<String> files = new ArrayList<>((List<String>) kustomization.get("resources"));
        ((List<Map<String, Object>>) kustomization.get("patches")).forEach(p -> files.add(p.get("path").toString()));
        try (Stream<Path> listed = Files.list(lease)) {
            assertThat(listed.map(f -> f.getFileName().toString()).filter(f -> !f.equals("kustomization.yaml")))
                    .as("every file is used").containsExactlyInAnyOrderElementsOf(files.subList(1, files.size()));
        }
        for (String file : files.subList(1, files.size())) {
            for (Object doc : new Yaml().loadAll(Files.readString(lease.resolve(file)))) {
                Map<String, Object> manifest = (Map<String, Object>) doc;
                overlay.put(manifest.get("kind").toString(), manifest);
            }
        }
        assertThat(at(overlay.get("ConfigMap"), "metadata", "name")).isEqualTo(name("ConfigMap"));
        assertThat(at(overlay.get("ConfigMap"), "data", "ESB_CLUSTER_TYPE")).isEqualTo("kubernetes");
        assertThat(at(overlay.get("Deployment"), "metadata", "name")).isEqualTo(name("Deployment"));
        Map<String, Object> podSpec = (Map<String, Object>) at(overlay.get("Deployment"), "spec", "template", "spec");
        String account = at(overlay.get("ServiceAccount"), "metadata", "name").toString();
        assertThat(podSpec.get("serviceAccountName")).isEqualTo(account);
        List<Map<String, Object>> env = (List<Map<String, Object>>)
                ((List<Map<String, Object>>) podSpec.get("containers")).get(0).get("env");
        assertThat(env).extracting(e -> e.get("name")).containsExactlyInAnyOrder("POD_NAME", "KUBERNETES_NAMESPACE")
                .allSatisfy(n -> assertThat(settings.reads(n.toString())).as("the ESB reads %s", n).isTrue());
        assertThat(((List<Map<String, Object>>) podSpec.get("containers")).get(0).get("name"))
                .isEqualTo(container().get("name"));

        Map<String, Object> binding = overlay.get("RoleBinding");
        assertThat(at(binding, "roleRef", "name")).isEqualTo(at(overlay.get("Role"), "metadata", "name"));
        assertThat((List<Map<String, Object>>) binding.get("subjects"))
                .anySatisfy(s -> assertThat(s.get("name")).isEqualTo(account));
        List<Map<String, Object>> rules = (List<Map<String, Object>>) overlay.get("Role").get("rules");
        assertThat(rules).anySatisfy(r -> {
            assertThat((List<String>) r.get("apiGroups")).contains("coordination.k8s.io");
            assertThat((List<String>) r.get("resources")).contains("leases");
            assertThat((List<String>) r.get("verbs")).contains("get", "create", "update");
        }).anySatisfy(r -> {
            assertThat((List<String>) r.get("resources")).contains("pods");
            assertThat((List<String>) r.get("verbs")).contains("get", "list");
        });
        // the members Camel looks for are the Deployment's pods (esb.cluster.kubernetes.pod-labels)
        Map<String, Object> podLabels = (Map<String, Object>) at(byKind.get("Deployment"), "spec", "template",
                "metadata", "labels");
        Matcher labels = Pattern.compile("\\n      pod-labels: (\\S+)").matcher(settings.text);
        assertThat(labels.find()).isTrue();
        for (String pair : labels.group(1).split(",")) {
            String[] kv = pair.split("=");
            assertThat(podLabels).containsEntry(kv[0], kv[1]);
        }
    }

    @Test
    void resourcesFollowTheMemoryBudgetAndTheImagesUser() {
        Map<String, Object> container = container();
        String budget = ImageTarballTest.pomProperty("esb.memory.rss-budget-mb");
        assertThat(at(container, "resources", "limits", "memory")).isEqualTo(budget + "Mi");
        assertThat(at(container, "resources", "requests", "memory")).isEqualTo(budget + "Mi");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> env = (List<Map<String, Object>>) container.get("env");
        assertThat(env).anySatisfy(e -> {
            assertThat(e.get("name")).isEqualTo("JDK_JAVA_OPTIONS");
            assertThat(e.get("value")).isEqualTo(ImageTarballTest.pomProperty("esb.jvm.memory"));
        });
        assertThat(at(pod(), "securityContext", "runAsNonRoot")).isEqualTo(true);
        assertThat(at(pod(), "securityContext", "runAsUser") + ":" + at(pod(), "securityContext", "runAsGroup"))
                .isEqualTo(ImageTarballTest.USER);
        assertThat(container.get("image")).isEqualTo("conduit-esb");
    }

    @Test
    void replicasAreSpreadAndProtected() {
        Map<String, Object> deployment = byKind.get("Deployment");
        assertThat((Integer) at(deployment, "spec", "replicas")).isGreaterThanOrEqualTo(2);
        Object podLabels = at(deployment, "spec", "template", "metadata", "labels");
        assertThat(at(deployment, "spec", "selector", "matchLabels")).isEqualTo(podLabels);
        assertThat(at(byKind.get("PodDisruptionBudget"), "spec", "selector", "matchLabels")).isEqualTo(podLabels);
        assertThat(at(byKind.get("Service"), "spec", "selector")).isEqualTo(podLabels);
        assertThat(at(byKind.get("PodDisruptionBudget"), "spec", "maxUnavailable")).isEqualTo(1);
        assertThat(at(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable")).isEqualTo(0);
    }

    private static String imageEnv(String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(pomText());
        assertThat(m.find()).as("the image's %s (pom.xml)", name).isTrue();
        return m.group(1);
    }

    private static String pomText() {
        try {
            return Files.readString(Path.of("pom.xml"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String name(String kind) {
        return at(byKind.get(kind), "metadata", "name").toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> pod() {
        return (Map<String, Object>) at(byKind.get("Deployment"), "spec", "template", "spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container() {
        return ((List<Map<String, Object>>) pod().get("containers")).get(0);
    }

    private static Object at(Object node, String... path) {
        Object n = node;
        for (String p : path) {
            assertThat(n).as("%s", String.join(".", path)).isInstanceOf(Map.class);
            n = ((Map<?, ?>) n).get(p);
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws IOException {
        return (Map<String, Object>) new Yaml().load(Files.readString(file));
    }
}
