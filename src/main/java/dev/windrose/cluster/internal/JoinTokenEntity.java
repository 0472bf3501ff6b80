package dev.windrose.cluster.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A join token; only the SHA-256 of its secret is stored, and it admits one node. */
@Entity
@Table(name = "cluster_join_token")
public class JoinTokenEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @Column(name = "token_hash", nullable = false, unique = true, length = 64)
    private String tokenHash;

    @Column(name = "created_by", nullable = false)
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "used_by_host")
    private @Nullable Long usedByHost;

    @Column(name = "used_at")
    private @Nullable Instant usedAt;

    protected JoinTokenEntity() {
        this.tokenHash = "";
        this.createdBy = "";
        this.createdAt = Instant.EPOCH;
        this.expiresAt = Instant.EPOCH;
    }

    public JoinTokenEntity(String tokenHash, String createdBy, Instant createdAt, Instant expiresAt) {
        this.tokenHash = tokenHash;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public long id() {
        if (id == null) {
            throw new IllegalStateException("join token is not saved yet");
        }
        return id;
    }

    boolean usableAt(Instant now) {
        return usedByHost == null && now.isBefore(expiresAt);
    }

    void use(long hostId, Instant at) {
        this.usedByHost = hostId;
        this.usedAt = at;
    }

    public Instant expiresAt() {
        return expiresAt;
    }
}
