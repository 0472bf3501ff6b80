package dev.windrose.fabric.internal;

import dev.windrose.cluster.ClusterService;
import dev.windrose.common.SecretBox;
import dev.windrose.cluster.ClusterSignalled;
import dev.windrose.cluster.ClusterSignals;
import dev.windrose.dataplane.EmbeddedTarget;
import dev.windrose.dataplane.AnaState;
import dev.windrose.dataplane.BlockDeviceKind;
import dev.windrose.inventory.HostService;
import dev.windrose.mirror.MirrorTopology;
import dev.windrose.mirror.MirrorTopology.LocalLeg;
import java.util.Map;
import dev.windrose.security.SystemViewer;
import dev.windrose.storage.VolumeInfo;
import dev.windrose.storage.VolumeService;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.data.domain.PageRequest;
import dev.windrose.fabric.FabricChanged;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs the {@link Reconciler} against the embedded target: when the application is ready (a restart
 * serves the same subsystems), after every committed change, and periodically to retry failures. Each
 * pass reads the desired state in one transaction, calls the dataplane outside any transaction, and
 * writes back only the observations that changed.
 *
 * <p>Each node applies only its slice (issue 15): the subsystems that have a listener on this node or a
 * namespace whose volume lives here (and those with neither, which cost nothing), with only this
 * node's listeners and the namespaces of its own volumes. A node that is not (yet) a member applies
 * nothing.
 */
@Component
public class FabricReconciliation {

    private static final Logger log = LoggerFactory.getLogger(FabricReconciliation.class);

    private final Reconciler reconciler = new Reconciler();
    private final EmbeddedTarget embeddedTarget;
    private final SubsystemRepository subsystems;
    private final NamespaceRepository namespaces;
    private final ListenerRepository listeners;
    private final AllowedHostRepository hosts;
    private final TransactionTemplate newTransaction;
    private final Clock clock;
    private final ClusterService cluster;
    private final HostService nodes;
    private final VolumeService volumes;
    private final ClusterSignals signals;
    private final SubsystemNodeStates nodeStates;
    private final MirrorTopology mirrors;
    private final SecretBox secrets;

    /** More volumes than any one node of a small shop has; the slice is read in one page. */
    private static final int MAX_LOCAL_VOLUMES = 100_000;

