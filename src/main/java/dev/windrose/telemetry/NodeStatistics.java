package dev.windrose.telemetry;

import java.util.List;
import java.util.function.Consumer;

/**
 * Every node's newest sample, on any node: each node writes its own to PostgreSQL once per sample
 * interval, the others are woken by PostgreSQL's LISTEN/NOTIFY (polling when notifications are not
 * available, as with H2, where the only node is this one). Reads need the VIEWER role.
 */
public interface NodeStatistics {

    /** The newest sample of each node that wrote one, by node name. */
    List<NodeSample> latest();

    /**
     * Calls {@code follower} with every sample as it arrives (this node's own and the others'), on a
     * thread of this feature's; followers return quickly (hand over with {@code UI.access}).
     */
    Subscription follow(Consumer<NodeSample> follower);
}
