package io.conduit.esb.bench.throughput;

import io.conduit.esb.support.TaxIds;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The customer master's initial load (issue 15): a first start of the flow on a CRM that already holds N accounts.
 * <ol>
 *   <li>Start 1 of the ESB (embedded defaults, a fresh data folder) with the customer master OFF
 *       (ESB_CUSTOMER_MASTER_ENABLED=false: its routes are not created, no watermark row): it migrates the sandbox
 *       schemas. Three accounts are created through the sandbox CRM API, the other N-3 by bulk SQL (the same INSERT
 *       the API runs, 1,000 rows per transaction, the CRM's trigger stamping revision, chg_no and chg_txid), and the
 *       SQL rows are compared with the API's (same columns set, same JSON shapes, revision 1, a change stamp).
 *       1% of the accounts are deliberate conflicts: a second account with the tax id of the account before it.
 *       Then the ESB is stopped (SIGTERM; its embedded PostgreSQL stops with it).</li>
 *   <li>Start 2 on the same data folder with the customer master ON: its capture starts with no watermark, so it
 *       reads every account - the initial load. Measured from the launch of this process (boot included) until every
 *       account that is not a conflict is an ERP customer (erp.cust_mst.crm_ref) and has its ERP number in the CRM,
 *       and every conflict account is parked: progress every 10 s, the ESB process's peak RSS (/proc, every 200 ms),
 *       its heap (jcmd GC.heap_info), CPU seconds of the ESB and of its PostgreSQL, parked messages by reason,
 *       duplicates (ERP customers sharing a CRM account or tax id, CRM numbers that are not the ERP's: must be 0).</li>
 * </ol>
 * Args: jar outDir n timeoutSeconds mode; -Dload.until=epoch seconds ends the load then at the latest. The last line:
 * {@code initial-load: customers=.. erp-created=.. crm-numbered=.. conflicts-parked=.. duplicates=.. seconds=..
 * records-per-s=.. peak-rss-mb=.. cpu-s=..}
 */
public final class CustomerInitialLoadBench {

    private static final String[] NAMES = {"Alpen", "Berg", "Nord", "Rhein", "Donau", "Elb", "Main", "Isar", "Weser",
            "Hansa", "Sonnen", "Stern", "Falken", "Adler", "Linden", "Eichen", "Tannen", "Muehlen", "Kraft", "Licht"};
    private static final String[] TRADES = {"Technik", "Logistik", "Maschinenbau", "Handel", "Elektro", "Bau",
            "Feinmechanik", "Medizintechnik", "Software", "Lebensmittel", "Textil", "Druck", "Chemie", "Holz"};
    private static final String[] FORMS = {"GmbH", "AG", "GmbH & Co. KG", "KG", "e.K.", "SE", "OHG"};
    private static final String[][] CITIES = {{"Berlin", "10115"}, {"Hamburg", "20095"}, {"Muenchen", "80331"},
            {"Koeln", "50667"}, {"Frankfurt am Main", "60311"}, {"Stuttgart", "70173"}, {"Duesseldorf", "40213"},
            {"Leipzig", "04109"}, {"Dortmund", "44135"}, {"Essen", "45127"}, {"Bremen", "28195"}, {"Dresden", "01067"},
            {"Hannover", "30159"}, {"Nuernberg", "90402"}, {"Kempten", "87435"}, {"Freiburg", "79098"}};
    private static final String[] STREETS = {"Industriestr.", "Hauptstr.", "Bahnhofstr.", "Gewerbering", "Am Hafen",
            "Schillerstr.", "Goethestr.", "Lindenallee", "Marktplatz", "Werkstr."};
    private static final String[] FIRST = {"Eva", "Jonas", "Lena", "Paul", "Mia", "Felix", "Anna", "Lukas", "Sophie",
            "Max", "Laura", "Tim", "Julia", "Jan", "Marie", "Ben"};
    private static final String[] LAST = {"Klein", "Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer",
            "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter", "Wolf", "Braun", "Zimmermann"};
    private static final String[] ROLES = {"Purchasing", "Accounts payable", "Managing director", "Logistics"};

    private final Path jar;
    private final Path out;
    private final Path data;
    private final int n;
    private final long timeoutSeconds;
    private final String mode;
    private final int port = freePort();
    private final int pgPort = freePort();
    private final int kafkaPort = freePort();
    private final int controllerPort = freePort();
    private final String jdbcUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process esb;

    private CustomerInitialLoadBench(Path jar, Path out, int n, long timeoutSeconds, String mode) {
        this.jar = jar;
        this.out = out;
        this.data = out.resolve("data");
        this.n = n;
        this.timeoutSeconds = timeoutSeconds;
        this.mode = mode;
        this.jdbcUrl = "jdbc:postgresql://localhost:" + pgPort + "/postgres";
    }

    public static void main(String[] args) throws Exception {
        CustomerInitialLoadBench bench = new CustomerInitialLoadBench(Path.of(args[0]).toAbsolutePath(),
                Path.of(args[1]).toAbsolutePath(), Integer.parseInt(args[2]), Long.parseLong(args[3]), args[4]);
        Runtime.getRuntime().addShutdownHook(new Thread(bench::killEsb, "initial-load-esb"));
        bench.run();
    }

    private void run() throws Exception {
        int conflicts = n / 100;
        System.out.printf("initial-load (%s): %d CRM accounts (%d conflicts), ESB on :%d, PostgreSQL :%d, data %s%n",
                mode, n, conflicts, port, pgPort, data);

        // start 1: customer master off, only to migrate the sandbox's schemas and seed the CRM
        long boot1 = startEsb(false, "esb-seed.log");
        System.out.printf("initial-load: start 1 (customer master off) ready after %.1f s; seeding%n", boot1 / 1000.0);
        long seedStart = System.nanoTime();
        List<String> apiAccounts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            apiAccounts.add(createByApi(i));
        }
        int sqlRows;
        try (Connection c = connect()) {
            sqlRows = seedBySql(c, 3, n);
            compareRows(c, apiAccounts);
        }
        System.out.printf("initial-load: seeded %d accounts (3 by the CRM API, %d by SQL) in %.1f s%n", n, sqlRows,
                (System.nanoTime() - seedStart) / 1e9);
        stopEsb();

        // start 2: customer master on, the capture with no watermark: the initial load
        long t0Wall = System.currentTimeMillis();
        long t0 = System.nanoTime();
        long bootMs = startEsb(true, "esb.log");
        long pid = esb.pid();
        ProcStats.RssSampler rss = new ProcStats.RssSampler(pid);
        System.out.printf("initial-load: start 2 (customer master on) ready after %.1f s (pid %d); polling every 10 s%n",
                bootMs / 1000.0, pid);
        int expected = n - conflicts;
        long peakHeapMb = 0;
        Counts last = null;
        long deadline = t0 + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long until = Long.getLong("load.until", 0);
        if (until > 0) {
            deadline = Math.min(deadline, t0 + TimeUnit.MILLISECONDS.toNanos(until * 1000 - System.currentTimeMillis()));
        }
        long nextLine = System.nanoTime();
        boolean done = false;
        try (Connection c = connect()) {
            while (true) {
                Counts now = counts(c);
                done = now.erpCreated >= expected && now.crmNumbered >= expected && now.conflictsParked >= conflicts;
                if (done || System.nanoTime() >= nextLine || System.nanoTime() > deadline) {
                    // jcmd is a JVM of its own (about 0.3 s of CPU): the heap is read with the progress line only
                    long heapMb = heapUsedMb(pid);
                    peakHeapMb = Math.max(peakHeapMb, heapMb);
                    double s = (System.nanoTime() - t0) / 1e9;
                    double window = last == null ? s : 10.0;
                    System.out.printf(Locale.ROOT, "initial-load: t=%5.0fs captured=%d erp-created=%d (+%.0f/s) "
                                    + "crm-numbered=%d (+%.0f/s) conflicts-parked=%d rss=%d MB heap=%d MB cpu=%.0f s%n", s,
                            now.captured, now.erpCreated,
                            (now.erpCreated - (last == null ? 0 : last.erpCreated)) / window, now.crmNumbered,
                            (now.crmNumbered - (last == null ? 0 : last.crmNumbered)) / window, now.conflictsParked,
                            ProcStats.rssKb(pid) / 1024, heapMb, ProcStats.cpuMillis(pid) / 1000.0);
                    last = now;
                    nextLine += TimeUnit.SECONDS.toNanos(10);
                }
                if (done || System.nanoTime() > deadline) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long cpuMs = ProcStats.cpuMillis(pid);
            long pgCpuMs = ProcStats.postgresCpuMillis(data.resolve("postgres"));
            long peakRssKb = rss.stop();
            Counts end = counts(c);
            Map<String, Long> legs = legs(c, t0Wall);
            Duplicates dup = duplicates(c);
            Map<String, Long> reasons = parkedByReason(c);
            System.out.println("initial-load: " + (done ? "done" : String.format(Locale.ROOT, "NOT done: stopped after %.0f s", seconds)));
            System.out.printf(Locale.ROOT, "initial-load: boot %.1f s; first account captured at %.1f s;"
                            + " ERP customers created from %.1f s to %.1f s; ERP numbers written in the CRM from %.1f s to"
                            + " %.1f s (from the launch)%n", bootMs / 1000.0, legs.get("firstCaptured") / 1000.0,
                    legs.get("firstErp") / 1000.0, legs.get("lastErp") / 1000.0, legs.get("firstCrm") / 1000.0,
                    legs.get("lastCrm") / 1000.0);
            double erpLegS = (legs.get("lastErp") - legs.get("firstErp")) / 1000.0;
            double crmLegS = (legs.get("lastCrm") - legs.get("firstCrm")) / 1000.0;
            System.out.printf(Locale.ROOT, "initial-load: leg CRM->ERP %.1f records/s (%d created in %.1f s);"
                            + " leg ERP->CRM (number back) %.1f records/s (%d written in %.1f s)%n",
                    end.erpCreated / Math.max(erpLegS, 0.001), end.erpCreated, erpLegS,
                    end.crmNumbered / Math.max(crmLegS, 0.001), end.crmNumbered, crmLegS);
            System.out.printf(Locale.ROOT, "initial-load: ESB peak RSS %d MB, peak heap used %d MB (-Xmx1g; read every 10 s), CPU %.1f s;"
                            + " its PostgreSQL CPU %.1f s (backends alive at the end)%n", peakRssKb / 1024, peakHeapMb,
                    cpuMs / 1000.0, pgCpuMs / 1000.0);
            System.out.printf("initial-load: duplicates: ERP customers sharing a CRM account %d, sharing a tax id %d,"
                    + " CRM numbers that are not the ERP customer's %d%n", dup.sameAccount, dup.sameTaxId, dup.wrongNumber);
            System.out.println("initial-load: parked messages of the customer master by reason (status, count):");
            reasons.forEach((reason, count) -> System.out.printf("  %6d  %s%n", count, reason));
            if (!done) {
                // the legs run one after the other (the capture asks the ERP only after the CRM's whole window): the
                // estimate adds them; a leg not started yet is taken at the other's rate
                double r1 = end.erpCreated / Math.max(erpLegS, 0.001);
                double r2 = end.crmNumbered > 0 ? end.crmNumbered / Math.max(crmLegS, 0.001) : r1;
                double estimate = legs.get("firstCaptured") / 1000.0 + 49_500 / r1 + 49_500 / r2;
                System.out.printf(Locale.ROOT, "initial-load: at %.1f and %.1f records/s for the two legs, 50,000 accounts"
                        + " (1%% conflicts) would take about %.0f min from the launch%n", r1, r2, estimate / 60);
            }
            int duplicates = dup.sameAccount + dup.sameTaxId + dup.wrongNumber;
            System.out.printf(Locale.ROOT, "initial-load: customers=%d erp-created=%d crm-numbered=%d conflicts-parked=%d"
                            + " duplicates=%d seconds=%.0f records-per-s=%.1f peak-rss-mb=%d cpu-s=%.0f%n", end.accounts,
                    end.erpCreated, end.crmNumbered, end.conflictsParked, duplicates, seconds,
                    end.crmNumbered / seconds, peakRssKb / 1024, cpuMs / 1000.0);
        }
        stopEsb();
    }

    // ---- the ESB ----

    /** Starts the ESB, waits until it is ready; the milliseconds that took. */
    private long startEsb(boolean customerMaster, String log) throws Exception {
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-jar", jar.toString(), "--server.port=" + port, "--esb.embedded.data-dir=" + data,
                "--esb.embedded.kafka.port=" + kafkaPort, "--esb.embedded.kafka.controller-port=" + controllerPort,
                "--esb.embedded.postgres.port=" + pgPort, "--esb.sandbox.crm.webhook-url=")
                .redirectErrorStream(true).redirectOutput(out.resolve(log).toFile());
        pb.environment().put("ESB_CUSTOMER_MASTER_ENABLED", String.valueOf(customerMaster));
        esb = pb.start();
        long limit = start + TimeUnit.SECONDS.toNanos(300);
        while (true) {
            if (!esb.isAlive()) {
                throw new IllegalStateException("the ESB ended while starting; see " + out.resolve(log));
            }
            if (System.nanoTime() > limit) {
                throw new IllegalStateException("the ESB was not ready within 300 s; see " + out.resolve(log));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health/readiness")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return (System.nanoTime() - start) / 1_000_000;
                }
            } catch (IOException e) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    private void stopEsb() throws InterruptedException {
        if (esb == null) {
            return;
        }
        esb.destroy();
        if (!esb.waitFor(120, TimeUnit.SECONDS)) {
            esb.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        // its embedded PostgreSQL stops with it (a clean stop); wait until it has
        Path pid = data.resolve("postgres/postmaster.pid");
        for (int i = 0; i < 120 && Files.exists(pid); i++) {
            TimeUnit.MILLISECONDS.sleep(500);
        }
        esb = null;
    }

    private void killEsb() {
        if (esb != null && esb.isAlive()) {
            esb.destroyForcibly();
        }
    }

    private long heapUsedMb(long pid) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes());
            p.waitFor(10, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("total \\d+K, used (\\d+)K").matcher(text);
            return m.find() ? Long.parseLong(m.group(1)) / 1024 : 0;
        } catch (IOException | InterruptedException e) {
            return 0;
        }
    }

    // ---- seeding ----

    private String createByApi(int i) throws Exception {
        String body = accountJson(i);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/sandbox/crm/api/accounts")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("the sandbox CRM refused account " + i + ": " + r.statusCode() + " " + r.body());
        }
        Matcher m = Pattern.compile("\"account_no\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("no account_no in " + r.body());
        }
        return m.group(1);
    }

    /** Accounts from..n-1 by SQL, 1,000 per transaction; the INSERT the CRM API runs (its trigger stamps the change). */
    private int seedBySql(Connection c, int from, int to) throws SQLException {
        c.setAutoCommit(false);
        int rows = 0;
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO sandbox_crm.account (account_no, legal_name, tax_id, addresses, contacts)
                VALUES (coalesce(?, 'ACC-' || nextval('sandbox_crm.account_seq')), ?, ?, CAST(? AS jsonb), CAST(? AS jsonb))""")) {
            for (int i = from; i < to; i++) {
                insert.setString(1, null);
                insert.setString(2, legalName(i));
                insert.setString(3, taxId(i));
                insert.setString(4, addresses(i));
                insert.setString(5, contacts(i));
                insert.addBatch();
                rows++;
                if ((i + 1) % 1000 == 0 || i == to - 1) {
                    insert.executeBatch();
                    c.commit();
                }
            }
        }
        c.setAutoCommit(true);
        return rows;
    }

    /**
     * The rows written by SQL must be what the capture would see of accounts created through the API: the same
     * columns null / not null, the same keys in the JSON lists, revision 1, a change stamp.
     */
    private void compareRows(Connection c, List<String> apiAccounts) throws SQLException {
        String shape = """
                SELECT account_no, (legal_name IS NOT NULL) || ',' || (tax_id IS NOT NULL) || ',' || active || ',' || revision
                    || ',' || (erp_customer_no IS NULL) || ',' || (credit_limit IS NULL) || ',' || (erp_terms_version IS NULL)
                    || ',' || (chg_no > 0) || ',' || (chg_txid > 0)
                    || ',' || (SELECT string_agg(k, '|' ORDER BY k) FROM (SELECT DISTINCT jsonb_object_keys(a) AS k
                        FROM jsonb_array_elements(addresses) a) x)
                    || ',' || (SELECT string_agg(k, '|' ORDER BY k) FROM (SELECT DISTINCT jsonb_object_keys(a) AS k
                        FROM jsonb_array_elements(contacts) a) y) AS shape
                FROM sandbox_crm.account WHERE account_no = ANY(?) OR account_no IN (
                    SELECT account_no FROM sandbox_crm.account WHERE account_no <> ALL(?) ORDER BY chg_no LIMIT 3)""";
        Map<String, String> shapes = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(shape)) {
            s.setArray(1, c.createArrayOf("varchar", apiAccounts.toArray()));
            s.setArray(2, c.createArrayOf("varchar", apiAccounts.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    shapes.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        long distinct = shapes.values().stream().distinct().count();
        System.out.println("initial-load: row shapes (API accounts " + apiAccounts + " and the first SQL ones): " + shapes);
        if (distinct != 1) {
            throw new IllegalStateException("accounts seeded by SQL do not look like accounts created through the API: " + shapes);
        }
    }

    private static String legalName(int i) {
        String base = NAMES[i % NAMES.length] + " " + TRADES[(i / NAMES.length) % TRADES.length] + " " + (i + 1) + " "
                + FORMS[i % FORMS.length];
        // a conflict: the same company (tax id) a second time, as sales sometimes create it (a branch, a typo)
        return isConflict(i) ? base + " (Niederlassung)" : base;
    }

    /** Every 100th account is a conflict: it has the tax id of the account before it. */
    private static boolean isConflict(int i) {
        return i % 100 == 99;
    }

    /** Distinct valid German VAT numbers, the conflicts' that of the account before them. */
    static String taxId(int i) {
        int k = isConflict(i) ? i - 1 : i;
        String digits = String.valueOf(20_000_000 + k);
        return "DE" + digits + TaxIds.checkDigit(digits);
    }

    private static String addresses(int i) {
        String[] city = CITIES[i % CITIES.length];
        String billing = address("BILLING", STREETS[i % STREETS.length] + " " + (1 + i % 180), city[1], city[0]);
        if (i % 3 != 0) {
            return "[" + billing + "]";
        }
        String[] other = CITIES[(i / 3) % CITIES.length];
        return "[" + billing + "," + address("SHIPPING", STREETS[(i / 7) % STREETS.length] + " " + (2 + i % 90),
                other[1], other[0]) + "]";
    }

    private static String address(String type, String street, String postalCode, String city) {
        return "{\"type\":\"" + type + "\",\"street\":\"" + street + "\",\"postalCode\":\"" + postalCode
                + "\",\"city\":\"" + city + "\",\"country\":\"DE\"}";
    }

    private static String contacts(int i) {
        String first = FIRST[i % FIRST.length];
        String last = LAST[(i / FIRST.length) % LAST.length];
        return "[{\"name\":\"" + first + " " + last + "\",\"role\":\"" + ROLES[i % ROLES.length] + "\",\"email\":\""
                + first.toLowerCase(Locale.ROOT) + "." + last.toLowerCase(Locale.ROOT) + "@customer" + (i + 1)
                + ".example\",\"phone\":\"+49 30 " + (1_000_000 + i) + "\"}]";
    }

    /** The body of POST /accounts for account i (the same data as the SQL rows). */
    private static String accountJson(int i) {
        return "{\"legalName\":\"" + legalName(i) + "\",\"taxId\":\"" + taxId(i) + "\",\"addresses\":" + addresses(i)
                + ",\"contacts\":" + contacts(i) + "}";
    }

    // ---- measuring ----

    private record Counts(long accounts, long captured, long erpCreated, long crmNumbered, long conflictsParked) {
    }

    private Counts counts(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT (SELECT count(*) FROM sandbox_crm.account),
                       (SELECT count(*) FROM esb.customer_master WHERE crm_version IS NOT NULL),
                       (SELECT count(*) FROM erp.cust_mst WHERE crm_ref IS NOT NULL),
                       (SELECT count(*) FROM sandbox_crm.account WHERE erp_customer_no IS NOT NULL),
                       (SELECT count(*) FROM sandbox_crm.account a WHERE a.erp_customer_no IS NULL
                            AND NOT EXISTS (SELECT 1 FROM erp.cust_mst m WHERE m.crm_ref = a.account_no)
                            AND EXISTS (SELECT 1 FROM esb.parked_message p WHERE p.flow = 'customer-master'
                                AND p.business_key = a.account_no))""")) {
            rs.next();
            return new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
        }
    }

    /** Milliseconds from the launch of start 2 to the first capture, the first/last ERP create, the first/last CRM number. */
    private Map<String, Long> legs(Connection c, long t0Wall) throws SQLException {
        Map<String, Long> legs = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT (SELECT CAST(extract(epoch FROM min(crm_captured_at)) * 1000 AS bigint) FROM esb.customer_master),
                       (SELECT CAST(extract(epoch FROM min(crt_ts)) * 1000 AS bigint) FROM erp.cust_mst WHERE crm_ref IS NOT NULL),
                       (SELECT CAST(extract(epoch FROM max(crt_ts)) * 1000 AS bigint) FROM erp.cust_mst WHERE crm_ref IS NOT NULL),
                       (SELECT CAST(extract(epoch FROM min(erp_synced_at)) * 1000 AS bigint) FROM sandbox_crm.account),
                       (SELECT CAST(extract(epoch FROM max(erp_synced_at)) * 1000 AS bigint) FROM sandbox_crm.account)""")) {
            rs.next();
            legs.put("firstCaptured", rs.getLong(1) - t0Wall);
            legs.put("firstErp", rs.getLong(2) - t0Wall);
            legs.put("lastErp", rs.getLong(3) - t0Wall);
            legs.put("firstCrm", rs.getLong(4) - t0Wall);
            legs.put("lastCrm", rs.getLong(5) - t0Wall);
        }
        return legs;
    }

    private record Duplicates(int sameAccount, int sameTaxId, int wrongNumber) {
    }

    private Duplicates duplicates(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT (SELECT count(*) FROM (SELECT crm_ref FROM erp.cust_mst WHERE crm_ref IS NOT NULL
                            GROUP BY crm_ref HAVING count(*) > 1) x),
                       (SELECT count(*) FROM (SELECT tax_id FROM erp.cust_mst WHERE tax_id IS NOT NULL
                            GROUP BY tax_id HAVING count(*) > 1) y),
                       (SELECT count(*) FROM sandbox_crm.account a WHERE a.erp_customer_no IS NOT NULL
                            AND a.erp_customer_no IS DISTINCT FROM (SELECT min(m.cust_no) FROM erp.cust_mst m
                                WHERE m.crm_ref = a.account_no))""")) {
            rs.next();
            return new Duplicates(rs.getInt(1), rs.getInt(2), rs.getInt(3));
        }
    }

    /** Parked messages of the flow by status and reason (account numbers, ERP numbers and tax ids as #). */
    private Map<String, Long> parkedByReason(Connection c) throws SQLException {
        Map<String, Long> reasons = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT status || ' ' || route_id || ': ' || left(regexp_replace(reason,
                        'ACC-[0-9]+|C[0-9]{7}|DE[0-9]{9}|[0-9a-f]{8}-[0-9a-f-]{27}', '#', 'g'), 200), count(*)
                FROM esb.parked_message WHERE flow = 'customer-master' GROUP BY 1 ORDER BY 2 DESC""")) {
            while (rs.next()) {
                reasons.put(rs.getString(1), rs.getLong(2));
            }
        }
        return reasons;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
