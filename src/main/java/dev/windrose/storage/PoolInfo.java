package dev.windrose.storage;

import dev.windrose.inventory.HostId;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A pool and its capacity.
 *
 * @param capacityBytes what the pool's media hold
 * @param allocatedBytes the sum of its volumes' sizes (may exceed the capacity in a thin pool)
 * @param usedBytes what the volumes really take; null when it cannot be measured
 * @param allocationLimitBytes the most that may be allocated: the capacity times the overcommit percentage
 * @param warnings sentences about filling up or overcommitment, empty when all is well (a fully
 *        allocated pool is not a warning: see {@link #fullyAllocated})
 * @param dataIsVolatile true for MEMORY pools: their data is lost when the application restarts
 */
public record PoolInfo(PoolId id, HostId hostId, String name, PoolType type, @Nullable String directory,
        List<PoolDisk> disks, long capacityBytes, long allocatedBytes, @Nullable Long usedBytes,
        int overcommitPercent, long allocationLimitBytes, int volumeCount, List<String> warnings,
        boolean dataIsVolatile, Instant createdAt) {

    /**
     * Every byte the pool may allocate is allocated: no new volume fits. Not a danger to the data: the
     * volumes hold their space, or (thin) can run out of it only as {@link #mayRunOutOfSpace} says.
     */
    public boolean fullyAllocated() {
        return allocatedBytes > 0 && allocatedBytes >= allocationLimitBytes;
    }

    /**
     * Space the volumes may still claim as they are written: the unwritten part of thin volumes. Zero in
     * a thick pool (disk, memory, or preallocated files), whose volumes hold all their space from the
     * start; zero too where use cannot be measured, since then nothing can be said.
     */
    public long claimableBytes() {
        return usedBytes == null ? 0 : Math.max(0, allocatedBytes - usedBytes);
    }

    /**
     * Writes can fail for lack of space only where volumes may still claim some: a thin pool. A thick
     * pool, however fully allocated, never refuses a write.
     */
    public boolean mayRunOutOfSpace() {
        return claimableBytes() > 0;
    }

    /** What the volumes' data really takes, as a share of the capacity in percent; null when unmeasured. */
    public @Nullable Double usedPercent() {
        return usedBytes == null ? null : usedBytes * 100.0 / Math.max(1, capacityBytes);
    }

    /** A disk of a DISK pool and the bytes of it the pool uses. */
    public record PoolDisk(long diskId, String name, String devicePath, long dataBytes) {
    }
}
