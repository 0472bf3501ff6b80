package dev.windrose.dataplane;

import java.time.Instant;

/** A connected NVMe controller (an initiator's association with a subsystem), from wr_ctrlr_info. */
public record ControllerInfo(String subsystemNqn, String hostNqn, String peerAddress, byte[] hostId, int controllerId,
        int ioQueues, int keepAliveMillis, int reactorId, boolean discovery, Instant connectedAt) {

    public ControllerInfo {
        hostId = hostId.clone();
    }
}
