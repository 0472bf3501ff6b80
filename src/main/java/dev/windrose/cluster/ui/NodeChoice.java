package dev.windrose.cluster.ui;

import com.vaadin.flow.component.select.Select;
import dev.windrose.cluster.ClusterService;
import dev.windrose.cluster.Membership;
import dev.windrose.cluster.NodeInfo;
import dev.windrose.inventory.HostId;
import dev.windrose.inventory.HostState;
import java.util.List;
import org.springframework.modulith.NamedInterface;

/**
 * "On which node": for the dialogs that make something that lives on one node (a pool, a listener). Lists
 * the cluster's members, this node first chosen; offline ones are shown but cannot be chosen. Hidden while
 * the cluster is this node alone, so a single-node console looks as before.
 */
@NamedInterface("node-choice")
public final class NodeChoice extends Select<NodeInfo> {

    public NodeChoice(ClusterService cluster, String helperText) {
        setLabel("Node");
        List<NodeInfo> members = cluster.nodes().stream().filter(node -> node.membership() == Membership.MEMBER)
                .toList();
        setItems(members);
        setItemLabelGenerator(NodeChoice::label);
        setItemEnabledProvider(node -> node.state() != HostState.OFFLINE);
        members.stream().filter(NodeInfo::local).findFirst().ifPresent(this::setValue);
        setHelperText(helperText);
        setVisible(members.size() > 1);
    }

    /** The chosen node; this node when nothing is chosen. */
    public HostId chosen(HostId local) {
        NodeInfo node = getValue();
        return node == null ? local : node.id();
    }

    static String label(NodeInfo node) {
        return node.name() + (node.local() ? " (this node)" : "") + (node.state() == HostState.OFFLINE ? " — offline" : "");
    }
}
