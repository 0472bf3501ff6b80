package dev.windrose.security.internal;

import dev.windrose.security.Role;
import dev.windrose.security.UserId;
import java.io.Serial;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The signed-in user as Spring Security sees it, from the login form or from an API token. Its
 * authorities include the roles each held role includes (an admin is also operator and viewer).
 *
 * @param tokenName the API token used, or null for a console (session) sign-in
 */
public record WindrosePrincipal(long userId, String username, @Nullable String passwordHash, Set<Role> roles,
        boolean enabled, @Nullable String tokenName) implements UserDetails {

    @Serial
    private static final long serialVersionUID = 1L;

    public WindrosePrincipal {
        roles = Set.copyOf(roles);
    }

    public static WindrosePrincipal of(UserEntity user) {
        return new WindrosePrincipal(user.id().value(), user.username(), user.passwordHash(), user.roles(),
                user.enabled(), null);
    }

    public static WindrosePrincipal ofToken(UserEntity user, String tokenName) {
        return new WindrosePrincipal(user.id().value(), user.username(), null, user.roles(), user.enabled(), tokenName);
    }

    public UserId id() {
        return new UserId(userId);
    }

    /** The explicitly held roles plus the ones they include. */
    public Set<Role> effectiveRoles() {
        Set<Role> effective = EnumSet.noneOf(Role.class);
        roles.forEach(role -> effective.addAll(role.withIncludedRoles()));
        return effective;
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        List<SimpleGrantedAuthority> authorities = effectiveRoles().stream()
                .map(role -> new SimpleGrantedAuthority(role.authority())).toList();
        return authorities;
    }

    @Override
    public @Nullable String getPassword() {
        return passwordHash;
    }

    @Override
    public String getUsername() {
        return username;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    /** Never print the hash. */
    @Override
    public String toString() {
        return "WindrosePrincipal[" + username + ", roles=" + roles + (tokenName == null ? "" : ", token=" + tokenName) + "]";
    }

    /** Drop the hash once authenticated, so it does not sit in the HTTP session. */
    public WindrosePrincipal withoutPassword() {
        return new WindrosePrincipal(userId, username, null, roles, enabled, tokenName);
    }
}
