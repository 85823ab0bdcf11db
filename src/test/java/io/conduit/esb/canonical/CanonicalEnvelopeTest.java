package io.conduit.esb.canonical;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class CanonicalEnvelopeTest {

    private final Envelope envelope = new Envelope("3f0c9a1e-7b2d-4e55-9d0a-1c2b3d4e5f60", "corr-42", "crm",
            EventTypes.ORDER_RECEIVED, 1, OffsetDateTime.of(2026, 11, 20, 9, 15, 0, 0, ZoneOffset.UTC), "OPP-1001");

    @Test
    void writesCloudEventsBinaryModeHeaders() {
        assertThat(envelope.toCloudEventHeaders()).containsExactly(
                entry("ce_specversion", "1.0"),
                entry("ce_id", "3f0c9a1e-7b2d-4e55-9d0a-1c2b3d4e5f60"),
                entry("ce_source", "crm"),
                entry("ce_type", "io.conduit.order.received"),
                entry("ce_time", "2026-11-20T09:15:00Z"),
                entry("ce_subject", "OPP-1001"),
                entry("ce_dataschema", "urn:conduit:schema:order:1"),
                entry("ce_datacontenttype", "application/json"),
                entry("ce_correlationid", "corr-42"),
                entry("ce_schemaversion", "1"));
    }

    @Test
    void timeKeepsItsOffsetAndFraction() {
        Envelope ack = new Envelope("e-2", "corr-42", "conduit-esb", EventTypes.ORDER_ACKNOWLEDGED, 1,
                OffsetDateTime.of(2026, 11, 20, 10, 15, 2, 120_000_000, ZoneOffset.ofHours(1)), "OPP-1001");
        Map<String, Object> headers = ack.toCloudEventHeaders();
        assertThat(headers).containsEntry("ce_time", "2026-11-20T10:15:02.12+01:00")
                .containsEntry("ce_dataschema", "urn:conduit:schema:order-acknowledgement:1");
    }

    @Test
    void readsBackFromKafkaByteArrayHeaders() {
        Map<String, Object> kafkaHeaders = new HashMap<>();
        envelope.toCloudEventHeaders().forEach((name, value) ->
                kafkaHeaders.put(name, value.toString().getBytes(StandardCharsets.UTF_8)));
        kafkaHeaders.put("kafka.KEY", "OPP-1001");

        assertThat(Envelope.fromHeaders(kafkaHeaders)).isEqualTo(envelope);
    }

    @Test
    void readsBackFromStringHeaders() {
        assertThat(Envelope.fromHeaders(envelope.toCloudEventHeaders())).isEqualTo(envelope);
    }

    @Test
    void missingAttributesAreNull() {
        Envelope partial = Envelope.fromHeaders(Map.of("ce_id", "e-1", "ce_correlationid", new byte[0]));
        assertThat(partial).isEqualTo(new Envelope("e-1", null, null, null, 0, null, null));
    }

    @Test
    void unknownTypeHasNoDataSchemaAndNullsAreLeftOut() {
        Map<String, Object> headers = new Envelope("e-1", null, "erp", "io.conduit.other", 1, null, null)
                .toCloudEventHeaders();
        assertThat(headers).doesNotContainKeys("ce_dataschema", "ce_correlationid", "ce_time", "ce_subject")
                .containsEntry("ce_type", "io.conduit.other");
    }

    @Test
    void malformedTimeIsRejectedNamingTheHeader() {
        assertThatThrownBy(() -> Envelope.fromHeaders(Map.of("ce_time", "yesterday")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ce_time");
    }

    @Test
    void headersValidateAgainstTheEnvelopeSchema() {
        Envelope envelope = new Envelope("evt-1", "corr-1", "crm", EventTypes.ORDER_RECEIVED, 1,
                java.time.OffsetDateTime.parse("2026-11-20T09:15:00.120Z"), "OPP-1001");
        var schema = JsonSchemas.canonical(CanonicalSchemas.ENVELOPE);
        assertThat(JsonSchemas.validate(schema, envelope.toCloudEventHeaders())).isEmpty();

        var withoutCorrelation = new java.util.LinkedHashMap<>(envelope.toCloudEventHeaders());
        withoutCorrelation.remove(Envelope.CE_CORRELATIONID);
        assertThat(JsonSchemas.validate(schema, withoutCorrelation))
                .extracting(m -> m.getMessage()).anyMatch(m -> m.contains("ce_correlationid"));
    }
}
