package io.conduit.esb.console;

import io.conduit.esb.ops.FlowStatus;
import io.conduit.esb.ops.OpsOverview;
import org.springframework.beans.factory.ObjectProvider;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Small conversions shared by the console's search forms. Times in the console are UTC throughout. */
final class ConsoleForms {

    private ConsoleForms() {
    }

    /** A {@code datetime-local} form value, read as UTC. */
    static Instant utc(LocalDateTime value) {
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The flow ids offered in the forms' flow fields (those the overview knows). */
    static List<String> flowNames(ObjectProvider<OpsOverview> overview) {
        OpsOverview ops = overview.getIfAvailable();
        if (ops == null) {
            return List.of();
        }
        try {
            return ops.flows().stream().map(FlowStatus::flow).sorted().toList();
        } catch (RuntimeException e) {
            // the list only helps typing; the form works without it
            return List.of();
        }
    }
}
