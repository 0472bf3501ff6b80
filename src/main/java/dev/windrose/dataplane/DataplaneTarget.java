package dev.windrose.dataplane;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A running NVMe/TCP target of the dataplane: its reactors serve the subsystems, namespaces and
 * listeners configured here. Every call is a message to the reactors (thread-safe, never on a
 * reactor thread); failures are {@link DataplaneException}s with the errno. Closing it disconnects
 * everyone and frees everything; calls after close fail.
 */
public interface DataplaneTarget extends AutoCloseable {

    /** The NQN of the discovery subsystem, for discovery-only listeners. */
    String DISCOVERY_NQN = "nqn.2014-08.org.nvmexpress.discovery";

    /** @param serial at most 20 characters, null for a default; @param model at most 40, null for a default */
    void createSubsystem(String nqn, @Nullable String serial, @Nullable String model, boolean allowAnyHost);

    /** Disconnects its controllers and removes its namespaces and listeners. */
    void deleteSubsystem(String nqn);

    void setAllowAnyHost(String nqn, boolean allowAnyHost);

    void allowHost(String nqn, String hostNqn);

    /** Also disconnects that host's controllers on the subsystem. */
    void disallowHost(String nqn, String hostNqn);

    /**
     * DH-HMAC-CHAP (issue 17): the allowed host {@code hostNqn} must authenticate with {@code hostSecret} on
     * every queue it connects ({@code DHHC-1:hh:...:} as {@code nvme gen-dhchap-key} prints it);
     * {@code previousHostSecret} is also accepted (a rotation's grace period, ended by calling again without
     * it); {@code ctrlSecret} lets the host authenticate the target too. A null {@code hostSecret} turns
     * authentication off for that host. Connected queues stay connected. Errors: ENOENT (host not allowed),
     * EINVAL (malformed, or the controller secret equals the host's), EMSGSIZE (wrong length), EBADMSG (the
     * CRC does not match: mistyped). Implementations without a dataplane throw UnsupportedOperationException.
     */
    default void setHostDhchap(String nqn, String hostNqn, @Nullable String hostSecret,
            @Nullable String previousHostSecret, @Nullable String ctrlSecret) {
        throw new UnsupportedOperationException("this target cannot authenticate hosts");
    }

    /**
     * The hash functions and DH groups the subsystem accepts: bit {@code 1 << id} with the specification's ids
     * (hashes SHA-256 = 1, SHA-384 = 2, SHA-512 = 3; groups null = 0, ffdhe2048 = 1 ... ffdhe8192 = 5).
     * EINVAL for an empty mask or an unknown bit.
     */
    default void setDhchapPolicy(String nqn, int hashMask, int dhGroupMask) {
        throw new UnsupportedOperationException("this target cannot authenticate hosts");
    }

    /**
     * TLS 1.3 with a PSK (issue 17) on the port {@code address:port}, which a listener must have opened; the
     * mode belongs to the port, whichever subsystem listens there (as Linux nvmet's port). Connections already
     * open keep theirs. ENOENT when no listener uses that port, EINVAL for a bad address.
     */
    default void setPortTls(String address, int port, TlsMode mode) {
        throw new UnsupportedOperationException("this target has no TLS");
    }

    /** The TLS mode of a port; ENOENT when no listener uses it. */
    default TlsMode portTls(String address, int port) {
        throw new UnsupportedOperationException("this target has no TLS");
    }

    /**
     * The TLS PSK of the allowed host {@code hostNqn} on the subsystem, in the interchange format
     * {@code nvme gen-tls-key} prints ({@code NVMeTLSkey-1:01:...:} or {@code :02:} or {@code :00:}); the
     * target keeps only the retained PSKs derived from it. {@code v0Derivation} is how a version-0 identity's
     * TLS PSK is derived (see {@link TlsPskDerivation}). A null {@code psk} removes it. Channels already open
     * stay open. Errors: ENOENT (host not allowed), EINVAL (malformed), EMSGSIZE (a length its hash does not
     * take), EBADMSG (the CRC does not match: mistyped).
     */
    default void setHostTlsPsk(String nqn, String hostNqn, @Nullable String psk, TlsPskDerivation v0Derivation) {
        throw new UnsupportedOperationException("this target has no TLS");
    }

    void addNamespace(String nqn, NamespaceSpec namespace);

