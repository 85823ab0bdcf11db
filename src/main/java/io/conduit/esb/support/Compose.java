package io.conduit.esb.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.StreamCache;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the input of a mapping from several exchange properties, so a route can hand a mapping everything
 * it needs in one step: {@code bean: {ref: compose, method: "properties(*, 'order,erp,outcome')"}} gives the body
 * {@code {"order": ..., "erp": ..., "outcome": ...}}. Property values that are JSON text become JSON objects.
 * <p>
 * {@code property:key} puts a property under another key: {@code 'erpInvSearch:search'} gives {@code {"search": ...}}.
 * A port's route keeps its working state in properties of its own prefix (the caller's properties are not touched)
 * and still hands its mappings the short names their input documents.
 */
@Component("compose")
public class Compose {

    private final ObjectMapper json;

    public Compose(ObjectMapper json) {
        this.json = json;
    }

    public Map<String, Object> properties(Exchange exchange, String names) {
        Map<String, Object> result = new LinkedHashMap<>();
        for (String raw : names.split(",")) {
            String entry = raw.trim();
            if (!entry.isEmpty()) {
                int colon = entry.indexOf(':');
                String property = colon < 0 ? entry : entry.substring(0, colon).trim();
                String key = colon < 0 ? entry : entry.substring(colon + 1).trim();
                result.put(key, asJsonValue(readable(exchange, exchange.getProperty(property))));
            }
        }
        return result;
    }

    /** A cached stream (a body set aside with stream caching on) as its text, left readable for later steps. */
    private static Object readable(Exchange exchange, Object value) {
        if (value instanceof StreamCache cache) {
            cache.reset();
            String text = exchange.getContext().getTypeConverter().convertTo(String.class, exchange, cache);
            cache.reset();
            return text;
        }
        return value;
    }

    private Object asJsonValue(Object value) {
        if (value instanceof byte[] bytes) {
            value = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
        if (value instanceof String text) {
            String trimmed = text.stripLeading();
            if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
                try {
                    return json.readValue(text, Object.class);
                } catch (JsonProcessingException e) {
                    return text;
                }
            }
        }
        return value;
    }
}
