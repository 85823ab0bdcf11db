package io.conduit.esb.parking;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Filter validation and SQL, grouping of copies of one event, kept headers: no database, no Camel. */
class ReplayFilterTest {

    @Test
    void filterBecomesNamedParameterConditions() {
        MapSqlParameterSource params = new MapSqlParameterSource();
        Instant from = Instant.parse("2026-11-20T00:00:00Z");
        String where = ParkedMessages.where(new ParkedFilter(List.of(UUID.randomUUID()), "order-handoff", "50%_off",
                "OPP-1", from, null, null), params);

        assertThat(where).isEqualTo(" WHERE status = :status AND id IN (:ids) AND flow = :flow AND reason ILIKE :reason"
                + " AND (business_key = :key OR correlation_id = :key OR event_id = :key) AND parked_at >= :from");
        assertThat(params.getValue("status")).isEqualTo("PARKED");
        assertThat(params.getValue("reason")).isEqualTo("%50\\%\\_off%");
        assertThat(params.getValue("key")).isEqualTo("OPP-1");
    }

    @Test
    void statusAnyMatchesEveryStatus() {
        MapSqlParameterSource params = new MapSqlParameterSource();
        assertThat(ParkedMessages.where(new ParkedFilter(null, null, null, null, null, null, "ANY"), params)).isEmpty();
    }

    @Test
    void invalidFiltersAreRefused() {
        Instant now = Instant.now();
        assertThatThrownBy(() -> ReplayService.validate(new ParkedFilter(null, null, null, null, now, now, null)))
                .isInstanceOf(InvalidFilterException.class).hasMessageContaining("from");
        assertThatThrownBy(() -> ReplayService.validate(new ParkedFilter(null, null, null, null, null, null, "LOST")))
                .isInstanceOf(InvalidFilterException.class).hasMessageContaining("status");
        assertThatThrownBy(() -> ReplayService.validate(null)).isInstanceOf(InvalidFilterException.class);
        ReplayService.validate(new ParkedFilter(null, "order-handoff", null, null, now.minusSeconds(1), now, "replayed"));
    }

    @Test
    void copiesOfOneEventReceivedByOneRouteFormOneGroupInOrder() {
        ParkedMessages.Stored a1 = stored("ev-a", "order-handoff.ack-to-crm");
        ParkedMessages.Stored b = stored("ev-b", "order-handoff.ack-to-crm");
        ParkedMessages.Stored a2 = stored("ev-a", "order-handoff.ack-to-crm");
        ParkedMessages.Stored aOtherRoute = stored("ev-a", "order-handoff.to-erp");
        ParkedMessages.Stored noId1 = stored(null, "order-handoff.ack-to-crm");
        ParkedMessages.Stored noId2 = stored(null, "order-handoff.ack-to-crm");

        List<List<ParkedMessages.Stored>> groups = ReplayService.byEvent(List.of(a1, b, a2, aOtherRoute, noId1, noId2));

        assertThat(groups).containsExactly(List.of(a1, a2), List.of(b), List.of(aOtherRoute), List.of(noId1),
                List.of(noId2));
    }

    @Test
    void keptHeadersByNameAndPrefix() {
        ReplayProperties settings = new ReplayProperties(null, null, null, "ce_*, kafka.KEY, hrEventId");
        assertThat(settings.keeps("ce_id")).isTrue();
        assertThat(settings.keeps("kafka.KEY")).isTrue();
        assertThat(settings.keeps("hrEventId")).isTrue();
        assertThat(settings.keeps("kafka.OFFSET")).isFalse();
        assertThat(settings.keeps("CamelRedeliveryCounter")).isFalse();
        assertThat(settings.concurrency()).isEqualTo(2);
        assertThat(settings.maxPerSecond()).isZero();
    }

    private static ParkedMessages.Stored stored(String eventId, String fromRoute) {
        ParkedMessage message = new ParkedMessage(UUID.randomUUID(), "order-handoff", fromRoute, null, "r", "E", "{}",
                Map.of(), eventId, null, null, 1, "PARKED", Instant.now(), null, null, null, null);
        return new ParkedMessages.Stored(message, fromRoute, null, null, null);
    }
}
