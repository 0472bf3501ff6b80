package dev.windrose.fabric.internal;

import dev.windrose.dataplane.AnaState;
import dev.windrose.dataplane.ControllerIdRange;
import dev.windrose.dataplane.ControllerInfo;
import dev.windrose.dataplane.DataplaneException;
import dev.windrose.dataplane.DataplaneTarget;
import dev.windrose.dataplane.NamespaceSpec;
import dev.windrose.dataplane.NetworkCounters;
import dev.windrose.dataplane.QueuePairStats;
import dev.windrose.dataplane.StatsSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A test double of the dataplane target: keeps the configuration it is given the way the C target
 * does (EEXIST, ENOENT), logs every call that changed something (an add answered EEXIST did not), and
 * fails the calls a test names with the errno it names. Tests make it drift by changing
 * {@link #subsystems} behind the reconciler's back.
 */
final class RecordingTarget implements DataplaneTarget {

    static final int ENOENT = 2;
    static final int EEXIST = 17;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EADDRINUSE = 98;

    record Subsystem(String serial, String model, boolean allowAnyHost, Set<String> hosts,
            Map<Integer, NamespaceSpec> namespaces, Set<String> listeners) {
    }

    final Map<String, Subsystem> subsystems = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    private final Map<String, Integer> failures = new HashMap<>();

    /** Calls whose log line starts with this prefix fail with errno until {@link #heal}. */
    void failCallsStartingWith(String prefix, int errno) {
        failures.put(prefix, errno);
    }

    void heal() {
        failures.clear();
    }

    private void call(String line) {
        calls.add(line);
        failures.forEach((prefix, errno) -> {
            if (line.startsWith(prefix)) {
                throw new DataplaneException(line, errno);
            }
        });
    }

    /** An add that found its object already there changed nothing: not logged, answered EEXIST. */
    private DataplaneException alreadyThere(String function) {
        calls.removeLast();
        return new DataplaneException(function, EEXIST);
    }

    private Subsystem existing(String nqn) {
        Subsystem subsystem = subsystems.get(nqn);
        if (subsystem == null) {
            throw new DataplaneException("no " + nqn, ENOENT);
        }
        return subsystem;
    }

    @Override
    public void createSubsystem(String nqn, @Nullable String serial, @Nullable String model, boolean allowAnyHost) {
        call("createSubsystem " + nqn);
        if (subsystems.containsKey(nqn)) {
            throw alreadyThere("wr_subsystem_create");
        }
        subsystems.put(nqn, new Subsystem(String.valueOf(serial), String.valueOf(model), allowAnyHost, new HashSet<>(),
                new HashMap<>(), new HashSet<>()));
    }

    @Override
    public void deleteSubsystem(String nqn) {
        call("deleteSubsystem " + nqn);
        existing(nqn);
        subsystems.remove(nqn);
        dhchap.keySet().removeIf(key -> key.startsWith(nqn + " "));
        dhchapPolicies.remove(nqn);
    }

    @Override
    public void setAllowAnyHost(String nqn, boolean allowAnyHost) {
        call("setAllowAnyHost " + nqn + " " + allowAnyHost);
        Subsystem old = existing(nqn);
        subsystems.put(nqn, new Subsystem(old.serial(), old.model(), allowAnyHost, old.hosts(), old.namespaces(),
                old.listeners()));
    }

    @Override
    public void allowHost(String nqn, String hostNqn) {
        call("allowHost " + nqn + " " + hostNqn);
        if (!existing(nqn).hosts().add(hostNqn)) {
            throw alreadyThere("wr_host_allow");
        }
    }

    @Override
    public void disallowHost(String nqn, String hostNqn) {
        call("disallowHost " + nqn + " " + hostNqn);
        if (!existing(nqn).hosts().remove(hostNqn)) {
            throw new DataplaneException("wr_host_disallow", ENOENT);
        }
        dhchap.remove(nqn + " " + hostNqn);
    }

    /** DH-HMAC-CHAP secrets by "nqn host": host, previous, controller secret, as the C target keeps them. */
    record Secrets(String host, @Nullable String previous, @Nullable String ctrl) {
    }

    final Map<String, Secrets> dhchap = new HashMap<>();
    /** "nqn" -> {hash mask, group mask}. */
    final Map<String, int[]> dhchapPolicies = new HashMap<>();

    /** As the C target: ENOENT for a host not allowed, EINVAL for the same host and controller secret. */
    @Override
    public void setHostDhchap(String nqn, String hostNqn, @Nullable String hostSecret, @Nullable String previousHostSecret,
            @Nullable String ctrlSecret) {
        call("setHostDhchap " + nqn + " " + hostNqn + " host=" + hostSecret + " prev=" + previousHostSecret + " ctrl="
                + ctrlSecret);
        if (!existing(nqn).hosts().contains(hostNqn)) {
            throw new DataplaneException("wr_host_set_dhchap", ENOENT);
        }
        if (hostSecret != null && hostSecret.equals(ctrlSecret)) {
            throw new DataplaneException("wr_host_set_dhchap", EINVAL);
        }
        if (hostSecret == null) {
            dhchap.remove(nqn + " " + hostNqn);
        } else {
            dhchap.put(nqn + " " + hostNqn, new Secrets(hostSecret, previousHostSecret, ctrlSecret));
        }
    }

    @Override
    public void setDhchapPolicy(String nqn, int hashMask, int dhGroupMask) {
        call("setDhchapPolicy " + nqn + " " + hashMask + " " + dhGroupMask);
        existing(nqn);
        if (hashMask == 0 || dhGroupMask == 0 || (hashMask & ~0x0e) != 0 || (dhGroupMask & ~0x3f) != 0) {
            throw new DataplaneException("wr_subsystem_set_dhchap_policy", EINVAL);
        }
        dhchapPolicies.put(nqn, new int[] {hashMask, dhGroupMask});
    }

    @Override
    public void addNamespace(String nqn, NamespaceSpec namespace) {
        call("addNamespace " + nqn + " " + namespace.nsid());
        if (existing(nqn).namespaces().putIfAbsent(namespace.nsid(), namespace) != null) {
            throw alreadyThere("wr_ns_add");
        }
    }

    /** Mirrored namespaces: recorded like plain ones, with their remote leg kept in {@link #mirrors}. */
    @Override
    public void addMirroredNamespace(String nqn, NamespaceSpec local, dev.windrose.dataplane.MirrorLeg remote) {
        call("addMirroredNamespace " + nqn + " " + local.nsid() + " -> " + remote.subsystemNqn());
        if (existing(nqn).namespaces().putIfAbsent(local.nsid(), local) != null) {
            throw alreadyThere("wr_ns_add_mirror");
        }
        mirrors.put(nqn + "/" + local.nsid(), remote);
    }

    final java.util.Map<String, dev.windrose.dataplane.MirrorLeg> mirrors = new java.util.HashMap<>();
    /** "nqn address:port group" -> state, and "nqn new group" -> state for listeners to come. */
    final java.util.Map<String, AnaState> anaStates = new java.util.HashMap<>();

    @Override
    public void removeNamespace(String nqn, int nsid) {
        call("removeNamespace " + nqn + " " + nsid);
        if (existing(nqn).namespaces().remove(nsid) == null) {
            throw new DataplaneException("wr_ns_remove", ENOENT);
        }
    }

    /** As the C target: grows the namespace it has (EINVAL for a smaller size, ENOENT for none). */
    @Override
    public void resizeNamespace(String nqn, int nsid, long sizeBytes) {
        call("resizeNamespace " + nqn + " " + nsid + " " + sizeBytes);
        NamespaceSpec old = existing(nqn).namespaces().get(nsid);
        if (old == null) {
            throw new DataplaneException("wr_ns_resize", ENOENT);
        }
        if (sizeBytes != 0 && sizeBytes < old.sizeBytes()) {
            throw new DataplaneException("wr_ns_resize", EINVAL);
        }
        existing(nqn).namespaces().put(nsid, new NamespaceSpec(nsid, old.kind(), old.path(), sizeBytes, old.blockSize(),
                old.nguid(), old.uuid(), old.anaGroup(), old.offsetBytes()));
    }

    @Override
    public void setNamespaceAnaGroup(String nqn, int nsid, int anaGroup) {
        throw new UnsupportedOperationException("the reconciler does not manage ANA yet");
    }

    @Override
    public int addListener(String nqn, String address, int port) {
        call("addListener " + nqn + " " + address + ":" + port);
        if (!existing(nqn).listeners().add(address + ":" + port)) {
            throw alreadyThere("wr_listener_add");
        }
        return port;
    }

    @Override
    public void removeListener(String nqn, String address, int port) {
        call("removeListener " + nqn + " " + address + ":" + port);
        if (!existing(nqn).listeners().remove(address + ":" + port)) {
            throw new DataplaneException("wr_listener_remove", ENOENT);
        }
    }

    @Override
    public void setListenerAnaState(String nqn, String address, int port, int anaGroup, AnaState state) {
        call("setListenerAnaState " + nqn + " " + address + ":" + port + " " + anaGroup + " " + state);
        if (!existing(nqn).listeners().contains(address + ":" + port)) {
            throw new DataplaneException("wr_listener_set_ana_state", ENOENT);
        }
        anaStates.put(nqn + " " + address + ":" + port + " " + anaGroup, state);
    }

    @Override
    public void setNewListenerAnaState(String nqn, int anaGroup, AnaState state) {
        call("setNewListenerAnaState " + nqn + " " + anaGroup + " " + state);
        existing(nqn);
        anaStates.put(nqn + " new " + anaGroup, state);
    }

    @Override
    public AnaState listenerAnaState(String nqn, String address, int port, int anaGroup) {
        throw new UnsupportedOperationException("the reconciler does not manage ANA yet");
    }

    @Override
    public void setControllerIdRange(ControllerIdRange range) {
        call("setControllerIdRange " + range.min() + ".." + range.max());
    }

    @Override
    public List<ControllerInfo> controllers() {
        return List.of();
    }

    @Override
    public List<QueuePairStats> queuePairs() {
        return List.of();
    }

    /** Only what the reconciler reads: which namespaces exist (counters zero, no histograms). */
    @Override
    public NetworkCounters networkCounters() {
        return new NetworkCounters(1024, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public StatsSnapshot stats() {
        List<StatsSnapshot.Namespace> namespaces = new ArrayList<>();
        subsystems.forEach((nqn, subsystem) -> subsystem.namespaces().keySet().forEach(nsid -> namespaces.add(
                new StatsSnapshot.Namespace(nqn, nsid, new StatsSnapshot.Direction(0, 0, 0, null),
                        new StatsSnapshot.Direction(0, 0, 0, null), 0, 0))));
        return new StatsSnapshot(1, 0, List.of(), namespaces, List.of());
    }

    @Override
    public void close() {
        subsystems.clear();
    }
}
