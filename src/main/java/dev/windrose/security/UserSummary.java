package dev.windrose.security;

import java.time.Instant;
import java.util.Set;

/** What the console shows about a user; never the password hash. */
public record UserSummary(UserId id, String username, Set<Role> roles, boolean enabled, Instant createdAt) {

    public UserSummary {
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(Role role) {
        return roles.stream().anyMatch(held -> held.withIncludedRoles().contains(role));
    }
}
