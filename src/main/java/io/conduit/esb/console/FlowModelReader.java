package io.conduit.esb.console;

import io.conduit.esb.console.FlowModel.Channel;
import io.conduit.esb.console.FlowModel.ChannelKind;
import io.conduit.esb.console.FlowModel.Figures;
import io.conduit.esb.console.FlowModel.RouteNode;
import io.conduit.esb.console.FlowModel.StepNode;
import io.conduit.esb.console.FlowModel.SystemNode;
import io.conduit.esb.ops.OpsOverview;
import io.conduit.esb.ops.SystemStatus;
import io.conduit.esb.systems.SystemDeclaration;
import io.conduit.esb.systems.SystemRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.model.OutputNode;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a flow's picture from the running Camel context: the routes of its group, each route's steps from Camel's
 * route model (the YAML as loaded, placeholders resolved), the channels between routes (Kafka topics, JMS queues,
 * direct sub-routes), the ports its steps call and the systems behind them ({@code esb.systems}), and the counters
 * since start: Camel's management keeps them per route, {@link StepStatistics} per step. Nothing is cached: a page shows the routes as they
 * run now, after a route file was reloaded too.
 * <p>
 * A flow is a route group with at least one route that receives messages from outside (the overview's rule,
 * {@code FlowMonitor}); a group of direct routes only is an adapter's ports, drawn as the system it serves.
 */
@Component
public class FlowModelReader {

    private static final int LABEL_CHARS = 90;

    private final CamelContext camel;
    private final SystemRegistry systems;
    private final ObjectProvider<OpsOverview> overview;
    private final StepStatistics stepStatistics;

    public FlowModelReader(CamelContext camel, SystemRegistry systems, ObjectProvider<OpsOverview> overview,
                           StepStatistics stepStatistics) {
        this.camel = camel;
        this.systems = systems;
        this.overview = overview;
        this.stepStatistics = stepStatistics;
    }

    /** The flows (route groups that receive messages), by name. */
    public Set<String> flows() {
        Map<String, Boolean> receives = new LinkedHashMap<>();
        for (Route route : camel.getRoutes()) {
            if (route.getGroup() != null) {
                boolean fromOutside = !route.getEndpoint().getEndpointUri().startsWith("direct:");
                receives.merge(route.getGroup(), fromOutside, Boolean::logicalOr);
            }
        }
        Set<String> flows = new TreeSet<>();
        receives.forEach((group, outside) -> {
            if (outside) {
                flows.add(group);
            }
        });
        return flows;
    }

    /** The flow's model now, or empty if no route has that group. */
    public Optional<FlowModel> read(String flow) {
        List<Route> routes = camel.getRoutes().stream().filter(r -> flow.equals(r.getGroup())).toList();
        if (routes.isEmpty()) {
            return Optional.empty();
        }
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        ManagedCamelContext managed = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        Index index = index(model);
        List<RouteNode> nodes = new ArrayList<>();
        Map<String, Map<String, Figures>> portsBySystem = new LinkedHashMap<>();
        for (Route route : routes) {
            RouteDefinition definition = model == null ? null : model.getRouteDefinition(route.getRouteId());
            Channel input = channel(route.getEndpoint().getEndpointUri(), flow, index);
            List<StepNode> steps = new ArrayList<>();
            if (definition != null) {
                walk(definition.getOutputs(), 0, flow, index, steps);
            }
            ServiceStatus status = camel.getRouteController().getRouteStatus(route.getRouteId());
            nodes.add(new RouteNode(route.getRouteId(), input, route.getConfigurationId(), status != null && status.isStarted(), steps,
                    routeFigures(managed, route.getRouteId()), otherFlows(index.senders.get(input), flow)));
            for (StepNode step : steps) {
                if (step.output() != null && step.output().kind() == ChannelKind.PORT) {
                    String port = step.output().name();
                    String system = systemOf(port);
                    String implementing = index.consumers.getOrDefault(new Channel(ChannelKind.DIRECT, port), List.of())
                            .stream().map(RouteRef::routeId).findFirst().orElse(null);
                    portsBySystem.computeIfAbsent(system, s -> new LinkedHashMap<>())
                            .put(port, implementing == null ? Figures.NONE : routeFigures(managed, implementing));
                }
            }
        }
        return Optional.of(new FlowModel(flow, nodes, systemNodes(portsBySystem)));
    }

    /**
     * The node ids a failure "at" this step can carry: the step, the steps nested in it, and every step of the routes
     * it calls in memory (a port's adapter route, a direct sub-route), since a failure inside those is recorded with
     * the inner step's id while the step itself fails with it.
     */
    public Set<String> nodesBeneath(String flow, String stepId) {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        if (model == null) {
            return Set.of(stepId);
        }
        Index index = index(model);
        Set<String> ids = new LinkedHashSet<>();
        Set<String> routesSeen = new LinkedHashSet<>();
        for (Route route : camel.getRoutes()) {
            if (!flow.equals(route.getGroup())) {
                continue;
            }
            RouteDefinition definition = model.getRouteDefinition(route.getRouteId());
            if (definition != null) {
                OptionalIdentifiedDefinition<?> found = find(definition.getOutputs(), stepId);
                if (found != null) {
                    collect(found, model, index, ids, routesSeen);
                }
            }
        }
        return ids.isEmpty() ? Set.of(stepId) : ids;
    }

