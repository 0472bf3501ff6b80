package dev.windrose.fabric.ui;

import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.windrose.fabric.SubsystemId;
import org.springframework.modulith.NamedInterface;

/** Links into the fabric pages for other features' views: by type, never by route string. */
@NamedInterface("navigation")
public final class FabricNavigation {

    private FabricNavigation() {
    }

    /** The Subsystems page. */
    public static RouterLink subsystems(String text) {
        return new RouterLink(text, SubsystemsView.class);
    }

    /** A subsystem's page. */
    public static RouterLink subsystem(SubsystemId id, String text) {
        return new RouterLink(text, SubsystemDetailView.class,
                new RouteParameters(SubsystemDetailView.ID, Long.toString(id.value())));
    }
}
