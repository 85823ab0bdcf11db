package io.conduit.esb.support;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RuntimeCamelException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a sub-route inside one database transaction opened here, so that the CALLING route's error policy sees
 * a failure as an ordinary exception and redelivers or parks the message:
 * {@code bean: {ref: transactions, method: "call(${exchange}, 'erpTransactionManager', 'direct:order-handoff.erp-write')"}}.
 * <p>
 * Why not Camel's {@code transacted} EIP in the sub-route: its transaction error handler counts as an error
 * handler that already dealt with the exception, so the caller's dead letter channel neither redelivers nor parks
 * it; the exception escapes to the consumer, which retries the same record forever. Sub-routes called this way use
 * the route configuration {@code esb-sub-route} (no error handler of their own). camel-sql joins the
 * transaction because it runs on this thread through Spring's {@code DataSourceUtils}.
 */
@Component("transactions")
public class TransactionScope {

    private final Map<String, TransactionTemplate> templates = new ConcurrentHashMap<>();
    private final ContextProducer producer = new ContextProducer();

    /**
     * Sends the exchange to {@code uri} inside a transaction of the named {@link PlatformTransactionManager} bean;
     * commits if the sub-route succeeded, rolls back and rethrows its exception otherwise.
     */
    public void call(Exchange exchange, String transactionManager, String uri) {
        TransactionTemplate template = templates.computeIfAbsent(transactionManager, name -> new TransactionTemplate(
                exchange.getContext().getRegistry().lookupByNameAndType(name, PlatformTransactionManager.class)));
        ProducerTemplate sender = producer.of(exchange);
        template.executeWithoutResult(status -> {
            sender.send(uri, exchange);
            if (exchange.getException() != null) {
                status.setRollbackOnly();
            }
        });
        Exception failure = exchange.getException();
        if (failure != null) {
            exchange.setException(null);
            throw failure instanceof RuntimeException runtime ? runtime : new RuntimeCamelException(failure);
        }
    }
}
