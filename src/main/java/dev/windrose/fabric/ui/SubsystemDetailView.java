package dev.windrose.fabric.ui;

import dev.windrose.cluster.ClusterService;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostService;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.data.domain.PageRequest;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.windrose.MainLayout;
import dev.windrose.storage.ui.StorageNavigation;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.ui.CopyableCommand;
import dev.windrose.common.ui.Notices;
import dev.windrose.common.ui.Refresh;
import dev.windrose.dataplane.AnaState;
import dev.windrose.fabric.ConnectCommands;
import dev.windrose.fabric.ConnectionInfo;
import dev.windrose.fabric.DhchapPolicy;
import dev.windrose.fabric.DhchapService;
import dev.windrose.fabric.ShownSecrets;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import dev.windrose.fabric.FabricService;
import dev.windrose.fabric.SubsystemId;
import dev.windrose.fabric.SubsystemInfo;
import dev.windrose.fabric.SubsystemInfo.AllowedHost;
import dev.windrose.fabric.SubsystemInfo.ListenerInfo;
import dev.windrose.fabric.SubsystemInfo.NamespaceInfo;
import dev.windrose.security.Role;
import dev.windrose.storage.VolumeService;
import jakarta.annotation.security.PermitAll;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One subsystem: its namespaces, listeners, allowed hosts and live connections (refreshed every few
 * seconds), and the Connect panel with ready-to-run initiator commands.
 */
