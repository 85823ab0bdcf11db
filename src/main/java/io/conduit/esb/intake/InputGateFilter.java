package io.conduit.esb.intake;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Runs the {@link InputGate} on every request body that reaches a machine endpoint (intake, admin API, any HTTP
 * route a route file adds), after authentication and authorization: the body is read within the size limit,
 * checked, and handed on from memory. A refusal is answered here as problem+json; nothing downstream runs.
 */
public class InputGateFilter extends OncePerRequestFilter {

    private final InputGate gate;
    private final int maxBodyBytes;

    public InputGateFilter(InputGate gate, int maxBodyBytes) {
        this.gate = gate;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            chain.doFilter(request, response);
            return;
        }

        CachedBodyRequest cached;
        try {
            cached = CachedBodyRequest.of(request, maxBodyBytes);
            gate.inspect(cached.body(), request.getContentType());
        } catch (ProblemException refused) {
            ProblemResponses.write(response, refused);
            return;
        }
        chain.doFilter(cached, response);
    }
}
