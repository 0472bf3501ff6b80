package dev.windrose.storage;

import dev.windrose.cluster.NodeRequestPendingException;
import dev.windrose.cluster.NodeRequests;
import dev.windrose.inventory.HostId;
import org.springframework.stereotype.Service;

/**
 * The console's way to change pools and volumes on whichever node holds them (issue 15): here through
 * the services, on another node through {@link NodeRequests}, which that node carries out with the same
 * calls. Not transactional: asking another node waits for its answer (a few seconds at most).
 *
 * <p>Every method throws what the local call throws (the node's refusal prefixed with its name), the
 * cluster's NodeUnavailableException for an offline node, and {@link NodeRequestPendingException} when
 * the node has not answered in time (it makes the change when it gets to it).
 */
@Service
public class StorageOnNodes {

    private final PoolService pools;
    private final VolumeService volumes;
    private final NodeRequests nodes;

    StorageOnNodes(PoolService pools, VolumeService volumes, NodeRequests nodes) {
        this.pools = pools;
        this.volumes = volumes;
        this.nodes = nodes;
    }

    public PoolInfo createPool(HostId node, NewPool request) {
        if (nodes.isLocal(node)) {
            return pools.create(request);
        }
        return pools.get(new PoolId(nodes.createdId(nodes.carriedOut(node, PoolService.CREATE_ON_NODE, request))));
    }

    public void deletePool(PoolId id) {
        HostId node = pools.get(id).hostId();
        if (nodes.isLocal(node)) {
            pools.delete(id);
        } else {
            nodes.carriedOut(node, PoolService.DELETE_ON_NODE, id);
        }
    }

    /** On the node of the volume's pool (a pool that does not exist is refused by the local call, in its words). */
    public VolumeInfo createVolume(NewVolume request) {
        HostId node;
        try {
            node = pools.get(request.pool()).hostId();
        } catch (dev.windrose.common.NotFoundException missing) {
            return volumes.create(request);
        }
        if (nodes.isLocal(node)) {
            return volumes.create(request);
        }
        return volumes.get(new VolumeId(nodes.createdId(nodes.carriedOut(node, VolumeService.CREATE_ON_NODE,
                request))));
    }

    public VolumeInfo growVolume(VolumeId id, long newSizeBytes) {
        HostId node = volumes.get(id).hostId();
        if (nodes.isLocal(node)) {
            return volumes.grow(id, newSizeBytes);
        }
        nodes.carriedOut(node, VolumeService.GROW_ON_NODE, new VolumeService.Growth(id, newSizeBytes));
        return volumes.get(id);
    }

    public void deleteVolume(VolumeId id) {
        HostId node = volumes.get(id).hostId();
        if (nodes.isLocal(node)) {
            volumes.delete(id);
        } else {
            nodes.carriedOut(node, VolumeService.DELETE_ON_NODE, id);
        }
    }
}
