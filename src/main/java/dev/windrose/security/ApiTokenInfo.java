package dev.windrose.security;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An API token as the console lists it: never the secret, only its first characters ({@code prefix}).
 */
public record ApiTokenInfo(ApiTokenId id, UserId owner, String name, String prefix, Instant createdAt,
        Instant expiresAt, @Nullable Instant lastUsedAt, @Nullable Instant revokedAt) {

    public enum Status { ACTIVE, EXPIRED, REVOKED }

    public Status statusAt(Instant now) {
        if (revokedAt != null) {
            return Status.REVOKED;
        }
        return now.isBefore(expiresAt) ? Status.ACTIVE : Status.EXPIRED;
    }
}
