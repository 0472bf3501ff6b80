package dev.windrose.fabric.internal;

import dev.windrose.dataplane.AnaState;
import dev.windrose.dataplane.DataplaneException;
import dev.windrose.dataplane.DataplaneTarget;
import dev.windrose.fabric.internal.Desired.Endpoint;
import dev.windrose.fabric.internal.Observation.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a dataplane target to the desired state and says what it saw, object by object.
 *
 * <p>The target has no call that lists its configuration, so the reconciler remembers what it applied to
 * the target instance it last saw; a new instance (the target restarted) starts from nothing and gets
 * everything again. Only calls that succeeded are remembered, so a failed call is retried at the next
 * pass and one failure never stops the other objects. Running it twice in a row changes nothing.
 *
 * <p>Drift: every pass also checks that what it remembers is still on the target — the subsystem,
 * allowed hosts and listeners by adding them again (the target answers EEXIST when they are there, so
 * a success means one was gone and is now back), namespaces from the target's statistics. What it
 * finds is repaired in the same pass and reported as a {@link Observation.Kind#DRIFT} note in words.
 * Not thread-safe: the caller serialises passes.
 */
public final class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final int ENOENT = 2;
    private static final int EEXIST = 17;
    static final String TARGET_DOWN = "The NVMe/TCP target is not running (see the dataplane health); "
            + "this is applied as soon as it runs.";
    static final String WAITING_FOR_SUBSYSTEM = "Waiting for the subsystem to be applied.";

    /** What one subsystem looks like on the target, as far as this reconciler made it so. */
    private static final class Applied {
        final Desired.Subsystem identity;
        boolean allowAnyHost;
        final Map<Integer, Desired.Namespace> namespaces = new HashMap<>();
        final Set<Endpoint> listeners = new HashSet<>();
        final Set<String> hosts = new HashSet<>();
        final Map<Integer, AnaState> newListenerAnaStates = new HashMap<>();
        /** Which DH-HMAC-CHAP secrets each host has on the target, as fingerprints; absent: none. */
        final Map<String, String> hostAuth = new HashMap<>();
        /** The DH-HMAC-CHAP policy on the target; a new subsystem has the dataplane's default, everything. */
        int dhchapHashMask = Desired.Subsystem.ALL_HASHES;
        int dhchapGroupMask = Desired.Subsystem.ALL_GROUPS;

        Applied(Desired.Subsystem identity) {
            this.identity = identity;
            this.allowAnyHost = identity.allowAnyHost();
        }
    }

    private final Map<String, Applied> applied = new LinkedHashMap<>();
    private @Nullable DataplaneTarget lastTarget;

    /** One pass; target is null while the embedded target is not running. */
    public List<Observation> reconcile(List<Desired.Subsystem> desired, @Nullable DataplaneTarget target) {
        List<Observation> seen = new ArrayList<>();
        if (target == null) {
            forgetTarget();
            desired.forEach(subsystem -> allPending(subsystem, TARGET_DOWN, seen));
            return seen;
        }
        if (target != lastTarget) {
            // A new target instance serves nothing yet, whatever was applied to the previous one.
            forgetTarget();
            lastTarget = target;
        }
        removeUnwanted(desired, target);
        Map<String, Set<Integer>> namespacesOnTarget = namespacesOnTarget(target);
        for (Desired.Subsystem subsystem : desired) {
            List<String> drift = new ArrayList<>();
            if (applied.containsKey(subsystem.nqn())) {
                checkForDrift(subsystem, target, namespacesOnTarget, drift);
            }
            reconcileSubsystem(subsystem, target, seen);
            if (!drift.isEmpty()) {
                seen.add(Observation.drift(subsystem.id(), "Found on the dataplane and repaired: "
                        + String.join("; ", drift) + "."));
            }
        }
        return seen;
    }

    /** Which namespaces the target serves, by subsystem NQN; null when it cannot say (no drift check then). */
    private static @Nullable Map<String, Set<Integer>> namespacesOnTarget(DataplaneTarget target) {
        try {
            Map<String, Set<Integer>> present = new HashMap<>();
            target.stats().namespaces().forEach(ns -> present.computeIfAbsent(ns.subsystemNqn(), k -> new HashSet<>())
                    .add(ns.nsid()));
            return present;
        } catch (DataplaneException e) {
            log.debug("No namespace list from the dataplane this pass: {}", e.getMessage());
            return null;
        }
    }

    /**
     * Compares what this reconciler applied to the subsystem with what the target has, forgets what is gone
     * (so this pass applies it again) and says so in drift. Adding what is there is harmless: EEXIST.
     */
    private void checkForDrift(Desired.Subsystem subsystem, DataplaneTarget target,
            @Nullable Map<String, Set<Integer>> namespacesOnTarget, List<String> drift) {
        Applied state = applied.get(subsystem.nqn());
        if (!subsystem.sameIdentity(state.identity)) {
            return; // being replaced: reconcileSubsystem deals with it
        }
        if (addedQuietly(() -> target.createSubsystem(subsystem.nqn(), subsystem.serial(), subsystem.model(),
                subsystem.allowAnyHost()), subsystem.nqn())) {
            // It was gone, with everything in it; it exists again now, empty: everything is added again below.
            drift.add("the subsystem was missing from the target (created again, with its namespaces, listeners and hosts)");
            Applied fresh = new Applied(subsystem);
            applied.put(subsystem.nqn(), fresh);
            return;
        }
        for (String hostNqn : List.copyOf(state.hosts)) {
            if (addedQuietly(() -> target.allowHost(subsystem.nqn(), hostNqn), subsystem.nqn())) {
                // Its DH-HMAC-CHAP secrets went with it: the host pass below sets them again at once.
                state.hostAuth.remove(hostNqn);
                drift.add("host " + hostNqn + " was not allowed any more (allowed again)");
            }
        }
        for (Endpoint endpoint : List.copyOf(state.listeners)) {
            try {
                if (added(() -> target.addListener(subsystem.nqn(), endpoint.address(), endpoint.port()))) {
                    drift.add("listener " + endpoint + " was not open (opened again)");
                }
            } catch (DataplaneException e) {
                // Gone, and it cannot be opened again (say, another program took the port): the listener
                // pass below tries once more and records the failure on the listener.
                state.listeners.remove(endpoint);
                drift.add("listener " + endpoint + " was not open and could not be opened again (" + e.getMessage() + ")");
            }
        }
        Set<Integer> served = namespacesOnTarget == null ? null
                : namespacesOnTarget.getOrDefault(subsystem.nqn(), Set.of());
        if (served != null) {
            for (Integer nsid : List.copyOf(state.namespaces.keySet())) {
                if (!served.contains(nsid)) {
                    state.namespaces.remove(nsid);
                    drift.add("namespace " + nsid + " was missing (added again)");
                }
            }
        }
    }

    /** As {@link #added}, but another failure only means "cannot tell": logged, and no drift is claimed. */
    private static boolean addedQuietly(Runnable add, String nqn) {
        try {
            return added(add);
        } catch (DataplaneException e) {
            log.warn("Could not check subsystem {} for drift: {}", nqn, e.getMessage());
            return false;
        }
    }

    /**
     * Adds something this reconciler believes is on the target: true when the add succeeded (it was gone),
     * false on EEXIST (it is there); other failures are thrown.
     */
    private static boolean added(Runnable add) {
        try {
            add.run();
            return true;
        } catch (DataplaneException e) {
            if (e.errno() == EEXIST) {
                return false;
            }
            throw e;
        }
    }

    private void forgetTarget() {
        applied.clear();
        lastTarget = null;
    }

    private void removeUnwanted(List<Desired.Subsystem> desired, DataplaneTarget target) {
        Map<String, Desired.Subsystem> byNqn = desired.stream()
                .collect(Collectors.toMap(Desired.Subsystem::nqn, Function.identity()));
        for (var it = applied.entrySet().iterator(); it.hasNext();) {
            var entry = it.next();
            Desired.Subsystem wanted = byNqn.get(entry.getKey());
            if (wanted != null && wanted.sameIdentity(entry.getValue().identity)) {
                continue;
            }
            try {
                target.deleteSubsystem(entry.getKey());
                it.remove();
            } catch (DataplaneException e) {
                if (e.errno() == ENOENT) {
                    it.remove();
                } else {
                    log.warn("Could not delete subsystem {} from the dataplane; retrying later: {}", entry.getKey(),
                            e.getMessage());
                }
            }
        }
    }

    private void reconcileSubsystem(Desired.Subsystem subsystem, DataplaneTarget target, List<Observation> seen) {
        if (applied.containsKey(subsystem.nqn()) && !subsystem.sameIdentity(applied.get(subsystem.nqn()).identity)) {
            // Still on the target with an old serial or model: its deletion failed above and is retried.
            allPending(subsystem, "Waiting for the old definition of this subsystem to be removed.", seen);
            return;
        }
        Applied state = applied.get(subsystem.nqn());
        if (state == null) {
            try {
                createSubsystem(subsystem, target);
            } catch (DataplaneException e) {
                seen.add(Observation.failed(Kind.SUBSYSTEM, subsystem.id(), "Could not create the subsystem: " + e.getMessage()));
                allChildrenPending(subsystem, WAITING_FOR_SUBSYSTEM, seen);
                return;
            }
            state = new Applied(subsystem);
            applied.put(subsystem.nqn(), state);
        }
        Observation settings = applyAllowAnyHost(subsystem, state, target);
        seen.add(settings.state() == dev.windrose.fabric.ObservedState.APPLIED
                ? applyDhchapPolicy(subsystem, state, target) : settings);
        reconcileHosts(subsystem, state, target, seen);
        applyNewListenerAnaStates(subsystem, state, target);
        reconcileNamespaces(subsystem, state, target, seen);
        reconcileListeners(subsystem, state, target, seen);
    }

    /** A leftover of the same name (this reconciler lost track of it) is replaced. */
    private static void createSubsystem(Desired.Subsystem subsystem, DataplaneTarget target) {
        try {
            target.createSubsystem(subsystem.nqn(), subsystem.serial(), subsystem.model(), subsystem.allowAnyHost());
        } catch (DataplaneException e) {
            if (e.errno() != EEXIST) {
                throw e;
            }
            target.deleteSubsystem(subsystem.nqn());
            target.createSubsystem(subsystem.nqn(), subsystem.serial(), subsystem.model(), subsystem.allowAnyHost());
        }
    }

    private static Observation applyAllowAnyHost(Desired.Subsystem subsystem, Applied state, DataplaneTarget target) {
        if (state.allowAnyHost != subsystem.allowAnyHost()) {
            try {
                target.setAllowAnyHost(subsystem.nqn(), subsystem.allowAnyHost());
                state.allowAnyHost = subsystem.allowAnyHost();
            } catch (DataplaneException e) {
                return Observation.failed(Kind.SUBSYSTEM, subsystem.id(),
                        "Could not change whether any host may connect: " + e.getMessage());
            }
        }
        return Observation.applied(Kind.SUBSYSTEM, subsystem.id());
    }

    /** Which hash functions and DH groups the subsystem accepts (issue 17). */
    private static Observation applyDhchapPolicy(Desired.Subsystem subsystem, Applied state, DataplaneTarget target) {
        if (state.dhchapHashMask != subsystem.dhchapHashMask() || state.dhchapGroupMask != subsystem.dhchapGroupMask()) {
            try {
                target.setDhchapPolicy(subsystem.nqn(), subsystem.dhchapHashMask(), subsystem.dhchapGroupMask());
                state.dhchapHashMask = subsystem.dhchapHashMask();
                state.dhchapGroupMask = subsystem.dhchapGroupMask();
            } catch (DataplaneException | UnsupportedOperationException e) {
                return Observation.failed(Kind.SUBSYSTEM, subsystem.id(),
                        "Could not set which DH-HMAC-CHAP hash functions and DH groups are allowed: " + e.getMessage());
            }
        }
        return Observation.applied(Kind.SUBSYSTEM, subsystem.id());
    }

    private static void reconcileHosts(Desired.Subsystem subsystem, Applied state, DataplaneTarget target,
            List<Observation> seen) {
        // A host refused for now (its secret cannot be read here) is not let in at all, rather than without it.
        Set<String> wanted = subsystem.hosts().stream().filter(host -> host.refusal() == null)
                .map(Desired.Host::hostNqn).collect(Collectors.toSet());
        for (String hostNqn : List.copyOf(state.hosts)) {
            if (!wanted.contains(hostNqn)) {
                removeQuietly(() -> target.disallowHost(subsystem.nqn(), hostNqn), "host " + hostNqn, subsystem.nqn(),
                        () -> forgetHost(state, hostNqn));
            }
        }
        for (Desired.Host host : subsystem.hosts()) {
            if (host.refusal() != null) {
                seen.add(Observation.failed(Kind.HOST, host.id(), host.refusal()));
                continue;
            }
            if (!state.hosts.contains(host.hostNqn())) {
                try {
                    addTolerantOfExisting(() -> target.allowHost(subsystem.nqn(), host.hostNqn()));
                    state.hosts.add(host.hostNqn());
                } catch (DataplaneException e) {
                    seen.add(Observation.failed(Kind.HOST, host.id(), "Could not allow the host: " + e.getMessage()));
                    continue;
                }
            }
            seen.add(applyDhchap(subsystem, host, state, target));
        }
    }

    private static void forgetHost(Applied state, String hostNqn) {
        state.hosts.remove(hostNqn);
        state.hostAuth.remove(hostNqn);
    }

    /**
     * Gives an allowed host the DH-HMAC-CHAP secrets it should have (issue 17): set, rotated (the previous one
     * passed on while its grace period lasts, dropped after), or cleared. A host that should authenticate but
     * whose secrets the target did not take while it had none is disallowed again: it is refused, never let in
     * without authentication. The error never holds a secret (the dataplane's names only the NQNs).
     */
    private static Observation applyDhchap(Desired.Subsystem subsystem, Desired.Host host, Applied state,
            DataplaneTarget target) {
        Desired.Dhchap wanted = host.dhchap();
        String want = wanted == null ? null : wanted.fingerprint();
        String have = state.hostAuth.get(host.hostNqn());
        if (java.util.Objects.equals(want, have)) {
            return Observation.applied(Kind.HOST, host.id());
        }
        try {
            if (wanted == null) {
                target.setHostDhchap(subsystem.nqn(), host.hostNqn(), null, null, null);
                state.hostAuth.remove(host.hostNqn());
            } else {
                target.setHostDhchap(subsystem.nqn(), host.hostNqn(), wanted.hostSecret(), wanted.previousHostSecret(),
                        wanted.ctrlSecret());
                state.hostAuth.put(host.hostNqn(), want);
            }
            return Observation.applied(Kind.HOST, host.id());
        } catch (DataplaneException | UnsupportedOperationException e) {
            boolean closed = false;
            if (wanted != null && have == null) {
                removeQuietly(() -> target.disallowHost(subsystem.nqn(), host.hostNqn()), "host " + host.hostNqn(),
                        subsystem.nqn(), () -> forgetHost(state, host.hostNqn()));
                closed = !state.hosts.contains(host.hostNqn());
            }
            return Observation.failed(Kind.HOST, host.id(), "Could not set the host's DH-HMAC-CHAP secrets"
                    + (closed ? " (it is refused until they are set)" : "") + ": " + e.getMessage());
        }
    }

    /**
     * A mirrored namespace's ANA group must not look optimized on a node that is not active for it, not even
     * for a moment: its listeners, those there are and those to come, get the desired starting state before
     * the namespace is added. The mirror's coordinator turns the group optimized where it is active.
     */
    private static void applyNewListenerAnaStates(Desired.Subsystem subsystem, Applied state, DataplaneTarget target) {
        subsystem.newListenerAnaStates().forEach((group, wanted) -> {
            if (wanted == state.newListenerAnaStates.get(group)) {
                return;
            }
            try {
                target.setNewListenerAnaState(subsystem.nqn(), group, wanted);
                for (Endpoint endpoint : state.listeners) {
                    target.setListenerAnaState(subsystem.nqn(), endpoint.address(), endpoint.port(), group, wanted);
                }
                state.newListenerAnaStates.put(group, wanted);
            } catch (DataplaneException e) {
                log.warn("Could not set the starting ANA state of group {} of subsystem {}; retrying at the next pass: {}",
                        group, subsystem.nqn(), e.getMessage());
            }
        });
    }

    private static void reconcileNamespaces(Desired.Subsystem subsystem, Applied state, DataplaneTarget target,
            List<Observation> seen) {
        Map<Integer, Desired.Namespace> wanted = subsystem.namespaces().stream()
                .collect(Collectors.toMap(Desired.Namespace::nsid, Function.identity()));
        for (Desired.Namespace old : List.copyOf(state.namespaces.values())) {
            Desired.Namespace now = wanted.get(old.nsid());
            if (now == null || !(now.sameDevice(old) || now.grownFrom(old))) {
                removeQuietly(() -> target.removeNamespace(subsystem.nqn(), old.nsid()), "namespace " + old.nsid(),
                        subsystem.nqn(), () -> state.namespaces.remove(old.nsid()));
            }
        }
        for (Desired.Namespace namespace : subsystem.namespaces()) {
            Desired.Namespace current = state.namespaces.get(namespace.nsid());
            if (current != null && current.sameDevice(namespace)) {
                seen.add(Observation.applied(Kind.NAMESPACE, namespace.id()));
            } else if (current != null && namespace.grownFrom(current)) {
                seen.add(resizeNamespace(subsystem.nqn(), namespace, current, state, target));
            } else if (current != null) {
                seen.add(Observation.pending(Kind.NAMESPACE, namespace.id(),
                        "Waiting for the previous namespace " + namespace.nsid() + " to be removed."));
            } else {
                seen.add(addNamespace(subsystem.nqn(), namespace, state, target));
            }
        }
    }

    private static Observation addNamespace(String nqn, Desired.Namespace namespace, Applied state,
            DataplaneTarget target) {
        try {
            add(target, nqn, namespace);
        } catch (DataplaneException e) {
            if (e.errno() != EEXIST) {
                return Observation.failed(Kind.NAMESPACE, namespace.id(),
                        "Could not add namespace " + namespace.nsid() + ": " + e.getMessage());
            }
            // An unknown namespace holds the NSID (this reconciler lost track of it): replace it.
            try {
                target.removeNamespace(nqn, namespace.nsid());
                add(target, nqn, namespace);
            } catch (DataplaneException again) {
                return Observation.failed(Kind.NAMESPACE, namespace.id(),
                        "Could not replace namespace " + namespace.nsid() + ": " + again.getMessage());
            }
        } catch (IllegalArgumentException e) {
            return Observation.failed(Kind.NAMESPACE, namespace.id(), "The namespace is invalid: " + e.getMessage());
        }
        state.namespaces.put(namespace.nsid(), namespace);
        return Observation.applied(Kind.NAMESPACE, namespace.id());
    }

    /** A mirrored namespace connects to its remote leg first, and is refused when it cannot. */
    private static void add(DataplaneTarget target, String nqn, Desired.Namespace namespace) {
        if (namespace.remote() == null) {
            target.addNamespace(nqn, namespace.toSpec());
        } else {
            target.addMirroredNamespace(nqn, namespace.toSpec(), namespace.remote());
        }
    }

    /**
     * Grows a served namespace in place, as its volume grew: hosts keep their connection and I/O and are told
     * to rescan. A failure keeps the old size remembered, so the next pass tries again; it never falls back to
     * remove and re-add, which would drop the hosts' I/O and, for an extent, could not serve more anyway.
     */
    private static Observation resizeNamespace(String nqn, Desired.Namespace namespace, Desired.Namespace current,
            Applied state, DataplaneTarget target) {
        try {
            target.resizeNamespace(nqn, namespace.nsid(), namespace.sizeBytes());
        } catch (DataplaneException e) {
            return Observation.failed(Kind.NAMESPACE, namespace.id(), "Could not grow namespace " + namespace.nsid()
                    + " from " + current.sizeBytes() + " to " + namespace.sizeBytes()
                    + " bytes on the running target (hosts still see the old size; retried at the next pass): "
                    + e.getMessage());
        }
        log.info("Namespace {} of subsystem {} grown from {} to {} bytes on the running target", namespace.nsid(), nqn,
                current.sizeBytes(), namespace.sizeBytes());
        state.namespaces.put(namespace.nsid(), namespace);
        return Observation.applied(Kind.NAMESPACE, namespace.id());
    }

    private static void reconcileListeners(Desired.Subsystem subsystem, Applied state, DataplaneTarget target,
            List<Observation> seen) {
        Set<Endpoint> wanted = subsystem.listeners().stream().map(Desired.Listener::endpoint).collect(Collectors.toSet());
        for (Endpoint endpoint : List.copyOf(state.listeners)) {
            if (!wanted.contains(endpoint)) {
                removeQuietly(() -> target.removeListener(subsystem.nqn(), endpoint.address(), endpoint.port()),
                        "listener " + endpoint, subsystem.nqn(), () -> state.listeners.remove(endpoint));
            }
        }
        for (Desired.Listener listener : subsystem.listeners()) {
            Endpoint endpoint = listener.endpoint();
            if (state.listeners.contains(endpoint)) {
                seen.add(Observation.applied(Kind.LISTENER, listener.id()));
                continue;
            }
            try {
                addTolerantOfExisting(() -> target.addListener(subsystem.nqn(), endpoint.address(), endpoint.port()));
                state.listeners.add(endpoint);
                seen.add(Observation.applied(Kind.LISTENER, listener.id()));
            } catch (DataplaneException e) {
                seen.add(Observation.failed(Kind.LISTENER, listener.id(),
                        "Could not listen on " + endpoint + ": " + e.getMessage()));
            }
        }
    }

    /** EEXIST on an add means the target already has exactly that: what was wanted. */
    private static void addTolerantOfExisting(Runnable add) {
        try {
            add.run();
        } catch (DataplaneException e) {
            if (e.errno() != EEXIST) {
                throw e;
            }
        }
    }

    /** ENOENT on a removal means it is gone already; another failure keeps it remembered, to retry. */
    private static void removeQuietly(Runnable remove, String what, String nqn, Runnable forget) {
        try {
            remove.run();
            forget.run();
        } catch (DataplaneException e) {
            if (e.errno() == ENOENT) {
                forget.run();
            } else {
                log.warn("Could not remove {} of subsystem {}; retrying later: {}", what, nqn, e.getMessage());
            }
        }
    }

    private static void allPending(Desired.Subsystem subsystem, String reason, List<Observation> seen) {
        seen.add(Observation.pending(Kind.SUBSYSTEM, subsystem.id(), reason));
        allChildrenPending(subsystem, reason, seen);
    }

    private static void allChildrenPending(Desired.Subsystem subsystem, String reason, List<Observation> seen) {
        subsystem.namespaces().forEach(ns -> seen.add(Observation.pending(Kind.NAMESPACE, ns.id(), reason)));
        subsystem.listeners().forEach(l -> seen.add(Observation.pending(Kind.LISTENER, l.id(), reason)));
        subsystem.hosts().forEach(h -> seen.add(Observation.pending(Kind.HOST, h.id(), reason)));
    }
}
