package dev.windrose.storage;

import dev.windrose.cluster.NodeRequestHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What this node carries out when another node's console or REST asks (issue 15): the same local calls,
 * so a pool created from node A on node B is checked against node B's directories, disks and RAM.
 */
@Configuration(proxyBeanMethods = false)
class StorageRequestHandlers {

    @Bean
    NodeRequestHandler<NewPool> createPoolForAnotherNode(PoolService pools) {
        return NodeRequestHandler.of(PoolService.CREATE_ON_NODE, NewPool.class, pools::create);
    }

    @Bean
    NodeRequestHandler<PoolId> deletePoolForAnotherNode(PoolService pools) {
        return NodeRequestHandler.of(PoolService.DELETE_ON_NODE, PoolId.class, pool -> {
            pools.delete(pool);
            return null;
        });
    }

    @Bean
    NodeRequestHandler<NewVolume> createVolumeForAnotherNode(VolumeService volumes) {
        return NodeRequestHandler.of(VolumeService.CREATE_ON_NODE, NewVolume.class, volumes::create);
    }

    @Bean
    NodeRequestHandler<VolumeService.Growth> growVolumeForAnotherNode(VolumeService volumes) {
        return NodeRequestHandler.of(VolumeService.GROW_ON_NODE, VolumeService.Growth.class,
                growth -> volumes.grow(growth.volume(), growth.sizeBytes()));
    }

    @Bean
    NodeRequestHandler<VolumeId> deleteVolumeForAnotherNode(VolumeService volumes) {
        return NodeRequestHandler.of(VolumeService.DELETE_ON_NODE, VolumeId.class, volume -> {
            volumes.delete(volume);
            return null;
        });
    }
}
