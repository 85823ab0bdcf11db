package io.conduit.esb.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Checks a login's password with the slow password hash (BCrypt) once, then remembers for a few minutes that this
 * exact user name and password were right, so a script calling the admin API with HTTP Basic on every request pays
 * one HMAC (microseconds) instead of one BCrypt (about 55 ms of CPU) per request. The cache key is an HMAC of
 * user and password under a random key made at start, so neither is kept in memory in the clear; wrong passwords
 * are never cached (each costs the full hash). A changed password takes effect at the next start (users come from
 * configuration), a disabled user within {@link #TTL}.
 */
final class CachedPasswordCheck implements AuthenticationProvider {

    static final Duration TTL = Duration.ofMinutes(5);

    private final AuthenticationProvider delegate;
    private final Cache<String, Authentication> verified = Caffeine.newBuilder()
            .expireAfterWrite(TTL).maximumSize(10_000).build();
    /**
     * One keyed MAC per request thread: looking up the algorithm and keying it took three quarters of the check's CPU
     * (the simple flow's profile: 0.8 of 1.0 % of all samples). A {@link Mac} is not thread-safe and resets itself
     * after {@code doFinal}, so a thread's instance serves each of its requests in turn.
     */
    private final ThreadLocal<Mac> macs;

    CachedPasswordCheck(AuthenticationProvider delegate) {
        this.delegate = delegate;
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        SecretKeySpec key = new SecretKeySpec(random, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> keyed(key));
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        if (!(authentication.getCredentials() instanceof String password)) {
            return delegate.authenticate(authentication);
        }
        String cacheKey = digest(authentication.getName(), password);
        Authentication known = verified.getIfPresent(cacheKey);
        if (known != null) {
            return known;
        }
        Authentication result = delegate.authenticate(authentication);
        if (result != null && result.isAuthenticated()) {
            verified.put(cacheKey, result);
        }
        return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private String digest(String user, String password) {
        Mac mac = macs.get();
        mac.update(user.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
    }

    private static Mac keyed(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
