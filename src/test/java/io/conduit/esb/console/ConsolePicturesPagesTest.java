package io.conduit.esb.console;

import io.conduit.esb.intake.IntakeNonces;
import io.conduit.esb.journal.Hop;
import io.conduit.esb.journal.Journal;
import io.conduit.esb.journal.JournalEntry;
import io.conduit.esb.ops.FlowStatus;
import io.conduit.esb.ops.OpsOverview;
import io.conduit.esb.parking.ParkedFilter;
import io.conduit.esb.parking.Replays;
import io.conduit.esb.security.SecurityConfiguration;
import io.conduit.esb.security.SecurityUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The flow picture and journey swimlane pages rendered by the real controllers, templates and security configuration,
 * with the route model, journal and parking lot stubbed: what a viewer sees, what a step's detail asks for, and (printed,
 * not asserted) how long the pages take to render for a flow of 36 steps and a journey of 100 hops.
 */
@WebMvcTest(controllers = {ConsoleFlowsController.class, ConsoleJournalController.class})
@Import({SecurityConfiguration.class, ConsoleFormat.class, ConsolePagesTest.IntakeTestBeans.class})
@EnableConfigurationProperties(SecurityUsers.class)
class ConsolePicturesPagesTest {

    static final UUID PARKED_ID = UUID.fromString("7d1c3c5e-0000-4000-8000-000000000001");

    @Autowired
    MockMvc mvc;
    @MockitoBean
    FlowModelReader reader;
    @MockitoBean
    OpsOverview opsOverview;
    @MockitoBean
    Journal journal;
    @MockitoBean
    Replays replays;
    @MockitoBean
    IntakeNonces nonces;

    @BeforeEach
    void stubs() {
        when(reader.flows()).thenReturn(new java.util.TreeSet<>(Set.of("shop", "big")));
        when(reader.read("shop")).thenReturn(Optional.of(FlowPictureTest.orderLikeFlow()));
        when(reader.read("big")).thenReturn(Optional.of(FlowPictureTest.thirtySixStepFlow()));
        when(reader.read("nope")).thenReturn(Optional.empty());
        when(opsOverview.flows()).thenReturn(List.of(
                new FlowStatus("shop", "DEGRADED", 3, 4, 12.0, 0.1, 38.4, 1, 0, List.of())));
    }

    @Test
    void flowsAreListedAndAFlowIsDrawnForAViewer() throws Exception {
        String list = page(get("/console/flows"));
        assertThat(list).contains("href=\"/console/flows/shop\"", "href=\"/console/flows/big\"", "state-DEGRADED",
                "class=\"active\">Flows</a>");

        String page = page(get("/console/flows/shop"));
        assertThat(page).contains("id=\"flow-picture\"", "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flow-picture\"",
                "data-route=\"shop.deliver\"", "data-step=\"shop.write-erp\"", "data-system=\"erp\"",
                "4 routes · 9 steps", "state-DEGRADED");
        assertThat(page).doesNotContain("id=\"step-detail\"");
        assertThat(page(get("/console/flows/nope"))).contains("id=\"no-flow\"", "big, shop");
    }

    @Test
    void aStepShowsItsRecentFailuresAndWhatIsParkedThere() throws Exception {
        when(reader.nodesBeneath("shop", "shop.write-erp")).thenReturn(Set.of("shop.write-erp", "erp-sandbox.insert"));
        Instant now = Instant.now();
        when(journal.failuresAt(any(), any(), anyInt())).thenReturn(List.of(
                new JournalEntry(2, now, "c-1", "e-1", "shop", "shop.deliver", "erp-sandbox.insert", Hop.PARKED, null,
                        "sql:insert", PARKED_ID.toString(), Map.of("orderId", "OPP-9"), "ERP refused: value too long",
                        null, null),
                new JournalEntry(1, now.minusSeconds(3), "c-1", "e-1", "shop", "shop.deliver", "erp-sandbox.insert",
                        Hop.FAILED, null, "sql:insert", null, Map.of("orderId", "OPP-9"),
                        "attempt 1 failed, will be retried: connection refused", null, null)));
        when(replays.find(any(), anyInt())).thenReturn(List.of(ConsolePagesTest.parked(PARKED_ID, "PARKED")));

        String page = page(get("/console/flows/shop").param("step", "shop.write-erp"));

        assertThat(page).contains("id=\"step-detail\"", "id=\"step-id\">shop.write-erp<", "12 through, 3 failed (25.0 %)",
                "class=\"step selected failing named\" data-step=\"shop.write-erp\"");
        assertThat(page).contains("id=\"step-parked-" + PARKED_ID + "\"", "href=\"/console/parked/" + PARKED_ID + "\"");
        assertThat(page).contains("data-hop=\"PARKED\"", "data-hop=\"FAILED\"", "connection refused",
                "ERP refused: value too long", "href=\"/console/journal?key=OPP-9\"");
        @SuppressWarnings("unchecked")
        ArgumentCaptor<Collection<String>> steps = ArgumentCaptor.forClass(Collection.class);
        ArgumentCaptor<Instant> since = ArgumentCaptor.forClass(Instant.class);
        verify(journal).failuresAt(steps.capture(), since.capture(), eq(ConsoleFlowsController.FAILURES_SHOWN));
        assertThat(steps.getValue()).containsExactlyInAnyOrder("shop.write-erp", "erp-sandbox.insert");
        assertThat(since.getValue()).isBetween(now.minusSeconds(24 * 3600 + 60), now.minusSeconds(24 * 3600 - 60));
        // the parked messages asked for are those the PARKED hops name, still parked
        ArgumentCaptor<ParkedFilter> filter = ArgumentCaptor.forClass(ParkedFilter.class);
        verify(replays).find(filter.capture(), anyInt());
        assertThat(filter.getValue().ids()).containsExactly(PARKED_ID);
        assertThat(filter.getValue().status()).isEqualTo("PARKED");

        assertThat(page(get("/console/flows/shop").param("step", "not-a-step"))).contains("id=\"no-step\"");
    }

