package dev.windrose.mirror.internal;

import dev.windrose.cluster.ClusterSignalled;
import dev.windrose.cluster.ClusterSignals;
import dev.windrose.cluster.DedicatedConnections;
import dev.windrose.dataplane.AnaState;
import dev.windrose.dataplane.ControllerInfo;
import dev.windrose.dataplane.DataplaneException;
import dev.windrose.dataplane.DataplaneTarget;
import dev.windrose.dataplane.EmbeddedTarget;
import dev.windrose.dataplane.MirrorStatus;
import dev.windrose.inventory.HostService;
import dev.windrose.mirror.Leg;
import dev.windrose.mirror.MirrorIncident;
import dev.windrose.mirror.MirrorProperties;
import dev.windrose.mirror.MirrorTopology;
import dev.windrose.mirror.ReplicationEndpoint;
import dev.windrose.mirror.internal.ExportedNamespaces.Export;
import dev.windrose.security.SystemViewer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * This node's part in its mirrored volumes, every tick (issue 16). The rules, each one a line below:
 * <ul>
 * <li>The active node renews its lease. When its mirror degrades it holds every write (the dataplane does)
 * until it has recorded "partner out of sync" at a new generation in the witness, then lets them go on.</li>
 * <li>It keeps serving while its partner gets every write, whether or not it reaches the witness; once it
 * has lost its partner it serves only until {@code lease - margin} after its last renewal, so that it has
 * stopped before the partner may take over.</li>
 * <li>The passive node takes over only when its own leg is current, the active node's replication
 * connection is gone, and the active node's lease has run out or its database session is gone. It fences the
 * old active node out of its replica first, so nothing the old one still sends can land.</li>
 * <li>The active node copies only the dirty regions to a partner that is back, and records it current
 * again.</li>
 * </ul>
 * Which node hosts may use is ANA: optimized where the node serves, inaccessible elsewhere, set on every tick
 * (setting the same state again changes nothing on the target). Runs on a thread of its own, so no other
 * scheduled work can delay a failover.
 */
