package io.conduit.esb.bench;

import io.conduit.esb.ConduitApplication;
import io.conduit.esb.parking.ParkedFilter;
import io.conduit.esb.parking.Replays;
import io.conduit.esb.support.Sandbox;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures the replay rate (messages per second) of a bulk replay in an in-process ESB (the test profile: embedded
 * Kafka, Artemis, PostgreSQL and sandbox systems, on a free port). It parks N order acknowledgements (published for
 * opportunities the sandbox CRM does not have yet, so the CRM answers 404 and each is parked at once), creates the
 * opportunities (the "fix"), then replays all N as one background job and times it, from the job's start to DONE.
 * Each replay runs the acknowledgement route: JSONata mapping, a CRM REST PATCH, the claim/outcome updates in
 * PostgreSQL and the journal entries (when a journal is present).
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.conduit.esb.bench.ReplayBenchmark -Dexec.args="500 2"
 * </pre>
 * Arguments: messages (default 500), concurrency ({@code esb.replay.concurrency}, default 2). Not a test: it prints
 * figures.
 */
public final class ReplayBenchmark {

    private ReplayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int port = freePort();
        ConfigurableApplicationContext app = SpringApplication.run(ConduitApplication.class,
                "--spring.profiles.active=test", "--server.port=" + port, "--esb.replay.concurrency=" + concurrency,
                "--logging.level.root=WARN", "--logging.level.io.conduit.esb.parking=WARN");
        int status = 0;
        try {
            status = run(app, port, messages, concurrency);
        } finally {
            app.close();
        }
        System.exit(status);
    }

    private static int run(ConfigurableApplicationContext app, int port, int messages, int concurrency) {
        Replays replays = app.getBean("replays", Replays.class);
        String brokers = app.getEnvironment().getRequiredProperty("camel.component.kafka.brokers");
        String acks = app.getEnvironment().getRequiredProperty("esb.topics.names.order-acks");
        Sandbox sandbox = new Sandbox("http://localhost:" + port);
        String run = UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT);
        ParkedFilter filter = new ParkedFilter(null, "order-handoff", "404", null, null, null, null);

        long parkStart = System.nanoTime();
        publishAcks(brokers, acks, run, messages);
        await(() -> replays.count(filter) >= messages, Duration.ofMinutes(5), "messages parked");
        double parkSeconds = (System.nanoTime() - parkStart) / 1e9;
        for (int i = 0; i < messages; i++) {
            sandbox.createOpportunity(id(run, i));
        }

        long dryStart = System.nanoTime();
        Replays.ReplayPlan plan = replays.dryRun(filter);
        double dryMillis = (System.nanoTime() - dryStart) / 1e6;

        long start = System.nanoTime();
        Replays.ReplayJob job = replays.start(filter, "benchmark");
        await(() -> !"RUNNING".equals(replays.job(job.id()).orElseThrow().status()), Duration.ofMinutes(10),
                "replay job done");
        double seconds = (System.nanoTime() - start) / 1e9;
        Replays.ReplayJob done = replays.job(job.id()).orElseThrow();

        System.out.printf(Locale.ROOT, "%nReplay benchmark: %d parked order acknowledgements, concurrency %d, no pace limit%n",
                messages, concurrency);
        System.out.printf(Locale.ROOT, "  parked in           %8.2f s (publish to Kafka -> route -> CRM 404 -> parking lot)%n",
                parkSeconds);
        System.out.printf(Locale.ROOT, "  dry run             %8.1f ms (total %d, first page %d)%n", dryMillis,
                plan.total(), plan.messages().size());
        System.out.printf(Locale.ROOT, "  bulk replay         %8.2f s, status %s, delivered %d, parked again %d, skipped %d%n",
                seconds, done.status(), done.delivered(), done.parkedAgain(), done.skipped());
        System.out.printf(Locale.ROOT, "  replay rate         %8.1f messages/s%n", done.done() / seconds);
        return "DONE".equals(done.status()) && done.delivered() == messages ? 0 : 1;
    }

    private static void publishAcks(String brokers, String topic, String run, int messages) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < messages; i++) {
                String id = id(run, i);
                String body = """
                        {"orderId":"%s","source":"crm","revision":1,"erpOrderNumber":"SO-B%d","status":"ACCEPTED",
                         "erpStatus":"NEW","outcome":"CREATED","acknowledgedAt":"2026-11-20T09:15:02.120Z"}"""
                        .formatted(id, i);
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, id, body);
                header(record, "ce_id", UUID.randomUUID().toString());
                header(record, "ce_type", "io.conduit.order.acknowledged");
                header(record, "ce_source", "erp");
                header(record, "ce_specversion", "1.0");
                header(record, "ce_subject", id);
                header(record, "ce_correlationid", "bench-" + id);
                producer.send(record);
            }
            producer.flush();
        }
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String id(String run, int i) {
        return "OPP-RB" + run + "-" + i;
    }

    private static void await(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for: " + what);
            }
            LockSupport.parkNanos(50_000_000L);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
