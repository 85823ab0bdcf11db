package io.conduit.esb.console;

import io.conduit.esb.customers.CustomerMasterView;
import io.conduit.esb.customers.CustomerMasterView.Conflict;
import io.conduit.esb.customers.CustomerMasterView.Progress;
import io.conduit.esb.customers.CustomerMasterView.Report;
import io.conduit.esb.customers.CustomerMasterView.Side;
import io.conduit.esb.customers.CustomerMasterView.Waiting;
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

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
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
    void needsALogin() throws Exception {
        mvc.perform(get("/console/customers")).andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrlPattern("**/login"));
    }
}
