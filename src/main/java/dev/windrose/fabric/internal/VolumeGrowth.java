package dev.windrose.fabric.internal;

import dev.windrose.fabric.FabricChanged;
import dev.windrose.fabric.SubsystemId;
import dev.windrose.storage.VolumeGrown;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A grown volume that a subsystem exports: its namespace takes the new size in the same transaction, and
 * the reconciliation that follows the commit resizes it on the live target, where connected hosts are told
 * (Namespace Attribute Changed) and rescan, as with Linux nvmet. No remove and re-add: I/O goes on.
 */
@Component
public class VolumeGrowth {

    private final NamespaceRepository namespaces;
    private final ApplicationEventPublisher events;

    VolumeGrowth(NamespaceRepository namespaces, ApplicationEventPublisher events) {
        this.namespaces = namespaces;
        this.events = events;
    }

    /** Runs inside the growing transaction (a plain listener), so both commit or neither. */
    @EventListener
    public void volumeGrew(VolumeGrown grown) {
        namespaces.findByVolumeId(grown.volume().value()).ifPresent(namespace -> {
            namespace.grow(grown.newSizeBytes());
            events.publishEvent(new FabricChanged(new SubsystemId(namespace.subsystemId())));
        });
    }
}
