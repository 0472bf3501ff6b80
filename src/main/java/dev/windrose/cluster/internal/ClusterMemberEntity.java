package dev.windrose.cluster.internal;

import dev.windrose.cluster.Membership;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A host's place in the cluster; the host itself is inventory's. */
@Entity
@Table(name = "cluster_member")
public class ClusterMemberEntity {

    @Id
    @Column(name = "host_id")
    private long hostId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Membership state;

    @Column(name = "asked_at", nullable = false)
    private Instant askedAt;

    @Column(name = "accepted_at")
    private @Nullable Instant acceptedAt;

    @Column(name = "accepted_by")
    private @Nullable String acceptedBy;

    @Column(name = "cntlid_slot")
    private @Nullable Integer cntlidSlot;

    protected ClusterMemberEntity() {
        this.state = Membership.ASKING;
        this.askedAt = Instant.EPOCH;
    }

    ClusterMemberEntity(long hostId, Instant askedAt) {
        this.hostId = hostId;
        this.state = Membership.ASKING;
        this.askedAt = askedAt;
    }

    void accept(String by, Instant at) {
        this.state = Membership.MEMBER;
        this.acceptedBy = by;
        this.acceptedAt = at;
    }

    public long hostId() {
        return hostId;
    }

    public Membership state() {
        return state;
    }

    public Instant askedAt() {
        return askedAt;
    }

    public @Nullable Instant acceptedAt() {
        return acceptedAt;
    }

    public @Nullable String acceptedBy() {
        return acceptedBy;
    }

    /** Which slice of the controller IDs this node hands out (see ControllerIds); null until given. */
    public @Nullable Integer cntlidSlot() {
        return cntlidSlot;
    }

    public void giveCntlidSlot(int slot) {
        this.cntlidSlot = slot;
    }
}
