package io.conduit.esb.ops;

import io.conduit.esb.journal.Hop;
import io.conduit.esb.journal.HopRecorder;
import io.conduit.esb.journal.JournalProperties;
import io.conduit.esb.support.PayloadMask;
import io.conduit.esb.systems.SystemRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What happened lately to each declared system, for the console's Systems page and {@code GET /api/v1/systems}: its
 * last probe results and reachability changes ({@link SystemProbes} reports them), its circuit breaker's transitions,
 * the last failed calls (masked) and a latency timer of every call, taken where the calls are guarded
 * ({@link SystemCallGuard}: every route step calling a port or a system, so no route is touched).
 * <p>
 * <b>In memory, bounded, per replica</b>: each list keeps its newest {@code esb.ops.system-history.*} entries and
 * starts empty at a start. Why not the database: a probe every few seconds per system is tens of thousands of rows a
 * day for something only read while looking at a system now, and each replica probes and calls on its own, so what
 * it saw is its own view anyway. What must outlast a restart is written to the journal: every breaker transition is a
 * hop ({@link Hop#BREAKER_OPENED}, {@link Hop#BREAKER_HALF_OPEN}, {@link Hop#BREAKER_CLOSED}) with the system as its
 * business key. The lists are a synchronized {@link ArrayDeque} cut to size, not a library's ring buffer: neither
 * Resilience4j's circular buffer module nor Commons Collections is on the classpath, and a bounded list needs no more.
 * <p>
 * Latency is Micrometer timer {@code esb.system.call{system}} (percentiles 50/95/99 over a window decaying in
 * {@code esb.ops.system-history.latency-window}, and a histogram for Prometheus): the time a guarded call took,
 * whether it succeeded or failed; calls refused by an open breaker are not calls and are not timed (the breaker's
 * own metrics count them).
 */
@Component
public class SystemActivity {

    /** One probe of a system: did it answer, how long it took, what it said (masked). */
    public record Probe(Instant at, boolean reachable, long latencyMs, String detail) {
    }

    /** A system became reachable or unreachable (by its probe). */
    public record ReachabilityChange(Instant at, boolean reachable, String detail) {
    }

    /**
     * A circuit breaker transition, with the breaker's figures when it happened.
     *
     * @param failureRate   percent of the calls in the breaker's window that failed (-1: too few calls to say)
     * @param slowCallRate  percent of them that were slow (-1: too few calls to say)
     * @param bufferedCalls calls in the breaker's window
     */
    public record Transition(Instant at, String from, String to, float failureRate, float slowCallRate,
                             int bufferedCalls) {

        /** The journal's hop for it: the state the breaker entered. */
        public Hop hop() {
            return switch (to) {
                case "OPEN", "FORCED_OPEN" -> Hop.BREAKER_OPENED;
                case "HALF_OPEN" -> Hop.BREAKER_HALF_OPEN;
                default -> Hop.BREAKER_CLOSED;
            };
        }

        /** In words: {@code CLOSED -> OPEN: failure rate 60.0 % of 20 calls}. */
        public String describe() {
            StringBuilder text = new StringBuilder(from).append(" -> ").append(to);
            if (bufferedCalls > 0 && failureRate >= 0) {
                text.append(String.format(Locale.ROOT, ": failure rate %.1f %% of %d calls", failureRate, bufferedCalls));
                if (slowCallRate > 0) {
                    text.append(String.format(Locale.ROOT, ", slow %.1f %%", slowCallRate));
                }
            }
            return text.toString();
        }
    }

    /**
     * A failed call to a system.
     *
     * @param step          the route step that called it (its stable id)
     * @param route         the route that took the message in (the flow's route, or a poller), which called on
     * @param error         what failed, masked as the journal masks payloads
     * @param counted       whether it counted against the breaker (false: the system answered, e.g. 4xx, or the
     *                      adapter's own mapping failed)
     * @param businessKey   a business key of the message, for a journal search (null if none was known yet)
     * @param correlationId the message's correlation id in the journal
     */
    public record CallError(Instant at, String step, String route, String error, boolean counted,
                            String businessKey, String correlationId) {
    }

    /** Bounded, newest last; readers get a copy, newest first. */
    static final class Recent<T> {

        private final ArrayDeque<T> items;
        private final int capacity;

        Recent(int capacity) {
            this.capacity = Math.max(1, capacity);
            this.items = new ArrayDeque<>(this.capacity);
        }

        synchronized void add(T item) {
            if (items.size() == capacity) {
                items.removeFirst();
            }
            items.addLast(item);
        }

        synchronized T newest() {
            return items.peekLast();
        }

        synchronized List<T> newestFirst() {
            List<T> copy = new ArrayList<>(items);
            Collections.reverse(copy);
            return copy;
        }
    }

    /** Everything kept for one system. */
    private static final class Track {
        final Recent<Probe> probes;
        final Recent<ReachabilityChange> changes;
        final Recent<Transition> transitions;
        final Recent<CallError> errors;
        final Timer calls;

        Track(String system, Sizes sizes, MeterRegistry meters) {
            probes = new Recent<>(sizes.probes);
            changes = new Recent<>(sizes.changes);
            transitions = new Recent<>(sizes.transitions);
            errors = new Recent<>(sizes.errors);
            calls = Timer.builder("esb.system.call").tag("system", system)
                    .description("calls of route steps to the system (its ports, its URL, its database), guarded by its circuit breaker")
                    .publishPercentiles(0.5, 0.95, 0.99)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(60))
                    .distributionStatisticExpiry(sizes.latencyWindow)
                    .distributionStatisticBufferLength(5)
                    .register(meters);
        }
    }

    /** The history's bounds. */
    record Sizes(int probes, int changes, int transitions, int errors, Duration latencyWindow) {
    }

    /** the longest error text kept (after masking) */
    static final int MAX_ERROR_CHARS = 600;

    private final Map<String, Track> tracks = new LinkedHashMap<>();
    private final HopRecorder journal;
    private final PayloadMask mask;
    private final Duration latencyWindow;

    public SystemActivity(SystemRegistry systems, SystemBreakers breakers, MeterRegistry meters, HopRecorder journal,
                          JournalProperties journalSettings,
                          @Value("${esb.ops.system-history.probes:120}") int probes,
                          @Value("${esb.ops.system-history.changes:20}") int changes,
                          @Value("${esb.ops.system-history.transitions:20}") int transitions,
                          @Value("${esb.ops.system-history.errors:20}") int errors,
                          @Value("${esb.ops.system-history.latency-window:PT5M}") Duration latencyWindow) {
        this.journal = journal;
        // the journal's masking: its masked fields (passwords, tokens, names, e-mails...), cut to a readable length
        this.mask = new PayloadMask(journalSettings.getPayload().getMaskedFields(), MAX_ERROR_CHARS);
        this.latencyWindow = latencyWindow;
        Sizes sizes = new Sizes(probes, changes, transitions, errors, latencyWindow);
        for (String system : systems.all().keySet()) {
            tracks.put(system, new Track(system, sizes, meters));
            CircuitBreaker breaker = breakers.breaker(system);
            if (breaker != null) {
                breaker.getEventPublisher().onStateTransition(event -> transitioned(system, breaker, event));
            }
        }
    }

    /** The window the latency percentiles are taken over. */
    public Duration latencyWindow() {
        return latencyWindow;
    }

    /** A probe's result ({@link SystemProbes}); a change of reachability (or the first probe) is kept apart. */
    public void probed(String system, boolean reachable, long latencyMs, String detail, Instant at) {
        Track track = tracks.get(system);
        if (track == null) {
            return;
        }
        String masked = mask(detail);
        Probe before = track.probes.newest();
        track.probes.add(new Probe(at, reachable, latencyMs, masked));
        if (before == null || before.reachable() != reachable) {
            track.changes.add(new ReachabilityChange(at, reachable, masked));
        }
    }

    /**
     * A guarded call finished ({@link SystemCallGuard}): timed, and kept if it failed.
     *
     * @param failure what it failed with, or null
     * @param counted whether the failure counted against the breaker
     */
    public void called(String system, String step, long duration, TimeUnit unit, Exception failure, boolean counted,
                       Exchange exchange) {
        Track track = tracks.get(system);
        if (track == null) {
            return;
        }
        track.calls.record(duration, unit);
        if (failure != null) {
            track.errors.add(new CallError(Instant.now(), step, exchange == null ? null : exchange.getFromRouteId(),
                    mask(describe(failure)), counted,
                    businessKey(exchange), exchange == null ? null
                    : exchange.getProperty(HopRecorder.CORRELATION_PROPERTY, String.class)));
        }
    }

    public List<Probe> probes(String system) {
        Track track = tracks.get(system);
        return track == null ? List.of() : track.probes.newestFirst();
    }

    public List<ReachabilityChange> changes(String system) {
        Track track = tracks.get(system);
        return track == null ? List.of() : track.changes.newestFirst();
    }

    public List<Transition> transitions(String system) {
        Track track = tracks.get(system);
        return track == null ? List.of() : track.transitions.newestFirst();
    }

    public List<CallError> errors(String system) {
        Track track = tracks.get(system);
        return track == null ? List.of() : track.errors.newestFirst();
    }

    /** The timer of the system's calls (null for a system not declared). */
    public Timer calls(String system) {
        Track track = tracks.get(system);
        return track == null ? null : track.calls;
    }

    /** Kept, and journaled: the one place a breaker transition reaches the journal. */
    private void transitioned(String system, CircuitBreaker breaker, CircuitBreakerOnStateTransitionEvent event) {
        CircuitBreaker.Metrics metrics = breaker.getMetrics();
        Transition transition = new Transition(Instant.now(), event.getStateTransition().getFromState().name(),
                event.getStateTransition().getToState().name(), metrics.getFailureRate(), metrics.getSlowCallRate(),
                metrics.getNumberOfBufferedCalls());
        tracks.get(system).transitions.add(transition);
        journal.systemEvent(transition.hop(), system, transition.describe(), transition.at());
    }

    /**
     * The failure in one line: its type and message, with the system's answer when it is an HTTP error (which the
     * exception's message leaves out). Credentials in URIs are cut by Camel's sanitizer, then the journal's mask runs.
     */
    static String describe(Throwable failure) {
        Throwable shown = failure;
        // a wrapper (Camel's RuntimeCamelException) says no more than its cause: show the first with a message of its own
        while (shown.getCause() != null && shown.getCause() != shown
                && (shown.getMessage() == null || shown.getMessage().equals(shown.getCause().toString()))) {
            shown = shown.getCause();
        }
        StringBuilder text = new StringBuilder(shown.getClass().getSimpleName());
        if (shown.getMessage() != null) {
            text.append(": ").append(cut(shown.getMessage(), 2 * MAX_ERROR_CHARS));
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpOperationFailedException http && http.getResponseBody() != null
                    && !http.getResponseBody().isBlank()) {
                text.append(" · answered: ").append(cut(http.getResponseBody().strip(), MAX_ERROR_CHARS));
                break;
            }
        }
        return text.toString();
    }

    private String mask(String text) {
        if (text == null) {
            return null;
        }
        try {
            return mask.apply(withoutUserInfo(cut(text, 4 * MAX_ERROR_CHARS)));
        } catch (RuntimeException | StackOverflowError e) {
            return "[text not shown: masking failed]";
        }
    }

    /**
     * The text with the user information of every URL in it left out ({@code https://user:secret@host/} becomes
     * {@code https://host/}). Camel's {@code URISupport.sanitizeUri} is made for one URI: on free text its pattern
     * took everything between a URL's port and the next e-mail address for a password. A plain scan, linear.
     */
    static String withoutUserInfo(String text) {
        int scheme = text.indexOf("://");
        if (scheme < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        while (scheme >= 0) {
            int hostStart = scheme + 3;
            int end = hostStart;
            int at = -1;
            while (end < text.length()) {
                char c = text.charAt(end);
                if (c == '/' || c == '?' || c == '#' || Character.isWhitespace(c) || c == '"' || c == '\'' || c == '>') {
                    break;
                }
                if (c == '@') {
                    at = end;
                }
                end++;
            }
            if (at >= 0) {
                out.append(text, copied, hostStart);
                copied = at + 1;
            }
            scheme = text.indexOf("://", end);
        }
        return out.append(text, copied, text.length()).toString();
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    @SuppressWarnings("unchecked")
    private static String businessKey(Exchange exchange) {
        if (exchange == null) {
            return null;
        }
        Map<String, String> keys = exchange.getProperty(HopRecorder.KEYS_PROPERTY, Map.class);
        return keys == null || keys.isEmpty() ? null : keys.values().iterator().next();
    }
}
