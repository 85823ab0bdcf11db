package io.conduit.esb.partner;

import io.conduit.esb.intake.IntakeNonces;
import io.conduit.esb.intake.ProblemException;
import io.conduit.esb.intake.Problems;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * The checks every partner request passes before its payload is looked at, in this order: content type (415),
 * body size (413), API key, timestamp within the replay window and HMAC-SHA256 signature (401), the partner's rate
 * limit (429 with Retry-After) and whether the partner may send this message type (403). Used by the partner
 * intake routes as bean {@code partnerGate}; a refusal is a {@link ProblemException} the intake error policy
 * answers.
 * <p>
 * Signature scheme (as Stripe's and GitHub's webhooks): {@code X-Signature: sha256=<hex HMAC-SHA256(secret,
 * "<X-Timestamp>.<raw body>")>}, X-Timestamp in Unix seconds; a GET signs an empty body. Compared in constant
 * time. A POST without an Idempotency-Key is single-use: the same signed request again within the window gets 409
 * (with one, the partner gets the first answer again); a request refused afterwards releases its signature.
 * Hand-written on the JDK's {@code javax.crypto}: the scheme is a few lines and no library implements this
 * exact header format.
 */
@Component("partnerGate")
public class PartnerGate {

    public static final String PARTNER_ID = "partnerId";
    public static final String PARTNER_FORMAT = "partnerFormat";
    public static final String TRACKING_ID = "partnerTrackingId";
    public static final String RECEIVED_AT = "partnerReceivedAt";
    public static final String BODY_SHA256 = "partnerBodySha256";

    private static final String UNAUTHENTICATED = "urn:conduit:problem:unauthenticated";
    private static final String NONCE_SOURCE = "partner";

    private final PartnerRegistry registry;
    private final PartnerRateLimits rateLimits;
    private final IntakeNonces nonces;
    private final long replayWindowSeconds;
    private final int maxBodyBytes;

    public PartnerGate(PartnerRegistry registry, PartnerRateLimits rateLimits, IntakeNonces nonces,
                       @Value("${esb.partner.replay-window-seconds}") long replayWindowSeconds,
                       @Value("${esb.partner.max-body-bytes}") int maxBodyBytes) {
        this.registry = registry;
        this.rateLimits = rateLimits;
        this.nonces = nonces;
        this.replayWindowSeconds = replayWindowSeconds;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** A POSTed message of the given type: every check; the body becomes the request text (UTF-8). */
    public void admit(Exchange exchange, String messageType) {
        Instant receivedAt = Instant.now();
        Message in = exchange.getMessage();
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase();
        if (!mediaType.equals("application/json")) {
            throw new ProblemException(415, "urn:conduit:problem:unsupported-media-type", "Unsupported media type",
                    "Content-Type must be application/json" + (contentType == null ? "; none was given" : ""));
        }
        Long declared = in.getHeader("Content-Length", Long.class);
        if (declared != null && declared > maxBodyBytes) {
            throw tooLarge(declared);
        }
        byte[] body = in.getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        if (body.length > maxBodyBytes) {
            throw tooLarge(body.length);
        }
        PartnerRegistry.Partner partner = authenticate(exchange, body);
        if (in.getHeader("Idempotency-Key") == null) {
            // without an Idempotency-Key, a signed request sent again would be a second message: single-use
            String nonce = sha256(in.getHeader("X-Signature", String.class).trim().toLowerCase().getBytes(StandardCharsets.US_ASCII));
            long signedAt = Long.parseLong(in.getHeader("X-Timestamp", String.class).trim());
            if (!nonces.firstUse(NONCE_SOURCE, nonce, Instant.ofEpochSecond(signedAt).plusSeconds(replayWindowSeconds))) {
                throw new ProblemException(409, "urn:conduit:problem:replayed", "Signature already used",
                        "This signed request was already accepted; send a new X-Timestamp and signature, or an"
                                + " Idempotency-Key to get the first answer again");
            }
            exchange.setProperty(Problems.RELEASE_NONCE, new String[]{NONCE_SOURCE, nonce});
        }
        if (!partner.allowedTypes().contains(messageType)) {
            throw new ProblemException(403, "urn:conduit:problem:forbidden", "Message type not allowed",
                    "Partner '" + partner.partnerId() + "' may not send " + messageType + " messages");
        }
        exchange.setProperty(PARTNER_FORMAT, partner.format());
        exchange.setProperty(TRACKING_ID, UUID.randomUUID().toString());
        exchange.setProperty(RECEIVED_AT, receivedAt);
        exchange.setProperty(BODY_SHA256, sha256(body));
        in.setBody(new String(body, StandardCharsets.UTF_8));
    }

    /** A read (GET): signature over the empty body, rate limit. */
    public void admitRead(Exchange exchange) {
        authenticate(exchange, new byte[0]);
    }

    private PartnerRegistry.Partner authenticate(Exchange exchange, byte[] body) {
        Message in = exchange.getMessage();
        String keyId = in.getHeader("X-Api-Key", String.class);
        String timestamp = in.getHeader("X-Timestamp", String.class);
        String signature = in.getHeader("X-Signature", String.class);
        if (isBlank(keyId) || isBlank(timestamp) || isBlank(signature)) {
            throw unauthenticated("X-Api-Key, X-Timestamp and X-Signature are required");
        }
        Instant now = Instant.now();
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw unauthenticated("X-Timestamp must be Unix time in seconds");
        }
        if (Math.abs(now.getEpochSecond() - seconds) > replayWindowSeconds) {
            throw unauthenticated("X-Timestamp is outside the " + replayWindowSeconds + " s window (expired or clock skew)");
        }
        PartnerRegistry.KeyLookup lookup = registry.lookup(keyId.trim(), now);
        switch (lookup.state()) {
            case USABLE -> { }
            case REVOKED -> throw unauthenticated("API key is revoked");
            case EXPIRED -> throw unauthenticated("API key has expired (rotated)");
            case PARTNER_SUSPENDED -> throw unauthenticated("Partner is suspended");
            default -> throw unauthenticated("Unknown API key");
        }
        byte[] expected = ("sha256=" + HexFormat.of().formatHex(hmac(lookup.key().secret(), timestamp.trim(), body)))
                .getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.trim().toLowerCase().getBytes(StandardCharsets.US_ASCII))) {
            throw unauthenticated("Signature does not match");
        }
        PartnerRegistry.Partner partner = lookup.key().partner();
        exchange.setProperty(PARTNER_ID, partner.partnerId());
        if (!rateLimits.tryAcquire(partner.partnerId(), partner.rateLimitPerMinute())) {
            throw new ProblemException(429, "urn:conduit:problem:rate-limited", "Too many requests",
                    "Rate limit of " + partner.rateLimitPerMinute() + " requests per minute exceeded",
                    Map.of("Retry-After", String.valueOf(rateLimits.retryAfterSeconds(partner.partnerId()))));
        }
        return partner;
    }

    /** HMAC-SHA256 of "{timestamp}.{body}" (also used by tests and the quick start's client side). */
    public static byte[] hmac(byte[] secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private ProblemException tooLarge(long size) {
        return new ProblemException(413, "urn:conduit:problem:payload-too-large", "Payload too large",
                "Body has " + size + " bytes; at most " + maxBodyBytes + " are accepted");
    }

    private static ProblemException unauthenticated(String detail) {
        return new ProblemException(401, UNAUTHENTICATED, "Not authenticated", detail,
                Map.of("WWW-Authenticate", "HMAC-SHA256 realm=\"conduit-partner-api\""));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
