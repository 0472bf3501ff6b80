package dev.windrose.storage;

import dev.windrose.inventory.HostId;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A volume.
 *
 * @param backingPath the file of a DIRECTORY volume; null for DISK (see extents) and MEMORY volumes
 * @param extents the byte ranges of a DISK volume on the pool's disks
 * @param usedBytes space the volume really takes; null when it cannot be measured
 * @param attachedSubsystem the NVMe-oF subsystem the volume is attached to, if any
 */
public record VolumeInfo(VolumeId id, PoolId poolId, String poolName, PoolType poolType, HostId hostId, String name,
        String uuid, long sizeBytes, Provisioning provisioning, @Nullable String backingPath, List<Extent> extents,
        @Nullable Long usedBytes, @Nullable String attachedSubsystem, Instant createdAt) {

    /** Bytes {@code [startBytes, startBytes + lengthBytes)} of a disk. */
    public record Extent(long diskId, long startBytes, long lengthBytes) {
    }
}
