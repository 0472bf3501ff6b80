package dev.windrose.aggregation.internal;

import dev.windrose.aggregation.DriveTier;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

@Entity
@Table(name = "aggregation_drive")
public class DriveEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @Column(name = "member_id", nullable = false)
    private long memberId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 8)
    private DriveTier tier;

    @Column(nullable = false)
    private int nsid;

    @Column(name = "volume_id", nullable = false)
    private long volumeId;

    @Column(name = "pool_id", nullable = false)
    private long poolId;

    @Column(name = "size_bytes", nullable = false)
    private long sizeBytes;

    protected DriveEntity() {
        this.tier = DriveTier.CAPACITY;
    }

    public DriveEntity(long memberId, DriveTier tier, int nsid, long volumeId, long poolId, long sizeBytes) {
        this.memberId = memberId;
        this.tier = tier;
        this.nsid = nsid;
        this.volumeId = volumeId;
        this.poolId = poolId;
        this.sizeBytes = sizeBytes;
    }

    public long memberId() {
        return memberId;
    }

    public DriveTier tier() {
        return tier;
    }

    public int nsid() {
        return nsid;
    }

    public long volumeId() {
        return volumeId;
    }

    public long poolId() {
        return poolId;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    /** Its volume grew in place; a drive never shrinks. */
    public void grow(long newSizeBytes) {
        if (newSizeBytes < sizeBytes) {
            throw new IllegalArgumentException("a drive never shrinks: " + sizeBytes + " -> " + newSizeBytes);
        }
        this.sizeBytes = newSizeBytes;
    }
}
