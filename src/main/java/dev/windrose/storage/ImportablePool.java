package dev.windrose.storage;

import dev.windrose.inventory.DiskId;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A DISK pool found on this host's free disks by its labels, which this database does not know (a
 * reinstall, a lost database, disks moved from another host).
 *
 * @param members the members found, by member index
 * @param missingMembers member indexes no disk here claims; an import is refused while any is missing
 * @param volumes the volumes its newest volume map records; empty when there is no readable map
 * @param importable whether {@code POST /api/v1/pools/import} would bring it back
 * @param refusal why it cannot be imported, in words; null when it can
 */
public record ImportablePool(UUID poolUuid, String name, int memberCount, List<FoundMember> members,
        List<Integer> missingMembers, List<String> volumes, long capacityBytes, boolean importable,
        @Nullable String refusal) {

    /** A disk whose label says it is member {@code memberIndex} of the pool. */
    public record FoundMember(int memberIndex, DiskId diskId, String diskName, String devicePath, long dataBytes) {
    }
}
