package dev.windrose.mirror;

import dev.windrose.cluster.NodeRequestPendingException;
import dev.windrose.cluster.NodeRequests;
import dev.windrose.cluster.NodeUnavailableException;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.inventory.HostId;
import dev.windrose.inventory.HostService;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostState;
import dev.windrose.mirror.MirroredVolumeInfo.HostPaths;
import dev.windrose.mirror.MirroredVolumeInfo.LegInfo;
import dev.windrose.mirror.MirroredVolumeInfo.PathInfo;
import dev.windrose.mirror.internal.MirrorCoordinator;
import dev.windrose.mirror.internal.MirrorRow;
import dev.windrose.mirror.internal.MirrorWitness;
import dev.windrose.mirror.internal.MirrorWitness.ReportedPath;
import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditLog;
import dev.windrose.security.Role;
import dev.windrose.storage.NewVolume;
import dev.windrose.storage.PoolId;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolService;
import dev.windrose.storage.PoolType;
import dev.windrose.storage.VolumeId;
import dev.windrose.storage.VolumeInfo;
import dev.windrose.storage.VolumeService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * Mirrored volumes for the console and REST (issue 16): creating one makes a leg volume on each of two
 * directory pools of two nodes (each node creates its own, through a node request when it is not this one)
 * and records them in the witness; the volume is exported by attaching either leg to a subsystem with
 * listeners on both nodes.
 */
@Service
public class MirrorService {

    private static final Logger log = LoggerFactory.getLogger(MirrorService.class);
    private static final int RECENT_EVENTS = 10;

    private final MirrorWitness witness;
    private final PoolService pools;
    private final VolumeService volumes;
    private final HostService hosts;
    private final NodeRequests nodes;
    private final AuditLog auditLog;
    private final Clock clock;
    private final Environment environment;
    private final MirrorCoordinator coordinator;
    private final MirrorProperties properties;

    MirrorService(MirrorWitness witness, PoolService pools, VolumeService volumes, HostService hosts,
            NodeRequests nodes, AuditLog auditLog, Clock clock, Environment environment,
            MirrorCoordinator coordinator, MirrorProperties properties) {
        this.coordinator = coordinator;
        this.properties = properties;
        this.witness = witness;
        this.pools = pools;
        this.volumes = volumes;
        this.hosts = hosts;
        this.nodes = nodes;
        this.auditLog = auditLog;
        this.clock = clock;
        this.environment = environment;
    }

    /** Two pools of two different nodes; sizeBytes a whole number of MiB, as for any volume. */
    public record NewMirroredVolume(String name, long sizeBytes, long poolA, long poolB) {
    }

    @PreAuthorize(Role.Expressions.VIEWER)
    public List<MirroredVolumeInfo> list() {
        return witness.all().stream().map(this::info).toList();
    }

    @PreAuthorize(Role.Expressions.VIEWER)
    public MirroredVolumeInfo get(long id) {
        return info(find(id));
    }

    @PreAuthorize(Role.Expressions.OPERATOR)
    public MirroredVolumeInfo create(NewMirroredVolume request) {
        requireWitness();
        String name = PoolService.validName(request.name());
        if (witness.all().stream().anyMatch(m -> m.name().equals(name))) {
            throw new ConflictException("A mirrored volume named '" + name + "' already exists.");
        }
        PoolInfo a = legPool("poolA", request.poolA());
        PoolInfo b = legPool("poolB", request.poolB());
        if (a.hostId().equals(b.hostId())) {
            throw new InvalidInputException("poolB", "Both pools are on node " + nodeName(a.hostId()) + ": a mirror "
                    + "survives a node only with its legs on two nodes. Choose a pool of another node.");
        }
        long legA = createLeg(new NewVolume(name, a.id(), request.sizeBytes(), null), a);
        long legB;
        try {
            legB = createLeg(new NewVolume(name, b.id(), request.sizeBytes(), null), b);
        } catch (RuntimeException e) {
            deleteLeg(legA, a.hostId());
            throw e;
        }
        long id = witness.insert(name, volumes.get(new VolumeId(legA)).sizeBytes(), legA, legB, clock.instant(),
                properties.lease());
        auditLog.record(AuditAction.MIRROR_CREATED, name, "legs on " + nodeName(a.hostId()) + " (pool " + a.name()
                + ") and " + nodeName(b.hostId()) + " (pool " + b.name() + ")");
        return get(id);
    }

