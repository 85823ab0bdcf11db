package io.conduit.esb.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the console's templates print times and figures ({@code ${@consoleFormat.time(x)}}); times in UTC. */
@Component("consoleFormat")
public class ConsoleFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A JSON payload indented for reading; anything else (XML, truncated JSON) as it is. */
    public String pretty(String payload) {
        if (payload == null || payload.isBlank() || !(payload.strip().startsWith("{") || payload.strip().startsWith("["))) {
            return payload;
        }
        try {
            return JSON.writeValueAsString(JSON.readTree(payload));
        } catch (JsonProcessingException e) {
            return payload;
        }
    }

    public String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    public String clock(Instant at) {
        return at == null ? "" : CLOCK.format(at);
    }

    public String decimal(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.1f", value);
    }

    public String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f %%", ratio * 100);
    }

    public String duration(Duration span) {
        if (span == null) {
            return "";
        }
        long ms = span.toMillis();
        return ms < 1000 ? ms + " ms" : ms < 120_000 ? String.format(Locale.ROOT, "%.1f s", ms / 1000.0)
                : span.toMinutes() + " min";
    }

    /** How long after {@code start} something happened. */
    public String since(Instant start, Instant at) {
        return start == null || at == null ? "" : duration(Duration.between(start, at));
    }

    /** A chart series as the {@code data-series} attribute the console's script reads. */
    public String series(List<Double> values) {
        return values == null ? "" : values.stream().map(v -> v == null ? "0" : decimal(v)).collect(Collectors.joining(","));
    }

    /** An approval journey as a heading: PURCHASE_REQUISITION -> Purchase requisitions. */
    public String journey(String journey) {
        return switch (journey == null ? "" : journey) {
            case "PURCHASE_REQUISITION" -> "Purchase requisitions";
            case "QUOTE_DISCOUNT" -> "Quote discounts";
            case "BUSINESS_TRIP" -> "Business trips";
            default -> journey;
        };
    }

    public String shortId(Object id) {
        String text = String.valueOf(id);
        return text.length() > 8 ? text.substring(0, 8) : text;
    }
}
