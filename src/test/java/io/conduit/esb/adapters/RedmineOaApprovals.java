package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.realsystems.RealSystems;
import io.conduit.esb.support.RouteTestContext;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;

/**
 * The Redmine OA adapter's approval ports against the real Redmine 5 that {@code ops/real-systems/start.sh} installs
 * and sets up (Approval tracker, statuses, custom fields, the role Approver and the group Approvers): its route files
 * (adapters/oa/redmine/approvals.camel.yaml and the decision poller approval-decisions.camel.yaml on the poll
 * template) in a Camel context of their own, on the ESB's database (the poller's watermark) and broker. The poller
 * polls every 200 ms and puts its decision events on a queue of the test's own.
 * <p>
 * A person decides as an approver does in Redmine, through its REST API as that user (the administrator's key with
 * {@code X-Redmine-Switch-User}; the user is created and made a member of the group Approvers first): the issue moved
 * to Approved, Approved with changes (with "Decision quantity") or Rejected, the comment as the edit's note. What the
 * sandbox OA answers at once, Redmine shows this way: 409 when Redmine's workflow ignored the status (the issue is no
 * longer open: no journal moved it); 422 when the adapter's poller refused the decision (set the issue back to open
 * with a note marked {@code [conduit:refused:<journal>]}); 2xx when the poller has passed the decision without refusing it.
 */
