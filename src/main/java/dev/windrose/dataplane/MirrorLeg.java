package dev.windrose.dataplane;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The remote leg of a mirrored namespace: a namespace of the partner node's target, reached over NVMe/TCP
 * (windrose.h, {@code struct wr_mirror_opts}).
 *
 * @param address the partner's IPv4 or IPv6 literal or host name (at most 63 bytes)
 * @param port its listener; 0 for 4420
 * @param subsystemNqn the partner's subsystem that holds the leg
 * @param nsid the leg's NSID there
 * @param hostNqn the NQN this node connects as (the partner must allow it), or null for a random UUID NQN
 * @param timeout a remote I/O older than this fails the leg (the mirror degrades); zero for 5 s (connecting
 *        may take the larger of this and 5 s)
 * @param regionBytes size of a dirty region: a power of two, at least 4096; 0 for 1 MiB
 * @param resyncMibPerSecond the most a resync copies per second, so hosts keep their latency; 0 for no limit
 * @param holdOnDegrade when the mirror degrades, hold every write (and the completion of the write whose remote
 *        leg failed) until {@link DataplaneTarget#releaseMirror}: the node records "partner out of sync" where its
 *        witness keeps it before it acknowledges a write the partner lacks. Reads go on.
 * @param startAlone a partner that cannot be reached when the namespace is added does not refuse it: it starts
 *        degraded (and holding, with holdOnDegrade) instead ({@code WR_MIRROR_START_ALONE}). For a leg the witness
 *        says is current, on a node that starts during its partner's outage (a blackout, one node back): the
 *        witness then decides whether it may serve. Not part of what makes two legs the same device
 *        ({@link #sameLeg}): it follows the witness and must not make a reconciler re-add a served namespace.
 * @param bitmapPath a file that keeps the dirty-region bitmap across restarts of this node (created when missing,
 *        made for one size and region size; a mark is on stable storage before its write is acknowledged; a
 *        mirror added on a file with dirty regions starts DEGRADED), or null to keep it in memory only
 */
public record MirrorLeg(String address, int port, String subsystemNqn, int nsid, @Nullable String hostNqn,
        Duration timeout, int regionBytes, int resyncMibPerSecond, boolean holdOnDegrade, boolean startAlone,
        @Nullable String bitmapPath) {

    public MirrorLeg {
        if (address.isBlank() || address.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= StatsLayouts.ADDR_SIZE) {
            throw new IllegalArgumentException("the partner's address must have 1.." + (StatsLayouts.ADDR_SIZE - 1) + " bytes");
        }
        if (port < 0 || port > 65535 || nsid < 1 || nsid > NamespaceSpec.MAX_NSID) {
            throw new IllegalArgumentException("port must be 0..65535 and nsid 1.." + NamespaceSpec.MAX_NSID);
        }
        if (timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeout out of range: " + timeout);
        }
        if (bitmapPath != null && (bitmapPath.isBlank()
                || bitmapPath.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= StatsLayouts.MIRROR_PATH_SIZE)) {
            throw new IllegalArgumentException("bitmapPath must have 1.." + (StatsLayouts.MIRROR_PATH_SIZE - 1) + " bytes");
        }
        if (resyncMibPerSecond < 0) {
            throw new IllegalArgumentException("resyncMibPerSecond cannot be negative: " + resyncMibPerSecond);
        }
        if (regionBytes != 0 && (regionBytes < 4096 || Integer.bitCount(regionBytes) != 1)) {
            throw new IllegalArgumentException("regionBytes must be 0 or a power of two >= 4096, not " + regionBytes);
        }
    }

    /** The defaults: 5 s timeout, 1 MiB regions, no resync rate limit, no hold, refused when unreachable, a bitmap in memory only. */
    public static MirrorLeg of(String address, int port, String subsystemNqn, int nsid, @Nullable String hostNqn) {
        return new MirrorLeg(address, port, subsystemNqn, nsid, hostNqn, Duration.ZERO, 0, 0, false, false, null);
    }

    /** The same remote leg, however it may start: what a served namespace's identity depends on. */
    public static boolean sameLeg(@Nullable MirrorLeg a, @Nullable MirrorLeg b) {
        return a == null ? b == null : b != null && a.withStartAlone(false).equals(b.withStartAlone(false));
    }

    private MirrorLeg withStartAlone(boolean alone) {
        return new MirrorLeg(address, port, subsystemNqn, nsid, hostNqn, timeout, regionBytes, resyncMibPerSecond,
                holdOnDegrade, alone, bitmapPath);
    }
}
