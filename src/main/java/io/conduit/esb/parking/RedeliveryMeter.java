package io.conduit.esb.parking;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Counts redelivery attempts per route ({@code esb.redeliveries}); wired into the shared error policy as its
 * {@code onRedeliveryRef}, so a backing-off flow is visible in metrics before anything is parked.
 */
@Component("redeliveryMeter")
public class RedeliveryMeter implements Processor {

    private final MeterRegistry meters;

    public RedeliveryMeter(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void process(Exchange exchange) {
        String routeId = exchange.getFromRouteId();
        meters.counter("esb.redeliveries", "route", routeId == null ? "unknown" : routeId).increment();
    }
}
