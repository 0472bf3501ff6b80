package dev.windrose.security.internal;

import dev.windrose.security.ApiTokenId;
import dev.windrose.security.ApiTokenInfo;
import dev.windrose.security.UserId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** An API token; only the SHA-256 hash of its secret is stored. */
@Entity
@Table(name = "api_token")
public class ApiTokenEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @Column(name = "user_id", nullable = false)
    private long userId;

    @Column(nullable = false, length = 100)
    private String name;

    @Column(name = "token_hash", nullable = false, unique = true, length = 64)
    private String tokenHash;

    /** The first characters of the token, so a user can tell tokens apart without the secret. */
    @Column(name = "token_prefix", nullable = false, length = 16)
    private String tokenPrefix;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "last_used_at")
    private @Nullable Instant lastUsedAt;

    @Column(name = "revoked_at")
    private @Nullable Instant revokedAt;

    @Column(name = "revoked_reason")
    private @Nullable String revokedReason;

    protected ApiTokenEntity() {
        this.name = "";
        this.tokenHash = "";
        this.tokenPrefix = "";
        this.createdAt = Instant.EPOCH;
        this.expiresAt = Instant.EPOCH;
    }

    public ApiTokenEntity(UserId owner, String name, String tokenHash, String tokenPrefix, Instant createdAt,
            Instant expiresAt) {
        this.userId = owner.value();
        this.name = name;
        this.tokenHash = tokenHash;
        this.tokenPrefix = tokenPrefix;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public ApiTokenId id() {
        if (id == null) {
            throw new IllegalStateException("token " + name + " is not saved yet");
        }
        return new ApiTokenId(id);
    }

    public UserId owner() {
        return new UserId(userId);
    }

    public String name() {
        return name;
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public void revoke(Instant now) {
        if (revokedAt == null) {
            revokedAt = now;
        }
    }

    /** Revokes it for a reason its owner did not choose, which the 401 then names. */
    public void revoke(Instant now, String reason) {
        if (revokedAt == null) {
            revokedAt = now;
            revokedReason = reason;
        }
    }

    public @Nullable String revokedReason() {
        return revokedReason;
    }

    /** Records a use; skips the write when the last one is recent, so busy scripts do not hammer the table. */
    public boolean markUsed(Instant now) {
        if (lastUsedAt != null && lastUsedAt.plusSeconds(60).isAfter(now)) {
            return false;
        }
        lastUsedAt = now;
        return true;
    }

    public ApiTokenInfo toInfo() {
        return new ApiTokenInfo(id(), owner(), name, tokenPrefix, createdAt, expiresAt, lastUsedAt, revokedAt);
    }
}
