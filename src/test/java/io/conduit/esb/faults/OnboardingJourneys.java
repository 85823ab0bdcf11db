package io.conduit.esb.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.faults.RetryingSender.GivenUp;
import io.conduit.esb.faults.RetryingSender.Rejected;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Employee onboarding as a retrying HR system drives it, and the employee-by-employee check afterwards.
 * <p>
 * Driving one employee: the hire (into Sales or Service, so the ERP, the OA and the CRM each get the employee) is
 * posted to the ESB's {@code POST /api/v1/hr/events}, signed as source {@code hr}, again and again until the ESB
 * answers 202 (a fresh signature per attempt, at least 1.1 s apart). A third of the employees is then transferred
 * (another department and job title: Sales, Service or Finance, the last one taking the CRM user away) and a tenth of
 * those a second time; a fifth leaves (effective today, so the leave is due at once). Each later event is posted
 * the same way, a few hundred milliseconds after the previous one was accepted, so an employee's events race each
 * other through the ESB's queues, as the order revisions do. The HR system keeps the employee's events in order: it
 * posts the next only once the previous one was accepted.
 * <p>
 * Checking an employee (SQL on the sandbox systems' own tables and the ESB's record once everything is quiet): the
 * employee exists exactly once in each target - the ERP's {@code erp.sys_user}, the OA's {@code sandbox_oa.account},
 * the CRM's {@code sandbox_crm.crm_user} - with the state of the last accepted event: name and e-mail from the hire,
 * the last department, active unless a leave was accepted (then the ERP user is inactive with the end date, the OA
 * account locked, the CRM user inactive); the CRM user is active only in a customer-facing department (someone who
 * is not customer-facing at the end may have no CRM user at all: the CRM got a later event before the hire). Every
 * accepted event is recorded once in {@code esb.employee_sync_event}, COMPLETED, each of its targets DONE or
 * SUPERSEDED, and the OA got exactly one "onboarding complete" notice for it.
 */
final class OnboardingJourneys {

    static final String HR_SECRET = "dev-hr-event-secret";
    /** The customer-facing departments and their CRM team labels (esb.onboarding.crm.*, crm/employee-to-user). */
    private static final Map<String, String> CRM_TEAMS = Map.of("SALES", "Sales", "SERVICE", "Customer Service");
    private static final String[] DEPARTMENTS = {"Sales", "Service", "Finance"};
    private static final String[] TITLES = {"Account Executive", "Service Agent", "Accountant", "Team Lead"};

    private final RetryingSender sender;
    private final String run;
    private final ObjectMapper json = new ObjectMapper();
    /** Per employee, the events the ESB accepted, in the order HR sent them. */
    private final Map<String, List<HrEvent>> accepted = new ConcurrentHashMap<>();
    private final AtomicInteger notAccepted = new AtomicInteger();
    private final Queue<String> rejected = new ConcurrentLinkedQueue<>();

    OnboardingJourneys(String baseUrl, String run) {
        this(List.of(baseUrl), run);
    }

    /** Against several replicas of the ESB behind one address (see {@link RetryingSender#RetryingSender(List)}). */
    OnboardingJourneys(List<String> baseUrls, String run) {
        this.sender = new RetryingSender(baseUrls);
        this.run = run;
    }

    String employeeId(int k) {
        return String.format("FS%s-E%05d", run, k);
    }

    /** The prefix of this run's employee numbers (a LIKE pattern). */
    String pattern() {
        return "FS" + run + "-E%";
    }

