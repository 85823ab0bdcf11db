package io.conduit.esb.support;

import org.springframework.http.HttpHeaders;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;

/** Test side of the intake sources' HMAC signature: X-Timestamp and X-Signature for a body. */
public final class IntakeSignature {

    private IntakeSignature() {
    }

    public static HttpHeaders headers(String secret, byte[] body) {
        return headers(secret, Instant.now().getEpochSecond(), body);
    }

    public static HttpHeaders headers(String secret, long timestamp, byte[] body) {
        HttpHeaders headers = new HttpHeaders();
        headers.set("X-Timestamp", String.valueOf(timestamp));
        headers.set("X-Signature", signature(secret, String.valueOf(timestamp), body));
        return headers;
    }

    public static String signature(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
