package io.conduit.esb.console;

import io.conduit.esb.approvals.ApprovalsView;
import io.conduit.esb.approvals.ApprovalsView.OpenApproval;
import io.conduit.esb.journal.Hop;
import io.conduit.esb.journal.Journal;
import io.conduit.esb.journal.JournalEntry;
import io.conduit.esb.journal.JournalQuery;
import io.conduit.esb.ops.FlowStatus;
import io.conduit.esb.ops.OpsOverview;
import io.conduit.esb.ops.SystemStatus;
import io.conduit.esb.parking.ParkedFilter;
import io.conduit.esb.parking.ParkedMessage;
import io.conduit.esb.parking.Replays;
import io.conduit.esb.parking.Replays.ReplayJob;
import io.conduit.esb.security.SecurityConfiguration;
import io.conduit.esb.security.SecurityUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import io.conduit.esb.intake.InputGate;
import io.conduit.esb.intake.IntakeNonces;
import io.conduit.esb.intake.IntakeProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/**
 * The console's pages rendered by the real controllers, templates and security configuration, with the journal,
 * replay and overview services stubbed: what each role sees, what each action asks the services, and what is refused.
 */
@WebMvcTest(controllers = {ConsoleLoginController.class, ConsoleOverviewController.class, ConsoleJournalController.class,
        ConsoleParkedController.class, ConsoleApprovalsController.class})
@Import({SecurityConfiguration.class, ConsoleFormat.class, ConsolePagesTest.IntakeTestBeans.class})
@EnableConfigurationProperties(SecurityUsers.class)
class ConsolePagesTest {

    static final Instant T0 = Instant.parse("2026-03-02T09:15:00Z");
    static final UUID PARKED_ID = UUID.fromString("7d1c3c5e-0000-4000-8000-000000000001");
    static final UUID JOB_ID = UUID.fromString("9a9a9a9a-0000-4000-8000-000000000002");

    @Autowired
    MockMvc mvc;
    @MockitoBean
    OpsOverview opsOverview;
    @MockitoBean
    Journal journal;
    @MockitoBean
    Replays replays;
    @MockitoBean
    ApprovalsView approvals;

    @BeforeEach
    void stubs() {
        when(opsOverview.flows()).thenReturn(List.of(
                new FlowStatus("order-handoff", "UP", 4, 4, 12.0, 0.025, 38.4, 1, 3, List.of(1.0, 4.0, 12.0)),
                new FlowStatus("complaint-routing", "DEGRADED", 2, 3, 0, 0.5, 0, 0, 0, List.of())));
        when(opsOverview.systems()).thenReturn(List.of(
                new SystemStatus("crm", true, 14, "CLOSED", "GET /health 200", T0),
                new SystemStatus("erp", false, 2000, "OPEN", "connection refused", T0)));
        ParkedMessage parked = parked(PARKED_ID, "PARKED");
        when(replays.find(any(), anyInt())).thenReturn(List.of(parked));
        when(replays.count(any())).thenReturn(1L);
        when(replays.get(PARKED_ID)).thenReturn(Optional.of(parked));
        when(replays.recentJobs(anyInt())).thenReturn(List.of());
    }

