package dev.windrose.storage.api;

import dev.windrose.cluster.NodeRequestHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What this node carries out when another node's console asks (issue 15): the same local calls the REST
 * endpoints make, so a pool created from node A on node B is checked against node B's directories and disks.
 */
@Configuration(proxyBeanMethods = false)
class StorageOnOtherNodes {

    @Bean
    NodeRequestHandler<PoolController.NewPoolRequest> createPoolForAnotherNode(PoolController pools) {
        return NodeRequestHandler.of(PoolController.CREATE, PoolController.NewPoolRequest.class, pools::createHere);
    }

    @Bean
    NodeRequestHandler<PoolController.ById> deletePoolForAnotherNode(PoolController pools) {
        return NodeRequestHandler.of(PoolController.DELETE, PoolController.ById.class, pools::deleteHere);
    }

    @Bean
    NodeRequestHandler<VolumeController.NewVolumeRequest> createVolumeForAnotherNode(VolumeController volumes) {
        return NodeRequestHandler.of(VolumeController.CREATE, VolumeController.NewVolumeRequest.class,
                volumes::createHere);
    }

    @Bean
    NodeRequestHandler<VolumeController.Growth> growVolumeForAnotherNode(VolumeController volumes) {
        return NodeRequestHandler.of(VolumeController.GROW, VolumeController.Growth.class, volumes::growHere);
    }

    @Bean
    NodeRequestHandler<PoolController.ById> deleteVolumeForAnotherNode(VolumeController volumes) {
        return NodeRequestHandler.of(VolumeController.DELETE, PoolController.ById.class, volumes::deleteHere);
    }
}
