package io.conduit.esb.console;

import io.conduit.esb.journal.Hop;
import io.conduit.esb.journal.JournalEntry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link JourneyPicture} draws for a known journey: lanes, rows in time order, arrows, marks and waits. */
class JourneyPictureTest {

    static final Instant T0 = Instant.parse("2026-03-02T09:15:00Z");

    static JournalEntry hop(long id, long ms, String route, String step, Hop hop, String source, String target,
                            String targetId, String detail, String actor) {
        return new JournalEntry(id, T0.plusMillis(ms), "corr-1", null, "order-handoff", route, step, hop, source, target,
                targetId, Map.of("orderId", "OPP-4711"), detail, null, actor);
    }

    /** An order's journey as the journal records it (taken from a run), with a CRM failure, parking and a replay. */
    static List<JournalEntry> orderJourney() {
        return List.of(
                hop(1, 0, "order-handoff.crm-intake", null, Hop.RECEIVED, "platform-http:api/v1/crm/webhooks/opportunity-won", null, null, null, null),
                hop(2, 2, "order-handoff.crm-intake", "order-handoff.validate-crm-payload", Hop.VALIDATED, null, "json-validator:file:x", null, null, null),
                hop(3, 21, "order-handoff.crm-intake", "order-handoff.publish-order", Hop.PUBLISHED, null, "kafka:conduit.orders.v1", null, null, null),
                hop(4, 40, "order-handoff.to-erp", null, Hop.RECEIVED, "kafka:conduit.orders.v1", null, null, null, null),
                hop(5, 41, "order-handoff.to-erp", "order-handoff.write-erp", Hop.DELIVERED, null, "erp", "SO0000001", null, null),
                hop(6, 45, "erp-sandbox.upsert-sales-order", "erp-sandbox.map-order", Hop.MAPPED, null, "mapping:erp/x", null, null, null),
                hop(7, 106, "order-handoff.to-erp", "order-handoff.publish-ack", Hop.PUBLISHED, null, "kafka:conduit.order-acks.v1", null, null, null),
                hop(8, 120, "order-handoff.ack-to-crm", null, Hop.RECEIVED, "kafka:conduit.order-acks.v1", null, null, null, null),
                hop(9, 1_130, "order-handoff.ack-to-crm", "order-handoff.update-crm", Hop.FAILED, null, "http:crm/api", null, "attempt 1 failed: HTTP 500 <boom>", null),
                hop(10, 3_140, "order-handoff.ack-to-crm", "order-handoff.update-crm", Hop.PARKED, null, "http:crm/api", "7d1c3c5e", "HTTP 500", null),
                hop(11, 125_000, "order-handoff.ack-to-crm", null, Hop.REPLAYED, null, null, null, "replay of 7d1c3c5e", "operator"),
                hop(12, 125_010, "order-handoff.ack-to-crm", "order-handoff.update-crm", Hop.DELIVERED, null, "crm", "OPP-4711", null, null));
    }

    @Test
    void oneLanePerSenderStageBrokerAndTargetWithHopsInTimeOrder() {
        JourneyPicture.Drawing drawing = JourneyPicture.draw(orderJourney(), Set.of("crm", "erp", "oa"));

        // senders, then the ESB's stages in the order the message reached them, then Kafka, then the targets
        assertThat(drawing.lanes()).extracting(JourneyPicture.Lane::key).containsExactly(
                "source:crm", "stage:order-handoff.crm-intake", "stage:order-handoff.to-erp",
                "stage:erp-sandbox.upsert-sales-order", "stage:order-handoff.ack-to-crm", "broker:kafka",
                "target:erp", "target:crm");
        assertThat(drawing.lanes().get(0).label()).isEqualTo("CRM");
        assertThat(drawing.rows()).hasSize(12);
        assertThat(drawing.rows()).extracting(r -> r.fromLane() + " > " + r.toLane()).startsWith(
                "source:crm > stage:order-handoff.crm-intake",
                "stage:order-handoff.crm-intake > stage:order-handoff.crm-intake",
                "stage:order-handoff.crm-intake > broker:kafka",
                "broker:kafka > stage:order-handoff.to-erp",
                "stage:order-handoff.to-erp > target:erp");
        // the failed attempt is drawn towards the CRM only once the CRM is on the picture; here it is not yet
        assertThat(drawing.rows().get(8).toLane()).isEqualTo("stage:order-handoff.ack-to-crm");
        assertThat(drawing.rows().get(11).toLane()).isEqualTo("target:crm");

        String svg = drawing.svg();
        // rows go down the page in time order
        List<Double> ys = rowYs(svg);
        assertThat(ys).hasSize(12).isSorted();
        // the wait in Kafka is on the arrow out of it; long waits widen the gap and are written beside the row
        assertThat(svg).contains("conduit.orders.v1 · waited 19 ms", "conduit.order-acks.v1 · waited 14 ms");
        assertThat(svg).contains(">SO0000001<", "⋯ 2.0 s", "⋯ 2 min", "+2 min");
        assertThat(ys.get(10) - ys.get(9)).isGreaterThan(ys.get(2) - ys.get(1) + 20);
        // failures, parking and the replay are marked; text is escaped
        assertThat(svg).contains("class=\"mark-failed\"", "class=\"mark-parked\"", "class=\"mark-replayed\"", "by operator");
        assertThat(svg).contains("HTTP 500 &lt;boom&gt;").doesNotContain("<boom>");
        assertThat(svg).contains("data-hop=\"PARKED\"", "data-hop=\"REPLAYED\"");
    }

    @Test
    void aSenderNotNamingADeclaredSystemIsNamedByItsPathAndAHundredHopsStayInOrder() {
        List<JournalEntry> journey = new ArrayList<>();
        journey.add(hop(0, 0, "partner-intake.orders", null, Hop.RECEIVED, "platform-http:api/v1/partner/orders", null, null, null, null));
        for (int i = 1; i < 100; i++) {
            journey.add(hop(i, i * 37L, "r" + (i % 7), "s" + i, i % 10 == 0 ? Hop.DELIVERED : Hop.MAPPED, null,
                    i % 10 == 0 ? "erp" : "mapping:x", "SO" + i, null, null));
        }
        JourneyPicture.Drawing drawing = JourneyPicture.draw(journey, Set.of("crm", "erp"));
        assertThat(drawing.lanes().get(0).label()).isEqualTo("/api/v1/partner/orders");
        // the sender, the intake stage, seven stages, the ERP
        assertThat(drawing.lanes()).hasSize(1 + 1 + 7 + 1);
        assertThat(rowYs(drawing.svg())).hasSize(100).isSorted();
    }

    static List<Double> rowYs(String svg) {
        Matcher m = Pattern.compile("<text class=\"since\" x=\"[\\d.]+\" y=\"([\\d.]+)\"").matcher(svg);
        List<Double> ys = new ArrayList<>();
        while (m.find()) {
            ys.add(Double.parseDouble(m.group(1)));
        }
        return ys;
    }
}
