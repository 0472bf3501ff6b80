package dev.windrose.fabric;

import dev.windrose.cluster.NodeRequests;
import dev.windrose.inventory.HostId;
import org.springframework.beans.factory.ObjectProvider;

import dev.windrose.fabric.internal.SubsystemNodeStates;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostState;
import dev.windrose.storage.VolumeId;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.data.domain.PageRequest;

import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.dataplane.AnaState;
import dev.windrose.dataplane.BlockDeviceKind;
import dev.windrose.dataplane.ControllerInfo;
import dev.windrose.dataplane.DataplaneException;
import dev.windrose.dataplane.EmbeddedTarget;
import dev.windrose.dataplane.NamespaceSpec;
import dev.windrose.fabric.SubsystemInfo.AllowedHost;
import dev.windrose.fabric.SubsystemInfo.ListenerInfo;
import dev.windrose.fabric.SubsystemInfo.NamespaceInfo;
import dev.windrose.fabric.internal.AllowedHostEntity;
import dev.windrose.fabric.internal.AllowedHostRepository;
import dev.windrose.fabric.internal.ListenerEntity;
import dev.windrose.fabric.internal.ListenerRepository;
import dev.windrose.fabric.internal.NamespaceEntity;
import dev.windrose.fabric.internal.NamespaceRepository;
import dev.windrose.fabric.internal.SubsystemEntity;
import dev.windrose.fabric.internal.SubsystemRepository;
import dev.windrose.inventory.DiskId;
import dev.windrose.inventory.DiskInfo;
import dev.windrose.inventory.DiskService;
import dev.windrose.inventory.HostService;
import dev.windrose.mirror.MirrorTopology;
import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditLog;
import dev.windrose.security.Role;
import dev.windrose.storage.VolumeId;
import dev.windrose.storage.VolumeInfo;
import dev.windrose.storage.VolumeService;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Subsystems, namespaces, listeners and allowed hosts as desired state. Every change is validated,
 * audited and announced with {@link FabricChanged}; the reconciler applies it to the dataplane after
 * the commit and records per object whether it is applied, pending or failed (and why).
 */
@Service
public class FabricService {

    public static final String DEFAULT_MODEL = "Windrose";
    public static final int MAX_SERIAL = 20;
    public static final int MAX_MODEL = 40;
    /**
     * ANA as the target serves it today: every namespace is added in ANA group 1 (the reconciler passes
     * group 0, which the dataplane takes as 1) and no listener's ANA state is ever set, so each listener
     * reports its group optimized (the dataplane's default). When ANA becomes part of the desired state,
     * these values come from there instead.
     */
    public static final int ANA_GROUP = 1;
    public static final AnaState LISTENER_ANA_STATE = AnaState.OPTIMIZED;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SubsystemRepository subsystems;
    private final NamespaceRepository namespaces;
    private final ListenerRepository listeners;
    private final AllowedHostRepository hosts;
    private final VolumeService volumes;
    private final HostService inventoryHosts;
    private final DiskService disks;
    private final EmbeddedTarget embeddedTarget;
    private final AuditLog auditLog;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    /** Ports below this are privileged on Linux (system services). */
    static final int PRIVILEGED_PORTS = 1024;
    private final boolean allowPrivilegedPorts;
    private final SubsystemNodeStates nodeStates;
    private final NodeRequests nodeRequests;
    /** Calls through the proxy, so that the local path gets its transaction. */
    private final ObjectProvider<FabricService> self;
    /** More nodes than a small shop's cluster has; their states are read in one page. */
    private static final int MAX_NODES = 500;
    private final MirrorTopology mirrors;
    /** ANA groups 2..16 are for mirrored volumes: each fails over on its own (the dataplane has 16 groups). */
    static final int FIRST_MIRROR_ANA_GROUP = 2;
    static final int LAST_ANA_GROUP = 16;

