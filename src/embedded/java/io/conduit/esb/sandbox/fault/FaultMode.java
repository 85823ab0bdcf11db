package io.conduit.esb.sandbox.fault;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a simulated system behaves: healthy, slow, failing some or all requests, or unreachable.
 * Written in JSON in lower case ({@code "normal"}, {@code "slow"}, {@code "failing"}, {@code "down"}).
 */
public enum FaultMode {
    NORMAL, SLOW, FAILING, DOWN;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a mode case-insensitively; an unknown mode is an {@link IllegalArgumentException} naming the valid ones. */
    @JsonCreator
    public static FaultMode parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fault mode '" + value + "', expected one of "
                    + Arrays.stream(values()).map(FaultMode::jsonName).collect(Collectors.joining(", ")));
        }
    }
}