@Route(value = "subsystems/:" + SubsystemDetailView.ID, layout = MainLayout.class)
@PermitAll
class SubsystemDetailView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    static final String ID = "id";
    private static final int POLL_MILLIS = 3_000;
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    /** More nodes than a small shop's cluster has. */
    private static final int MAX_NODES = 500;
    private final FabricService fabric;
    private final DhchapService dhchap;
    private final VolumeService volumes;
    private final ClusterService cluster;
    private final HostService hosts;
    /** Node names by host id, reread with each subsystem shown (a node may be renamed meanwhile). */
    private Map<Long, String> nodeNames = Map.of();
    private final boolean operator;

    private final H2 title = new H2();
    private final HorizontalLayout summary = new HorizontalLayout();
    private final Paragraph drift = new Paragraph();
    /** In view for as long as the subsystem is open to every host. */
    private final Paragraph openToAll = new Paragraph();
    private final Checkbox allowAnyHost = new Checkbox("Allow any host to connect");
    private final Grid<NamespaceInfo> namespaces = new Grid<>();
    private final Grid<ListenerInfo> listeners = new Grid<>();
    private final Grid<AllowedHost> allowedHosts = new Grid<>();
    private final Grid<ConnectionInfo> connections = new Grid<>();
    private final Select<String> connectAs = new Select<>();
    private final CopyableCommand linuxDiscover = new CopyableCommand("Linux: discover");
    private final CopyableCommand linuxConnect = new CopyableCommand("Linux: connect");
    private final CopyableCommand esxiDiscover = new CopyableCommand("ESXi: discover");
    private final CopyableCommand esxiConnect = new CopyableCommand("ESXi: connect");
    private @Nullable SubsystemInfo subsystem;
    private List<ConnectionInfo> shownConnections = List.of();
    /**
     * DH-HMAC-CHAP secrets set on this page since it was opened, by host NQN: the Connect panel carries them
     * (and only them) until the page is left; never read back from the server.
     */
    private final Map<String, ShownSecrets> shownSecrets = new java.util.HashMap<>();
    private final CheckboxGroup<DhchapPolicy.Hash> dhchapHashes = new CheckboxGroup<>("Hash functions");
    private final CheckboxGroup<DhchapPolicy.DhGroup> dhchapGroups = new CheckboxGroup<>("DH groups");
    private final Paragraph connectNote = new Paragraph();

    SubsystemDetailView(FabricService fabric, DhchapService dhchap, VolumeService volumes, ClusterService cluster,
            HostService hosts, AuthenticationContext authentication) {
        this.dhchap = dhchap;
        this.cluster = cluster;
        this.hosts = hosts;
        this.fabric = fabric;
        this.volumes = volumes;
        this.operator = authentication.hasAnyRole(Role.Names.ADMIN, Role.Names.OPERATOR);
        title.addClassName("subsystem-nqn");
        title.getStyle().set("font-size", "var(--lumo-font-size-l)").set("word-break", "break-all");
        allowAnyHost.setReadOnly(!operator);
        allowAnyHost.addValueChangeListener(change -> {
            if (change.isFromClient()) {
                confirmAllowAnyHost(change.getValue());
            }
        });
        openToAll.addClassName("subsystem-open-warning");
        openToAll.getStyle().set("color", "var(--lumo-error-text-color)").set("margin", "0");
        openToAll.setText("Any host that reaches a listener may connect and use every namespace of this subsystem: "
                + "for a trial only. Untick \"Allow any host to connect\" and allow hosts by their NQN.");
        configureGrids();
        // Connections come and go without any change here: poll so a new one shows up by itself.
        Refresh.whileAttached(this, POLL_MILLIS, this::refreshLive);
        connectAs.setLabel("Connect as host");
        connectAs.addValueChangeListener(change -> showCommands());
        add(header(), section("Namespaces", namespaces, operator ? new Button("Attach volume", VaadinIcon.PLUS.create(),
                        click -> NamespaceDialog.open(fabric, volumes, id(), this::showAfterChange)) : null),
                section("Listeners", listeners, operator ? new Button("Add listener", VaadinIcon.PLUS.create(),
                        click -> ListenerDialog.open(fabric, cluster, hosts.local().id(), id(), this::showAfterChange)) : null),
                section("Allowed hosts", allowedHosts, operator ? new Button("Allow host", VaadinIcon.PLUS.create(),
                        click -> HostDialog.open(fabric, id(), this::showAfterChange)) : null),
                dhchapPolicy(), section("Connections", connections, null), connectPanel());
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        try {
            long id = Long.parseLong(event.getRouteParameters().get(ID).orElse(""));
            show(fabric.get(new SubsystemId(id)));
        } catch (NumberFormatException | NotFoundException missing) {
            event.rerouteToError(com.vaadin.flow.router.NotFoundException.class, "There is no such subsystem.");
        }
    }



    /** The browser tab names the subsystem (the end of its NQN), so several open tabs can be told apart. */
    @Override
    public String getPageTitle() {
        return subsystem == null ? "Subsystem" : "Subsystem " + shortName(subsystem.nqn());
    }

    /** What follows the NQN's last ':' (its own part, after the naming authority), or the whole NQN. */
    static String shortName(String nqn) {
        int colon = nqn.lastIndexOf(':');
        return colon < 0 || colon == nqn.length() - 1 ? nqn : nqn.substring(colon + 1);
    }

    private SubsystemId id() {
        if (subsystem == null) {
            throw new IllegalStateException("no subsystem shown");
        }
        return subsystem.id();
    }

    private Component header() {
        Button delete = new Button("Delete subsystem", VaadinIcon.TRASH.create(), click -> confirmDelete());
        delete.addThemeVariants(ButtonVariant.ERROR, ButtonVariant.TERTIARY);
        delete.setVisible(operator);
        summary.setAlignItems(FlexComponent.Alignment.CENTER);
        HorizontalLayout actions = new HorizontalLayout(allowAnyHost, delete);
        actions.setAlignItems(FlexComponent.Alignment.BASELINE);
        drift.addClassName("subsystem-drift");
        drift.getStyle().set("color", "var(--lumo-secondary-text-color)").set("margin", "0");
        VerticalLayout header = new VerticalLayout(title, summary, drift, openToAll, actions);
        header.setPadding(false);
        header.setSpacing(false);
        return header;
    }

    private static Component section(String name, Grid<?> grid, @Nullable Button add) {
        HorizontalLayout heading = new HorizontalLayout(new H3(name));
        heading.setAlignItems(FlexComponent.Alignment.BASELINE);
        if (add != null) {
            add.addThemeVariants(ButtonVariant.TERTIARY);
            heading.add(add);
        }
        grid.setAllRowsVisible(true);
        grid.setAriaLabel(name);
        // A reconciler's error is a sentence: let it wrap instead of widening the page.
        grid.addThemeVariants(GridVariant.WRAP_CELL_CONTENT);
        VerticalLayout section = new VerticalLayout(heading, grid);
        section.setPadding(false);
        return section;
    }

    private void configureGrids() {
        namespaces.addColumn(NamespaceInfo::nsid).setHeader("NSID").setKey("nsid").setAutoWidth(true).setFlexGrow(0);
        namespaces.addComponentColumn(ns -> StorageNavigation.volume(ns.volumeName())).setHeader("Volume").setKey("volume")
                .setAutoWidth(true);
        namespaces.addColumn(ns -> ns.backingKind().toLowerCase(java.util.Locale.ROOT))
                .setHeader("Backing").setKey("backing").setAutoWidth(true);
        namespaces.addColumn(NamespaceInfo::nguid).setHeader("NGUID").setKey("nguid").setAutoWidth(true);
        namespaces.addColumn(NamespaceInfo::anaGroup).setHeader("ANA group").setKey("anaGroup").setAutoWidth(true).setFlexGrow(0);
        namespaces.addComponentColumn(ns -> StateBadge.withReason(ns.state(), ns.lastError()))
                .setHeader("State").setKey("state").setFlexGrow(1);
        namespaces.setEmptyStateText("No namespace: attach a volume.");
        listeners.addColumn(l -> nodeName(l.hostId())).setHeader("Node").setKey("node").setAutoWidth(true)
                .setFlexGrow(0);
        listeners.addColumn(ListenerInfo::transport).setHeader("Transport").setKey("transport").setAutoWidth(true).setFlexGrow(0);
        listeners.addColumn(l -> l.addressFamily().equals("IPV6") ? "IPv6" : "IPv4")
                .setHeader("Family").setKey("family").setAutoWidth(true);
        listeners.addColumn(ListenerInfo::address).setHeader("Address").setKey("address").setAutoWidth(true);
        listeners.addColumn(ListenerInfo::port).setHeader("Port").setKey("port").setAutoWidth(true);
        listeners.addColumn(l -> anaWords(l.anaState())).setHeader("ANA state").setKey("anaState").setAutoWidth(true);
        listeners.addComponentColumn(l -> StateBadge.withReason(l.state(), l.lastError()))
                .setHeader("State").setKey("state").setFlexGrow(1);
        listeners.setEmptyStateText("No listener: initiators cannot reach this subsystem yet.");
        allowedHosts.addColumn(AllowedHost::hostNqn).setHeader("Host NQN").setKey("hostNqn").setAutoWidth(true).setFlexGrow(1);
        allowedHosts.addColumn(SubsystemDetailView::authenticationWords).setHeader("Authentication").setKey("dhchap")
                .setAutoWidth(true);
        allowedHosts.addComponentColumn(h -> StateBadge.withReason(h.state(), h.lastError()))
                .setHeader("State").setKey("state").setFlexGrow(1);
        allowedHosts.setEmptyStateText("No allowed host.");
        connections.addColumn(ConnectionInfo::hostNqn).setHeader("Host NQN").setKey("hostNqn").setAutoWidth(true).setFlexGrow(1);
        connections.addColumn(ConnectionInfo::peerAddress).setHeader("From").setKey("from").setAutoWidth(true);
        connections.addColumn(c -> TIME.format(c.connectedAt())).setHeader("Since").setKey("since").setAutoWidth(true);
        connections.addColumn(ConnectionInfo::ioQueues).setHeader("I/O queues").setKey("ioQueues").setAutoWidth(true);
        connections.setEmptyStateText("Nobody is connected.");
        if (operator) {
            namespaces.addComponentColumn(ns -> removeButton("Detach namespace " + ns.nsid(),
                    () -> fabric.removeNamespace(id(), ns.nsid()), "Namespace " + ns.nsid() + " detached.")).setFlexGrow(0);
            listeners.addComponentColumn(l -> removeButton("Remove listener " + l.address() + ":" + l.port(),
                    () -> fabric.removeListener(id(), l.id()), "Listener removed.")).setFlexGrow(0);
            allowedHosts.addComponentColumn(this::dhchapButton).setKey("dhchapAction").setFlexGrow(0);
            allowedHosts.addComponentColumn(h -> removeButton("Disallow host " + h.hostNqn(),
                    () -> fabric.disallowHost(id(), h.id()), "Host disallowed: its connections are closed.")).setFlexGrow(0);
        }
    }

    /** Whether the host must authenticate, since when, with what; never a secret (the console cannot tell one). */
    static String authenticationWords(AllowedHost host) {
        SubsystemInfo.Dhchap dhchap = host.dhchap();
        if (dhchap == null) {
            return "none";
        }
        return "DH-HMAC-CHAP, set " + TIME.format(dhchap.hostSecretSetAt())
                + (dhchap.controllerSecretSetAt() != null ? "; bidirectional" : "")
                + (dhchap.previousAcceptedUntil() != null
                        ? "; previous secret accepted until " + TIME.format(dhchap.previousAcceptedUntil()) : "");
    }

    private Button dhchapButton(AllowedHost host) {
        String label = (host.dhchap() == null ? "Set DH-HMAC-CHAP secret of " : "Rotate DH-HMAC-CHAP secret of ")
                + host.hostNqn();
        Button button = new Button(VaadinIcon.KEY.create(), click -> DhchapDialog.open(dhchap, id(), host,
                this::rememberShown, this::showAfterChange));
        button.addThemeVariants(ButtonVariant.TERTIARY, ButtonVariant.LUMO_ICON);
        button.setAriaLabel(label);
        button.setTooltipText(label);
        return button;
    }

    /** The Connect panel shows the host whose secrets were just set, with them. */
    private void rememberShown(String hostNqn, ShownSecrets secrets) {
        if (secrets.hostSecret() == null && secrets.controllerSecret() == null) {
            shownSecrets.remove(hostNqn);
        } else {
            shownSecrets.put(hostNqn, secrets);
        }
        connectAs.setValue(hostNqn);
        showCommands();
    }

    /** Which hash functions and DH groups hosts of this subsystem may use (all by default). */
    private Component dhchapPolicy() {
        dhchapHashes.setItems(DhchapPolicy.Hash.values());
        dhchapHashes.setItemLabelGenerator(hash -> switch (hash) {
            case SHA256 -> "SHA-256";
            case SHA384 -> "SHA-384";
            case SHA512 -> "SHA-512";
        });
        dhchapGroups.setItems(DhchapPolicy.DhGroup.values());
        dhchapGroups.setItemLabelGenerator(group -> group == DhchapPolicy.DhGroup.NULL ? "null (no Diffie-Hellman)"
                : group.name().toLowerCase(java.util.Locale.ROOT));
        dhchapHashes.setReadOnly(!operator);
        dhchapGroups.setReadOnly(!operator);
        Button save = new Button("Save policy", click -> {
            if (dhchapHashes.getValue().isEmpty() || dhchapGroups.getValue().isEmpty()) {
                Notices.error("Allow at least one hash function and one DH group: no host could authenticate otherwise.");
                return;
            }
            change(() -> dhchap.setPolicy(id(), dhchapHashes.getValue(), dhchapGroups.getValue()),
                    "DH-HMAC-CHAP policy saved.");
        });
        save.setVisible(operator);
        Paragraph about = new Paragraph("Hosts with a secret (the key button of an allowed host) must authenticate "
                + "with DH-HMAC-CHAP; the target takes the strongest hash function and DH group a host offers of those "
                + "allowed here.");
        about.getStyle().set("color", "var(--lumo-secondary-text-color)").set("margin", "0");
        VerticalLayout section = new VerticalLayout(new H3("DH-HMAC-CHAP"), about, dhchapHashes, dhchapGroups, save);
        section.setPadding(false);
        section.addClassName("dhchap-policy");
        return section;
    }

    /** ANA states as the NVMe base specification (8.1.3) names them. */
    static String anaWords(AnaState state) {
        return switch (state) {
            case OPTIMIZED -> "optimized";
            case NON_OPTIMIZED -> "non-optimized";
            case INACCESSIBLE -> "inaccessible";
            case PERSISTENT_LOSS -> "persistent loss";
            case CHANGE -> "changing";
        };
    }

    private Button removeButton(String label, Supplier<SubsystemInfo> action, String done) {
        Button remove = new Button(VaadinIcon.CLOSE_SMALL.create(), click -> change(action, done));
        remove.addThemeVariants(ButtonVariant.TERTIARY, ButtonVariant.LUMO_ICON, ButtonVariant.ERROR);
        remove.setAriaLabel(label);
        remove.setTooltipText(label);
        return remove;
    }

    private Component connectPanel() {
        Paragraph esxiNote = new Paragraph("ESXi connects with its own host NQN (esxcli nvme info get): allow it above. "
                + "Replace " + ConnectCommands.ESXI_ADAPTER + " with your NVMe/TCP adapter (esxcli nvme adapter list).");
        connectNote.addClassName("connect-dhchap-note");
        connectNote.getStyle().set("margin", "0");
        VerticalLayout panel = new VerticalLayout(new H3("Connect"), connectAs, linuxDiscover, linuxConnect, connectNote,
                esxiDiscover, esxiConnect, esxiNote);
        panel.setPadding(false);
        panel.addClassName("connect-panel");
        return panel;
    }

    private void change(Supplier<SubsystemInfo> action, String done) {
        try {
            showAfterChange(action.get());
            Notices.success(done);
        } catch (InvalidInputException | ConflictException | NotFoundException refused) {
            Notices.error(refused.getMessage());
        }
    }

    /**
     * Opening a subsystem to every host, or closing it to all but the allowed ones (which cuts off any
     * other connected host), is asked first; cancelling puts the box back.
     */
    private void confirmAllowAnyHost(boolean open) {
        ConfirmDialog confirm = new ConfirmDialog();
        confirm.setHeader(open ? "Allow any host to connect?" : "Allow only the listed hosts?");
        confirm.setText(open ? "Any host that reaches a listener may then connect and read and write every namespace "
                + "of " + subsystemNqn() + ", without being allowed by its NQN."
                : "Hosts that are not in the allowed list are refused from now on, and cut off if they are connected.");
        confirm.setCancelable(true);
        confirm.setConfirmText(open ? "Allow any host" : "Allow only the listed hosts");
        if (open) {
            confirm.setConfirmButtonTheme("error primary");
        }
        confirm.addConfirmListener(event -> change(() -> fabric.setAllowAnyHost(id(), open),
                open ? "Any host may connect now." : "Only the allowed hosts may connect now."));
        confirm.addCancelListener(event -> allowAnyHost.setValue(!open));
        confirm.open();
    }

    private String subsystemNqn() {
        return subsystem == null ? "" : subsystem.nqn();
    }

    private void confirmDelete() {
        SubsystemInfo shown = subsystem;
        if (shown == null) {
            return;
        }
        List<String> connected = fabric.connections(shown.id()).stream().map(ConnectionInfo::hostNqn).distinct().toList();
        ConfirmDialog confirm = new ConfirmDialog();
        confirm.setHeader("Delete subsystem " + shortName(shown.nqn()) + "?");
        confirm.setText(shown.nqn() + " goes, with its " + shown.namespaces().size() + " namespace(s) and "
                + shown.listeners().size() + " listener(s); its volumes stay and become free. "
                + (connected.isEmpty() ? "No host is connected to it now."
                        : "Connected now, and cut off at once: " + String.join(", ", connected) + "."));
        confirm.setCancelable(true);
        confirm.setConfirmText("Delete");
        confirm.setConfirmButtonTheme("error primary");
        confirm.addConfirmListener(event -> {
            try {
                fabric.delete(id());
                Notices.success("Subsystem " + shown.nqn() + " deleted.");
                getUI().ifPresent(ui -> ui.navigate(SubsystemsView.class));
            } catch (NotFoundException gone) {
                Notices.error(gone.getMessage());
            }
        });
        confirm.open();
    }

    /**
     * A change returns the subsystem as committed, before the reconciler ran; read it again so the new
     * object shows as applied or failed (with why), not as pending until the next refresh.
     */
    private void showAfterChange(SubsystemInfo changed) {
        show(fabric.get(changed.id()));
    }

    private void show(SubsystemInfo shown) {
        this.subsystem = shown;
        getElement().setAttribute("data-telemetry-object", "subsystem:" + shown.nqn()); // telemetry adds its charts
        title.setText(shown.nqn());
        summary.removeAll();
        nodeNames = hosts.list(PageRequest.of(0, MAX_NODES)).getContent().stream()
                .collect(Collectors.toMap(host -> host.id().value(), HostInfo::name));
        // Which node a listener is on matters once there are several (as on the Pools and Volumes pages).
        listeners.getColumnByKey("node").setVisible(nodeNames.size() > 1);
        summary.add(new Span("Serial " + shown.serial()), new Span("Model " + shown.model()),
                StateBadge.withReason(shown.state(), shown.lastError()));
        // Served by several nodes: each node's word, so "applied on A, failed on B" shows as such.
        if (shown.nodes().size() > 1) {
            for (SubsystemInfo.NodeState node : shown.nodes()) {
                Span onNode = new Span(node.nodeName() + ":");
                onNode.addClassName("subsystem-node-state");
                summary.add(onNode, StateBadge.of(node.state(), node.lastError()));
            }
        }
        // What the reconciler found changed on the dataplane behind the console's back, and repaired.
        drift.setVisible(shown.lastDrift() != null);
        String when = shown.driftAt() == null ? "" : " at " + TIME.format(shown.driftAt());
        drift.setText(shown.lastDrift() == null ? "" : "Drift" + when + ": " + shown.lastDrift());
        allowAnyHost.setValue(shown.allowAnyHost());
        openToAll.setVisible(shown.allowAnyHost());
        namespaces.setItems(shown.namespaces());
        listeners.setItems(shown.listeners());
        allowedHosts.setItems(shown.allowedHosts());
        dhchapHashes.setValue(java.util.Set.copyOf(shown.dhchapPolicy().hashes()));
        dhchapGroups.setValue(java.util.Set.copyOf(shown.dhchapPolicy().dhGroups()));
        showHostChoices(shown);
        showCommands();
        showConnections(fabric.connections(shown.id()));
    }

    private String nodeName(long hostId) {
        return nodeNames.getOrDefault(hostId, "host " + hostId);
    }

    private void showConnections(List<ConnectionInfo> live) {
        shownConnections = live;
        connections.setItems(live);
    }

    /**
     * The allowed hosts; the initiator's own host NQN only where it may connect (any host allowed) or
     * when there is nothing else to show.
     */
    private void showHostChoices(SubsystemInfo shown) {
        List<String> choices = new java.util.ArrayList<>(shown.allowedHosts().stream().map(AllowedHost::hostNqn).toList());
        if (shown.allowAnyHost() || choices.isEmpty()) {
            choices.add(ConnectCommands.LINUX_HOSTNQN);
        }
        String previous = connectAs.getValue();
        connectAs.setItems(choices);
        connectAs.setItemLabelGenerator(choice -> choice.equals(ConnectCommands.LINUX_HOSTNQN)
                ? "The initiator's own (/etc/nvme/hostnqn)" : choice);
        connectAs.setValue(choices.contains(previous) ? previous : choices.getFirst());
    }

    /**
     * Every poll: the live connections and what the reconciler observed. Only what changed is sent to
     * the browser, so an idle page costs a round trip and nothing else, and a menu left open stays open.
     */
    private void refreshLive() {
        if (subsystem == null) {
            return;
        }
        try {
            SubsystemInfo now = fabric.get(subsystem.id());
            if (!now.equals(subsystem)) {
                show(now);
                return;
            }
            List<ConnectionInfo> live = fabric.connections(now.id());
            if (!live.equals(shownConnections)) {
                showConnections(live);
            }
        } catch (NotFoundException gone) {
            showConnections(List.of());
        }
    }

    private void showCommands() {
        if (subsystem == null) {
            return;
        }
        String host = connectAs.getValue() == null || connectAs.getValue().equals(ConnectCommands.LINUX_HOSTNQN) ? null
                : connectAs.getValue();
        // The same method answers REST and the onboarding wizard: every place shows the same commands. Secrets
        // only where they were set on this page just now; a placeholder asks for them otherwise.
        ShownSecrets secrets = host == null ? ShownSecrets.NONE : shownSecrets.getOrDefault(host, ShownSecrets.NONE);
        ConnectCommands commands = fabric.connectCommands(subsystem.id(), host, secrets);
        boolean placeholder = commands.linuxConnect().contains("<paste the");
        connectNote.setVisible(placeholder || secrets != ShownSecrets.NONE);
        connectNote.setText(placeholder ? "This host must authenticate: replace the placeholder with its DH-HMAC-CHAP "
                + "secret (shown once when it was set; rotate it with the key button if it is lost)."
                : "The command carries the secret set just now: keep it private.");
        linuxDiscover.setCommand(commands.linuxDiscover());
        linuxConnect.setCommand(commands.linuxConnect());
        esxiDiscover.setCommand(commands.esxiDiscover());
        esxiConnect.setCommand(commands.esxiConnect());
    }
}
