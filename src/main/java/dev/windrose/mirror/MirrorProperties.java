package dev.windrose.mirror;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How this node takes part in mirrored volumes ({@code windrose.mirror.*}).
 *
 * @param replicationAddress where the partner reaches this node's replica subsystems; empty for the first
 *        address of the host that is not loopback (127.0.0.1 when there is none: a one-machine lab)
 * @param replicationPort the port of that listener, one per node, shared by all its replica subsystems
 * @param lease how long the active node's lease lasts; the partner takes over only after it ran out (or
 *        when the active node's database session is gone), and an active node that has lost both its
 *        partner and the database stops serving {@link #leaseMargin} before it runs out
 * @param leaseMargin what the active node keeps between stopping and its lease's end (clock drift, pauses)
 * @param tick how often the coordinator looks at its mirrors: a failover waits at most about this long
 * @param remoteTimeout a write the partner has not completed in this time fails the leg
 * @param resyncMibPerSecond the most a resync copies per second, so hosts keep their latency (0: no limit)
 */
@ConfigurationProperties("windrose.mirror")
public record MirrorProperties(@Nullable String replicationAddress, @Nullable Integer replicationPort,
        @Nullable Duration lease, @Nullable Duration leaseMargin, @Nullable Duration tick,
        @Nullable Duration remoteTimeout, @Nullable Integer resyncMibPerSecond) {

    public MirrorProperties {
        replicationAddress = replicationAddress == null ? "" : replicationAddress.strip();
        replicationPort = replicationPort == null ? 4430 : replicationPort;
        lease = lease == null ? Duration.ofSeconds(8) : lease;
        leaseMargin = leaseMargin == null ? Duration.ofSeconds(3) : leaseMargin;
        tick = tick == null ? Duration.ofMillis(250) : tick;
        remoteTimeout = remoteTimeout == null ? Duration.ofSeconds(3) : remoteTimeout;
        resyncMibPerSecond = resyncMibPerSecond == null ? 256 : resyncMibPerSecond;
        if (replicationPort < 1 || replicationPort > 65535) {
            throw new IllegalArgumentException("windrose.mirror.replication-port must be 1..65535");
        }
        if (leaseMargin.compareTo(lease) >= 0 || tick.compareTo(leaseMargin) >= 0) {
            throw new IllegalArgumentException("windrose.mirror: tick < lease-margin < lease is required");
        }
    }
}
