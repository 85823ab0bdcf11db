package io.conduit.esb.tables;

import io.conduit.esb.support.ReloadingFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A decision table that IT edits as a YAML file (routing tables, code tables): rows of conditions on a message's
 * fields and the values to use when they match. Routes call {@link #decide(Object)} with the message as a Map (a
 * JSON object); the file is read again when it changed (checked at most every {@code reloadCheckMs}), so an edit
 * takes effect without a restart. An edit that breaks the table is logged and ignored: the last good version stays.
 * <pre>
 * inputs:                       # input name: dotted path into the message
 *   category: category
 *   severity: severity
 * flagUnknown: [category]       # an input value no rule names: defaults, flagged (never dropped)
 * defaults:                     # every output, with its default; "{name}" is replaced by another output's value
 *   department: DESK
 *   queue: "OA.TASKS.{department}"
 *   priority: 4
 * rules:                        # first match wins; an input a row leaves out, or "*", matches anything;
 *   - {category: LATE_DELIVERY, severity: [HIGH, CRITICAL], department: LOGISTICS, priority: 7}
 * </pre>
 * Values are compared as text, ignoring case. The result holds every output, plus {@code rule} (1-based number of
 * the matching row, null when none), {@code flagged} and {@code flagReason}. Further files may add rows (e.g. for
 * tests); their rows come after the main file's.
 * <p>
 * Hand-written because it is small and specific (first-match rows over dotted paths, placeholder outputs, keep the
 * last good version on a bad edit); a rules engine (Drools, DMN) would be far heavier than this table needs.
 */
public final class DecisionTable {

    private static final Logger LOG = LoggerFactory.getLogger(DecisionTable.class);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private final String name;
    private final List<Path> files;
    private final Consumer<Map<String, Object>> outputCheck;
    private final ReloadingFiles<Loaded> loaded;

    /**
     * @param name          for log messages
     * @param files         the main table first, then files that only add rules
     * @param reloadCheckMs how often the files' modification times are checked (0 = on every decision)
     * @param outputCheck   checks the outputs of every row when the table is loaded (throws to reject the table)
     * @throws IllegalArgumentException when the table cannot be read or is invalid
     */
    public DecisionTable(String name, List<Path> files, long reloadCheckMs, Consumer<Map<String, Object>> outputCheck) {
        this.name = Objects.requireNonNull(name, "name");
        this.files = List.copyOf(files);
        if (this.files.isEmpty()) {
            throw new IllegalArgumentException("Decision table " + name + " needs a file");
        }
        this.outputCheck = outputCheck == null ? o -> { } : outputCheck;
        this.loaded = new ReloadingFiles<>("Decision table " + name, this.files, reloadCheckMs, this::load,
                l -> l.rules.size());
        LOG.info("Decision table {} loaded from {}: {} rule(s)", name, this.files, loaded.current().rules.size());
    }

    /** The decision for a message (a Map, as a JSON object is read): the outputs, {@code rule}, {@code flagged}, {@code flagReason}. */
    public Map<String, Object> decide(Object message) {
        Loaded table = current();
        Map<String, String> values = new LinkedHashMap<>();
        table.inputs.forEach((input, path) -> values.put(input, textAt(message, path)));

        for (String input : table.flagUnknown) {
            String value = values.get(input);
            if (value == null || !table.known.get(input).contains(value.toUpperCase(Locale.ROOT))) {
                return result(table, table.defaults, null, "unknown " + input + " '" + value + "'");
            }
        }
        for (int i = 0; i < table.rules.size(); i++) {
            Rule rule = table.rules.get(i);
            if (rule.matches(values)) {
                Map<String, Object> outputs = new LinkedHashMap<>(table.defaults);
                outputs.putAll(rule.outputs);
                return result(table, outputs, i + 1, null);
            }
        }
        return result(table, table.defaults, null, "no rule matches " + values);
    }

    private static Map<String, Object> result(Loaded table, Map<String, Object> outputs, Integer rule, String flagReason) {
        Map<String, Object> result = resolve(outputs);
        result.put("rule", rule);
        result.put("flagged", flagReason != null);
        result.put("flagReason", flagReason);
        return result;
    }

