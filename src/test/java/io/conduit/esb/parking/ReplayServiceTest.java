package io.conduit.esb.parking;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.journal.Hop;
import io.conduit.esb.journal.Journal;
import io.conduit.esb.journal.JournalEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/** The replay decisions that need neither a database nor a route: claim, journal check, journal entries. */
class ReplayServiceTest {

    private final ParkedMessages parked = mock(ParkedMessages.class);
    private final CamelContext camel = mock(CamelContext.class);
    private final Journal journal = mock(Journal.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    @SuppressWarnings("unchecked")
    private final ReplayService replays;

    ReplayServiceTest() {
        replays = new ReplayService(parked, mock(NamedParameterJdbcTemplate.class), camel, journal, meters,
                new ObjectMapper(), new ReplayProperties(1, 0, 10, null));
    }

    @AfterEach
    void close() throws Exception {
        replays.destroy();
    }

    @Test
    void messageTheJournalShowsDeliveredIsMarkedAndNotSent() {
        ParkedMessages.Stored stored = stored();
        Instant parkedAt = stored.message().parkedAt();
        when(parked.get(stored.message().id())).thenReturn(Optional.of(stored));
        when(parked.claim(eq(stored.message().id()), eq("olga"), eq("{\"edited\":true}"), any())).thenReturn(true);
        when(journal.deliveredSince("ev-1", "order-handoff.ack-to-crm", parkedAt)).thenReturn(true);

        Replays.ReplayOutcome outcome = replays.replay(stored.message().id(), "{\"edited\":true}", "olga");

        assertThat(outcome.outcome()).isEqualTo("ALREADY_DELIVERED");
        verify(parked).replayed(stored.message().id(), "ALREADY_DELIVERED");
        verifyNoInteractions(camel);
        ArgumentCaptor<JournalEntry> entry = ArgumentCaptor.forClass(JournalEntry.class);
        verify(journal).record(entry.capture());
        assertThat(entry.getValue().hop()).isEqualTo(Hop.REPLAYED);
        assertThat(entry.getValue().actor()).isEqualTo("olga");
        assertThat(entry.getValue().eventId()).isEqualTo("ev-1");
        assertThat(entry.getValue().detail()).contains("edited by olga").contains("ALREADY_DELIVERED");
        assertThat(entry.getValue().payload()).isEqualTo("{\"edited\":true}");
        assertThat(meters.counter("esb.messages.replayed", "flow", "order-handoff", "outcome", "ALREADY_DELIVERED")
                .count()).isEqualTo(1);
    }

    @Test
    void messageAlreadyClaimedIsNotReplayedAgain() {
        ParkedMessages.Stored stored = stored();
        when(parked.get(stored.message().id())).thenReturn(Optional.of(stored));
        when(parked.claim(any(), anyString(), any(), any())).thenReturn(false);

        Replays.ReplayOutcome outcome = replays.replay(stored.message().id(), null, null);

        assertThat(outcome.outcome()).isEqualTo("NOT_PARKED");
        verify(parked, never()).replayed(any(), any());
        verifyNoInteractions(camel, journal);
    }

    @Test
    void messageOfAStoppedRouteStaysParked() {
        ParkedMessages.Stored stored = stored();
        when(parked.get(stored.message().id())).thenReturn(Optional.of(stored));
        when(parked.claim(any(), eq("anonymous"), any(), any())).thenReturn(true);
        when(parked.deliveredCopy(stored)).thenReturn(Optional.empty());

        Replays.ReplayOutcome outcome = replays.replay(stored.message().id(), null, " ");

        assertThat(outcome.outcome()).isEqualTo("FAILED");
        verify(parked).unclaim(eq(stored.message().id()), org.mockito.ArgumentMatchers.contains("does not exist"));
        verify(parked, never()).replayed(any(), any());
    }

    private static ParkedMessages.Stored stored() {
        ParkedMessage message = new ParkedMessage(UUID.randomUUID(), "order-handoff", "order-handoff.ack-to-crm", null,
                "HttpOperationFailedException: 503", "E", "{}", Map.of("ce_id", "ev-1", "ce_subject", "OPP-1"), "ev-1",
                "corr-1", "OPP-1", 7, "PARKED", Instant.parse("2026-11-23T10:00:00Z"), null, null, null, null);
        return new ParkedMessages.Stored(message, "order-handoff.ack-to-crm", null, null, null);
    }
}
