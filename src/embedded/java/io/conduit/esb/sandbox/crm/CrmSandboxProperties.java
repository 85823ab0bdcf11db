package io.conduit.esb.sandbox.crm;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code esb.sandbox.crm.*}: where and how the sandbox CRM delivers its webhooks.
 *
 * @param webhookUrl              where "opportunity won" events are POSTed (the ESB's webhook endpoint); when
 *                                unset, events are stored and a failed delivery is recorded, but nothing is sent
 * @param webhookAttempts         attempts per delivery, including the first (default 3)
 * @param webhookBackoffMs        wait before the second attempt; doubled before each further one (default 1000)
 * @param webhookConnectTimeoutMs connect timeout of a delivery (default 2000)
 * @param webhookReadTimeoutMs    read timeout of a delivery (default 5000)
 * @param webhookSecret           the HMAC secret webhooks are signed with (the ESB's key for source {@code crm})
 */
@ConfigurationProperties("esb.sandbox.crm")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public record CrmSandboxProperties(String webhookUrl,
                                   @DefaultValue("3") int webhookAttempts,
                                   @DefaultValue("1000") long webhookBackoffMs,
                                   @DefaultValue("2000") long webhookConnectTimeoutMs,
                                   @DefaultValue("5000") long webhookReadTimeoutMs,
                                   String webhookSecret) {
}
