package dev.windrose.security.internal;

import java.time.Clock;
import java.time.Instant;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Turns a bearer secret into an authentication, or says precisely why it cannot. */
@Component
class ApiTokenAuthenticator {

    private final ApiTokenRepository tokens;
    private final UserRepository users;
    private final Clock clock;

    ApiTokenAuthenticator(ApiTokenRepository tokens, UserRepository users, Clock clock) {
        this.tokens = tokens;
        this.users = users;
        this.clock = clock;
    }

    @Transactional
    Authentication authenticate(String secret) {
        if (!ApiTokenSecrets.looksLikeToken(secret)) {
            throw new InvalidApiTokenException("The bearer token is not a Windrose API token (they start with '"
                    + ApiTokenSecrets.PREFIX + "').");
        }
        ApiTokenEntity token = tokens.findByTokenHash(ApiTokenSecrets.hash(secret))
                .orElseThrow(() -> new InvalidApiTokenException("The API token is not known."));
        Instant now = clock.instant();
        if (token.isRevoked()) {
            throw new InvalidApiTokenException("The API token '" + token.name() + "' has been revoked"
                    + (token.revokedReason() == null ? "." : ": " + token.revokedReason() + "."));
        }
        if (token.isExpiredAt(now)) {
            throw new InvalidApiTokenException("The API token '" + token.name() + "' has expired: create a new one.");
        }
        UserEntity owner = users.findById(token.owner().value())
                .orElseThrow(() -> new InvalidApiTokenException("The API token's user no longer exists."));
        if (!owner.enabled()) {
            throw new DisabledException("The user '" + owner.username() + "' is disabled.");
        }
        token.markUsed(now);
        WindrosePrincipal principal = WindrosePrincipal.ofToken(owner, token.name());
        return UsernamePasswordAuthenticationToken.authenticated(principal, null, principal.getAuthorities());
    }
}
