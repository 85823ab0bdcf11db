package io.conduit.esb.console;

import io.conduit.esb.console.FlowModel.Channel;
import io.conduit.esb.console.FlowModel.ChannelKind;
import io.conduit.esb.console.FlowModel.Figures;
import io.conduit.esb.console.FlowModel.RouteNode;
import io.conduit.esb.console.FlowModel.StepNode;
import io.conduit.esb.console.FlowModel.SystemNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link FlowPicture} draws for a known route model: boxes in columns, rows, connections, figures. */
class FlowPictureTest {

    static final Pattern BOX = Pattern.compile(
            "<g class=\"route[^\"]*\" data-route=\"([^\"]+)\" transform=\"translate\\(([\\d.]+),([\\d.]+)\\)\">"
                    + "<rect class=\"box\" width=\"([\\d.]+)\" height=\"([\\d.]+)\"");
    static final Pattern EDGE = Pattern.compile("<path class=\"edge edge-(\\w+)\" d=\"([^\"]+)\"[^>]*data-from=\"([^\"]+)\" "
            + "data-to=\"([^\"]+)\"");

    static StepNode step(String id, Channel out, long total, long failed) {
        return new StepNode(id, true, "to", out == null ? "log" : out.label(), 0, out, new Figures(total, failed, 3),
                List.of());
    }

    /** intake (HTTP) -> kafka orders -> delivery -> port erp.upsert + direct sub-route -> kafka acks -> ack route */
    static FlowModel orderLikeFlow() {
        Channel orders = new Channel(ChannelKind.KAFKA, "orders");
        Channel acks = new Channel(ChannelKind.KAFKA, "acks");
        Channel sub = new Channel(ChannelKind.DIRECT, "shop.enrich");
        Channel port = new Channel(ChannelKind.PORT, "erp.upsert-sales-order");
        RouteNode intake = new RouteNode("shop.intake", new Channel(ChannelKind.HTTP, "api/orders"), "esb-http-intake",
                true, List.of(step("shop.validate", null, 10, 0), step("shop.publish", orders, 10, 0)),
                new Figures(10, 0, 4), List.of());
        RouteNode deliver = new RouteNode("shop.deliver", orders, "esb-delivery", true,
                List.of(step("shop.call-enrich", sub, 10, 0), step("shop.write-erp", port, 12, 3),
                        new StepNode("choice1", false, "choice", "choice[when <b>&]", 0, null, Figures.NONE, List.of()),
                        new StepNode("when1", false, "when", "when[x]", 1, null, Figures.NONE, List.of()),
                        step("shop.publish-ack", acks, 9, 0)),
                new Figures(10, 1, 20), List.of("partner-intake"));
        RouteNode enrich = new RouteNode("shop.enrich", sub, "esb-sub-route", true,
                List.of(step("shop.lookup", null, 10, 0)), new Figures(10, 0, 1), List.of());
        RouteNode ack = new RouteNode("shop.ack", acks, "esb-delivery", false,
                List.of(step("shop.update-crm", null, 9, 0)), new Figures(9, 0, 2), List.of());
        SystemNode erp = new SystemNode("erp", "sandbox", true, "CLOSED",
                Map.of("erp.upsert-sales-order", new Figures(12, 3, 15)));
        return new FlowModel("shop", List.of(intake, deliver, enrich, ack), List.of(erp));
    }

    @Test
    void routesStandInColumnsByHowMessagesTravelAndTheSystemsComeLast() {
        FlowPicture.Drawing drawing = FlowPicture.draw(orderLikeFlow(), "shop.write-erp");
        Map<String, double[]> boxes = boxes(drawing.svg());

        assertThat(boxes).containsOnlyKeys("shop.intake", "shop.deliver", "shop.enrich", "shop.ack");
        // intake | deliver | enrich and ack (both fed by deliver) | systems
        assertThat(drawing.columns()).isEqualTo(4);
        assertThat(boxes.get("shop.intake")[0]).isLessThan(boxes.get("shop.deliver")[0]);
        assertThat(boxes.get("shop.deliver")[0]).isLessThan(boxes.get("shop.enrich")[0]);
        assertThat(boxes.get("shop.enrich")[0]).isEqualTo(boxes.get("shop.ack")[0]);
        assertThat(boxes.get("shop.ack")[1]).isGreaterThan(boxes.get("shop.enrich")[1] + boxes.get("shop.enrich")[3]);
        // a box is as tall as its rows: header + 5 steps
        assertThat(boxes.get("shop.deliver")[3]).isEqualTo(FlowPicture.HEADER + 5 * FlowPicture.ROW + FlowPicture.BOX_BOTTOM);
        assertNoOverlap(boxes);

        List<String[]> edges = edges(drawing.svg());
        assertThat(edges).extracting(e -> e[0] + " " + e[2] + " -> " + e[3]).containsExactlyInAnyOrder(
                "kafka shop.publish -> shop.deliver", "direct shop.call-enrich -> shop.enrich",
                "port shop.write-erp -> erp", "kafka shop.publish-ack -> shop.ack");
        assertThat(drawing.edges()).isEqualTo(4);

        String svg = drawing.svg();
        assertThat(svg).contains("data-system=\"erp\"", "ERP · sandbox", "breaker CLOSED", "data-port=\"erp.upsert-sales-order\"");
        // figures per step and per port: through and failed; the failing step is marked, the selected one too
        assertThat(svg).contains("data-step=\"shop.write-erp\" data-total=\"12\" data-failed=\"3\"", "12 · 3 ✕",
                "25.0 % failed");
        assertThat(svg).containsPattern("class=\"step selected failing named\" data-step=\"shop.write-erp\"");
        assertThat(svg).contains("href=\"?step=shop.write-erp#step-detail\"");
        // the header says where the route reads from, who else feeds it and its error policy; a stopped route shows
        assertThat(svg).contains("from kafka orders ← partner-intake · esb-delivery", "class=\"route stopped\" data-route=\"shop.ack\"");
        // nested steps are indented, text from the model is escaped
        assertThat(svg).contains("choice[when &lt;b&gt;&amp;]").doesNotContain("<b>&");
        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>");
    }

