package dev.windrose.fabric.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.windrose.MainLayout;
import dev.windrose.fabric.FabricService;
import dev.windrose.fabric.SubsystemInfo;
import dev.windrose.security.Role;
import jakarta.annotation.security.PermitAll;

/** Subsystems with their namespace, listener and host counts and whether the dataplane serves them. */
@Route(value = "subsystems", layout = MainLayout.class)
@PageTitle("Subsystems")
@Menu(order = 6, icon = "vaadin:connect", title = "Subsystems")
@PermitAll
class SubsystemsView extends VerticalLayout {

    private final FabricService fabric;
    private final Grid<SubsystemInfo> grid = new Grid<>();

    SubsystemsView(FabricService fabric, AuthenticationContext authentication) {
        this.fabric = fabric;
        setSizeFull();
        HorizontalLayout bar = new HorizontalLayout();
        if (authentication.hasAnyRole(Role.Names.ADMIN, Role.Names.OPERATOR)) {
            Button create = new Button("New subsystem", VaadinIcon.PLUS.create(),
                    click -> new NewSubsystemDialog(fabric, created -> {
                        refresh();
                        getUI().ifPresent(ui -> ui.navigate(SubsystemDetailView.class,
                                new RouteParameters(SubsystemDetailView.ID, created.id().toString())));
                    }).open());
            create.addThemeVariants(ButtonVariant.PRIMARY);
            bar.add(create);
        }
        configureGrid();
        add(bar, grid);
        setFlexGrow(1, grid);
        refresh();
    }

    private void configureGrid() {
        grid.addThemeVariants(GridVariant.ROW_STRIPES, GridVariant.WRAP_CELL_CONTENT);
        grid.addComponentColumn(SubsystemsView::link).setHeader("NQN").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(s -> s.namespaces().size()).setHeader("Namespaces").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(s -> s.listeners().stream().map(l -> l.address() + ":" + l.port()).reduce((a, b) -> a + ", " + b)
                .orElse("—")).setHeader("Listeners").setAutoWidth(true);
        grid.addColumn(s -> s.allowAnyHost() ? "any host" : s.allowedHosts().size() + " allowed")
                .setHeader("Hosts").setAutoWidth(true).setFlexGrow(0);
        grid.addComponentColumn(s -> StateBadge.withReason(s.state(), s.lastError())).setHeader("State").setFlexGrow(1);
        grid.setEmptyStateText("No subsystems yet: create one, then attach a volume and add a listener.");
    }

    private static Component link(SubsystemInfo subsystem) {
        return new RouterLink(subsystem.nqn(), SubsystemDetailView.class,
                new RouteParameters(SubsystemDetailView.ID, subsystem.id().toString()));
    }

    private void refresh() {
        grid.setItems(fabric.list());
    }
}
