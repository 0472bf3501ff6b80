package dev.windrose.storage.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** A byte range of a disk that belongs to a DISK-pool volume. */
@Embeddable
public class VolumeExtent {

    @Column(name = "disk_id", nullable = false)
    private long diskId;

    @Column(name = "start_bytes", nullable = false)
    private long startBytes;

    @Column(name = "length_bytes", nullable = false)
    private long lengthBytes;

    protected VolumeExtent() {
    }

    public VolumeExtent(ExtentAllocator.Extent extent) {
        this.diskId = extent.diskId();
        this.startBytes = extent.start();
        this.lengthBytes = extent.length();
    }

    public ExtentAllocator.Extent toExtent() {
        return new ExtentAllocator.Extent(diskId, startBytes, lengthBytes);
    }
}
