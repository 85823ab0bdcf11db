package io.conduit.esb.parking;

import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.jms.JmsEndpoint;
import org.springframework.stereotype.Component;

/**
 * What arrives on the broker's dead-letter queue ({@code esb.queues.dead-letters}) is parked: a message Artemis gave
 * up on after its maximum delivery attempts, because the ESB rolled its delivery back that often (it stopped each
 * time, or could not park it, its database away for minutes). Without this it would sit in a queue nobody reads -
 * accepted, and on record nowhere. Parked as a failure of the route that consumes the queue it came from (Artemis's
 * {@code _AMQ_ORIG_QUEUE}), so a replay runs it through that route again.
 */
@Component("brokerDeadLetters")
public class BrokerDeadLetters {

    /** Artemis's message property naming the queue a dead letter came from. */
    static final String ORIGINAL_QUEUE = "_AMQ_ORIG_QUEUE";

    private final ParkingLot parkingLot;

    public BrokerDeadLetters(ParkingLot parkingLot) {
        this.parkingLot = parkingLot;
    }

    public void park(Exchange exchange) {
        String queue = exchange.getMessage().getHeader(ORIGINAL_QUEUE, String.class);
        String routeId = consumerOf(exchange, queue);
        String reason = "The broker gave up on this message after its maximum delivery attempts on queue "
                + (queue == null ? "(unknown)" : queue) + ": the ESB's delivery was rolled back each time (it stopped, "
                + "or could not record a failure). "
                + (routeId == null ? "No route of this ESB consumes that queue; a replay has nowhere to go."
                                   : "A replay runs it through route " + routeId + " again.");
        parkingLot.parkDeadLetter(exchange, routeId == null ? "unknown" : routeId,
                queue == null ? null : "jms://queue:" + queue, reason);
    }

    /** The route whose consumer reads the queue, if any. */
    static String consumerOf(Exchange exchange, String queue) {
        if (queue == null) {
            return null;
        }
        for (Route route : exchange.getContext().getRoutes()) {
            if (route.getEndpoint() instanceof JmsEndpoint jms && !jms.isPubSubDomain()
                    && queue.equals(jms.getDestinationName())) {
                return route.getRouteId();
            }
        }
        return null;
    }
}