    @Test
    void aJourneyIsDrawnAsSwimlanesWithTheListOneClickAway() throws Exception {
        when(journal.journey(any())).thenReturn(JourneyPictureTest.orderJourney());

        String lanes = page(get("/console/journal").param("key", "OPP-4711"));
        assertThat(lanes).contains("id=\"journey-lanes\"", "class=\"journey-picture\"", "data-lane=\"broker:kafka\"",
                "data-lane=\"target:erp\"", "8 lanes · 12 hops", "id=\"journey-summary\"",
                "id=\"view-list\" href=\"/console/journal?key=OPP-4711&amp;", "view=list\"");
        assertThat(lanes).doesNotContain("id=\"timeline\"");

        String list = page(get("/console/journal").param("key", "OPP-4711").param("view", "list"));
        assertThat(list).contains("id=\"timeline\"", "data-hop=\"REPLAYED\"").doesNotContain("id=\"journey-lanes\"");
    }

    /**
     * Prints how long the pages take (controller, SVG, Thymeleaf, security filters; the route model and journal
     * stubbed, so their reads are measured apart, live): the flow picture of 36 steps in 6 routes with a step's detail,
     * and a journey of 100 hops. A figure, not a limit: nothing is asserted on it.
     */
    @Test
    void renderTimesForAFlowOfThirtySixStepsAndAJourneyOfAHundredHops() throws Exception {
        List<JournalEntry> hundred = new ArrayList<>();
        List<JournalEntry> order = JourneyPictureTest.orderJourney();
        for (int i = 0; i < 100; i++) {
            JournalEntry e = order.get(i % order.size());
            hundred.add(new JournalEntry(i, e.at().plusSeconds(i / order.size() * 10L), "c-" + i / order.size(), null,
                    e.flow(), e.routeId(), e.stepId(), e.hop(), e.source(), e.target(), e.targetId(), e.keys(), e.detail(),
                    null, e.actor()));
        }
        when(journal.journey(any())).thenReturn(hundred);
        when(reader.nodesBeneath(any(), any())).thenReturn(Set.of("big.r2-s2"));
        when(journal.failuresAt(any(), any(), anyInt())).thenReturn(List.of());

        double[] flow = time(get("/console/flows/big").param("step", "big.r2-s2"), 50, 200);
        double[] journey = time(get("/console/journal").param("key", "OPP-4711"), 50, 200);
        double[] list = time(get("/console/journal").param("key", "OPP-4711").param("view", "list"), 50, 200);
        System.out.printf("RENDER flow picture, 36 steps / 6 routes (page incl. step detail): p50 %.2f ms, p95 %.2f ms%n",
                flow[0], flow[1]);
        System.out.printf("RENDER journey swimlanes, 100 hops: p50 %.2f ms, p95 %.2f ms%n", journey[0], journey[1]);
        System.out.printf("RENDER journey list (before), 100 hops: p50 %.2f ms, p95 %.2f ms%n", list[0], list[1]);
        assertThat(page(get("/console/journal").param("key", "OPP-4711"))).contains("100 hops");
    }

    private double[] time(MockHttpServletRequestBuilder request, int warmUp, int runs) throws Exception {
        for (int i = 0; i < warmUp; i++) {
            page(request);
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            page(request);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return new double[]{ms[runs / 2], ms[(int) (runs * 0.95)]};
    }

    private String page(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.with(user("viewer").roles("VIEWER"))).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString();
    }
}
