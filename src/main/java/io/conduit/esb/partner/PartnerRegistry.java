package io.conduit.esb.partner;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The partner registry in the ESB database ({@code esb.partner}, {@code esb.partner_api_key}): registration, key
 * rotation with an overlap period, immediate revocation, and the key lookup of every request (read from the
 * database each time, so a revocation or suspension takes effect with the next request).
 */
@Component
public class PartnerRegistry {

    /** A partner as the intake checks see it. */
    public record Partner(String partnerId, String name, String status, String format, List<String> allowedTypes,
                          int rateLimitPerMinute) { }

    /** A usable key of an active partner, with its decrypted secret. */
    public record ActiveKey(String keyId, Partner partner, byte[] secret) { }

    /** A freshly issued key: the only time its secret is shown. */
    public record IssuedKey(String keyId, String secret, Instant validFrom) { }

    /** Why a key cannot be used. */
    public enum KeyState { USABLE, UNKNOWN, REVOKED, EXPIRED, NOT_YET_VALID, PARTNER_SUSPENDED }

    public record KeyLookup(KeyState state, ActiveKey key) { }

    private final JdbcTemplate jdbc;
    private final SecretBox secrets;
    private final long overlapSeconds;
    private final SecureRandom random = new SecureRandom();

    public PartnerRegistry(JdbcTemplate jdbc, SecretBox secrets,
                           @Value("${esb.partner.rotation-overlap-seconds}") long overlapSeconds) {
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.overlapSeconds = overlapSeconds;
    }

    @Transactional
    public IssuedKey register(String partnerId, String name, String format, List<String> allowedTypes, int ratePerMinute) {
        jdbc.update("insert into esb.partner (partner_id, name, format, allowed_types, rate_limit_per_minute) values (?, ?, ?, ?, ?)",
                ps -> {
                    ps.setString(1, partnerId);
                    ps.setString(2, name);
                    ps.setString(3, format);
                    ps.setArray(4, ps.getConnection().createArrayOf("text", allowedTypes.toArray()));
                    ps.setInt(5, ratePerMinute);
                });
        return issueKey(partnerId);
    }

    /** A new key; every other usable key of the partner stays valid for the overlap period only. */
    @Transactional
    public IssuedKey rotate(String partnerId) {
        Instant overlapEnd = Instant.now().plusSeconds(overlapSeconds);
        jdbc.update("update esb.partner_api_key set valid_until = ? where partner_id = ? and revoked_at is null"
                        + " and (valid_until is null or valid_until > ?)",
                Timestamp.from(overlapEnd), partnerId, Timestamp.from(overlapEnd));
        return issueKey(partnerId);
    }

    /** Revokes a key at once; false if the partner has no such key. */
    public boolean revoke(String partnerId, String keyId) {
        return jdbc.update("update esb.partner_api_key set revoked_at = coalesce(revoked_at, now()) where partner_id = ? and key_id = ?",
                partnerId, keyId) == 1;
    }

    public Optional<Partner> partner(String partnerId) {
        return jdbc.query("select * from esb.partner where partner_id = ?", (rs, i) -> new Partner(
                rs.getString("partner_id"), rs.getString("name"), rs.getString("status"), rs.getString("format"),
                types(rs.getArray("allowed_types")), rs.getInt("rate_limit_per_minute")), partnerId).stream().findFirst();
    }

    /** The partner's keys (never their secrets), newest first. */
    public List<Map<String, Object>> keys(String partnerId) {
        return jdbc.query("select key_id, valid_from, valid_until, revoked_at from esb.partner_api_key where partner_id = ? order by created_at desc",
                (rs, i) -> {
                    Map<String, Object> key = new LinkedHashMap<>();
                    key.put("keyId", rs.getString("key_id"));
                    key.put("validFrom", instant(rs.getTimestamp("valid_from")));
                    key.put("validUntil", instant(rs.getTimestamp("valid_until")));
                    key.put("revokedAt", instant(rs.getTimestamp("revoked_at")));
                    return key;
                }, partnerId);
    }

    public KeyLookup lookup(String keyId, Instant now) {
        List<KeyLookup> found = jdbc.query("select k.key_id, k.secret_enc, k.valid_from, k.valid_until, k.revoked_at, p.*"
                        + " from esb.partner_api_key k join esb.partner p on p.partner_id = k.partner_id where k.key_id = ?",
                (rs, i) -> {
                    Partner partner = new Partner(rs.getString("partner_id"), rs.getString("name"), rs.getString("status"),
                            rs.getString("format"), types(rs.getArray("allowed_types")), rs.getInt("rate_limit_per_minute"));
                    Timestamp until = rs.getTimestamp("valid_until");
                    KeyState state;
                    if (rs.getTimestamp("revoked_at") != null) {
                        state = KeyState.REVOKED;
                    } else if (until != null && !now.isBefore(until.toInstant())) {
                        state = KeyState.EXPIRED;
                    } else if (now.isBefore(rs.getTimestamp("valid_from").toInstant())) {
                        state = KeyState.NOT_YET_VALID;
                    } else if (!"ACTIVE".equals(partner.status())) {
                        state = KeyState.PARTNER_SUSPENDED;
                    } else {
                        state = KeyState.USABLE;
                    }
                    byte[] secret = state == KeyState.USABLE ? secrets.decrypt(rs.getString("key_id"), rs.getBytes("secret_enc")) : null;
                    return new KeyLookup(state, new ActiveKey(rs.getString("key_id"), partner, secret));
                }, keyId);
        return found.isEmpty() ? new KeyLookup(KeyState.UNKNOWN, null) : found.get(0);
    }

    private IssuedKey issueKey(String partnerId) {
        String keyId = "pk_" + partnerId + "_" + hex(6);
        String secret = "psk_" + hex(32);
        Instant now = Instant.now();
        jdbc.update("insert into esb.partner_api_key (key_id, partner_id, secret_enc, valid_from) values (?, ?, ?, ?)",
                keyId, partnerId, secrets.encrypt(keyId, secret), Timestamp.from(now));
        return new IssuedKey(keyId, secret, now);
    }

    private String hex(int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }

    private static List<String> types(Array array) throws java.sql.SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
