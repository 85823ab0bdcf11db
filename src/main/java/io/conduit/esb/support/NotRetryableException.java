package io.conduit.esb.support;

/**
 * A delivery that can never succeed by trying again (a business rule of the target says no). The shared error
 * policy parks such a message at once with this exception's message as the reason. Routes throw it with
 * {@code throwException: {exceptionType: io.conduit.esb.support.NotRetryableException, message: ...}}.
 */
public class NotRetryableException extends RuntimeException {

    public NotRetryableException(String message) {
        super(message);
    }
}
