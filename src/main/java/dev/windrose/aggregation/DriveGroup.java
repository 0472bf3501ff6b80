package dev.windrose.aggregation;

import dev.windrose.storage.PoolId;

/** {@code count} namespaces of {@code sizeBytes} each, carved from one pool, used by the member in one tier. */
public record DriveGroup(DriveTier tier, int count, long sizeBytes, PoolId pool) {

    public long totalBytes() {
        return count * sizeBytes;
    }
}
