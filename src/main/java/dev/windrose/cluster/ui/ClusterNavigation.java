package dev.windrose.cluster.ui;

import com.vaadin.flow.router.RouterLink;
import org.springframework.modulith.NamedInterface;

/**
 * Links to the cluster's pages for other features (the one type of this package they may use); features
 * the cluster itself uses (inventory) link by path, since importing this would make a cycle.
 */
@NamedInterface("navigation")
public final class ClusterNavigation {

    private ClusterNavigation() {
    }

    /** A link to the Nodes page, where nodes are accepted and the join command is shown. */
    public static RouterLink nodes(String text) {
        return new RouterLink(text, NodesView.class);
    }
}
