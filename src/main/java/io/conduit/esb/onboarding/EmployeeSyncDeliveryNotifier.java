package io.conduit.esb.onboarding;

import io.conduit.esb.support.PersonalDataMask;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps the per-target delivery status of the onboarding flow in step with the shared error policy, without
 * handling any error itself: when {@code esb-delivery} retries a target delivery, the reason is stored as the
 * target's {@code last_error}; when it parks the message (retries exhausted, or a failure retrying cannot fix), the
 * target becomes PARKED with its reason (while the message waits in the retry lane it stays PENDING, with the reason). Only exchanges of the onboarding target routes are concerned: they carry
 * the properties {@code hrEventId} and {@code syncTarget}.
 */
@Component
public class EmployeeSyncDeliveryNotifier extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmployeeSyncDeliveryNotifier.class);

    private final EmployeeSyncLedger ledger;

    public EmployeeSyncDeliveryNotifier(EmployeeSyncLedger ledger) {
        this.ledger = ledger;
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
        return event instanceof CamelEvent.ExchangeRedeliveryEvent || event instanceof CamelEvent.ExchangeFailureHandledEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
        String eventId = exchange.getProperty("hrEventId", String.class);
        String target = exchange.getProperty("syncTarget", String.class);
        if (eventId == null || target == null) {
            return;
        }
        Throwable cause = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "unknown failure"
                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        try {
            if (event instanceof CamelEvent.ExchangeFailureHandledEvent
                    && exchange.getProperty(io.conduit.esb.parking.RetryLane.WAITING) == null) {
                ledger.parked(eventId, target, reason);
                LOG.warn("Delivery of HR event {} to {} parked: {}", eventId, target, PersonalDataMask.mask(reason));
            } else {
                ledger.failed(eventId, target, reason);
            }
        } catch (RuntimeException e) {
            // the status row lags behind; the message itself is redelivered or parked by the error policy anyway
            LOG.warn("Could not record the failure of HR event {} at {}: {}", eventId, target, e.toString());
        }
    }
}
