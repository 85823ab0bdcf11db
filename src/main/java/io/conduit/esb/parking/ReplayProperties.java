package io.conduit.esb.parking;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.Arrays;
import java.util.List;

/**
 * Settings of parking and replay ({@code esb.replay.*}, defaults in {@code config/replay.yaml}).
 *
 * @param concurrency      messages a bulk replay runs at the same time
 * @param maxPerSecond     most messages a bulk replay runs per second; 0 = unlimited
 * @param dryRunPageSize   messages a dry run lists
 * @param keptHeaders      headers kept with a parked message (comma-separated names; {@code prefix*} for a prefix)
 */
@ConfigurationProperties("esb.replay")
public record ReplayProperties(Integer concurrency, Integer maxPerSecond, Integer dryRunPageSize, String keptHeaders) {

    public ReplayProperties {
        concurrency = concurrency == null || concurrency < 1 ? 2 : concurrency;
        maxPerSecond = maxPerSecond == null || maxPerSecond < 0 ? 0 : maxPerSecond;
        dryRunPageSize = dryRunPageSize == null || dryRunPageSize < 1 ? 50 : dryRunPageSize;
        keptHeaders = keptHeaders == null ? "ce_*, kafka.KEY, kafka.TOPIC, X-Correlation-Id" : keptHeaders;
    }

    /** Whether a header of this name is kept with a parked message. */
    public boolean keeps(String header) {
        return keptHeaderPatterns().stream().anyMatch(p -> p.endsWith("*")
                ? header.startsWith(p.substring(0, p.length() - 1)) : p.equalsIgnoreCase(header));
    }

    private List<String> keptHeaderPatterns() {
        return Arrays.stream(keptHeaders.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
