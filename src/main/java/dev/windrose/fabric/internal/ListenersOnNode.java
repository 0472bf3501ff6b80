package dev.windrose.fabric.internal;

import dev.windrose.cluster.NodeUsage;
import dev.windrose.inventory.HostId;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** A node whose addresses subsystems listen on cannot leave the cluster: hosts connect there. */
@Component
class ListenersOnNode implements NodeUsage {

    private final ListenerRepository listeners;
    private final SubsystemRepository subsystems;

    ListenersOnNode(ListenerRepository listeners, SubsystemRepository subsystems) {
        this.listeners = listeners;
        this.subsystems = subsystems;
    }

    @Override
    @Transactional(readOnly = true)
    public List<String> heldOn(HostId node) {
        return listeners.findByHostIdOrderByAddressAscPortAsc(node.value()).stream()
                .map(listener -> "listener " + listener.address() + ":" + listener.port() + " of "
                        + subsystems.findById(listener.subsystemId()).map(SubsystemEntity::nqn).orElse("a subsystem"))
                .toList();
    }
}
