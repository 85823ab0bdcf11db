package io.conduit.esb.onboarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.support.EsbIntegrationTest;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Employee onboarding end to end: HR events published by the sandbox OA on its Artemis queue (or posted to the
 * ESB) -> ERP user and roles (JDBC), OA account and CRM user (sandbox REST) -> "onboarding complete" notice back to
 * the OA; per-target status read from {@code GET /api/v1/onboarding/{employeeId}}.
 */
class EmployeeOnboardingIT extends EsbIntegrationTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);

    @Autowired
    ObjectMapper json;
    @Autowired
    CamelContext camel;

    @Test
    void salesHireCreatesErpUserWithRolesOaAccountAndCrmUserThenNotifiesTheOa() {
        String employee = newEmployeeNo();
        String eventId = hrEvent("HIRE", employee, "Anna Schmidt", "Anna.Schmidt@example.com", "Sales",
                "Account Executive", "2026-12-01").path("eventId").asText();

        JsonNode event = awaitEventStatus(employee, eventId, "COMPLETED");

        Map<String, Object> user = erpUser(employee);
        assertThat(user).containsEntry("full_nm", "Anna Schmidt").containsEntry("email", "anna.schmidt@example.com")
                .containsEntry("dept_cd", "SALES").containsEntry("active_flg", "Y");
        assertThat(user.get("valid_from").toString()).isEqualTo("2026-12-01");
        String usrId = (String) user.get("usr_id");
        assertThat(usrId).startsWith("U");
        assertThat(erpRoles(usrId)).containsExactly("EMPLOYEE", "SALES");

        JsonNode account = single(oaAccounts(employee));
        assertThat(account.path("displayName").asText()).isEqualTo("Anna Schmidt");
        assertThat(account.path("department").asText()).isEqualTo("SALES");
        assertThat(account.path("active").asBoolean()).isTrue();

        JsonNode crmUser = single(crmUsers(employee));
        assertThat(crmUser.path("fullName").asText()).isEqualTo("Anna Schmidt");
        assertThat(crmUser.path("team").asText()).isEqualTo("Sales");
        assertThat(crmUser.path("isActive").asBoolean()).isTrue();

        assertThat(targets(event)).containsOnlyKeys("ERP", "OA", "CRM");
        assertThat(targets(event).get("ERP").path("targetId").asText()).isEqualTo(usrId);
        assertThat(targets(event).get("OA").path("targetId").asText()).isEqualTo(account.path("accountId").asText());
        assertThat(targets(event).get("CRM").path("targetId").asText()).isEqualTo(crmUser.path("userId").asText());
        targets(event).values().forEach(t -> assertThat(t.path("status").asText()).isEqualTo("DONE"));

        JsonNode notice = awaitSingleNotice(eventId).path("notice");
        assertThat(notice.path("eventType").asText()).isEqualTo("HIRE");
        assertThat(notice.path("employeeNo").asText()).isEqualTo(employee);
        assertThat(notice.path("erpUserId").asText()).isEqualTo(usrId);
        assertThat(notice.path("oaAccountId").asText()).isEqualTo(account.path("accountId").asText());
        assertThat(notice.path("crmUserId").asText()).isEqualTo(crmUser.path("userId").asText());
    }

    @Test
    void financeHireGetsErpAndOaButNoCrmUser() {
        String employee = newEmployeeNo();
        String eventId = hrEvent("HIRE", employee, "Bo Berg", "bo.berg@example.com", "Finance", "Accountant",
                "2026-12-01").path("eventId").asText();

        JsonNode event = awaitEventStatus(employee, eventId, "COMPLETED");

        assertThat(targets(event)).containsOnlyKeys("ERP", "OA");
        assertThat(erpRoles((String) erpUser(employee).get("usr_id"))).containsExactly("EMPLOYEE", "FIN");
        assertThat(oaAccounts(employee)).hasSize(1);
        JsonNode notice = awaitSingleNotice(eventId).path("notice");
        assertThat(notice.path("crmUserId").isNull()).isTrue();
        assertThat(notice.path("oaAccountId").asText()).startsWith("OA-");
    }

    @Test
    void crmDownDuringHireLetsErpAndOaFinishAndCompletesOnlyOnceTheCrmIsBack() {
        sandbox.setFault("crm", "down", 0, 0);
        String employee = newEmployeeNo();
        String eventId = hrEvent("HIRE", employee, "Cem Yilmaz", "cem@example.com", "Service", "Service Agent",
                "2026-12-01").path("eventId").asText();

        // ERP and OA are done while the CRM keeps answering 503 and is being retried
        await().atMost(FLOW_TIMEOUT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            Map<String, JsonNode> targets = targets(eventOf(employee, eventId));
            assertThat(targets.get("ERP").path("status").asText()).isEqualTo("DONE");
            assertThat(targets.get("OA").path("status").asText()).isEqualTo("DONE");
            assertThat(targets.get("CRM").path("status").asText()).isEqualTo("PENDING");
            assertThat(targets.get("CRM").path("attempts").asInt()).isGreaterThanOrEqualTo(1);
        });
        assertThat(erpUser(employee)).containsEntry("active_flg", "Y");
        assertThat(oaAccounts(employee)).hasSize(1);
        assertThat(notices(eventId)).isEmpty();
        assertThat(eventOf(employee, eventId).path("status").asText()).isEqualTo("DISPATCHED");

        sandbox.setFault("crm", "normal", 0, 0);

        JsonNode event = awaitEventStatus(employee, eventId, "COMPLETED");
        JsonNode crm = targets(event).get("CRM");
        assertThat(crm.path("status").asText()).isEqualTo("DONE");
        assertThat(crm.path("attempts").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode crmUser = single(crmUsers(employee));
        assertThat(crmUser.path("team").asText()).isEqualTo("Customer Service");
        JsonNode notice = awaitSingleNotice(eventId).path("notice");
        assertThat(notice.path("crmUserId").asText()).isEqualTo(crmUser.path("userId").asText());
    }

    @Test
    void duplicateHireEventsCreateNothingTwice() {
        String employee = newEmployeeNo();
        JsonNode published = hrEvent("HIRE", employee, "Dana Dvorak", "dana@example.com", "Sales", "Sales Manager",
                "2026-12-01");
        String eventId = published.path("eventId").asText();
        awaitEventStatus(employee, eventId, "COMPLETED");
        String usrId = (String) erpUser(employee).get("usr_id");
        List<String> roles = erpRoles(usrId);
        assertThat(roles).containsExactly("EMPLOYEE", "FIN", "SALES");

        // the same event again (the OA resends it, here through the ESB's HTTP intake onto the same queue) ...
        NotifyBuilder duplicateSeen = new NotifyBuilder(camel).fromRoute("employee-onboarding.oa-intake")
                .filter(e -> eventId.equals(e.getProperty("hrEventId"))).whenDone(1).create();
        ResponseEntity<JsonNode> answer = postToEsb(published);
        assertThat(answer.getStatusCode().value()).isEqualTo(202);
        assertThat(duplicateSeen.matches(30, TimeUnit.SECONDS)).isTrue();

        // ... and HR records the same hire a second time (a new event id for the same employee)
        String secondId = hrEvent("HIRE", employee, "Dana Dvorak", "dana@example.com", "Sales", "Sales Manager",
                "2026-12-01").path("eventId").asText();
        awaitEventStatus(employee, secondId, "COMPLETED");

        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.sys_user WHERE emp_no = ?", Integer.class, employee)).isOne();
        assertThat(erpUser(employee)).containsEntry("usr_id", usrId);
        assertThat(erpRoles(usrId)).isEqualTo(roles);
        assertThat(oaAccounts(employee)).hasSize(1);
        assertThat(crmUsers(employee)).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM esb.employee_sync_event WHERE employee_id = ?",
                Integer.class, employee)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT sum(attempts) FROM esb.employee_sync_delivery WHERE event_id = ?",
                Integer.class, eventId)).isEqualTo(3);
        assertThat(notices(eventId)).hasSize(1);
        assertThat(single(notices(secondId)).path("notice").path("oaAccountId").asText())
                .isEqualTo(single(oaAccounts(employee)).path("accountId").asText());
    }

    @Test
    void eventRecordedWhoseHandingToTheTargetsWasLostIsDispatchedWhenItsMessageComesBackUnflagged() {
        // the ESB recorded the hire (the database committed), then the broker restarted before the JMS transaction
        // that hands it to the target queues committed: the broker delivers the HR event again, and - the delivery
        // count not persisted before delivery - without the redelivered flag
        String employee = newEmployeeNo();
        String eventId = "HR-" + UUID.randomUUID();
        jdbc.update("""
                INSERT INTO esb.employee_sync_event (event_id, employee_id, event_type, effective_date, status, payload,
                                                     dispatched_at, dispatch_seq)
                VALUES (?, ?, 'HIRE', DATE '2026-12-01', 'DISPATCHED', '{}', now(),
                        nextval('esb.employee_sync_dispatch_seq'))""", eventId, employee);
        for (String target : List.of("ERP", "OA", "CRM")) {
            jdbc.update("INSERT INTO esb.employee_sync_delivery (event_id, target) VALUES (?, ?)", eventId, target);
        }
        Map<String, Object> event = new HashMap<>();
        event.put("eventId", eventId);
        event.put("type", "HIRE");
        event.put("employeeNo", employee);
        event.put("fullName", "Hugo Hahn");
        event.put("email", "hugo@example.com");
        event.put("department", "Sales");
        event.put("jobTitle", "Account Executive");
        event.put("managerNo", "E-1");
        event.put("effectiveDate", "2026-12-01");
        assertThat(postToEsb(json.valueToTree(event)).getStatusCode().value()).isEqualTo(202);

        JsonNode done = awaitEventStatus(employee, eventId, "COMPLETED");
        targets(done).values().forEach(t -> assertThat(t.path("status").asText()).isEqualTo("DONE"));
        assertThat(erpUser(employee)).containsEntry("full_nm", "Hugo Hahn").containsEntry("active_flg", "Y");
        assertThat(oaAccounts(employee)).hasSize(1);
        assertThat(crmUsers(employee)).hasSize(1);
        assertThat(awaitSingleNotice(eventId).path("notice").path("employeeNo").asText()).isEqualTo(employee);
    }

    @Test
    void transferOutOfSalesRecalculatesErpRolesAndDeactivatesTheCrmUser() {
        String employee = newEmployeeNo();
        String hire = hrEvent("HIRE", employee, "Eva Engel", "eva@example.com", "Sales", "Account Executive",
                "2026-12-01").path("eventId").asText();
        awaitEventStatus(employee, hire, "COMPLETED");
        String usrId = (String) erpUser(employee).get("usr_id");
        assertThat(erpRoles(usrId)).containsExactly("EMPLOYEE", "SALES");

        String transfer = hrEvent("CHANGE", employee, null, null, "Finance", "Accountant", "2027-01-01")
                .path("eventId").asText();
        JsonNode event = awaitEventStatus(employee, transfer, "COMPLETED");

        assertThat(erpRoles(usrId)).containsExactly("EMPLOYEE", "FIN");
        assertThat(erpUser(employee)).containsEntry("dept_cd", "FINANCE").containsEntry("full_nm", "Eva Engel")
                .containsEntry("active_flg", "Y");
        JsonNode account = single(oaAccounts(employee));
        assertThat(account.path("department").asText()).isEqualTo("FINANCE");
        assertThat(account.path("displayName").asText()).isEqualTo("Eva Engel");
        JsonNode crmUser = single(crmUsers(employee));
        assertThat(crmUser.path("isActive").asBoolean()).isFalse();
        assertThat(targets(event).get("CRM").path("targetId").asText()).isEqualTo(crmUser.path("userId").asText());

        // and back into a customer-facing department: the same CRM user is active again
        String back = hrEvent("CHANGE", employee, null, null, "Service", "Service Lead", "2027-02-01")
                .path("eventId").asText();
        awaitEventStatus(employee, back, "COMPLETED");
        assertThat(erpRoles(usrId)).containsExactly("EMPLOYEE", "SALES");
        JsonNode reactivated = single(crmUsers(employee));
        assertThat(reactivated.path("userId").asText()).isEqualTo(crmUser.path("userId").asText());
        assertThat(reactivated.path("isActive").asBoolean()).isTrue();
        assertThat(reactivated.path("team").asText()).isEqualTo("Customer Service");
    }

    @Test
    void leaverIsDeactivatedEverywhereButNotDeleted() {
        String employee = newEmployeeNo();
        String hire = hrEvent("HIRE", employee, "Finn Fischer", "finn@example.com", "Sales", "Account Executive",
                "2026-01-01").path("eventId").asText();
        awaitEventStatus(employee, hire, "COMPLETED");

        String today = LocalDate.now().toString();
        String leave = hrEvent("LEAVE", employee, null, null, null, null, today).path("eventId").asText();
        JsonNode event = awaitEventStatus(employee, leave, "COMPLETED");

        assertLeft(employee, today);
        assertThat(targets(event)).containsOnlyKeys("ERP", "OA", "CRM");
        assertThat(single(notices(leave)).path("notice").path("eventType").asText()).isEqualTo("LEAVE");
    }

    @Test
    void aLeaveWaitsForAHireThatHasNotReachedTheCrmYetSoTheUserEndsInactiveNotMissing() {
        sandbox.setFault("crm", "down", 0, 0);
        String employee = newEmployeeNo();
        String hire = hrEvent("HIRE", employee, "Lea Lang", "lea@example.com", "Sales", "Account Executive",
                "2026-01-01").path("eventId").asText();
        String today = LocalDate.now().toString();
        String leave = hrEvent("LEAVE", employee, null, null, null, null, today).path("eventId").asText();
        // the ERP and the OA take both in order; the CRM has neither while it is down (the leave waits for the hire)
        await().atMost(FLOW_TIMEOUT).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(targets(eventOf(employee, leave)).get("ERP").path("status").asText()).isEqualTo("DONE"));

        sandbox.setFault("crm", "normal", 0, 0);

        JsonNode hireEvent = awaitEventStatus(employee, hire, "COMPLETED");
        JsonNode leaveEvent = awaitEventStatus(employee, leave, "COMPLETED");
        assertThat(targets(hireEvent).get("CRM").path("status").asText())
                .as("the hire reached the CRM before the leave, not superseded by it").isEqualTo("DONE");
        assertThat(targets(leaveEvent).get("CRM").path("status").asText()).isEqualTo("DONE");
        JsonNode crmUser = single(crmUsers(employee));
        assertThat(crmUser.path("isActive").asBoolean()).as("created by the hire, deactivated by the leave").isFalse();
        assertLeft(employee, today);
    }

    @Test
    void leaverWithAFutureEndDateIsDeactivatedOnThatDate() {
        String employee = newEmployeeNo();
        String hire = hrEvent("HIRE", employee, "Gina Gross", "gina@example.com", "Service", "Service Agent",
                "2026-01-01").path("eventId").asText();
        awaitEventStatus(employee, hire, "COMPLETED");

        String endDate = LocalDate.now().plusDays(30).toString();
        String leave = hrEvent("LEAVE", employee, null, null, null, null, endDate).path("eventId").asText();
        JsonNode scheduled = awaitEventStatus(employee, leave, "SCHEDULED");
        assertThat(scheduled.path("dueDate").asText()).isEqualTo(endDate);
        assertThat(erpUser(employee)).containsEntry("active_flg", "Y");
        assertThat(single(crmUsers(employee)).path("isActive").asBoolean()).isTrue();

        // the end date comes (the test moves it to today rather than waiting 30 days)
        jdbc.update("UPDATE esb.employee_sync_event SET due_date = current_date WHERE event_id = ?", leave);

        awaitEventStatus(employee, leave, "COMPLETED");
        assertLeft(employee, endDate);
    }

    @Test
    void invalidHrEventPostedToTheEsbIsAnswered400AndNotRecorded() {
        String employee = newEmployeeNo();
        Map<String, Object> event = new HashMap<>();
        event.put("eventId", "HR-" + UUID.randomUUID());
        event.put("type", "HIRE");
        event.put("employeeNo", employee);
        event.put("email", "not-an-address");
        ResponseEntity<JsonNode> answer = postToEsb(json.valueToTree(event));
        assertThat(answer.getStatusCode().value()).isEqualTo(400);
        assertThat(answer.getBody().path("type").asText()).isEqualTo("urn:conduit:problem:invalid-payload");
        assertThat(viewer().get().uri("/api/v1/onboarding/{id}", employee).retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(404);
    }

    // ---------------------------------------------------------------------------------------------------------

    private void assertLeft(String employee, String endDate) {
        Map<String, Object> user = erpUser(employee);
        assertThat(user).containsEntry("active_flg", "N");
        assertThat(user.get("valid_to").toString()).isEqualTo(endDate);
        assertThat(erpRoles((String) user.get("usr_id"))).isNotEmpty();
        assertThat(single(oaAccounts(employee)).path("active").asBoolean()).isFalse();
        JsonNode crmUser = single(crmUsers(employee));
        assertThat(crmUser.path("isActive").asBoolean()).isFalse();
        assertThat(crmUser.path("deactivatedAt").isNull()).isFalse();
    }

    private static String newEmployeeNo() {
        return "E-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    /** HR records an event in the sandbox OA, which publishes it on its HR event queue. */
    private JsonNode hrEvent(String type, String employeeNo, String fullName, String email, String department,
                             String jobTitle, String effectiveDate) {
        Map<String, Object> body = new HashMap<>();
        body.put("type", type);
        body.put("employeeNo", employeeNo);
        body.put("fullName", fullName);
        body.put("email", email);
        body.put("department", department);
        body.put("jobTitle", jobTitle);
        body.put("managerNo", "E-1");
        body.put("effectiveDate", effectiveDate);
        ResponseEntity<JsonNode> created = sandbox.http().post().uri("/sandbox/oa/api/hr-events")
                .contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(JsonNode.class);
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        return created.getBody();
    }

    private ResponseEntity<JsonNode> postToEsb(JsonNode event) {
        return sandbox.signedAs("hr").post().uri("/api/v1/hr/events").contentType(MediaType.APPLICATION_JSON).body(event)
                .retrieve().toEntity(JsonNode.class);
    }

    private JsonNode awaitEventStatus(String employee, String eventId, String status) {
        await().atMost(FLOW_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> status.equals(eventOf(employee, eventId).path("status").asText()));
        return eventOf(employee, eventId);
    }

    private JsonNode eventOf(String employee, String eventId) {
        ResponseEntity<JsonNode> answer = viewer().get().uri("/api/v1/onboarding/{id}", employee).retrieve()
                .toEntity(JsonNode.class);
        if (answer.getStatusCode().value() != 200) {
            return json.createObjectNode();
        }
        for (JsonNode event : answer.getBody().path("events")) {
            if (eventId.equals(event.path("eventId").asText())) {
                return event;
            }
        }
        return json.createObjectNode();
    }

    private static Map<String, JsonNode> targets(JsonNode event) {
        Map<String, JsonNode> targets = new HashMap<>();
        event.path("targets").forEach(t -> targets.put(t.path("target").asText(), t));
        return targets;
    }

    private Map<String, Object> erpUser(String employee) {
        return jdbc.queryForMap("SELECT usr_id, full_nm, email, dept_cd, active_flg, valid_from, valid_to "
                + "FROM erp.sys_user WHERE emp_no = ?", employee);
    }

    private List<String> erpRoles(String usrId) {
        return jdbc.queryForList("SELECT role_cd FROM erp.sys_user_role WHERE usr_id = ? ORDER BY role_cd",
                String.class, usrId);
    }

    private JsonNode oaAccounts(String employee) {
        return sandbox.http().get().uri("/sandbox/oa/api/accounts?employeeNo={no}", employee).retrieve()
                .body(JsonNode.class);
    }

    private JsonNode crmUsers(String employee) {
        return sandbox.http().get().uri("/sandbox/crm/api/users?employeeNumber={no}", employee).retrieve()
                .body(JsonNode.class);
    }

    private JsonNode notices(String eventId) {
        return sandbox.http().get().uri("/sandbox/oa/api/onboarding-notices?hrEventId={id}", eventId).retrieve()
                .body(JsonNode.class);
    }

    private JsonNode awaitSingleNotice(String eventId) {
        await().atMost(FLOW_TIMEOUT).until(() -> notices(eventId).size() >= 1);
        return single(notices(eventId));
    }

    private static JsonNode single(JsonNode array) {
        assertThat(array.isArray()).isTrue();
        assertThat(array.size()).as(array.toString()).isEqualTo(1);
        return array.get(0);
    }
}