    /** Replaces {@code {name}} in text outputs by the value of output {@code name}. */
    static Map<String, Object> resolve(Map<String, Object> outputs) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        outputs.forEach((key, value) -> {
            if (value instanceof String text) {
                Matcher m = PLACEHOLDER.matcher(text);
                StringBuilder out = new StringBuilder();
                while (m.find()) {
                    Object replacement = outputs.get(m.group(1));
                    m.appendReplacement(out, Matcher.quoteReplacement(replacement == null ? m.group() : replacement.toString()));
                }
                m.appendTail(out);
                resolved.put(key, out.toString());
            } else {
                resolved.put(key, value);
            }
        });
        return resolved;
    }

    private Loaded current() {
        return loaded.current();
    }

    @SuppressWarnings("unchecked")
    private Loaded load() {
        Map<String, String> inputs = new LinkedHashMap<>();
        List<String> flagUnknown = new ArrayList<>();
        Map<String, Object> defaults = new LinkedHashMap<>();
        List<Rule> rules = new ArrayList<>();
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            Map<String, Object> doc = read(file);
            if (f == 0) {
                ((Map<String, Object>) require(doc, "inputs", Map.class, file)).forEach((k, v) -> inputs.put(k, String.valueOf(v)));
                Object flags = doc.getOrDefault("flagUnknown", List.of());
                ((List<Object>) flags).forEach(x -> flagUnknown.add(String.valueOf(x)));
                defaults.putAll((Map<String, Object>) require(doc, "defaults", Map.class, file));
            } else if (doc.containsKey("inputs") || doc.containsKey("defaults")) {
                throw new IllegalArgumentException(file + ": only the main table declares inputs and defaults");
            }
            List<Object> rows = (List<Object>) doc.getOrDefault("rules", List.of());
            for (int i = 0; i < rows.size(); i++) {
                if (!(rows.get(i) instanceof Map<?, ?> row)) {
                    throw new IllegalArgumentException(file + ": rule " + (i + 1) + " is not a mapping");
                }
                rules.add(Rule.of((Map<String, Object>) row, inputs.keySet(), defaults.keySet(), file + " rule " + (i + 1)));
            }
        }
        for (String input : flagUnknown) {
            if (!inputs.containsKey(input)) {
                throw new IllegalArgumentException("flagUnknown names '" + input + "', which is not an input");
            }
        }
        check(defaults, "defaults");
        for (Rule rule : rules) {
            Map<String, Object> outputs = new LinkedHashMap<>(defaults);
            outputs.putAll(rule.outputs);
            check(outputs, rule.where);
        }
        Map<String, Set<String>> known = new LinkedHashMap<>();
        for (String input : inputs.keySet()) {
            Set<String> values = new LinkedHashSet<>();
            rules.forEach(r -> values.addAll(r.conditions.getOrDefault(input, Set.of())));
            known.put(input, values);
        }
        return new Loaded(inputs, flagUnknown, defaults, rules, known);
    }

    private void check(Map<String, Object> outputs, String where) {
        try {
            outputCheck.accept(resolve(outputs));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> read(Path file) {
        try {
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
            if (!(doc instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(file + " is not a YAML mapping");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) map;
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read decision table " + file, e);
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new IllegalArgumentException(file + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    private static Object require(Map<String, Object> doc, String key, Class<?> type, Path file) {
        Object value = doc.get(key);
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(file + ": '" + key + "' is missing or not a " + type.getSimpleName());
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static String textAt(Object message, String path) {
        Object current = message;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = ((Map<String, Object>) map).get(part);
        }
        return current == null || current instanceof Map || current instanceof Collection ? null : current.toString();
    }

    /** One row: conditions (upper-cased values, absent = any) and outputs. */
    private record Rule(Map<String, Set<String>> conditions, Map<String, Object> outputs, String where) {

        static Rule of(Map<String, Object> row, Set<String> inputs, Set<String> outputNames, String where) {
            Map<String, Set<String>> conditions = new LinkedHashMap<>();
            Map<String, Object> outputs = new LinkedHashMap<>();
            row.forEach((key, value) -> {
                if (inputs.contains(key)) {
                    Collection<?> values = value instanceof Collection<?> c ? c : List.of(String.valueOf(value));
                    if (!values.contains("*")) {
                        Set<String> set = new LinkedHashSet<>();
                        values.forEach(v -> set.add(String.valueOf(v).toUpperCase(Locale.ROOT)));
                        conditions.put(key, set);
                    }
                } else if (outputNames.contains(key)) {
                    outputs.put(key, value);
                } else {
                    throw new IllegalArgumentException(where + ": '" + key + "' is neither an input " + inputs
                            + " nor an output " + outputNames);
                }
            });
            return new Rule(conditions, outputs, where);
        }

        boolean matches(Map<String, String> values) {
            for (var condition : conditions.entrySet()) {
                String value = values.get(condition.getKey());
                if (value == null || !condition.getValue().contains(value.toUpperCase(Locale.ROOT))) {
                    return false;
                }
            }
            return true;
        }
    }

    private record Loaded(Map<String, String> inputs, List<String> flagUnknown, Map<String, Object> defaults,
                          List<Rule> rules, Map<String, Set<String>> known) {
    }
}
