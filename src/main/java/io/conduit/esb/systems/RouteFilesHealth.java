package io.conduit.esb.systems;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Readiness of the route files (health contributor {@code routeFiles}, in the readiness group): every route a flow
 * file ({@code esb.routes.dir}) or a chosen adapter's file declares is loaded in Camel and, unless it starts itself
 * later (a route policy, {@code autoStartup: false}), started. A file that does not parse, or whose edit was not
 * reloaded (dev mode reloads on save), or a route that failed to start makes the ESB not ready, naming the file and
 * the route: a load balancer stops sending it traffic it cannot handle. A route its precondition leaves out (a flow
 * switched off) is not expected. Files are read again only when they change.
 */
@Component("routeFilesHealthIndicator")
public class RouteFilesHealth extends AbstractHealthIndicator {

    /**
     * A route a file declares: its id, whether Camel starts it with the context, and its precondition (null when it
     * has none): a route whose precondition is false is not created at all (a flow switched off, e.g. approvals
     * without adapters implementing its ports), so it is not expected to be loaded.
     */
    record Declared(String id, boolean startsWithContext, String precondition) {

        Declared(String id, boolean startsWithContext) {
            this(id, startsWithContext, null);
        }
    }

    private record Parsed(FileTime modified, List<Declared> routes, String error) {
    }

    private final CamelContext camel;
    private final Path routesDir;
    private final SystemRegistry systems;
    private final Path adaptersDir;
    private final Map<Path, Parsed> parsed = new ConcurrentHashMap<>();

    public RouteFilesHealth(CamelContext camel, SystemRegistry systems,
                            @Value("${esb.routes.dir:routes}") String routesDir,
                            @Value("${esb.adapters.dir:adapters}") String adaptersDir) {
        super("Route files not checked");
        this.camel = camel;
        this.systems = systems;
        this.routesDir = Path.of(routesDir);
        this.adaptersDir = Path.of(adaptersDir);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws IOException {
        List<Path> files = new ArrayList<>(AdapterRoutes.routeFiles(routesDir));
        for (String pattern : AdapterRoutes.adapterRouteFiles(systems.all(), adaptersDir)) {
            files.addAll(AdapterRoutes.routeFiles(Path.of(pattern.substring("file:".length())).getParent()));
        }
        Map<String, String> problems = new LinkedHashMap<>();
        int routes = 0;
        for (Path file : files) {
            Parsed declared = parse(file);
            String name = displayName(file);
            if (declared.error() != null) {
                problems.put(name, declared.error());
                continue;
            }
            for (Declared route : declared.routes()) {
                routes++;
                String problem = problem(route);
                if (problem != null) {
                    problems.merge(name, problem, (a, b) -> a + "; " + b);
                }
            }
        }
        builder.withDetail("files", files.size()).withDetail("routes", routes);
        if (problems.isEmpty()) {
            builder.up();
        } else {
            builder.down().withDetail("problems", problems);
        }
    }

    private String problem(Declared route) {
        Route loaded = camel.getRoute(route.id());
        if (loaded == null && excluded(route)) {
            return null;
        }
        if (loaded == null) {
            return "route " + route.id() + " is not loaded (the file has changed since it was loaded, or did not load)";
        }
        if (!route.startsWithContext()) {
            return null;
        }
        ServiceStatus status = camel.getRouteController().getRouteStatus(route.id());
        return status != null && status.isStarted() ? null : "route " + route.id() + " is " + status;
    }

    /** The route's precondition resolves to false: Camel left the route out on purpose. */
    private boolean excluded(Declared route) {
        if (route.precondition() == null) {
            return false;
        }
        try {
            return "false".equalsIgnoreCase(camel.resolvePropertyPlaceholders(route.precondition()).trim());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String displayName(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path base = Path.of("").toAbsolutePath();
        return absolute.startsWith(base) ? base.relativize(absolute).toString() : absolute.toString();
    }

    private Parsed parse(Path file) {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return new Parsed(null, List.of(), "cannot be read: " + e.getMessage());
        }
        Parsed known = parsed.get(file);
        if (known != null && modified.equals(known.modified())) {
            return known;
        }
        Parsed fresh;
        try (Reader reader = Files.newBufferedReader(file)) {
            fresh = new Parsed(modified, declaredRoutes(new Yaml(new SafeConstructor(new LoaderOptions())).load(reader)),
                    null);
        } catch (IOException | RuntimeException e) {
            fresh = new Parsed(modified, List.of(), "does not parse: " + e.getMessage());
        }
        parsed.put(file, fresh);
        return fresh;
    }

    /** The routes a route file's YAML declares ({@code - route: {id: ...}}); templates and configurations are not. */
    static List<Declared> declaredRoutes(Object yaml) {
        List<Declared> routes = new ArrayList<>();
        if (yaml instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> entry && entry.get("route") instanceof Map<?, ?> route
                        && route.get("id") != null) {
                    boolean policy = route.get("routePolicy") != null;
                    boolean autoStartup = route.get("autoStartup") == null
                            || !"false".equalsIgnoreCase(String.valueOf(route.get("autoStartup")).trim());
                    Object precondition = route.get("precondition");
                    routes.add(new Declared(String.valueOf(route.get("id")), autoStartup && !policy,
                            precondition == null ? null : String.valueOf(precondition)));
                }
            }
        }
        return routes;
    }
}