    /**
     * A mirrored namespace (issue 16): {@code local} is its local leg (RAM, FILE or EXTENT), {@code remote} a
     * namespace of the partner's target of the same size and block size. Writes, Write Zeroes and Deallocate
     * go to both legs, Flush to both, FUA is passed on; a host's write completes when both legs have; reads
     * are local. Connects to the partner first and refuses (EINVAL for a size mismatch, the connect's errno
     * otherwise) when it cannot. Starts {@link MirrorStatus.State#IN_SYNC}: the caller guarantees both legs
     * hold the same bytes (new, or in sync when last used). When the remote leg fails the mirror turns
     * DEGRADED without an error reaching hosts and marks what is written in its dirty-region bitmap; see
     * {@link #resyncMirror}. A mirrored namespace does not grow (EOPNOTSUPP). Implementations without a
     * dataplane throw UnsupportedOperationException.
     */
    default void addMirroredNamespace(String nqn, NamespaceSpec local, MirrorLeg remote) {
        throw new UnsupportedOperationException("this target cannot mirror");
    }

    /** State, dirty regions and resync progress of a mirrored namespace; EINVAL when it is not mirrored. */
    default MirrorStatus mirrorStatus(String nqn, int nsid) {
        throw new UnsupportedOperationException("this target cannot mirror");
    }

    /**
     * Lets the writes a mirror with {@link MirrorLeg#holdOnDegrade()} holds since it degraded go on (locally,
     * their regions marked dirty): call it once the node has recorded that its partner is out of sync. Does
     * nothing when nothing is held.
     */
    default void releaseMirror(String nqn, int nsid) {
        throw new UnsupportedOperationException("this target cannot mirror");
    }

    /**
     * Blocks until a DEGRADED mirror is IN_SYNC again: reconnects to the partner and copies only the dirty
     * regions while hosts keep writing (progress in {@link #mirrorStatus}); returns at once when it is in
     * sync. EBUSY when a resync already runs; the connect's or copy's errno when the partner fails (the mirror
     * stays DEGRADED with every region not copied still dirty: call again). It copies at most
     * {@link MirrorLeg#resyncMibPerSecond()}. Run it on a thread of its own: closing the target and removing the namespace wait for it.
     */
    default void resyncMirror(String nqn, int nsid) {
        throw new UnsupportedOperationException("this target cannot mirror");
    }

    /** Waits until no reactor uses the namespace any more. */
    void removeNamespace(String nqn, int nsid);

    /**
     * Grows a live namespace while I/O runs: connected hosts see the new size in Identify Namespace and
     * get a Namespace Attribute Changed event (with the NSID in the Changed Namespace List). A FILE is
     * extended when shorter, and 0 re-reads a FILE's size; an EXTENT must fit inside its disk (ENOSPC).
     * Shrinking is EINVAL; the same size changes nothing.
     */
    void resizeNamespace(String nqn, int nsid, long sizeBytes);

    void setNamespaceAnaGroup(String nqn, int nsid, int anaGroup);

    /** Listens on an IPv4 or IPv6 literal; port 0 picks a free port. Returns the bound port. */
    int addListener(String nqn, String address, int port);

    void removeListener(String nqn, String address, int port);

    /**
     * The ANA state of group {@code anaGroup} (1..16) as hosts see it through that listener. A real change
     * bumps the ANA log's change count and sends an ANA change notice to the controllers connected through
     * the listener; setting the state a group already has changes nothing, so a reconciler may re-apply it.
     * I/O to the group's namespaces through the listener completes with a path error (the host retries it
     * on another path) while it is INACCESSIBLE, PERSISTENT_LOSS or CHANGE; NON_OPTIMIZED serves I/O. A
     * group left in CHANGE longer than the ANA transition time ({@link TargetOptions#anaTransitionTime()})
     * turns INACCESSIBLE by itself. A new listener starts OPTIMIZED for every group. ENOENT when the
     * subsystem has no such listener.
     */
    void setListenerAnaState(String nqn, String address, int port, int anaGroup, AnaState state);

    /**
     * The state group {@code anaGroup} has through listeners the subsystem gets from now on (not CHANGE;
     * OPTIMIZED until set); listeners it has keep theirs. A node that is not active for a group sets it
     * INACCESSIBLE before adding its listeners, so no host ever sees the group optimized there.
     */
    void setNewListenerAnaState(String nqn, int anaGroup, AnaState state);

    /** What {@link #setListenerAnaState} set (or the ANATT watchdog, or OPTIMIZED for a new listener). */
    AnaState listenerAnaState(String nqn, String address, int port, int anaGroup);

    /**
     * The CNTLIDs new controllers get from now on (controllers already connected keep theirs). Give each
     * node of a cluster its own range before it serves hosts.
     */
    void setControllerIdRange(ControllerIdRange range);

    List<ControllerInfo> controllers();

    List<QueuePairStats> queuePairs();

    StatsSnapshot stats();

    /** Connections admitted and refused, handshake timeouts, accept back-offs and log lines. */
    NetworkCounters networkCounters();

    /** Destroys the target; a second close does nothing. */
    @Override
    void close();
}
