package dev.windrose.storage.ui;

import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.RouterLink;
import org.springframework.modulith.NamedInterface;

/** Links into the storage pages for other features' views: by type, never by route string. */
@NamedInterface("navigation")
public final class StorageNavigation {

    static final String POOL_PARAMETER = "pool";
    static final String VOLUME_PARAMETER = "volume";

    private StorageNavigation() {
    }

    /** The Pools page. */
    public static RouterLink pools(String text) {
        return new RouterLink(text, PoolsView.class);
    }

    /** The Volumes page. */
    public static RouterLink volumes(String text) {
        return new RouterLink(text, VolumesView.class);
    }

    /** The Pools page showing only this pool (with a way back to all). */
    public static RouterLink pool(String poolName) {
        RouterLink link = new RouterLink(poolName, PoolsView.class);
        link.setQueryParameters(QueryParameters.of(POOL_PARAMETER, poolName));
        return link;
    }

    /** The Volumes page searching for this volume. */
    public static RouterLink volume(String volumeName) {
        RouterLink link = new RouterLink(volumeName, VolumesView.class);
        link.setQueryParameters(QueryParameters.of(VOLUME_PARAMETER, volumeName));
        return link;
    }
}
