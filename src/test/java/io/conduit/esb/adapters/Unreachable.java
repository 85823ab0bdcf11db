package io.conduit.esb.adapters;

import org.apache.camel.CamelContext;

import java.util.function.Supplier;

/** While an action runs "down", port calls of this thread go to the adapter's twin whose system cannot be reached. */
final class Unreachable {

    private static final ThreadLocal<CamelContext> TWIN = new ThreadLocal<>();

    private Unreachable() {
    }

    static <T> T with(CamelContext twin, Supplier<T> action) {
        TWIN.set(twin);
        try {
            return action.get();
        } finally {
            TWIN.remove();
        }
    }

    /** The twin while an action runs down, else the adapter's own context. */
    static CamelContext or(CamelContext normal) {
        CamelContext twin = TWIN.get();
        return twin != null ? twin : normal;
    }
}
