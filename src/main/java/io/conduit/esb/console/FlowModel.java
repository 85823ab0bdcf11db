package io.conduit.esb.console;

import java.util.List;
import java.util.Map;

/**
 * One flow as the console draws it: its routes with their steps, the channels between them and the systems it calls,
 * read from the running Camel context by {@link FlowModelReader} and drawn by {@link FlowPicture}. Plain records, so a
 * picture can be built (and tested) from a model written by hand.
 *
 * @param flow    the flow id (route group), e.g. {@code order-handoff}
 * @param routes  its routes, in the order Camel loaded them (the route file's order)
 * @param systems the systems its steps call through ports, each with the ports used
 */
public record FlowModel(String flow, List<RouteNode> routes, List<SystemNode> systems) {

    public FlowModel {
        routes = List.copyOf(routes);
        systems = List.copyOf(systems);
    }

    /** Number of steps of all routes (what "a flow of 30 steps" counts). */
    public int stepCount() {
        return routes.stream().mapToInt(r -> r.steps().size()).sum();
    }

    /** The step with this id, if the flow has it. */
    public java.util.Optional<StepNode> step(String id) {
        return routes.stream().flatMap(r -> r.steps().stream()).filter(s -> s.id().equals(id)).findFirst();
    }

    /** The route a step belongs to. */
    public java.util.Optional<RouteNode> routeOf(String stepId) {
        return routes.stream().filter(r -> r.steps().stream().anyMatch(s -> s.id().equals(stepId))).findFirst();
    }

    /** What connects a step or a route to something else. */
    public enum ChannelKind {
        /** a Kafka topic */
        KAFKA,
        /** a JMS queue (or topic) */
        JMS,
        /** a direct or seda endpoint: a sub-route called in memory */
        DIRECT,
        /** a port of a system role ({@code direct:<role>.<port>} or {@code versioned:<role>.<port>}) */
        PORT,
        /** an HTTP endpoint (a route behind REST or platform-http) */
        HTTP,
        /** a timer or scheduler: the route starts itself */
        TIMER,
        /** anything else (SQL, a bean endpoint, a mapping...) */
        OTHER
    }

    /**
     * An endpoint a step sends to or a route consumes from.
     *
     * @param kind what it is
     * @param name its short name: the topic, the queue, the direct endpoint's name, the port ({@code erp.upsert-user})
     */
    public record Channel(ChannelKind kind, String name) {

        /** True if a message sent here can be consumed by a route of the flow (topics, queues, sub-routes). */
        public boolean connectsRoutes() {
            return kind == ChannelKind.KAFKA || kind == ChannelKind.JMS || kind == ChannelKind.DIRECT;
        }

        public String label() {
            return switch (kind) {
                case KAFKA -> "kafka " + name;
                case JMS -> "jms " + name;
                case DIRECT -> "direct " + name;
                case PORT -> "port " + name;
                case HTTP -> "http " + name;
                case TIMER -> "timer " + name;
                case OTHER -> name;
            };
        }
    }

    /**
     * Camel's counters of a route or a step since the ESB started (management statistics).
     *
     * @param total  exchanges (for a step: attempts, redeliveries included) that went through
     * @param failed of those, the ones that ended with an exception
     * @param meanMs mean processing time
     */
    public record Figures(long total, long failed, long meanMs) {

        public static final Figures NONE = new Figures(0, 0, 0);

        public double errorRate() {
            return total == 0 ? 0 : (double) failed / total;
        }
    }

    /**
     * One route of the flow.
     *
     * @param id      route id
     * @param input   what it consumes
     * @param policy  the error policy it opts in to (its route configuration id), if any
     * @param started whether it runs
     * @param steps   its steps, depth first (a step nested in a choice, filter, split... has a depth above 0)
     * @param figures the route's counters
     * @param fedBy   other flows whose steps send to its input (e.g. the partner intake feeding the order handoff)
     */
    public record RouteNode(String id, Channel input, String policy, boolean started, List<StepNode> steps, Figures figures,
                            List<String> fedBy) {

        public RouteNode {
            steps = List.copyOf(steps);
            fedBy = List.copyOf(fedBy);
        }
    }

    /**
     * One step (a node of the route: a {@code to}, a {@code choice}, a {@code when}, a {@code bean} ...).
     *
     * @param id      its node id (the route file's, or the one Camel gave it)
     * @param named   whether the route file gave it its id (a stable id: the ones tests advise and the journal names)
     * @param kind    the DSL's name for it: {@code to}, {@code choice}, {@code filter}, {@code bean} ...
     * @param label   what it does, short: its endpoint, expression or bean
     * @param depth   how deeply it is nested (0 = directly in the route)
     * @param output  where it sends, if it sends anywhere that matters to the picture
     * @param figures its counters
     * @param feeds   other flows consuming what it sends (a topic read by another flow)
     */
    public record StepNode(String id, boolean named, String kind, String label, int depth, Channel output,
                           Figures figures, List<String> feeds) {

        public StepNode {
            feeds = List.copyOf(feeds);
        }
    }

    /**
     * A system the flow calls through ports.
     *
     * @param name      the system's name ({@code esb.systems.<name>})
     * @param adapter   the adapter implementing its ports
     * @param reachable whether its last probe answered (null: not probed)
     * @param breaker   its circuit breaker's state (null: none)
     * @param ports     the ports this flow calls, each with the counters of the adapter route implementing it
     */
    public record SystemNode(String name, String adapter, Boolean reachable, String breaker,
                             Map<String, Figures> ports) {

        public SystemNode {
            ports = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(ports));
        }
    }
}
