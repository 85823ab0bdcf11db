package io.conduit.esb.support;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells a capture poller's scheduler whether a poll found anything, so that a quiet system is asked less often.
 * <p>
 * The pollers run from Camel's {@code scheduler:} with {@code backoffIdleThreshold} and {@code backoffMultiplier}
 * ({@code esb.polling.*}): after that many polls in a row that found nothing, the scheduler lets {@code multiplier}
 * periods pass before each poll, and the first poll that finds something brings it back to every period. A poll is
 * idle when the exchange property {@link Exchange#SCHEDULER_POLLED_MESSAGES} is {@code false} at its end. A poller
 * route calls {@link #begin} as its first step and {@link #end} as its last; the capture calls {@link #found} with the
 * number of items its system answered. The flag is one object shared by the exchange and the copies a {@code split}
 * makes of it (a poller that captures several sides or journeys one after the other), so a find in any of them counts.
 * A poll that fails never reaches {@link #end} and counts as not idle: a system that is away is asked again at the
 * normal period.
 */
@Component("pollActivity")
public class PollActivity {

    /** exchange property: the poll's flag, set by {@link #found} */
    static final String FOUND = "esbPollFound";

    /** The poll starts: nothing found yet. */
    public void begin(Exchange exchange) {
        exchange.setProperty(FOUND, new AtomicBoolean());
    }

    /**
     * What the poll's system answered: {@code items} records to capture (also from a split's copy of the exchange).
     * Only items count: a watermark may move with none (the sandboxes answer their current horizon every time).
     */
    public void found(Exchange exchange, Integer items) {
        AtomicBoolean found = exchange.getProperty(FOUND, AtomicBoolean.class);
        if (found != null && items != null && items > 0) {
            found.set(true);
        }
    }

    /** The poll ends: tells the scheduler whether it found anything (a poll that never began counts as busy). */
    public void end(Exchange exchange) {
        AtomicBoolean found = exchange.getProperty(FOUND, AtomicBoolean.class);
        exchange.setProperty(Exchange.SCHEDULER_POLLED_MESSAGES, found == null || found.get());
        exchange.removeProperty(FOUND);
    }
}
