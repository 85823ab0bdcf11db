package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.realsystems.RealSystems;
import io.conduit.esb.support.RouteTestContext;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The Redmine OA adapter against the real Redmine 5 that {@code ops/real-systems/start.sh} installs and starts: its
 * route file (adapters/oa/redmine/) in a Camel context of its own, configured from the properties file the script
 * writes ({@code $CONDUIT_REAL_DIR/real-systems.properties}): URL, API key, one project per department, tracker,
 * priorities and custom fields. Not there: skipped with the reason, unless {@code CONDUIT_REAL_SYSTEMS=required}.
 * What the OA shows is read back over Redmine's REST API with the same key.
 */
final class RedmineOa implements OaTaskEventsUnderTest, OaAccountsUnderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARKER = "[conduit:escalation:";

    private final Map<String, String> settings;
    private final Properties real;
    private final DefaultCamelContext camel;
    private final HttpClient http = HttpClient.newHttpClient();

    private RedmineOa(Map<String, String> settings, Properties real) throws Exception {
        this.settings = settings;
        this.real = real;
        this.camel = RouteTestContext.create(settings, "adapters/oa/redmine/tasks.camel.yaml",
                "adapters/oa/redmine/accounts.camel.yaml");
        camel.start();
    }

    static String whyNotAvailable() {
        return "no real Redmine: " + TrytonErp.propertiesFile() + " is missing or names no Redmine (start it with ops/real-systems/start.sh)";
    }

    static Optional<OaUnderTest> startIfAvailable() throws Exception {
        return startRedmineIfAvailable().map(OaUnderTest.class::cast);
    }

    /** The adapter against the real Redmine, as both kinds of adapter under test; empty when Redmine is not there. */
    static Optional<RedmineOa> startRedmineIfAvailable() throws Exception {
        Properties real = new Properties();
        if (Files.isRegularFile(TrytonErp.propertiesFile())) {
            try (InputStream in = Files.newInputStream(TrytonErp.propertiesFile())) {
                real.load(in);
            }
        }
        if (real.getProperty("redmine.url") == null) {
            if ("required".equals(System.getenv("CONDUIT_REAL_SYSTEMS"))) {
                throw new IllegalStateException("CONDUIT_REAL_SYSTEMS=required but " + whyNotAvailable());
            }
            return Optional.empty();
        }
        Map<String, String> settings = new HashMap<>(RealSystems.redmineSettings(real));
        return Optional.of(new RedmineOa(settings, real));
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
    public String department() {
        return "LOGISTICS";
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(real.getProperty("redmine.url") + path))
                .header("X-Redmine-API-Key", real.getProperty("redmine.api-key")).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + answer.statusCode() + " " + answer.body());
        }
        return JSON.readTree(answer.body());
    }

    /** Every issue, in every project, whose External reference is the reference. */
    private JsonNode issues(String externalRef) throws Exception {
        return get("/issues.json?status_id=*&cf_" + real.getProperty("redmine.custom-field.external-reference-id") + "="
                + URLEncoder.encode(externalRef, StandardCharsets.UTF_8) + "&limit=100").path("issues");
    }

    private String departmentOf(int projectId) {
        for (String department : real.getProperty("redmine.departments", "").split(",")) {
            if (String.valueOf(projectId).equals(real.getProperty("redmine.project." + department.trim() + ".id"))) {
                return department.trim();
            }
        }
        return "project " + projectId;
    }

    private static String field(JsonNode issue, String id) {
        for (JsonNode f : issue.path("custom_fields")) {
            if (f.path("id").asText().equals(id)) {
                return f.path("value").asText(null);
            }
        }
        return null;
    }

    @Override
    public List<Shown> tasks(String externalRef, int expected) throws Exception {
        List<Shown> shown = new ArrayList<>();
        for (JsonNode issue : issues(externalRef)) {
            shown.add(new Shown(issue.path("id").asText(), departmentOf(issue.path("project").path("id").asInt()),
                    issue.path("priority").path("name").asText(),
                    field(issue, real.getProperty("redmine.custom-field.sla-due-at-id")),
                    field(issue, real.getProperty("redmine.custom-field.external-reference-id")),
                    issue.path("subject").asText() + "\n" + issue.path("description").asText()
                            + "\ndue_date=" + issue.path("due_date").asText()));
        }
        return shown;
    }

    /** The notes on the reference's issues that escalate it, each with the issue's priority now. */
    @Override
    public List<Shown> escalations(String externalRef, int expected) throws Exception {
        List<Shown> shown = new ArrayList<>();
        for (Shown task : tasks(externalRef, 1)) {
            JsonNode issue = get("/issues/" + task.taskId() + ".json?include=journals").path("issue");
            for (JsonNode journal : issue.path("journals")) {
                if (journal.path("notes").asText().contains(MARKER)) {
                    shown.add(new Shown(task.taskId(), task.department(), issue.path("priority").path("name").asText(),
                            task.dueAt(), task.externalRef(), journal.path("notes").asText()));
                }
            }
        }
        return shown;
    }

    @Override
    public String priorityShownFor(int p) {
        return p <= 2 ? "Low" : p <= 4 ? "Normal" : p <= 6 ? "High" : p <= 8 ? "Urgent" : "Immediate";
    }

    @Override
    public <T> T whileDown(Supplier<T> action) throws Exception {
        Map<String, String> unreachable = new HashMap<>(settings);
        unreachable.put("esb.systems.oa.base-url", "http://127.0.0.1:9");
        RedmineOa down = new RedmineOa(unreachable, real);
        try {
            return Unreachable.with(down.camel, action);
        } finally {
            down.close();
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

    // --- port oa.upsert-account

    /** Redmine's users whose login is the employee number (any case), locked ones too, each read for its status. */
    @Override
    public List<OaAccount> accounts(String employeeId) throws Exception {
        List<OaAccount> accounts = new ArrayList<>();
        for (JsonNode u : get("/users.json?status=&limit=100&name=" + URLEncoder.encode(employeeId, StandardCharsets.UTF_8)).path("users")) {
            if (u.path("login").asText().equalsIgnoreCase(employeeId)) {
                JsonNode user = get("/users/" + u.path("id").asText() + ".json").path("user");
                accounts.add(new OaAccount(user.path("id").asText(), user.path("login").asText(),
                        (user.path("firstname").asText() + " " + user.path("lastname").asText()).trim(),
                        user.path("mail").asText(null), user.path("status").asInt() == 1));
            }
        }
        return accounts;
    }

    @Override
    public String refusalOfANamelessHire() {
        return "First name cannot be blank";
    }

    @Override
    public <T> T whileAccountsDown(Supplier<T> action) throws Exception {
        return whileDown(action);
    }

    // --- inbound port oa.task-events (OaTaskEventsContractIT): the adapter's poller (adapters/oa/redmine/
    // task-events.camel.yaml on the poll template) in a context of its own, on the ESB's database (its watermark) and
    // broker; its events go to a queue of the test's own, so the running ESB does not take them

    private final String taskEventQueue = "TEST.OA.TASK.EVENTS." + java.util.UUID.randomUUID().toString().substring(0, 8);
    private DefaultCamelContext poller;

    @Override
    public String taskEventQueue() {
        return taskEventQueue;
    }

    @Override
    public void startTaskEvents(javax.sql.DataSource esbDatabase, jakarta.jms.ConnectionFactory broker) throws Exception {
        startTaskEvents(esbDatabase, broker, taskEventQueue);
    }

    /** The poller, its events onto the given queue (the complaint routing's own, for an end-to-end test). */
    void startTaskEvents(javax.sql.DataSource esbDatabase, jakarta.jms.ConnectionFactory broker, String queue) throws Exception {
        Map<String, String> properties = new HashMap<>(settings);
        properties.put("esb.queues.oa-task-events", queue);
        properties.put("esb.systems.oa.task-events.poll-period", "100");
        properties.put("esb.systems.oa.task-events.initial-delay", "0");
        properties.put("esb.systems.oa.task-events.page-size", "100");
        properties.put("esb.systems.oa.task-events.max-pages", "20");
        properties.put("esb.systems.oa.task-events.overlap-seconds", "1");
        properties.put("esb.systems.oa.task-events.first-poll-lookback-minutes", "1");
        properties.put("esb.systems.oa.task-events.statuses", String.join(",",
                status("new") + "=OPEN", status("in-progress") + "=IN_PROGRESS", status("resolved") + "=DONE",
                status("feedback") + "=IN_PROGRESS", status("closed") + "=DONE", status("rejected") + "=REJECTED"));
        poller = RouteTestContext.create(properties, "poll-template.camel.yaml", "adapters/oa/redmine/tasks.camel.yaml",
                "adapters/oa/redmine/task-events.camel.yaml");
        poller.getRegistry().bind("dataSource", esbDatabase);
        poller.addComponent("jms", org.apache.camel.component.jms.JmsComponent.jmsComponent(broker));
        poller.start();
    }

    @Override
    public void stopTaskEvents() {
        if (poller != null) {
            poller.stop();
            poller = null;
        }
    }

    @Override
    public boolean polls() {
        return true;
    }

    private String status(String name) {
        return real.getProperty("redmine.status." + name + "-id");
    }

    /** As a person's client does it: PUT /issues/<id>.json with the new status, with the same API key. */
    @Override
    public void changeStatus(String taskId, String status) throws Exception {
        String id = switch (status) {
            case "IN_PROGRESS" -> status("in-progress");
            case "DONE" -> status("resolved");
            case "REJECTED" -> status("rejected");
            default -> throw new IllegalArgumentException(status);
        };
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(real.getProperty("redmine.url") + "/issues/" + taskId + ".json"))
                .header("X-Redmine-API-Key", real.getProperty("redmine.api-key")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"issue\": {\"status_id\": " + id + "}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() >= 300) {
            throw new IllegalStateException("PUT /issues/" + taskId + ".json: " + answer.statusCode() + " " + answer.body());
        }
    }

    @Override
    public Optional<String> changedAt(String taskId) throws Exception {
        return Optional.of(get("/issues/" + taskId + ".json").path("issue").path("updated_on").asText());
    }
}
