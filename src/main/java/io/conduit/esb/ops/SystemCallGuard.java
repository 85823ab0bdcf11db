package io.conduit.esb.ops;

import io.conduit.esb.parking.ParkingLot;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Puts every {@code to} / {@code toD} step that calls a connected system behind that system's circuit breaker,
 * without a line in any route file: a Camel {@link InterceptStrategy} (picked up from the registry by Camel) wraps
 * the step when it calls a port of a role the system plays ({@code direct:erp.upsert-sales-order}: whatever the
 * adapter's transport), when its URI starts with the system's base URL (CRM, OA) or uses {@code erpDataSource}, see
 * {@link SystemBreakers#systemOf}; and a port called by the {@code versioned:} component ({@link #guardPortCall}).
 * While a breaker is OPEN the step fails at once with {@link SystemUnavailableException} (quoting the breaker's last
 * real failure), which the shared error policy sends to the retry lane, and which finally parks; an operator's replay
 * is let through as a trial call instead ({@link SystemBreakers#letReplayTry}). Calls made from Java beans outside a
 * port (not route steps) are not guarded.
 * <p>
 * The same boundary times every call and keeps the failed ones ({@link SystemActivity}: the Systems page's latency
 * percentiles and last errors), so no route and no adapter measures itself.
 */
@Component
public class SystemCallGuard implements InterceptStrategy {

    /**
     * Exchange property: the system whose guarded call failed last (a failure its breaker counts, or the breaker's
     * refusal); the retry lane keeps it, so that a system back makes only its own messages due
     */
    public static final String FAILED_SYSTEM = "EsbFailedSystem";

    private static final Logger LOG = LoggerFactory.getLogger(SystemCallGuard.class);

    private final SystemBreakers breakers;
    private final SystemActivity activity;

    public SystemCallGuard(SystemBreakers breakers, SystemActivity activity) {
        this.breakers = breakers;
        this.activity = activity;
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                 Processor nextTarget) {
        String uri = null;
        if (definition instanceof ToDefinition to) {
            uri = to.getEndpointUri();
        } else if (definition instanceof ToDynamicDefinition toD) {
            uri = toD.getUri();
        }
        if (uri == null) {
            return target;
        }
        String resolved;
        try {
            resolved = context.resolvePropertyPlaceholders(uri);
        } catch (RuntimeException e) {
            resolved = uri;
        }
        return breakers.systemOf(resolved).<Processor>map(system -> {
            LOG.debug("Step {} calls {}: guarded by its circuit breaker", definition.getId(), system);
            return new Guarded(target, system, breakers, activity, definition.getId());
        }).orElse(target);
    }

    /**
     * The call of a port made by a component rather than by a route step (the {@code versioned:} component calls
     * {@code direct:<port>} itself, after its ledger said the call is due): behind the breaker of the system playing
     * the port's role, as a {@code to: direct:<port>} step would be, so a port whose adapter calls its system from a
     * bean (Tryton's JSON-RPC) is guarded too and the adapter's own guarded steps inside count once. A skipped
     * (superseded) delivery makes no call and is not counted. Returns {@code call} itself when no system plays the
     * role.
     *
     * @param port the port, {@code <role>.<operation>}
     * @param step what the Systems page names as the calling step
     */
    public Processor guardPortCall(String port, Processor call, String step) {
        return breakers.systemOf("direct:" + port).<Processor>map(system ->
                new Guarded(call, system, breakers, activity, step)).orElse(call);
    }

    /** The wrapped step: ask the breaker for permission, call, tell the breaker how it went. */
    static final class Guarded extends DelegateAsyncProcessor {

        private final String system;
        private final SystemBreakers breakers;
        private final CircuitBreaker breaker;
        private final SystemActivity activity;
        private final String step;

        Guarded(Processor target, String system, SystemBreakers breakers, SystemActivity activity, String step) {
            super(target);
            this.system = system;
            this.breakers = breakers;
            this.breaker = breakers.breaker(system);
            this.activity = activity;
            this.step = step;
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            String inside = "esbGuarded." + system;
            if (exchange.getProperty(inside) != null) {
                // a step inside a guarded port call of the same system: the port call counts once
                return processor.process(exchange, callback);
            }
            exchange.removeProperty(FAILED_SYSTEM);
            // an operator's replay is a trial call even while the breaker is OPEN (SystemBreakers.letReplayTry)
            if (!breaker.tryAcquirePermission()
                    && !(exchange.getProperty(ParkingLot.REPLAY_OF) != null && breakers.letReplayTry(system))) {
                exchange.setProperty(FAILED_SYSTEM, system);
                exchange.setException(breakers.refused(system));
                callback.done(true);
                return true;
            }
            long start = breaker.getCurrentTimestamp();
            exchange.setProperty(inside, Boolean.TRUE);
            AtomicBoolean ended = new AtomicBoolean();
            AsyncCallback recorded = doneSync -> {
                if (!ended.compareAndSet(false, true)) {
                    return;
                }
                exchange.removeProperty(inside);
                long duration = breaker.getCurrentTimestamp() - start;
                Exception failure = exchange.getException();
                boolean counted = failure != null && SystemBreakers.countsAsFailure(failure);
                if (counted) {
                    exchange.setProperty(FAILED_SYSTEM, system);
                    breaker.onError(duration, breaker.getTimestampUnit(), failure);
                } else {
                    breaker.onSuccess(duration, breaker.getTimestampUnit());
                }
                try {
                    activity.called(system, step, duration, breaker.getTimestampUnit(), failure, counted, exchange);
                } catch (RuntimeException e) {
                    // the Systems page's figures must never change a call's outcome
                    LOG.debug("Could not record a call to {}: {}", system, e.toString());
                }
                callback.done(doneSync);
            };
            try {
                return processor.process(exchange, recorded);
            } catch (RuntimeException e) {
                // a step that throws instead of setting the exchange's exception (against Camel's contract): the call
                // is still recorded once, or a half-open breaker would keep the permit it gave this call and refuse
                // every later one
                exchange.setException(e);
                recorded.done(true);
                return true;
            }
        }

        @Override
        public String toString() {
            return "CircuitBreaker[" + system + "](" + processor + ")";
        }
    }
}
