package io.conduit.esb.mapping;

import java.util.List;
import java.util.Map;

/** Tells whether a Java object tree already consists only of JSON values, as JSONata requires of its input. */
final class JsonValues {

    private JsonValues() {
    }

    static boolean isPlainJson(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String) || !isPlainJson(entry.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (!isPlainJson(item)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
