package dev.windrose.inventory.ui;

import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.windrose.inventory.HostId;
import org.springframework.modulith.NamedInterface;

/** Links into the inventory pages for other features' views: by type, never by route string. */
@NamedInterface("navigation")
public final class InventoryNavigation {

    static final String DISK_PARAMETER = "disk";

    private InventoryNavigation() {
    }

    /** A host's page. */
    public static RouterLink host(HostId id, String text) {
        return new RouterLink(text, HostDetailView.class, new RouteParameters(HostDetailView.ID, Long.toString(id.value())));
    }

    /** The Disks page searching for this disk's name. */
    public static RouterLink disk(String diskName, String text) {
        RouterLink link = new RouterLink(text, DisksView.class);
        link.setQueryParameters(QueryParameters.of(DISK_PARAMETER, diskName));
        return link;
    }
}
