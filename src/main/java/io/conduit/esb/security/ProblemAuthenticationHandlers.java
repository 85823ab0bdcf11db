package io.conduit.esb.security;

import io.conduit.esb.intake.ProblemResponses;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/** 401 and 403 answers of the machine endpoints as RFC 9457 problem+json, like every other error answer of the ESB. */
final class ProblemAuthenticationHandlers {

    private ProblemAuthenticationHandlers() {
    }

    /** 401 with {@code WWW-Authenticate: Basic}, so clients know to send credentials. */
    static AuthenticationEntryPoint unauthenticated() {
        return (request, response, e) -> {
            response.setHeader("WWW-Authenticate", "Basic realm=\"conduit-esb\"");
            ProblemResponses.write(response, 401, ProblemResponses.body(401, "urn:conduit:problem:unauthenticated",
                    "Not authenticated", "This endpoint needs credentials: a login (HTTP Basic) of a user with role"
                            + " VIEWER or OPERATOR, or the signature or token of the system it belongs to", null));
        };
    }

    /** 403: authenticated, but not allowed here (a VIEWER replaying a message, a source posting to another's path). */
    static AccessDeniedHandler forbidden() {
        return (request, response, e) -> ProblemResponses.write(response, 403, ProblemResponses.body(403,
                "urn:conduit:problem:forbidden", "Forbidden", "Your role does not allow this request", null));
    }
}