    /** Drives employee {@code k} from the hire to their last event; never throws (a call given up is counted). */
    void drive(int k) {
        String id = employeeId(k);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String department = DEPARTMENTS[random.nextInt(2)];
        String name = "Fs Employee " + k;
        List<HrEvent> events = new ArrayList<>();
        events.add(new HrEvent(id + "-1", "HIRE", id, name,
                "fs" + run.toLowerCase(Locale.ROOT) + ".e" + k + "@example.com", department,
                TITLES[random.nextInt(TITLES.length)], LocalDate.now()));
        int changes = random.nextDouble() < 0.3 ? (random.nextDouble() < 0.1 ? 2 : 1) : 0;
        for (int change = 1; change <= changes; change++) {
            String next;
            do {
                next = DEPARTMENTS[random.nextInt(DEPARTMENTS.length)];
            } while (next.equals(department));
            department = next;
            events.add(new HrEvent(id + "-" + (events.size() + 1), "CHANGE", id, null, null, department,
                    TITLES[random.nextInt(TITLES.length)], LocalDate.now()));
        }
        if (random.nextDouble() < 0.2) {
            events.add(new HrEvent(id + "-" + (events.size() + 1), "LEAVE", id, null, null, null, null,
                    LocalDate.now()));
        }
        try {
            for (HrEvent event : events) {
                if (event != events.get(0)) {
                    Thread.sleep(random.nextInt(50, 500));
                }
                sender.signed(HR_SECRET, "/api/v1/hr/events", body(event));
                accepted.computeIfAbsent(id, x -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(event);
            }
        } catch (Rejected e) {
            rejected.add(id + ": " + e.getMessage());
        } catch (GivenUp | InterruptedException e) {
            notAccepted.incrementAndGet();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The event as the OA publishes it (sandbox HrEvent), with the OA's own event id shape. */
    private byte[] body(HrEvent event) {
        ObjectNode body = json.createObjectNode();
        body.put("eventId", "HR-" + event.eventId());
        body.put("type", event.type());
        body.put("employeeNo", event.employeeNo());
        body.put("fullName", event.fullName());
        body.put("email", event.email());
        body.put("department", event.department());
        body.put("jobTitle", event.jobTitle());
        body.put("managerNo", "E-1");
        body.put("effectiveDate", event.effectiveDate().toString());
        body.put("publishedAt", Instant.now().toString());
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Employees whose hire was accepted. */
    int accepted() {
        return accepted.size();
    }

    int notAccepted() {
        return notAccepted.get() + rejected.size();
    }

    List<String> rejected() {
        return List.copyOf(rejected);
    }

    /** The driver's sender: its retries, attempts and the answers it got. */
    RetryingSender sender() {
        return sender;
    }

    int acceptedEvents() {
        return accepted.values().stream().mapToInt(List::size).sum();
    }

    /** Employees complete in every target and in the ESB's record (the quiescence signal). */
    int complete(Connection db) throws SQLException {
        return (int) check(db).stream().filter(EmployeeState::eachTargetOnce).count();
    }

    List<EmployeeState> check(Connection db) throws SQLException {
        Map<String, List<Map<String, Object>>> erp = rows(db, """
                SELECT emp_no AS id, full_nm AS name, email, dept_cd AS department, active_flg = 'Y' AS active,
                       valid_to FROM erp.sys_user WHERE emp_no LIKE ?""");
        Map<String, List<Map<String, Object>>> oa = rows(db, """
                SELECT employee_no AS id, display_name AS name, email, department, active
                  FROM sandbox_oa.account WHERE employee_no LIKE ?""");
        Map<String, List<Map<String, Object>>> crm = rows(db, """
                SELECT employee_number AS id, full_name AS name, email_address AS email, team, is_active AS active
                  FROM sandbox_crm.crm_user WHERE employee_number LIKE ?""");
        Map<String, List<Map<String, Object>>> esb = rows(db, """
                SELECT e.employee_id AS id, e.event_id, e.status,
                       (SELECT count(*) FROM esb.employee_sync_delivery d WHERE d.event_id = e.event_id) AS targets,
                       (SELECT count(*) FROM esb.employee_sync_delivery d WHERE d.event_id = e.event_id
                           AND d.status NOT IN ('DONE', 'SUPERSEDED')) AS unfinished,
                       (SELECT count(*) FROM sandbox_oa.onboarding_notice n WHERE n.hr_event_id = e.event_id) AS notices
                  FROM esb.employee_sync_event e WHERE e.employee_id LIKE ?""");
        List<EmployeeState> states = new ArrayList<>();
        accepted.forEach((id, events) -> {
            Expected expected = Expected.of(events);
            Map<String, Map<String, Object>> recorded = new HashMap<>();
            esb.getOrDefault(id, List.of()).forEach(row -> recorded.put((String) row.get("event_id"), row));
            int unrecorded = 0;
            int unfinished = 0;
            int noticesMissing = 0;
            int noticesDoubled = 0;
            for (HrEvent event : events) {
                Map<String, Object> row = recorded.get("HR-" + event.eventId());
                if (row == null) {
                    unrecorded++;
                    continue;
                }
                if (!"COMPLETED".equals(row.get("status")) || number(row, "unfinished") > 0
                        || number(row, "targets") == 0) {
                    unfinished++;
                }
                long notices = number(row, "notices");
                if (notices == 0) {
                    noticesMissing++;
                } else if (notices > 1) {
                    noticesDoubled++;
                }
            }
            List<Map<String, Object>> erpRows = erp.getOrDefault(id, List.of());
            List<Map<String, Object>> oaRows = oa.getOrDefault(id, List.of());
            List<Map<String, Object>> crmRows = crm.getOrDefault(id, List.of());
            states.add(new EmployeeState(id, events.size(), events.get(events.size() - 1).type(),
                    erpRows.size(), oaRows.size(), crmRows.size(),
                    erpRows.size() == 1 && expected.erp(erpRows.get(0)),
                    oaRows.size() == 1 && expected.oa(oaRows.get(0)),
                    // a CRM user is needed only by someone customer-facing: one whose every event before the last
                    // reached the CRM after a later one (its hire SUPERSEDED by a move out of sales) never gets one
                    crmRows.size() == 1 ? expected.crm(crmRows.get(0)) : crmRows.isEmpty() && !expected.crmActive(),
                    unrecorded, unfinished, noticesMissing, noticesDoubled,
                    describe(erpRows), describe(oaRows), describe(crmRows)));
        });
        return states;
    }

    private Map<String, List<Map<String, Object>>> rows(Connection db, String sql) throws SQLException {
        Map<String, List<Map<String, Object>>> byId = new HashMap<>();
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, pattern());
            try (ResultSet rows = statement.executeQuery()) {
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int c = 1; c <= columns; c++) {
                        row.put(rows.getMetaData().getColumnLabel(c), rows.getObject(c));
                    }
                    byId.computeIfAbsent((String) row.get("id"), x -> new ArrayList<>()).add(row);
                }
            }
        }
        return byId;
    }

