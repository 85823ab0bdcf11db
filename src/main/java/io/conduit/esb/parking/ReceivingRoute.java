package io.conduit.esb.parking;

import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.AsyncProcessorConverterHelper;

import java.util.Map;

/**
 * Runs a stored message again through the route whose consumer received it, by handing an exchange made by that
 * route's consumer to the consumer's own processor: the route's error policy applies as to any message, and nothing is
 * sent to a Kafka topic or JMS queue again (other consumer groups would get a duplicate). Used by replays
 * ({@link ReplayService}) and the retry lane ({@link RetryLane}).
 */
final class ReceivingRoute {

    private ReceivingRoute() {
    }

    /** Why the route cannot run a message now (it does not exist, or is not running), or null when it can. */
    static String whyNotRunnable(CamelContext camel, String routeId) {
        Route route = camel.getRoute(routeId);
        if (route == null) {
            return "route " + routeId + " does not exist";
        }
        ServiceStatus status = camel.getRouteController().getRouteStatus(routeId);
        return route.getConsumer() == null || status == null || !status.isStarted()
                ? "route " + routeId + " is not running" : null;
    }

    /** Runs the message (headers, body, exchange properties) and returns the finished exchange. */
    static Exchange run(CamelContext camel, String routeId, Map<String, String> headers, String payload,
                        Map<String, Object> properties) {
        Consumer consumer = camel.getRoute(routeId).getConsumer();
        Exchange exchange = consumer.createExchange(false);
        try {
            headers.forEach(exchange.getMessage()::setHeader);
            exchange.getMessage().setBody(payload);
            properties.forEach(exchange::setProperty);
            AsyncProcessor processor = AsyncProcessorConverterHelper.convert(consumer.getProcessor());
            processor.processAsync(exchange).join();
            return exchange;
        } finally {
            consumer.releaseExchange(exchange, false);
        }
    }
}
