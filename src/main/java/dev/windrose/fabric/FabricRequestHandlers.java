package dev.windrose.fabric;

import dev.windrose.cluster.NodeRequestHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What this node carries out when another node's console or REST asks (issue 15): a listener on its address. */
@Configuration(proxyBeanMethods = false)
class FabricRequestHandlers {

    @Bean
    NodeRequestHandler<FabricService.NewListener> addListenerForAnotherNode(FabricService fabric) {
        return NodeRequestHandler.of(FabricService.ADD_LISTENER_ON_NODE, FabricService.NewListener.class,
                listener -> {
                    fabric.addListener(listener.subsystem(), listener.transport(), listener.address(), listener.port());
                    return fabric.get(listener.subsystem());
                });
    }
}
