package dev.windrose.aggregation;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A compute node of the cluster and the drives it is to see.
 *
 * @param address the member's own address (for the admin's notes); null when not given
 */
public record ProposedMember(String name, MemberOs os, String hostNqn, @Nullable String address,
        List<DriveGroup> drives) {

    public ProposedMember {
        drives = List.copyOf(drives);
    }

    public int count(DriveTier tier) {
        return drives.stream().filter(d -> d.tier() == tier).mapToInt(DriveGroup::count).sum();
    }

    public long bytes(DriveTier tier) {
        return drives.stream().filter(d -> d.tier() == tier).mapToLong(DriveGroup::totalBytes).sum();
    }

    /** The distinct drive sizes of a tier, smallest first. */
    public List<Long> sizes(DriveTier tier) {
        return drives.stream().filter(d -> d.tier() == tier && d.count() > 0).map(DriveGroup::sizeBytes)
                .distinct().sorted().toList();
    }

    public long largest(DriveTier tier) {
        return sizes(tier).stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
