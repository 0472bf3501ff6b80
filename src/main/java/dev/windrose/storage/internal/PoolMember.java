package dev.windrose.storage.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** A disk of a DISK pool: data lives in {@code [dataOffsetBytes, dataOffsetBytes + dataBytes)}. */
@Embeddable
public class PoolMember {

    @Column(name = "disk_id", nullable = false)
    private long diskId;

    @Column(name = "data_offset_bytes", nullable = false)
    private long dataOffsetBytes;

    @Column(name = "data_bytes", nullable = false)
    private long dataBytes;

    protected PoolMember() {
    }

    public PoolMember(long diskId, long dataOffsetBytes, long dataBytes) {
        this.diskId = diskId;
        this.dataOffsetBytes = dataOffsetBytes;
        this.dataBytes = dataBytes;
    }

    public long diskId() {
        return diskId;
    }

    public long dataOffsetBytes() {
        return dataOffsetBytes;
    }

    public long dataBytes() {
        return dataBytes;
    }
}
