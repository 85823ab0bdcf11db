package io.conduit.esb.console;

import io.conduit.esb.console.FlowModel.Channel;
import io.conduit.esb.console.FlowModel.ChannelKind;
import io.conduit.esb.console.FlowModel.Figures;
import io.conduit.esb.console.FlowModel.RouteNode;
import io.conduit.esb.console.FlowModel.StepNode;
import io.conduit.esb.console.FlowModel.SystemNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Lays out and draws a {@link FlowModel} as SVG, on the server: routes are boxes listing their steps top to bottom,
 * placed in columns left to right by how messages travel between them (a route consuming a topic another route
 * publishes to stands in a column to its right; longest path, back edges left out of the ranking); the systems the
 * flow calls through ports form the last column. Every connection is an orthogonal line from the sending step's row
 * to the receiving route's header (or the system's port): it runs in the gap beside the sending column, and, when the
 * receiving column is not the next one, along a corridor above the boxes (topics, queues, sub-routes) or below them
 * (ports), each line on a track of its own, so lines never cross a box and never lie on one another. No coordinates
 * are given per flow, and a flow of any size lays out the same way: more steps make a box taller, more routes add
 * columns or stack boxes in a column.
 * <p>
 * Each step row is a link to the same page with {@code ?step=<id>}, where the page lists that step's recent failures
 * and parked messages. Rows carry Camel's counters since start: attempts through the step and how many failed.
 */
public final class FlowPicture {

    static final int MARGIN = 16;
    static final int BOX_WIDTH = 330;
    static final int HEADER = 42;
    static final int ROW = 20;
    static final int BOX_BOTTOM = 6;
    static final int BOX_GAP = 26;
    static final int INDENT = 12;
    static final int SYSTEM_WIDTH = 250;
    static final int SYSTEM_HEADER = 36;
    static final int GAP_BASE = 36;
    static final int TRACK = 8;
    /** average width of a character of the 11 px labels, for cutting labels to their box */
    static final double CHAR = 6.1;

    private FlowPicture() {
    }

    /** One connection: from a step's row to a route's header or a system's port row. */
    record Edge(String route, StepNode step, String targetRoute, String targetSystem, Channel channel) {
    }

    /** Where a box was put. */
    record Box(int column, double x, double y, double height) {
    }

    /** The drawing and what it holds (the figures tests and the page read). */
    public record Drawing(String svg, double width, double height, int columns, int edges) {
    }

