package dev.windrose.cluster;

import dev.windrose.inventory.HostId;
import java.util.Optional;

/**
 * Implemented by telemetry, which receives every node's samples: what a node's dataplane last said, in
 * words, so that the Nodes page shows it without the cluster reaching into telemetry.
 */
public interface NodeDataplanes {

    /** "Running", "Stopped: why", or empty when the node sent no sample lately. */
    Optional<String> state(HostId node);
}
