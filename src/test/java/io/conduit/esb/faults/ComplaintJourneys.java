package io.conduit.esb.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.faults.RetryingSender.GivenUp;
import io.conduit.esb.faults.RetryingSender.Rejected;
import org.awaitility.core.ConditionTimeoutException;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * Complaint routing as a retrying CRM and a working OA drive it, and the complaint-by-complaint check afterwards.
 * <p>
 * Driving one complaint: a service agent opens the case in the sandbox CRM (its own user: the CRM's simulated faults,
 * meant for the ESB, do not hit it), and the CRM posts the "case created" webhook to the ESB's intake, signed as the
 * CRM signs it, until the ESB answers 202 (the sandbox CRM's own case webhook sender is off in the suite, as for
 * opportunities: it is not durable). The cases vary in category, priority, customer tier and product line, so they
 * land on different department queues (a tenth has a category the routing table does not know: the default queue,
 * flagged), and half refer to an order the suite drove just before (the ESB asks the ERP about it, best effort).
 * Then, for most complaints, someone in the OA works the task through the OA's task API, a second or so between
 * steps: takes it (assigned), starts it (in progress), and ends it (done, or now and then rejected); some stop
 * half-way, some are never touched. Each step is an OA task event the ESB applies if it moves the complaint
 * forward, and sends on to the CRM case.
 * <p>
 * Checking a complaint (SQL on the OA's, the CRM's and the ESB's tables once everything is quiet): the OA holds
 * exactly one task for it ({@code sandbox_oa.task}, escalations aside); the ESB's record ({@code esb.complaint})
 * has the status the OA's task came to (open, assigned, in progress; done, rejected or cancelled: resolved) with its
 * assignee, task id and resolution; and the CRM case shows that record, the latest one: its status label, assignee,
 * resolution, escalation flag and task reference, synced at the record's last change.
 * <p>
 * Escalations: the routing table's shortest SLA is one hour (PT1H; most are 8 hours or more) and the SLA clock
 * starts when the task is sent, so within a run (minutes; the settling gives up after 20) no complaint is due. An
 * escalation is a second task at level 1 on the manager's queue; it is counted as legitimate only where the ESB
 * recorded the escalation ({@code escalated_at}) at or after the complaint's SLA due time, and then only once. Any
 * other task on top of the one counts as duplicated.
 */
final class ComplaintJourneys {

    /** Category code, priority, tier, product line: the CRM's picklists, spread over the routing table's rows. */
    private static final String[][] CASES = {
            {"DMG", "Urgent", "Standard", null}, {"DMG", "Medium", "Platinum", null}, {"DMG", "Low", "Gold", null},
            {"LATE", "High", "Standard", null}, {"LATE", "Medium", "Gold", null},
            {"INV", "Urgent", "Gold", null}, {"INV", "Low", "Standard", null},
            {"DEF", "Urgent", "Standard", "Pumps"}, {"DEF", "High", "Standard", "Valves"},
            {"PKG_WASTE", "Medium", "Standard", null}};
    private static final Duration TASK_WAIT = Duration.ofMinutes(10);

    private final RetryingSender sender;
    private final String run;
    private final ObjectMapper json = new ObjectMapper();
    /** Per accepted complaint, how far the OA was to work its task. */
    private final Map<String, Integer> acceptedSteps = new ConcurrentHashMap<>();
    private final AtomicInteger notAccepted = new AtomicInteger();
    private final AtomicInteger tasksNotSeen = new AtomicInteger();
    private final Queue<String> rejected = new ConcurrentLinkedQueue<>();

    ComplaintJourneys(String baseUrl, String run) {
        this(List.of(baseUrl), run);
    }

    /** Against several replicas of the ESB behind one address (see {@link RetryingSender#RetryingSender(List)}). */
    ComplaintJourneys(List<String> baseUrls, String run) {
        this.sender = new RetryingSender(baseUrls);
        this.run = run;
    }

    String caseNumber(int k) {
        return String.format("FS%s-C%05d", run, k);
    }

    /** The prefix of this run's case numbers (a LIKE pattern). */
    String pattern() {
        return "FS" + run + "-C%";
    }

    /**
     * Drives complaint {@code k} (about order {@code orderId}, or none) to the end of the OA's work on it; never
     * throws (a call given up is counted).
     */
    void drive(int k, String orderId) {
        String caseNo = caseNumber(k);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try {
            JsonNode created = sender.asUser("POST", "/sandbox/crm/api/cases",
                    caseBody(caseNo, CASES[random.nextInt(CASES.length)], random.nextBoolean() ? orderId : null));
            if (created == null || !created.has("openedAt")) {
                created = sender.asUser("GET", "/sandbox/crm/api/cases/" + caseNo, null);
            }
            ObjectNode event = json.createObjectNode();
            event.put("eventId", "fs-case-" + caseNo);
            event.put("eventType", "case.created");
            event.put("occurredAt", Instant.now().toString());
            event.set("data", created);
            sender.signed(OrderJourneys.CRM_SECRET, "/api/v1/crm/webhooks/case-created",
                    event.toString().getBytes(StandardCharsets.UTF_8));
            // 0 untouched, 1 assigned, 2 in progress, 3 done (or rejected)
            double draw = random.nextDouble();
            int steps = draw < 0.25 ? 0 : draw < 0.45 ? 1 : draw < 0.6 ? 2 : 3;
            acceptedSteps.put(caseNo, steps);
            if (steps > 0) {
                work(caseNo, steps, random);
            }
        } catch (Rejected e) {
            rejected.add(caseNo + ": " + e.getMessage());
        } catch (GivenUp | InterruptedException e) {
            notAccepted.incrementAndGet();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private byte[] caseBody(String caseNo, String[] kind, String orderId) {
        ObjectNode body = json.createObjectNode();
        body.put("caseNumber", caseNo);
        body.put("accountNo", "ACC-204");
        body.put("accountName", "Acme GmbH");
        body.put("accountTier", kind[2]);
        body.put("relatedOpportunityId", orderId);
        body.put("categoryCode", kind[0]);
        body.put("priority", kind[1]);
        body.put("origin", "Email");
        body.put("subject", "Complaint " + caseNo);
        body.put("description", "Two of ten pumps arrived with cracked housings.");
        body.put("productSku", "P-100");
        body.put("productName", "Hydraulic pump HP-10");
        body.put("productLine", kind[3]);
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Someone in the OA works the complaint's task (its first, level-0 one) through the OA's task API. */
    private void work(String caseNo, int steps, ThreadLocalRandom random)
            throws GivenUp, Rejected, InterruptedException {
        String taskId = awaitTask(caseNo);
        if (taskId == null) {
            tasksNotSeen.incrementAndGet();
            return;
        }
        List<String> changes = new ArrayList<>();
        changes.add("{\"assignee\":\"fs.agent" + random.nextInt(1, 9) + "\"}");
        changes.add("{\"status\":\"IN_PROGRESS\"}");
        changes.add(random.nextDouble() < 0.8
                ? "{\"status\":\"DONE\",\"resolution\":\"Replacement sent for " + caseNo + "\"}"
                : "{\"status\":\"REJECTED\",\"resolution\":\"Damage caused at the customer's site\"}");
        for (int step = 0; step < steps; step++) {
            Thread.sleep(random.nextInt(300, 3000));
            sender.asUser("PATCH", "/sandbox/oa/api/tasks/" + taskId,
                    changes.get(step).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The id of the complaint's task once the OA shows it; null if it did not within {@link #TASK_WAIT}. */
    private String awaitTask(String caseNo) throws GivenUp, Rejected, InterruptedException {
        try {
            // the sender's GivenUp / Rejected end the wait as they are (Awaitility rethrows what the poll threw)
            return await().atMost(TASK_WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
                JsonNode tasks = sender.asUser("GET", "/sandbox/oa/api/tasks?externalRef=" + caseNo, null);
                if (tasks != null) {
                    for (JsonNode task : tasks) {
                        if (!"COMPLAINT_ESCALATION".equals(task.path("body").path("kind").asText())) {
                            return task.path("taskId").asText();
                        }
                    }
                }
                return null;
            }, Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            return null;
        }
    }

    int accepted() {
        return acceptedSteps.size();
    }

    int notAccepted() {
        return notAccepted.get() + rejected.size();
    }

    /** Accepted complaints the OA was to work whose task it had not shown within {@link #TASK_WAIT}. */
    int tasksNotSeen() {
        return tasksNotSeen.get();
    }

    List<String> rejected() {
        return List.copyOf(rejected);
    }

    /** The driver's sender: its retries, attempts and the answers it got. */
    RetryingSender sender() {
        return sender;
    }

    /** Complaints whose CRM case shows their final state (the quiescence signal). */
    int complete(Connection db) throws SQLException {
        return (int) check(db).stream().filter(ComplaintState::crmFinal).count();
    }

    List<ComplaintState> check(Connection db) throws SQLException {
        String sql = """
                SELECT c.case_number, c.case_status, c.assigned_to, c.resolution AS crm_resolution, c.escalated,
                       c.external_task_ref, c.esb_synced_at,
                       k.complaint_id IS NOT NULL AS recorded, k.status, k.assignee, k.resolution, k.oa_task_id,
                       k.updated_at, k.sla_due_at, k.escalated_at,
                       (SELECT count(*) FROM sandbox_oa.task t WHERE t.external_ref = c.case_number
                           AND coalesce(t.body->>'kind', '') <> 'COMPLAINT_ESCALATION') AS tasks,
                       (SELECT count(*) FROM sandbox_oa.task t WHERE t.external_ref = c.case_number
                           AND t.body->>'kind' = 'COMPLAINT_ESCALATION') AS escalations,
                       t.task_id, t.status AS task_status, t.assignee AS task_assignee, t.resolution AS task_resolution
                  FROM sandbox_crm.support_case c
                  LEFT JOIN esb.complaint k ON k.complaint_id = c.case_number
                  LEFT JOIN LATERAL (SELECT task_id, status, assignee, resolution FROM sandbox_oa.task t
                                      WHERE t.external_ref = c.case_number
                                        AND coalesce(t.body->>'kind', '') <> 'COMPLAINT_ESCALATION'
                                      ORDER BY created_at, task_id LIMIT 1) t ON true
                 WHERE c.case_number LIKE ?
                """;
        List<ComplaintState> states = new ArrayList<>();
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, pattern());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String id = rows.getString("case_number");
                    Integer steps = acceptedSteps.get(id);
                    if (steps == null) {
                        continue;
                    }
                    states.add(new ComplaintState(id, steps, rows.getInt("tasks"), rows.getInt("escalations"),
                            rows.getString("task_id"), rows.getString("task_status"), rows.getString("task_assignee"),
                            rows.getString("task_resolution"), rows.getBoolean("recorded"), rows.getString("status"),
                            rows.getString("assignee"), rows.getString("resolution"), rows.getString("oa_task_id"),
                            rows.getTimestamp("updated_at"), rows.getTimestamp("sla_due_at"),
                            rows.getTimestamp("escalated_at"), rows.getString("case_status"),
                            rows.getString("assigned_to"), rows.getString("crm_resolution"),
                            rows.getBoolean("escalated"), rows.getString("external_task_ref"),
                            rows.getTimestamp("esb_synced_at")));
                }
            }
        }
        return states;
    }

    /** What the OA, the ESB and the CRM hold for one accepted complaint. */
    record ComplaintState(String id, int oaSteps, int tasks, int escalationTasks, String taskId, String taskStatus,
                          String taskAssignee, String taskResolution, boolean recorded, String esbStatus,
                          String esbAssignee, String esbResolution, String esbTaskId, Timestamp esbUpdatedAt,
                          Timestamp slaDueAt, Timestamp escalatedAt, String crmStatus, String crmAssignee,
                          String crmResolution, boolean crmEscalated, String crmTaskRef, Timestamp crmSyncedAt) {

        /** An escalation task the ESB recorded once its SLA was due: legitimate, once. */
        private int legitimateEscalations() {
            return escalatedAt != null && slaDueAt != null && !escalatedAt.before(slaDueAt) ? 1 : 0;
        }

        /** Exactly one task in the OA, and an escalation task only where the SLA ran out and it was recorded. */
        boolean oneTask() {
            return recorded && tasks == 1 && escalationTasks == legitimateEscalations();
        }

        /** The complaint's status as the OA's task has it (mappings/oa/task-event-to-complaint-status.jsonata). */
        String expectedStatus() {
            return switch (taskStatus == null ? "" : taskStatus) {
                case "DONE", "REJECTED", "CANCELLED" -> "RESOLVED";
                case "IN_PROGRESS" -> "IN_PROGRESS";
                case "OPEN" -> taskAssignee != null ? "ASSIGNED" : "OPEN";
                default -> null;
            };
        }

        private String expectedResolution() {
            return switch (taskStatus == null ? "" : taskStatus) {
                case "DONE" -> taskResolution;
                case "REJECTED" -> "Rejected" + (taskResolution == null ? "" : ": " + taskResolution);
                case "CANCELLED" -> "Cancelled" + (taskResolution == null ? "" : ": " + taskResolution);
                default -> null;
            };
        }

        /** The ESB's record has the OA task's state. */
        boolean esbFinal() {
            String expected = expectedStatus();
            return expected != null && expected.equals(esbStatus) && Objects.equals(taskAssignee, esbAssignee)
                    && Objects.equals(expectedResolution(), esbResolution)
                    && ("OPEN".equals(expected) ? esbTaskId == null : taskId.equals(esbTaskId));
        }

        /**
         * One task, the ESB's record has the OA's final state, and the CRM case shows that record as it was last
         * changed: status label, assignee, resolution, escalation, task reference, synced at the record's time.
         */
        boolean crmFinal() {
            return oneTask() && esbFinal() && label(esbStatus).equals(crmStatus)
                    && Objects.equals(esbAssignee, crmAssignee) && Objects.equals(esbResolution, crmResolution)
                    && crmEscalated == (escalatedAt != null) && Objects.equals(esbTaskId, crmTaskRef)
                    // the CRM is given the record's time of change with milliseconds, the record has microseconds
                    && crmSyncedAt != null && esbUpdatedAt != null
                    && Math.abs(crmSyncedAt.getTime() - esbUpdatedAt.getTime()) <= 1;
        }

        /** Accepted, but the ESB has no record of it or the OA no task. */
        boolean lost() {
            return !recorded || tasks == 0;
        }

        /** More than one task, or an escalation task the SLA does not account for. */
        boolean duplicated() {
            return tasks > 1 || escalationTasks > legitimateEscalations();
        }

        /** One task, but the ESB's record or the CRM case is behind the OA's task. */
        boolean stale() {
            return oneTask() && !crmFinal();
        }

        private static String label(String status) {
            return switch (status == null ? "" : status) {
                case "OPEN" -> "Routed";
                case "ASSIGNED" -> "Assigned";
                case "IN_PROGRESS" -> "In Progress";
                case "RESOLVED" -> "Resolved";
                default -> "?";
            };
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s (OA steps %d): tasks %d + escalations %d, OA task %s %s %s; "
                            + "ESB %s %s task %s updated %s escalated %s (due %s); CRM %s %s task %s synced %s "
                            + "escalated %s", id, oaSteps, tasks, escalationTasks, taskId, taskStatus, taskAssignee,
                    recorded ? esbStatus : "no record", esbAssignee, esbTaskId, esbUpdatedAt, escalatedAt, slaDueAt,
                    crmStatus, crmAssignee, crmTaskRef, crmSyncedAt, crmEscalated);
        }
    }
}
