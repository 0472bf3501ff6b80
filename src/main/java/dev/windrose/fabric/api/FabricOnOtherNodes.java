package dev.windrose.fabric.api;

import dev.windrose.cluster.NodeRequestHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What this node carries out when another node's console asks (issue 15): a listener on its own address. */
@Configuration(proxyBeanMethods = false)
class FabricOnOtherNodes {

    @Bean
    NodeRequestHandler<SubsystemController.ListenerForNode> addListenerForAnotherNode(SubsystemController subsystems) {
        return NodeRequestHandler.of(SubsystemController.ADD_LISTENER, SubsystemController.ListenerForNode.class,
                subsystems::addListenerHere);
    }
}
