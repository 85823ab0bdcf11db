package io.conduit.esb.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.conduit.esb.intake.InputGate;
import io.conduit.esb.intake.InputGateFilter;
import io.conduit.esb.intake.IntakeNonces;
import io.conduit.esb.intake.IntakeProperties;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.autoconfigure.security.servlet.PathRequest;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.web.PathPatternRequestMatcherBuilderFactoryBean;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.util.AntPathMatcher;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;

import java.util.List;
import java.util.Map;

/**
 * Who may see and do what. Machines and people have separate chains:
 * <ul>
 *   <li><b>people</b> ({@code /console/**}, {@code /login}, Hawtio and its Jolokia endpoint, static files): form login
 *       with a session and CSRF protection, users from {@code esb.security.users} ({@link SecurityUsers}) with roles
 *       {@code VIEWER} (reads) and {@code OPERATOR} (also replays, discards, Hawtio; implies VIEWER).</li>
 *   <li><b>open</b>: the sandbox systems (embedded build only; they stand for external systems), the partner API's
 *       OpenAPI document and its Swagger UI. Nothing of the ESB's own is written there.</li>
 *   <li><b>machines</b>: everything else, stateless, no CSRF, every answer problem+json. Paths a source claims in
 *       {@code esb.intake.sources} (CRM webhooks, HR API, ...) need that source's HMAC signature or token
 *       ({@link SourceAuthenticationFilter}); the partner API authenticates each partner's signature in its route
 *       and its admin paths with their own token; the health probes are open (details for VIEWERs); anything else,
 *       including any HTTP route an IT team adds in a route file, needs a login (HTTP Basic, checked once per few
 *       minutes: {@link CachedPasswordCheck}): VIEWER to read, OPERATOR to write. Every request body then passes the
 *       {@link InputGate} (size on the bytes read, UTF-8, JSON, control characters) before any route sees it.</li>
 * </ul>
 * No endpoint that writes is open to anyone.
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
    private static final String[] JOLOKIA = {"/actuator/jolokia", "/actuator/jolokia/**", "/actuator/hawtio/jolokia",
            "/actuator/hawtio/jolokia/**", "/hawtio/jolokia", "/hawtio/jolokia/**"};
    private static final String[] PEOPLE = {"/", "/console", "/console/**", "/login", "/logout", "/favicon.ico",
            "/webjars/**", "/css/**", "/js/**", "/images/**", "/hawtio", "/hawtio/**", "/actuator/hawtio",
            "/actuator/hawtio/**", "/actuator/jolokia", "/actuator/jolokia/**"};
    private static final String[] OPEN = {"/sandbox/**", "/openapi/**", "/partner-api", "/partner-api/**"};

    /**
     * No Spring Security observations. Without this bean, any observation registry (the actuator's) makes Spring
     * Security wrap every filter of every request in an {@code ObservationFilterChainDecorator}; turning the
     * observations off by property ({@code management.observations.enable.spring.security}) only makes them no-ops
     * and keeps the wrapping. Timings nobody read, a few percent of each request's CPU in the throughput benchmark;
     * {@code http.server.requests} stays.
     */
    @Bean
    static SecurityObservationSettings noSpringSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * {@code requestMatchers("/api/v1/ops/**")} and the like build a {@link PathPatternRequestMatcher}: the path within
     * the application against a pattern parsed once, with Spring MVC's parser. Without this bean Spring Security 6.5
     * builds, for each such pattern, a matcher that decides on every request whether the request is the
     * DispatcherServlet's (a {@code Class.forName} of the servlet's class, per pattern tried: Jolokia has a servlet
     * of its own) and then asks Spring MVC's handler mappings: 3-4 % of the CPU of the throughput benchmark's simple
     * flow (bench/profile.sh), where the authorization rules below are tried one after another.
     */
    @Bean
    static PathPatternRequestMatcherBuilderFactoryBean pathPatternRequestMatchers() {
        return new PathPatternRequestMatcherBuilderFactoryBean();
    }

    /**
     * Matches the request URI (without the context path) against Ant patterns, whichever servlet serves it (Jolokia
     * has a servlet of its own, which Spring MVC-based matchers do not see).
     */
    private static RequestMatcher pathIn(String... patterns) {
        AntPathMatcher matcher = new AntPathMatcher();
        return request -> {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            for (String pattern : patterns) {
                if (matcher.match(pattern, path)) {
                    return true;
                }
            }
            return false;
        };
    }

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

    /** Logins of people (console form, HTTP Basic): the password hash once, then a few minutes' memory of it. */
    @Bean
    public AuthenticationManager authenticationManager(InMemoryUserDetailsManager users, PasswordEncoder encoder) {
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(users);
        passwords.setPasswordEncoder(encoder);
        passwords.setUserDetailsPasswordService(users);
        return new ProviderManager(new CachedPasswordCheck(passwords));
    }

    /** OPERATOR may do everything a VIEWER may; picked up by the authorization rules below. */
    @Bean
    public static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix().role(OPERATOR).implies(VIEWER).build();
    }

    /** A request the firewall refuses (encoded slashes, "..", control characters in the path) gets 400, not 500. */
    @Bean
    public RequestRejectedHandler requestRejectedHandler() {
        return new HttpStatusRequestRejectedHandler(400);
    }

    /** People-facing pages: the console and Hawtio with a form login and CSRF protection. */
    @Bean
    @Order(1)
    public SecurityFilterChain consoleSecurity(HttpSecurity http, AuthenticationManager logins) throws Exception {
        http.securityMatcher(pathIn(PEOPLE))
                .authenticationManager(logins)
                .authorizeHttpRequests(auth -> auth
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/login", "/favicon.ico", "/webjars/**").permitAll()
                        .requestMatchers(PathRequest.toStaticResources().atCommonLocations()).permitAll()
                        .requestMatchers(pathIn(HAWTIO)).hasRole(OPERATOR)
                        .requestMatchers(HttpMethod.GET, "/console", "/console/**").hasRole(VIEWER)
                        .requestMatchers("/console", "/console/**").hasRole(OPERATOR)
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/console", false).permitAll())
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout").permitAll())
                .httpBasic(basic -> { })
                // browsers are sent to the login page; a VIEWER trying an OPERATOR action gets 403
                .exceptionHandling(ex -> ex.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login")))
                // Hawtio's Jolokia client sends no CSRF token; the session cookie is SameSite=Strict, so no other
                // site can post with it, and only OPERATORs reach Jolokia at all
                .csrf(csrf -> csrf.ignoringRequestMatchers(pathIn(JOLOKIA)));
        return http.build();
    }

    /** Open: the sandbox systems (stand-ins for external systems) and the partner API's documentation. */
    @Bean
    @Order(2)
    public SecurityFilterChain openSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher(pathIn(OPEN))
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable());
        return http.build();
    }

    /** Machines: every other path, stateless, authenticated by source signature/token or a login, then the input gate. */
    @Bean
    @Order(3)
    public SecurityFilterChain machineSecurity(HttpSecurity http, AuthenticationManager logins,
                                               IntakeProperties intake, IntakeNonces nonces, InputGate gate)
            throws Exception {
        SourceAuthenticationFilter sources = new SourceAuthenticationFilter(intake, nonces);
        http.authenticationManager(logins)
                .authorizeHttpRequests(auth -> {
                    // the decision was made on the request itself; its asynchronous completion and error page follow it
                    auth.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll();
                    // each source's paths: that source only
                    // (Ant patterns, as SourceAuthenticationFilter matches them)
                    intake.getSources().keySet().forEach(source -> auth
                            .requestMatchers(pathIn(sources.pathsOf(source).toArray(String[]::new)))
                            .hasAuthority(SourceAuthenticationFilter.authority(source)));
                    auth
                            // partners: HMAC signature checked by the partner intake route; admin: its own token filter
                            .requestMatchers("/api/v1/partner/**").permitAll()
                            .requestMatchers("/actuator/health", "/actuator/health/liveness",
                                    "/actuator/health/readiness").permitAll()
                            .requestMatchers("/error").permitAll()
                            // admin API: read = VIEWER, act = OPERATOR
                            .requestMatchers(HttpMethod.GET, "/api/v1/ops/**", "/api/v1/onboarding/**", "/api/v1/approvals/**",
                                    "/api/v1/systems", "/api/v1/systems/**")
                                    .hasRole(VIEWER)
                            .requestMatchers("/api/v1/ops/**").hasRole(OPERATOR)
                            .requestMatchers("/actuator/**").hasRole(VIEWER)
                            // anything else, e.g. an HTTP route added in a route file: read = VIEWER, write = OPERATOR,
                            // until a source claims its path in esb.intake.sources
                            .requestMatchers(HttpMethod.GET, "/**").hasRole(VIEWER)
                            .requestMatchers(HttpMethod.HEAD, "/**").hasRole(VIEWER)
                            .anyRequest().hasRole(OPERATOR);
                })
                .addFilterBefore(sources, BasicAuthenticationFilter.class)
                .addFilterAfter(new InputGateFilter(gate, intake.getMaxBodyBytes()), AuthorizationFilter.class)
                .httpBasic(basic -> basic.authenticationEntryPoint(ProblemAuthenticationHandlers.unauthenticated()))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint(ProblemAuthenticationHandlers.unauthenticated())
                        .accessDeniedHandler(ProblemAuthenticationHandlers.forbidden()))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable());
        return http.build();
    }
}
