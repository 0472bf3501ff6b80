package dev.windrose.fabric;

import java.time.Instant;

/** A live controller of a subsystem: which host, from which address, since when, how many I/O queues. */
public record ConnectionInfo(String hostNqn, String peerAddress, int controllerId, int ioQueues,
        int keepAliveMillis, Instant connectedAt) {
}
