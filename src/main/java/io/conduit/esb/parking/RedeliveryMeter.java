package io.conduit.esb.parking;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Counts redelivery attempts per route ({@code esb.redeliveries}); wired into the shared error policy as its
 * {@code onRedeliveryRef}, so a backing-off flow is visible in metrics before anything is parked.
 * <p>
 * It also keeps the redelivery count as exchange property {@value #REDELIVERIES}: the parking lot gets the
 * original message ({@code useOriginalMessage}), which no longer carries Camel's redelivery counter header.
 */
@Component("redeliveryMeter")
public class RedeliveryMeter implements Processor {

    /** exchange property: redeliveries made so far */
    public static final String REDELIVERIES = "EsbRedeliveries";

    private final MeterRegistry meters;

    public RedeliveryMeter(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void process(Exchange exchange) {
        String routeId = exchange.getFromRouteId();
        meters.counter("esb.redeliveries", "route", routeId == null ? "unknown" : routeId).increment();
        Integer counter = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        int before = exchange.getProperty(REDELIVERIES, 0, Integer.class);
        exchange.setProperty(REDELIVERIES, counter != null ? Math.max(counter, before + 1) : before + 1);
    }
}
