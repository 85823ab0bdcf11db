package io.conduit.esb.intake;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.util.HexFormat;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signatures already used, so a signed request captured and sent again inside its timestamp window is refused
 * rather than merely deduplicated downstream. Kept in the ESB database ({@code esb.intake_nonce}) so every
 * replica sees the same set; a row lives as long as its window and expired rows are deleted now and then by the
 * request that finds them due (no scheduler needed).
 */
@Component
public class IntakeNonces {

    private static final long PURGE_EVERY_MS = 60_000;

    /** Request header through which a route learns which signature to release when it refuses the request. */
    public static final String RELEASE_HEADER = "X-Conduit-Intake-Release";

    private final JdbcTemplate jdbc;
    private final AtomicLong nextPurge = new AtomicLong();
    private final SecretKeySpec tokenKey;

    public IntakeNonces(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.tokenKey = new SecretKeySpec(random, "HmacSHA256");
    }

    /**
     * A token naming a used signature, handed to the route in {@link #RELEASE_HEADER}: MACed with a key made at
     * start, so a caller cannot name another request's signature to have it released.
     */
    public String releaseToken(String source, String digest) {
        String value = source + ":" + digest;
        return value + ":" + mac(value);
    }

    /** Releases the signature a token names; a forged or malformed token changes nothing. */
    public void releaseByToken(String token) {
        if (token == null) {
            return;
        }
        int last = token.lastIndexOf(':');
        int first = token.indexOf(':');
        if (first <= 0 || last <= first) {
            return;
        }
        String value = token.substring(0, last);
        if (MessageDigest.isEqual(mac(value).getBytes(StandardCharsets.US_ASCII),
                token.substring(last + 1).getBytes(StandardCharsets.US_ASCII))) {
            release(value.substring(0, first), value.substring(first + 1));
        }
    }

    private String mac(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(tokenKey);
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records the signature; false if it was recorded before (a replay). */
    public boolean firstUse(String source, String signatureDigest, Instant expiresAt) {
        purgeIfDue();
        return jdbc.update("insert into esb.intake_nonce (source, digest, expires_at) values (?, ?, ?) on conflict do nothing",
                source, signatureDigest, Timestamp.from(expiresAt)) == 1;
    }

    /** Forgets a signature whose request was not accepted, so the sender may send the same request again. */
    public void release(String source, String signatureDigest) {
        jdbc.update("delete from esb.intake_nonce where source = ? and digest = ?", source, signatureDigest);
    }

    private void purgeIfDue() {
        long now = System.currentTimeMillis();
        long due = nextPurge.get();
        if (now >= due && nextPurge.compareAndSet(due, now + PURGE_EVERY_MS)) {
            jdbc.update("delete from esb.intake_nonce where expires_at < now()");
        }
    }
}
