package io.conduit.esb.security;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import java.io.IOException;

/** 401 and 403 answers of the admin API as RFC 9457 problem+json, like every other error answer of the ESB. */
final class ProblemAuthenticationHandlers {

    private ProblemAuthenticationHandlers() {
    }

    /** 401 with {@code WWW-Authenticate: Basic}, so clients know to send credentials. */
    static AuthenticationEntryPoint unauthenticated() {
        return (request, response, e) -> {
            response.setHeader("WWW-Authenticate", "Basic realm=\"conduit-esb\"");
            write(response, 401, "unauthenticated", "Not authenticated",
                    "This endpoint needs a login (HTTP Basic) of a user with role VIEWER or OPERATOR");
        };
    }

    /** 403: logged in, but the role does not allow this (e.g. a VIEWER replaying a message). */
    static AccessDeniedHandler forbidden() {
        return (request, response, e) -> write(response, 403, "forbidden", "Forbidden",
                "Your role does not allow " + request.getMethod() + " " + request.getRequestURI());
    }

    private static void write(HttpServletResponse response, int status, String type, String title, String detail)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.getWriter().write("{\"type\":\"urn:conduit:problem:" + type + "\",\"title\":\"" + title
                + "\",\"status\":" + status + ",\"detail\":\"" + detail.replace("\"", "'") + "\"}");
    }
}
