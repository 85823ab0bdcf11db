package io.conduit.esb.console;

import io.conduit.esb.ops.SystemActivity;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A system's health history as a strip, in SVG drawn on the server like the flow and journey pictures: one bar per
 * kept probe, oldest left, newest right; green and as tall as its latency (logarithmic: 1 ms to 10 s) when the
 * system answered, red and full height when it did not. The breaker's transitions within the strip's time span are
 * ticks above it (red: opened, amber: half-open, green: closed). Each bar and tick has its time and detail as tooltip.
 */
final class HealthStrip {

    static final int BAR = 5;
    static final int GAP = 1;
    static final int HEIGHT = 30;
    static final int TICKS = 8;
    private static final ConsoleFormat FORMAT = new ConsoleFormat();

    private HealthStrip() {
    }

    /**
     * @param probes      newest first, as {@link SystemActivity#probes} gives them
     * @param transitions newest first
     * @param slots       bars the strip has room for (the kept probes, at most)
     */
    static String draw(String system, List<SystemActivity.Probe> probes, List<SystemActivity.Transition> transitions,
                       int slots) {
        int n = Math.min(probes.size(), Math.max(1, slots));
        double width = Math.max(1, slots) * (BAR + GAP);
        double height = TICKS + HEIGHT;
        Svg svg = new Svg();
        long up = probes.stream().limit(n).filter(SystemActivity.Probe::reachable).count();
        svg.open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "health-strip", "width", width, "height", height,
                "viewBox", "0 0 " + Svg.num(width) + " " + Svg.num(height), "role", "img", "data-system", system,
                "data-probes", n, "aria-label", "health of " + system + ": " + up + " of " + n + " probes answered");
        svg.empty("rect", "class", "strip-band", "x", 0, "y", TICKS, "width", width, "height", HEIGHT);
        // bars: the newest at the right edge
        for (int i = 0; i < n; i++) {
            SystemActivity.Probe p = probes.get(i);
            double x = width - (i + 1) * (BAR + GAP);
            double h = p.reachable() ? barHeight(p.latencyMs()) : HEIGHT;
            svg.open("rect", "class", p.reachable() ? "probe up" : "probe down", "x", x, "y", TICKS + HEIGHT - h,
                    "width", BAR, "height", h, "data-at", p.at() == null ? null : p.at().toString());
            svg.title((p.at() == null ? "" : FORMAT.time(p.at()) + " UTC · ")
                    + (p.reachable() ? "answered in " + p.latencyMs() + " ms" : "no answer")
                    + (p.detail() == null ? "" : " · " + p.detail()));
            svg.close("rect");
        }
        // breaker transitions within the span of the bars drawn
        if (n > 0) {
            Instant newest = probes.get(0).at();
            Instant oldest = probes.get(n - 1).at();
            double span = Math.max(1, Duration.between(oldest, newest).toMillis());
            double left = width - n * (BAR + GAP);
            double right = width - GAP;
            for (SystemActivity.Transition t : transitions) {
                if (t.at().isBefore(oldest) || t.at().isAfter(newest.plusSeconds(60))) {
                    continue;
                }
                double x = Math.min(right, left + (right - left) * Duration.between(oldest, t.at()).toMillis() / span);
                svg.open("path", "class", "breaker-tick breaker-" + t.to(), "d", "M" + Svg.num(x - 3) + ",0 L"
                        + Svg.num(x + 3) + ",0 L" + Svg.num(x) + "," + Svg.num(TICKS - 1) + " z", "data-to", t.to());
                svg.title(FORMAT.time(t.at()) + " UTC · breaker " + t.describe());
                svg.close("path");
            }
        }
        svg.close("svg");
        return svg.toString();
    }

    /** 1 ms -> 4 px, 10 s -> full height, logarithmic between. */
    static double barHeight(long latencyMs) {
        double scale = Math.log10(Math.max(1, latencyMs)) / 4.0;
        return Math.max(4, Math.min(HEIGHT, 4 + scale * (HEIGHT - 4)));
    }
}
