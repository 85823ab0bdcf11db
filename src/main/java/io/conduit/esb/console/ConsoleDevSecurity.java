package io.conduit.esb.console;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.annotation.Order;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import java.util.Arrays;

/**
 * TEMPORARY — DELETE AT MERGE. Stand-in for the real security configuration ({@code io.conduit.esb.security},
 * built on another branch) so the console can be developed and tested on its own: form login at {@code /login},
 * in-memory users {@code viewer}/{@code viewer} (VIEWER) and {@code operator}/{@code operator} (OPERATOR), CSRF on,
 * and only {@code /console/**}, {@code /login} and {@code /logout} are guarded, so every other endpoint behaves as
 * before. It switches itself off as soon as any bean of package {@code io.conduit.esb.security} exists.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ConsoleDevSecurity.NoProductSecurity.class)
public class ConsoleDevSecurity {

    @Bean
    @Order(1)
    SecurityFilterChain consoleDevFilterChain(HttpSecurity http) throws Exception {
        return http
                .securityMatcher("/console/**", "/login", "/logout")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/login").permitAll()
                        .requestMatchers(org.springframework.http.HttpMethod.POST, "/console/**").hasRole("OPERATOR")
                        .anyRequest().hasAnyRole("VIEWER", "OPERATOR"))
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/console", false).permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout").permitAll())
                .csrf(Customizer.withDefaults())
                .build();
    }

    @Bean
    InMemoryUserDetailsManager consoleDevUsers() {
        return new InMemoryUserDetailsManager(
                User.withUsername("viewer").password("{noop}viewer").roles("VIEWER").build(),
                User.withUsername("operator").password("{noop}operator").roles("OPERATOR").build());
    }

    /** Matches while no real security configuration (a bean of package io.conduit.esb.security) is registered. */
    static class NoProductSecurity implements ConfigurationCondition {

        @Override
        public ConfigurationPhase getConfigurationPhase() {
            return ConfigurationPhase.REGISTER_BEAN;
        }

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            var registry = context.getRegistry();
            return Arrays.stream(registry.getBeanDefinitionNames())
                    .map(registry::getBeanDefinition)
                    .map(BeanDefinition::getBeanClassName)
                    .noneMatch(name -> name != null && name.startsWith("io.conduit.esb.security."));
        }
    }
}
