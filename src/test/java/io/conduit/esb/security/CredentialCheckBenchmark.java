package io.conduit.esb.security;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What checking a credential costs per request, the way the ESB checks each: a source's HMAC signature over a 1 KiB
 * body ({@link SourceAuthenticationFilter}), a bearer token by its SHA-256 digest, a person's password with BCrypt
 * (what every HTTP Basic request paid before), and the same password remembered ({@link CachedPasswordCheck}).
 * Warmed up, then timed call by call. Not a unit test; run with
 * <pre>mvn -q -B test-compile exec:java -Dexec.mainClass=io.conduit.esb.security.CredentialCheckBenchmark -Dexec.classpathScope=test</pre>
 */
public final class CredentialCheckBenchmark {

    private interface Check {
        boolean run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        byte[] body = new byte[1024];
        Arrays.fill(body, (byte) 'x');
        String secret = "dev-crm-webhook-secret";
        String timestamp = "1796030000";
        byte[] signature = ("sha256=" + HexFormat.of().formatHex(SourceAuthenticationFilter.hmac(secret, timestamp, body)))
                .getBytes(StandardCharsets.US_ASCII);
        Check hmac = () -> MessageDigest.isEqual(signature, ("sha256=" + HexFormat.of().formatHex(
                SourceAuthenticationFilter.hmac(secret, timestamp, body))).getBytes(StandardCharsets.US_ASCII));

        byte[] tokenDigest = MessageDigest.getInstance("SHA-256").digest("a-long-random-token-0123456789".getBytes(StandardCharsets.UTF_8));
        Check bearer = () -> MessageDigest.isEqual(tokenDigest, MessageDigest.getInstance("SHA-256")
                .digest("a-long-random-token-0123456789".getBytes(StandardCharsets.UTF_8)));

        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager(User.withUsername("operator")
                .password(encoder.encode("operator")).roles("OPERATOR").build());
        DaoAuthenticationProvider bcrypt = new DaoAuthenticationProvider(users);
        bcrypt.setPasswordEncoder(encoder);
        Check everyTime = () -> bcrypt.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("operator", "operator"))
                .isAuthenticated();
        CachedPasswordCheck cached = new CachedPasswordCheck(bcrypt);
        Check remembered = () -> cached.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("operator", "operator"))
                .isAuthenticated();

        System.out.println("credential check, per request (1 KiB body; 2 cores, one thread):");
        measure("HMAC-SHA256 signature (source, partner)", hmac, 200_000);
        measure("bearer token by SHA-256 digest", bearer, 200_000);
        measure("HTTP Basic, BCrypt every request (before)", everyTime, 40);
        measure("HTTP Basic, remembered login (now)", remembered, 200_000);
    }

    private static void measure(String name, Check check, int calls) throws Exception {
        for (int i = 0; i < Math.min(calls, 20_000); i++) {
            if (!check.run()) {
                throw new IllegalStateException(name + " refused a good credential");
            }
        }
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            check.run();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "  %-46s median %10.1f us   p99 %10.1f us   (%d calls)%n", name,
                nanos[calls / 2] / 1000.0, nanos[(int) (calls * 0.99)] / 1000.0, calls);
    }
}
