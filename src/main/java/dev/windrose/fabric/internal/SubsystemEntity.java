package dev.windrose.fabric.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

@Entity
@Table(name = "nvmf_subsystem")
public class SubsystemEntity extends ReconciledEntity {

    @Column(nullable = false, unique = true, length = 223)
    private String nqn;

    @Column(nullable = false, length = 20)
    private String serial;

    @Column(nullable = false, length = 40)
    private String model;

    @Column(name = "allow_any_host", nullable = false)
    private boolean allowAnyHost;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** The last difference the reconciler found on the dataplane, in words; kept after its repair. */
    @Column(name = "last_drift", length = MAX_ERROR)
    private @Nullable String lastDrift;

    @Column(name = "drift_at")
    private @Nullable Instant driftAt;

    /** DH-HMAC-CHAP policy (issue 17) as the dataplane's masks: bit 1 << id of each allowed hash and DH group. */
    @Column(name = "dhchap_hashes", nullable = false)
    private int dhchapHashes = 0x0e;

    @Column(name = "dhchap_dh_groups", nullable = false)
    private int dhchapDhGroups = 0x3f;

    protected SubsystemEntity() {
        this.nqn = "";
        this.serial = "";
        this.model = "";
        this.createdAt = Instant.EPOCH;
    }

    public SubsystemEntity(String nqn, String serial, String model, boolean allowAnyHost, Instant now) {
        this.nqn = nqn;
        this.serial = serial;
        this.model = model;
        this.allowAnyHost = allowAnyHost;
        this.createdAt = now;
    }

    public String nqn() {
        return nqn;
    }

    public String serial() {
        return serial;
    }

    public String model() {
        return model;
    }

    public boolean allowAnyHost() {
        return allowAnyHost;
    }

    public void allowAnyHost(boolean allow) {
        this.allowAnyHost = allow;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public @Nullable String lastDrift() {
        return lastDrift;
    }

    public @Nullable Instant driftAt() {
        return driftAt;
    }

    public void noteDrift(String words, Instant now) {
        this.lastDrift = words.length() > MAX_ERROR ? words.substring(0, MAX_ERROR - 1) + "…" : words;
        this.driftAt = now;
    }

    public int dhchapHashes() {
        return dhchapHashes;
    }

    public int dhchapDhGroups() {
        return dhchapDhGroups;
    }

    public void dhchapPolicy(int hashMask, int dhGroupMask) {
        this.dhchapHashes = hashMask;
        this.dhchapDhGroups = dhGroupMask;
    }
}
