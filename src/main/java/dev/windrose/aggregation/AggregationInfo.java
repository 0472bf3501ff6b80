package dev.windrose.aggregation;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** An aggregation as created: its members, the subsystem and drives of each, and its capacity plan. */
public record AggregationInfo(AggregationId id, String name, Platform platform, Endpoint listener, Instant createdAt,
        List<MemberInfo> members, CapacityPlan plan) {

    /** A member and what was made for it. */
    public record MemberInfo(String name, MemberOs os, String hostNqn, @Nullable String address, long subsystemId,
            String subsystemNqn, List<DriveInfo> drives) {
    }

    /** One drive of a member: the namespace NSID in its subsystem and the volume behind it. */
    public record DriveInfo(int nsid, DriveTier tier, long volumeId, long poolId, long sizeBytes) {
    }
}
