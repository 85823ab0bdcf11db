package io.conduit.esb.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.ArrayList;
import java.util.List;

/**
 * The people who may use the console, the admin API, the actuator details and Hawtio ({@code esb.security.users},
 * file {@code config/security.yaml}). Passwords carry their encoding as a prefix ({@code {bcrypt}...},
 * {@code {noop}...}); each value can be replaced from the environment, e.g. {@code ESB_SECURITY_USERS_1_PASSWORD}.
 */
@ConfigurationProperties("esb.security")
public class SecurityUsers {

    /** Users with their encoded password and roles (VIEWER, OPERATOR). */
    private List<User> users = new ArrayList<>();

    public List<User> getUsers() {
        return users;
    }

    public void setUsers(List<User> users) {
        this.users = users;
    }

    public static class User {
        /** Login name. */
        private String name;
        /** Password with its encoding prefix, e.g. {bcrypt}$2a$10$... or {noop}secret. */
        private String password;
        /** VIEWER (read) or OPERATOR (read, replay, discard, Hawtio). */
        private List<String> roles = new ArrayList<>();

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public List<String> getRoles() {
            return roles;
        }

        public void setRoles(List<String> roles) {
            this.roles = roles;
        }
    }
}
