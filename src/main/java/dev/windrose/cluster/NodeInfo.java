package dev.windrose.cluster;

import dev.windrose.inventory.HostId;
import dev.windrose.inventory.HostState;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A node of the cluster as the console shows it.
 *
 * @param holds what keeps it from being removed (pools, listeners), in words; empty when nothing does
 */
public record NodeInfo(HostId id, String name, String machineId, List<String> addresses, Membership membership,
        HostState state, Instant lastHeartbeatAt, boolean local, Instant askedAt, @Nullable Instant acceptedAt,
        @Nullable String acceptedBy, List<String> holds) {
}
