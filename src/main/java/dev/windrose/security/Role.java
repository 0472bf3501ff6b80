package dev.windrose.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * The three roles of Windrose, defined here and nowhere else. A role includes the ones below it:
 * an administrator may do everything an operator may, an operator everything a viewer may.
 */
public enum Role {
    /** Manages users, tokens and everything else. */
    ADMIN(Names.ADMIN),
    /** Changes storage configuration (pools, volumes, subsystems). */
    OPERATOR(Names.OPERATOR),
    /** Looks, changes nothing. */
    VIEWER(Names.VIEWER);

    /** Role names as compile-time constants, for {@code @RolesAllowed}. */
    public static final class Names {
        public static final String ADMIN = "ADMIN";
        public static final String OPERATOR = "OPERATOR";
        public static final String VIEWER = "VIEWER";

        private Names() {
        }
    }

    /** Method-security expressions, for {@code @PreAuthorize}. */
    public static final class Expressions {
        public static final String ADMIN = "hasRole('" + Names.ADMIN + "')";
        public static final String OPERATOR = "hasRole('" + Names.OPERATOR + "')";
        public static final String VIEWER = "hasRole('" + Names.VIEWER + "')";
        public static final String AUTHENTICATED = "isAuthenticated()";

        private Expressions() {
        }
    }

    private final String roleName;

    Role(String roleName) {
        this.roleName = roleName;
    }

    /** The Spring Security authority, e.g. {@code ROLE_ADMIN}. */
    public String authority() {
        return "ROLE_" + roleName;
    }

    /** This role and every role it includes. */
    public Set<Role> withIncludedRoles() {
        return switch (this) {
            case ADMIN -> EnumSet.allOf(Role.class);
            case OPERATOR -> EnumSet.of(OPERATOR, VIEWER);
            case VIEWER -> EnumSet.of(VIEWER);
        };
    }
}
