package io.conduit.esb.sandbox.fault;

/**
 * Thrown where a simulated system must fail without an HTTP response to write, e.g. by the OA's JMS
 * listener so that its transacted session rolls back and the broker redelivers the message.
 */
public class SimulatedFaultException extends RuntimeException {

    public SimulatedFaultException(String message) {
        super(message);
    }
}
