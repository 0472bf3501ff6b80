package dev.windrose.cluster;

import dev.windrose.inventory.HostId;
import java.util.List;

/**
 * Implemented by the features that place things on nodes (storage: pools; fabric: listeners), so that
 * removing a node can be refused with the reason without the cluster reaching into their tables.
 */
public interface NodeUsage {

    /** What this feature keeps on the node, in words ("pool fast"); empty when nothing. */
    List<String> heldOn(HostId node);
}
