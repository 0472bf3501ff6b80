package dev.windrose.security.ui;

import dev.windrose.security.Role;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

/** How roles read in the console: "Admin", "Operator", "Viewer", highest first. */
final class RoleLabels {

    private RoleLabels() {
    }

    static String label(Role role) {
        String name = role.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    static String labels(Collection<Role> roles) {
        return roles.stream().sorted().map(RoleLabels::label).collect(Collectors.joining(", "));
    }

    static String describe(Role role) {
        return switch (role) {
            case ADMIN -> "everything, including users and the audit log";
            case OPERATOR -> "changes storage: pools, volumes, subsystems";
            case VIEWER -> "looks at everything, changes nothing";
        };
    }
}
