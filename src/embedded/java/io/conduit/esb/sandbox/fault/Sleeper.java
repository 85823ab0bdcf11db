package io.conduit.esb.sandbox.fault;

/**
 * Blocks the calling thread for a simulated latency. A seam so tests of the fault filter can record the
 * delay instead of waiting for it.
 */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps with {@link Thread#sleep(long)}. */
    Sleeper THREAD_SLEEP = Thread::sleep;

    void sleep(long millis) throws InterruptedException;
}
