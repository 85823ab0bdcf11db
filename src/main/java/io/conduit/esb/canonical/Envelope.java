package io.conduit.esb.canonical;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metadata of a canonical event, kept apart from its payload: it travels as CloudEvents 1.0 headers in
 * Kafka binary content mode ({@code ce_*}), so consumers can route, deduplicate and trace an event without
 * parsing its body.
 *
 * @param eventId       unique id of this event ({@code ce_id}); a redelivered event keeps it
 * @param correlationId id shared by every event of one business transaction ({@code ce_correlationid} extension)
 * @param source        the system or component that emitted the event ({@code ce_source}), e.g. {@code crm}
 * @param type          the event type ({@code ce_type}), one of {@link EventTypes}
 * @param schemaVersion version of the payload's canonical schema ({@code ce_schemaversion} extension); 0 when unknown
 * @param time          when the event happened ({@code ce_time})
 * @param subject       the business key the event is about, e.g. the order id ({@code ce_subject})
 */
public record Envelope(String eventId, String correlationId, String source, String type, int schemaVersion,
                       OffsetDateTime time, String subject) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";

    public static final String CE_SPECVERSION = "ce_specversion";
    public static final String CE_ID = "ce_id";
    public static final String CE_SOURCE = "ce_source";
    public static final String CE_TYPE = "ce_type";
    public static final String CE_TIME = "ce_time";
    public static final String CE_SUBJECT = "ce_subject";
    public static final String CE_DATASCHEMA = "ce_dataschema";
    public static final String CE_DATACONTENTTYPE = "ce_datacontenttype";
    public static final String CE_CORRELATIONID = "ce_correlationid";
    public static final String CE_SCHEMAVERSION = "ce_schemaversion";

    /**
     * The CloudEvents binary-mode headers of this envelope, all as strings: {@code ce_time} in RFC 3339,
     * {@code ce_dataschema} the id of the payload's canonical schema (left out for an unknown type). Attributes
     * that are null are left out.
     */
    public Map<String, Object> toCloudEventHeaders() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(CE_SPECVERSION, SPEC_VERSION);
        putIfPresent(headers, CE_ID, eventId);
        putIfPresent(headers, CE_SOURCE, source);
        putIfPresent(headers, CE_TYPE, type);
        putIfPresent(headers, CE_TIME, time == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time));
        putIfPresent(headers, CE_SUBJECT, subject);
        EventTypes.payloadSchema(type).ifPresent(schema ->
                headers.put(CE_DATASCHEMA, CanonicalSchemas.idOf(schema.name(), schemaVersion)));
        headers.put(CE_DATACONTENTTYPE, CONTENT_TYPE);
        putIfPresent(headers, CE_CORRELATIONID, correlationId);
        headers.put(CE_SCHEMAVERSION, Integer.toString(schemaVersion));
        return headers;
    }

    /**
     * Reads an envelope from message headers. Values may be strings or UTF-8 {@code byte[]} (as Kafka delivers
     * them); missing attributes become null (schema version 0).
     *
     * @throws IllegalArgumentException if {@code ce_time} or {@code ce_schemaversion} is present but malformed
     */
    public static Envelope fromHeaders(Map<String, Object> headers) {
        String time = text(headers, CE_TIME);
        String version = text(headers, CE_SCHEMAVERSION);
        return new Envelope(text(headers, CE_ID), text(headers, CE_CORRELATIONID), text(headers, CE_SOURCE),
                text(headers, CE_TYPE), version == null ? 0 : parseVersion(version),
                time == null ? null : parseTime(time), text(headers, CE_SUBJECT));
    }

    private static void putIfPresent(Map<String, Object> headers, String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
    }

    private static String text(Map<String, Object> headers, String name) {
        Object value = headers.get(name);
        if (value == null) {
            return null;
        }
        String text = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
        return text.isBlank() ? null : text.trim();
    }

    private static int parseVersion(String version) {
        try {
            return Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(CE_SCHEMAVERSION + " is not an integer: " + version, e);
        }
    }

    private static OffsetDateTime parseTime(String time) {
        try {
            return OffsetDateTime.parse(time);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(CE_TIME + " is not an RFC 3339 timestamp: " + time, e);
        }
    }
}