    FabricService(SubsystemRepository subsystems, NamespaceRepository namespaces, ListenerRepository listeners,
            AllowedHostRepository hosts, VolumeService volumes, HostService inventoryHosts, DiskService disks,
            EmbeddedTarget embeddedTarget,
            AuditLog auditLog, ApplicationEventPublisher events, Clock clock,
            @Value("${windrose.fabric.allow-privileged-ports:false}") boolean allowPrivilegedPorts,
            SubsystemNodeStates nodeStates, NodeRequests nodeRequests, ObjectProvider<FabricService> self,
            MirrorTopology mirrors) {
        this.mirrors = mirrors;
        this.nodeStates = nodeStates;
        this.nodeRequests = nodeRequests;
        this.self = self;
        this.allowPrivilegedPorts = allowPrivilegedPorts;
        this.subsystems = subsystems;
        this.namespaces = namespaces;
        this.listeners = listeners;
        this.hosts = hosts;
        this.volumes = volumes;
        this.inventoryHosts = inventoryHosts;
        this.disks = disks;
        this.embeddedTarget = embeddedTarget;
        this.auditLog = auditLog;
        this.events = events;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public List<SubsystemInfo> list() {
        Map<Long, HostInfo> nodes = nodesById(); // read once for the whole list, not once per subsystem
        return subsystems.findAllByOrderByNqn().stream().map(subsystem -> toInfo(subsystem, nodes)).toList();
    }

    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public SubsystemInfo get(SubsystemId id) {
        return toInfo(find(id));
    }

    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public SubsystemInfo create(NewSubsystem request) {
        String nqn = Nqn.validate("nqn", request.nqn());
        String serial = request.serial() == null || request.serial().isBlank() ? generatedSerial()
                : printable("serial", request.serial().strip(), MAX_SERIAL);
        String model = request.model() == null || request.model().isBlank() ? DEFAULT_MODEL
                : printable("model", request.model().strip(), MAX_MODEL);
        if (subsystems.existsByNqn(nqn)) {
            throw new ConflictException("The NQN " + nqn + " is already used by another subsystem.");
        }
        SubsystemEntity subsystem = subsystems.saveAndFlush(new SubsystemEntity(nqn, serial, model,
                request.allowAnyHost(), clock.instant()));
        auditLog.record(AuditAction.SUBSYSTEM_CREATED, nqn, "serial " + serial + ", model " + model
                + (request.allowAnyHost() ? ", any host may connect" : ", allowed hosts only"));
        changed(subsystem);
        return toInfo(subsystem);
    }

    /** Whether any host may connect, or only the allowed ones. */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public SubsystemInfo setAllowAnyHost(SubsystemId id, boolean allowAnyHost) {
        SubsystemEntity subsystem = find(id);
        if (subsystem.allowAnyHost() != allowAnyHost) {
            subsystem.allowAnyHost(allowAnyHost);
            subsystem.observe(ObservedState.PENDING, null, clock.instant());
            auditLog.record(AuditAction.SUBSYSTEM_CHANGED, subsystem.nqn(),
                    allowAnyHost ? "any host may connect" : "allowed hosts only");
            changed(subsystem);
        }
        return toInfo(subsystem);
    }

    /** Deletes the subsystem with its namespaces (their volumes become free), listeners and allowed hosts. */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public void delete(SubsystemId id) {
        SubsystemEntity subsystem = find(id);
        long key = subsystem.id();
        for (NamespaceEntity namespace : namespaces.findBySubsystemIdOrderByNsid(key)) {
            detachVolumes(namespace);
            namespaces.delete(namespace);
        }
        listeners.deleteAll(listeners.findBySubsystemIdOrderByAddressAscPortAsc(key));
        hosts.deleteAll(hosts.findBySubsystemIdOrderByHostNqn(key));
        subsystems.delete(subsystem);
        auditLog.record(AuditAction.SUBSYSTEM_DELETED, subsystem.nqn(), null);
        changed(subsystem);
    }

    /**
     * Attaches a volume as a namespace. nsid null takes the lowest free one. Directory volumes are served
     * from their file, memory volumes from RAM, disk-pool volumes from their extent of the disk.
     */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public SubsystemInfo addNamespace(SubsystemId id, VolumeId volumeId, @Nullable Integer nsid) {
        SubsystemEntity subsystem = find(id);
        int chosen = nsid == null ? lowestFreeNsid(subsystem) : validNsid(nsid);
        if (namespaces.findBySubsystemIdAndNsid(subsystem.id(), chosen).isPresent()) {
            throw new ConflictException("NSID " + chosen + " is already used in subsystem " + subsystem.nqn() + ".");
        }
        VolumeInfo volume = volume(volumeId);
        if (namespaces.findByVolumeId(volumeId.value()).isPresent() || volume.attachedSubsystem() != null) {
            throw new ConflictException("Volume " + volume.name() + " is already attached to subsystem "
                    + volume.attachedSubsystem() + ".");
        }
        Backing backing = backing(volume);
        var mirror = mirrors.mirrorOfVolume(volumeId.value());
        volumes.markAttached(volumeId, subsystem.nqn());
        NamespaceEntity namespace = new NamespaceEntity(subsystem.id(), chosen, volumeId.value(), volume.name(),
                backing.kind(), backing.path(), backing.offset(), volume.sizeBytes(), randomNguid(),
                UUID.randomUUID().toString());
        if (mirror.isPresent()) {
            // Both legs are one volume to hosts: the other leg is taken too, and the namespace fails over alone.
            long otherLeg = mirror.get().legAVolume() == volumeId.value() ? mirror.get().legBVolume()
                    : mirror.get().legAVolume();
            volumes.markAttached(new VolumeId(otherLeg), subsystem.nqn());
            namespace.useAnaGroup(freeMirrorAnaGroup(subsystem));
        }
        namespaces.saveAndFlush(namespace);
        auditLog.record(AuditAction.NAMESPACE_ADDED, subsystem.nqn(), "NSID " + chosen + ": volume " + volume.name()
                + mirror.map(m -> " (mirrored volume " + m.name() + ", ANA group " + namespace.anaGroup() + ")").orElse(""));
        changed(subsystem);
        return toInfo(subsystem);
    }

    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public SubsystemInfo removeNamespace(SubsystemId id, int nsid) {
        SubsystemEntity subsystem = find(id);
        NamespaceEntity namespace = namespaces.findBySubsystemIdAndNsid(subsystem.id(), nsid)
                .orElseThrow(() -> new NotFoundException("Subsystem " + subsystem.nqn() + " has no namespace " + nsid + "."));
        detachVolumes(namespace);
        namespaces.delete(namespace);
        auditLog.record(AuditAction.NAMESPACE_REMOVED, subsystem.nqn(), "NSID " + nsid + ": volume " + namespace.volumeName());
        changed(subsystem);
        return toInfo(subsystem);
    }

    /** Node request kind (issue 15): another node's console asks the address's node to listen there. */
    public static final String ADD_LISTENER_ON_NODE = "listener.add";

    /** A listener for the node that owns its address. */
    public record NewListener(SubsystemId subsystem, @Nullable String transport, String address, int port) {
    }

    /**
     * A TCP listener on the given node's address: this node adds it itself, another node is asked to (it
     * checks its own port). Not transactional: asking another node waits for its answer. Throws what
     * {@link #addListener} throws, and NodeRequestPendingException when the node has not answered in time.
     */
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.NEVER)
    @PreAuthorize(Role.Expressions.OPERATOR)
    public SubsystemInfo addListenerOn(HostId node, SubsystemId id, String address, int port) {
        if (nodeRequests.isLocal(node)) {
            return self.getObject().addListener(id, "tcp", address, port);
        }
        nodeRequests.carriedOut(node, ADD_LISTENER_ON_NODE, new NewListener(id, "tcp", address, port));
        return self.getObject().get(id);
    }

