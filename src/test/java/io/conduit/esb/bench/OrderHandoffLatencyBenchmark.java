package io.conduit.esb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.support.Sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Measures the order handoff latency of a running ESB (e.g. {@code mvn spring-boot:run}): the time from the
 * CRM's "win" of an opportunity to the ERP order number being stored back in the CRM, which spans the webhook,
 * validation, mapping, Kafka, the ERP transaction, the acknowledgement event and the CRM update.
 * Orders are sent one at a time so each figure is a single order's end-to-end latency; the CRM is polled every
 * 5 ms, so figures are up to 5 ms high.
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.conduit.esb.bench.OrderHandoffLatencyBenchmark -Dexec.args="http://localhost:8080 100"
 * </pre>
 * Not a test: it prints figures.
 */
public final class OrderHandoffLatencyBenchmark {

    private OrderHandoffLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String baseUrl = args.length > 0 ? args[0] : "http://localhost:8080";
        int orders = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int warmup = Math.min(10, orders);
        Sandbox sandbox = new Sandbox(baseUrl);
        String run = UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT);

        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < warmup + orders; i++) {
            String id = "OPP-B" + run + "-" + i;
            sandbox.createOpportunity(id);
            long start = System.nanoTime();
            sandbox.win(id);
            long deadline = start + 30_000_000_000L;
            while (true) {
                JsonNode opp = sandbox.opportunity(id);
                if (opp.hasNonNull("erpOrderNo") && !opp.path("erpOrderNo").asText().isEmpty()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("order " + id + " did not come back within 30 s");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L); // poll every 5 ms
            }
            if (i >= warmup) {
                millis.add((System.nanoTime() - start) / 1e6);
            }
        }
        LatencySummary.print(String.format(Locale.ROOT, "order handoff, CRM win -> ERP number in CRM, %d orders (after %d warm-up) against %s",
                orders, warmup, baseUrl), millis);
    }

}