    /**
     * Draws the flow.
     *
     * @param selectedStep the step whose details the page shows (highlighted), or null
     */
    public static Drawing draw(FlowModel flow, String selectedStep) {
        List<RouteNode> routes = flow.routes();
        Map<String, RouteNode> byId = new LinkedHashMap<>();
        routes.forEach(r -> byId.put(r.id(), r));
        Map<Channel, List<String>> consumers = new HashMap<>();
        for (RouteNode r : routes) {
            if (r.input() != null) {
                consumers.computeIfAbsent(r.input(), c -> new ArrayList<>()).add(r.id());
            }
        }
        Map<String, String> systemOfPort = new HashMap<>();
        flow.systems().forEach(s -> s.ports().keySet().forEach(p -> systemOfPort.put(p, s.name())));

        List<Edge> edges = new ArrayList<>();
        for (RouteNode r : routes) {
            for (StepNode s : r.steps()) {
                Channel out = s.output();
                if (out == null) {
                    continue;
                }
                if (out.connectsRoutes()) {
                    for (String target : consumers.getOrDefault(out, List.of())) {
                        edges.add(new Edge(r.id(), s, target, null, out));
                    }
                } else if (out.kind() == ChannelKind.PORT && systemOfPort.containsKey(out.name())) {
                    edges.add(new Edge(r.id(), s, null, systemOfPort.get(out.name()), out));
                }
            }
        }

        Map<String, Integer> rank = rank(routes, edges);
        int routeColumns = rank.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        int columns = routeColumns + (flow.systems().isEmpty() ? 0 : 1);
        int systemColumn = routeColumns;

        // tracks: per gap (gap c lies right of column c; gap -1 is the left margin), and in the two corridors
        int[] gapTracks = new int[columns + 1];
        int topTracks = 0;
        int bottomTracks = 0;
        record Routing(int outGap, int outTrack, int inGap, int inTrack, int corridorTrack, boolean top) {
        }
        List<Routing> routing = new ArrayList<>();
        for (Edge e : edges) {
            int from = rank.get(e.route());
            int to = e.targetRoute() != null ? rank.get(e.targetRoute()) : systemColumn;
            int outGap = from;
            int inGap = to - 1;
            if (inGap == outGap) {
                int track = gapTracks[outGap + 1]++;
                routing.add(new Routing(outGap, track, inGap, track, -1, true));
            } else {
                boolean top = e.targetRoute() != null;
                int corridor = top ? topTracks++ : bottomTracks++;
                routing.add(new Routing(outGap, gapTracks[outGap + 1]++, inGap, gapTracks[inGap + 1]++, corridor, top));
            }
        }

        // columns' x: a gap is as wide as its tracks need
        double[] columnX = new double[columns];
        double[] gapX = new double[columns + 1];
        double x = MARGIN;
        gapX[0] = x;
        x += gapWidth(gapTracks[0]);
        for (int c = 0; c < columns; c++) {
            columnX[c] = x;
            x += c == systemColumn && !flow.systems().isEmpty() ? SYSTEM_WIDTH : BOX_WIDTH;
            gapX[c + 1] = x;
            x += gapWidth(gapTracks[c + 1]);
        }
        double width = x + MARGIN;

        double top = MARGIN + (topTracks == 0 ? 0 : topTracks * TRACK + 10);
        Map<String, Box> boxes = new LinkedHashMap<>();
        double[] columnBottom = new double[columns];
        java.util.Arrays.fill(columnBottom, top);
        for (RouteNode r : routes) {
            int c = rank.get(r.id());
            double h = HEADER + r.steps().size() * ROW + BOX_BOTTOM;
            boxes.put(r.id(), new Box(c, columnX[c], columnBottom[c], h));
            columnBottom[c] += h + BOX_GAP;
        }
        Map<String, Box> systemBoxes = new LinkedHashMap<>();
        for (SystemNode s : flow.systems()) {
            double h = SYSTEM_HEADER + s.ports().size() * ROW + BOX_BOTTOM;
            systemBoxes.put(s.name(), new Box(systemColumn, columnX[systemColumn], columnBottom[systemColumn], h));
            columnBottom[systemColumn] += h + BOX_GAP;
        }
        double boxesBottom = 0;
        for (double b : columnBottom) {
            boxesBottom = Math.max(boxesBottom, b - BOX_GAP);
        }
        double bottomCorridor = boxesBottom + 14;
        double height = bottomCorridor + (bottomTracks == 0 ? 0 : bottomTracks * TRACK) + MARGIN;

        Svg svg = new Svg();
        svg.open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "flow-picture", "width", width, "height", height,
                "viewBox", "0 0 " + Svg.num(width) + " " + Svg.num(height), "role", "img", "data-flow", flow.flow(),
                "aria-label", "routes of flow " + flow.flow());
        svg.raw("<defs><marker id=\"arrow\" viewBox=\"0 0 8 8\" refX=\"7\" refY=\"4\" markerWidth=\"8\" markerHeight=\"8\" markerUnits=\"userSpaceOnUse\""
                + " orient=\"auto-start-reverse\"><path d=\"M0,0 L8,4 L0,8 z\" class=\"arrowhead\"/></marker></defs>");

