package dev.windrose.inventory.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.Text;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.theme.lumo.LumoUtility;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouteConfiguration;
import dev.windrose.MainLayout;
import dev.windrose.common.ui.Sizes;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostService;
import dev.windrose.inventory.HostState;
import jakarta.annotation.security.PermitAll;

/** Every host running Windrose, with its state; a name opens the host's detail page. */
@Route(value = "hosts", layout = MainLayout.class)
@PageTitle("Hosts")
@Menu(order = 2, icon = "vaadin:server", title = "Hosts")
@PermitAll
class HostsView extends VerticalLayout {

    HostsView(HostService hosts) {
        setSizeFull();
        // By path: the cluster feature uses inventory, so inventory does not import the cluster's UI.
        Anchor addNode = new Anchor("nodes", "Add a node");
        addNode.setId("hosts-add-node");
        Paragraph nodes = new Paragraph(new Text("Every host here is a node of the cluster. "), addNode,
                new Text(": the Nodes page shows the command to run on a new server, accepts nodes and removes them."));
        nodes.addClassNames(LumoUtility.Margin.NONE);
        add(nodes);
        Grid<HostInfo> grid = new Grid<>();
        grid.addThemeVariants(GridVariant.ROW_STRIPES);
        grid.addComponentColumn(HostsView::nameLink).setHeader("Name").setAutoWidth(true).setFlexGrow(1);
        grid.addComponentColumn(HostsView::state).setHeader("State").setWidth("8rem").setFlexGrow(0);
        grid.addColumn(host -> String.join(", ", host.addresses())).setHeader("Addresses").setFlexGrow(1);
        grid.addColumn(HostInfo::osName).setHeader("OS").setAutoWidth(true);
        grid.addColumn(host -> host.cpuCores() + " cores, " + Sizes.bytes(host.memoryBytes())).setHeader("Resources")
                .setAutoWidth(true);
        grid.addColumn(host -> host.dataplaneVersion() + " (" + host.dataplaneMode() + ")").setHeader("Dataplane")
                .setAutoWidth(true);
        grid.setItemsPageable(pageable -> hosts.list(pageable).getContent(),
                pageable -> Math.toIntExact(hosts.list(org.springframework.data.domain.PageRequest.of(0, 1)).getTotalElements()));
        grid.setEmptyStateText("No host has registered yet.");
        add(grid);
        setFlexGrow(1, grid);
    }

    private static Component nameLink(HostInfo host) {
        String href = RouteConfiguration.forSessionScope().getUrl(HostDetailView.class,
                new RouteParameters(HostDetailView.ID, Long.toString(host.id().value())));
        return new Anchor(href, host.name() + (host.local() ? " (this host)" : ""));
    }

    static Badge state(HostInfo host) {
        Badge badge = new Badge(host.state() == HostState.ONLINE ? "Online" : "Offline");
        badge.addThemeVariants(host.state() == HostState.ONLINE ? BadgeVariant.SUCCESS : BadgeVariant.ERROR);
        return badge;
    }
}
