package io.conduit.esb.sandbox.oa;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

import java.time.Instant;

/**
 * An "onboarding complete" notice the sandbox OA received from the ESB on its queue
 * ({@code esb.sandbox.oa.onboarding-done-queue}); {@code notice} is the message as received.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record OnboardingNotice(long id, String hrEventId, String employeeNo, @JsonRawValue String notice,
                               String jmsMessageId, Instant receivedAt) {
}
