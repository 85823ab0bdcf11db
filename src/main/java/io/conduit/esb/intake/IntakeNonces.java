package io.conduit.esb.intake;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
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

    private final JdbcTemplate jdbc;
    private final AtomicLong nextPurge = new AtomicLong();

    public IntakeNonces(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
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
