package io.conduit.esb.systems;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads the route files of each declared system's adapter beside the flows: for every system in
 * {@code esb.systems.<name>} and each of its roles, {@code <esb.adapters.dir>/<role>/<adapter>/*.camel.yaml}. The
 * adapter's routes implement the role's ports ({@code direct:<role>.<operation>}), so a flow calls a port and never
 * knows the product. Switching the ERP from the sandbox to Tryton is {@code esb.systems.erp.adapter=tryton}.
 * <p>
 * The start fails, naming the property, for an adapter that has no folder and for a role that two systems both
 * claim with adapters (their ports would collide). A role without any adapter folder (its flows still call the
 * system directly) loads nothing.
 */
@Configuration(proxyBeanMethods = false)
public class AdapterRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterRoutes.class);

    @Bean
    CamelContextConfiguration adapterRouteLoader(SystemRegistry systems, Environment environment) {
        Path adaptersDir = Path.of(environment.getProperty("esb.adapters.dir", "adapters"));
        List<String> files = adapterRouteFiles(systems.all(), adaptersDir);
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                for (String pattern : files) {
                    try {
                        Collection<Resource> resources = findFiles(pattern, camel);
                        PluginHelper.getRoutesLoader(camel).loadRoutes(resources);
                        LOG.info("Adapter routes loaded: {} ({} files)", pattern, resources.size());
                    } catch (Exception e) {
                        throw new IllegalStateException("Cannot load the adapter routes " + pattern + ": " + e.getMessage(), e);
                    }
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
            }
        };
    }

    private static Collection<Resource> findFiles(String pattern, CamelContext camel) throws IOException {
        List<Resource> resources = new ArrayList<>();
        for (Path file : routeFiles(Path.of(pattern.substring("file:".length())).getParent())) {
            resources.add(ResourceHelper.resolveResource(camel, "file:" + file));
        }
        return resources;
    }

    /** The route files ({@code *.camel.yaml}) of a folder, by name; none when there is no such folder. */
    static List<Path> routeFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }

    /** The route file patterns of every declared system's adapter; fails on an unknown adapter or a shared role. */
    static List<String> adapterRouteFiles(Map<String, SystemDeclaration> systems, Path adaptersDir) {
        List<String> files = new ArrayList<>();
        Map<String, String> roleOwners = new LinkedHashMap<>();
        systems.forEach((name, system) -> {
            for (String role : SystemRegistry.rolesOf(name, system)) {
                Path roleDir = adaptersDir.resolve(role);
                if (!Files.isDirectory(roleDir)) {
                    continue;
                }
                String adapter = system.getAdapter();
                if (adapter == null || adapter.isBlank()) {
                    throw new IllegalStateException("esb.systems." + name + ".adapter is not set; adapters for role '"
                            + role + "': " + adaptersOf(roleDir));
                }
                Path adapterDir = roleDir.resolve(adapter);
                if (!Files.isDirectory(adapterDir)) {
                    throw new IllegalStateException("esb.systems." + name + ".adapter=" + adapter + ": no such adapter for role '"
                            + role + "' (no folder " + adapterDir.toAbsolutePath().normalize() + "); adapters for that role: "
                            + adaptersOf(roleDir));
                }
                String other = roleOwners.putIfAbsent(role, name);
                if (other != null) {
                    throw new IllegalStateException("esb.systems." + name + " and esb.systems." + other + " both take role '"
                            + role + "' with an adapter; one system per role implements its ports");
                }
                files.add("file:" + adapterDir.toAbsolutePath().normalize() + "/*.camel.yaml");
            }
        });
        return files;
    }

    private static Set<String> adaptersOf(Path roleDir) {
        try (Stream<Path> children = Files.list(roleDir)) {
            Set<String> names = new LinkedHashSet<>();
            children.filter(Files::isDirectory).forEach(p -> names.add(p.getFileName().toString()));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
