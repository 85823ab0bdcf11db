package io.conduit.esb.approvals;

import io.conduit.esb.support.ReloadingFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The approval matrix IT edits ({@code mappings/approvals/approval-matrix.yaml}): which approvers decide a request,
 * in which order, by journey, department and amount, and how long each may take. The flow asks {@link #decide(Map)}
 * with the canonical ApprovalRequest (as a Map) once per request version.
 * <pre>
 * currency: EUR                              # amounts are compared in this currency
 * defaults: {deadline: P2D, remindAfter: P1D}
 * approvers:                                 # name used in rules -> the OA group deciding, the group above it
 *   HEAD:    {group: "HEAD-{department}", escalateTo: "DIRECTOR-{department}"}
 *   FINANCE: {group: FINANCE-CONTROLLING, escalateTo: CFO, deadline: P1D}
 * rules:                                     # first match wins
 *   - {journey: PURCHASE_REQUISITION, department: MAINTENANCE, below: 2000, steps: [HEAD], deadline: PT8H}
 *   - {journey: PURCHASE_REQUISITION, from: 5000, below: 50000, steps: [HEAD, FINANCE]}
 * </pre>
 * journey and department as in the routing tables (left out or {@code "*"} = any, a list = any of, case ignored);
 * {@code from} (inclusive) and {@code below} (exclusive) bound the request's amount. A step's deadline and reminder
 * come from the rule, else the approver, else the defaults. No rule matching, or another currency: the journey's last
 * rule (the strictest, by convention), flagged with the reason, so a request is never held back by the matrix.
 * <p>
 * The file is read again when it changed (checked at most every {@code reloadCheckMs}); an edit that breaks it
 * (unknown approver, a bad duration, {@code from} not below {@code below}, no steps) is logged and the last good
 * version stays, as {@link io.conduit.esb.tables.DecisionTable} does. Further files ({@code esb.approvals.extra-matrices})
 * add rules only, tried before the main file's. A separate class because the decision tables compare text only and
 * this one compares amounts.
 */
public final class ApprovalMatrix {

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalMatrix.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");
    /** what a group name may take from the request */
    private static final Set<String> PLACEHOLDERS = Set.of("department", "journey");
    private static final Set<String> RULE_KEYS = Set.of("journey", "department", "from", "below", "steps", "deadline",
            "remindAfter");
    private static final Set<String> APPROVER_KEYS = Set.of("group", "escalateTo", "deadline", "remindAfter");

    private final List<Path> files;
    private final ReloadingFiles<Loaded> loaded;

    /**
     * @param files         the main matrix first, then files that only add rules (tried first)
     * @param reloadCheckMs how often the files' modification times are checked (0 = on every decision)
     * @throws IllegalArgumentException when the matrix cannot be read or is invalid
     */
    public ApprovalMatrix(List<Path> files, long reloadCheckMs) {
        this.files = List.copyOf(files);
        if (this.files.isEmpty()) {
            throw new IllegalArgumentException("The approval matrix needs a file");
        }
        this.loaded = new ReloadingFiles<>("Approval matrix", this.files, reloadCheckMs, this::load, l -> l.rules.size());
        LOG.info("Approval matrix loaded from {}: {} rule(s)", this.files, loaded.current().rules.size());
    }

    /**
     * The approval of a request (canonical ApprovalRequest as a Map): {@code rule} (1-based, extra files' rules
     * first; null when none matched), {@code flagged}, {@code flagReason}, {@code steps} ([{step, approver, group,
     * escalateTo, deadline, remindAfter}]) and {@code stepsJson} (the steps as JSON text, as the ESB's state keeps them).
     *
     * @throws IllegalStateException when the matrix has no rule at all for the request's journey (IT must add one)
     */
    public Map<String, Object> decide(Map<String, Object> request) {
        Loaded matrix = current();
        String journey = text(request.get("journey"));
        String department = text(request.get("department"));
        String currency = text(request.get("currency"));
        BigDecimal amount = decimal(request.get("amount"));

        Rule last = null;
        int lastNumber = 0;
        for (int i = 0; i < matrix.rules.size(); i++) {
            Rule rule = matrix.rules.get(i);
            if (rule.matchesJourney(journey)) {
                last = rule;
                lastNumber = i + 1;
            }
        }
        if (last == null) {
            throw new IllegalStateException("The approval matrix has no rule for journey " + journey + " (" + files + ")");
        }
        if (!matrix.currency.equalsIgnoreCase(String.valueOf(currency))) {
            return result(matrix, last, lastNumber, request,
                    "currency " + currency + " is not the matrix's " + matrix.currency + ": strictest rule");
        }
        for (int i = 0; i < matrix.rules.size(); i++) {
            Rule rule = matrix.rules.get(i);
            if (rule.matchesJourney(journey) && rule.matches(department, amount)) {
                return result(matrix, rule, i + 1, request, null);
            }
        }
        return result(matrix, last, lastNumber, request, "no rule matches department " + department + ", amount "
                + amount + ": strictest rule");
    }

    private static Map<String, Object> result(Loaded matrix, Rule rule, int number, Map<String, Object> request,
                                              String flagReason) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (int i = 0; i < rule.steps.size(); i++) {
            String name = rule.steps.get(i);
            Approver approver = matrix.approvers.get(name);
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("step", i + 1);
            step.put("approver", name);
            step.put("group", fill(approver.group, request));
            step.put("escalateTo", fill(approver.escalateTo, request));
            step.put("deadline", firstOf(rule.deadline, approver.deadline, matrix.deadline).toString());
            step.put("remindAfter", firstOf(rule.remindAfter, approver.remindAfter, matrix.remindAfter).toString());
            steps.add(step);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rule", number);
        result.put("flagged", flagReason != null);
        result.put("flagReason", flagReason);
        result.put("steps", steps);
        try {
            result.put("stepsJson", JSON.writeValueAsString(steps));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return result;
    }

    /** A group name with {department} / {journey} of the request filled in, upper case as OA group names are. */
    private static String fill(String group, Map<String, Object> request) {
        Matcher m = PLACEHOLDER.matcher(group);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = text(request.get(m.group(1)));
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("group " + group + " needs the request's " + m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.toUpperCase(Locale.ROOT)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Duration firstOf(Duration... durations) {
        for (Duration d : durations) {
            if (d != null) {
                return d;
            }
        }
        throw new IllegalStateException("no duration");
    }

    private Loaded current() {
        return loaded.current();
    }

    @SuppressWarnings("unchecked")
    private Loaded load() {
        Path main = files.get(0);
        Map<String, Object> doc = read(main);
        Object currency = doc.get("currency");
        if (!(currency instanceof String c) || !c.matches("[A-Za-z]{3}")) {
            throw new IllegalArgumentException(main + ": 'currency' must be an ISO 4217 code, not " + currency);
        }
        Map<String, Object> defaults = map(doc.get("defaults"), main + ": 'defaults'");
        Duration deadline = duration(defaults.get("deadline"), main + ": defaults.deadline", true);
        Duration remindAfter = duration(defaults.get("remindAfter"), main + ": defaults.remindAfter", true);

        Map<String, Approver> approvers = new LinkedHashMap<>();
        map(doc.get("approvers"), main + ": 'approvers'").forEach((name, value) -> {
            String where = main + ": approver " + name;
            Map<String, Object> a = map(value, where);
            unknownKeys(a, APPROVER_KEYS, where);
            approvers.put(name, new Approver(group(a.get("group"), where + " group"),
                    group(a.get("escalateTo"), where + " escalateTo"),
                    duration(a.get("deadline"), where + " deadline", false),
                    duration(a.get("remindAfter"), where + " remindAfter", false)));
        });
        if (approvers.isEmpty()) {
            throw new IllegalArgumentException(main + ": no approvers");
        }

        // extra files' rules first: a test or a pilot department overrides the main matrix without editing it
        List<Rule> rules = new ArrayList<>();
        for (int f = 1; f < files.size(); f++) {
            Map<String, Object> extra = read(files.get(f));
            if (extra.keySet().stream().anyMatch(k -> !k.equals("rules"))) {
                throw new IllegalArgumentException(files.get(f) + ": only the main matrix declares more than rules");
            }
            rules.addAll(rules(extra, files.get(f), approvers.keySet()));
        }
        rules.addAll(rules(doc, main, approvers.keySet()));
        if (rules.isEmpty()) {
            throw new IllegalArgumentException(main + ": no rules");
        }
        return new Loaded(c.toUpperCase(Locale.ROOT), deadline, remindAfter, approvers, rules);
    }

    @SuppressWarnings("unchecked")
    private static List<Rule> rules(Map<String, Object> doc, Path file, Set<String> approvers) {
        Object value = doc.getOrDefault("rules", List.of());
        if (!(value instanceof List<?> rows)) {
            throw new IllegalArgumentException(file + ": 'rules' must be a list");
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String where = file + " rule " + (i + 1);
            Map<String, Object> row = map(rows.get(i), where);
            unknownKeys(row, RULE_KEYS, where);
            BigDecimal from = row.containsKey("from") ? amount(row.get("from"), where + " from") : null;
            BigDecimal below = row.containsKey("below") ? amount(row.get("below"), where + " below") : null;
            if (from != null && below != null && from.compareTo(below) >= 0) {
                throw new IllegalArgumentException(where + ": from " + from + " must be below " + below);
            }
            if (!(row.get("steps") instanceof List<?> steps) || steps.isEmpty()) {
                throw new IllegalArgumentException(where + ": 'steps' must list at least one approver");
            }
            List<String> names = new ArrayList<>();
            for (Object step : steps) {
                String name = String.valueOf(step);
                if (!approvers.contains(name)) {
                    throw new IllegalArgumentException(where + ": unknown approver '" + name + "' (approvers: "
                            + approvers + ")");
                }
                names.add(name);
            }
            rules.add(new Rule(condition(row.get("journey")), condition(row.get("department")), from, below, names,
                    duration(row.get("deadline"), where + " deadline", false),
                    duration(row.get("remindAfter"), where + " remindAfter", false)));
        }
        return rules;
    }

    /** null = any; otherwise the upper-cased values. */
    private static Set<String> condition(Object value) {
        if (value == null) {
            return null;
        }
        Collection<?> values = value instanceof Collection<?> c ? c : List.of(value);
        if (values.stream().anyMatch(v -> "*".equals(String.valueOf(v)))) {
            return null;
        }
        Set<String> set = new LinkedHashSet<>();
        values.forEach(v -> set.add(String.valueOf(v).toUpperCase(Locale.ROOT)));
        return set;
    }

    private static String group(Object value, String where) {
        if (!(value instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException(where + " must be a group name, not " + value);
        }
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                throw new IllegalArgumentException(where + ": unknown placeholder " + m.group() + " (known: "
                        + PLACEHOLDERS + ")");
            }
        }
        if (PLACEHOLDER.matcher(text).replaceAll("").contains("{")) {
            throw new IllegalArgumentException(where + " must be a group name, not " + text);
        }
        return text;
    }

    private static Duration duration(Object value, String where, boolean required) {
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException(where + " is missing");
            }
            return null;
        }
        try {
            Duration d = Duration.parse(String.valueOf(value));
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(where + " must be positive, not " + value);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + " must be an ISO-8601 duration such as PT8H or P2D, not " + value);
        }
    }

    private static BigDecimal amount(Object value, String where) {
        BigDecimal amount = decimal(value);
        if (amount == null || amount.signum() < 0) {
            throw new IllegalArgumentException(where + " must be an amount, not " + value);
        }
        return amount;
    }

    private static BigDecimal decimal(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return value instanceof BigDecimal b ? b : new BigDecimal(String.valueOf(value));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(Object value) {
        return value == null || value instanceof Map || value instanceof Collection ? null : value.toString();
    }

    private static void unknownKeys(Map<String, Object> map, Set<String> known, String where) {
        for (String key : map.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "' (known: " + known + ")");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(where + " is missing or not a mapping");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        map.forEach((k, v) -> result.put(String.valueOf(k), v));
        return result;
    }

    private static Map<String, Object> read(Path file) {
        try {
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
            return map(doc, file + " (a YAML mapping)");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the approval matrix " + file, e);
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new IllegalArgumentException(file + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    private record Approver(String group, String escalateTo, Duration deadline, Duration remindAfter) {
    }

    private record Rule(Set<String> journeys, Set<String> departments, BigDecimal from, BigDecimal below,
                        List<String> steps, Duration deadline, Duration remindAfter) {

        boolean matchesJourney(String journey) {
            return journeys == null || (journey != null && journeys.contains(journey.toUpperCase(Locale.ROOT)));
        }

        boolean matches(String department, BigDecimal amount) {
            if (departments != null && (department == null || !departments.contains(department.toUpperCase(Locale.ROOT)))) {
                return false;
            }
            if (from != null && (amount == null || amount.compareTo(from) < 0)) {
                return false;
            }
            return below == null || (amount != null && amount.compareTo(below) < 0);
        }
    }

    private record Loaded(String currency, Duration deadline, Duration remindAfter, Map<String, Approver> approvers,
                          List<Rule> rules) {

        Loaded {
            Objects.requireNonNull(currency);
        }
    }
}
