package io.conduit.esb.delivery;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * The version of a source state a delivery carries: a number (order revision, ERP change number), a time (when the
 * source had that state), or both, compared number first and time second. A part that is absent counts as lower
 * than any present one, so a ledger that starts sending times later still orders correctly.
 */
public record SourceVersion(Long number, Instant at) implements Comparable<SourceVersion> {

    private static final Comparator<SourceVersion> ORDER = Comparator
            .comparing(SourceVersion::number, Comparator.nullsFirst(Comparator.<Long>naturalOrder()))
            .thenComparing(SourceVersion::at, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()));

    public SourceVersion {
        if (number == null && at == null) {
            throw new IllegalArgumentException("a version needs a number, a time or both");
        }
    }

    @Override
    public int compareTo(SourceVersion other) {
        return ORDER.compare(this, Objects.requireNonNull(other));
    }

    @Override
    public String toString() {
        return number == null ? String.valueOf(at) : at == null ? String.valueOf(number) : number + " of " + at;
    }
}
