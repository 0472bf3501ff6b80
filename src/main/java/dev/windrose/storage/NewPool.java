package dev.windrose.storage;

import dev.windrose.inventory.DiskId;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A pool to create on the local host. Which fields matter depends on the type: {@code directory} for
 * DIRECTORY, {@code capacityBytes} for MEMORY, {@code diskIds} for DISK; {@code overcommitPercent} only
 * for DIRECTORY (thin) pools, 100 when null.
 *
 * @param overwriteForeignLabels a DISK pool may take disks that carry the label of a pool this database does
 *     not know (whose data is then lost); without it such a disk is refused, so that pool can be imported
 */
public record NewPool(String name, PoolType type, @Nullable String directory, @Nullable Long capacityBytes,
        List<DiskId> diskIds, @Nullable Integer overcommitPercent, boolean overwriteForeignLabels) {

    /** No disks when none are named (a directory or memory pool, or a body from another node without them). */
    public NewPool {
        diskIds = diskIds == null ? List.of() : List.copyOf(diskIds);
    }

    public NewPool(String name, PoolType type, @Nullable String directory, @Nullable Long capacityBytes,
            List<DiskId> diskIds, @Nullable Integer overcommitPercent) {
        this(name, type, directory, capacityBytes, diskIds, overcommitPercent, false);
    }
}
