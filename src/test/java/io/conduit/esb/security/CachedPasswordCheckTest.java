package io.conduit.esb.security;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachedPasswordCheckTest {

    private final AtomicInteger hashChecks = new AtomicInteger();

    /** Stands for the BCrypt check: counts calls, accepts operator/secret only. */
    private final AuthenticationProvider slow = new AuthenticationProvider() {
        @Override
        public Authentication authenticate(Authentication a) {
            hashChecks.incrementAndGet();
            if (a.getName().equals("operator") && "secret".equals(a.getCredentials())) {
                return UsernamePasswordAuthenticationToken.authenticated("operator", null,
                        List.of(new SimpleGrantedAuthority("ROLE_OPERATOR")));
            }
            throw new BadCredentialsException("Bad credentials");
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return true;
        }
    };

    private final CachedPasswordCheck check = new CachedPasswordCheck(slow);

    @Test
    void theSlowHashRunsOncePerLoginNotPerRequest() {
        for (int i = 0; i < 100; i++) {
            Authentication result = check.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("operator", "secret"));
            assertThat(result.isAuthenticated()).isTrue();
            assertThat(result.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_OPERATOR");
        }
        assertThat(hashChecks).hasValue(1);
    }

    @Test
    void wrongPasswordsAreNeverRemembered() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> check.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("operator", "guess")))
                    .isInstanceOf(BadCredentialsException.class);
        }
        assertThat(hashChecks).hasValue(3);
        // a right password after wrong ones, then a wrong one again: the cache holds only the exact right pair
        check.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("operator", "secret"));
        assertThatThrownBy(() -> check.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("operator", "secret ")))
                .isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> check.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("operatorsecret", "")))
                .isInstanceOf(BadCredentialsException.class);
    }
}
