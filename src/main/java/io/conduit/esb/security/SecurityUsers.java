package io.conduit.esb.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The people who may use the console, the admin API, the actuator details and Hawtio ({@code esb.security.users},
 * file {@code config/security.yaml}), keyed by login name. Passwords carry their encoding as a prefix
 * ({@code {bcrypt}...}, {@code {noop}...}). A map rather than a list because Spring merges maps across property
 * sources: {@code ESB_SECURITY_USERS_OPERATOR_PASSWORD} replaces one password and keeps the other users, whereas
 * one indexed list entry from the environment would replace the whole list.
 */
@ConfigurationProperties("esb.security")
public class SecurityUsers {

    /** Users by login name. */
    private Map<String, User> users = new LinkedHashMap<>();

    public Map<String, User> getUsers() {
        return users;
    }

    public void setUsers(Map<String, User> users) {
        this.users = users;
    }

    public static class User {
        /** Password with its encoding prefix, e.g. {bcrypt}$2a$10$... or {noop}secret; empty = user disabled. */
        private String password;
        /** VIEWER (read) and/or OPERATOR (read, replay, discard, Hawtio). */
        private List<String> roles = new ArrayList<>();

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