    /** A TCP listener on this host; address is an IPv4 or IPv6 literal. */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public SubsystemInfo addListener(SubsystemId id, @Nullable String transport, String address, int port) {
        SubsystemEntity subsystem = find(id);
        if (transport != null && !transport.equalsIgnoreCase("tcp")) {
            throw new InvalidInputException("transport", "Only the tcp transport is supported, not '" + transport + "'.");
        }
        ListenerAddress endpoint = ListenerAddress.parse(address, port);
        // The target runs in the console's process, often root: an operator must not make it take a
        // system service's port (22, 80, 443...) unless the administrator allowed that.
        if (port < PRIVILEGED_PORTS && !allowPrivilegedPorts) {
            throw new InvalidInputException("port", "Ports below " + PRIVILEGED_PORTS + " are reserved for system "
                    + "services; choose " + PRIVILEGED_PORTS + " or above (4420 is the NVMe/TCP port). An administrator "
                    + "can allow them with windrose.fabric.allow-privileged-ports=true.");
        }
        long host = inventoryHosts.local().id().value();
        if (listeners.existsBySubsystemIdAndHostIdAndAddressAndPort(subsystem.id(), host, endpoint.address(), port)) {
            throw new ConflictException("Subsystem " + subsystem.nqn() + " already listens on " + endpoint + ".");
        }
        if (!listeners.existsByHostIdAndAddressAndPort(host, endpoint.address(), port) && !ourDiscoveryPort(endpoint)
                && heldByAnotherProgram(endpoint)) {
            throw new ConflictException("Port " + port + " on " + endpoint.address() + " is in use by another program; "
                    + "choose another port (4420 is the NVMe/TCP default, any free one works).");
        }
        listeners.saveAndFlush(new ListenerEntity(subsystem.id(), host, endpoint.family(), endpoint.address(), port));
        auditLog.record(AuditAction.LISTENER_ADDED, subsystem.nqn(), "tcp " + endpoint);
        changed(subsystem);
        return toInfo(subsystem);
    }

    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public SubsystemInfo removeListener(SubsystemId id, long listenerId) {
        SubsystemEntity subsystem = find(id);
        ListenerEntity listener = listeners.findById(listenerId).filter(l -> l.subsystemId() == subsystem.id())
                .orElseThrow(() -> new NotFoundException("Subsystem " + subsystem.nqn() + " has no listener " + listenerId + "."));
        listeners.delete(listener);
        auditLog.record(AuditAction.LISTENER_REMOVED, subsystem.nqn(),
                "tcp " + ListenerAddress.parse(listener.address(), listener.port()));
        changed(subsystem);
        return toInfo(subsystem);
    }

    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public SubsystemInfo allowHost(SubsystemId id, String hostNqn) {
        SubsystemEntity subsystem = find(id);
        String host = Nqn.validate("hostNqn", hostNqn);
        if (hosts.existsBySubsystemIdAndHostNqn(subsystem.id(), host)) {
            throw new ConflictException("Host " + host + " is already allowed on subsystem " + subsystem.nqn() + ".");
        }
        hosts.saveAndFlush(new AllowedHostEntity(subsystem.id(), host));
        auditLog.record(AuditAction.HOST_ALLOWED, subsystem.nqn(), host);
        changed(subsystem);
        return toInfo(subsystem);
    }