    private static long number(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }

    private static String describe(List<Map<String, Object>> rows) {
        return rows.size() == 1 ? new java.util.TreeMap<>(rows.get(0)).toString() : rows.size() + " rows";
    }

    /** An HR event as the HR system sends it; {@code eventId} without the "HR-" prefix. */
    record HrEvent(String eventId, String type, String employeeNo, String fullName, String email, String department,
                   String jobTitle, LocalDate effectiveDate) {
    }

    /** What the targets must show after an employee's accepted events, applied in order. */
    record Expected(String name, String email, String department, boolean left, LocalDate endDate) {

        static Expected of(List<HrEvent> events) {
            String name = null;
            String email = null;
            String department = null;
            boolean left = false;
            LocalDate endDate = null;
            for (HrEvent event : events) {
                if (event.fullName() != null) {
                    name = event.fullName();
                }
                if (event.email() != null) {
                    email = event.email().toLowerCase(Locale.ROOT);
                }
                if (event.department() != null) {
                    department = event.department().toUpperCase(Locale.ROOT);
                }
                left = "LEAVE".equals(event.type());
                endDate = left ? event.effectiveDate() : endDate;
            }
            return new Expected(name, email, department, left, endDate);
        }

        boolean erp(Map<String, Object> row) {
            Object validTo = row.get("valid_to");
            LocalDate to = validTo instanceof Date date ? date.toLocalDate() : null;
            return name.equals(row.get("name")) && email.equals(row.get("email"))
                    && department.equals(row.get("department")) && Boolean.valueOf(!left).equals(row.get("active"))
                    && (!left || endDate.equals(to));
        }

        boolean oa(Map<String, Object> row) {
            return name.equals(row.get("name")) && email.equals(row.get("email"))
                    && department.equals(row.get("department")) && Boolean.valueOf(!left).equals(row.get("active"));
        }

        /** Whether the employee should have an active CRM user now. */
        boolean crmActive() {
            return !left && CRM_TEAMS.containsKey(department);
        }

        /** Active only in a customer-facing department, then with its team; an inactive user keeps its last team. */
        boolean crm(Map<String, Object> row) {
            boolean active = crmActive();
            return name.equals(row.get("name")) && email.equals(row.get("email"))
                    && Boolean.valueOf(active).equals(row.get("active"))
                    && (!active || CRM_TEAMS.get(department).equals(row.get("team")));
        }
    }

    /** What the targets and the ESB's record hold for one employee whose hire was accepted. */
    record EmployeeState(String id, int acceptedEvents, String lastEvent, int erpRows, int oaRows, int crmRows,
                         boolean erpLatest, boolean oaLatest, boolean crmLatest, int eventsUnrecorded,
                         int eventsUnfinished, int noticesMissing, int noticesDoubled, String erp, String oa,
                         String crm) {

        /** Once in every target, each with the last accepted event's state; every event finished, noticed once. */
        boolean eachTargetOnce() {
            return erpLatest && oaLatest && crmLatest && eventsUnrecorded == 0 && eventsUnfinished == 0
                    && noticesMissing == 0 && noticesDoubled == 0;
        }

        /** More than one row in a target, or an event's completion noticed more than once. */
        boolean duplicated() {
            return erpRows > 1 || oaRows > 1 || crmRows > 1 || noticesDoubled > 0;
        }

        /** Accepted, but a target never got the employee, or the ESB has no record of an accepted event. */
        boolean lost() {
            return !duplicated() && (erpRows == 0 || oaRows == 0 || (crmRows == 0 && !crmLatest)
                    || eventsUnrecorded > 0);
        }

        /** Once in every target, but not all with the last state, or the ESB's record of it is unfinished. */
        boolean stale() {
            return !duplicated() && !lost() && !eachTargetOnce();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s (%d events, last %s): rows erp/oa/crm %d/%d/%d, latest %s/%s/%s, "
                            + "events unrecorded %d unfinished %d, notices missing %d doubled %d; "
                            + "erp %s; oa %s; crm %s",
                    id, acceptedEvents, lastEvent, erpRows, oaRows, crmRows, erpLatest, oaLatest, crmLatest,
                    eventsUnrecorded, eventsUnfinished, noticesMissing, noticesDoubled, erp, oa, crm);
        }
    }
}
