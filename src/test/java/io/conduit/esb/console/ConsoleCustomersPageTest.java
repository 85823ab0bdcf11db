package io.conduit.esb.console;

import io.conduit.esb.customers.CustomerMasterView;
import io.conduit.esb.customers.CustomerMasterView.Conflict;
import io.conduit.esb.customers.CustomerMasterView.Progress;
import io.conduit.esb.customers.CustomerMasterView.Report;
import io.conduit.esb.customers.CustomerMasterView.Side;
import io.conduit.esb.customers.CustomerMasterView.Waiting;
import io.conduit.esb.customers.CustomerReconciliation;
import io.conduit.esb.customers.CustomerReconciliation.Difference;
import io.conduit.esb.intake.IntakeNonces;
import io.conduit.esb.security.SecurityConfiguration;
import io.conduit.esb.security.SecurityUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.node.TextNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The console's Customers page rendered by its real controller, template and the security configuration, with the
 * customer master's report stubbed: the progress each way, the conflicts (each one click from its parked message),
 * the customers waiting, and the fragment the page polls.
 */
@WebMvcTest(controllers = ConsoleCustomersController.class)
@Import({SecurityConfiguration.class, ConsoleFormat.class, ConsolePagesTest.IntakeTestBeans.class})
@EnableConfigurationProperties(SecurityUsers.class)
class ConsoleCustomersPageTest {

    static final Instant T0 = Instant.parse("2026-12-02T09:15:00Z");
    static final UUID PARKED = UUID.fromString("7d1c3c5e-0000-4000-8000-0000000000c1");

    @Autowired
    MockMvc mvc;
    @MockitoBean
    CustomerMasterView view;
    @MockitoBean
    IntakeNonces nonces;
    @MockitoBean
    CustomerReconciliation reconciliation;

    @BeforeEach
    void report() {
        when(view.report()).thenReturn(new Report(T0, true,
                new Progress(50000, 49500,
                        new Side(50000, 49500, 500, T0, T0.plusSeconds(1800), Map.of("CREATED", 49500L)),
                        new Side(49500, 49200, 300, T0.plusSeconds(60), T0.plusSeconds(1850), Map.of("APPLIED", 49200L)),
                        500),
                List.of(new Conflict(PARKED, "ACC-20417", "CRM_TO_ERP",
                        "The ERP cannot take the customer: two CRM accounts for one customer (tax id DE123456789)",
                        T0.plusSeconds(30), 1)),
                List.of(new Waiting("ACC-20417", "CRM_TO_ERP", 1, null, T0, true),
                        new Waiting("ACC-30001", "ERP_TO_CRM", 7, 6L, T0.plusSeconds(5), false))));
    }

    @Test
    void showsTheProgressEachWayTheConflictsWithTheirReasonsAndTheCustomersWaiting() throws Exception {
        String page = mvc.perform(get("/console/customers").with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(page).contains("id=\"way-CRM_TO_ERP\"", ">50000<", ">49500<", ">500<", "CREATED 49500",
                "id=\"way-ERP_TO_CRM\"", "APPLIED 49200", "50000 customers", "49500 with an ERP number", "500 in conflict");
        assertThat(page).contains("id=\"conflict-ACC-20417\"", "two CRM accounts for one customer (tax id DE123456789)",
                "href=\"/console/parked/" + PARKED + "\"");
        assertThat(page).contains("id=\"waiting-ACC-20417-CRM_TO_ERP\"", "status-PARKED", "id=\"waiting-ACC-30001-ERP_TO_CRM\"",
                "href=\"/console/journal?key=ACC-30001\"");
        assertThat(page).contains("hx-get=\"/console/customers/report\"", "hx-trigger=\"every 5s\"",
                "class=\"active\">Customers<");
    }

    @Test
    void theFragmentThePagePollsIsTheReportAlone() throws Exception {
        String fragment = mvc.perform(get("/console/customers/report").with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(fragment).startsWith("<section id=\"customer-master\"").contains("id=\"conflict-ACC-20417\"")
                .doesNotContain("<html", "<nav");
    }

    @Test
    void showsTheLatestReconciliationWithItsCountsAndFirstDifferencesAndAButtonForOperators() throws Exception {
        Map<String, Long> counts = new TreeMap<>(Map.of("FIELD_DIFFERS", 1L, "MISSING_IN_ERP", 2L));
        when(reconciliation.latest()).thenReturn(Optional.of(new CustomerReconciliation.Report(
                UUID.fromString("7d1c3c5e-0000-4000-8000-0000000000d1"), "DONE", "operator", T0, T0.plusSeconds(4),
                4200L, 500, 50000, 49990, 49980, 3, 1, 3, counts,
                List.of(new Difference("FIELD_DIFFERS", "ACC-20501", "legalName", "CRM", TextNode.valueOf("Richtig KG"),
                                TextNode.valueOf("Falsch KG"), null),
                        new Difference("MISSING_IN_ERP", "ACC-20502", null, null, null, null,
                                "parked for a person: two CRM accounts for one customer")), null)));

        String page = mvc.perform(get("/console/customers").with(user("operator").roles("OPERATOR")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"reconciliation-figures\"", "took 4200 ms", "50000 CRM accounts",
                "49990 ERP customers", "3 merged", "3 differences", "FIELD_DIFFERS 1", "MISSING_IN_ERP 2",
                "1 of the missing parked", "id=\"difference-ACC-20501-legalName\"", "&quot;Richtig KG&quot;",
                "&quot;Falsch KG&quot;", "id=\"difference-ACC-20502-MISSING_IN_ERP\"",
                "parked for a person: two CRM accounts for one customer", "id=\"reconcile\"",
                "action=\"/console/customers/reconciliation\"");
        String viewed = mvc.perform(get("/console/customers").with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(viewed).contains("id=\"reconciliation-figures\"").doesNotContain("id=\"reconcile\"");
    }

    @Test
    void anOperatorStartsAReconciliationAViewerCannot() throws Exception {
        when(reconciliation.start(any())).thenReturn(UUID.randomUUID());
        mvc.perform(post("/console/customers/reconciliation").with(user("viewer").roles("VIEWER")).with(csrf()))
                .andExpect(status().isForbidden());
        verify(reconciliation, never()).start(any());
        mvc.perform(post("/console/customers/reconciliation").with(user("operator").roles("OPERATOR")))
                .andExpect(status().isForbidden());
        mvc.perform(post("/console/customers/reconciliation").with(user("operator").roles("OPERATOR")).with(csrf()))
                .andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/console/customers"))
                .andExpect(flash().attribute("notice", org.hamcrest.Matchers.startsWith("Reconciliation started")));
        verify(reconciliation).start("operator");
    }

    @Test
    void needsALogin() throws Exception {
        mvc.perform(get("/console/customers")).andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrlPattern("**/login"));
    }
}
