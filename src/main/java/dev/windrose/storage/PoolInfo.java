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
 * @param warnings sentences about filling up or overcommitment, empty when all is well
 * @param dataIsVolatile true for MEMORY pools: their data is lost when the application restarts
 */
public record PoolInfo(PoolId id, HostId hostId, String name, PoolType type, @Nullable String directory,
        List<PoolDisk> disks, long capacityBytes, long allocatedBytes, @Nullable Long usedBytes,
        int overcommitPercent, long allocationLimitBytes, int volumeCount, List<String> warnings,
        boolean dataIsVolatile, Instant createdAt) {

    /** A disk of a DISK pool and the bytes of it the pool uses. */
    public record PoolDisk(long diskId, String name, String devicePath, long dataBytes) {
    }
}
