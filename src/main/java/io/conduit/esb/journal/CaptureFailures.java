package io.conduit.esb.journal;

import io.conduit.esb.support.PersonalDataMask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts hops the journal could not capture ({@code esb.journal.capture.failures}) and reports them in the log
 * as one line, at most once per {@link #REPORT_INTERVAL}, with the number of further failures since the last
 * report. The capture runs on every hop of every message: a failure that depends on the message (a payload that
 * makes building or masking the entry fail) repeats per message, and was logged before with its stack trace, 2,259
 * lines for one message whose masking overflowed the stack. The metric tells how many; the line tells what.
 */
final class CaptureFailures {

    private static final Logger LOG = LoggerFactory.getLogger(HopRecorder.class);
    static final Duration REPORT_INTERVAL = Duration.ofMinutes(1);
    private static final int MAX_REASON_CHARS = 200;

    private final Counter failures;
    private final AtomicLong nextReport;
    private final AtomicLong unreported = new AtomicLong();

    CaptureFailures(MeterRegistry meters) {
        this.failures = Counter.builder("esb.journal.capture.failures")
                .description("hops not journaled because building, masking or queueing their entry failed")
                .register(meters);
        this.nextReport = new AtomicLong(System.nanoTime());
    }

    /** A hop was not journaled; the message itself goes on. Never throws. */
    void failed(Hop hop, String routeId, Throwable failure) {
        try {
            failures.increment();
            long now = System.nanoTime();
            long next = nextReport.get();
            if (now - next < 0 || !nextReport.compareAndSet(next, now + REPORT_INTERVAL.toNanos())) {
                unreported.incrementAndGet();
                return;
            }
            long more = unreported.getAndSet(0);
            LOG.warn("Journal: {} hop of route {} not recorded, the message went on: {}{}", hop, routeId,
                    reason(failure), more == 0 ? "" : " (and " + more + " more hops not recorded since the last report)");
        } catch (Throwable ignored) {
            // the report of a failure must not fail either (e.g. a stack too deep even for the logger)
        }
    }

    /** The failure's type and its message, masked, on one line, cut. */
    private static String reason(Throwable failure) {
        if (failure == null) {
            return "unknown";
        }
        String message = failure.getMessage();
        if (message == null) {
            return failure.getClass().getName();
        }
        // masked before it is cut: a cut value would no longer be recognised as one to mask
        String masked = PersonalDataMask.mask(message).replace('\n', ' ').replace('\r', ' ');
        return failure.getClass().getName() + ": "
                + (masked.length() > MAX_REASON_CHARS ? masked.substring(0, MAX_REASON_CHARS) + "..." : masked);
    }
}
