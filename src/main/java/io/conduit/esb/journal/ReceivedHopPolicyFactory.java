package io.conduit.esb.journal;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.springframework.stereotype.Component;

/**
 * Records the RECEIVED hop when a message enters a flow's route from a consumer of a kind listed in
 * {@code esb.journal.received-schemes} (Kafka, JMS, HTTP): the route policy sees every route an exchange enters,
 * and {@link HopRecorder#received} keeps the first one that belongs to a flow (e.g. the flow's intake route behind
 * a REST declaration). Exchanges started by timers, schedulers or pollers have no RECEIVED hop: they are the ESB's
 * own work, and their published events are journaled as PUBLISHED. Camel picks up the bean as a route policy
 * factory for every route.
 */
@Component
public class ReceivedHopPolicyFactory implements RoutePolicyFactory {

    private final HopRecorder recorder;

    public ReceivedHopPolicyFactory(HopRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        return recorder.enabled() ? new ReceivedHopPolicy(recorder) : null;
    }

    static final class ReceivedHopPolicy extends RoutePolicySupport {

        private final HopRecorder recorder;

        ReceivedHopPolicy(HopRecorder recorder) {
            this.recorder = recorder;
        }

        /** Never throws ({@link HopRecorder#received} catches everything): Camel lets errors out of a policy. */
        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            recorder.received(route, exchange);
        }
    }
}
