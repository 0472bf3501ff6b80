package dev.windrose.storage.ui;

import dev.windrose.inventory.HostId;
import java.util.HashMap;
import java.util.Map;

/**
 * The node each pool or volume lives on, by name, for the grids' Node column. Filled by the view at each
 * refresh (a node may be renamed meanwhile); an unknown id shows as "host N".
 */
final class NodeNames {

    private Map<Long, String> names = new HashMap<>();

    void replaceWith(Map<Long, String> current) {
        names = new HashMap<>(current);
    }

    String name(HostId host) {
        return names.getOrDefault(host.value(), "host " + host.value());
    }
}
