package io.conduit.esb.onboarding;

/**
 * A target is not given an HR event while an earlier event of the same employee still waits for it (a hire that
 * failed and waits in the retry lane): the later event would otherwise reach the target first, and the earlier one
 * would then be SUPERSEDED - a leave before the hire leaves the target without the user, a hire applied after the
 * leave leaves it active. Retryable: the delivery's error policy tries again later, by when the earlier one is done.
 */
public class EarlierEventPendingException extends RuntimeException {

    public EarlierEventPendingException(String message) {
        super(message, null, false, false);
    }
}
