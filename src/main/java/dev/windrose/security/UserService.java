package dev.windrose.security;

import dev.windrose.common.Names;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.security.internal.CurrentRequest;
import dev.windrose.security.internal.UserEntity;
import dev.windrose.security.internal.ApiTokenEntity;
import dev.windrose.security.internal.ApiTokenRepository;
import dev.windrose.security.internal.UserRepository;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Console users: the first administrator, then user management by administrators. Usernames are
 * stored in lower case, so "Alice" and "alice" are one user.
 */
@Service
public class UserService {

    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");

    private final UserRepository users;
    private final PasswordEncoder passwordEncoder;
    private final PasswordPolicy passwordPolicy;
    private final ApiTokenRepository tokens;
    private final AuditLog auditLog;
    private final Clock clock;
    /** Once a user exists there is always one (the last admin cannot be deleted): no need to ask again. */
    private volatile boolean someUserExists;

    UserService(UserRepository users, ApiTokenRepository tokens, PasswordEncoder passwordEncoder,
            PasswordPolicy passwordPolicy, AuditLog auditLog, Clock clock) {
        this.users = users;
        this.tokens = tokens;
        this.passwordEncoder = passwordEncoder;
        this.passwordPolicy = passwordPolicy;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** False until the first administrator is created; while false, every page leads to the set-up. */
    @Transactional(readOnly = true)
    public boolean hasAnyUser() {
        if (!someUserExists) {
            someUserExists = users.count() > 0;
        }
        return someUserExists;
    }

    /**
     * Creates the first administrator. Open to anyone, but only while no user exists at all;
     * serializable, so two browsers racing through the set-up cannot both win.
     */
    @Transactional(isolation = Isolation.SERIALIZABLE)
    public UserSummary createFirstAdmin(String username, String password) {
        if (users.count() > 0) {
            throw new SetupAlreadyDoneException();
        }
        UserSummary admin = insert(username, password, Set.of(Role.ADMIN));
        // Through the browser the new admin acts for themselves; at a headless start, the system does.
        String remoteAddress = CurrentRequest.remoteAddress();
        auditLog.record(remoteAddress == null ? AuditLog.SYSTEM_ACTOR : admin.username(),
                AuditAction.FIRST_ADMIN_CREATED, admin.username(),
                remoteAddress == null ? "from WINDROSE_INITIAL_ADMIN_PASSWORD" : "at the first-run set-up", remoteAddress);
        someUserExists = true;
        return admin;
    }

    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public UserSummary createUser(String username, String password, Set<Role> roles) {
        UserSummary user = insert(username, password, requireSomeRole(roles));
        auditLog.record(AuditAction.USER_CREATED, user.username(), "roles " + sorted(user.roles()));
        return user;
    }

    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.ADMIN)
    public List<UserSummary> listUsers() {
        return users.findAllByOrderByUsernameAsc().stream().map(UserEntity::toSummary).toList();
    }

    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.ADMIN)
    public UserSummary get(UserId id) {
        return load(id).toSummary();
    }

    /** The signed-in user. */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.AUTHENTICATED)
    public UserSummary currentUser() {
        String username = CurrentRequest.actorOr("");
        return users.findByUsername(username).map(UserEntity::toSummary)
                .orElseThrow(() -> new NotFoundException("The signed-in user '" + username + "' no longer exists."));
    }

    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public UserSummary updateRoles(UserId id, Set<Role> roles) {
        UserEntity user = load(id);
        Set<Role> newRoles = requireSomeRole(roles);
        if (user.isEnabledAdmin() && !newRoles.contains(Role.ADMIN)) {
            requireAnotherEnabledAdmin(user);
        }
        user.replaceRoles(newRoles);
        auditLog.record(AuditAction.USER_ROLES_CHANGED, user.username(), "roles " + sorted(newRoles));
        return user.toSummary();
    }

    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public UserSummary setEnabled(UserId id, boolean enabled) {
        UserEntity user = load(id);
        if (user.enabled() == enabled) {
            return user.toSummary();
        }
        if (!enabled && user.isEnabledAdmin()) {
            requireAnotherEnabledAdmin(user);
        }
        user.setEnabled(enabled);
        auditLog.record(enabled ? AuditAction.USER_ENABLED : AuditAction.USER_DISABLED, user.username(), null);
        return user.toSummary();
    }

    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public void delete(UserId id) {
        UserEntity user = load(id);
        if (user.isEnabledAdmin()) {
            requireAnotherEnabledAdmin(user);
        }
        users.delete(user);
        auditLog.record(AuditAction.USER_DELETED, user.username(), null);
    }

    /**
     * An administrator sets another user's password (e.g. a forgotten or exposed one). The user's API
     * tokens are revoked with it: a reset is what one does when the credentials may be in other hands,
     * and a token is as good as the password. Returns how many tokens were revoked.
     */
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public int changePassword(UserId id, String newPassword) {
        UserEntity user = load(id);
        passwordPolicy.check(user.username(), newPassword);
        user.changePasswordHash(passwordEncoder.encode(newPassword));
        int revoked = 0;
        for (ApiTokenEntity token : tokens.findByUserIdOrderByCreatedAtDesc(id.value())) {
            if (!token.isRevoked()) {
                token.revoke(clock.instant(), "an administrator set a new password for " + user.username()
                        + "; sign in and create a new token");
                auditLog.record(AuditAction.TOKEN_REVOKED, token.name(), "of " + user.username()
                        + ", with the password reset by an administrator");
                revoked++;
            }
        }
        auditLog.record(AuditAction.USER_PASSWORD_CHANGED, user.username(), "set by an administrator"
                + (revoked == 0 ? "" : "; " + revoked + " API token(s) revoked"));
        return revoked;
    }

    /** The signed-in user changes their own password, proving they know the current one. */
    @Transactional
    @PreAuthorize(Role.Expressions.AUTHENTICATED)
    public void changeOwnPassword(String currentPassword, String newPassword) {
        String username = CurrentRequest.actorOr("");
        UserEntity user = users.findByUsername(username)
                .orElseThrow(() -> new NotFoundException("The signed-in user '" + username + "' no longer exists."));
        if (!passwordEncoder.matches(currentPassword, user.passwordHash())) {
            throw new InvalidInputException("currentPassword", "The current password is not correct.");
        }
        passwordPolicy.check(user.username(), newPassword);
        user.changePasswordHash(passwordEncoder.encode(newPassword));
        auditLog.record(AuditAction.USER_PASSWORD_CHANGED, user.username(), "changed by the user");
    }

    /** Lower-cases and checks a username; the one rule for what a username may look like. */
    public static String normalizeUsername(String username) {
        Names.requireSafe("username", username);
        String normalized = username.strip().toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(normalized).matches()) {
            throw new InvalidInputException("username", "A username has 2 to 64 characters: letters, digits, "
                    + "'.', '_' or '-', starting with a letter or digit.");
        }
        return normalized;
    }

    private UserSummary insert(String rawUsername, String password, Set<Role> roles) {
        String username = normalizeUsername(rawUsername);
        passwordPolicy.check(username, password);
        if (users.existsByUsername(username)) {
            throw new UsernameTakenException(username);
        }
        UserEntity saved = users.saveAndFlush(
                new UserEntity(username, passwordEncoder.encode(password), roles, clock.instant()));
        return saved.toSummary();
    }

    private UserEntity load(UserId id) {
        return users.findById(id.value())
                .orElseThrow(() -> new NotFoundException("There is no user with id " + id + "."));
    }

    private void requireAnotherEnabledAdmin(UserEntity user) {
        if (users.countEnabledAdmins() <= 1) {
            throw new LastAdministratorException(user.username());
        }
    }

    private static Set<Role> requireSomeRole(Set<Role> roles) {
        if (roles.isEmpty()) {
            throw new InvalidInputException("roles", "A user needs at least one role.");
        }
        return Set.copyOf(roles);
    }

    private static List<String> sorted(Set<Role> roles) {
        return roles.stream().sorted().map(Role::name).toList();
    }
}
