package io.conduit.esb.console;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

import java.security.Principal;

/** Who is using the console: the actor recorded for operator actions, and the server-side check of the operator role. */
final class ConsoleAccess {

    static final String OPERATOR_AUTHORITY = "ROLE_OPERATOR";

    private ConsoleAccess() {
    }

    /** The logged-in user's name, recorded as the actor of a replay or discard ("anonymous" without a login). */
    static String actor(Principal principal) {
        return principal == null || principal.getName() == null ? "anonymous" : principal.getName();
    }

    static boolean isOperator(Authentication authentication) {
        return authentication != null && authentication.isAuthenticated()
                && authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .anyMatch(OPERATOR_AUTHORITY::equals);
    }

    /**
     * Refuses an operator action (replay, discard) to anyone without the OPERATOR role, whatever the URL rules of the
     * security configuration say: hidden buttons alone are no protection.
     */
    static void requireOperator(Authentication authentication) {
        if (!isOperator(authentication)) {
            throw new AccessDeniedException("replay and discard need the OPERATOR role");
        }
    }
}
