package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.realsystems.RealSystems;
import io.conduit.esb.support.RouteTestContext;
import org.apache.camel.impl.DefaultCamelContext;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Redmine OA adapter's business trip ports against the real Redmine 5 that {@code ops/real-systems/start.sh}
 * installs and sets up (trackers Business trip and Absence, status Cancelled, the trip's custom fields, projects trips
 * and attendance): its route file (adapters/oa/redmine/trips.camel.yaml) in a Camel context of its own. Not there:
 * skipped with the reason, unless {@code CONDUIT_REAL_SYSTEMS=required}.
 * <p>
 * The employee acts as a Redmine user would, through the REST API (with the administrator's key): submits a trip as
 * an issue of the tracker Business trip in the project trips, changes its fields while it waits, sets it Cancelled.
 * What the OA shows is read back the same way: the trip's status; its revision counted from its history (the journals
 * that changed what is asked: a trip field, the start or due date); the decision from the note the adapter wrote
 * ({@code [conduit:trip-decision:<id>]}, "Decided by:", "Comment:"); the absences as the issues of the tracker Absence
 * whose field Trip is the trip.
 */
final class RedmineOaTrips implements OaTripsUnderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MARKER = Pattern.compile("\\[conduit:trip-decision:([^\\]]+)\\]");
    private static final Pattern DECIDED_BY = Pattern.compile("(?m)^Decided by: (.*)$");
    private static final Pattern COMMENT = Pattern.compile("(?s)\\nComment: (.*)\\n\\[conduit:trip-decision:");

    private final Properties real;
    private final Map<String, String> settings;
    private final DefaultCamelContext camel;
    private final HttpClient http = HttpClient.newHttpClient();

    private RedmineOaTrips(Properties real, Map<String, String> settings) throws Exception {
        this.real = real;
        this.settings = settings;
        this.camel = RouteTestContext.create(settings, "adapters/oa/redmine/trips.camel.yaml");
        camel.start();
    }

    /** The adapter against the real Redmine; empty when there is none (an exception when it is required). */
    static Optional<RedmineOaTrips> startIfAvailable() throws Exception {
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
        if (real.getProperty("redmine.custom-field.absence-decision-id-id") == null) {
            idsByName(real);
        }
        Map<String, String> settings = new HashMap<>(RealSystems.redmineSettings(real));
        // the capture's page and overlap, as adapter.yaml has them
        settings.put("esb.systems.oa.trips.page-size", "25");
        settings.put("esb.systems.oa.trips.overlap-seconds", "1");
        // the capture from "the beginning" (a null watermark) starts where this class starts, as a deployment joining
        // a Redmine with a history would: the long-lived test Redmine keeps every earlier run's trips, and a first
        // page read them all, one issue call each (16-20 s a case)
        settings.put("esb.systems.oa.trips.start-at", java.time.Instant.now().minusSeconds(60).toString());
        return Optional.of(new RedmineOaTrips(real, settings));
    }

    /**
     * The trip ids the set-up prints, looked up in Redmine by the names it gives them, for a properties file written by
     * an older set-up (which leaves them out); none there: start.sh has not set trips up.
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
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("redmine.tracker.business-trip-id", "tracker:Business trip");
        wanted.put("redmine.tracker.absence-id", "tracker:Absence");
        wanted.put("redmine.status.new-id", "status:New");
        wanted.put("redmine.status.approved-id", "status:Approved");
        wanted.put("redmine.status.rejected-id", "status:Rejected");
        wanted.put("redmine.status.cancelled-id", "status:Cancelled");
        String[][] fields = {{"employee-number", "Employee number"}, {"employee-name", "Employee name"},
                {"department", "Department"}, {"cost-centre", "Cost centre"}, {"city", "Destination city"},
                {"country", "Destination country"}, {"purpose", "Purpose"}, {"transport", "Transport"},
                {"estimated-cost", "Estimated cost"}, {"advance", "Advance"}, {"currency", "Currency"}};
        for (String[] f : fields) {
            wanted.put("redmine.custom-field.trip-" + f[0] + "-id", "field:" + f[1]);
        }
        wanted.put("redmine.custom-field.absence-trip-id", "field:Trip");
        wanted.put("redmine.custom-field.absence-decision-id-id", "field:Decision id");
        for (Map.Entry<String, String> w : wanted.entrySet()) {
            String id = byName.get(w.getValue());
            if (id == null) {
                throw new IllegalStateException("The real Redmine has no " + w.getValue() + " (" + RealSystems.propertiesFile()
                        + " has no trip ids either): run ops/real-systems/start.sh again, its set-up creates them");
            }
            real.setProperty(w.getKey(), id);
        }
        real.setProperty("redmine.trips.project.identifier", "trips");
        real.setProperty("redmine.absences.project.identifier", "attendance");
    }

    @Override
    public String name() {
        return "redmine";
    }

    private String setting(String key) {
        return settings.get("esb.systems.oa." + key);
    }

    // --- the ports, as the approvals flow is to call them

    @Override
    public JsonNode tripRequestsSince(String watermark) throws Exception {
        ObjectNode call = JSON.createObjectNode();
        call.put("watermark", watermark);
        return port("direct:oa.trip-requests-since", JSON.writeValueAsString(call));
    }

    @Override
    public JsonNode applyTripDecision(String decision) throws Exception {
        return port("direct:oa.apply-trip-decision", decision);
    }

    @Override
    public JsonNode recordAbsence(String approvedRequest) throws Exception {
        return port("direct:oa.record-absence", approvedRequest);
    }

    @Override
    public JsonNode removeAbsence(String tripId, String reason) throws Exception {
        ObjectNode call = JSON.createObjectNode();
        call.put("tripId", tripId);
        call.put("reason", reason);
        return port("direct:oa.remove-absence", JSON.writeValueAsString(call));
    }

    private JsonNode port(String uri, String body) throws Exception {
        return JSON.readTree(Unreachable.or(camel).createProducerTemplate().requestBody(uri, body, String.class));
    }

    // --- what the employee does in Redmine

    /** The trip as an issue of the tracker Business trip in the project trips; its number. */
    @Override
    public String submitTrip(Map<String, Object> trip) throws Exception {
        ObjectNode issue = JSON.createObjectNode();
        issue.put("project_id", real.getProperty("redmine.trips.project.identifier", "trips"));
        issue.put("tracker_id", Integer.parseInt(setting("trips.tracker-id")));
        issue.put("subject", "Trip to " + trip.get("city") + ": " + trip.get("purpose"));
        fill(issue, trip);
        return send("POST", "/issues.json", JSON.createObjectNode().set("issue", issue)).path("issue").path("id").asText();
    }

    @Override
    public void changeTrip(String tripId, Map<String, Object> change) throws Exception {
        ObjectNode issue = JSON.createObjectNode();
        fill(issue, change);
        send("PUT", "/issues/" + tripId + ".json", JSON.createObjectNode().set("issue", issue));
    }

    @Override
    public void cancelTrip(String tripId, String reason) throws Exception {
        ObjectNode issue = JSON.createObjectNode();
        issue.put("status_id", Integer.parseInt(setting("trips.statuses.cancelled")));
        issue.put("notes", reason);
        send("PUT", "/issues/" + tripId + ".json", JSON.createObjectNode().set("issue", issue));
    }

    /** The sandbox OA's trip fields (OaTripsUnderTest.trip) as the issue's dates and custom fields. */
    private void fill(ObjectNode issue, Map<String, Object> trip) {
        Map<String, String> fieldOf = Map.ofEntries(Map.entry("employeeNo", "employee-number"),
                Map.entry("employeeName", "employee-name"), Map.entry("department", "department"),
                Map.entry("costCentre", "cost-centre"), Map.entry("city", "city"), Map.entry("country", "country"),
                Map.entry("purpose", "purpose"), Map.entry("transport", "transport"),
                Map.entry("estimatedCost", "estimated-cost"), Map.entry("advance", "advance"), Map.entry("currency", "currency"));
        ArrayNode fields = JSON.createArrayNode();
        for (Map.Entry<String, Object> e : trip.entrySet()) {
            switch (e.getKey()) {
                case "startDate" -> issue.put("start_date", e.getValue().toString());
                case "endDate" -> issue.put("due_date", e.getValue().toString());
                default -> {
                    String field = fieldOf.get(e.getKey());
                    if (field == null) {
                        throw new IllegalArgumentException("no Redmine field for the trip's " + e.getKey());
                    }
                    Object v = e.getValue();
                    fields.addObject().put("id", Integer.parseInt(setting("trips.custom-fields." + field)))
                            .put("value", v instanceof BigDecimal d ? d.toPlainString() : v.toString());
                }
            }
        }
        if (!fields.isEmpty()) {
            issue.set("custom_fields", fields);
        }
    }

    // --- what Redmine shows

    @Override
    public Trip trip(String tripId) throws Exception {
        JsonNode issue = send("GET", "/issues/" + tripId + ".json?include=journals", null).path("issue");
        Set<String> asked = new HashSet<>(List.of("start_date", "due_date"));
        for (String field : RealSystems.TRIP_FIELDS) {
            asked.add(setting("trips.custom-fields." + field));
        }
        int revision = 1;
        String decisionId = null;
        String decidedBy = null;
        String comment = null;
        for (JsonNode journal : issue.path("journals")) {
            boolean changesAsked = false;
            for (JsonNode detail : journal.path("details")) {
                changesAsked |= ("attr".equals(detail.path("property").asText()) || "cf".equals(detail.path("property").asText()))
                        && asked.contains(detail.path("name").asText());
            }
            revision += changesAsked ? 1 : 0;
            String notes = journal.path("notes").asText("");
            Matcher marker = MARKER.matcher(notes);
            if (decisionId == null && marker.find()) {
                decisionId = marker.group(1);
                Matcher by = DECIDED_BY.matcher(notes);
                decidedBy = by.find() ? by.group(1) : null;
                Matcher c = COMMENT.matcher(notes);
                comment = c.find() ? c.group(1) : null;
            }
        }
        return new Trip(revision, tripStatus(issue.path("status").path("id").asText()), decisionId, decidedBy, comment);
    }

    private String tripStatus(String statusId) {
        for (Map.Entry<String, String> s : Map.of("submitted", "SUBMITTED", "approved", "APPROVED", "rejected", "REJECTED",
                "cancelled", "CANCELLED").entrySet()) {
            if (statusId.equals(setting("trips.statuses." + s.getKey()))) {
                return s.getValue();
            }
        }
        return "status " + statusId;
    }

    /** The issues of the tracker Absence whose field Trip is the trip, in any status. */
    @Override
    public List<Absence> absences(String tripId) throws Exception {
        JsonNode issues = send("GET", "/issues.json?status_id=*&sort=id&limit=100&tracker_id=" + setting("absences.tracker-id")
                + "&cf_" + setting("absences.custom-fields.trip") + "=" + URLEncoder.encode(tripId, StandardCharsets.UTF_8),
                null).path("issues");
        List<Absence> found = new ArrayList<>();
        for (JsonNode issue : issues) {
            String status = issue.path("status").path("id").asText().equals(setting("absences.statuses.removed")) ? "REMOVED" : "RECORDED";
            found.add(new Absence(blankToNull(field(issue, setting("trips.custom-fields.employee-number"))),
                    issue.path("start_date").asText(null), issue.path("due_date").asText(null), status,
                    blankToNull(field(issue, setting("absences.custom-fields.decision-id")))));
        }
        return found;
    }

    private static String field(JsonNode issue, String id) {
        for (JsonNode f : issue.path("custom_fields")) {
            if (f.path("id").asText().equals(id)) {
                return f.path("value").asText(null);
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The ports in a twin context whose Redmine is a closed port. */
    @Override
    public <T> T whileTripsDown(Supplier<T> action) throws Exception {
        Map<String, String> unreachable = new HashMap<>(settings);
        unreachable.put("esb.systems.oa.base-url", "http://127.0.0.1:9");
        DefaultCamelContext down = RouteTestContext.create(unreachable, "adapters/oa/redmine/trips.camel.yaml");
        down.start();
        try {
            return Unreachable.with(down, action);
        } finally {
            down.stop();
        }
    }

    void close() {
        try {
            camel.stop();
        } catch (RuntimeException ignored) {
            // stopping a test context
        }
    }

    private JsonNode send(String method, String path, JsonNode body) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(real.getProperty("redmine.url") + path))
                .header("X-Redmine-API-Key", real.getProperty("redmine.api-key")).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + ": " + answer.statusCode() + " " + answer.body());
        }
        return answer.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(answer.body());
    }
}
