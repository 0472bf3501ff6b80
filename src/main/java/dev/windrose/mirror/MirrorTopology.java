package dev.windrose.mirror;

import dev.windrose.common.WindroseProperties;
import dev.windrose.dataplane.MirrorLeg;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostService;
import dev.windrose.mirror.internal.MirrorRow;
import dev.windrose.mirror.internal.MirrorWitness;
import dev.windrose.security.SystemViewer;
import java.net.InetAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * What this node serves of mirrored volumes, for the fabric's reconciler: for each mirror with a leg here,
 * the replica subsystem the partner writes to (namespace 1: the local leg) and the remote leg the exported
 * namespace mirrors to. Each node exports the mirrored namespace from its own leg, mirrored to its partner's
 * replica; which node hosts may write to is ANA's business ({@code MirrorCoordinator}), so a failover
 * changes no namespace and no connection, only path states.
 */
@Component
public class MirrorTopology {

    /** Replica subsystems: {@code <prefix><mirror id>:<leg>}; hidden from the console's subsystem list. */
    public static final String REPLICA_PREFIX = "nqn.2026-12.dev.windrose:replica:";
    /** The NQN a node connects to its partners' replicas as; a replica allows only its partner's. */
    public static final String NODE_PREFIX = "nqn.2026-12.dev.windrose:node:";

    private final MirrorWitness witness;
    private final HostService hosts;
    private final MirrorProperties properties;
    private final WindroseProperties windrose;

    MirrorTopology(MirrorWitness witness, HostService hosts, MirrorProperties properties, WindroseProperties windrose) {
        this.witness = witness;
        this.hosts = hosts;
        this.properties = properties;
        this.windrose = windrose;
    }

    /**
     * One leg of a mirror that lives on this node.
     *
     * @param replicaNqn the subsystem that serves this leg to the partner
     * @param partnerNodeNqn the only host that replica allows, and only while the partner's leg is current (a
     *        partner that fell behind must never write here: the fence of a failover)
     * @param remote the partner's replica as the exported namespace's remote leg; null while the partner has
     *        not said where it serves
     */
    public record LocalLeg(long mirrorId, String name, Leg leg, long sizeBytes, String localPath, long legAVolume,
            long legBVolume, String replicaNqn, String partnerNodeNqn, boolean partnerCurrent,
            @Nullable MirrorLeg remote) {

        public boolean holdsVolume(long volumeId) {
            return volumeId == legAVolume || volumeId == legBVolume;
        }
    }

    public static String nodeNqn(long node) {
        return NODE_PREFIX + node;
    }

    public static String replicaNqn(long mirrorId, Leg leg) {
        return REPLICA_PREFIX + mirrorId + ":" + leg.name().toLowerCase(Locale.ROOT);
    }

    public static boolean isReplica(String nqn) {
        return nqn.startsWith(REPLICA_PREFIX);
    }

    /** The legs of mirrors on this node. */
    public List<LocalLeg> localLegs() {
        long self = localNode();
        return witness.withLegOn(self).stream().map(row -> localLeg(row, self)).flatMap(Optional::stream).toList();
    }

    /** The mirror a volume is a leg of, if any (on any node). */
    public Optional<MirrorLegs> mirrorOfVolume(long volumeId) {
        return witness.ofVolume(volumeId).map(row -> new MirrorLegs(row.id(), row.name(), row.legAVolume(),
                row.legBVolume()));
    }

    /** A mirror's two leg volumes. */
    public record MirrorLegs(long mirrorId, String name, long legAVolume, long legBVolume) {
    }

    /** Where this node serves its replicas: the configured address, else its first address that is not loopback. */
    public ReplicationEndpoint localEndpoint() {
        String address = properties.replicationAddress();
        if (address == null || address.isEmpty()) {
            HostInfo self = SystemViewer.read(hosts::local);
            address = self.addresses().stream().filter(MirrorTopology::notLoopback).findFirst().orElse("127.0.0.1");
        }
        return new ReplicationEndpoint(address, properties.replicationPort());
    }

    /** The file that keeps a leg's dirty regions across restarts of its node (its directory is made here). */
    public Path bitmapPath(long mirrorId, Leg leg) {
        Path directory = windrose.dataDir().resolve("mirrors").toAbsolutePath();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make the directory for mirror bitmaps: " + directory, e);
        }
        return directory.resolve(mirrorId + "-" + leg.name().toLowerCase(Locale.ROOT) + ".bitmap");
    }

    private Optional<LocalLeg> localLeg(MirrorRow row, long self) {
        Leg leg = row.legOn(self);
        String path = leg == null ? null : row.path(leg);
        if (leg == null || path == null) {
            return Optional.empty();
        }
        Leg partner = leg.other();
        MirrorLeg remote = witness.endpoint(row.node(partner))
                .map(endpoint -> new MirrorLeg(endpoint.address(), endpoint.port(), replicaNqn(row.id(), partner), 1,
                        nodeNqn(self), properties.remoteTimeout(), 0, properties.resyncMibPerSecond(), true,
                        row.current(leg), bitmapPath(row.id(), leg).toString()))
                .orElse(null);
        return Optional.of(new LocalLeg(row.id(), row.name(), leg, row.sizeBytes(), path, row.legAVolume(),
                row.legBVolume(), replicaNqn(row.id(), leg), nodeNqn(row.node(partner)), row.current(partner), remote));
    }

    private long localNode() {
        return SystemViewer.read(() -> hosts.local().id().value());
    }

    private static boolean notLoopback(String address) {
        try {
            return !InetAddress.ofLiteral(address).isLoopbackAddress() && !address.contains("%");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
