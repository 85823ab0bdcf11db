package io.conduit.esb.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.conduit.esb.journal.FailedAttemptNotifier;
import io.conduit.esb.journal.Hop;
import io.conduit.esb.journal.HopRecorder;
import io.conduit.esb.journal.JdbcJournal;
import io.conduit.esb.journal.JournalEntry;
import io.conduit.esb.journal.JournalInterceptStrategy;
import io.conduit.esb.journal.JournalProperties;
import io.conduit.esb.journal.JournalQuery;
import io.conduit.esb.journal.ReceivedHopPolicyFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The journal's cost, against a real PostgreSQL (zonky embedded, as the embedded build uses):
 * <ol>
 *   <li>calling-thread time of {@code Journal.record} and the writer's sustained rate (entries/s) into the table;</li>
 *   <li>the per-message overhead on a Camel route of six journaled hops (RECEIVED, 2x VALIDATED, MAPPED, DELIVERED,
 *       PUBLISHED) with key extraction and payload masking: journaling on vs off.</li>
 * </ol>
 * Run: {@code mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.conduit.esb.bench.JournalBenchmark}
 * (optional args: entries messages).
 */
public final class JournalBenchmark {

    private static final String ORDER = """
            {"orderId":"OPP-%s","revision":1,"source":"crm","customer":{"accountNo":"ACC-204","name":"Acme GmbH",
             "email":"buyer@acme.example","phone":"+49 30 1234567"},"currency":"EUR","total":1234.50,
             "orderDate":"2026-05-01","deliveryDate":"2026-06-01","lines":[
             {"lineNo":1,"itemNo":"P-100","description":"Hydraulic pump HP-10","quantity":10,"unitPrice":100.00,"lineTotal":1000.00},
             {"lineNo":2,"itemNo":"P-200","description":"Seal kit","quantity":5,"unitPrice":46.90,"lineTotal":234.50}],
             "notes":"Deliver to gate 3, ask for Mr. Example at the front desk. Call ahead please."}""";

    private JournalBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        Path dir = Files.createTempDirectory("journal-bench");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(true)
                .start(); HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
            ds.setMaximumPoolSize(4);
            Flyway.configure().dataSource(ds).schemas("esb").defaultSchema("esb").locations("classpath:db/esb").load().migrate();
            JdbcTemplate jdbc = new JdbcTemplate(ds);
            System.out.printf(Locale.ROOT, "Journal benchmark: %d cores, PostgreSQL %s (embedded), %d entries, %d route messages%n",
                    Runtime.getRuntime().availableProcessors(),
                    jdbc.queryForObject("show server_version", String.class), entries, messages);

