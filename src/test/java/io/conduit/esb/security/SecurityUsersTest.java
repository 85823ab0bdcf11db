package io.conduit.esb.security;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Users from configuration: one changed from the environment, one added by another file, the rest kept. */
class SecurityUsersTest {

    @Test
    void anEnvironmentVariableReplacesOnePasswordAndAnotherSourceAddsAUserKeepingTheOthers() {
        StandardEnvironment env = new StandardEnvironment();
        MutablePropertySources sources = env.getPropertySources();
        sources.addFirst(new MapPropertySource("security.yaml", Map.of(
                "esb.security.users.viewer.password", "{noop}viewer",
                "esb.security.users.viewer.roles", "VIEWER",
                "esb.security.users.operator.password", "{noop}operator",
                "esb.security.users.operator.roles", "OPERATOR")));
        sources.addFirst(new SystemEnvironmentPropertySource("env", Map.of(
                "ESB_SECURITY_USERS_OPERATOR_PASSWORD", "{bcrypt}$2a$10$VxmvJUdKbZy5/8zdqA1GAOBPyuqxzgHqYgYjOy2vGfq1BUl9V7ruK")));
        // a further user from an extra configuration file (spring.config.additional-location) or SPRING_APPLICATION_JSON
        sources.addFirst(new MapPropertySource("users.yaml", Map.of(
                "esb.security.users.prometheus.password", "{noop}scrape",
                "esb.security.users.prometheus.roles", "VIEWER")));

        SecurityUsers users = new Binder(ConfigurationPropertySources.from(sources))
                .bind("esb.security", SecurityUsers.class).get();

        assertThat(users.getUsers()).containsOnlyKeys("viewer", "operator", "prometheus");
        assertThat(users.getUsers().get("viewer").getPassword()).isEqualTo("{noop}viewer");
        assertThat(users.getUsers().get("operator").getPassword()).startsWith("{bcrypt}");
        assertThat(users.getUsers().get("operator").getRoles()).containsExactly("OPERATOR");
        assertThat(users.getUsers().get("prometheus").getRoles()).containsExactly("VIEWER");

        SecurityConfiguration config = new SecurityConfiguration();
        PasswordEncoder encoder = config.passwordEncoder();
        var details = config.userDetailsService(users, encoder);
        assertThat(encoder.matches("scrape", details.loadUserByUsername("prometheus").getPassword())).isTrue();
        assertThat(details.loadUserByUsername("operator").getAuthorities()).extracting(Object::toString)
                .containsExactly("ROLE_OPERATOR");
    }
}
