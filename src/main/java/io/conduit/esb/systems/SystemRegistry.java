package io.conduit.esb.systems;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The systems the ESB connects, as {@code esb.systems.<name>} declares them: any number, any names. Health,
 * circuit breakers, metrics tags and the console's system list follow this declaration; nothing in Java names a
 * particular system.
 */
@Component
public class SystemRegistry {

    private final Map<String, SystemDeclaration> systems;
    private final Map<String, String> systemByRole = new LinkedHashMap<>();

    @org.springframework.beans.factory.annotation.Autowired
    public SystemRegistry(Environment environment) {
        this(Binder.get(environment).bind("esb.systems", Bindable.mapOf(String.class, SystemDeclaration.class))
                .orElse(Map.of()));
    }

    public SystemRegistry(Map<String, SystemDeclaration> systems) {
        this.systems = Collections.unmodifiableMap(new LinkedHashMap<>(systems));
        this.systems.forEach((name, system) -> rolesOf(name, system).forEach(role -> systemByRole.putIfAbsent(role, name)));
    }

    static List<String> rolesOf(String name, SystemDeclaration system) {
        return system.getRoles().isEmpty() ? List.of(name) : system.getRoles();
    }

    /** The declared systems by name, in declaration order. */
    public Map<String, SystemDeclaration> all() {
        return systems;
    }

    /** The system that plays a role (implements its ports). */
    public Optional<String> systemWithRole(String role) {
        return Optional.ofNullable(systemByRole.get(role));
    }
}
