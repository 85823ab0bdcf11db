package io.conduit.esb.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.security.servlet.PathRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;

import java.util.List;
import java.util.Map;

/**
 * Who may see and do what. Two roles: {@code VIEWER} reads (admin API GETs, console pages, actuator details and
 * metrics), {@code OPERATOR} also replays and discards parked messages and uses Hawtio ({@code OPERATOR} implies
 * {@code VIEWER}). Users come from {@code esb.security.users} ({@link SecurityUsers}).
 * <ul>
 *   <li>{@code /api/**} and {@code /actuator/**}: HTTP Basic, stateless, no CSRF, 401/403 as problem+json.
 *       Inbound integration endpoints keep their own protection and are open here: CRM webhooks, the HR API, the
 *       partner API (HMAC signature in the route; {@code /api/v1/partner/admin/**} its own bearer-token filter),
 *       the order status query, and the health, liveness and readiness probes (details only for VIEWERs).</li>
 *   <li>everything else (console {@code /console/**}, Hawtio and its Jolokia endpoint, the login page): form login
 *       on {@code /login} with a session, CSRF on, logout; HTTP Basic accepted too (scripts). Sandbox systems,
 *       static files and the API documentation are open.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class SecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);

    /** The embedded default users and passwords; using them outside a laptop is a mistake worth a loud warning. */
    private static final Map<String, String> DEFAULT_PASSWORDS = Map.of("viewer", "viewer", "operator", "operator");

    static final String VIEWER = "VIEWER";
    static final String OPERATOR = "OPERATOR";

    private static final String[] HAWTIO = {"/hawtio", "/hawtio/**", "/actuator/hawtio", "/actuator/hawtio/**",
            "/actuator/jolokia", "/actuator/jolokia/**"};

    @Bean
    public PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    public InMemoryUserDetailsManager userDetailsService(SecurityUsers config, PasswordEncoder encoder) {
        List<UserDetails> users = config.getUsers().entrySet().stream()
                .filter(u -> u.getValue().getPassword() != null && !u.getValue().getPassword().isBlank())
                .map(u -> User.withUsername(u.getKey())
                        .password(u.getValue().getPassword())
                        .roles(u.getValue().getRoles().stream().map(String::toUpperCase).toArray(String[]::new))
                        .build())
                .toList();
        if (users.isEmpty()) {
            LOG.warn("No users configured (esb.security.users): nobody can log in to the console or the admin API");
        }
        users.stream()
                .filter(u -> DEFAULT_PASSWORDS.containsKey(u.getUsername())
                        && encoder.matches(DEFAULT_PASSWORDS.get(u.getUsername()), u.getPassword()))
                .forEach(u -> LOG.warn("""

                        *****************************************************************************************
                        SECURITY: user '{}' still has its default password. Set esb.security.users.{}.password
                        (environment ESB_SECURITY_USERS_{}_PASSWORD, e.g. a {bcrypt} hash) before exposing this ESB.
                        *****************************************************************************************""",
                        u.getUsername(), u.getUsername(), u.getUsername().toUpperCase()));
        return new InMemoryUserDetailsManager(users);
    }

    /** OPERATOR may do everything a VIEWER may; picked up by the authorization rules below. */
    @Bean
    public static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix().role(OPERATOR).implies(VIEWER).build();
    }

    /** Machine-facing endpoints: HTTP Basic, no session, no CSRF (nothing a browser sends automatically). */
    @Bean
    @Order(1)
    public SecurityFilterChain apiSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher(request -> {
                    String path = request.getRequestURI().substring(request.getContextPath().length());
                    return (path.startsWith("/api/") || path.startsWith("/actuator"))
                            && !path.startsWith("/actuator/hawtio") && !path.startsWith("/actuator/jolokia");
                })
                .authorizeHttpRequests(auth -> auth
                        // inbound integration endpoints with their own protection (or none by design)
                        .requestMatchers("/api/v1/crm/webhooks/**", "/api/v1/hr/**", "/api/v1/partner/**").permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/v1/orders/*/status").permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")
                        .permitAll()
                        // admin API: read = VIEWER, act = OPERATOR
                        .requestMatchers(HttpMethod.GET, "/api/v1/ops/**", "/api/v1/onboarding/**").hasRole(VIEWER)
                        .requestMatchers("/api/v1/ops/**").hasRole(OPERATOR)
                        .requestMatchers("/actuator/**").hasRole(VIEWER)
                        // anything added later under /api: read = VIEWER, act = OPERATOR, until decided otherwise
                        .requestMatchers(HttpMethod.GET, "/api/**").hasRole(VIEWER)
                        .anyRequest().hasRole(OPERATOR))
                .httpBasic(basic -> basic.authenticationEntryPoint(ProblemAuthenticationHandlers.unauthenticated()))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint(ProblemAuthenticationHandlers.unauthenticated())
                        .accessDeniedHandler(ProblemAuthenticationHandlers.forbidden()))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable());
        return http.build();
    }

    /** People-facing pages: the console and Hawtio with a form login and CSRF protection. */
    @Bean
    @Order(2)
    public SecurityFilterChain consoleSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(auth -> auth
                        .requestMatchers("/login", "/error", "/favicon.ico", "/webjars/**", "/sandbox/**",
                                "/openapi/**", "/partner-api", "/partner-api/**").permitAll()
                        .requestMatchers(PathRequest.toStaticResources().atCommonLocations()).permitAll()
                        .requestMatchers(HAWTIO).hasRole(OPERATOR)
                        .requestMatchers(HttpMethod.GET, "/console", "/console/**").hasRole(VIEWER)
                        .requestMatchers("/console", "/console/**").hasRole(OPERATOR)
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/console", false).permitAll())
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout").permitAll())
                .httpBasic(basic -> { })
                // browsers are sent to the login page; a VIEWER trying an OPERATOR action gets 403
                .exceptionHandling(ex -> ex.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login")))
                // the sandbox systems stand for external systems (no session); Hawtio's Jolokia client sends no
                // CSRF token, and the session cookie is SameSite=Strict, so no other site can post with it
                .csrf(csrf -> csrf.ignoringRequestMatchers("/sandbox/**", "/actuator/jolokia", "/actuator/jolokia/**"));
        return http.build();
    }
}
