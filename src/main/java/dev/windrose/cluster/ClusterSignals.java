package dev.windrose.cluster;

import dev.windrose.cluster.internal.ClusterSignalRepository;
import dev.windrose.inventory.HostService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Tells the other nodes that something they serve changed, through their signal counters. */
@Service
public class ClusterSignals {

    /** The channel on which a raised signal is announced; its payload says whose (see {@link #concerns}). */
    public static final String CHANNEL = "windrose_node_signal";
    private static final String ALL_BUT = "all-but:";

    private final ClusterSignalRepository signals;
    private final HostService hosts;
    private final PostgresNotifications notifications;

    ClusterSignals(ClusterSignalRepository signals, HostService hosts, PostgresNotifications notifications) {
        this.signals = signals;
        this.hosts = hosts;
        this.notifications = notifications;
    }

    /**
     * Raises every other node's signal and announces it; each catches up at once (by notification) or within
     * one poll (windrose.cluster.signal-poll) when it cannot listen. In a transaction of its own: it is called
     * after a change committed, when the finished one is still bound.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void signalOthers() {
        long local = hosts.local().id().value();
        signals.raiseAllBut(local);
        notifications.notifyNodes(CHANNEL, ALL_BUT + local);
    }

    /** Raises one node's signal (in the caller's transaction; announced when it commits). */
    @Transactional
    public void signal(long node) {
        signals.raise(node);
        notifications.notifyNodes(CHANNEL, Long.toString(node));
    }

    /** Whether an announcement on {@link #CHANNEL} is for the given node. */
    public static boolean concerns(String payload, long node) {
        if (payload.startsWith(ALL_BUT)) {
            return !payload.substring(ALL_BUT.length()).equals(Long.toString(node));
        }
        return payload.equals(Long.toString(node));
    }
}
