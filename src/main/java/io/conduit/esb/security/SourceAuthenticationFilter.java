package io.conduit.esb.security;

import io.conduit.esb.intake.CachedBodyRequest;
import io.conduit.esb.intake.IntakeNonces;
import io.conduit.esb.intake.IntakeProperties;
import io.conduit.esb.intake.ProblemException;
import io.conduit.esb.intake.ProblemResponses;
import io.conduit.esb.partner.PartnerGate;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Authenticates the systems that post to the ESB ({@code esb.intake.sources}): a request to a path a source claims
 * must carry that source's credential, or it is answered 401 here, before its body is parsed.
 * <ul>
 *   <li>{@code hmac}: {@code X-Timestamp} (Unix seconds, within {@code esb.intake.replay-window-seconds}) and
 *       {@code X-Signature: sha256=<hex HMAC-SHA256(secret, "<X-Timestamp>.<raw body>")>}, optionally
 *       {@code X-Key-Id} naming the key (else every key of the source is tried: rotation). The same scheme as the
 *       partner API. A signature is single-use: sent again inside its window it gets 409. A request the ESB did
 *       not accept (any answer other than 2xx) releases its signature, so the sender may retry it as it is.</li>
 *   <li>{@code bearer}: {@code Authorization: Bearer <token>}; the configuration holds only each token's SHA-256
 *       digest, compared in constant time.</li>
 * </ul>
 * Both cost microseconds (one HMAC or one SHA-256 per request); password hashing is for people logging in. The
 * authenticated request carries authority {@code SOURCE_<name>}, which the authorization rules require on the
 * source's paths.
 */
final class SourceAuthenticationFilter extends OncePerRequestFilter {

    private static final String UNAUTHENTICATED = "urn:conduit:problem:unauthenticated";

    private record Source(String name, IntakeProperties.Source config, List<byte[]> tokenDigests) { }

    private final List<Source> sources = new ArrayList<>();
    private final IntakeProperties properties;
    private final IntakeNonces nonces;
    private final AntPathMatcher paths = new AntPathMatcher();

    SourceAuthenticationFilter(IntakeProperties properties, IntakeNonces nonces) {
        this.properties = properties;
        this.nonces = nonces;
        properties.getSources().forEach((name, config) -> {
            if (config.getPaths().isEmpty()) {
                throw new IllegalStateException("esb.intake.sources." + name + ".paths must name at least one path");
            }
            List<byte[]> digests = new ArrayList<>();
            if (config.getAuth() == IntakeProperties.Auth.BEARER) {
                config.getTokens().forEach((tokenName, digest) -> {
                    if (digest == null || digest.isBlank()) {
                        return;
                    }
                    if (!digest.startsWith("sha256:") || digest.length() != 71) {
                        throw new IllegalStateException("esb.intake.sources." + name + ".tokens." + tokenName
                                + " must be sha256:<64 hex digits> (the token's SHA-256 digest, never the token)");
                    }
                    digests.add(HexFormat.of().parseHex(digest.substring(7)));
                });
            } else if (config.getKeys().values().stream().allMatch(k -> k == null || k.isBlank())) {
                throw new IllegalStateException("esb.intake.sources." + name + ".keys must hold at least one secret");
            }
            sources.add(new Source(name, config, digests));
        });
    }

    /** The source claiming this path, or null. */
    String sourceOf(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        for (Source source : sources) {
            for (String pattern : source.config().getPaths()) {
                if (paths.match(pattern, path)) {
                    return source.name();
                }
            }
        }
        return null;
    }

