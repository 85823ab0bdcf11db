package io.conduit.esb.console;

import io.conduit.esb.journal.Hop;
import io.conduit.esb.journal.JournalEntry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Draws a journey (the journal's hops of a business key, oldest first) as swimlanes, in SVG on the server: one lane
 * per participant - the senders (an HTTP intake, named after the declared system its path names), the ESB's stages
 * (one lane per route the message went through, adapters' routes included), the brokers (Kafka, JMS) and each
 * target system - and one row per hop, in time order, down the page. A hop that moves the message is an arrow
 * between lanes (received from a topic, published to it, delivered to a target); a hop inside a stage is a dot on its
 * lane. Failures are red crosses, parked messages red squares, replays and discards marked on the stage that handled
 * them. The time between hops is visible three ways: the time since the first hop beside each row, a gap between
 * rows that grows with the wait (logarithmic, so seconds and minutes both stay readable), and on each arrow out of a
 * broker the time the message waited there since it was published.
 */
public final class JourneyPicture {

    static final int MARGIN = 12;
    static final int TIME_COLUMN = 96;
    static final int LANE = 124;
    static final int HEADER = 46;
    static final int ROW = 22;
    static final int LABEL_COLUMN = 460;
    static final double CHAR = 6.1;

    private JourneyPicture() {
    }

    /** What a lane stands for, in the order lanes are laid out left to right. */
    public enum LaneKind { SOURCE, STAGE, BROKER, TARGET }

    /**
     * One lane.
     *
     * @param key   what identifies it: {@code source:<endpoint>}, {@code stage:<route id>}, {@code broker:kafka},
     *              {@code target:<system>}
     * @param label its heading
     */
    public record Lane(String key, LaneKind kind, String label, String title) {
    }

    /** One row: a hop drawn from one lane to another (the same lane for a hop inside a stage). */
    public record Row(JournalEntry entry, String fromLane, String toLane) {
    }

    /** The drawing and what it holds. */
    public record Drawing(String svg, double width, double height, List<Lane> lanes, List<Row> rows) {
    }

    /**
     * Draws the journey.
     *
     * @param systems the declared systems' names: an HTTP sender whose path names one gets its lane under that name
     */
    public static Drawing draw(List<JournalEntry> journey, Set<String> systems) {
        Map<String, Lane> lanes = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>(journey.size());
        for (JournalEntry e : journey) {
            rows.add(place(e, systems, lanes));
        }
        List<Lane> ordered = new ArrayList<>();
        for (LaneKind kind : LaneKind.values()) {
            lanes.values().stream().filter(l -> l.kind() == kind).forEach(ordered::add);
        }
        Map<String, Double> laneX = new HashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            laneX.put(ordered.get(i).key(), MARGIN + TIME_COLUMN + i * (double) LANE + LANE / 2.0);
        }
        double lanesRight = MARGIN + TIME_COLUMN + ordered.size() * (double) LANE;
        double width = lanesRight + LABEL_COLUMN + MARGIN;

        // rows' y: one row each, plus a gap that grows with the time since the previous hop
        double[] rowY = new double[rows.size()];
        double y = MARGIN + HEADER + 14;
        Instant first = rows.isEmpty() ? null : rows.get(0).entry().at();
        for (int i = 0; i < rows.size(); i++) {
            if (i > 0) {
                y += ROW + gap(rows.get(i - 1).entry().at(), rows.get(i).entry().at());
            }
            rowY[i] = y;
        }
        double height = y + ROW + MARGIN;

        Svg svg = new Svg();
        svg.open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "journey-picture", "width", width,
                "height", height, "viewBox", "0 0 " + Svg.num(width) + " " + Svg.num(height), "role", "img",
                "aria-label", "journey as swimlanes: " + ordered.size() + " lanes, " + rows.size() + " hops");
        svg.raw("<defs><marker id=\"hop-arrow\" viewBox=\"0 0 8 8\" refX=\"7\" refY=\"4\" markerWidth=\"8\" markerUnits=\"userSpaceOnUse\""
                + " markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L8,4 L0,8 z\" class=\"arrowhead\"/>"
                + "</marker></defs>");
        // lanes: a band, a heading, a line down
        for (int i = 0; i < ordered.size(); i++) {
            Lane lane = ordered.get(i);
            double left = MARGIN + TIME_COLUMN + i * (double) LANE;
            double cx = laneX.get(lane.key());
            String kind = lane.kind().name().toLowerCase(Locale.ROOT);
            svg.open("g", "class", "lane lane-" + kind, "data-lane", lane.key());
            svg.empty("rect", "class", "lane-band", "x", left + 2, "y", MARGIN, "width", LANE - 4, "height", height - 2 * MARGIN,
                    "rx", 4);
            svg.text("text", kind(lane.kind()), "class", "lane-kind", "x", cx, "y", MARGIN + 14, "text-anchor", "middle");
            svg.open("text", "class", "lane-label", "x", cx, "y", MARGIN + 30, "text-anchor", "middle");
            svg.title(lane.title());
            svg.raw(Svg.escape(Svg.fit(lane.label(), (int) ((LANE - 8) / 6.4))));
            svg.close("text");
            svg.empty("line", "class", "lane-line", "x1", cx, "y1", MARGIN + HEADER, "x2", cx, "y2", height - MARGIN);
            svg.close("g");
        }
        svg.text("text", "time", "class", "lane-kind", "x", MARGIN, "y", MARGIN + 14);

        Map<String, Instant> publishedAt = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            JournalEntry e = row.entry();
            double ry = rowY[i];
            double cy = ry + ROW / 2.0;
            String hop = e.hop() == null ? "UNKNOWN" : e.hop().name();
            svg.open("g", "class", "hop hop-" + hop, "data-hop", hop, "data-from", row.fromLane(), "data-to", row.toLane(),
                    "data-at", e.at() == null ? null : e.at().toString());
            svg.title(tooltip(e));
            // time column: since the first hop (and the wait before this one, when it was long)
            String since = i == 0 ? clock(e.at()) : "+" + duration(first, e.at());
            svg.text("text", since, "class", "since", "x", MARGIN, "y", cy + 4);
            if (i > 0 && gap(rows.get(i - 1).entry().at(), e.at()) >= 12) {
                svg.text("text", "⋯ " + duration(rows.get(i - 1).entry().at(), e.at()), "class", "wait", "x", MARGIN,
                        "y", ry - 4);
            }
            svg.empty("line", "class", "row-rule", "x1", MARGIN + TIME_COLUMN, "y1", ry + ROW, "x2", width - MARGIN,
                    "y2", ry + ROW);
            double fx = laneX.get(row.fromLane());
            double tx = laneX.get(row.toLane());
            if (row.fromLane().equals(row.toLane())) {
                marker(svg, e.hop(), fx, cy);
            } else {
                double dir = Math.signum(tx - fx);
                svg.empty("path", "class", "move move-" + hop, "d", "M" + Svg.num(fx + dir * 5) + "," + Svg.num(cy)
                        + " H" + Svg.num(tx - dir * 6), "marker-end", "url(#hop-arrow)");
                svg.empty("circle", "class", "dot dot-" + hop, "cx", fx, "cy", cy, "r", 3.5);
                String note = arrowNote(e, row, publishedAt);
                if (note != null) {
                    // a short arrow's note may run past its ends: a topic's name and wait matter more than a tidy edge
                    svg.text("text", Svg.fit(note, (int) (Math.max(Math.abs(tx - fx), 220) / 6.0)), "class", "move-note",
                            "x", (fx + tx) / 2, "y", cy - 3, "text-anchor", "middle");
                }
                if (e.hop() == Hop.FAILED) {
                    marker(svg, e.hop(), tx, cy);
                }
            }
            if (e.hop() == Hop.PUBLISHED && e.target() != null) {
                publishedAt.put(e.target(), e.at());
            }
            // the row's words, right of the lanes
            double lx = lanesRight + 10;
            svg.open("text", "class", "row-text", "x", lx, "y", cy + 4);
            svg.text("tspan", hop, "class", "hop-name hop-name-" + hop);
            svg.text("tspan", " " + Svg.fit(words(e), (int) ((LABEL_COLUMN - 10) / CHAR) - hop.length() - 1),
                    "class", "row-words");
            svg.close("text");
            svg.close("g");
        }
        svg.close("svg");
        return new Drawing(svg.toString(), width, height, ordered, rows);
    }

    /** Which lanes a hop is drawn between; adds the lanes it needs. */
    static Row place(JournalEntry e, Set<String> systems, Map<String, Lane> lanes) {
        String stage = stageLane(e, lanes);
        Hop hop = e.hop() == null ? Hop.VALIDATED : e.hop();
        switch (hop) {
            case RECEIVED -> {
                String source = sourceLane(e.source(), systems, lanes);
                return new Row(e, source == null ? stage : source, stage);
            }
            case PUBLISHED -> {
                String broker = brokerLane(e.target(), lanes);
                return new Row(e, stage, broker == null ? stage : broker);
            }
            case DELIVERED, SUPERSEDED -> {
                String target = targetLane(e.target(), lanes);
                return new Row(e, stage, target == null ? stage : target);
            }
            case FAILED -> {
                // an attempt at a target already on the picture is drawn towards it; anything else stays on the stage
                String target = e.target() == null ? null : lanes.containsKey("target:" + e.target()) ? "target:" + e.target()
                        : brokerLane(e.target(), null) != null ? brokerLane(e.target(), lanes) : null;
                return new Row(e, stage, target == null ? stage : target);
            }
            default -> {
                return new Row(e, stage, stage);
            }
        }
    }

    private static String stageLane(JournalEntry e, Map<String, Lane> lanes) {
        String route = e.routeId() == null ? "esb" : e.routeId();
        String key = "stage:" + route;
        lanes.computeIfAbsent(key, k -> new Lane(k, LaneKind.STAGE, FlowPicture.shortId(route),
                route + (e.flow() == null ? "" : " (flow " + e.flow() + ")")));
        return key;
    }

    /** A RECEIVED hop's source: a broker's lane, or a sender's (named after a system its path names). */
    private static String sourceLane(String source, Set<String> systems, Map<String, Lane> lanes) {
        if (source == null) {
            return null;
        }
        String broker = brokerLane(source, lanes);
        if (broker != null) {
            return broker;
        }
        int colon = source.indexOf(':');
        String path = colon < 0 ? source : source.substring(colon + 1);
        String named = null;
        for (String segment : path.split("[/.]")) {
            if (systems.contains(segment.toLowerCase(Locale.ROOT))) {
                named = segment.toLowerCase(Locale.ROOT);
                break;
            }
        }
        String key = "source:" + (named != null ? named : path);
        String label = named != null ? named.toUpperCase(Locale.ROOT) : "/" + path;
        lanes.computeIfAbsent(key, k -> new Lane(k, LaneKind.SOURCE, label, source));
        return key;
    }

    /** Kafka and JMS each get one lane; the topic or queue is named on the arrows. */
    private static String brokerLane(String endpoint, Map<String, Lane> lanes) {
        if (endpoint == null) {
            return null;
        }
        String scheme = endpoint.contains(":") ? endpoint.substring(0, endpoint.indexOf(':')) : "";
        String broker = switch (scheme) {
            case "kafka" -> "kafka";
            case "jms", "activemq", "amqp", "sjms", "sjms2" -> "jms";
            default -> null;
        };
        if (broker == null) {
            return null;
        }
        String key = "broker:" + broker;
        if (lanes != null) {
            lanes.computeIfAbsent(key, k -> new Lane(k, LaneKind.BROKER, broker.equals("kafka") ? "Kafka" : "JMS",
                    broker.equals("kafka") ? "Kafka topics" : "JMS queues"));
        }
        return key;
    }

    private static String targetLane(String target, Map<String, Lane> lanes) {
        if (target == null) {
            return null;
        }
        String broker = brokerLane(target, lanes);
        if (broker != null) {
            return broker;
        }
        String key = "target:" + target;
        lanes.computeIfAbsent(key, k -> new Lane(k, LaneKind.TARGET, target.toUpperCase(Locale.ROOT), target));
        return key;
    }

    /** The words on an arrow: the topic (and how long the message waited in it), the id the target gave. */
    private static String arrowNote(JournalEntry e, Row row, Map<String, Instant> publishedAt) {
        return switch (e.hop()) {
            case RECEIVED -> {
                if (e.source() == null || !row.fromLane().startsWith("broker:")) {
                    yield null;
                }
                Instant published = publishedAt.get(e.source());
                yield topic(e.source()) + (published == null ? "" : " · waited " + duration(published, e.at()));
            }
            case PUBLISHED -> topic(e.target());
            case DELIVERED -> e.targetId();
            case SUPERSEDED -> "not sent: newer there";
            case FAILED -> "✕";
            default -> null;
        };
    }

    private static void marker(Svg svg, Hop hop, double x, double y) {
        if (hop == null) {
            svg.empty("circle", "class", "dot", "cx", x, "cy", y, "r", 4);
            return;
        }
        switch (hop) {
            case FAILED -> svg.empty("path", "class", "mark-failed", "d", "M" + Svg.num(x - 5) + "," + Svg.num(y - 5)
                    + " L" + Svg.num(x + 5) + "," + Svg.num(y + 5) + " M" + Svg.num(x + 5) + "," + Svg.num(y - 5)
                    + " L" + Svg.num(x - 5) + "," + Svg.num(y + 5));
            case PARKED -> svg.empty("rect", "class", "mark-parked", "x", x - 6, "y", y - 6, "width", 12, "height", 12);
            case REPLAYED -> {
                svg.empty("circle", "class", "mark-replayed", "cx", x, "cy", y, "r", 6.5);
                svg.text("text", "↻", "class", "mark-replayed-sign", "x", x, "y", y + 4, "text-anchor", "middle");
            }
            case DISCARDED -> svg.empty("rect", "class", "mark-discarded", "x", x - 5, "y", y - 5, "width", 10,
                    "height", 10, "transform", "rotate(45 " + Svg.num(x) + " " + Svg.num(y) + ")");
            default -> svg.empty("circle", "class", "dot dot-" + hop.name(), "cx", x, "cy", y, "r", 4);
        }
    }

    private static String words(JournalEntry e) {
        StringBuilder w = new StringBuilder();
        if (e.stepId() != null) {
            w.append(FlowPicture.shortId(e.stepId()));
        } else if (e.routeId() != null) {
            w.append(FlowPicture.shortId(e.routeId()));
        }
        if (e.target() != null && e.hop() != Hop.PARKED) {
            w.append(" → ").append(e.target());
        }
        if (e.targetId() != null && e.hop() != Hop.PARKED) {
            w.append(" id ").append(e.targetId());
        }
        if (e.actor() != null) {
            w.append(" by ").append(e.actor());
        }
        if (e.detail() != null) {
            w.append(" · ").append(e.detail());
        }
        return w.toString();
    }

    private static String tooltip(JournalEntry e) {
        return (e.hop() == null ? "" : e.hop().name()) + " at " + e.at() + "\nflow " + e.flow() + ", route " + e.routeId()
                + (e.stepId() == null ? "" : ", step " + e.stepId())
                + (e.source() == null ? "" : "\nfrom " + e.source()) + (e.target() == null ? "" : "\nto " + e.target())
                + (e.targetId() == null ? "" : "\nid there " + e.targetId())
                + (e.actor() == null ? "" : "\nby " + e.actor()) + (e.detail() == null ? "" : "\n" + e.detail());
    }

    private static String topic(String endpoint) {
        if (endpoint == null) {
            return null;
        }
        int colon = endpoint.indexOf(':');
        String name = colon < 0 ? endpoint : endpoint.substring(colon + 1);
        return name.startsWith("queue:") ? name.substring(6) : name;
    }

    private static String kind(LaneKind kind) {
        return switch (kind) {
            case SOURCE -> "sender";
            case STAGE -> "ESB stage";
            case BROKER -> "broker";
            case TARGET -> "target";
        };
    }

    /** Extra space before a row: 0 for hops within 10 ms, about 18 px for a second, 34 px for a minute, at most 40. */
    static double gap(Instant previous, Instant at) {
        if (previous == null || at == null) {
            return 0;
        }
        long ms = Math.max(0, Duration.between(previous, at).toMillis());
        return Math.min(40, 9 * Math.log10(1 + ms / 10.0));
    }

    static String duration(Instant from, Instant to) {
        if (from == null || to == null) {
            return "";
        }
        long ms = Duration.between(from, to).toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 120_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        if (ms < 7_200_000) {
            return ms / 60_000 + " min";
        }
        return String.format(Locale.ROOT, "%.1f h", ms / 3_600_000.0);
    }

    private static String clock(Instant at) {
        return at == null ? "" : java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
                .withZone(java.time.ZoneOffset.UTC).format(at);
    }
}
