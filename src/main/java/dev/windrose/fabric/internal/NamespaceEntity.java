package dev.windrose.fabric.internal;

import dev.windrose.dataplane.BlockDeviceKind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/** A volume attached to a subsystem, with its backing copied at attach time and identifiers generated once. */
@Entity
@Table(name = "nvmf_namespace")
public class NamespaceEntity extends ReconciledEntity {

    @Column(name = "subsystem_id", nullable = false)
    private long subsystemId;

    @Column(nullable = false)
    private int nsid;

    @Column(name = "volume_id", nullable = false, unique = true)
    private long volumeId;

    @Column(name = "volume_name", nullable = false, length = 64)
    private String volumeName;

    @Enumerated(EnumType.STRING)
    @Column(name = "backing_kind", nullable = false, length = 8)
    private BlockDeviceKind backingKind;

    @Column(name = "backing_path", length = 1024)
    private @Nullable String backingPath;

    /** Where an EXTENT starts on its disk (backing_path); null for the other kinds. */
    @Column(name = "backing_offset")
    private @Nullable Long backingOffset;

    @Column(name = "size_bytes", nullable = false)
    private long sizeBytes;

    @Column(nullable = false, unique = true, length = 32)
    private String nguid;

    @Column(nullable = false, unique = true, length = 36)
    private String uuid;

    /** 1 for a plain volume; a mirrored volume's namespace has a group of its own (2..16) to fail over alone. */
    @Column(name = "ana_group", nullable = false)
    private int anaGroup = 1;

    protected NamespaceEntity() {
        this.volumeName = "";
        this.backingKind = BlockDeviceKind.NULL;
        this.nguid = "";
        this.uuid = "";
    }

    public NamespaceEntity(long subsystemId, int nsid, long volumeId, String volumeName, BlockDeviceKind backingKind,
            @Nullable String backingPath, @Nullable Long backingOffset, long sizeBytes, String nguid, String uuid) {
        this.subsystemId = subsystemId;
        this.nsid = nsid;
        this.volumeId = volumeId;
        this.volumeName = volumeName;
        this.backingKind = backingKind;
        this.backingPath = backingPath;
        this.backingOffset = backingOffset;
        this.sizeBytes = sizeBytes;
        this.nguid = nguid;
        this.uuid = uuid;
    }

    public long subsystemId() {
        return subsystemId;
    }

    public int nsid() {
        return nsid;
    }

    public int anaGroup() {
        return anaGroup;
    }

    public void useAnaGroup(int group) {
        this.anaGroup = group;
    }

    public long volumeId() {
        return volumeId;
    }

    public String volumeName() {
        return volumeName;
    }

    public BlockDeviceKind backingKind() {
        return backingKind;
    }

    public @Nullable String backingPath() {
        return backingPath;
    }

    public @Nullable Long backingOffset() {
        return backingOffset;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    /** Its volume grew in place: the reconciler resizes the namespace on the live target. */
    public void grow(long newSizeBytes) {
        if (newSizeBytes < sizeBytes) {
            throw new IllegalArgumentException("a namespace never shrinks: " + sizeBytes + " -> " + newSizeBytes);
        }
        this.sizeBytes = newSizeBytes;
    }

    public String nguid() {
        return nguid;
    }

    public String uuid() {
        return uuid;
    }
}
