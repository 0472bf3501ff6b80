package dev.windrose.mirror;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A mirrored volume as the console shows it.
 *
 * @param activeLeg the leg hosts write to now; the other follows it while in sync
 * @param generation the witness's generation: a leg whose generation is lower misses writes
 * @param state what the active node last reported of its mirror: IN_SYNC, DEGRADED, RESYNCING (null before
 *        it first did)
 * @param resyncProgress 0..1 while resynchronising, else null
 * @param resyncSecondsLeft how long the resync still needs at the pace it has kept so far (null: none runs, or
 *        nothing copied yet)
 * @param attachedTo the subsystem that exports it, null while not exported
 * @param hosts each host connected to it, with its paths through each node
 */
public record MirroredVolumeInfo(long id, String name, long sizeBytes, Leg activeLeg, long generation,
        List<LegInfo> legs, @Nullable String state, @Nullable Long dirtyBytes, @Nullable Double resyncProgress,
        @Nullable Long resyncSecondsLeft,
        @Nullable Instant observedAt, @Nullable Instant lastFailoverAt, @Nullable Long lastFailoverMillis,
        @Nullable String lastFailoverReason, @Nullable String attachedTo, List<HostPaths> hosts,
        List<MirrorEventInfo> recentEvents) {

    /**
     * One leg: an ordinary volume on a directory pool of its node.
     *
     * @param current whether the leg holds every acknowledged write (its generation is the mirror's): only a
     *        current leg may become active
     */
    public record LegInfo(Leg leg, long volumeId, String volumeName, long poolId, String poolName, long nodeId,
            String nodeName, long generation, boolean current, boolean active) {
    }

    /**
     * One host's paths to the mirrored volume.
     *
     * @param livePaths controllers connected on nodes that are up
     * @param optimizedPaths those of them on the node that serves (ANA optimized): 0 means the host cannot do I/O
     */
    public record HostPaths(String hostNqn, int livePaths, int optimizedPaths, List<PathInfo> paths) {
    }

    /**
     * The host's controllers on one node, as that node last reported them.
     *
     * @param anaState OPTIMIZED where the node serves, INACCESSIBLE elsewhere
     * @param nodeOnline false when the node's heartbeat stopped: its report is stale and its paths are counted dead
     */
    public record PathInfo(String nodeName, int controllers, String anaState, boolean nodeOnline, Instant reportedAt) {
    }

    public record MirrorEventInfo(Instant at, String kind, String node, String detail) {
    }
}