    private void collect(OptionalIdentifiedDefinition<?> node, Model model, Index index, Set<String> ids, Set<String> routesSeen) {
        if (node.getId() != null) {
            ids.add(node.getId());
        }
        String uri = uriOf(node);
        if (uri != null) {
            Channel called = channel(uri, null, index);
            Channel direct = called.kind() == ChannelKind.PORT || called.kind() == ChannelKind.DIRECT
                    ? new Channel(ChannelKind.DIRECT, called.name()) : null;
            for (RouteRef target : direct == null ? List.<RouteRef>of() : index.consumers.getOrDefault(direct, List.of())) {
                RouteDefinition definition = model.getRouteDefinition(target.routeId());
                if (definition != null && routesSeen.add(target.routeId())) {
                    definition.getOutputs().forEach(child -> collect(child, model, index, ids, routesSeen));
                }
            }
        }
        children(node).forEach(child -> collect(child, model, index, ids, routesSeen));
    }

    private static OptionalIdentifiedDefinition<?> find(List<? extends OptionalIdentifiedDefinition<?>> nodes, String id) {
        for (OptionalIdentifiedDefinition<?> node : nodes) {
            if (id.equals(node.getId())) {
                return node;
            }
            OptionalIdentifiedDefinition<?> inner = find(children(node), id);
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }

    private void walk(List<? extends OptionalIdentifiedDefinition<?>> nodes, int depth, String flow, Index index,
                      List<StepNode> steps) {
        for (OptionalIdentifiedDefinition<?> node : nodes) {
            String id = node.getId();
            // the error policy's clauses (routeConfiguration, routes/error-policy.camel.yaml) are merged into every
            // route's model; they are the same everywhere and drawn nowhere: the route's header names its policy
            if (id == null || node instanceof OnExceptionDefinition) {
                continue;
            }
            String uri = uriOf(node);
            Channel output = uri == null ? null : channel(uri, flow, index);
            String label = output != null ? output.label() : labelOf(node);
            List<String> feeds = output == null || !output.connectsRoutes() ? List.of()
                    : otherFlows(index.consumers.get(output), flow);
            steps.add(new StepNode(id, node.hasCustomIdAssigned(), node.getShortName(), cut(label), depth,
                    output, stepStatistics.figures(id), feeds));
            walk(children(node), depth + 1, flow, index, steps);
        }
    }

    /**
     * A node's nested steps: a choice's when and otherwise clauses (not processors in Camel 4's model, hence nodes
     * typed as {@link OptionalIdentifiedDefinition}), a filter's or split's steps, a try's catches.
     */
    private static List<OptionalIdentifiedDefinition<?>> children(OptionalIdentifiedDefinition<?> node) {
        if (node instanceof ChoiceDefinition choice) {
            List<OptionalIdentifiedDefinition<?>> branches = new ArrayList<>(choice.getWhenClauses());
            if (choice.getOtherwise() != null) {
                branches.add(choice.getOtherwise());
            }
            return branches;
        }
        List<ProcessorDefinition<?>> outputs = node instanceof OutputNode parent ? parent.getOutputs() : null;
        return outputs == null ? List.of() : new ArrayList<>(outputs);
    }

    private String uriOf(OptionalIdentifiedDefinition<?> node) {
        String uri = node instanceof ToDynamicDefinition dynamic ? dynamic.getUri()
                : node instanceof EndpointRequiredDefinition endpoint ? endpoint.getEndpointUri() : null;
        if (uri == null) {
            return null;
        }
        try {
            return camel.resolvePropertyPlaceholders(uri);
        } catch (RuntimeException e) {
            return uri;
        }
    }

    private static String labelOf(OptionalIdentifiedDefinition<?> node) {
        try {
            String label = node.getLabel();
            return label == null || label.isBlank() ? node.getShortName() : label;
        } catch (RuntimeException e) {
            return node.getShortName();
        }
    }

    private static String cut(String text) {
        return text == null || text.length() <= LABEL_CHARS ? text : text.substring(0, LABEL_CHARS - 1) + "…";
    }

    /**
     * The channel an endpoint URI names. {@code direct:<role>.<port>} (or {@code versioned:<role>.<port>}) where the
     * role is one a declared system plays is a port, unless a route of this very flow consumes it.
     */
    Channel channel(String uri, String flow, Index index) {
        int colon = uri.indexOf(':');
        String scheme = colon < 0 ? uri : uri.substring(0, colon);
        String path = colon < 0 ? "" : uri.substring(colon + 1);
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        return switch (scheme) {
            case "kafka" -> new Channel(ChannelKind.KAFKA, path);
            case "jms", "activemq", "amqp", "sjms", "sjms2" -> new Channel(ChannelKind.JMS,
                    path.startsWith("queue:") ? path.substring(6) : path);
            case "versioned" -> new Channel(ChannelKind.PORT, path);
            case "direct", "seda" -> isPort(path, flow, index) ? new Channel(ChannelKind.PORT, path)
                    : new Channel(ChannelKind.DIRECT, path);
            case "platform-http", "rest", "http", "https" -> new Channel(ChannelKind.HTTP, path);
            case "timer", "scheduler", "quartz" -> new Channel(ChannelKind.TIMER, path);
            default -> new Channel(ChannelKind.OTHER, scheme + ":" + path);
        };
    }

    private boolean isPort(String path, String flow, Index index) {
        int dot = path.indexOf('.');
        if (dot <= 0 || systems.systemWithRole(path.substring(0, dot)).isEmpty()) {
            return false;
        }
        List<RouteRef> consumers = index == null ? List.of()
                : index.consumers.getOrDefault(new Channel(ChannelKind.DIRECT, path), List.of());
        return flow == null || consumers.stream().noneMatch(c -> flow.equals(c.group()));
    }

    private String systemOf(String port) {
        String role = port.contains(".") ? port.substring(0, port.indexOf('.')) : port;
        return systems.systemWithRole(role).orElse(role);
    }

    private List<SystemNode> systemNodes(Map<String, Map<String, Figures>> portsBySystem) {
        Map<String, SystemStatus> statuses = new LinkedHashMap<>();
        OpsOverview ops = overview.getIfAvailable();
        if (ops != null) {
            try {
                ops.systems().forEach(s -> statuses.put(s.system(), s));
            } catch (RuntimeException e) {
                // the picture is drawn without the systems' health
            }
        }
        List<SystemNode> nodes = new ArrayList<>();
        portsBySystem.forEach((system, ports) -> {
            SystemDeclaration declaration = systems.all().get(system);
            SystemStatus status = statuses.get(system);
            nodes.add(new SystemNode(system, declaration == null ? null : declaration.getAdapter(),
                    status == null ? null : status.reachable(), status == null ? null : status.breakerState(), ports));
        });
        return nodes;
    }

    private static Figures routeFigures(ManagedCamelContext managed, String routeId) {
        ManagedRouteMBean m = managed == null ? null : managed.getManagedRoute(routeId);
        return m == null ? Figures.NONE : new Figures(m.getExchangesTotal(), m.getExchangesFailed(), m.getMeanProcessingTime());
    }

    private static List<String> otherFlows(List<RouteRef> refs, String flow) {
        if (refs == null) {
            return List.of();
        }
        return refs.stream().map(RouteRef::group).filter(g -> g != null && !g.equals(flow)).distinct().sorted().toList();
    }

    /** A route and its group, as the index lists them. */
    record RouteRef(String routeId, String group) {
    }

    /** Who consumes each channel and who sends to it, over every route of the context. */
    record Index(Map<Channel, List<RouteRef>> consumers, Map<Channel, List<RouteRef>> senders) {
    }

    private Index index(Model model) {
        Map<Channel, List<RouteRef>> consumers = new LinkedHashMap<>();
        Map<Channel, List<RouteRef>> senders = new LinkedHashMap<>();
        // consumers first: whether a direct endpoint is a port depends on who consumes it
        Index index = new Index(consumers, senders);
        for (Route route : camel.getRoutes()) {
            Channel input = channel(route.getEndpoint().getEndpointUri(), null, null);
            consumers.computeIfAbsent(asRouteInput(input), c -> new ArrayList<>())
                    .add(new RouteRef(route.getRouteId(), route.getGroup()));
        }
        for (Route route : camel.getRoutes()) {
            RouteDefinition definition = model == null ? null : model.getRouteDefinition(route.getRouteId());
            if (definition != null) {
                indexSends(definition.getOutputs(), new RouteRef(route.getRouteId(), route.getGroup()), index);
            }
        }
        return index;
    }

    private void indexSends(List<? extends OptionalIdentifiedDefinition<?>> nodes, RouteRef route, Index index) {
        for (OptionalIdentifiedDefinition<?> node : nodes) {
            String uri = uriOf(node);
            if (uri != null) {
                Channel sent = asRouteInput(channel(uri, null, null));
                index.senders.computeIfAbsent(sent, c -> new ArrayList<>()).add(route);
            }
            indexSends(children(node), route, index);
        }
    }

    /** Ports and sub-routes are both direct endpoints on the consuming side. */
    private static Channel asRouteInput(Channel channel) {
        return channel.kind() == ChannelKind.PORT ? new Channel(ChannelKind.DIRECT, channel.name()) : channel;
    }
}
