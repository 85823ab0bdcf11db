package io.conduit.esb.journal;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.springframework.stereotype.Component;

/**
 * Keeps the step a message failed in on the exchange ({@link HopRecorder#FAILED_STEP_PROPERTY}), so the journal's
 * FAILED and PARKED hops name it and the console can list a step's failures. Camel knows the failing route and the
 * last endpoint, not the step: its history node id is only kept with message history on (off here, for its cost),
 * and by the time the parking lot runs the error policy's own steps have run.
 * <p>
 * Every route step (the error policy's clauses excepted) is wrapped: entering a step forgets an earlier failure
 * (one a {@code doTry} caught, say), and a step ending with an exception records itself unless a step inside it
 * (a sub-route's, a port's adapter route's, a choice's branch) already did, so the innermost failing step is kept.
 * The cost is a property look-up per step; Camel picks the bean up as a context-wide intercept strategy.
 */
@Component
public class FailedStepTracker implements InterceptStrategy {

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                 Processor nextTarget) {
        if (!(definition instanceof ProcessorDefinition<?> step) || step.getId() == null || inErrorPolicy(step)) {
            return target;
        }
        return new Tracked(target, step.getId());
    }

    /** Steps of an onException clause run while the failure is handled: they must not forget it. */
    private static boolean inErrorPolicy(ProcessorDefinition<?> step) {
        for (ProcessorDefinition<?> node = step; node != null; node = node.getParent()) {
            if (node instanceof OnExceptionDefinition) {
                return true;
            }
        }
        return false;
    }

    static final class Tracked extends DelegateAsyncProcessor {

        private final String stepId;

        Tracked(Processor target, String stepId) {
            super(target);
            this.stepId = stepId;
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            if (exchange.getProperty(HopRecorder.FAILED_STEP_PROPERTY) != null) {
                exchange.removeProperty(HopRecorder.FAILED_STEP_PROPERTY);
            }
            return processor.process(exchange, doneSync -> {
                if (exchange.getException() != null && exchange.getProperty(HopRecorder.FAILED_STEP_PROPERTY) == null) {
                    exchange.setProperty(HopRecorder.FAILED_STEP_PROPERTY, stepId);
                }
                callback.done(doneSync);
            });
        }
    }
}