    /** Node request kind: the active node of a mirror hands it over (only it can stop serving first). */
    public static final String HAND_OVER_ON_NODE = "mirror.hand-over";
    /** How long a hand-over waits for the partner to serve before it answers without the pause. */
    private static final java.time.Duration SERVED_WAIT = java.time.Duration.ofSeconds(10);

    public record HandOver(long mirrorId) {
    }

    /** The drill's outcome: how long hosts waited on the way over and on the way back (null: not served in time). */
    public record DrillResult(@org.jspecify.annotations.Nullable Long overPauseMillis,
            @org.jspecify.annotations.Nullable Long backPauseMillis, MirroredVolumeInfo mirror) {
    }

    /**
     * A planned hand-over (maintenance): the active node stops serving, the partner takes the active role with
     * both legs current, without an I/O error reaching hosts. Answers once the partner serves (at most 10 s),
     * with the pause in {@code lastFailoverMillis}. 409 while the other leg is out of sync.
     */
    @PreAuthorize(Role.Expressions.OPERATOR)
    public MirroredVolumeInfo handOver(long id) {
        requireWitness();
        MirrorRow row = find(id);
        if (!row.current(row.active().other())) {
            throw new ConflictException("The other leg of " + row.name() + " is out of sync (it is being "
                    + "resynchronised): handing over now would lose writes. Wait until the mirror is in sync.");
        }
        HostId active = new HostId(row.node(row.active()));
        if (nodes.isLocal(active)) {
            handOverHere(new HandOver(id));
        } else {
            nodes.carriedOut(active, HAND_OVER_ON_NODE, new HandOver(id));
        }
        awaitServed(id, row.generation() + 1);
        auditLog.record(AuditAction.MIRROR_HANDED_OVER, row.name(), "from " + nodeName(active));
        return get(id);
    }

    /** On the active node (a node request lands here): hand over now. */
    @PreAuthorize(Role.Expressions.OPERATOR)
    public MirroredVolumeInfo handOverHere(HandOver request) {
        try {
            coordinator.handOver(request.mirrorId(), "a planned hand-over");
        } catch (IllegalStateException e) {
            throw new ConflictException(e.getMessage());
        }
        return get(request.mirrorId());
    }

    /** The failover drill: over to the partner and back, each pause as hosts saw it from the target's side. */
    @PreAuthorize(Role.Expressions.OPERATOR)
    public DrillResult drill(long id) {
        MirroredVolumeInfo over = handOver(id);
        MirroredVolumeInfo back = handOver(id);
        return new DrillResult(over.lastFailoverMillis(), back.lastFailoverMillis(), back);
    }

