package io.conduit.esb.sandbox.fault;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Fault state of a simulated system that lives in this JVM (CRM, OA): read on every request by the
 * {@link SimulatedFaultFilter}, and by listeners that must react to a change (the OA stops consuming its
 * JMS queue while it is down). The state starts {@code normal} and is not persisted: a restarted sandbox is healthy.
 */
public class InMemoryFaultControl implements FaultControl {

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryFaultControl.class);

    private final String system;
    private final AtomicReference<FaultSettings> state = new AtomicReference<>(FaultSettings.NORMAL);
    private final List<Consumer<FaultSettings>> listeners = new CopyOnWriteArrayList<>();

    public InMemoryFaultControl(String system) {
        this.system = Objects.requireNonNull(system, "system");
    }

    @Override
    public String system() {
        return system;
    }

    @Override
    public FaultSettings current() {
        return state.get();
    }

    @Override
    public FaultSettings apply(FaultSettings requested) {
        FaultSettings applied = requested.normalized();
        FaultSettings previous = state.getAndSet(applied);
        if (!applied.equals(previous)) {
            LOG.info("Sandbox {} faults: {} -> {}", system, previous, applied);
            listeners.forEach(listener -> listener.accept(applied));
        }
        return applied;
    }

    /** Calls {@code listener} with the new state after every change. */
    public void onChange(Consumer<FaultSettings> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }
}
