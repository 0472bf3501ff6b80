package dev.windrose.mirror;

import dev.windrose.cluster.NodeRequestHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What this node carries out when another node's console asks: hand over a mirror it is active for. */
@Configuration(proxyBeanMethods = false)
class MirrorRequestHandlers {

    @Bean
    NodeRequestHandler<MirrorService.HandOver> handOverForAnotherNode(MirrorService mirrors) {
        return NodeRequestHandler.of(MirrorService.HAND_OVER_ON_NODE, MirrorService.HandOver.class,
                mirrors::handOverHere);
    }
}
