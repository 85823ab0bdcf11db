package io.conduit.esb.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.support.IntakeSignature;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP calls of the suite's drivers, made as a real sender makes them: retried until an answer it can take
 * comes, for up to {@link #GIVE_UP}. Two kinds:
 * <ul>
 *   <li>a system's own user working in the sandbox (the CRM's agent, the OA's clerk): the sandbox's API with
 *       {@value #BYPASS}, so the system's simulated faults, which are meant for the ESB, do not hit it;</li>
 *   <li>a source system posting to the ESB's intake, signed with HMAC as that source signs (a fresh timestamp and
 *       signature per attempt, at least 1.1 s apart: a signature is single-use).</li>
 * </ul>
 * Counts every attempt and every retry, for the suite's log.
 */
final class RetryingSender {

    static final String BYPASS = "X-Sandbox-Bypass-Faults";
    private static final Duration GIVE_UP = Duration.ofMinutes(15);

    private final List<String> baseUrls;
    private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    /** What the attempts got: an HTTP status, or the kind of I/O failure. */
    private final Map<String, AtomicLong> outcomes = new ConcurrentSkipListMap<>();
    /** The first answer of each refusing or failing status, for the log. */
    private final Map<Integer, String> firstAnswers = new ConcurrentSkipListMap<>();

    RetryingSender(String baseUrl) {
        this(List.of(baseUrl));
    }

    /**
     * Several replicas of the ESB, as a load balancer in front of them sends: each attempt to the next one in turn, so
     * a replica that is away costs an attempt and the retry goes to another.
     */
    RetryingSender(List<String> baseUrls) {
        this.baseUrls = List.copyOf(baseUrls);
    }

    /**
     * A call of the system's own user: 2xx gives the body (null if empty); 409 gives null (a create an earlier
     * attempt already made, its answer lost).
     */
    JsonNode asUser(String method, String path, byte[] body) throws GivenUp, Rejected, InterruptedException {
        return call(method, path, body, true, null);
    }

    /** A POST to the ESB signed with the source's secret, until 2xx. */
    JsonNode signed(String secret, String path, byte[] body) throws GivenUp, Rejected, InterruptedException {
        return call("POST", path, body, false, secret);
    }

    /**
     * One call, retried until it gets an answer it can take. A refusal (4xx but 408 and 429; 409 for a user's call
     * is taken) is final, as it is for a real sender. Anything else (refused connection, timeout, 503 while the ESB
     * starts, 5xx) is retried with backoff: 0.5 s doubling to 5 s, a signed call at least 1.1 s apart.
     */
    private JsonNode call(String method, String path, byte[] body, boolean user, String secret)
            throws GivenUp, Rejected, InterruptedException {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        long backoff = 500;
        boolean first = true;
        while (true) {
            attempts.incrementAndGet();
            if (!first) {
                retries.incrementAndGet();
            }
            first = false;
            String baseUrl = baseUrls.get(Math.floorMod(next.getAndIncrement(), baseUrls.size()));
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(20))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            if (user) {
                request.header(BYPASS, "true");
            }
            if (secret != null) {
                IntakeSignature.headers(secret, body).forEach((name, values) -> request.header(name, values.get(0)));
            }
            try {
                HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                outcome(String.valueOf(status));
                if (status >= 300) {
                    firstAnswers.putIfAbsent(status, method + " " + path.replaceAll("\\?.*", "") + ": "
                            + new String(response.body(), StandardCharsets.UTF_8));
                }
                if (status >= 200 && status < 300) {
                    byte[] answer = response.body();
                    return answer.length == 0 ? null : json.readTree(answer);
                }
                if (status == 409 && user) {
                    return null;
                }
                if (status >= 400 && status < 500 && status != 408 && status != 429) {
                    throw new Rejected(method + " " + path + " answered " + status + ": "
                            + new String(response.body(), StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // refused, reset, timed out: the ESB (and the sandbox in it) is away; try again
                outcome(e instanceof java.net.http.HttpTimeoutException ? "timeout" : "io");
            }
            if (System.nanoTime() > deadline) {
                throw new GivenUp();
            }
            Thread.sleep(secret != null ? Math.max(backoff, 1100) : backoff);
            backoff = Math.min(backoff * 2, 5000);
        }
    }

    private void outcome(String what) {
        outcomes.computeIfAbsent(what, x -> new AtomicLong()).incrementAndGet();
    }

    /** How many attempts got what: {@code {202=20, 503=41, io=300, timeout=2}}. */
    String outcomes() {
        return outcomes.toString();
    }

    /** The first answer of each status of 300 or more, one per line. */
    java.util.Collection<String> firstAnswers() {
        return firstAnswers.values();
    }

    long attempts() {
        return attempts.get();
    }

    long retries() {
        return retries.get();
    }

    /** A call refused with a 4xx: not retried. */
    static final class Rejected extends Exception {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }

    /** A call that got no acceptable answer within {@link #GIVE_UP}. */
    static final class GivenUp extends Exception {
        GivenUp() {
            super(null, null, false, false);
        }
    }
}
