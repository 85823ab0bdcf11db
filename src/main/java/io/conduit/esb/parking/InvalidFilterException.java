package io.conduit.esb.parking;

/** An operator's request names no valid set of parked messages, or lacks what it needs, e.g. a reason (HTTP 422). */
public class InvalidFilterException extends IllegalArgumentException {

    public InvalidFilterException(String message) {
        super(message);
    }
}