    private boolean ourDiscoveryPort(ListenerAddress endpoint) {
        EmbeddedTarget.Status status = embeddedTarget.status();
        return status.running() && status.listenPort() == endpoint.port()
                && endpoint.address().equals(status.listenAddress());
    }

    /**
     * Tries to bind the address and port for a moment. Only "already in use" counts: an address that is
     * not on this host is the reconciler's to report (the listener then fails with the reason).
     */
    private static boolean heldByAnotherProgram(ListenerAddress endpoint) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(endpoint.address()), endpoint.port()));
            return false;
        } catch (BindException e) {
            return String.valueOf(e.getMessage()).contains("in use");
        } catch (IOException e) {
            return false;
        }
    }

    /** The host's connections to this subsystem are closed, and it cannot connect again (unless any host may). */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public SubsystemInfo disallowHost(SubsystemId id, long allowedHostId) {
        SubsystemEntity subsystem = find(id);
        AllowedHostEntity host = hosts.findById(allowedHostId).filter(h -> h.subsystemId() == subsystem.id())
                .orElseThrow(() -> new NotFoundException("Subsystem " + subsystem.nqn() + " has no allowed host "
                        + allowedHostId + "."));
        hosts.delete(host);
        auditLog.record(AuditAction.HOST_DISALLOWED, subsystem.nqn(), host.hostNqn());
        changed(subsystem);
        return toInfo(subsystem);
    }

    /** The live controllers of the subsystem on this node's target; empty while the target is not running. */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public List<ConnectionInfo> connections(SubsystemId id) {
        String nqn = find(id).nqn();
        return embeddedTarget.target().map(target -> {
            try {
                return target.controllers();
            } catch (DataplaneException e) {
                // The target stopped between the check and the call: nobody is connected to it any more.
                return List.<ControllerInfo>of();
            }
        }).orElse(List.of()).stream()
                .filter(controller -> !controller.discovery() && controller.subsystemNqn().equals(nqn))
                .sorted(Comparator.comparing(ControllerInfo::connectedAt))
                .map(c -> new ConnectionInfo(c.hostNqn(), c.peerAddress(), c.controllerId(), c.ioQueues(),
                        c.keepAliveMillis(), c.connectedAt()))
                .toList();
    }

    /**
     * The commands the Connect panel shows for this subsystem: its first listener, the discovery listener
     * of this node's target, wildcard addresses replaced by one of this host's addresses.
     *
     * @param hostNqn the host NQN to connect as; null for the initiator's own ({@link ConnectCommands#LINUX_HOSTNQN})
     */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public ConnectCommands connectCommands(SubsystemId id, @Nullable String hostNqn) {
        return connectCommands(id, hostNqn, ShownSecrets.NONE);
    }

    /**
     * As {@link #connectCommands(SubsystemId, String)}, with the DH-HMAC-CHAP secrets that were just shown to
     * the user (issue 17): a host with secrets gets them in its connect command only when they are given
     * here, a placeholder telling the user to paste theirs otherwise.
     */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public ConnectCommands connectCommands(SubsystemId id, @Nullable String hostNqn, ShownSecrets shown) {
        EmbeddedTarget.Status status = embeddedTarget.status();
        return new ConnectCommandGenerator(toInfo(find(id)), status.running() ? status.listenAddress() : null,
                status.listenPort(), inventoryHosts.local().addresses()).commands(hostNqn, shown);
    }

    private void changed(SubsystemEntity subsystem) {
        events.publishEvent(new FabricChanged(new SubsystemId(subsystem.id())));
    }

    private SubsystemEntity find(SubsystemId id) {
        return subsystems.findById(id.value())
                .orElseThrow(() -> new NotFoundException("There is no subsystem with id " + id + "."));
    }

    private VolumeInfo volume(VolumeId id) {
        try {
            return volumes.get(id);
        } catch (NotFoundException e) {
            throw new InvalidInputException("volumeId", "There is no volume with id " + id + ".");
        }
    }

    /** What the dataplane serves a volume from; offset only for an extent of a disk. */
    private record Backing(BlockDeviceKind kind, @Nullable String path, @Nullable Long offset) {
    }

    private Backing backing(VolumeInfo volume) {
        return switch (volume.poolType()) {
            case DIRECTORY -> new Backing(BlockDeviceKind.FILE, volume.backingPath(), null);
            case MEMORY -> new Backing(BlockDeviceKind.RAM, null, null);
            case DISK -> diskExtent(volume);
        };
    }

    /**
     * A disk-pool volume is served straight from its bytes on the disk. The allocator gives one extent
     * whenever one gap fits; a volume it had to split over several gaps cannot be served yet.
     */
    private Backing diskExtent(VolumeInfo volume) {
        if (volume.extents().size() != 1) {
            throw new InvalidInputException("volumeId", "Volume " + volume.name() + " is split over "
                    + volume.extents().size() + " extents of its pool's disks; only a volume in one extent can be "
                    + "exported yet. Make room for it in one piece, or use a directory pool.");
        }
        VolumeInfo.Extent extent = volume.extents().getFirst();
        DiskInfo disk = disks.get(new DiskId(extent.diskId()));
        if (!disk.present()) {
            throw new ConflictException("Disk " + disk.name() + " of volume " + volume.name()
                    + " is not present on this host; it cannot be exported until it is back.");
        }
        if (extent.startBytes() <= 0 || extent.lengthBytes() != volume.sizeBytes()) {
            throw new IllegalStateException("extent " + extent + " does not describe volume " + volume.name());
        }
        return new Backing(BlockDeviceKind.EXTENT, disk.devicePath(), extent.startBytes());
    }

    /** A mirrored volume's namespace frees both legs. */
    private void detachVolumes(NamespaceEntity namespace) {
        volumes.markDetached(new VolumeId(namespace.volumeId()));
        mirrors.mirrorOfVolume(namespace.volumeId()).ifPresent(mirror -> {
            volumes.markDetached(new VolumeId(mirror.legAVolume()));
            volumes.markDetached(new VolumeId(mirror.legBVolume()));
        });
    }

    private int freeMirrorAnaGroup(SubsystemEntity subsystem) {
        Set<Integer> used = new HashSet<>();
        namespaces.findBySubsystemIdOrderByNsid(subsystem.id()).forEach(ns -> used.add(ns.anaGroup()));
        for (int group = FIRST_MIRROR_ANA_GROUP; group <= LAST_ANA_GROUP; group++) {
            if (!used.contains(group)) {
                return group;
            }
        }
        throw new ConflictException("Subsystem " + subsystem.nqn() + " already exports "
                + (LAST_ANA_GROUP - FIRST_MIRROR_ANA_GROUP + 1) + " mirrored volumes, each with an ANA group of its "
                + "own; export this one from another subsystem.");
    }

    private int lowestFreeNsid(SubsystemEntity subsystem) {
        Set<Integer> used = new HashSet<>();
        namespaces.findBySubsystemIdOrderByNsid(subsystem.id()).forEach(ns -> used.add(ns.nsid()));
        for (int nsid = 1; nsid <= NamespaceSpec.MAX_NSID; nsid++) {
            if (!used.contains(nsid)) {
                return nsid;
            }
        }
        throw new ConflictException("Subsystem " + subsystem.nqn() + " has all " + NamespaceSpec.MAX_NSID
                + " namespaces in use.");
    }

    private static int validNsid(int nsid) {
        if (nsid < 1 || nsid > NamespaceSpec.MAX_NSID) {
            throw new InvalidInputException("nsid", "An NSID is 1 to " + NamespaceSpec.MAX_NSID + ", not " + nsid + ".");
        }
        return nsid;
    }

    /** Serial and model go into Identify Controller as printable ASCII, space-padded. */
    private static String printable(String field, String value, int max) {
        if (value.length() > max) {
            throw new InvalidInputException(field, "The " + field + " has at most " + max + " characters; '" + value
                    + "' has " + value.length() + ".");
        }
        if (!value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            throw new InvalidInputException(field, "The " + field + " may only hold printable ASCII characters.");
        }
        return value;
    }

    private static String generatedSerial() {
        byte[] bytes = new byte[MAX_SERIAL / 2];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes).toUpperCase(Locale.ROOT);
    }

    /** NGUIDs are 128-bit, globally unique; random ones are what the spec allows without an IEEE OUI. */
    private static String randomNguid() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private SubsystemInfo toInfo(SubsystemEntity subsystem) {
        return toInfo(subsystem, nodesById());
    }

    /** With the cluster's nodes (their names, and who is offline) already read. */
    private SubsystemInfo toInfo(SubsystemEntity subsystem, Map<Long, HostInfo> nodes) {
        long id = subsystem.id();
        List<NamespaceInfo> nsList = namespaces.findBySubsystemIdOrderByNsid(id).stream()
                .map(ns -> new NamespaceInfo(ns.nsid(), ns.volumeId(), ns.volumeName(), ns.backingKind().name(),
                        ns.sizeBytes(), ns.nguid(), ns.uuid(), ANA_GROUP,
                        reachable(nodes, volumeNode(ns.volumeId()), ns.state()), ns.lastError()))
                .toList();
        List<ListenerInfo> listenerList = listeners.findBySubsystemIdOrderByAddressAscPortAsc(id).stream()
                .map(l -> new ListenerInfo(l.id(), l.hostId(), "tcp", l.addressFamily(), l.address(), l.port(),
                        LISTENER_ANA_STATE, reachable(nodes, l.hostId(), l.state()), l.lastError()))
                .toList();
        List<AllowedHost> hostList = hosts.findBySubsystemIdOrderByHostNqn(id).stream()
                .map(h -> new AllowedHost(h.id(), h.hostNqn(), h.state(), h.lastError(), dhchap(h))).toList();
        List<SubsystemInfo.NodeState> perNode = nodeStates.of(id).stream()
                .map(row -> new SubsystemInfo.NodeState(row.hostId(), nodeName(nodes, row.hostId()),
                        reachable(nodes, row.hostId(), row.state()), row.lastError(), row.observedAt()))
                .toList();
        ObservedState state = summary(subsystem.state(), perNode);
        String lastError = perNode.size() < 2 ? subsystem.lastError() : perNode.stream()
                .filter(node -> node.lastError() != null && node.state() == ObservedState.FAILED)
                .map(node -> node.nodeName() + ": " + node.lastError()).reduce((a, b) -> a + "; " + b).orElse(null);
        return new SubsystemInfo(new SubsystemId(id), subsystem.nqn(), subsystem.serial(), subsystem.model(),
                subsystem.allowAnyHost(), subsystem.createdAt(), state, lastError, nsList,
                listenerList, hostList, subsystem.lastDrift(), subsystem.driftAt(), perNode,
                DhchapPolicy.fromMasks(subsystem.dhchapHashes(), subsystem.dhchapDhGroups()));
    }

    /** When and which DH-HMAC-CHAP secrets are set; a previous secret only while it is still accepted. */
    private SubsystemInfo.@Nullable Dhchap dhchap(AllowedHostEntity host) {
        if (host.dhchapSecret() == null || host.dhchapSecretSetAt() == null) {
            return null;
        }
        return new SubsystemInfo.Dhchap(host.dhchapSecretSetAt(),
                host.previousAcceptedAt(clock.instant()) ? host.dhchapPreviousUntil() : null,
                host.dhchapCtrlSecretSetAt());
    }

    /**
     * The subsystem's state over its nodes: failed where any online node failed it, pending while any has
     * not applied it, unreachable when every node serving it is offline, applied otherwise.
     */
    static ObservedState summary(ObservedState stored, List<SubsystemInfo.NodeState> perNode) {
        if (perNode.isEmpty()) {
            return stored;
        }
        List<ObservedState> states = perNode.stream().map(SubsystemInfo.NodeState::state).toList();
        for (ObservedState worst : List.of(ObservedState.FAILED, ObservedState.PENDING)) {
            if (states.contains(worst)) {
                return worst;
            }
        }
        return states.stream().allMatch(ObservedState.UNREACHABLE::equals) ? ObservedState.UNREACHABLE
                : ObservedState.APPLIED;
    }

    /** What a node last observed, or UNREACHABLE while the node is offline (its word is stale). */
    private static ObservedState reachable(Map<Long, HostInfo> nodes, long hostId, ObservedState observed) {
        HostInfo node = nodes.get(hostId);
        return node != null && node.state() == HostState.OFFLINE ? ObservedState.UNREACHABLE : observed;
    }

    private long volumeNode(long volumeId) {
        try {
            return volumes.get(new VolumeId(volumeId)).hostId().value();
        } catch (NotFoundException gone) {
            return -1;
        }
    }

    private Map<Long, HostInfo> nodesById() {
        return inventoryHosts.list(PageRequest.of(0, MAX_NODES)).getContent().stream()
                .collect(Collectors.toMap(host -> host.id().value(), host -> host));
    }

    private static String nodeName(Map<Long, HostInfo> nodes, long hostId) {
        HostInfo node = nodes.get(hostId);
        return node == null ? "host " + hostId : node.name();
    }
}
