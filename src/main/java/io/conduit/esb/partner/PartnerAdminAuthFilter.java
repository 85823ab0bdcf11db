package io.conduit.esb.partner;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Protects the partner admin endpoints (registered by {@link PartnerWebConfiguration}) ({@code /api/v1/partner/admin/*}) with a bearer token
 * ({@code Authorization: Bearer <esb.partner.admin-token>}), compared in constant time; 401 problem+json otherwise.
 * <p>
 * Older than the ESB's Spring Security set-up, which leaves this path to this filter (partner requests themselves
 * are authenticated by their HMAC signature in the route). Folding it into the OPERATOR role would retire the
 * separate token; partner onboarding scripts use the token today.
 */
public class PartnerAdminAuthFilter extends OncePerRequestFilter {

    private final byte[] expected;

    public PartnerAdminAuthFilter(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("esb.partner.admin-token must be set");
        }
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader("Authorization");
        if (given != null && MessageDigest.isEqual(expected, given.trim().getBytes(StandardCharsets.UTF_8))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(401);
        response.setHeader("WWW-Authenticate", "Bearer realm=\"conduit-partner-admin\"");
        response.setContentType("application/problem+json");
        response.getWriter().write("{\"type\":\"urn:conduit:problem:unauthenticated\",\"title\":\"Not authenticated\","
                + "\"status\":401,\"detail\":\"The partner admin API needs Authorization: Bearer <admin token>\"}");
    }
}