    @Test
    void loginPageIsOpenAndItsFormCarriesTheCsrfToken() throws Exception {
        mvc.perform(get("/login"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("id=\"login-form\""),
                        containsString("name=\"username\""), containsString("name=\"_csrf\""))));
    }

    @Test
    void consoleNeedsALogin() throws Exception {
        mvc.perform(get("/console")).andExpect(status().is3xxRedirection()).andExpect(redirectedUrlPattern("**/login"));
        mvc.perform(get("/console/parked")).andExpect(status().is3xxRedirection());
    }

    @Test
    void overviewShowsEveryFlowsFiguresAndEverySystemAndPollsForUpdates() throws Exception {
        String page = mvc.perform(get("/console").with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(page).contains("id=\"flow-order-handoff\"", "4 / 4", ">12.0<", "2.5 %", "38.4 ms",
                "data-series=\"1.0,4.0,12.0\"", "state-DEGRADED", "50.0 %");
        assertThat(page).contains("id=\"system-crm\"", "CLOSED", "14 ms", "id=\"system-erp\"", "unreachable", "OPEN");
        assertThat(page).contains("hx-get=\"/console/overview\"", "hx-trigger=\"every 5s\"");
        // htmx requests carry the CSRF token: meta tags and hx-headers
        assertThat(page).contains("name=\"_csrf\"", "name=\"_csrf_header\"", "hx-headers=\"{&quot;X-CSRF-TOKEN&quot;: &quot;");
        assertThat(page).contains("read only").doesNotContain("class=\"role\">operator");
    }

    @Test
    void approvalsPageListsOpenApprovalsPerJourneyWithAgeAndDeadlineAndOverdueOnesMarked() throws Exception {
        Instant now = Instant.now();
        when(approvals.open(isNull(), any())).thenReturn(List.of(
                new OpenApproval("REQ-7", "PURCHASE_REQUISITION", 2, "PENDING", "Steel sheets 2 mm", "E-1", "PRODUCTION",
                        new java.math.BigDecimal("62000.00"), "EUR", 2, 3, "FINANCE", "APR-12",
                        "http://oa.example/approvals/12", now.minusSeconds(7200), java.time.Duration.ofHours(2),
                        now.minusSeconds(1800), true, true, true, false),
                new OpenApproval("REQ-8", "PURCHASE_REQUISITION", 1, "DECIDED", "Gloves", null, "SALES",
                        new java.math.BigDecimal("80.00"), "EUR", 1, 1, null, null, null, now.minusSeconds(60),
                        java.time.Duration.ofSeconds(60), null, false, false, false, false)));

        String page = mvc.perform(get("/console/approvals").with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(page).contains("2 open, 1 overdue", "id=\"journey-PURCHASE_REQUISITION\"", "Purchase requisitions",
                "id=\"approval-REQ-7\"", "Steel sheets 2 mm", "62000.00 EUR", "2 of 3", "FINANCE", "escalated",
                "reminded", "overdue 30 min", "href=\"http://oa.example/approvals/12\"",
                "href=\"/console/approvals/REQ-7\"", "v2");
        assertThat(page).contains("id=\"approval-REQ-8\"", "decided, owed to the source");
        // the journeys not open anywhere say so
        assertThat(page).contains("id=\"journey-QUOTE_DISCOUNT\"", "Quote discounts", "id=\"journey-BUSINESS_TRIP\"",
                "None open.");
    }

    @Test
    void approvalPageShowsTheRequestsJournalAndAnUnknownOneSaysSo() throws Exception {
        when(approvals.approval("REQ-7")).thenReturn(Optional.of(new ApprovalsView.Approval("REQ-7",
                "PURCHASE_REQUISITION", 1, "APPLIED", "APPROVED", null, "Steel sheets", "PRODUCTION",
                new java.math.BigDecimal("100.00"), "EUR", 1, 1, T0, T0.plusSeconds(60), T0.plusSeconds(61), List.of(
                new ApprovalsView.JournalLine(T0, 1, null, "REQUESTED", "1 step(s)"),
                new ApprovalsView.JournalLine(T0.plusSeconds(61), 1, null, "APPLIED", "released")))));
        when(approvals.approval("REQ-0")).thenReturn(Optional.empty());

        String page = mvc.perform(get("/console/approvals/REQ-7").with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"approval-summary\"", "APPLIED", "APPROVED", "REQUESTED", "released",
                "2026-03-02 09:16:01.000");
        mvc.perform(get("/console/approvals/REQ-0").with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andExpect(content().string(containsString("id=\"no-approval\"")));
    }

    @Test
    void overviewFragmentIsJustTheFigures() throws Exception {
        mvc.perform(get("/console/overview").with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("id=\"figures\""), containsString("order-handoff"),
                        not(containsString("<html")), not(containsString("class=\"bar\"")))));
    }

    @Test
    void journalSearchShowsTheWholeJourneyAsATimeline() throws Exception {
        String correlation = "corr-1";
        when(journal.journey(any())).thenReturn(List.of(
                entry(1, T0, correlation, "order-handoff.crm-to-kafka", Hop.RECEIVED, "crm", null, null,
                        Map.of("crmOrderId", "OPP-4711"), null, "{\"opportunityId\":\"OPP-4711\"}"),
                entry(2, T0.plusMillis(40), correlation, "order-handoff.crm-to-kafka", Hop.PUBLISHED, "crm",
                        "conduit.orders.v1", null, Map.of("crmOrderId", "OPP-4711"), null, null),
                entry(3, T0.plusMillis(310), correlation, "order-handoff.to-erp", Hop.DELIVERED, "kafka", "erp",
                        "SO0100001", Map.of("crmOrderId", "OPP-4711", "erpOrderNo", "SO0100001"), null, null),
                entry(4, T0.plusMillis(900), correlation, "order-handoff.ack-to-crm", Hop.PARKED, "kafka", "crm", null,
                        Map.of("crmOrderId", "OPP-4711"), "HTTP 500 from CRM", "{\"erpOrderNumber\":\"SO0100001\"}")));

        String page = mvc.perform(get("/console/journal").param("key", "OPP-4711").param("flow", "order-handoff")
                        .param("from", "2026-03-02T09:00").param("view", "list").with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        ArgumentCaptor<JournalQuery> query = ArgumentCaptor.forClass(JournalQuery.class);
        verify(journal).journey(query.capture());
        assertThat(query.getValue().key()).isEqualTo("OPP-4711");
        assertThat(query.getValue().flow()).isEqualTo("order-handoff");
        assertThat(query.getValue().from()).isEqualTo(Instant.parse("2026-03-02T09:00:00Z"));

        assertThat(page).contains("id=\"timeline\"", "data-hop=\"RECEIVED\"", "data-hop=\"DELIVERED\"", "data-hop=\"PARKED\"");
        assertThat(page.indexOf("data-hop=\"RECEIVED\"")).isLessThan(page.indexOf("data-hop=\"PARKED\""));
        assertThat(page).contains("SO0100001", "conduit.orders.v1", "order-handoff.ack-to-crm", "HTTP 500 from CRM",
                "+310 ms", "erpOrderNo SO0100001", "2026-03-02 09:15:00.000");
        assertThat(page).contains("<summary>payload</summary>", "{\n  &quot;erpOrderNumber&quot; : &quot;SO0100001&quot;\n}");
        assertThat(page).contains("<strong>4</strong>"); // hops in the summary
    }

    @Test
    void viewerSeesParkedMessagesButNoReplayOrDiscardControls() throws Exception {
        String page = mvc.perform(get("/console/parked").with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(page).contains("id=\"parked-" + PARKED_ID + "\"", "OPP-9", "HTTP 500 from CRM");
        assertThat(page).doesNotContain("id=\"bulk\"", "id=\"replay\"", "id=\"discard\"", "name=\"ids\"", "id=\"dry-run\"");

        String detail = mvc.perform(get("/console/parked/{id}", PARKED_ID).with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(detail).contains("order-handoff.ack-to-crm", "erpOrderNumber")
                .doesNotContain("id=\"replay-one\"", "id=\"discard-one\"");
    }

    @Test
    void operatorSeesSelectionAndActions() throws Exception {
        String page = mvc.perform(get("/console/parked").param("flow", "order-handoff")
                        .with(user("operator").roles("OPERATOR")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(page).contains("id=\"bulk\"", "id=\"dry-run\"", "id=\"replay\"", "id=\"discard\"",
                "name=\"ids\"", "value=\"" + PARKED_ID + "\"", "hx-post=\"/console/parked/replay\"",
                "hx-get=\"/console/parked/table?flow=order-handoff&amp;status=PARKED\"");
        ArgumentCaptor<ParkedFilter> filter = ArgumentCaptor.forClass(ParkedFilter.class);
        verify(replays).find(filter.capture(), anyInt());
        assertThat(filter.getValue().flow()).isEqualTo("order-handoff");
        assertThat(filter.getValue().status()).isEqualTo("PARKED");

        // the table alone, as reloaded after a replay or discard
        mvc.perform(get("/console/parked/table").param("flow", "order-handoff").with(user("operator").roles("OPERATOR")))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("id=\"parked-table\""),
                        containsString("id=\"parked-" + PARKED_ID + "\""), not(containsString("id=\"plan\"")),
                        not(containsString("id=\"bulk\"")), not(containsString("<html")))));

        String detail = mvc.perform(get("/console/parked/{id}", PARKED_ID).with(user("operator").roles("OPERATOR")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(detail).contains("id=\"replay-one\"", "id=\"discard-one\"", "name=\"payload\"",
                "{\n  &quot;erpOrderNumber&quot; : &quot;SO0100001&quot;\n}");
    }

    @Test
    void viewerCannotReplayOrDiscardEvenByPostingDirectly() throws Exception {
        mvc.perform(post("/console/parked/replay").param("ids", PARKED_ID.toString())
                .with(user("viewer").roles("VIEWER")).with(csrf())).andExpect(status().isForbidden());
        mvc.perform(post("/console/parked/discard").param("ids", PARKED_ID.toString()).param("discardReason", "x")
                .with(user("viewer").roles("VIEWER")).with(csrf())).andExpect(status().isForbidden());
        mvc.perform(post("/console/parked/{id}/replay", PARKED_ID)
                .with(user("viewer").roles("VIEWER")).with(csrf())).andExpect(status().isForbidden());
        verify(replays, never()).start(any(), anyString());
        verify(replays, never()).discard(any(), anyString(), anyString());
        verify(replays, never()).replay(any(), any(), anyString());
    }

    @Test
    void postsWithoutCsrfTokenAreRefused() throws Exception {
        mvc.perform(post("/console/parked/replay").param("ids", PARKED_ID.toString())
                .with(user("operator").roles("OPERATOR"))).andExpect(status().isForbidden());
        verify(replays, never()).start(any(), anyString());
    }

    @Test
    void dryRunShowsWhatWouldBeReplayedOfTheTickedMessages() throws Exception {
        when(replays.dryRun(any())).thenReturn(new Replays.ReplayPlan(1, List.of(parked(PARKED_ID, "PARKED")),
                List.of("order-handoff")));

        mvc.perform(post("/console/parked/dry-run").param("ids", PARKED_ID.toString()).param("flow", "ignored-when-ticked")
                        .with(user("operator").roles("OPERATOR")).with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("id=\"plan-total\">1<"),
                        containsString("flows: order-handoff"), containsString("OPP-9"), containsString("Nothing was changed"))));

        ArgumentCaptor<ParkedFilter> filter = ArgumentCaptor.forClass(ParkedFilter.class);
        verify(replays).dryRun(filter.capture());
        assertThat(filter.getValue().ids()).containsExactly(PARKED_ID);
        assertThat(filter.getValue().flow()).isNull();
        verify(replays, never()).start(any(), anyString());
    }

    @Test
    void actionWithoutSelectionAsksForOne() throws Exception {
        mvc.perform(post("/console/parked/replay").with(user("operator").roles("OPERATOR")).with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Tick the messages to replay")));
        verify(replays, never()).start(any(), anyString());
    }

    @Test
    void bulkReplayOfTheFilterStartsAJobAsTheOperatorAndItsProgressPollsUntilDone() throws Exception {
        when(replays.start(any(), eq("operator"))).thenReturn(job("RUNNING", 10, 3));
        mvc.perform(post("/console/parked/replay").param("allMatching", "true").param("flow", "order-handoff")
                        .param("reason", "500").with(user("operator").roles("OPERATOR")).with(csrf()))
                .andExpect(status().isOk())
                .andExpect(header().doesNotExist("HX-Trigger"))
                .andExpect(content().string(allOf(containsString("hx-get=\"/console/replays/" + JOB_ID + "\""),
                        containsString("hx-trigger=\"every 1s\""), containsString("value=\"3\""),
                        containsString("max=\"10\""), containsString("RUNNING"))));
        ArgumentCaptor<ParkedFilter> filter = ArgumentCaptor.forClass(ParkedFilter.class);
        verify(replays).start(filter.capture(), eq("operator"));
        assertThat(filter.getValue().flow()).isEqualTo("order-handoff");
        assertThat(filter.getValue().reason()).isEqualTo("500");
        assertThat(filter.getValue().ids()).isEmpty();
        assertThat(filter.getValue().status()).isEqualTo("PARKED");

        when(replays.job(JOB_ID)).thenReturn(Optional.of(job("DONE", 10, 10)));
        mvc.perform(get("/console/replays/{id}", JOB_ID).with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(header().string("HX-Trigger", "parked-changed"))
                .andExpect(content().string(allOf(containsString("DONE"), containsString("delivered 10"),
                        not(containsString("hx-trigger")))));
    }

    @Test
    void discardNeedsAReasonAndRecordsTheOperator() throws Exception {
        mvc.perform(post("/console/parked/discard").param("ids", PARKED_ID.toString()).param("discardReason", " ")
                        .with(user("operator").roles("OPERATOR")).with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("A discard needs a reason")));
        verify(replays, never()).discard(any(), anyString(), anyString());

        when(replays.discard(any(), eq("order cancelled in CRM"), eq("operator"))).thenReturn(1);
        mvc.perform(post("/console/parked/discard").param("ids", PARKED_ID.toString())
                        .param("discardReason", "order cancelled in CRM")
                        .with(user("operator").roles("OPERATOR")).with(csrf()))
                .andExpect(status().isOk())
                .andExpect(header().string("HX-Trigger", "parked-changed"))
                .andExpect(content().string(containsString("Discarded 1 message.")));
    }

    @Test
    void replayOneSendsAnEditedPayloadOnlyWhenItWasChanged() throws Exception {
        when(replays.replay(eq(PARKED_ID), any(), eq("operator")))
                .thenReturn(new Replays.ReplayOutcome(PARKED_ID, "DELIVERED", null));

        mvc.perform(post("/console/parked/{id}/replay", PARKED_ID).param("payload", parked(PARKED_ID, "PARKED").payload() + "\n")
                        .with(user("operator").roles("OPERATOR")).with(csrf()))
                .andExpect(redirectedUrl("/console/parked/" + PARKED_ID))
                .andExpect(flash().attribute("edited", false));
        // the form shows the JSON indented: sent back unchanged, it is still the parked payload
        mvc.perform(post("/console/parked/{id}/replay", PARKED_ID).param("payload", "{\n  \"erpOrderNumber\" : \"SO0100001\"\n}")
                        .with(user("operator").roles("OPERATOR")).with(csrf()))
                .andExpect(flash().attribute("edited", false));
        verify(replays, org.mockito.Mockito.times(2)).replay(eq(PARKED_ID), isNull(), eq("operator"));

        String edited = "{\"erpOrderNumber\":\"SO0100002\"}";
        mvc.perform(post("/console/parked/{id}/replay", PARKED_ID).param("payload", edited)
                        .with(user("operator").roles("OPERATOR")).with(csrf()))
                .andExpect(flash().attribute("edited", true));
        verify(replays).replay(PARKED_ID, edited, "operator");
    }

    static ParkedMessage parked(UUID id, String status) {
        return new ParkedMessage(id, "order-handoff", "order-handoff.ack-to-crm", "http://localhost/crm", "HTTP 500 from CRM",
                "HttpOperationFailedException", "{\"erpOrderNumber\":\"SO0100001\"}", Map.of("ce_id", "e-1"), "e-1",
                "corr-1", "OPP-9", 7, status, T0, null, null, null, null);
    }

    static ReplayJob job(String status, long total, long delivered) {
        return new ReplayJob(JOB_ID, "operator", "flow=order-handoff", status, total, delivered, 0, 0, T0,
                "RUNNING".equals(status) ? null : T0.plusSeconds(2));
    }

    static JournalEntry entry(long id, Instant at, String correlation, String route, Hop hop, String source, String target,
                              String targetId, Map<String, String> keys, String detail, String payload) {
        return new JournalEntry(id, at, correlation, "e-" + id, "order-handoff", route, null, hop, source, target, targetId,
                keys, detail, payload, null);
    }

    /** The machine chain's collaborators: the input gate and limits as configured, no nonce store (no database). */
    @EnableConfigurationProperties(IntakeProperties.class)
    static class IntakeTestBeans {
        @Bean
        InputGate inputGate(IntakeProperties properties) {
            return new InputGate(properties);
        }
    }

    @MockitoBean
    private IntakeNonces nonces;
}
