package io.conduit.esb.mapping;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a mapping's output differs from a fixture's expected output, path by path (JSON Pointers such as
 * {@code /lines/0/qty}), with both values. Compared as {@code MappingFixturesTest} and {@code ops/check-config.sh}
 * compare: numbers by value ({@code 10} equals {@code 10.0}), key order ignored, {@code null} and an absent key
 * different, arrays element by element.
 * <p>
 * Hand-written (about 60 lines) rather than a JSON Patch library: none is on the application's classpath (the
 * {@code com.github.java-json-tools:json-patch} jar reaches only the test classpath, through the OpenAPI validator,
 * and its last release is from 2020), and an RFC 6902 patch names only the new value of a replaced field, while a
 * reader of a failing fixture wants the expected and the actual value side by side.
 */
public final class JsonDiff {

    /** At most this many differences are listed; {@link Result#truncated()} says when there were more. */
    static final int LIMIT = 500;

    public enum Kind {
        /** Both have the path, with different values. */
        CHANGED,
        /** The expected output has the path, the output does not. */
        MISSING,
        /** The output has a path the expected output does not. */
        UNEXPECTED
    }

    /** One difference; {@code expected} or {@code actual} is null where that side lacks the path. */
    public record Difference(String path, Kind kind, JsonNode expected, JsonNode actual) {
    }

    public record Result(List<Difference> differences, boolean truncated) {
        public boolean same() {
            return differences.isEmpty();
        }
    }

    private JsonDiff() {
    }

    public static Result between(JsonNode expected, JsonNode actual) {
        List<Difference> found = new ArrayList<>();
        compare("", expected, actual, found);
        boolean truncated = found.size() > LIMIT;
        return new Result(List.copyOf(truncated ? found.subList(0, LIMIT) : found), truncated);
    }

    /** False once more than the limit were found (one more than listed, to tell that there were more). */
    private static boolean compare(String path, JsonNode expected, JsonNode actual, List<Difference> found) {
        if (expected.isObject() && actual.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (!child(path + "/" + escape(name), expected.get(name), actual.get(name), found)) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isArray() && actual.isArray()) {
            for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
                if (!child(path + "/" + i, expected.get(i), actual.get(i), found)) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isNumber() && actual.isNumber()
                ? expected.decimalValue().compareTo(actual.decimalValue()) == 0 : expected.equals(actual)) {
            return true;
        }
        return add(found, new Difference(path, Kind.CHANGED, expected, actual));
    }

    private static boolean child(String path, JsonNode expected, JsonNode actual, List<Difference> found) {
        if (expected == null) {
            return add(found, new Difference(path, Kind.UNEXPECTED, null, actual));
        }
        if (actual == null) {
            return add(found, new Difference(path, Kind.MISSING, expected, null));
        }
        return compare(path, expected, actual, found);
    }

    private static boolean add(List<Difference> found, Difference difference) {
        found.add(difference);
        return found.size() <= LIMIT;
    }

    /** RFC 6901: {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
