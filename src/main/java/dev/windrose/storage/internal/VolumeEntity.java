package dev.windrose.storage.internal;

import dev.windrose.inventory.HostId;
import dev.windrose.storage.PoolId;
import dev.windrose.storage.Provisioning;
import dev.windrose.storage.VolumeId;
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

/** A volume carved from a pool. */
@Entity
@Table(name = "volume")
public class VolumeEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @Column(name = "pool_id", nullable = false)
    private long poolId;

    @Column(name = "host_id", nullable = false)
    private long hostId;

    @Column(nullable = false, length = 64)
    private String name;

    @Column(nullable = false, unique = true, length = 36)
    private String uuid;

    @Column(name = "size_bytes", nullable = false)
    private long sizeBytes;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 8)
    private Provisioning provisioning;

    @Column(name = "backing_path", length = 1024)
    private @Nullable String backingPath;

    @Column(name = "attached_subsystem")
    private @Nullable String attachedSubsystem;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "volume_extent", joinColumns = @JoinColumn(name = "volume_id"))
    @OrderColumn(name = "extent_index")
    private List<VolumeExtent> extents = new ArrayList<>();

    protected VolumeEntity() {
        this.name = "";
        this.uuid = "";
        this.provisioning = Provisioning.THIN;
        this.createdAt = Instant.EPOCH;
    }

    public VolumeEntity(PoolId pool, HostId host, String name, UUID uuid, long sizeBytes, Provisioning provisioning,
            @Nullable String backingPath, List<ExtentAllocator.Extent> extents, Instant now) {
        this.poolId = pool.value();
        this.hostId = host.value();
        this.name = name;
        this.uuid = uuid.toString();
        this.sizeBytes = sizeBytes;
        this.provisioning = provisioning;
        this.backingPath = backingPath;
        extents.forEach(extent -> this.extents.add(new VolumeExtent(extent)));
        this.createdAt = now;
    }

    public VolumeId id() {
        if (id == null) {
            throw new IllegalStateException("volume " + name + " is not saved yet");
        }
        return new VolumeId(id);
    }

    public PoolId poolId() {
        return new PoolId(poolId);
    }

    public HostId hostId() {
        return new HostId(hostId);
    }

    public String name() {
        return name;
    }

    public String uuid() {
        return uuid;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public Provisioning provisioning() {
        return provisioning;
    }

    public @Nullable String backingPath() {
        return backingPath;
    }

    public @Nullable String attachedSubsystem() {
        return attachedSubsystem;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public List<ExtentAllocator.Extent> extents() {
        return extents.stream().map(VolumeExtent::toExtent).toList();
    }

    public void grow(long newSizeBytes, List<ExtentAllocator.Extent> added) {
        this.sizeBytes = newSizeBytes;
        added.forEach(extent -> this.extents.add(new VolumeExtent(extent)));
    }

    /** Grows the volume by widening its last extent in place (see {@link ExtentAllocator#extend}). */
    public void growInPlace(long newSizeBytes, ExtentAllocator.Extent grown) {
        VolumeExtent last = extents.getLast();
        ExtentAllocator.Extent old = last.toExtent();
        if (old.diskId() != grown.diskId() || old.start() != grown.start() || grown.length() <= old.length()) {
            throw new IllegalArgumentException("extent " + grown + " does not grow " + old + " in place");
        }
        extents.set(extents.size() - 1, new VolumeExtent(grown));
        this.sizeBytes = newSizeBytes;
    }

    public void attach(String subsystem) {
        this.attachedSubsystem = subsystem;
    }

    public void detach() {
        this.attachedSubsystem = null;
    }
}
