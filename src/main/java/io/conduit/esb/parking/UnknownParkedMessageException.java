package io.conduit.esb.parking;

import java.util.UUID;

/** No parked message has this id (HTTP 404). */
public class UnknownParkedMessageException extends RuntimeException {

    public UnknownParkedMessageException(UUID id) {
        super("No parked message " + id, null, false, false);
    }
}
