package io.conduit.esb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.partner.PartnerGate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Measures the partner intake latency of a running ESB (e.g. {@code mvn spring-boot:run}): the time from sending a
 * signed order to {@code POST /api/v1/partner/orders} until its 202 arrives, which spans the signature check
 * (registry lookup, secret decryption, HMAC), the rate limiter, JSON Schema validation, the JSONata mapping, the
 * canonical validation, the Kafka write with acks=all and the tracking rows in PostgreSQL. It registers a partner
 * of its own through the admin API (token {@code esb.partner.admin-token}, dev default) and sends orders one at a
 * time, each with its own Idempotency-Key.
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.conduit.esb.bench.PartnerIntakeLatencyBenchmark -Dexec.args="http://localhost:8080 200"
 * </pre>
 * Not a test: it prints figures.
 */
public final class PartnerIntakeLatencyBenchmark {

    private PartnerIntakeLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String baseUrl = args.length > 0 ? args[0] : "http://localhost:8080";
        int orders = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String adminToken = args.length > 2 ? args[2] : "dev-admin-token";
        int warmup = Math.min(20, orders);
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        String partner = "bench-" + UUID.randomUUID().toString().substring(0, 8);

        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/partner/admin/partners"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"partnerId\":\"" + partner + "\",\"name\":\"Benchmark\","
                        + "\"allowedMessageTypes\":[\"order\"],\"rateLimitPerMinute\":100000}")).build(), HttpResponse.BodyHandlers.ofString());
        if (registered.statusCode() != 201) {
            throw new IllegalStateException("registration failed: " + registered.statusCode() + " " + registered.body());
        }
        JsonNode key = json.readTree(registered.body()).path("apiKey");
        String keyId = key.path("keyId").asText();
        byte[] secret = key.path("secret").asText().getBytes(StandardCharsets.UTF_8);

        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < warmup + orders; i++) {
            String body = "{\"orderNumber\":\"B-" + i + "\",\"orderDate\":\"2026-11-20\",\"currency\":\"EUR\","
                    + "\"buyer\":{\"customerNumber\":\"ACC-204\",\"name\":\"Acme GmbH\"},"
                    + "\"lines\":[{\"sku\":\"P-100\",\"quantity\":10,\"unitPrice\":100.00},{\"sku\":\"P-200\",\"quantity\":5,\"unitPrice\":46.90}]}";
            long start = System.nanoTime();
            String timestamp = String.valueOf(Instant.now().getEpochSecond());
            String signature = "sha256=" + HexFormat.of().formatHex(
                    PartnerGate.hmac(secret, timestamp, body.getBytes(StandardCharsets.UTF_8)));
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/partner/orders"))
                    .header("Content-Type", "application/json").header("X-Api-Key", keyId).header("X-Timestamp", timestamp)
                    .header("X-Signature", signature).header("Idempotency-Key", partner + "-" + i)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            long end = System.nanoTime();
            if (answer.statusCode() != 202) {
                throw new IllegalStateException("order " + i + ": " + answer.statusCode() + " " + answer.body());
            }
            if (i >= warmup) {
                millis.add((end - start) / 1e6);
            }
        }
        LatencySummary.print(String.format(Locale.ROOT, "partner intake, signed POST -> 202 (in Kafka, tracked), %d orders (after %d warm-up) against %s",
                orders, warmup, baseUrl), millis);
    }

}
