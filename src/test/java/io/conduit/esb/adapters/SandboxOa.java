package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.support.RouteTestContext;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;

/**
 * The sandbox OA adapter, as the running ESB has it loaded (the embedded default): tasks go to the department's JMS
 * queue, and the sandbox OA (its task API) shows what it took from there. The OA takes its messages when it can, so
 * what it shows is awaited. "Cannot be reached" is the broker: a task cannot be put on the queue. Approval tasks go
 * to its REST API (/approvals), and a decision made there is published by the sandbox OA itself.
 */
final class SandboxOa implements OaTaskEventsUnderTest, OaAccountsUnderTest, OaApprovalsUnderTest, OaTripsUnderTest {

    private final CamelContext camel;
    private final JdbcTemplate jdbc;
    private final RestClient oa;

    SandboxOa(CamelContext camel, JdbcTemplate jdbc) {
        this.camel = camel;
        this.jdbc = jdbc;
        this.oa = RestClient.create(camel.resolvePropertyPlaceholders("http://localhost:{{server.port}}/sandbox/oa/api"));
    }

    @Override
    public String name() {
        return "sandbox";
    }

    @Override
    public CamelContext camel() {
        return camel;
    }

    @Override
    public String department() {
        return "LOGISTICS";
    }

    @Override
    public List<Shown> tasks(String externalRef, int expected) {
        return shown(externalRef, false, expected);
    }

    @Override
    public List<Shown> escalations(String externalRef, int expected) {
        return shown(externalRef, true, expected);
    }