    private void awaitServed(long id, long generation) {
        long until = System.nanoTime() + SERVED_WAIT.toNanos();
        while (System.nanoTime() - until < 0) {
            MirrorRow row = find(id);
            if (row.generation() >= generation && row.lastFailoverMillis() != null) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.warn("Mirrored volume {}: the partner did not report serving within {} s of the hand-over", id,
                SERVED_WAIT.toSeconds());
    }

    /**
     * What taking a node down for maintenance would cause, in words: the mirrors whose active role moves to
     * their partner, the mirrors that lose redundancy while it is away, and those whose active role cannot move
     * (the other leg is out of sync: their hosts would lose the volume); and those whose role an earlier
     * maintenance of the node moved away, which ending it hands back.
     */
    public record MaintenancePlan(long nodeId, String nodeName, List<String> handOver, List<String> loseRedundancy,
            List<String> cannotMove, List<String> movedAway) {
    }

    /**
     * The end of a node's maintenance: the mirrors whose active role came back to it, and those that stay with
     * the partner for now because the node's leg is still being resynchronised (end the maintenance again once
     * they are in sync).
     */
    public record MaintenanceEnd(long nodeId, String nodeName, List<String> handedBack, List<String> waiting) {
    }

    @PreAuthorize(Role.Expressions.VIEWER)
    public MaintenancePlan maintenancePlan(long node) {
        List<MirrorRow> touched = witness.withLegOn(node);
        List<String> handOver = new java.util.ArrayList<>();
        List<String> cannotMove = new java.util.ArrayList<>();
        for (MirrorRow row : touched) {
            if (row.node(row.active()) != node) {
                continue;
            }
            (row.current(row.active().other()) ? handOver : cannotMove).add(row.name());
        }
        List<Long> movedAway = witness.movedAwayForMaintenance(node);
        return new MaintenancePlan(node, nodeName(new HostId(node)), handOver,
                touched.stream().map(MirrorRow::name).toList(), cannotMove,
                touched.stream().filter(row -> movedAway.contains(row.id())).map(MirrorRow::name).toList());
    }

    /**
     * Node maintenance: hands every active role the node holds to the partner (each as {@link #handOver}),
     * refusing at once, with nothing moved, when one of them cannot move. Answers with the plan carried out.
     */
    @PreAuthorize(Role.Expressions.OPERATOR)
    public MaintenancePlan handOverAllFrom(long node) {
        MaintenancePlan plan = maintenancePlan(node);
        if (!plan.cannotMove().isEmpty()) {
            throw new ConflictException("Node " + plan.nodeName() + " is the only current leg of "
                    + String.join(", ", plan.cannotMove()) + ": its hosts would lose them. Wait until their resync is "
                    + "done, then try again.");
        }
        for (MirrorRow row : witness.withLegOn(node)) {
            if (row.node(row.active()) == node) {
                handOver(row.id());
                witness.recordMovedForMaintenance(row.id(), node);
            }
        }
        auditLog.record(AuditAction.NODE_MAINTENANCE_STARTED, plan.nodeName(), plan.handOver().isEmpty()
                ? "no active role to move" : "active roles moved away: " + String.join(", ", plan.handOver()));
        return maintenancePlan(node);
    }

    /**
     * Ends a node's maintenance: every mirror whose active role its maintenance moved away is handed back (each
     * as {@link #handOver}) once the node's leg is current again; one whose leg is still being resynchronised
     * stays with the partner and is named, so the operator can end the maintenance again once it is in sync.
     */
    @PreAuthorize(Role.Expressions.OPERATOR)
    public MaintenanceEnd endMaintenance(long node) {
        List<String> handedBack = new java.util.ArrayList<>();
        List<String> waiting = new java.util.ArrayList<>();
        List<Long> movedAway = witness.movedAwayForMaintenance(node);
        for (MirrorRow row : witness.withLegOn(node)) {
            Leg leg = row.legOn(node);
            if (leg == null || !movedAway.contains(row.id())) {
                continue;
            }
            if (row.active() == leg) {
                witness.forgetMaintenance(row.id()); // back already (its partner failed meanwhile, say)
            } else if (!row.current(leg)) {
                waiting.add(row.name());
            } else {
                handOver(row.id());
                witness.forgetMaintenance(row.id());
                handedBack.add(row.name());
            }
        }
        String nodeName = nodeName(new HostId(node));
        auditLog.record(AuditAction.NODE_MAINTENANCE_ENDED, nodeName, (handedBack.isEmpty() ? "no active role handed back"
                : "active roles handed back: " + String.join(", ", handedBack))
                + (waiting.isEmpty() ? "" : "; still resynchronising: " + String.join(", ", waiting)));
        return new MaintenanceEnd(node, nodeName, handedBack, waiting);
    }

    /** Deletes the mirror and both leg volumes; refused while it is exported. */
    @PreAuthorize(Role.Expressions.OPERATOR)
    public void delete(long id) {
        MirrorRow row = find(id);
        VolumeInfo a = volumes.get(new VolumeId(row.legAVolume()));
        if (a.attachedSubsystem() != null) {
            throw new ConflictException("Mirrored volume " + row.name() + " is exported by subsystem "
                    + a.attachedSubsystem() + ": remove its namespace there first.");
        }
        witness.delete(id);
        deleteLeg(row.legAVolume(), new HostId(row.legANode()));
        deleteLeg(row.legBVolume(), new HostId(row.legBNode()));
        auditLog.record(AuditAction.MIRROR_DELETED, row.name(), null);
    }

    private void requireWitness() {
        if (!dev.windrose.cluster.DedicatedConnections.postgres(environment)) {
            throw new ConflictException("Mirrored volumes need the cluster's PostgreSQL: it is the witness that decides "
                    + "which node is active. This node runs on its embedded database; see the README's cluster section.");
        }
    }

    private PoolInfo legPool(String field, long poolId) {
        PoolInfo pool;
        try {
            pool = pools.get(new PoolId(poolId));
        } catch (NotFoundException e) {
            throw new InvalidInputException(field, "There is no pool with id " + poolId + ".");
        }
        if (pool.type() != PoolType.DIRECTORY) {
            throw new InvalidInputException(field, "Pool " + pool.name() + " is a " + pool.type().name().toLowerCase(
                    java.util.Locale.ROOT) + " pool; mirror legs live in directory pools for now (a new leg there "
                    + "starts as zeroes on both nodes, so no first copy is needed).");
        }
        if (witness.endpoint(pool.hostId().value()).isEmpty()) {
            throw new ConflictException("Node " + nodeName(pool.hostId()) + " has not said where it serves mirror "
                    + "replicas yet (it does so once it runs this version): start or upgrade it, then try again.");
        }
        return pool;
    }

    private long createLeg(NewVolume volume, PoolInfo pool) {
        if (nodes.isLocal(pool.hostId())) {
            return volumes.create(volume).id().value();
        }
        try {
            return nodes.createdId(nodes.carriedOut(pool.hostId(), VolumeService.CREATE_ON_NODE, volume));
        } catch (NodeRequestPendingException late) {
            throw new NodeUnavailableException("Node " + nodeName(pool.hostId()) + " did not create its leg in time, so "
                    + "no mirrored volume was made. It may still create the volume '" + volume.name() + "' in pool "
                    + pool.name() + " when it gets to the request (" + late.getMessage() + "); delete that volume "
                    + "there, then try again.");
        }
    }

    private void deleteLeg(long volume, HostId node) {
        try {
            if (nodes.isLocal(node)) {
                volumes.delete(new VolumeId(volume));
            } else {
                nodes.carriedOut(node, VolumeService.DELETE_ON_NODE, new VolumeId(volume));
            }
        } catch (RuntimeException e) {
            log.warn("Could not delete mirror leg volume {} on node {}: {} (delete it from the Volumes page)", volume,
                    node, e.getMessage());
        }
    }

    private MirrorRow find(long id) {
        return witness.find(id).orElseThrow(() -> new NotFoundException("There is no mirrored volume with id " + id + "."));
    }

    private MirroredVolumeInfo info(MirrorRow row) {
        List<LegInfo> legs = List.of(leg(row, Leg.A), leg(row, Leg.B));
        Double progress = row.observedResyncTotal() == null || !"RESYNCING".equals(row.observedState()) ? null
                : row.observedResyncTotal() == 0 ? 1.0
                : Math.min(1.0, (double) row.observedResyncDone() / row.observedResyncTotal());
        String attached = volumes.get(new VolumeId(row.legAVolume())).attachedSubsystem();
        java.time.Duration left = row.resyncTimeLeft();
        Long secondsLeft = left == null ? null : Math.max(1, left.toSeconds());
        return new MirroredVolumeInfo(row.id(), row.name(), row.sizeBytes(), row.active(), row.generation(), legs,
                row.observedState(), row.observedDirtyBytes(), progress, secondsLeft, row.observedAt(), row.lastFailoverAt(),
                row.lastFailoverMillis(), row.lastFailoverReason(), attached, hostPaths(row.id()),
                witness.recentEvents(row.id(), RECENT_EVENTS));
    }

    /** Per host, the nodes' last reports of its controllers; a node whose heartbeat stopped has no live path. */
    private List<HostPaths> hostPaths(long mirrorId) {
        Map<Long, Optional<HostInfo>> nodes = new HashMap<>();
        Map<String, List<PathInfo>> byHost = new TreeMap<>();
        for (ReportedPath reported : witness.reportedPaths(mirrorId)) {
            Optional<HostInfo> node = nodes.computeIfAbsent(reported.node(), id -> node(new HostId(id)));
            boolean online = node.map(n -> n.state() == HostState.ONLINE).orElse(false);
            byHost.computeIfAbsent(reported.hostNqn(), host -> new ArrayList<>()).add(new PathInfo(
                    node.map(HostInfo::name).orElse("#" + reported.node()), reported.controllers(), reported.anaState(),
                    online, reported.reportedAt()));
        }
        List<HostPaths> hostPaths = new ArrayList<>();
        byHost.forEach((host, paths) -> hostPaths.add(new HostPaths(host,
                paths.stream().filter(PathInfo::nodeOnline).mapToInt(PathInfo::controllers).sum(),
                paths.stream().filter(p -> p.nodeOnline() && "OPTIMIZED".equals(p.anaState()))
                        .mapToInt(PathInfo::controllers).sum(),
                paths)));
        return hostPaths;
    }

    private Optional<HostInfo> node(HostId id) {
        try {
            return Optional.of(hosts.get(id));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private LegInfo leg(MirrorRow row, Leg leg) {
        VolumeInfo volume = volumes.get(new VolumeId(row.volume(leg)));
        return new LegInfo(leg, volume.id().value(), volume.name(), volume.poolId().value(), volume.poolName(),
                volume.hostId().value(), nodeName(volume.hostId()), row.generation(leg), row.current(leg),
                row.active() == leg);
    }

    private String nodeName(HostId node) {
        try {
            return hosts.get(node).name();
        } catch (NotFoundException e) {
            return "#" + node.value();
        }
    }
}
