package dev.windrose.cluster;

import dev.windrose.cluster.internal.ClusterSignalRepository;
import dev.windrose.inventory.HostService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Tells the other nodes that something they serve changed, through their signal counters. */
@Service
public class ClusterSignals {

    private final ClusterSignalRepository signals;
    private final HostService hosts;

    ClusterSignals(ClusterSignalRepository signals, HostService hosts) {
        this.signals = signals;
        this.hosts = hosts;
    }

    /**
     * Raises every other node's signal; each catches up within one poll (windrose.cluster.signal-poll). In a
     * transaction of its own: it is called after a change committed, when the finished one is still bound.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void signalOthers() {
        signals.raiseAllBut(hosts.local().id().value());
    }
}
