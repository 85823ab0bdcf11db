package io.conduit.esb.ops;

/**
 * Published by {@link SystemProbes} when a system that was unreachable answers its probes again
 * ({@code esb.health.probes-to-confirm} results in a row): whoever waits for it (the retry lane) may go now rather
 * than at its next scheduled time.
 *
 * @param system the system's name ({@code esb.systems.<name>})
 */
public record SystemReachableAgain(String system) {
}