@Component
public class MirrorCoordinator implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MirrorCoordinator.class);
    private static final int ENOENT = 2;
    private static final Duration RESYNC_RETRY = Duration.ofSeconds(3);
    private static final int OBSERVE_EVERY_TICKS = 4;
    /** Where a mirror is exported changes only when an admin attaches it or adds a listener: read it this often. */
    private static final int READ_EXPORT_EVERY_TICKS = 8;

    private final MirrorWitness witness;
    private final NodeLiveness liveness;
    private final ExportedNamespaces exports;
    private final EmbeddedTarget embeddedTarget;
    private final HostService hosts;
    private final MirrorProperties properties;
    private final MirrorTopology topology;
    private final ClusterSignals signals;
    private final ApplicationEventPublisher publisher;
    private final Environment environment;
    private final Map<Long, LegState> states = new HashMap<>();
    private List<MirrorRow> lastRows = List.of();
    private volatile boolean running;
    private @Nullable Thread loop;
    private long self = -1;
    private @Nullable String selfName;
    private boolean endpointSaved;
    private long ticks;
    private long lastWarnNanos;

    /** What this node remembers of one mirror between ticks. */
    private static final class LegState {
        long lastRenewNanos;
        long exportReadAtTick = -READ_EXPORT_EVERY_TICKS;
        long partnerGoneSinceNanos;
        boolean serving;
        @Nullable Export export;
        @Nullable Thread resync;
        long nextResyncNanos;
        @Nullable Map<String, Integer> reportedPaths;
        boolean reportedServing;
    }

    MirrorCoordinator(MirrorWitness witness, NodeLiveness liveness, ExportedNamespaces exports,
            EmbeddedTarget embeddedTarget, HostService hosts, MirrorProperties properties, MirrorTopology topology,
            ClusterSignals signals, ApplicationEventPublisher publisher, Environment environment) {
        this.witness = witness;
        this.liveness = liveness;
        this.exports = exports;
        this.embeddedTarget = embeddedTarget;
        this.hosts = hosts;
        this.properties = properties;
        this.topology = topology;
        this.signals = signals;
        this.publisher = publisher;
        this.environment = environment;
    }

    private void run() {
        while (running) {
            try {
                tick();
            } catch (RuntimeException e) {
                warnAtMostEvery30s("Mirror coordination tick failed (the next one retries): " + e);
            }
            try {
                Thread.sleep(properties.tick());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    synchronized void tick() {
        DataplaneTarget target = embeddedTarget.target().orElse(null);
        if (target == null) {
            return;
        }
        if (self < 0) {
            var local = SystemViewer.read(hosts::local);
            self = local.id().value();
            selfName = local.name();
        }
        saveEndpointOnce();
        boolean witnessReached;
        try {
            lastRows = witness.withLegOn(self);
            witnessReached = true;
        } catch (RuntimeException e) {
            witnessReached = false;
        }
        ticks++;
        for (MirrorRow row : lastRows) {
            try {
                coordinate(row, witnessReached, target);
            } catch (RuntimeException e) {
                warnAtMostEvery30s("Mirror " + row.name() + ": coordination failed this tick (the next one retries): " + e);
            }
        }
    }

    /** A database that is away fails every tick, four times a second: say so, not that often. */
    private void warnAtMostEvery30s(String message) {
        long now = System.nanoTime();
        if (lastWarnNanos == 0 || now - lastWarnNanos > Duration.ofSeconds(30).toNanos()) {
            lastWarnNanos = now;
            log.warn(message);
        } else {
            log.debug(message);
        }
    }

    private void saveEndpointOnce() {
        if (endpointSaved) {
            return;
        }
        try {
            ReplicationEndpoint endpoint = topology.localEndpoint();
            witness.saveEndpoint(self, endpoint.address(), endpoint.port());
            endpointSaved = true;
            log.info("This node serves mirror replicas on {}:{}", endpoint.address(), endpoint.port());
        } catch (RuntimeException e) {
            log.debug("Could not save this node's replication endpoint yet: {}", e.toString());
        }
    }

    private void coordinate(MirrorRow row, boolean witnessReached, DataplaneTarget target) {
        Leg mine = row.legOn(self);
        if (mine == null) {
            return;
        }
        LegState state = states.computeIfAbsent(row.id(), id -> new LegState());
        if (witnessReached && (state.export == null || ticks - state.exportReadAtTick >= READ_EXPORT_EVERY_TICKS)) {
            state.export = exports.of(row, self).orElse(null);
            state.exportReadAtTick = ticks;
        }
        Export export = state.export;
        boolean serving = row.active() == mine ? actAsActive(row, mine, witnessReached, target, export, state)
                : actAsPassive(row, mine, witnessReached, target, export, state);
        if (export != null) {
            applyAna(target, export, serving);
        }
        if (export != null && witnessReached && ticks % OBSERVE_EVERY_TICKS == 0) {
            reportPathsWhenChanged(row, target, export, serving, state);
        }
        if (serving && !state.serving && witnessReached && row.active() == mine) {
            // Serving since this tick (a hand-over, a takeover, a start): how long hosts waited since the witness
            // recorded the change (kept when the takeover already measured it from the old node's loss).
            witness.recordPauseSinceChange(row.id());
        }
        state.serving = serving;
    }

    /** Which hosts have controllers on this node's listeners of the mirror's subsystem: written only on a change. */
    private void reportPathsWhenChanged(MirrorRow row, DataplaneTarget target, Export export, boolean serving,
            LegState state) {
        Map<String, Integer> paths = new TreeMap<>();
        for (ControllerInfo controller : target.controllers()) {
            if (!controller.discovery() && controller.subsystemNqn().equals(export.nqn())) {
                paths.merge(controller.hostNqn(), 1, Integer::sum);
            }
        }
        if (paths.equals(state.reportedPaths) && serving == state.reportedServing) {
            return;
        }
        witness.reportPaths(row.id(), self, paths, (serving ? AnaState.OPTIMIZED : AnaState.INACCESSIBLE).name());
        state.reportedPaths = paths;
        state.reportedServing = serving;
    }

    /**
     * A planned hand-over (maintenance, the failover drill): this node, active with both legs current, stops
     * serving (ANA inaccessible), lets what is in flight complete, and records the partner active at a new
     * generation with both legs current; the partner turns its paths optimized at its next tick. No write is
     * lost and none fails: hosts retry what an inaccessible path refuses on the optimized one.
     */
    public synchronized void handOver(long mirrorId, String why) {
        DataplaneTarget target = embeddedTarget.target().orElseThrow(() -> new IllegalStateException(
                "The NVMe/TCP target of this node is not running: nothing to hand over."));
        MirrorRow row = witness.find(mirrorId).orElseThrow(() -> new IllegalStateException("no mirror " + mirrorId));
        Leg mine = row.legOn(self);
        if (mine == null || row.active() != mine) {
            throw new IllegalStateException("This node is not the active one of mirrored volume " + row.name() + ".");
        }
        if (!row.current(mine.other())) {
            throw new IllegalStateException("The other leg of " + row.name() + " is out of sync (it is being "
                    + "resynchronised): handing over now would lose writes. Wait until it is in sync.");
        }
        Export export = exports.of(row, self).orElse(null);
        if (export != null) {
            applyAna(target, export, false);
            sleep(DRAIN);
        }
        if (!witness.handOver(mirrorId, mine, row.generation(), properties.lease(), why)) {
            if (export != null) {
                applyAna(target, export, true);
            }
            throw new IllegalStateException("Mirrored volume " + row.name() + " changed while handing over; try again.");
        }
        states.computeIfAbsent(mirrorId, id -> new LegState()).serving = false;
        event(row, "HANDED_OVER", why);
        log.info("Mirror {}: handed over to the partner at generation {} ({})", row.name(), row.generation() + 1, why);
    }

    /** What a path that turned inaccessible may still have in flight has this long to complete. */
    private static final Duration DRAIN = Duration.ofMillis(100);

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }


    // --- the active leg -------------------------------------------------------------------------------------

    private boolean actAsActive(MirrorRow row, Leg mine, boolean witnessReached, DataplaneTarget target,
            @Nullable Export export, LegState state) {
        Optional<MirrorStatus> status = export == null ? Optional.empty() : status(target, export);
        boolean partnerInSync = status.map(s -> s.state() == MirrorStatus.State.IN_SYNC && !s.holding()).orElse(true);
        if (witnessReached && renewDue(state, partnerInSync)) {
            long asked = System.nanoTime();
            if (witness.renewLease(row.id(), mine, row.generation(), properties.lease())) {
                state.lastRenewNanos = asked;
            } else {
                log.warn("Mirror {}: this node is no longer active at generation {}; it stops serving",
                        row.name(), row.generation());
                return false;
            }
        }
        boolean partnerLost = status.map(s -> s.state() != MirrorStatus.State.IN_SYNC || s.holding()).orElse(false);
        if (partnerLost && row.current(mine.other())) {
            if (!witnessReached) {
                // Neither the write nor its acknowledgement may go on before the witness knows: writes stay held.
                return withinLease(state);
            }
            if (!witness.recordPartnerOutOfSync(row.id(), mine, row.generation())) {
                log.warn("Mirror {}: could not record the partner out of sync at generation {} (changed meanwhile);"
                        + " this node stops serving", row.name(), row.generation());
                return false;
            }
            log.warn("Mirror {}: the partner's leg failed ({}); recorded out of sync at generation {}; writes go on "
                    + "here alone", row.name(), describe(status.get()), row.generation() + 1);
            event(row, "DEGRADED", "The partner's leg failed (" + describe(status.get()) + "); it is out of sync from "
                    + "generation " + (row.generation() + 1) + ".");
            release(target, export);
        } else if (status.map(MirrorStatus::holding).orElse(false) && !row.current(mine.other())) {
            release(target, export); // the witness already says the partner is behind: nothing more to record
        }
        if (witnessReached && !row.current(mine.other()) && export != null) {
            resyncWhenPartnerIsBack(row, mine, target, export, state);
        }
        boolean resyncing = status.map(s -> s.state() == MirrorStatus.State.RESYNCING).orElse(false);
        if (witnessReached && (ticks % OBSERVE_EVERY_TICKS == 0 || resyncing)) {
            status.ifPresent(s -> witness.observe(row.id(), s.state().name(), s.dirtyRegions() * s.regionBytes(),
                    s.resyncDone() * s.regionBytes(), s.resyncTotal() * s.regionBytes()));
        }
        return partnerInSync || withinLease(state);
    }

    /**
     * The lease is renewed a quarter of its length after the last renewal, not on every tick: the partner still
     * sees at least three quarters of it left, and each mirror costs the database one UPDATE every 2 s instead of
     * four a second. A node that has lost its partner renews on every tick, so that it serves as long as it can.
     */
    private boolean renewDue(LegState state, boolean partnerInSync) {
        return !partnerInSync || !state.serving || state.lastRenewNanos == 0
                || System.nanoTime() - state.lastRenewNanos >= properties.lease().toNanos() / 4;
    }

    /** An active node that has lost its partner serves only while its lease surely has not run out. */
    private boolean withinLease(LegState state) {
        long deadline = state.lastRenewNanos + properties.lease().minus(properties.leaseMargin()).toNanos();
        return state.lastRenewNanos != 0 && System.nanoTime() - deadline < 0;
    }

    private void resyncWhenPartnerIsBack(MirrorRow row, Leg mine, DataplaneTarget target, Export export,
            LegState state) {
        if ((state.resync != null && state.resync.isAlive()) || System.nanoTime() - state.nextResyncNanos < 0) {
            return;
        }
        long partner = row.node(mine.other());
        if (!liveness.sessionGone(partner) && witness.endpoint(partner).isPresent()) {
            long generation = row.generation();
            state.nextResyncNanos = System.nanoTime() + RESYNC_RETRY.toNanos();
            state.resync = Thread.ofVirtual().name("mirror-resync-" + row.id())
                    .start(() -> resync(row, mine, target, export, generation));
        }
    }

    private void resync(MirrorRow row, Leg mine, DataplaneTarget target, Export export, long generation) {
        long started = System.nanoTime();
        try {
            long dirty = target.mirrorStatus(export.nqn(), export.nsid()).dirtyRegions();
            target.resyncMirror(export.nqn(), export.nsid());
            MirrorStatus done = target.mirrorStatus(export.nqn(), export.nsid());
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            if (witness.recordPartnerInSync(row.id(), mine, generation)) {
                String detail = "Resynchronised " + done.resyncDone() + " region(s) of " + done.regionBytes()
                        + " bytes (" + (done.resyncDone() * done.regionBytes()) + " bytes; " + dirty
                        + " dirty when it started) in " + millis + " ms; the partner is current again.";
                log.info("Mirror {}: {}", row.name(), detail);
                event(row, "RESYNCED", detail);
                catchUpEverywhere();
            }
        } catch (DataplaneException e) {
            log.info("Mirror {}: resync did not finish ({}); retried in {} s", row.name(), e.getMessage(),
                    RESYNC_RETRY.toSeconds());
        } catch (RuntimeException e) {
            log.warn("Mirror {}: resync failed", row.name(), e);
        }
    }

    // --- the passive leg ------------------------------------------------------------------------------------

    private boolean actAsPassive(MirrorRow row, Leg mine, boolean witnessReached, DataplaneTarget target,
            @Nullable Export export, LegState state) {
        if (!witnessReached || !row.current(mine)) {
            return false; // no takeover without the witness, and never from a leg that misses writes
        }
        long partner = row.node(mine.other());
        String replica = MirrorTopology.replicaNqn(row.id(), mine);
        String partnerNqn = MirrorTopology.nodeNqn(partner);
        if (connected(target, replica, partnerNqn)) {
            state.partnerGoneSinceNanos = 0;
            reconnectOwnMirror(row, target, export, state);
            return false;
        }
        if (state.partnerGoneSinceNanos == 0) {
            state.partnerGoneSinceNanos = System.nanoTime();
        }
        boolean sessionGone = liveness.sessionGone(partner);
        if (!sessionGone && !row.leaseRunOut()) {
            return false;
        }
        String reason = sessionGone ? "the active node's database session ended and its replication connection is gone"
                : "the active node's lease ran out and its replication connection is gone";
        fence(target, replica, partnerNqn);
        if (!witness.takeOver(row.id(), mine, row.generation(), sessionGone, properties.lease(), reason)) {
            unfence(target, replica, partnerNqn);
            return false;
        }
        state.lastRenewNanos = System.nanoTime();
        release(target, export);
        if (export != null) {
            applyAna(target, export, true);
        }
        long millis = Duration.ofNanos(System.nanoTime() - state.partnerGoneSinceNanos).toMillis();
        witness.recordFailoverPause(row.id(), row.generation() + 1, millis);
        log.warn("Mirror {}: this node took over at generation {} ({}); {} ms after the active node's replication "
                + "connection went", row.name(), row.generation() + 1, reason, millis);
        event(row, "FAILOVER", "Took over: " + reason + "; serving " + millis + " ms after the old active node's "
                + "replication connection went.");
        state.partnerGoneSinceNanos = 0;
        catchUpEverywhere();
        return true;
    }

    /**
     * A passive node's own mirror (to the active node's replica) may have lost its connection: the link was cut,
     * or this node started before the partner's replica answered. Nothing writes through it while passive, but a
     * hand-over would make this node active with a degraded mirror, and cost a degrade and a resync there. With
     * no dirty region (nothing of this leg's own to copy: the active leg is the one that counts) the resync call
     * is only a reconnect.
     */
    private void reconnectOwnMirror(MirrorRow row, DataplaneTarget target, @Nullable Export export, LegState state) {
        if (export == null || (state.resync != null && state.resync.isAlive())
                || System.nanoTime() - state.nextResyncNanos < 0) {
            return;
        }
        Optional<MirrorStatus> status = status(target, export);
        if (status.isEmpty() || status.get().state() != MirrorStatus.State.DEGRADED || status.get().dirtyRegions() != 0) {
            return;
        }
        state.nextResyncNanos = System.nanoTime() + RESYNC_RETRY.toNanos();
        state.resync = Thread.ofVirtual().name("mirror-reconnect-" + row.id()).start(() -> {
            try {
                target.resyncMirror(export.nqn(), export.nsid());
                release(target, export);
                log.info("Mirror {}: this passive node's own mirror to the active node is connected again", row.name());
            } catch (DataplaneException e) {
                log.debug("Mirror {}: reconnecting the passive mirror failed ({}); retried in {} s", row.name(),
                        e.getMessage(), RESYNC_RETRY.toSeconds());
            }
        });
    }

    private static boolean connected(DataplaneTarget target, String subsystemNqn, String hostNqn) {
        return target.controllers().stream()
                .anyMatch(c -> c.subsystemNqn().equals(subsystemNqn) && c.hostNqn().equals(hostNqn));
    }

    /** Disallowing a host also disconnects its controllers: nothing the old active node sends lands any more. */
    private static void fence(DataplaneTarget target, String replica, String hostNqn) {
        try {
            target.disallowHost(replica, hostNqn);
        } catch (DataplaneException e) {
            if (e.errno() != ENOENT) {
                throw e;
            }
        }
    }

    private static void unfence(DataplaneTarget target, String replica, String hostNqn) {
        try {
            target.allowHost(replica, hostNqn);
        } catch (DataplaneException e) {
            log.debug("Could not allow {} on {} again (the reconciler repairs it): {}", hostNqn, replica, e.getMessage());
        }
    }

    // --- both -----------------------------------------------------------------------------------------------

    private static Optional<MirrorStatus> status(DataplaneTarget target, Export export) {
        try {
            return Optional.of(target.mirrorStatus(export.nqn(), export.nsid()));
        } catch (DataplaneException e) {
            return Optional.empty(); // not added yet on this node (the reconciler retries)
        }
    }

    private static void release(DataplaneTarget target, @Nullable Export export) {
        if (export == null) {
            return;
        }
        try {
            target.releaseMirror(export.nqn(), export.nsid());
        } catch (DataplaneException e) {
            log.debug("Nothing to release on {} namespace {}: {}", export.nqn(), export.nsid(), e.getMessage());
        }
    }

    private static void applyAna(DataplaneTarget target, Export export, boolean serving) {
        AnaState wanted = serving ? AnaState.OPTIMIZED : AnaState.INACCESSIBLE;
        for (ReplicationEndpoint listener : export.listeners()) {
            try {
                target.setListenerAnaState(export.nqn(), listener.address(), listener.port(), export.anaGroup(), wanted);
            } catch (DataplaneException e) {
                log.debug("Listener {}:{} of {} is not open yet: {}", listener.address(), listener.port(), export.nqn(),
                        e.getMessage());
            }
        }
    }

    /** The fence follows the witness in the reconcilers' desired state: apply it now here and on the partner. */
    private void catchUpEverywhere() {
        publisher.publishEvent(new ClusterSignalled(-1));
        try {
            signals.signalOthers();
        } catch (RuntimeException e) {
            log.debug("Could not signal the other nodes: {}", e.toString());
        }
    }

    private void event(MirrorRow row, String kind, String detail) {
        try {
            witness.event(row.id(), kind, selfName == null ? "?" : selfName, detail);
        } catch (RuntimeException e) {
            log.warn("Mirror {}: could not record the event {} ({})", row.name(), kind, e.toString());
        }
        MirrorIncident.Kind incident = switch (kind) {
            case "DEGRADED" -> MirrorIncident.Kind.LEG_LOST;
            case "FAILOVER" -> MirrorIncident.Kind.FAILOVER;
            case "RESYNCED" -> MirrorIncident.Kind.BACK_IN_SYNC;
            default -> null;
        };
        if (incident != null) {
            try {
                publisher.publishEvent(new MirrorIncident(row.id(), row.name(), incident,
                        "Mirrored volume " + row.name() + " on " + selfName + ": " + detail));
            } catch (RuntimeException e) {
                log.warn("Mirror {}: the console's event for {} failed ({})", row.name(), kind, e.toString());
            }
        }
    }

    private static String describe(MirrorStatus status) {
        return status.lastError() < 0 ? "errno " + (-status.lastError())
                : status.lastError() > 0 ? "NVMe status 0x" + Integer.toHexString(status.lastError()) : "no error code";
    }

    private boolean postgres() {
        return DedicatedConnections.postgres(environment);
    }

    /** Nothing before the application is ready: this node's host record exists only then. */
    @Override
    public void start() {
    }

    @EventListener(ApplicationReadyEvent.class)
    synchronized void startWhenReady() {
        if (postgres() && !running) {
            running = true;
            loop = Thread.ofPlatform().daemon().name("windrose-mirror").start(this::run);
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