    /** The sandbox OA's tasks for the reference on department queues (or manager queues), once it shows as many as expected. */
    private List<Shown> shown(String externalRef, boolean managers, int expected) {
        List<Shown> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            found.clear();
            JsonNode list = oa.get().uri(u -> u.path("/tasks").queryParam("externalRef", externalRef).build())
                    .retrieve().body(JsonNode.class);
            list.forEach(t -> {
                String queue = t.path("queue").asText();
                if (queue.endsWith(".MANAGER") == managers) {
                    String department = queue.replaceFirst("^OA\\.TASKS\\.", "").replaceFirst("\\.MANAGER$", "");
                    JsonNode body = t.path("body");
                    found.add(new Shown(t.path("taskId").asText(), department, t.path("priority").asText(),
                            body.path("slaDueAt").asText(null), t.path("externalRef").asText(null),
                            t.path("title").asText() + "\n" + body.path("message").asText(body.path("description").asText())));
                }
            });
            return found.size() >= expected;
        });
        return List.copyOf(found);
    }

    @Override
    public String priorityShownFor(int canonicalPriority) {
        return String.valueOf(canonicalPriority);
    }

    @Override
    public <T> T whileDown(Supplier<T> action) throws Exception {
        Map<String, String> settings = Map.of(
                "esb.systems.oa.task-queue", "OA.TASKS.{department}",
                "esb.systems.oa.escalation-queue", "OA.TASKS.{department}.MANAGER",
                "esb.systems.oa.task-queues", camel.resolvePropertyPlaceholders("{{esb.systems.oa.task-queues}}"));
        DefaultCamelContext down = RouteTestContext.create(settings, "adapters/oa/sandbox/tasks.camel.yaml");
        down.getRegistry().bind("dataSource", jdbc.getDataSource());
        down.addComponent("jms", JmsComponent.jmsComponent(
                new ActiveMQConnectionFactory("tcp://127.0.0.1:9?initialConnectAttempts=1&reconnectAttempts=0")));
        down.start();
        try {
            return Unreachable.with(down, action);
        } finally {
            down.stop();
        }
    }

    // --- inbound port oa.task-events (OaTaskEventsContractIT): the sandbox OA pushes its events onto the queue itself

    @Override
    public String taskEventQueue() {
        return camel.resolvePropertyPlaceholders("{{esb.queues.oa-task-events}}");
    }

    /** Nothing to start: the sandbox OA pushes. The complaint routing's consumer of the queue waits meanwhile. */
    @Override
    public void startTaskEvents(javax.sql.DataSource esbDatabase, jakarta.jms.ConnectionFactory broker) throws Exception {
        camel.getRouteController().stopRoute("complaint-routing.oa-task-events");
    }

    @Override
    public void stopTaskEvents() throws Exception {
        camel.getRouteController().startRoute("complaint-routing.oa-task-events");
    }

    @Override
    public boolean polls() {
        return false;
    }

    @Override
    public void changeStatus(String taskId, String status) {
        oa.patch().uri("/tasks/{id}", taskId).body(Map.of("status", status)).retrieve().toBodilessEntity();
    }

    @Override
    public java.util.Optional<String> changedAt(String taskId) {
        return java.util.Optional.empty();
    }

    @Override
    public void close() {
    }

    // --- port oa.upsert-account

    @Override
    public List<OaAccount> accounts(String employeeId) {
        JsonNode list = oa.get().uri(u -> u.path("/accounts").queryParam("employeeNo", employeeId).build())
                .retrieve().body(JsonNode.class);
        List<OaAccount> accounts = new ArrayList<>();
        list.forEach(a -> accounts.add(new OaAccount(a.path("accountId").asText(), a.path("login").asText(null),
                a.path("displayName").asText(null), a.path("email").asText(null), a.path("active").asBoolean())));
        return accounts;
    }

    @Override
    public String refusalOfANamelessHire() {
        return "displayName";
    }

    /** The sandbox OA's API answers 503 (its fault mode "down"). */
    @Override
    public <T> T whileAccountsDown(Supplier<T> action) {
        RestClient admin = RestClient.create(camel.resolvePropertyPlaceholders("http://localhost:{{server.port}}"));
        admin.put().uri("/sandbox/oa/admin/faults").body(Map.of("mode", "down")).retrieve().toBodilessEntity();
        try {
            return action.get();
        } finally {
            admin.put().uri("/sandbox/oa/admin/faults").body(Map.of("mode", "normal")).retrieve().toBodilessEntity();
        }
    }

    // --- ports oa.create-approval-task, oa.remind-approval-task, oa.cancel-approval-task

    @Override
    public String approverGroup() {
        return "HEAD-CONTRACT-TEST";
    }

    @Override
    public List<ShownApproval> approvals(String externalRef) {
        JsonNode list = oa.get().uri(u -> u.path("/approvals").queryParam("reference", externalRef).build())
                .retrieve().body(JsonNode.class);
        List<ShownApproval> shown = new ArrayList<>();
        list.forEach(a -> shown.add(new ShownApproval(a.path("approvalId").asText(), a.path("reference").asText(),
                a.path("version").asInt(), a.path("step").asInt(), a.path("level").asInt(),
                a.path("approverGroup").asText(), a.path("status").asText(),
                a.path("title").asText() + "\n" + a.path("text").asText(), a.path("data"))));
        return shown;
    }

    @Override
    public int reminders(String taskId) {
        JsonNode notes = oa.get().uri("/approvals/{id}/notes", taskId).retrieve().body(JsonNode.class);
        int count = 0;
        for (JsonNode note : notes) {
            if ("REMINDER".equals(note.path("kind").asText())) {
                count++;
            }
        }
        return count;
    }

    /** As the approver's client does: POST /approvals/{id}/decision. */
    @Override
    public int decide(String taskId, String decision, java.math.BigDecimal quantity, String comment, String decidedBy) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("decision", decision);
        body.put("quantity", quantity);
        body.put("comment", comment);
        body.put("decidedBy", decidedBy);
        return oa.post().uri("/approvals/{id}/decision", taskId).body(body)
                .exchange((request, response) -> response.getStatusCode().value());
    }

    @Override
    public String approvalDecisionQueue() {
        return camel.resolvePropertyPlaceholders("{{esb.sandbox.oa.approval-decision-queue:OA.APPROVAL.DECISIONS}}");
    }

    /** The sandbox OA's API answers 503 (its fault mode "down"). */
    @Override
    public <T> T whileApprovalsDown(Supplier<T> action) {
        return whileAccountsDown(action);
    }

    // --- ports oa.trip-requests-since, oa.apply-trip-decision, oa.record-absence, oa.remove-absence
    // (OaTripPortContractIT): the OA's users act through its REST API, as the README's "try it" does

    @Override
    public JsonNode tripRequestsSince(String watermark) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String request = json.writeValueAsString(java.util.Collections.singletonMap("watermark", watermark));
        return json.readTree(camel.createProducerTemplate().requestBody("direct:oa.trip-requests-since", request, String.class));
    }

    @Override
    public JsonNode applyTripDecision(String decision) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(camel.createProducerTemplate()
                .requestBody("direct:oa.apply-trip-decision", decision, String.class));
    }

    @Override
    public JsonNode recordAbsence(String approvedRequest) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(camel.createProducerTemplate()
                .requestBody("direct:oa.record-absence", approvedRequest, String.class));
    }

    @Override
    public JsonNode removeAbsence(String tripId, String reason) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Map<String, Object> call = new java.util.LinkedHashMap<>();
        call.put("tripId", tripId);
        call.put("reason", reason);
        return json.readTree(camel.createProducerTemplate()
                .requestBody("direct:oa.remove-absence", json.writeValueAsString(call), String.class));
    }

    @Override
    public String submitTrip(Map<String, Object> trip) {
        return oa.post().uri("/trips").body(trip).retrieve().body(JsonNode.class).path("trip_id").asText();
    }

    @Override
    public void changeTrip(String tripId, Map<String, Object> change) {
        oa.patch().uri("/trips/{id}", tripId).body(change).retrieve().toBodilessEntity();
    }

    @Override
    public void cancelTrip(String tripId, String reason) {
        oa.post().uri("/trips/{id}/cancel", tripId).body(Map.of("reason", reason)).retrieve().toBodilessEntity();
    }

    @Override
    public Trip trip(String tripId) {
        JsonNode row = oa.get().uri("/trips/{id}", tripId).retrieve().body(JsonNode.class);
        return new Trip(row.path("revision").asInt(), row.path("status").asText(), row.path("decision_id").asText(null),
                row.path("decided_by").asText(null), row.path("decision_comment").asText(null));
    }

    @Override
    public List<Absence> absences(String tripId) {
        List<Absence> found = new ArrayList<>();
        oa.get().uri("/attendance/absences").retrieve().body(JsonNode.class).forEach(a -> {
            if (tripId.equals(a.path("trip_ref").asText())) {
                found.add(new Absence(a.path("employee_no").asText(null), a.path("from_date").asText(null),
                        a.path("to_date").asText(null), a.path("status").asText(), a.path("decision_id").asText(null)));
            }
        });
        return found;
    }

    @Override
    public <T> T whileTripsDown(Supplier<T> action) {
        return whileAccountsDown(action);
    }
}