        // lines first, boxes over them
        svg.open("g", "class", "edges");
        for (int i = 0; i < edges.size(); i++) {
            Edge e = edges.get(i);
            Routing r = routing.get(i);
            Box from = boxes.get(e.route());
            int row = indexOf(byId.get(e.route()).steps(), e.step());
            double sx = from.x() + BOX_WIDTH;
            double sy = from.y() + HEADER + row * ROW + ROW / 2.0;
            double tx;
            double ty;
            if (e.targetRoute() != null) {
                Box to = boxes.get(e.targetRoute());
                tx = to.x();
                ty = to.y() + 15;
            } else {
                Box to = systemBoxes.get(e.targetSystem());
                SystemNode system = flow.systems().stream().filter(s -> s.name().equals(e.targetSystem())).findFirst()
                        .orElseThrow();
                int portRow = new ArrayList<>(system.ports().keySet()).indexOf(e.channel().name());
                tx = to.x();
                ty = to.y() + SYSTEM_HEADER + portRow * ROW + ROW / 2.0;
            }
            double outX = gapX[r.outGap() + 1] + 12 + r.outTrack() * TRACK;
            double inX = gapX[r.inGap() + 1] + 12 + r.inTrack() * TRACK;
            StringBuilder d = new StringBuilder("M").append(Svg.num(sx)).append(',').append(Svg.num(sy));
            if (r.corridorTrack() < 0) {
                d.append(" H").append(Svg.num(outX)).append(" V").append(Svg.num(ty));
            } else {
                double cy = r.top() ? top - 10 - r.corridorTrack() * TRACK : bottomCorridor + r.corridorTrack() * TRACK;
                d.append(" H").append(Svg.num(outX)).append(" V").append(Svg.num(cy))
                        .append(" H").append(Svg.num(inX)).append(" V").append(Svg.num(ty));
            }
            d.append(" H").append(Svg.num(tx - 1));
            String kind = e.channel().kind().name().toLowerCase(Locale.ROOT);
            svg.open("path", "class", "edge edge-" + kind, "d", d, "marker-end", "url(#arrow)",
                    "data-from", e.step().id(), "data-to", e.targetRoute() != null ? e.targetRoute() : e.targetSystem(),
                    "data-channel", e.channel().label());
            svg.title(e.step().id() + " → " + e.channel().label() + " → "
                    + (e.targetRoute() != null ? e.targetRoute() : e.targetSystem()));
            svg.close("path");
        }
        svg.close("g");

