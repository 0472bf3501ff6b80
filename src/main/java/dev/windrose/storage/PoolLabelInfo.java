package dev.windrose.storage;

import dev.windrose.inventory.DiskId;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A Windrose pool label found on a disk: which pool the disk belongs to, by the label's own account.
 *
 * @param knownPool the pool in this database with that label, or null when the label comes from a pool this
 *     database does not know (another installation, or a database that was lost)
 */
public record PoolLabelInfo(DiskId diskId, String diskName, String devicePath, UUID poolUuid, String poolName,
        int memberIndex, int memberCount, @Nullable PoolId knownPool) {
}