    /** Every connection runs orthogonally and none crosses a box: its vertical runs lie in the gaps between columns. */
    /** Six routes of six steps, each publishing to the next one's topic, the last back to the second. */
    static FlowModel thirtySixStepFlow() {
        List<RouteNode> routes = new ArrayList<>();
        int n = 6;
        for (int r = 0; r < n; r++) {
            List<StepNode> steps = new ArrayList<>();
            for (int s = 0; s < 5; s++) {
                steps.add(step("big.r" + r + "-s" + s, null, r * 10 + s, s == 2 ? 1 : 0));
            }
            // each route publishes to the next one's topic; the last sends back to the second (a resubmission)
            steps.add(step("big.r" + r + "-out", new Channel(ChannelKind.KAFKA, "t" + (r == n - 1 ? 1 : r + 1)), 5, 0));
            routes.add(new RouteNode("big.r" + r, new Channel(ChannelKind.KAFKA, "t" + r), null, true, steps,
                    Figures.NONE, List.of()));
        }
        return new FlowModel("big", routes, List.of());
    }

    @Test
    void aFlowOfThirtyStepsAndABackEdgeLaysOutWithoutOverlaps() {
        FlowModel flow = thirtySixStepFlow();
        int n = flow.routes().size();
        assertThat(flow.stepCount()).isEqualTo(36);

        FlowPicture.Drawing drawing = FlowPicture.draw(flow, null);
        Map<String, double[]> boxes = boxes(drawing.svg());
        assertThat(drawing.columns()).isEqualTo(6);
        for (int r = 1; r < n; r++) {
            assertThat(boxes.get("big.r" + r)[0]).isGreaterThan(boxes.get("big.r" + (r - 1))[0]);
        }
        assertNoOverlap(boxes);
        List<String[]> edges = edges(drawing.svg());
        assertThat(edges).hasSize(6);
        for (String[] edge : edges) {
            for (double x : verticalRuns(edge[1])) {
                for (double[] box : boxes.values()) {
                    assertThat(x > box[0] && x < box[0] + box[2]).as("vertical line at x=%s inside a box", x).isFalse();
                }
            }
        }
        // the back edge goes over the top corridor: above every box
        String back = edges.stream().filter(e -> e[2].equals("big.r5-out")).findFirst().orElseThrow()[1];
        double topOfBoxes = boxes.values().stream().mapToDouble(b -> b[1]).min().orElseThrow();
        assertThat(back).containsPattern("V(\\d+(\\.\\d)?) H");
        Matcher corridor = Pattern.compile("V([\\d.]+) H").matcher(back);
        assertThat(corridor.find()).isTrue();
        assertThat(Double.parseDouble(corridor.group(1))).isLessThan(topOfBoxes);
    }

    static Map<String, double[]> boxes(String svg) {
        Map<String, double[]> boxes = new java.util.LinkedHashMap<>();
        Matcher m = BOX.matcher(svg);
        while (m.find()) {
            boxes.put(m.group(1), new double[]{Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                    Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5))});
        }
        return boxes;
    }

    static List<String[]> edges(String svg) {
        List<String[]> edges = new ArrayList<>();
        Matcher m = EDGE.matcher(svg);
        while (m.find()) {
            edges.add(new String[]{m.group(1), m.group(2), m.group(3), m.group(4)});
        }
        return edges;
    }

    /** The x of every vertical run of a path written as M x,y H x V y ... */
    static List<Double> verticalRuns(String d) {
        List<Double> xs = new ArrayList<>();
        double x = 0;
        for (String part : d.split(" ")) {
            if (part.startsWith("M")) {
                x = Double.parseDouble(part.substring(1).split(",")[0]);
            } else if (part.startsWith("H")) {
                x = Double.parseDouble(part.substring(1));
            } else if (part.startsWith("V")) {
                xs.add(x);
            }
        }
        return xs;
    }

    static void assertNoOverlap(Map<String, double[]> boxes) {
        List<Map.Entry<String, double[]>> all = new ArrayList<>(boxes.entrySet());
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                double[] a = all.get(i).getValue();
                double[] b = all.get(j).getValue();
                boolean apart = a[0] + a[2] <= b[0] || b[0] + b[2] <= a[0] || a[1] + a[3] <= b[1] || b[1] + b[3] <= a[1];
                assertThat(apart).as("%s and %s overlap", all.get(i).getKey(), all.get(j).getKey()).isTrue();
            }
        }
    }
}