        for (RouteNode r : routes) {
            drawRoute(svg, r, boxes.get(r.id()), selectedStep);
        }
        for (SystemNode s : flow.systems()) {
            drawSystem(svg, s, systemBoxes.get(s.name()));
        }
        svg.close("svg");
        return new Drawing(svg.toString(), width, height, columns, edges.size());
    }

    private static double gapWidth(int tracks) {
        return GAP_BASE + tracks * TRACK;
    }

    private static int indexOf(List<StepNode> steps, StepNode step) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) == step) {
                return i;
            }
        }
        return steps.indexOf(step);
    }

    /**
     * Each route's column: 0 for routes nothing in the flow sends to, else one more than the furthest route sending to
     * it. Back edges (a route sending back to one it was reached from, e.g. a resubmission) are found by a depth-first
     * walk in the routes' order and left out, so every flow gets a ranking.
     */
    static Map<String, Integer> rank(List<RouteNode> routes, List<Edge> edges) {
        Map<String, List<String>> next = new LinkedHashMap<>();
        routes.forEach(r -> next.put(r.id(), new ArrayList<>()));
        for (Edge e : edges) {
            if (e.targetRoute() != null && !next.get(e.route()).contains(e.targetRoute())) {
                next.get(e.route()).add(e.targetRoute());
            }
        }
        // depth-first: a post-order gives a topological order of the graph without its back edges
        List<String> postOrder = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> onPath = new HashSet<>();
        Set<String> backEdges = new HashSet<>();
        Set<String> hasParent = new HashSet<>();
        next.values().forEach(hasParent::addAll);
        List<String> starts = new ArrayList<>(routes.stream().map(RouteNode::id).filter(id -> !hasParent.contains(id)).toList());
        routes.stream().map(RouteNode::id).filter(hasParent::contains).forEach(starts::add);
        for (String start : starts) {
            visit(start, next, done, onPath, backEdges, postOrder);
        }
        Map<String, Integer> rank = new LinkedHashMap<>();
        routes.forEach(r -> rank.put(r.id(), 0));
        for (int i = postOrder.size() - 1; i >= 0; i--) {
            String from = postOrder.get(i);
            for (String to : next.get(from)) {
                if (!backEdges.contains(from + "\n" + to)) {
                    rank.put(to, Math.max(rank.get(to), rank.get(from) + 1));
                }
            }
        }
        return rank;
    }

    private static void visit(String node, Map<String, List<String>> next, Set<String> done, Set<String> onPath,
                              Set<String> backEdges, List<String> postOrder) {
        if (done.contains(node)) {
            return;
        }
        // iterative: a flow's routes could chain deeper than a thread's stack should have to care about
        record Frame(String node, int child) {
        }
        java.util.Deque<Frame> stack = new java.util.ArrayDeque<>();
        stack.push(new Frame(node, 0));
        onPath.add(node);
        while (!stack.isEmpty()) {
            Frame f = stack.pop();
            List<String> children = next.get(f.node());
            if (f.child() < children.size()) {
                stack.push(new Frame(f.node(), f.child() + 1));
                String child = children.get(f.child());
                if (onPath.contains(child)) {
                    backEdges.add(f.node() + "\n" + child);
                } else if (!done.contains(child)) {
                    onPath.add(child);
                    stack.push(new Frame(child, 0));
                }
            } else {
                onPath.remove(f.node());
                done.add(f.node());
                postOrder.add(f.node());
            }
        }
    }

    private static void drawRoute(Svg svg, RouteNode route, Box box, String selectedStep) {
        svg.open("g", "class", "route" + (route.started() ? "" : " stopped"), "data-route", route.id(),
                "transform", "translate(" + Svg.num(box.x()) + "," + Svg.num(box.y()) + ")");
        svg.open("rect", "class", "box", "width", BOX_WIDTH, "height", box.height(), "rx", 6);
        svg.title(route.id() + (route.started() ? "" : " (not running)"));
        svg.close("rect");
        svg.empty("circle", "class", route.started() ? "run up" : "run down", "cx", 12, "cy", 14, "r", 4);
        int idChars = (int) ((BOX_WIDTH - 110) / 6.6);
        svg.text("text", Svg.fit(route.id(), idChars), "class", "route-id", "x", 22, "y", 18);
        Figures f = route.figures();
        svg.text("text", figures(f), "class", "figures" + (f.failed() > 0 ? " bad" : ""), "x", BOX_WIDTH - 8, "y", 18,
                "text-anchor", "end");
        String from = (route.input() == null ? "" : "from " + route.input().label())
                + (route.fedBy().isEmpty() ? "" : " ← " + String.join(", ", route.fedBy()))
                + (route.policy() == null ? "" : " · " + route.policy());
        svg.text("text", Svg.fit(from, (int) ((BOX_WIDTH - 20) / CHAR)), "class", "route-from", "x", 12, "y", 34);
        for (int i = 0; i < route.steps().size(); i++) {
            drawStep(svg, route.steps().get(i), HEADER + i * ROW, selectedStep);
        }
        svg.close("g");
    }

    private static void drawStep(Svg svg, StepNode step, double y, String selectedStep) {
        boolean selected = step.id().equals(selectedStep);
        Figures f = step.figures();
        String rate = f.failed() > 0 ? String.format(Locale.ROOT, " · %.1f %% failed", f.errorRate() * 100) : "";
        svg.open("a", "href", "?step=" + URLEncoder.encode(step.id(), StandardCharsets.UTF_8) + "#step-detail",
                "class", "step-link");
        svg.open("g", "class", "step" + (selected ? " selected" : "") + (f.failed() > 0 ? " failing" : "")
                        + (step.named() ? " named" : ""),
                "data-step", step.id(), "data-total", f.total(), "data-failed", f.failed());
        svg.title(step.id() + " (" + step.kind() + ")\n" + step.label() + "\n" + f.total() + " through since start, "
                + f.failed() + " failed" + rate + (f.total() > 0 ? ", mean " + f.meanMs() + " ms" : "")
                + (step.feeds().isEmpty() ? "" : "\nalso read by flow " + String.join(", ", step.feeds())));
        svg.empty("rect", "class", "row", "x", 1, "y", y, "width", BOX_WIDTH - 2, "height", ROW);
        double indent = 8 + Math.min(step.depth(), 8) * INDENT;
        if (step.depth() > 0) {
            svg.empty("line", "class", "nest", "x1", indent - 6, "y1", y + 2, "x2", indent - 6, "y2", y + ROW - 2);
        }
        if (f.total() > 0) {
            svg.empty("rect", "class", "rate" + (f.failed() > 0 ? " bad" : ""), "x", 2, "y", y + 3, "width", 3,
                    "height", ROW - 6);
        }
        // a step the route file named shows its id and what it does; another shows what it does (Camel's label
        // names its kind: setProperty[orderId])
        String name = step.named() ? shortId(step.id()) : step.output() != null ? step.kind() : step.label();
        String what = step.output() != null ? step.output().label() : step.named() ? step.label() : "";
        if (!step.feeds().isEmpty()) {
            what += " → " + String.join(", ", step.feeds());
        }
        double figuresWidth = 74;
        int chars = (int) ((BOX_WIDTH - indent - figuresWidth - 6) / CHAR);
        String shownName = Svg.fit(name, what.isEmpty() ? chars : Math.max(8, chars * 2 / 3));
        String shownWhat = Svg.fit(what, Math.max(0, chars - shownName.length() - 1));
        svg.open("text", "class", "step-text", "x", indent, "y", y + 14);
        svg.text("tspan", shownName, "class", step.named() ? "step-id" : "step-kind");
        if (!shownWhat.isEmpty()) {
            svg.text("tspan", " " + shownWhat, "class", "step-what");
        }
        svg.close("text");
        svg.text("text", figures(f), "class", "figures" + (f.failed() > 0 ? " bad" : ""), "x", BOX_WIDTH - 8,
                "y", y + 14, "text-anchor", "end");
        svg.close("g");
        svg.close("a");
    }

    private static void drawSystem(Svg svg, SystemNode system, Box box) {
        String state = system.reachable() == null ? "unknown" : system.reachable() ? "up" : "down";
        svg.open("g", "class", "system " + state, "data-system", system.name(),
                "transform", "translate(" + Svg.num(box.x()) + "," + Svg.num(box.y()) + ")");
        svg.open("rect", "class", "box", "width", SYSTEM_WIDTH, "height", box.height(), "rx", 6);
        svg.title(system.name() + (system.adapter() == null ? "" : ", adapter " + system.adapter()) + ": "
                + (system.reachable() == null ? "not probed" : system.reachable() ? "reachable" : "unreachable")
                + (system.breaker() == null ? "" : ", breaker " + system.breaker()));
        svg.close("rect");
        svg.empty("circle", "class", "run " + state, "cx", 12, "cy", 14, "r", 4);
        svg.text("text", system.name().toUpperCase(Locale.ROOT) + (system.adapter() == null ? "" : " · " + system.adapter()),
                "class", "route-id", "x", 22, "y", 18);
        if (system.breaker() != null) {
            svg.text("text", "breaker " + system.breaker(), "class", "figures" + ("CLOSED".equals(system.breaker()) ? "" : " bad"),
                    "x", SYSTEM_WIDTH - 8, "y", 18, "text-anchor", "end");
        }
        svg.text("text", "ports this flow calls", "class", "route-from", "x", 12, "y", 31);
        int i = 0;
        for (Map.Entry<String, Figures> port : system.ports().entrySet()) {
            double y = SYSTEM_HEADER + i++ * ROW;
            svg.open("g", "class", "port", "data-port", port.getKey(), "data-total", port.getValue().total(),
                    "data-failed", port.getValue().failed());
            svg.text("text", Svg.fit(port.getKey(), (int) ((SYSTEM_WIDTH - 90) / CHAR)), "class", "step-text step-id",
                    "x", 12, "y", y + 14);
            svg.text("text", figures(port.getValue()), "class", "figures" + (port.getValue().failed() > 0 ? " bad" : ""),
                    "x", SYSTEM_WIDTH - 8, "y", y + 14, "text-anchor", "end");
            svg.close("g");
        }
        svg.close("g");
    }

    /** "1,204" or "1,204 · 3 ✕" (exchanges through, failed). */
    static String figures(Figures f) {
        if (f.total() == 0 && f.failed() == 0) {
            return "–";
        }
        String total = String.format(Locale.ROOT, "%,d", f.total());
        return f.failed() == 0 ? total : total + " · " + String.format(Locale.ROOT, "%,d", f.failed()) + " ✕";
    }

    /** A step id without its flow's prefix: order-handoff.write-erp is shown as write-erp (the full id in the tooltip). */
    static String shortId(String id) {
        int dot = id.indexOf('.');
        return dot > 0 && dot < id.length() - 1 ? id.substring(dot + 1) : id;
    }
}
