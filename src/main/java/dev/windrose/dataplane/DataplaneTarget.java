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

    void addNamespace(String nqn, NamespaceSpec namespace);

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

    void setListenerAnaState(String nqn, String address, int port, int anaGroup, AnaState state);

    List<ControllerInfo> controllers();

    List<QueuePairStats> queuePairs();

    StatsSnapshot stats();

    /** Connections admitted and refused, handshake timeouts, accept back-offs and log lines. */
    NetworkCounters networkCounters();

    /** Destroys the target; a second close does nothing. */
    @Override
    void close();
}
