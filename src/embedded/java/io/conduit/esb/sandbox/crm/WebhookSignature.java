package io.conduit.esb.sandbox.crm;

import org.springframework.http.HttpHeaders;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * How the sandbox CRM signs its webhooks, as SaaS CRMs do: {@code X-Timestamp} (Unix seconds) and
 * {@code X-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>}, a fresh signature per attempt.
 */
final class WebhookSignature {

    private WebhookSignature() {
    }

    /** Adds the signature headers for this body; nothing when no secret is configured (the ESB will refuse it). */
    static void sign(HttpHeaders headers, String secret, byte[] body) {
        if (secret == null || secret.isBlank()) {
            return;
        }
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            headers.set("X-Timestamp", timestamp);
            headers.set("X-Signature", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
