package io.conduit.esb.adapters;

import io.conduit.esb.realsystems.RealSystemsIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.http.MediaType;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Employee onboarding with the ERP switched to a real Tryton and the OA to a real Redmine, by configuration only: a
 * hire becomes one Tryton employee and one Redmine user; the leave ends the employment in Tryton and locks the
 * Redmine user. Nothing is written to the sandbox ERP or the sandbox OA's accounts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmployeeOnboardingOnRealSystemsIT extends RealSystemsIntegrationTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(60);

    private TrytonErp tryton;
    private RedmineOa redmine;

    @BeforeAll
    void systems() throws Exception {
        tryton = TrytonErp.startTrytonIfAvailable().orElseThrow();
        redmine = RedmineOa.startRedmineIfAvailable().orElseThrow();
    }

    @AfterAll
    void stopSystems() {
        tryton.close();
        redmine.close();
    }

    @Test
    void aHireBecomesOneTrytonEmployeeAndOneRedmineUserAndTheLeaveEndsAndLocksThem() throws Exception {
        String employee = "E-RS" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        String hire = hrEvent("HIRE", employee, "Rita Realsystem", "rita." + employee.toLowerCase() + "@example.com",
                LocalDate.now(ZoneOffset.UTC).toString());

        await().atMost(FLOW_TIMEOUT).until(() -> "COMPLETED".equals(syncStatus(hire)));
        List<ErpUsersUnderTest.ErpUser> employees = tryton.users(employee);
        assertThat(employees).hasSize(1);
        assertThat(employees.get(0).active()).isTrue();
        assertThat(employees.get(0).name()).isEqualTo("Rita Realsystem");
        List<OaAccountsUnderTest.OaAccount> users = redmine.accounts(employee);
        assertThat(users).hasSize(1);
        assertThat(users.get(0).active()).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.sys_user WHERE emp_no = ?", Integer.class, employee))
                .isZero();

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String leave = hrEvent("LEAVE", employee, null, null, today);

        await().atMost(FLOW_TIMEOUT).until(() -> "COMPLETED".equals(syncStatus(leave)));
        assertThat(tryton.users(employee)).singleElement().satisfies(e -> {
            assertThat(e.active()).isFalse();
            assertThat(e.endDate()).isEqualTo(today);
        });
        assertThat(redmine.accounts(employee)).singleElement().satisfies(u -> assertThat(u.active()).isFalse());
    }

    private String syncStatus(String eventId) {
        List<String> status = jdbc.queryForList("SELECT status FROM esb.employee_sync_event WHERE event_id = ?",
                String.class, eventId);
        return status.isEmpty() ? null : status.get(0);
    }

    /** HR records an event in the sandbox OA's HR module, which publishes it on the HR event queue. */
    private String hrEvent(String type, String employeeNo, String fullName, String email, String effectiveDate) {
        Map<String, Object> body = new HashMap<>();
        body.put("type", type);
        body.put("employeeNo", employeeNo);
        body.put("fullName", fullName);
        body.put("email", email);
        body.put("department", type.equals("HIRE") ? "Sales" : null);
        body.put("jobTitle", type.equals("HIRE") ? "Account Executive" : null);
        body.put("managerNo", "E-1");
        body.put("effectiveDate", effectiveDate);
        return sandbox.http().post().uri("/sandbox/oa/api/hr-events").contentType(MediaType.APPLICATION_JSON)
                .body(body).retrieve().body(com.fasterxml.jackson.databind.JsonNode.class).path("eventId").asText();
    }
}
