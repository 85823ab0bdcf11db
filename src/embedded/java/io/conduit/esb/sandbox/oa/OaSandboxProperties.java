package io.conduit.esb.sandbox.oa;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code esb.sandbox.oa.*}: the JMS queues of the sandbox OA on the embedded Artemis broker.
 *
 * @param taskQueue    the OA consumes work tasks from here (default {@code OA.TASKS.IN})
 * @param hrEventQueue the OA publishes HR events here (default {@code OA.HR.EVENTS})
 */
@ConfigurationProperties("esb.sandbox.oa")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public record OaSandboxProperties(@DefaultValue("OA.TASKS.IN") String taskQueue,
                                  @DefaultValue("OA.HR.EVENTS") String hrEventQueue) {
}