final class RedmineOaApprovals implements OaApprovalsUnderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RedmineOaApprovals.class);
    static final String POLLER_ID = "oa-redmine.approval-decisions";

    private final Properties real;
    private final Map<String, String> settings;
    private final JdbcTemplate esb;
    private final DefaultCamelContext camel;
    private final String queue = "TEST.OA.APPROVAL.DECISIONS." + UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newHttpClient();
    private final Set<String> approvers = new HashSet<>();
    private final ConnectionFactory broker;

    private RedmineOaApprovals(Properties real, Map<String, String> settings, DataSource esbDatabase,
                               ConnectionFactory broker) throws Exception {
        this.real = real;
        this.settings = settings;
        this.esb = new JdbcTemplate(esbDatabase);
        this.broker = broker;
        Map<String, String> properties = new HashMap<>(settings);
        properties.put("esb.queues.oa-approval-decisions", queue);
        properties.put("esb.systems.oa.approval-decisions.poll-period", "200");
        properties.put("esb.systems.oa.approval-decisions.initial-delay", "0");
        properties.put("esb.systems.oa.approval-decisions.page-size", "50");
        properties.put("esb.systems.oa.approval-decisions.max-pages", "20");
        properties.put("esb.systems.oa.approval-decisions.overlap-seconds", "1");
        properties.put("esb.systems.oa.approval-decisions.first-poll-lookback-minutes", "1");
        // a poller without a watermark starts a minute back: earlier runs' decisions are not this run's business
        esb.update("DELETE FROM esb.poll_watermark WHERE poller_id = ?", POLLER_ID);
        this.camel = RouteTestContext.create(properties, "poll-template.camel.yaml",
                "adapters/oa/redmine/approvals.camel.yaml", "adapters/oa/redmine/approval-decisions.camel.yaml");
        camel.getRegistry().bind("dataSource", esbDatabase);
        camel.addComponent("jms", JmsComponent.jmsComponent(broker));
        camel.start();
    }

    /** The adapter against the real Redmine; empty when Redmine is not there (a failure when it is required). */
    static Optional<RedmineOaApprovals> startIfAvailable(DataSource esbDatabase, ConnectionFactory broker) throws Exception {
        if (!RealSystems.available()) {
            return Optional.empty();
        }
        Properties real = RealSystems.load();
        if (real.getProperty("redmine.url") == null) {
            if ("required".equals(System.getenv("CONDUIT_REAL_SYSTEMS"))) {
                throw new IllegalStateException("CONDUIT_REAL_SYSTEMS=required but " + RedmineOa.whyNotAvailable());
            }
            return Optional.empty();
        }
        if (real.getProperty("redmine.custom-field.decision-quantity-id") == null) {
            idsByName(real);
        }
        return Optional.of(new RedmineOaApprovals(real, RealSystems.redmineSettings(real), esbDatabase, broker));
    }

    /**
     * The approval ids the set-up prints, looked up in Redmine by the names it gives them, for a properties file
     * written by an older start.sh (which leaves them out); none there: start.sh has not set approvals up.
     */
    private static void idsByName(Properties real) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        java.util.function.Function<String, JsonNode> get = path -> {
            try {
                return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(real.getProperty("redmine.url") + path))
                        .header("X-Redmine-API-Key", real.getProperty("redmine.api-key")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            } catch (Exception e) {
                throw new IllegalStateException("GET " + path, e);
            }
        };
        Map<String, String> byName = new HashMap<>();
        get.apply("/trackers.json").path("trackers").forEach(t -> byName.put("tracker:" + t.path("name").asText(), t.path("id").asText()));
        get.apply("/issue_statuses.json").path("issue_statuses").forEach(t -> byName.put("status:" + t.path("name").asText(), t.path("id").asText()));
        get.apply("/custom_fields.json").path("custom_fields").forEach(t -> byName.put("field:" + t.path("name").asText(), t.path("id").asText()));
        get.apply("/groups.json").path("groups").forEach(t -> byName.put("group:" + t.path("name").asText(), t.path("id").asText()));
        Map<String, String> wanted = new java.util.LinkedHashMap<>();
        wanted.put("redmine.tracker.approval-id", "tracker:Approval");
        wanted.put("redmine.status.new-id", "status:New");
        wanted.put("redmine.status.approved-id", "status:Approved");
        wanted.put("redmine.status.approved-with-changes-id", "status:Approved with changes");
        wanted.put("redmine.status.rejected-id", "status:Rejected");
        wanted.put("redmine.status.withdrawn-id", "status:Withdrawn");
        for (String[] f : new String[][] {{"approval-key", "Approval key"}, {"request-version", "Request version"},
                {"approval-step", "Approval step"}, {"escalation-level", "Escalation level"}, {"fingerprint", "Fingerprint"},
                {"approver-group", "Approver group"}, {"requested-quantity", "Requested quantity"},
                {"decision-quantity", "Decision quantity"}}) {
            wanted.put("redmine.custom-field." + f[0] + "-id", "field:" + f[1]);
        }
        wanted.put("redmine.group.approvers-id", "group:Approvers");
        for (Map.Entry<String, String> w : wanted.entrySet()) {
            String id = byName.get(w.getValue());
            if (id == null) {
                throw new IllegalStateException("The real Redmine has no " + w.getValue() + " (" + RealSystems.propertiesFile()
                        + " has no approval ids either): run ops/real-systems/start.sh again, its set-up creates them");
            }
            real.setProperty(w.getKey(), id);
        }
        real.setProperty("redmine.approvals.project.identifier", "approvals");
    }

    @Override
    public String name() {
        return "redmine";
    }

    @Override
    public CamelContext camel() {
        return camel;
    }

    @Override
    public String approverGroup() {
        return "HEAD-CONTRACT-TEST";
    }

    @Override
    public String approvalDecisionQueue() {
        return queue;
    }

    private String setting(String key) {
        return settings.get("esb.systems.oa." + key);
    }

    /** Every Approval issue whose External reference is the reference, as Redmine shows it. */
    @Override
    public List<ShownApproval> approvals(String externalRef) throws Exception {
        JsonNode issues = send("GET", "/issues.json?status_id=*&sort=id&limit=100&tracker_id=" + setting("approvals.tracker-id")
                + "&cf_" + setting("custom-fields.external-reference") + "=" + URLEncoder.encode(externalRef, StandardCharsets.UTF_8),
                null, null).path("issues");
        List<ShownApproval> shown = new ArrayList<>();
        for (JsonNode issue : issues) {
            ObjectNode data = JSON.createObjectNode();
            String requested = field(issue, "approvals.custom-fields.requested-quantity");
            if (requested != null && !requested.isBlank()) {
                data.put("quantity", new BigDecimal(requested));
            }
            shown.add(new ShownApproval(issue.path("id").asText(), field(issue, "custom-fields.external-reference"),
                    Integer.parseInt(field(issue, "approvals.custom-fields.request-version")),
                    Integer.parseInt(field(issue, "approvals.custom-fields.step")),
                    Integer.parseInt(field(issue, "approvals.custom-fields.escalation-level")),
                    field(issue, "approvals.custom-fields.approver-group"), status(issue.path("status").path("id").asText()),
                    issue.path("subject").asText() + "\n" + issue.path("description").asText(), data));
        }
        return shown;
    }

    private String field(JsonNode issue, String setting) {
        for (JsonNode f : issue.path("custom_fields")) {
            if (f.path("id").asText().equals(setting(setting))) {
                return f.path("value").asText(null);
            }
        }
        return null;
    }

    /** The task status a Redmine status stands for (as the adapter answers it). */
    private String status(String statusId) {
        for (Map.Entry<String, String> s : Map.of("open", "OPEN", "approved", "APPROVED", "approved-with-changes", "CHANGED",
                "rejected", "REJECTED", "withdrawn", "CANCELLED").entrySet()) {
            if (statusId.equals(setting("approvals.statuses." + s.getKey()))) {
                return s.getValue();
            }
        }
        return "status " + statusId;
    }

    @Override
    public int reminders(String taskId) throws Exception {
        int count = 0;
        for (JsonNode journal : journals(taskId)) {
            if (journal.path("notes").asText().contains("[conduit:reminder:")) {
                count++;
            }
        }
        return count;
    }

    private JsonNode journals(String taskId) throws Exception {
        return send("GET", "/issues/" + taskId + ".json?include=journals", null, null).path("issue").path("journals");
    }

    @Override
    public int decide(String taskId, String decision, BigDecimal quantity, String comment, String decidedBy) throws Exception {
        approver(decidedBy);
        String status = switch (decision) {
            case "APPROVED" -> setting("approvals.statuses.approved");
            case "CHANGED" -> setting("approvals.statuses.approved-with-changes");
            case "REJECTED" -> setting("approvals.statuses.rejected");
            default -> throw new IllegalArgumentException(decision);
        };
        long before = lastJournalId(taskId);
        ObjectNode issue = JSON.createObjectNode().put("status_id", Integer.parseInt(status));
        if (comment != null) {
            issue.put("notes", comment);
        }
        if (quantity != null) {
            issue.putArray("custom_fields").addObject()
                    .put("id", Integer.parseInt(setting("approvals.custom-fields.decision-quantity")))
                    .put("value", quantity.toPlainString());
        }
        Object pollBefore = polledAt();
        long changing = System.currentTimeMillis();
        HttpResponse<String> answer = request("PUT", "/issues/" + taskId + ".json",
                JSON.writeValueAsString(JSON.createObjectNode().set("issue", issue)), decidedBy);
        if (answer.statusCode() >= 300) {
            return answer.statusCode();
        }
        // did the edit move the issue to the decision's status? Redmine's workflow ignores a status the issue
        // cannot take (it is not open): no journal of this edit shows the move
        JsonNode moved = null;
        for (JsonNode journal : journals(taskId)) {
            if (journal.path("id").asLong() > before) {
                for (JsonNode detail : journal.path("details")) {
                    if ("status_id".equals(detail.path("name").asText()) && status.equals(detail.path("new_value").asText())) {
                        moved = journal;
                    }
                }
            }
        }
        long changed = System.currentTimeMillis();
        if (moved == null) {
            return 409;
        }
        // the poller's verdict: two saves of its watermark after the edit, so one whole poll started after it
        awaitPolls(pollBefore, 2);
        String refusal = "[conduit:refused:" + moved.path("id").asText() + "]";
        for (JsonNode journal : journals(taskId)) {
            if (journal.path("notes").asText().contains(refusal)) {
                return 422;
            }
        }
        logDelay(taskId, moved.path("id").asText(), changing, changed);
        return 204;
    }

    /** How long after the status change (the PUT's start and end) the decision event was on the queue. */
    private void logDelay(String taskId, String journalId, long changing, long changed) {
        String eventId = "redmine-approval-" + taskId + "-" + journalId;
        Long sent = new org.springframework.jms.core.JmsTemplate(broker).browseSelected(queue,
                "JMSCorrelationID = '" + eventId + "'", (session, browser) -> {
                    java.util.Enumeration<?> messages = browser.getEnumeration();
                    return messages.hasMoreElements() ? ((jakarta.jms.Message) messages.nextElement()).getJMSTimestamp() : null;
                });
        if (sent != null) {
            LOG.info("Redmine decision {} on the queue {} ms after the status change ({} ms after its PUT returned; poll period 200 ms)",
                    eventId, sent - changing, sent - changed);
        }
    }

    private long lastJournalId(String taskId) throws Exception {
        long last = 0;
        for (JsonNode journal : journals(taskId)) {
            last = Math.max(last, journal.path("id").asLong());
        }
        return last;
    }

    private Object polledAt() {
        List<Object> row = esb.queryForList("SELECT polled_at FROM esb.poll_watermark WHERE poller_id = ?", Object.class, POLLER_ID);
        return row.isEmpty() ? null : row.get(0);
    }

    private void awaitPolls(Object from, int polls) {
        Object last = from;
        for (int i = 0; i < polls; i++) {
            Object seen = last;
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> polledAt() != null && !polledAt().equals(seen));
            last = polledAt();
        }
    }

    /** The person as a Redmine user (login = the name given) in the group Approvers: created once. */
    private void approver(String login) throws Exception {
        if (approvers.contains(login)) {
            return;
        }
        String id = null;
        for (JsonNode u : send("GET", "/users.json?status=&limit=100&name=" + URLEncoder.encode(login, StandardCharsets.UTF_8),
                null, null).path("users")) {
            if (u.path("login").asText().equals(login)) {
                id = u.path("id").asText();
            }
        }
        if (id == null) {
            ObjectNode user = JSON.createObjectNode();
            user.putObject("user").put("login", login).put("firstname", "Contract").put("lastname", login)
                    .put("mail", login + "@conduit.test").put("generate_password", true).put("send_information", false);
            id = send("POST", "/users.json", JSON.writeValueAsString(user), null).path("user").path("id").asText();
        }
        String group = real.getProperty("redmine.group.approvers-id");
        JsonNode members = send("GET", "/groups/" + group + ".json?include=users", null, null).path("group").path("users");
        boolean member = false;
        for (JsonNode m : members) {
            member |= m.path("id").asText().equals(id);
        }
        if (!member) {
            send("POST", "/groups/" + group + "/users.json", "{\"user_id\": " + id + "}", null);
        }
        approvers.add(login);
    }

    private JsonNode send(String method, String path, String body, String asUser) throws Exception {
        HttpResponse<String> answer = request(method, path, body, asUser);
        if (answer.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + ": " + answer.statusCode() + " " + answer.body());
        }
        return answer.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(answer.body());
    }

    private HttpResponse<String> request(String method, String path, String body, String asUser) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(real.getProperty("redmine.url") + path))
                .header("X-Redmine-API-Key", real.getProperty("redmine.api-key")).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (asUser != null) {
            request.header("X-Redmine-Switch-User", asUser);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The ports in a twin context whose Redmine is a closed port (no poller). */
    @Override
    public <T> T whileApprovalsDown(Supplier<T> action) throws Exception {
        Map<String, String> unreachable = new HashMap<>(settings);
        unreachable.put("esb.systems.oa.base-url", "http://127.0.0.1:9");
        DefaultCamelContext down = RouteTestContext.create(unreachable, "adapters/oa/redmine/approvals.camel.yaml");
        down.start();
        try {
            return Unreachable.with(down, action);
        } finally {
            down.stop();
        }
    }

    @Override
    public void close() {
        try {
            camel.stop();
        } catch (RuntimeException ignored) {
            // stopping a test context
        }
    }
}
