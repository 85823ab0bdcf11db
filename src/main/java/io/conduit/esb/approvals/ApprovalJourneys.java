package io.conduit.esb.approvals;

import io.conduit.esb.support.NotRetryableException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The journeys of the approvals flow (bean {@code approvalJourneys}), each an entry of {@code esb.approvals.journeys}
 * in {@code flows/approvals.yaml}: what makes a journey is data, the flow ({@code routes/approvals.camel.yaml}) is
 * the same for all of them.
 * <pre>
 * esb.approvals.journeys.&lt;key&gt;:          (key: the journey in kebab case, also its mappings folder)
 *   journey: QUOTE_DISCOUNT               the canonical ApprovalJourney
 *   enabled: true|false                   on where the chosen source adapter implements the two ports below
 *   capture-port: crm.quotes-since        {"watermark"} -> {"watermark", "&lt;requests&gt;": [ApprovalRequest...]}
 *   requests: quotes                      the member of the capture port's answer that lists the requests
 *   watermark: crm-quotes                 its row in esb.cdc_watermark (created on first use)
 *   apply-port: crm.apply-quote-decision  canonical ApprovalDecision -> {"outcome": APPLIED|DUPLICATE|STALE|NOT_PENDING}
 *   apply-result: crm/quote-decision-result.schema.json   the port's answer schema, under esb.adapters.dir
 *                                         ("mappings:&lt;path&gt;": under esb.mappings.dir, for a composite route of the
 *                                         flow whose answer is no adapter's)
 *   value: discountPercent                optional: the subject member a CHANGED decision lowers (the OA's "quantity");
 *                                         none (a business trip): a CHANGED decision is refused, never applied
 *   mappings: approvals/quote-discount    request-to-task.jsonata and state-to-decision.jsonata, under esb.mappings.dir
 *   reverse-port, reverse-result          optional: what undoes an applied decision when the source withdraws the
 *                                         request afterwards ({"requestId", "journey", "requestVersion", "decisionId",
 *                                         "reason", "request"} -> {"outcome": REVERSED|DUPLICATE}) and its answer's
 *                                         schema (as apply-result); none: a withdrawal after the decision changes nothing
 *   effect-ports                          optional: further ports the journey's composite routes call (checked at the
 *                                         start like the others, so a forced journey names the port its adapter lacks)
 * </pre>
 * A journey is on only where the flow is ({@code esb.approvals.enabled}). Java holds no journey's names: a new one
 * is an entry, its mapping folder and its matrix rules (and, where its effects are several ports, a route file).
 */
public class ApprovalJourneys {

    /** One journey's entry; the route reads it as a map (the same names). */
    public record Journey(String key, String journey, boolean enabled, String capturePort, String requests,
                          String watermark, String applyPort, String applyResult, String value, String mappings,
                          String applyResultFile, String reversePort, String reverseResultFile, List<String> effectPorts) {

        Map<String, Object> asMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("key", key);
            map.put("journey", journey);
            map.put("enabled", enabled);
            map.put("capturePort", capturePort);
            map.put("requests", requests);
            map.put("watermark", watermark);
            map.put("applyPort", applyPort);
            map.put("applyResult", applyResult);
            map.put("value", value);
            map.put("mappings", mappings);
            // the answers' schemas as files the json-validator reads (file:<path>)
            map.put("applyResultFile", applyResultFile);
            map.put("reversePort", reversePort);
            map.put("reverseResultFile", reverseResultFile);
            return Collections.unmodifiableMap(map);
        }
    }

    /** The entry as bound from the configuration (the key comes from the map). */
    public record Entry(String journey, Boolean enabled, String capturePort, String requests, String watermark,
                        String applyPort, String applyResult, String value, String mappings, String reversePort,
                        String reverseResult, List<String> effectPorts) {
    }

    private final Map<String, Journey> byJourney = new TreeMap<>();

    public ApprovalJourneys(Map<String, Entry> entries, boolean flowEnabled) {
        this(entries, flowEnabled, "adapters", "mappings");
    }

    public ApprovalJourneys(Map<String, Entry> entries, boolean flowEnabled, String adaptersDir, String mappingsDir) {
        entries.forEach((key, e) -> {
            require(key, "journey", e.journey());
            require(key, "capture-port", e.capturePort());
            require(key, "requests", e.requests());
            require(key, "watermark", e.watermark());
            require(key, "apply-port", e.applyPort());
            require(key, "apply-result", e.applyResult());
            if (blank(e.reversePort()) != blank(e.reverseResult())) {
                throw new IllegalStateException("esb.approvals.journeys." + key
                        + ": reverse-port and reverse-result go together");
            }
            Journey journey = new Journey(key, e.journey(), flowEnabled && Boolean.TRUE.equals(e.enabled()),
                    e.capturePort(), e.requests(), e.watermark(), e.applyPort(), e.applyResult(),
                    blank(e.value()) ? null : e.value(),
                    e.mappings() == null || e.mappings().isBlank() ? "approvals/" + key : e.mappings(),
                    file(e.applyResult(), adaptersDir, mappingsDir), blank(e.reversePort()) ? null : e.reversePort(),
                    blank(e.reverseResult()) ? null : file(e.reverseResult(), adaptersDir, mappingsDir),
                    e.effectPorts() == null ? List.of() : List.copyOf(e.effectPorts()));
            if (byJourney.put(journey.journey(), journey) != null) {
                throw new IllegalStateException("esb.approvals.journeys: journey " + journey.journey() + " twice");
            }
        });
    }

    /** The journeys of {@code esb.approvals.journeys}, on where the flow and their own switch are. */
    public static ApprovalJourneys from(Environment environment) {
        Binder binder = Binder.get(environment);
        Map<String, Entry> entries = binder.bind("esb.approvals.journeys", Bindable.mapOf(String.class, Entry.class))
                .orElse(Map.of());
        boolean flowEnabled = binder.bind("esb.approvals.enabled", Boolean.class).orElse(false);
        return new ApprovalJourneys(entries, flowEnabled, binder.bind("esb.adapters.dir", String.class).orElse("adapters"),
                binder.bind("esb.mappings.dir", String.class).orElse("mappings"));
    }

    /** The journeys that are on, as maps (for the capture's split), in journey order. */
    public List<Map<String, Object>> enabled() {
        return byJourney.values().stream().filter(Journey::enabled).map(Journey::asMap).toList();
    }

    /** Every configured journey, on or off. */
    public List<Journey> all() {
        return List.copyOf(byJourney.values());
    }

    /**
     * The entry of a journey that is on, as a map. A request of a journey that is off or unknown fails permanently
     * (the message is parked with the reason): its ports may not exist here.
     */
    public Map<String, Object> of(String journey) {
        Journey found = byJourney.get(journey);
        if (found == null || !found.enabled()) {
            throw new NotRetryableException("Approval journey " + journey + " is "
                    + (found == null ? "not configured (esb.approvals.journeys)" : "off here (its adapters lack its ports)"));
        }
        return found.asMap();
    }

    /** The requests listed in a capture port's answer (a Map) under the journey's member; empty when there are none. */
    public List<Object> requests(String journey, Map<String, Object> answer) {
        Object listed = answer == null ? null : answer.get((String) of(journey).get("requests"));
        if (listed == null) {
            return List.of();
        }
        if (listed instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        throw new NotRetryableException("Port " + of(journey).get("capturePort") + " answered '"
                + of(journey).get("requests") + "' that is not a list");
    }

    /**
     * The value a CHANGED decision lowers, as the request asks it: its subject's member named by the journey's
     * {@code value} (a requisition's quantity, a quote's discount percent); null when the subject has none.
     */
    public BigDecimal requestedValue(Map<String, Object> request) {
        Object journey = request.get("journey");
        Journey found = journey == null ? null : byJourney.get(journey.toString());
        if (found == null || found.value() == null || !(request.get("subject") instanceof Map<?, ?> subject)) {
            return null;
        }
        Object value = subject.get(found.value());
        return value == null ? null : new BigDecimal(value.toString());
    }

    /**
     * A result schema's file: a path under the adapters dir (a port's answer, adapters/&lt;role&gt;/...), or, written
     * {@code mappings:<path>}, under the mappings dir (the answer of a composite route of the flow, beside the
     * journey's mappings).
     */
    static String file(String schema, String adaptersDir, String mappingsDir) {
        return schema.startsWith("mappings:") ? mappingsDir + "/" + schema.substring("mappings:".length())
                : adaptersDir + "/" + schema;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static void require(String key, String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("esb.approvals.journeys." + key + "." + name + " is missing");
        }
    }
}
