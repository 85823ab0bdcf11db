package io.conduit.esb.support;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * One producer template for a bean that sends exchanges on (it caches its producers), made on first use from the
 * exchange's context and made again if the context is another one (tests start several).
 */
final class ContextProducer {

    private volatile ProducerTemplate producer;

    ProducerTemplate of(Exchange exchange) {
        ProducerTemplate current = producer;
        if (current == null || current.getCamelContext() != exchange.getContext()) {
            synchronized (this) {
                current = producer;
                if (current == null || current.getCamelContext() != exchange.getContext()) {
                    current = exchange.getContext().createProducerTemplate();
                    producer = current;
                }
            }
        }
        return current;
    }
}