    FabricReconciliation(EmbeddedTarget embeddedTarget, SubsystemRepository subsystems, NamespaceRepository namespaces,
            ListenerRepository listeners, AllowedHostRepository hosts, PlatformTransactionManager transactions,
            Clock clock, ClusterService cluster, HostService nodes, VolumeService volumes, ClusterSignals signals,
            SubsystemNodeStates nodeStates, MirrorTopology mirrors, SecretBox secrets) {
        this.mirrors = mirrors;
        this.secrets = secrets;
        this.signals = signals;
        this.nodeStates = nodeStates;
        this.cluster = cluster;
        this.nodes = nodes;
        this.volumes = volumes;
        this.embeddedTarget = embeddedTarget;
        this.subsystems = subsystems;
        this.namespaces = namespaces;
        this.listeners = listeners;
        this.hosts = hosts;
        this.newTransaction = new TransactionTemplate(transactions);
        // After-commit listeners still see the finished transaction: a pass must open its own.
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStartup() {
        reconcileSafely("start-up");
        sayWhatThisNodeServes();
    }

    /** A node that (re)starts says what it took up from the database, so its return is visible in its log. */
    private void sayWhatThisNodeServes() {
        try {
            List<Desired.Subsystem> slice = newTransaction.execute(status -> readDesired());
            List<Desired.Subsystem> served = slice == null ? List.of() : slice;
            log.info("This node reconciled its slice from the database: {} subsystem(s), {} listener(s), {} namespace(s)",
                    served.size(), served.stream().mapToInt(s -> s.listeners().size()).sum(),
                    served.stream().mapToInt(s -> s.namespaces().size()).sum());
        } catch (RuntimeException e) {
            log.warn("Could not read this node's slice at start-up: {}", e.toString());
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    void afterChange(FabricChanged change) {
        reconcileSafely("change of subsystem " + change.subsystem());
        tellOtherNodes(change);
    }

    /** Another node changed the fabric (or asked this one to): catch up now rather than at the next pass. */
    @EventListener
    void signalled(ClusterSignalled signal) {
        reconcileSafely("signal from the cluster");
    }

    /** The other nodes apply their slices of the change within one poll of their signal. */
    private void tellOtherNodes(FabricChanged change) {
        try {
            signals.signalOthers();
        } catch (RuntimeException e) {
            log.warn("Could not signal the other nodes about subsystem {} (they catch up at their next pass): {}",
                    change.subsystem(), e.toString());
        }
    }

    @Scheduled(fixedDelayString = "${windrose.fabric.reconcile-interval:PT30S}",
            initialDelayString = "${windrose.fabric.reconcile-interval:PT30S}")
    void periodically() {
        reconcileSafely("periodic pass");
    }

    /** One pass; synchronized because the reconciler remembers what it applied. */
    public synchronized List<Observation> reconcile() {
        List<Desired.Subsystem> desired = newTransaction.execute(status -> readDesired());
        List<Desired.Subsystem> slice = desired == null ? List.of() : desired;
        List<Observation> seen = reconciler.reconcile(slice, embeddedTarget.target().orElse(null));
        newTransaction.executeWithoutResult(status -> {
            record(seen);
            forgetSubsystemsNotServed(slice);
        });
        return seen;
    }

    private void reconcileSafely(String why) {
        try {
            List<Observation> seen = reconcile();
            long failed = seen.stream().filter(o -> o.state() == dev.windrose.fabric.ObservedState.FAILED).count();
            if (failed > 0) {
                log.warn("Fabric reconciliation ({}): {} of {} objects failed; the first: {}", why, failed, seen.size(),
                        seen.stream().filter(o -> o.state() == dev.windrose.fabric.ObservedState.FAILED).findFirst()
                                .map(o -> o.kind() + " " + o.id() + ": " + o.error()).orElse(""));
            }
        } catch (RuntimeException e) {
            // A pass must never break the request or the scheduler that triggered it; the next one retries.
            log.error("Fabric reconciliation ({}) failed", why, e);
        }
    }

    private List<Desired.Subsystem> readDesired() {
        if (!cluster.localIsMember()) {
            return List.of();
        }
        Slice slice = localSlice();
        List<Desired.Subsystem> exported = subsystems.findAllByOrderByNqn().stream()
                .map(subsystem -> desired(subsystem, slice)).flatMap(Optional::stream).toList();
        return java.util.stream.Stream.concat(exported.stream(), slice.mirrorLegs().stream().map(this::replica)).toList();
    }

    /** What lives on this node: its host id, the ids of its volumes and its legs of mirrored volumes. */
    private record Slice(long node, Set<Long> volumes, List<LocalLeg> mirrorLegs) {

        Optional<LocalLeg> mirrorLegOf(long volumeId) {
            return mirrorLegs.stream().filter(leg -> leg.holdsVolume(volumeId)).findFirst();
        }

        boolean serves(NamespaceEntity namespace) {
            return volumes.contains(namespace.volumeId()) || mirrorLegOf(namespace.volumeId()).isPresent();
        }
    }

    private Slice localSlice() {
        var local = nodes.local().id();
        Set<Long> localVolumes = SystemViewer.read(() -> volumes.list(null, local, null,
                PageRequest.of(0, MAX_LOCAL_VOLUMES)).getContent().stream().map(VolumeInfo::id)
                .map(dev.windrose.storage.VolumeId::value).collect(Collectors.toSet()));
        return new Slice(local.value(), localVolumes, mirrors.localLegs());
    }

    /**
     * The subsystem a leg of a mirrored volume is served to the partner by (issue 16): namespace 1 is the leg,
     * one listener on this node's replication endpoint, and the partner's node NQN as the only host, while the
     * partner's own leg is current. Its objects have negative ids: they are not in the console's tables.
     */
    private Desired.Subsystem replica(LocalLeg leg) {
        long id = -(leg.mirrorId() * 2 + leg.leg().ordinal() + 1);
        java.util.UUID identity = java.util.UUID.nameUUIDFromBytes(leg.replicaNqn().getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        var endpoint = mirrors.localEndpoint();
        return new Desired.Subsystem(id, leg.replicaNqn(), "WR-REPLICA-" + leg.mirrorId(), "Windrose mirror replica",
                false,
                List.of(new Desired.Namespace(id, 1, BlockDeviceKind.FILE, leg.localPath(), leg.sizeBytes(),
                        identity.toString().replace("-", ""), identity.toString(), 0)),
                List.of(new Desired.Listener(id, endpoint.address(), endpoint.port())),
                leg.partnerCurrent() ? List.of(new Desired.Host(id, leg.partnerNodeNqn())) : List.of());
    }

    private Optional<Desired.Subsystem> desired(SubsystemEntity subsystem, Slice slice) {
        long id = subsystem.id();
        List<NamespaceEntity> allNamespaces = namespaces.findBySubsystemIdOrderByNsid(id);
        List<ListenerEntity> allListeners = listeners.findBySubsystemIdOrderByAddressAscPortAsc(id);
        List<NamespaceEntity> ours = allNamespaces.stream().filter(slice::serves).toList();
        List<ListenerEntity> ourListeners = allListeners.stream().filter(l -> l.hostId() == slice.node()).toList();
        boolean nowhere = allNamespaces.isEmpty() && allListeners.isEmpty();
        if (ours.isEmpty() && ourListeners.isEmpty() && !nowhere) {
            return Optional.empty();
        }
        List<Desired.Namespace> served = ours.stream().map(ns -> desiredNamespace(ns, slice))
                .flatMap(Optional::stream).toList();
        Map<Integer, AnaState> anaStates = served.stream().filter(ns -> ns.remote() != null)
                .collect(Collectors.toMap(Desired.Namespace::anaGroup, ns -> AnaState.INACCESSIBLE, (a, b) -> a));
        return Optional.of(new Desired.Subsystem(id, subsystem.nqn(), subsystem.serial(), subsystem.model(),
                subsystem.allowAnyHost(), served,
                ourListeners.stream().map(l -> new Desired.Listener(l.id(), l.address(), l.port())).toList(),
                hosts.findBySubsystemIdOrderByHostNqn(id).stream().map(this::desiredHost).toList(),
                anaStates, subsystem.dhchapHashes(), subsystem.dhchapDhGroups()));
    }

    /**
     * An allowed host with its DH-HMAC-CHAP secrets opened (issue 17): the previous host secret only while its
     * grace period lasts, so a pass after it ends drops it even before {@code DhchapService} clears the column.
     * A secret sealed with another key (this node's {@code secret.key} differs) refuses the host.
     */
    Desired.Host desiredHost(AllowedHostEntity host) {
        return desiredHost(host, secrets, clock.instant());
    }

    static Desired.Host desiredHost(AllowedHostEntity host, SecretBox secrets, java.time.Instant now) {
        String sealed = host.dhchapSecret();
        if (sealed == null) {
            return new Desired.Host(host.id(), host.hostNqn());
        }
        try {
            String previous = host.previousAcceptedAt(now) && host.dhchapPreviousSecret() != null
                    ? secrets.open(host.hostSecretPurpose(), host.dhchapPreviousSecret()) : null;
            String ctrl = host.dhchapCtrlSecret() == null ? null
                    : secrets.open(host.ctrlSecretPurpose(), host.dhchapCtrlSecret());
            return new Desired.Host(host.id(), host.hostNqn(), new Desired.Dhchap(
                    secrets.open(host.hostSecretPurpose(), sealed), previous, ctrl), null);
        } catch (SecretBox.UnreadableSecretException e) {
            return new Desired.Host(host.id(), host.hostNqn(), null, "Refused: its DH-HMAC-CHAP secret cannot be "
                    + "read on this node (" + e.getMessage() + "). Set the secret again, or give this node the "
                    + "cluster's " + SecretBox.KEY_FILE_NAME + ".");
        }
    }

    /**
     * A plain namespace as attached; a mirrored volume's namespace from this node's own leg, mirrored to the
     * partner's replica, with the identity (NSID, NGUID, UUID) both nodes share. Not served until the partner
     * has said where its replicas are.
     */
    private static Optional<Desired.Namespace> desiredNamespace(NamespaceEntity ns, Slice slice) {
        Optional<LocalLeg> leg = slice.mirrorLegOf(ns.volumeId());
        if (leg.isEmpty()) {
            return Optional.of(new Desired.Namespace(ns.id(), ns.nsid(), ns.backingKind(), ns.backingPath(),
                    ns.sizeBytes(), ns.nguid(), ns.uuid(), ns.backingOffset() == null ? 0 : ns.backingOffset()));
        }
        if (leg.get().remote() == null) {
            log.warn("Mirrored volume {} is not served here yet: its partner node has not said where it serves replicas",
                    leg.get().name());
            return Optional.empty();
        }
        return Optional.of(new Desired.Namespace(ns.id(), ns.nsid(), BlockDeviceKind.FILE, leg.get().localPath(),
                leg.get().sizeBytes(), ns.nguid(), ns.uuid(), 0, ns.anaGroup(), leg.get().remote()));
    }

    private void record(List<Observation> seen) {
        for (Observation observation : seen) {
            if (observation.id() < 0) {
                // A mirror's replica subsystem: not a console object; its failures go to the log.
                if (observation.state() == dev.windrose.fabric.ObservedState.FAILED) {
                    log.warn("Mirror replica ({} {}): {}", observation.kind(), observation.id(), observation.error());
                }
                continue;
            }
            if (observation.kind() == Observation.Kind.DRIFT) {
                log.warn("Fabric drift repaired on subsystem {}: {}", observation.id(), observation.error());
                subsystems.findById(observation.id())
                        .ifPresent(subsystem -> subsystem.noteDrift(String.valueOf(observation.error()), clock.instant()));
                continue;
            }
            entity(observation).ifPresent(entity -> entity.observe(observation.state(), observation.error(),
                    clock.instant()));
            if (observation.kind() == Observation.Kind.SUBSYSTEM && subsystems.existsById(observation.id())) {
                nodeStates.record(observation.id(), nodes.local().id().value(), observation.state(),
                        observation.error(), clock.instant());
            }
        }
    }

    /** This node's word on a subsystem it no longer serves any part of would be stale. */
    private void forgetSubsystemsNotServed(List<Desired.Subsystem> slice) {
        if (cluster.localIsMember()) {
            nodeStates.forget(nodes.local().id().value(), slice.stream().map(Desired.Subsystem::id).toList());
        }
    }

    /** Empty when the object was deleted while the pass ran. */
    private Optional<? extends ReconciledEntity> entity(Observation observation) {
        JpaRepository<? extends ReconciledEntity, Long> repository = switch (observation.kind()) {
            case SUBSYSTEM -> subsystems;
            case NAMESPACE -> namespaces;
            case LISTENER -> listeners;
            case HOST -> hosts;
            case DRIFT -> throw new IllegalArgumentException("a drift note belongs to its subsystem");
        };
        return repository.findById(observation.id());
    }
}
