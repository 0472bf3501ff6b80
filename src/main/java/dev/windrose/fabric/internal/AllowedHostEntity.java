package dev.windrose.fabric.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

@Entity
@Table(name = "nvmf_allowed_host")
public class AllowedHostEntity extends ReconciledEntity {

    @Column(name = "subsystem_id", nullable = false)
    private long subsystemId;

    @Column(name = "host_nqn", nullable = false, length = 223)
    private String hostNqn;

    /**
     * DH-HMAC-CHAP (issue 17), each secret sealed by {@link dev.windrose.common.SecretBox} for
     * {@link #hostSecretPurpose} or {@link #ctrlSecretPurpose}: never in clear here.
     */
    @Column(name = "dhchap_secret", length = 1000)
    private @Nullable String dhchapSecret;

    @Column(name = "dhchap_secret_set_at")
    private @Nullable Instant dhchapSecretSetAt;

    /** The host secret before the last rotation, accepted too until {@link #dhchapPreviousUntil}. */
    @Column(name = "dhchap_previous_secret", length = 1000)
    private @Nullable String dhchapPreviousSecret;

    @Column(name = "dhchap_previous_until")
    private @Nullable Instant dhchapPreviousUntil;

    @Column(name = "dhchap_ctrl_secret", length = 1000)
    private @Nullable String dhchapCtrlSecret;

    @Column(name = "dhchap_ctrl_secret_set_at")
    private @Nullable Instant dhchapCtrlSecretSetAt;

    protected AllowedHostEntity() {
        this.hostNqn = "";
    }

    public AllowedHostEntity(long subsystemId, String hostNqn) {
        this.subsystemId = subsystemId;
        this.hostNqn = hostNqn;
    }

    public long subsystemId() {
        return subsystemId;
    }

    public String hostNqn() {
        return hostNqn;
    }

    /** What the host secrets (current and previous) are sealed for: this host's row, so a copy elsewhere does not open. */
    public String hostSecretPurpose() {
        return "nvmf_allowed_host.dhchap_secret:" + id();
    }

    public String ctrlSecretPurpose() {
        return "nvmf_allowed_host.dhchap_ctrl_secret:" + id();
    }

    public @Nullable String dhchapSecret() {
        return dhchapSecret;
    }

    public @Nullable Instant dhchapSecretSetAt() {
        return dhchapSecretSetAt;
    }

    public @Nullable String dhchapPreviousSecret() {
        return dhchapPreviousSecret;
    }

    public @Nullable Instant dhchapPreviousUntil() {
        return dhchapPreviousUntil;
    }

    public @Nullable String dhchapCtrlSecret() {
        return dhchapCtrlSecret;
    }

    public @Nullable Instant dhchapCtrlSecretSetAt() {
        return dhchapCtrlSecretSetAt;
    }

    /**
     * A new host secret (sealed). With previousUntil, the secret it replaces stays accepted until then (a
     * rotation's grace period); without, or when there was none, no previous secret is kept. A previous
     * secret still in its grace period is dropped: only the last one is kept.
     */
    public void rotateHostSecret(String sealed, Instant now, @Nullable Instant previousUntil) {
        boolean keepPrevious = previousUntil != null && previousUntil.isAfter(now) && dhchapSecret != null;
        this.dhchapPreviousSecret = keepPrevious ? dhchapSecret : null;
        this.dhchapPreviousUntil = keepPrevious ? previousUntil : null;
        this.dhchapSecret = sealed;
        this.dhchapSecretSetAt = now;
    }

    /** The controller secret (sealed), or none: the host then cannot authenticate the target. */
    public void ctrlSecret(@Nullable String sealed, Instant now) {
        this.dhchapCtrlSecret = sealed;
        this.dhchapCtrlSecretSetAt = sealed == null ? null : now;
    }

    /** No secret at all: the host connects without authentication again. */
    public void clearDhchap() {
        this.dhchapSecret = null;
        this.dhchapSecretSetAt = null;
        this.dhchapPreviousSecret = null;
        this.dhchapPreviousUntil = null;
        this.dhchapCtrlSecret = null;
        this.dhchapCtrlSecretSetAt = null;
    }

    /** Whether the previous host secret is still accepted at now. */
    public boolean previousAcceptedAt(Instant now) {
        return dhchapPreviousSecret != null && dhchapPreviousUntil != null && dhchapPreviousUntil.isAfter(now);
    }

    /** Drops a previous host secret whose grace period is over; true when there was one. */
    public boolean endGrace(Instant now) {
        if (dhchapPreviousSecret == null || previousAcceptedAt(now)) {
            return false;
        }
        this.dhchapPreviousSecret = null;
        this.dhchapPreviousUntil = null;
        return true;
    }
}
