package dev.windrose.security;

import dev.windrose.common.Names;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.security.internal.ApiTokenEntity;
import dev.windrose.security.internal.ApiTokenRepository;
import dev.windrose.security.internal.ApiTokenSecrets;
import dev.windrose.security.internal.CurrentRequest;
import dev.windrose.security.internal.UserEntity;
import dev.windrose.security.internal.UserRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * API tokens for {@code /api/v1}: created by a signed-in user (or in exchange for credentials),
 * shown once, stored as a SHA-256 hash, expiring, revocable.
 */
@Service
public class ApiTokenService {

    public static final int MAX_EXPIRY_DAYS = 365;
    public static final int MAX_NAME_LENGTH = 100;

    private final ApiTokenRepository tokens;
    private final UserRepository users;
    private final AuthenticationManager authenticationManager;
    private final AuditLog auditLog;
    private final Clock clock;
    private final TransactionTemplate transactions;

    ApiTokenService(ApiTokenRepository tokens, UserRepository users, AuthenticationManager authenticationManager,
            AuditLog auditLog, Clock clock, PlatformTransactionManager transactionManager) {
        this.transactions = new TransactionTemplate(transactionManager);
        this.tokens = tokens;
        this.users = users;
        this.authenticationManager = authenticationManager;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** A token for the signed-in user. */
    @Transactional
    @PreAuthorize(Role.Expressions.AUTHENTICATED)
    public CreatedApiToken createForCurrentUser(String name, int expiresInDays) {
        return create(currentUser(), name, expiresInDays);
    }

    /**
     * A token for whoever the credentials belong to, for scripts without a browser. The credentials go
     * through the same authentication as the login form: failures are throttled and audited, and
     * surface as {@link AuthenticationException}.
     *
     * @param details the request details (remote address) the throttle and the audit log use
     */
    public CreatedApiToken exchangeCredentials(String username, String password, String name, int expiresInDays,
            @Nullable Object details) {
        validate(name, expiresInDays);
        var request = UsernamePasswordAuthenticationToken.unauthenticated(username, password);
        request.setDetails(details);
        // Outside any transaction: a failed attempt's audit entry must stay even though this call fails.
        Authentication authenticated = authenticationManager.authenticate(request);
        CreatedApiToken created = transactions.execute(status -> {
            UserEntity owner = users.findByUsername(authenticated.getName()).orElseThrow(
                    () -> new NotFoundException("The user '" + authenticated.getName() + "' no longer exists."));
            return create(owner, name, expiresInDays, owner.username());
        });
        if (created == null) {
            throw new IllegalStateException("token creation returned nothing");
        }
        return created;
    }

    /** The signed-in user's tokens, newest first. */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.AUTHENTICATED)
    public List<ApiTokenInfo> listMine() {
        return tokens.findByUserIdOrderByCreatedAtDesc(currentUser().id().value()).stream()
                .map(ApiTokenEntity::toInfo).toList();
    }

    /** A user's tokens, newest first: administrators see anyone's, others only their own. */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.AUTHENTICATED)
    public List<ApiTokenInfo> listFor(UserId owner) {
        UserEntity caller = currentUser();
        if (!caller.id().equals(owner) && !caller.roles().contains(Role.ADMIN)) {
            throw new AccessDeniedException("Only administrators may list another user's API tokens.");
        }
        return tokens.findByUserIdOrderByCreatedAtDesc(owner.value()).stream().map(ApiTokenEntity::toInfo).toList();
    }

    /**
     * Revokes a token: its owner or an administrator may. Someone else's token is reported as not
     * found, so its existence is not revealed. Revoking twice is harmless.
     */
    @Transactional
    @PreAuthorize(Role.Expressions.AUTHENTICATED)
    public ApiTokenInfo revoke(ApiTokenId id) {
        UserEntity caller = currentUser();
        ApiTokenEntity token = tokens.findById(id.value())
                .filter(found -> found.owner().equals(caller.id()) || caller.roles().contains(Role.ADMIN))
                .orElseThrow(() -> new NotFoundException("There is no API token with id " + id + "."));
        if (!token.isRevoked()) {
            token.revoke(clock.instant());
            auditLog.record(AuditAction.TOKEN_REVOKED, token.name(), "token " + id + " of user " + token.owner());
        }
        return token.toInfo();
    }

    private CreatedApiToken create(UserEntity owner, String name, int expiresInDays) {
        return create(owner, name, expiresInDays, null);
    }

    private CreatedApiToken create(UserEntity owner, String name, int expiresInDays, @Nullable String actor) {
        validate(name, expiresInDays);
        String secret = ApiTokenSecrets.generate();
        Instant now = clock.instant();
        ApiTokenEntity token = tokens.saveAndFlush(new ApiTokenEntity(owner.id(), name.strip(),
                ApiTokenSecrets.hash(secret), ApiTokenSecrets.displayPrefix(secret), now,
                now.plus(Duration.ofDays(expiresInDays))));
        String detail = "expires in " + expiresInDays + " days, owner " + owner.username();
        if (actor == null) {
            auditLog.record(AuditAction.TOKEN_CREATED, token.name(), detail);
        } else {
            auditLog.record(actor, AuditAction.TOKEN_CREATED, token.name(), detail + ", created with credentials",
                    CurrentRequest.remoteAddress());
        }
        return new CreatedApiToken(token.toInfo(), secret);
    }

    private static void validate(String name, int expiresInDays) {
        Names.requireSafe("name", name);
        if (name.isBlank() || name.strip().length() > MAX_NAME_LENGTH) {
            throw new InvalidInputException("name", "A token needs a name of 1 to " + MAX_NAME_LENGTH + " characters.");
        }
        if (expiresInDays < 1 || expiresInDays > MAX_EXPIRY_DAYS) {
            throw new InvalidInputException("expiresInDays",
                    "A token expires after 1 to " + MAX_EXPIRY_DAYS + " days; " + expiresInDays + " is out of range.");
        }
    }

    private UserEntity currentUser() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String username = authentication == null ? "" : authentication.getName();
        return users.findByUsername(username)
                .orElseThrow(() -> new NotFoundException("The signed-in user '" + username + "' no longer exists."));
    }
}
