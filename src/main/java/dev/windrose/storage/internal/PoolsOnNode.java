package dev.windrose.storage.internal;

import dev.windrose.cluster.NodeUsage;
import dev.windrose.inventory.HostId;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** A node with pools cannot leave the cluster: their volumes' data is on it. */
@Component
class PoolsOnNode implements NodeUsage {

    private final PoolRepository pools;

    PoolsOnNode(PoolRepository pools) {
        this.pools = pools;
    }

    @Override
    @Transactional(readOnly = true)
    public List<String> heldOn(HostId node) {
        return pools.findByHostIdOrderByName(node.value()).stream().map(pool -> "pool " + pool.name()).toList();
    }
}
