package io.conduit.esb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.support.Sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures how fast a running ESB (embedded default, sandbox systems) recovers from an ERP outage: N orders are won
 * in the CRM while the sandbox ERP is down, the ERP stays down for a while, comes back, and the benchmark reports the
 * time from the ERP's recovery to the first and to the last order's ERP number in the CRM, and how many were parked.
 * Run by {@code bench/recovery.sh}, which starts the ESB with and without the retry lane:
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.conduit.esb.bench.RecoveryBenchmark -Dexec.args="http://localhost:8080 20 40"
 * </pre>
 * Arguments: base URL, orders, seconds the ERP stays down after the last win, and the mode: {@code outage} (the
 * default: times from the ERP's recovery), {@code queue} (win the orders with the ERP down and leave them waiting:
 * the script then kills the ESB) or {@code since:<epoch ms>} (after the restart: times from that moment). Not a
 * test: it prints one line, {@code recovery (mode): orders=N down-s=D first-delivery-ms=F all-delivered-ms=A ...}.
 */
public final class RecoveryBenchmark {

    private RecoveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String baseUrl = args.length > 0 ? args[0] : "http://localhost:8080";
        int orders = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int downSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        String mode = args.length > 3 ? args[3] : "outage";
        Sandbox sandbox = new Sandbox(baseUrl);
        java.nio.file.Path runFile = java.nio.file.Path.of("target/recovery-run.txt");
        if (mode.startsWith("since:")) {
            // after a restart: the orders queued before it, timed from the given moment (epoch ms, the restart)
            String run = java.nio.file.Files.readString(runFile).trim();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < orders; i++) {
                ids.add("OPP-RC" + run + "-" + i);
            }
            long since = Long.parseLong(mode.substring("since:".length()));
            long offset = System.currentTimeMillis() - since;
            report("restart", sandbox, run, ids, orders, downSeconds, System.nanoTime() - offset * 1_000_000L);
            return;
        }
        String run = UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            String id = "OPP-RC" + run + "-" + i;
            sandbox.createOpportunity(id);
            ids.add(id);
        }
        sandbox.setFault("erp", "down", 0, 0);
        if (mode.equals("queue")) {
            // orders waiting for the ERP when the ESB is killed (bench/recovery.sh kills it next)
            ids.forEach(sandbox::win);
            LockSupport.parkNanos(downSeconds * 1_000_000_000L);
            java.nio.file.Files.writeString(runFile, run);
            return;
        }
        try {
            ids.forEach(sandbox::win);
            LockSupport.parkNanos(downSeconds * 1_000_000_000L);
        } finally {
            sandbox.setFault("erp", "normal", 0, 0);
        }
        report("outage", sandbox, run, ids, orders, downSeconds, System.nanoTime());
    }

    /** Polls until every order has its ERP number in the CRM; prints the times from {@code from} (nanoTime). */
    private static void report(String what, Sandbox sandbox, String run, List<String> ids, int orders, int downSeconds,
                               long from) {
        long recovered = from;
        long deadline = recovered + 300_000_000_000L;
        long first = -1;
        List<String> waiting = new ArrayList<>(ids);
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            waiting.removeIf(id -> {
                JsonNode opp = sandbox.opportunity(id);
                return opp.hasNonNull("erpOrderNo") && !opp.path("erpOrderNo").asText().isEmpty();
            });
            if (first < 0 && waiting.size() < ids.size()) {
                first = System.nanoTime();
            }
            if (!waiting.isEmpty()) {
                LockSupport.parkNanos(50_000_000L);
            }
        }
        long all = waiting.isEmpty() ? System.nanoTime() : -1;
        JsonNode parked = sandbox.http().get()
                .uri("/api/v1/ops/parked?flow=order-handoff&limit=500")
                .headers(h -> h.setBasicAuth("viewer", "viewer")).retrieve().body(JsonNode.class);
        long parkedOfRun = 0;
        for (JsonNode message : parked) {
            if (message.path("businessKey").asText().startsWith("OPP-RC" + run)) {
                parkedOfRun++;
            }
        }
        System.out.printf(Locale.ROOT, "recovery (%s): orders=%d down-s=%d first-delivery-ms=%s all-delivered-ms=%s "
                        + "undelivered=%d parked=%d%n", what, orders, downSeconds,
                first < 0 ? "none" : String.valueOf((first - recovered) / 1_000_000),
                all < 0 ? "none" : String.valueOf((all - recovered) / 1_000_000), waiting.size(), parkedOfRun);
    }
}
