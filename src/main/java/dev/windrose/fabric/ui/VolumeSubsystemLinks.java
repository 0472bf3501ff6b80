package dev.windrose.fabric.ui;

import dev.windrose.fabric.FabricService;
import dev.windrose.storage.ui.SubsystemLinks;
import java.util.Optional;

/** The fabric's side of {@link SubsystemLinks}: a volume's "Attached to" links to its subsystem's page. */
@org.springframework.stereotype.Component
class VolumeSubsystemLinks implements SubsystemLinks {

    private final FabricService fabric;

    VolumeSubsystemLinks(FabricService fabric) {
        this.fabric = fabric;
    }

    @Override
    public Optional<com.vaadin.flow.component.Component> link(String subsystemNqn) {
        return fabric.list().stream().filter(subsystem -> subsystem.nqn().equals(subsystemNqn)).findFirst()
                .map(subsystem -> FabricNavigation.subsystem(subsystem.id(), subsystem.nqn()));
    }
}
