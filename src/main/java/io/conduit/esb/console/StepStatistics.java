package io.conduit.esb.console;

import io.conduit.esb.console.FlowModel.Figures;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.springframework.stereotype.Component;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts, per route step (by its node id), the exchanges that went through it, those that ended with an exception
 * and their processing time: the figures the console's flow pictures show on each step ({@link FlowModelReader}).
 * <p>
 * Camel's management keeps the same counters per processor, but only as one JMX bean per processor: with the
 * flows, adapters and sandboxes about 7,600 beans, each with its own copy of its bean description (some 90 MB of heap
 * and seconds of start-up). The ESB registers JMX beans for the context and the routes only
 * ({@code camel.main.jmx-management-m-beans-level: RoutesOnly}; route figures still come from JMX) and counts steps
 * here: three adders and a clock read per step, about what Camel's per-processor statistics cost. Set the level to
 * {@code Default} to have Hawtio show per-processor figures as well.
 * <p>
 * A step's counters live as long as the ESB: a route file reloaded keeps its steps' ids and so their figures, as
 * Camel's counters keep a route's. Camel picks the bean up as a context-wide intercept strategy.
 */
@Component
public class StepStatistics implements InterceptStrategy {

    private final ConcurrentMap<String, Counters> steps = new ConcurrentHashMap<>();

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                 Processor nextTarget) {
        if (!(definition instanceof ProcessorDefinition<?> step) || step.getId() == null) {
            return target;
        }
        return new Counted(target, steps.computeIfAbsent(step.getId(), id -> new Counters()));
    }

    /** The step's figures since start, {@link Figures#NONE} for a step that never ran. */
    public Figures figures(String stepId) {
        Counters counters = steps.get(stepId);
        if (counters == null) {
            return Figures.NONE;
        }
        long total = counters.total.sum();
        long meanMs = total == 0 ? 0 : counters.nanos.sum() / total / 1_000_000;
        return new Figures(total, counters.failed.sum(), meanMs);
    }

    private static final class Counters {
        final LongAdder total = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder nanos = new LongAdder();
    }

    private static final class Counted extends DelegateAsyncProcessor {

        private final Counters counters;

        Counted(Processor target, Counters counters) {
            super(target);
            this.counters = counters;
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            long started = System.nanoTime();
            return processor.process(exchange, doneSync -> {
                counters.nanos.add(System.nanoTime() - started);
                counters.total.increment();
                if (exchange.getException() != null) {
                    counters.failed.increment();
                }
                callback.done(doneSync);
            });
        }
    }
}
