package dev.windrose.cluster.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.windrose.MainLayout;
import dev.windrose.cluster.ClusterService;
import dev.windrose.cluster.CreatedJoinToken;
import dev.windrose.cluster.JoinCommand;
import dev.windrose.cluster.Membership;
import dev.windrose.cluster.NodeDataplanes;
import dev.windrose.cluster.NodeInfo;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.ui.CopyableCommand;
import dev.windrose.common.ui.Notices;
import dev.windrose.common.ui.Refresh;
import dev.windrose.inventory.HostState;
import dev.windrose.security.Role;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The cluster's nodes: each with its id, addresses, state (online, offline, asking to join), last
 * heartbeat, dataplane and what it holds; administrators accept, rename and remove nodes (a refusal is
 * shown in words) and create join tokens. Below, how to add a node: the exact command to run.
 */
@Route(value = NodesView.PATH, layout = MainLayout.class)
@PageTitle("Nodes")
@Menu(order = 2.5, icon = "vaadin:sitemap", title = "Nodes")
@PermitAll
class NodesView extends VerticalLayout {

    static final String PATH = "nodes";
    static final int REFRESH_MILLIS = 2000;
    private static final String UNREADABLE = "The nodes cannot be read now: ";

    private final ClusterService cluster;
    private final ObjectProvider<NodeDataplanes> dataplanes;
    private final Clock clock;
    private final boolean admin;
    private final Grid<NodeInfo> grid = new Grid<>();
    private final Div refusal = new Div();
    private final CopyableCommand joinCommand = new CopyableCommand("Command to run on the new server");
    private final VerticalLayout createdToken = new VerticalLayout();

    NodesView(ClusterService cluster, ObjectProvider<NodeDataplanes> dataplanes, AuthenticationContext authentication,
            Clock clock) {
        this.cluster = cluster;
        this.dataplanes = dataplanes;
        this.clock = clock;
        this.admin = authentication.hasAnyRole(Role.Names.ADMIN);
        setSizeFull();
        refusal.setId("nodes-refusal");
        refusal.getElement().setAttribute("role", "alert");
        refusal.addClassNames(LumoUtility.TextColor.ERROR);
        refusal.setVisible(false);
        configureGrid();
        add(refusal, grid, addANode());
        setFlexGrow(1, grid);
        refresh();
        Refresh.whileAttached(this, REFRESH_MILLIS, this::refresh);
    }

    private void configureGrid() {
        grid.addThemeVariants(GridVariant.ROW_STRIPES, GridVariant.WRAP_CELL_CONTENT);
        grid.setMinHeight("12rem");
        grid.addColumn(node -> node.name() + (node.local() ? " (this node)" : "")).setHeader("Name")
                .setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(node -> node.id().value() + " · " + node.machineId()).setHeader("Id").setAutoWidth(true);
        grid.addColumn(node -> String.join(", ", node.addresses())).setHeader("Addresses").setFlexGrow(1);
        grid.addComponentColumn(NodesView::state).setHeader("State").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(this::heartbeat).setHeader("Last heartbeat").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(this::dataplane).setHeader("Dataplane").setFlexGrow(1);
        grid.addColumn(node -> node.holds().isEmpty() ? "Nothing" : String.join(", ", node.holds()))
                .setHeader("Holds").setFlexGrow(1);
        if (admin) {
            grid.addComponentColumn(this::actions).setHeader("").setAutoWidth(true).setFlexGrow(0);
        }
        grid.setEmptyStateText("No node has registered yet.");
    }

    void refresh() {
        try {
            grid.setItems(cluster.nodes());
            if (refusal.getText().startsWith(UNREADABLE)) {
                refusal.setVisible(false);
                refusal.setText("");
            }
        } catch (RuntimeException databaseAway) {
            // The page stays with what it showed and says why it is not current (the database may be away).
            refusal.setText(UNREADABLE + databaseAway.getMessage());
            refusal.setVisible(true);
        }
    }

    /** Online, offline, or asking to join (an asking node serves nothing, whatever its heartbeat). */
    static Badge state(NodeInfo node) {
        if (node.membership() == Membership.ASKING) {
            Badge asking = new Badge("Asking to join");
            asking.addThemeVariants(BadgeVariant.WARNING);
            return asking;
        }
        boolean online = node.state() == HostState.ONLINE;
        Badge badge = new Badge(online ? "Online" : "Offline");
        badge.addThemeVariants(online ? BadgeVariant.SUCCESS : BadgeVariant.ERROR);
        return badge;
    }

    private String heartbeat(NodeInfo node) {
        return ago(Duration.between(node.lastHeartbeatAt(), clock.instant()));
    }

    /** "4 s ago", "3 min ago", "2 h ago", "5 days ago". */
    static String ago(Duration age) {
        long seconds = Math.max(0, age.toSeconds());
        if (seconds < 120) {
            return seconds + " s ago";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min ago";
        }
        if (seconds < 172_800) {
            return seconds / 3600 + " h ago";
        }
        return seconds / 86_400 + " days ago";
    }

    String dataplane(NodeInfo node) {
        Optional<String> state = Optional.ofNullable(dataplanes.getIfAvailable()).flatMap(d -> d.state(node.id()));
        return state.orElse("No recent sample");
    }

