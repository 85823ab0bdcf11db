package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * Polls a capture port ({@code erp.requisitions-since}, {@code crm.quotes-since}, {@code oa.trip-requests-since},
 * {@code erp.customers-since}, {@code crm.customers-since}) as the approvals and customer master flows do: each call
 * with the watermark the call before answered, every answer checked, every reported record kept. Shared by the ports'
 * contract tests.
 */
final class CapturePoll {

    /** One call of the capture port with a watermark (null: nothing read yet); its answer. */
    @FunctionalInterface
    interface Capture {
        JsonNode since(String watermark) throws Exception;
    }

    private static final Duration REPORTED_WITHIN = Duration.ofSeconds(30);

    private final Capture capture;
    private final String member;
    private final String key;
    private final Consumer<JsonNode> check;
    private final List<JsonNode> requests = new ArrayList<>();
    private String watermark;

    /**
     * @param member the answer's member listing the requests ("requisitions", "quotes", "requests")
     * @param check  what each answer must pass (its schema, each request once)
     */
    CapturePoll(Capture capture, String member, Consumer<JsonNode> check, String watermark) {
        this(capture, member, "requestId", check, watermark);
    }

    /**
     * @param key the member of a record naming it ("requestId"; "customerId" for customers)
     */
    CapturePoll(Capture capture, String member, String key, Consumer<JsonNode> check, String watermark) {
        this.capture = capture;
        this.member = member;
        this.key = key;
        this.check = check;
        this.watermark = watermark;
    }

    void next() throws Exception {
        JsonNode result = capture.since(watermark);
        check.accept(result);
        result.path(member).forEach(requests::add);
        watermark = result.path("watermark").isNull() ? null : result.path("watermark").asText();
    }

    /** Polls until the request is reported in a state the predicate wants (30 s at most); that report. */
    JsonNode until(String requestId, Predicate<JsonNode> wanted) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await().atMost(REPORTED_WITHIN).pollInterval(Duration.ofMillis(300)).until(() -> {
            next();
            requests.stream().filter(r -> requestId.equals(r.path(key).asText())).filter(wanted).findFirst()
                    .ifPresent(found::set);
            return found.get() != null;
        });
        return found.get();
    }

    /** How often the request was reported so far. */
    long reported(String requestId) {
        return requests.stream().filter(r -> requestId.equals(r.path(key).asText())).count();
    }

    /** Every record reported so far. */
    List<JsonNode> all() {
        return List.copyOf(requests);
    }
}
