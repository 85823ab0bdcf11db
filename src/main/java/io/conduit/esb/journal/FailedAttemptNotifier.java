package io.conduit.esb.journal;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Records a FAILED hop, with the reason, for every failed attempt that the error handler is about to redeliver.
 * The final failure is journaled by the parking lot as PARKED. Registered with the Camel context by
 * {@link JournalConfiguration}.
 */
public class FailedAttemptNotifier extends EventNotifierSupport {

    private final HopRecorder recorder;

    public FailedAttemptNotifier(HopRecorder recorder) {
        this.recorder = recorder;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeRedeliveryEvent;
    }

    /**
     * Never throws. Camel would survive it (it logs a notifier's failure and goes on), but with a warning and the
     * whole stack trace per failed attempt, uncounted; here a failure is counted and reported like every other
     * capture failure ({@link CaptureFailures}).
     */
    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof CamelEvent.ExchangeRedeliveryEvent redelivery)) {
            return;
        }
        try {
            recordFailedAttempt(redelivery);
        } catch (Throwable e) {
            recorder.captureFailed(Hop.FAILED, null, e);
        }
    }

    private void recordFailedAttempt(CamelEvent.ExchangeRedeliveryEvent redelivery) {
        Exchange exchange = redelivery.getExchange();
        Throwable cause = exchange.getException();
        if (cause == null) {
            cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        String routeId = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        if (routeId == null && exchange.getUnitOfWork() != null && exchange.getUnitOfWork().getRoute() != null) {
            routeId = exchange.getUnitOfWork().getRoute().getRouteId();
        }
        if (routeId == null) {
            routeId = exchange.getFromRouteId();
        }
        String reason = cause == null ? "unknown failure"
                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        recorder.failed(exchange, routeId, "attempt " + redelivery.getAttempt() + " failed, will be retried: "
                + (reason.length() > 2000 ? reason.substring(0, 2000) : reason));
    }
}
