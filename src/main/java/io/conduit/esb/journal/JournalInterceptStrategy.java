package io.conduit.esb.journal;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Records the VALIDATED / MAPPED / PUBLISHED / DELIVERED hops of every route, YAML routes included, with no change
 * to the routes: when Camel builds a route, each step the {@link StepClassifier} names is wrapped in a processor
 * that records the hop once the step has finished without an exception (for asynchronous steps such as the Kafka
 * producer: when the broker has answered). Steps that record nothing are not wrapped and cost nothing. Recording
 * never changes the step's outcome: {@link HopRecorder} never throws, see there.
 * Camel picks up the bean as a context-wide intercept strategy.
 */
@Component
public class JournalInterceptStrategy implements InterceptStrategy {

    private final HopRecorder recorder;
    private final StepClassifier classifier;

    public JournalInterceptStrategy(HopRecorder recorder, JournalProperties settings) {
        this.recorder = recorder;
        this.classifier = new StepClassifier(settings.getRules(), settings.getSteps());
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                 Processor nextTarget) {
        if (!recorder.enabled() || !(definition instanceof ProcessorDefinition<?> step)) {
            return target;
        }
        String stepId = step.hasCustomIdAssigned() ? step.getId() : null;
        StepClassifier.Classification classification = classifier.classify(stepId, uriOf(context, step));
        if (classification == null) {
            return target;
        }
        RouteDefinition route = ProcessorDefinitionHelper.getRoute(step);
        String routeId = route == null ? null : route.getRouteId();
        String flow = route == null ? null : route.getGroup();
        if (flow == null && routeId != null) {
            flow = routeId.split("\\.")[0];
        }
        return new HopProcessor(target, recorder, classification, flow, routeId, stepId);
    }

    private static String uriOf(CamelContext context, ProcessorDefinition<?> step) {
        String uri = null;
        if (step instanceof SendDefinition<?> send) {
            uri = send.getEndpointUri();
        } else if (step instanceof ToDynamicDefinition dynamic) {
            uri = dynamic.getUri();
        }
        if (uri == null) {
            return null;
        }
        try {
            return context.resolvePropertyPlaceholders(uri);
        } catch (RuntimeException e) {
            return uri;
        }
    }

    /** Runs the step, then records its hop from the step's own callback (so it is right for asynchronous steps). */
    static final class HopProcessor extends DelegateAsyncProcessor {

        private final HopRecorder recorder;
        private final StepClassifier.Classification classification;
        private final String flow;
        private final String routeId;
        private final String stepId;

        HopProcessor(Processor target, HopRecorder recorder, StepClassifier.Classification classification, String flow,
                     String routeId, String stepId) {
            super(target);
            this.recorder = recorder;
            this.classification = classification;
            this.flow = flow;
            this.routeId = routeId;
            this.stepId = stepId;
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            // the time the step started: a consumer of what this step publishes never appears to receive it first
            Instant at = Instant.now();
            return processor.process(exchange, doneSync -> {
                // the step's completion is handed on whatever the journal does: a callback that threw instead
                // would leave the exchange unfinished (the recorder catches everything; this keeps it so here)
                try {
                    if (exchange.getException() == null && !exchange.isRollbackOnly()) {
                        recorder.step(exchange, classification, flow, routeId, stepId, at);
                    }
                } finally {
                    callback.done(doneSync);
                }
            });
        }

        @Override
        public String toString() {
            return "Journal[" + classification.hop() + " " + stepId + "]";
        }
    }
}
