package io.conduit.esb.sandbox.crm;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code esb.sandbox.crm.*} as far as support cases need it: where the "case created" webhook goes, with the same
 * retry settings as the opportunity webhook ({@link CrmSandboxProperties}).
 *
 * @param caseWebhookUrl where "case created" events are POSTed (the ESB's complaint intake); unset = not sent
 * @param webhookSecret  the HMAC secret webhooks are signed with (the ESB's key for source {@code crm})
 */
@ConfigurationProperties("esb.sandbox.crm")
public record CrmCaseProperties(String caseWebhookUrl,
                                @DefaultValue("3") int webhookAttempts,
                                @DefaultValue("1000") long webhookBackoffMs,
                                @DefaultValue("2000") long webhookConnectTimeoutMs,
                                @DefaultValue("5000") long webhookReadTimeoutMs,
                                String webhookSecret) {
}