            writerThroughput(jdbc, entries);
            routeOverhead(jdbc, messages);
            searchLatency(jdbc);
        }
    }

    /** record() cost on the caller and the sustained batch-insert rate of the background writer. */
    private static void writerThroughput(JdbcTemplate jdbc, int entries) {
        JournalProperties settings = new JournalProperties();
        JdbcJournal journal = new JdbcJournal(jdbc, new ObjectMapper(), settings, new SimpleMeterRegistry());
        journal.start();
        String payload = ORDER.formatted("X").replace("buyer@acme.example", "b***@acme.example");
        // warm-up
        for (int i = 0; i < 5_000; i++) {
            journal.record(entry(i, payload));
        }
        journal.flush();
        long before = jdbc.queryForObject("select count(*) from esb.journal_entry", Long.class);
        long recordNanos = 0;
        long start = System.nanoTime();
        for (int i = 0; i < entries; i++) {
            JournalEntry entry = entry(i, payload);
            long t = System.nanoTime();
            journal.record(entry);
            recordNanos += System.nanoTime() - t;
        }
        journal.flush();
        long elapsed = System.nanoTime() - start;
        long stored = jdbc.queryForObject("select count(*) from esb.journal_entry", Long.class) - before;
        System.out.printf(Locale.ROOT, "%nWriter (batch %d, queue %d, payload %d chars):%n", settings.getWriter().getBatchSize(),
                settings.getWriter().getQueueCapacity(), payload.length());
        System.out.printf(Locale.ROOT, "  record() on the calling thread: %.2f us/entry (includes waits when the queue was full)%n",
                recordNanos / 1000.0 / entries);
        System.out.printf(Locale.ROOT, "  sustained write rate: %.0f entries/s (%d stored in %.2f s)%n",
                stored / (elapsed / 1e9), stored, elapsed / 1e9);
        journal.stop();
    }

    private static JournalEntry entry(int i, String payload) {
        return new JournalEntry(0, Instant.now(), "corr-" + (i / 9), "ev-" + i, "order-handoff", "order-handoff.to-erp",
                "order-handoff.write-erp", Hop.DELIVERED, null, "erp", "SO" + i,
                Map.of("orderId", "OPP-" + (i / 9), "erpOrderNo", "SO" + (i / 9)), null, payload, null);
    }

    /** Per-message time of a six-hop route with journaling off and on (real journal, real PostgreSQL). */
    private static void routeOverhead(JdbcTemplate jdbc, int messages) throws Exception {
        double off = runRoute(jdbc, messages, false, false);
        double capture = runRoute(jdbc, messages, true, false);
        double on = runRoute(jdbc, messages, true, true);
        System.out.printf(Locale.ROOT, "%nCamel route, 6 journaled hops per message (keys by jsonpath, payload masked), one sending thread:%n");
        System.out.printf(Locale.ROOT, "  journal off:                       %.1f us/message%n", off);
        System.out.printf(Locale.ROOT, "  capture only (entries discarded):  %.1f us/message -> %.1f us of flow thread per hop%n",
                capture, (capture - off) / 6);
        System.out.printf(Locale.ROOT, "  journal on, written to PostgreSQL: %.1f us/message (%.0f messages/s, %.0f entries/s;"
                + " the route runs as fast as the writer stores, back-pressure)%n", on, 1e6 / on, 6e6 / on);
    }

    private static double runRoute(JdbcTemplate jdbc, int messages, boolean enabled, boolean store) throws Exception {
        JournalProperties settings = new JournalProperties();
        settings.setEnabled(enabled);
        settings.setReceivedSchemes(List.of("direct"));
        settings.getPayload().setMaskedFields(List.of("email", "phone", "name"));
        settings.setRules(List.of(new JournalProperties.StepRule(null, null, ".*\\.validate-.*", Hop.VALIDATED, null),
                new JournalProperties.StepRule(null, null, ".*\\.map-.*", Hop.MAPPED, null),
                new JournalProperties.StepRule(null, null, ".*\\.publish-.*", Hop.PUBLISHED, null)));
        JournalProperties.StepSetting deliver = new JournalProperties.StepSetting();
        deliver.setHop(Hop.DELIVERED);
        deliver.setTarget("erp");
        deliver.setTargetId("${exchangeProperty.erp[so_no]}");
        settings.getSteps().put("bench.write-erp", deliver);
        JournalProperties.FlowSetting flow = new JournalProperties.FlowSetting();
        flow.setKeys(Map.of("orderId", List.of("${exchangeProperty.orderId}", "${jsonpath($.orderId)}"),
                "erpOrderNo", List.of("${exchangeProperty.erp[so_no]}")));
        settings.getFlows().put("bench", flow);
        JdbcJournal journal = new JdbcJournal(jdbc, new ObjectMapper(), settings, new SimpleMeterRegistry());
        journal.start();
        HopRecorder recorder = new HopRecorder(store ? journal : new Discard(), settings, new SimpleMeterRegistry());

        DefaultCamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().addInterceptStrategy(new JournalInterceptStrategy(recorder, settings));
        context.addRoutePolicyFactory(new ReceivedHopPolicyFactory(recorder));
        context.getManagementStrategy().addEventNotifier(new FailedAttemptNotifier(recorder));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").routeId("bench.intake").routeGroup("bench")
                        .process(e -> e.getMessage().getBody(String.class).length()).id("bench.validate-source")
                        .process(e -> e.getMessage().setBody(e.getMessage().getBody(String.class).replace("crm", "CRM"))).id("bench.map-order")
                        .process(e -> e.getMessage().getBody(String.class).length()).id("bench.validate-order")
                        .process(e -> e.setProperty("erp", Map.of("so_no", "SO" + e.getExchangeId()))).id("bench.write-erp")
                        .process(e -> { }).id("bench.publish-ack");
            }
        });
        context.start();
        ProducerTemplate template = context.createProducerTemplate();
        for (int i = 0; i < 5_000; i++) {
            template.sendBody("direct:in", ORDER.formatted(i));
        }
        journal.flush();
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            template.sendBody("direct:in", ORDER.formatted(i));
        }
        double perMessage = (System.nanoTime() - start) / 1000.0 / messages;
        journal.flush();
        context.stop();
        journal.stop();
        return perMessage;
    }

    /** A journal that keeps nothing: isolates the capture's cost on the flow thread. */
    private static final class Discard implements io.conduit.esb.journal.Journal {
        @Override
        public void record(JournalEntry entry) {
        }

        @Override
        public List<JournalEntry> search(JournalQuery query) {
            return List.of();
        }

        @Override
        public List<JournalEntry> journey(JournalQuery query) {
            return List.of();
        }

        @Override
        public boolean deliveredSince(String eventId, String routeId, Instant since) {
            return false;
        }

        @Override
        public void flush() {
        }
    }

    /** How long a key search and a journey take on the table the benchmark filled. */
    private static void searchLatency(JdbcTemplate jdbc) {
        JdbcJournal journal = new JdbcJournal(jdbc, new ObjectMapper(), new JournalProperties(), new SimpleMeterRegistry());
        jdbc.execute("analyze esb.journal_entry");
        long rows = jdbc.queryForObject("select count(*) from esb.journal_entry", Long.class);
        int runs = 200;
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            journal.journey(JournalQuery.byKey("SO" + (i * 37)));
        }
        double journeyMs = (System.nanoTime() - start) / 1e6 / runs;
        String plan = String.join(" | ", jdbc.queryForList(
                "explain select id from esb.journal_entry where key_values @> ARRAY['SO4711']::text[]", String.class));
        System.out.printf(Locale.ROOT, "%nSearch on %d entries: journey by ERP order number %.2f ms (plan: %s)%n", rows,
                journeyMs, plan.replaceAll("\\s+", " "));
    }
}