    List<String> pathsOf(String source) {
        return properties.getSources().get(source).getPaths();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String name = sourceOf(request);
        if (name == null) {
            chain.doFilter(request, response);
            return;
        }
        Source source = sources.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        HttpServletRequest checked = request;
        HttpServletResponse answer = response;
        try {
            if (source.config().getAuth() == IntakeProperties.Auth.BEARER) {
                checkBearer(source, request);
            } else {
                CachedBodyRequest cached = CachedBodyRequest.of(request, properties.getMaxBodyBytes());
                String nonce = checkSignature(source, cached);
                checked = cached;
                // released the moment a refusal's status is set, before its answer can reach the sender (who may
                // send the same request again at once); platform-http writes the answer before its async dispatch
                answer = new ReleasingResponse(response, name, nonce);
            }
        } catch (ProblemException refused) {
            ProblemResponses.write(response, refused);
            return;
        }
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "source:" + name, null, List.of(new SimpleGrantedAuthority(authority(name)))));
        try {
            chain.doFilter(checked, answer);
        } catch (IOException | ServletException | RuntimeException failed) {
            // the container will answer 500 on its error page, outside this wrapper
            if (answer instanceof ReleasingResponse releasing) {
                releasing.releaseIfRefused(500);
            }
            throw failed;
        }
    }

    /** Releases the request's signature as soon as a status of 300 or more is set on its answer. */
    private final class ReleasingResponse extends jakarta.servlet.http.HttpServletResponseWrapper {
        private final String source;
        private final String nonce;
        private boolean released;

        ReleasingResponse(HttpServletResponse response, String source, String nonce) {
            super(response);
            this.source = source;
            this.nonce = nonce;
        }

        @Override
        public void setStatus(int sc) {
            releaseIfRefused(sc);
            super.setStatus(sc);
        }

        @Override
        public void sendError(int sc) throws IOException {
            releaseIfRefused(sc);
            super.sendError(sc);
        }

        @Override
        public void sendError(int sc, String msg) throws IOException {
            releaseIfRefused(sc);
            super.sendError(sc, msg);
        }

        private void releaseIfRefused(int status) {
            if (status >= 300 && !released) {
                released = true;
                nonces.release(source, nonce);
            }
        }
    }

    static String authority(String source) {
        return "SOURCE_" + source;
    }

    private void checkBearer(Source source, HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthenticated(source, "Authorization: Bearer <token> is required");
        }
        byte[] digest = sha256(header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
        boolean match = false;
        for (byte[] expected : source.tokenDigests()) {
            match |= MessageDigest.isEqual(expected, digest);
        }
        if (!match) {
            throw unauthenticated(source, "The bearer token is not valid for this endpoint");
        }
    }

    /** Verifies the HMAC signature and records it as used; returns its digest (the nonce). */
    private String checkSignature(Source source, CachedBodyRequest request) {
        String timestamp = request.getHeader("X-Timestamp");
        String signature = request.getHeader("X-Signature");
        if (timestamp == null || signature == null || timestamp.isBlank() || signature.isBlank()) {
            throw unauthenticated(source, "X-Timestamp and X-Signature are required");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw unauthenticated(source, "X-Timestamp must be Unix time in seconds");
        }
        Instant now = Instant.now();
        long window = properties.getReplayWindowSeconds();
        if (Math.abs(now.getEpochSecond() - seconds) > window) {
            throw unauthenticated(source, "X-Timestamp is outside the " + window + " s window (expired or clock skew)");
        }
        byte[] given = signature.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        String keyId = request.getHeader("X-Key-Id");
        boolean match = false;
        for (Map.Entry<String, String> key : source.config().getKeys().entrySet()) {
            if (key.getValue() == null || key.getValue().isBlank() || (keyId != null && !keyId.trim().equals(key.getKey()))) {
                continue;
            }
            byte[] expected = ("sha256=" + HexFormat.of().formatHex(hmac(key.getValue(), timestamp.trim(), request.body())))
                    .getBytes(StandardCharsets.US_ASCII);
            match |= MessageDigest.isEqual(expected, given);
        }
        if (!match) {
            throw unauthenticated(source, "Signature does not match");
        }
        String nonce = HexFormat.of().formatHex(sha256(given));
        if (!nonces.firstUse(source.name(), nonce, Instant.ofEpochSecond(seconds).plusSeconds(window))) {
            throw new ProblemException(409, "urn:conduit:problem:replayed", "Signature already used",
                    "This signed request was already accepted; a new request needs a new X-Timestamp and signature");
        }
        return nonce;
    }

    /** HMAC-SHA256 of "{timestamp}.{body}" with the secret's UTF-8 bytes: the partner API's scheme, one implementation. */
    static byte[] hmac(String secret, String timestamp, byte[] body) {
        return PartnerGate.hmac(secret.getBytes(StandardCharsets.UTF_8), timestamp, body);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException unauthenticated(Source source, String detail) {
        String scheme = source.config().getAuth() == IntakeProperties.Auth.BEARER ? "Bearer" : "HMAC-SHA256";
        return new ProblemException(401, UNAUTHENTICATED, "Not authenticated", detail,
                Map.of("WWW-Authenticate", scheme + " realm=\"conduit-" + source.name() + "\""));
    }
}
