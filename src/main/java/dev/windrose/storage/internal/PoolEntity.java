package dev.windrose.storage.internal;

import dev.windrose.inventory.HostId;
import dev.windrose.storage.PoolId;
import dev.windrose.storage.PoolType;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A storage pool of one host. */
@Entity
@Table(name = "storage_pool")
public class PoolEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @Column(name = "host_id", nullable = false)
    private long hostId;

    @Column(nullable = false, length = 64)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(name = "pool_type", nullable = false, length = 16)
    private PoolType type;

    @Column(name = "directory_path", length = 1024)
    private @Nullable String directory;

    @Column(name = "capacity_bytes", nullable = false)
    private long capacityBytes;

    @Column(name = "overcommit_percent", nullable = false)
    private int overcommitPercent;

    /** Written into the label of each disk of a DISK pool, so the pool can be recognised again. */
    @Column(name = "label_uuid", nullable = false, length = 36)
    private String labelUuid;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "storage_pool_disk", joinColumns = @JoinColumn(name = "pool_id"))
    @OrderColumn(name = "member_index")
    private List<PoolMember> members = new ArrayList<>();

    protected PoolEntity() {
        this.name = "";
        this.type = PoolType.DIRECTORY;
        this.labelUuid = "";
        this.createdAt = Instant.EPOCH;
    }

    public PoolEntity(HostId host, String name, PoolType type, @Nullable String directory, long capacityBytes,
            int overcommitPercent, List<PoolMember> members, Instant now) {
        this.hostId = host.value();
        this.name = name;
        this.type = type;
        this.directory = directory;
        this.capacityBytes = capacityBytes;
        this.overcommitPercent = overcommitPercent;
        this.labelUuid = UUID.randomUUID().toString();
        this.members = new ArrayList<>(members);
        this.createdAt = now;
    }

    public PoolId id() {
        if (id == null) {
            throw new IllegalStateException("pool " + name + " is not saved yet");
        }
        return new PoolId(id);
    }

    public HostId hostId() {
        return new HostId(hostId);
    }

    public String name() {
        return name;
    }

    public PoolType type() {
        return type;
    }

    public @Nullable String directory() {
        return directory;
    }

    public long capacityBytes() {
        return capacityBytes;
    }

    public int overcommitPercent() {
        return overcommitPercent;
    }

    public void setOvercommitPercent(int percent) {
        this.overcommitPercent = percent;
    }

    /** The most that may be allocated: capacity times the overcommit percentage. */
    public long allocationLimitBytes() {
        try {
            return Math.multiplyExact(capacityBytes, overcommitPercent) / 100;
        } catch (ArithmeticException tooLarge) {
            return Long.MAX_VALUE;
        }
    }

    /** An imported pool keeps the UUID its disk labels carry, so they stay its own. */
    public void adoptLabel(UUID uuid) {
        this.labelUuid = uuid.toString();
    }

    public UUID labelUuid() {
        return UUID.fromString(labelUuid);
    }

    public Instant createdAt() {
        return createdAt;
    }

    public List<PoolMember> members() {
        return List.copyOf(members);
    }
}