    private Component actions(NodeInfo node) {
        HorizontalLayout actions = new HorizontalLayout();
        actions.setSpacing(false);
        actions.addClassNames(LumoUtility.Gap.SMALL);
        if (node.membership() == Membership.ASKING) {
            Button accept = new Button("Accept", VaadinIcon.CHECK.create(), click -> accept(node));
            accept.addThemeVariants(ButtonVariant.PRIMARY, ButtonVariant.SMALL);
            accept.setAriaLabel("Accept node " + node.name());
            actions.add(accept);
        }
        Button rename = new Button("Rename", VaadinIcon.EDIT.create(), click -> rename(node));
        rename.addThemeVariants(ButtonVariant.TERTIARY, ButtonVariant.SMALL);
        rename.setAriaLabel("Rename node " + node.name());
        Button remove = new Button(node.membership() == Membership.ASKING ? "Turn away" : "Remove",
                VaadinIcon.TRASH.create(), click -> confirmRemove(node));
        remove.addThemeVariants(ButtonVariant.TERTIARY, ButtonVariant.ERROR, ButtonVariant.SMALL);
        remove.setAriaLabel("Remove node " + node.name());
        actions.add(rename, remove);
        return actions;
    }

    private void accept(NodeInfo node) {
        act(() -> cluster.accept(node.id()), "Node " + node.name() + " accepted: it starts serving within seconds.");
    }

    private void rename(NodeInfo node) {
        TextField name = new TextField("New name", node.name(), "");
        name.setWidthFull();
        name.setMaxLength(255);
        ConfirmDialog dialog = new ConfirmDialog();
        dialog.setHeader("Rename node " + node.name());
        dialog.add(new Paragraph("The name is kept when the node restarts."), name);
        dialog.setCancelable(true);
        dialog.setConfirmText("Rename");
        dialog.addConfirmListener(event -> act(() -> cluster.rename(node.id(), name.getValue()),
                "Node renamed to " + name.getValue().strip() + "."));
        dialog.open();
        name.focus();
    }

    private void confirmRemove(NodeInfo node) {
        ConfirmDialog confirm = new ConfirmDialog();
        boolean asking = node.membership() == Membership.ASKING;
        confirm.setHeader((asking ? "Turn away node " : "Remove node ") + node.name() + "?");
        confirm.setText(asking ? "It stays out of the cluster; started again, it asks again."
                : "It leaves the cluster with its disks' records. Only a stopped node that holds no pool and serves "
                + "no listener can be removed.");
        confirm.setCancelable(true);
        confirm.setConfirmText(asking ? "Turn away" : "Remove");
        confirm.setConfirmButtonTheme("error primary");
        confirm.addConfirmListener(event -> remove(node));
        confirm.open();
    }

    void remove(NodeInfo node) {
        act(() -> cluster.remove(node.id()), "Node " + node.name() + " removed.");
    }

    /** The refusal of the last action, in words; empty when it succeeded. */
    String refusal() {
        return refusal.isVisible() ? refusal.getText() : "";
    }

    /** Runs an administrator's action; a refusal stays on the page in words until the next action. */
    private void act(Runnable action, String success) {
        try {
            action.run();
            refusal.setVisible(false);
            refusal.setText("");
            Notices.success(success);
        } catch (ConflictException | NotFoundException | InvalidInputException refused) {
            refusal.setText(refused.getMessage());
            refusal.setVisible(true);
        }
        refresh();
    }

    private Component addANode() {
        VerticalLayout section = new VerticalLayout();
        section.setPadding(false);
        section.setId("add-a-node");
        H2 heading = new H2("Add a node");
        heading.addClassNames(LumoUtility.FontSize.LARGE, LumoUtility.Margin.Top.MEDIUM, LumoUtility.Margin.Bottom.NONE);
        JoinCommand command = cluster.joinCommand();
        Paragraph how = new Paragraph(command.clustered()
                ? "Install Windrose on the new server and run this there. It appears above as asking to join; "
                + "accept it, or run it with a join token and it joins by itself."
                : "This console keeps its data in its own H2 database, so it is a cluster of one. To add nodes, "
                + "move to a PostgreSQL database that every node reaches and start each node with a command like "
                + "this one (fill in the database's place and password).");
        joinCommand.setCommand(command.command());
        section.add(heading, how, joinCommand);
        if (admin) {
            IntegerField hours = new IntegerField("Join token valid for (hours)");
            hours.setMin(1);
            hours.setMax(720);
            hours.setValue(24);
            hours.setStepButtonsVisible(true);
            Button create = new Button("Create join token", VaadinIcon.KEY.create(), click -> createToken(hours));
            HorizontalLayout row = new HorizontalLayout(hours, create);
            row.setAlignItems(FlexComponent.Alignment.BASELINE);
            createdToken.setPadding(false);
            createdToken.setVisible(false);
            section.add(new Paragraph("For an unattended install: a join token lets one node join without waiting "
                    + "to be accepted. Its secret is shown once."), row, createdToken);
        }
        return section;
    }

    private void createToken(IntegerField hours) {
        Integer valid = hours.getValue();
        if (valid == null || valid < 1 || valid > 720) {
            hours.setInvalid(true);
            hours.setErrorMessage("A join token is valid for 1 to 720 hours.");
            return;
        }
        hours.setInvalid(false);
        try {
            CreatedJoinToken token = cluster.createJoinToken(Duration.ofHours(valid));
            CopyableCommand withToken = new CopyableCommand("Command with join token " + token.id());
            withToken.setCommand(token.command());
            Span note = new Span("Join token " + token.id() + ", valid until " + token.expiresAt()
                    + ". This is the only time its secret is shown; it admits one node.");
            note.getElement().setAttribute("role", "status");
            createdToken.removeAll();
            createdToken.add(note, withToken);
            createdToken.setVisible(true);
        } catch (InvalidInputException refused) {
            hours.setInvalid(true);
            hours.setErrorMessage(refused.getMessage());
        }
    }

    /** What the grid shows now (for tests). */
    List<NodeInfo> shown() {
        return grid.getListDataView().getItems().toList();
    }

}
