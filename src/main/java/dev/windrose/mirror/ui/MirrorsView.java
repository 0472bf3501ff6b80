package dev.windrose.mirror.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.windrose.MainLayout;
import dev.windrose.cluster.NodeUnavailableException;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.ui.Notices;
import dev.windrose.common.ui.Sizes;
import dev.windrose.mirror.MirrorService;
import dev.windrose.mirror.MirroredVolumeInfo;
import dev.windrose.mirror.MirroredVolumeInfo.LegInfo;
import dev.windrose.security.Role;
import dev.windrose.storage.PoolService;
import jakarta.annotation.security.PermitAll;
import java.util.stream.Collectors;

/**
 * Mirrored volumes (issue 16): each with its two legs, which node is active, whether the partner is in sync,
 * resync progress and the last failover; operators create and delete them.
 */
@Route(value = "mirrors", layout = MainLayout.class)
@PageTitle("Mirrored volumes")
@Menu(order = 5.5, icon = "vaadin:copy", title = "Mirrored volumes")
@PermitAll
class MirrorsView extends VerticalLayout {

    private final MirrorService mirrors;
    private final PoolService pools;
    private final Grid<MirroredVolumeInfo> grid = new Grid<>();
    private final Grid<MirroredVolumeInfo.MirrorEventInfo> events = new Grid<>();
    private final boolean operator;
    private final NodeMaintenancePanel maintenance;

    MirrorsView(MirrorService mirrors, PoolService pools, AuthenticationContext authentication) {
        this.mirrors = mirrors;
        this.pools = pools;
        this.operator = authentication.hasAnyRole(Role.Names.ADMIN, Role.Names.OPERATOR);
        this.maintenance = new NodeMaintenancePanel(mirrors, this::refresh);
        setSizeFull();
        Paragraph about = new Paragraph("A mirrored volume keeps every write on two nodes. Hosts reach it through "
                + "listeners on both nodes (NVMe multipath); one node is active, and when it fails the other takes "
                + "over within seconds, with no error reaching the host. PostgreSQL is the witness that decides which "
                + "node is active: run it on a third machine (or replicated), or losing the node that runs it stops "
                + "the other one too.");
        about.addClassName("wr-muted");
        Button create = new Button("New mirrored volume", click -> new NewMirrorDialog(mirrors, pools, this::refresh).open());
        create.addThemeVariants(ButtonVariant.PRIMARY);
        create.setVisible(operator);
        add(new HorizontalLayout(create), about, grid, new Span("Recent events of the selected mirrored volume"), events);
        if (operator) {
            add(maintenance);
        }
        configureGrid();
        events.addColumn(e -> e.at().toString()).setHeader("When").setAutoWidth(true);
        events.addColumn(MirroredVolumeInfo.MirrorEventInfo::node).setHeader("Node").setAutoWidth(true);
        events.addColumn(MirroredVolumeInfo.MirrorEventInfo::kind).setHeader("What").setAutoWidth(true);
        events.addColumn(MirroredVolumeInfo.MirrorEventInfo::detail).setHeader("Detail").setFlexGrow(1);
        events.setHeight("14rem");
        grid.asSingleSelect().addValueChangeListener(change -> events.setItems(
                change.getValue() == null ? java.util.List.of() : change.getValue().recentEvents()));
        refresh();
    }

    private void configureGrid() {
        grid.addThemeVariants(GridVariant.ROW_STRIPES);
        grid.addColumn(MirroredVolumeInfo::name).setHeader("Name").setAutoWidth(true);
        grid.addColumn(m -> Sizes.bytes(m.sizeBytes())).setHeader("Size").setAutoWidth(true);
        grid.addColumn(m -> m.legs().stream().filter(LegInfo::active).map(LegInfo::nodeName).findFirst().orElse("?"))
                .setHeader("Active node").setAutoWidth(true);
        grid.addColumn(m -> m.legs().stream().map(MirrorsView::legText).collect(Collectors.joining("; ")))
                .setHeader("Legs").setFlexGrow(1);
        grid.addComponentColumn(MirrorsView::stateBadge).setHeader("State").setAutoWidth(true);
        grid.addColumn(MirrorsView::lastFailover).setHeader("Last failover").setAutoWidth(true);
        grid.addColumn(m -> m.attachedTo() == null ? "Not exported" : m.attachedTo()).setHeader("Exported by")
                .setAutoWidth(true);
        grid.addColumn(MirrorsView::hostPaths).setHeader("Hosts and their paths").setFlexGrow(1);
        if (operator) {
            grid.addComponentColumn(this::actions).setHeader("").setAutoWidth(true);
        }
        grid.setAllRowsVisible(true);
    }

    private static String legText(LegInfo leg) {
        return leg.leg() + " on " + leg.nodeName() + " (pool " + leg.poolName() + ", "
                + (leg.current() ? "current" : "out of sync") + ")";
    }

    private static Component stateBadge(MirroredVolumeInfo mirror) {
        String state = mirror.state() == null ? "not exported yet" : mirror.state();
        if ("RESYNCING".equals(state) && mirror.resyncProgress() != null) {
            state = "resynchronising " + Math.round(mirror.resyncProgress() * 100) + " %"
                    + (mirror.resyncSecondsLeft() == null ? "" : ", about " + mirror.resyncSecondsLeft() + " s left");
        } else if ("DEGRADED".equals(state) && mirror.dirtyBytes() != null) {
            state = "degraded: " + Sizes.bytes(mirror.dirtyBytes()) + " to copy back";
        } else if ("IN_SYNC".equals(state)) {
            state = "in sync";
        }
        Badge badge = new Badge(state);
        badge.addThemeVariants("in sync".equals(state) ? BadgeVariant.SUCCESS
                : state.startsWith("degraded") ? BadgeVariant.ERROR : BadgeVariant.CONTRAST);
        return badge;
    }

    /** Per host: live paths, how many of them optimized, and through which node, so a lost path shows. */
    private static String hostPaths(MirroredVolumeInfo mirror) {
        if (mirror.hosts().isEmpty()) {
            return "no host connected";
        }
        return mirror.hosts().stream().map(host -> host.hostNqn() + ": " + host.livePaths() + " live path(s), "
                + host.optimizedPaths() + " optimized (" + host.paths().stream()
                        .map(p -> p.nodeName() + " " + (p.nodeOnline() ? p.anaState().toLowerCase(java.util.Locale.ROOT)
                                : "down"))
                        .collect(Collectors.joining(", ")) + ")")
                .collect(Collectors.joining("; "));
    }

    private static String lastFailover(MirroredVolumeInfo mirror) {
        if (mirror.lastFailoverAt() == null) {
            return "none";
        }
        return mirror.lastFailoverAt() + (mirror.lastFailoverMillis() == null ? ""
                : " (served again after " + mirror.lastFailoverMillis() + " ms)");
    }

    private Component actions(MirroredVolumeInfo mirror) {
        boolean inSync = mirror.legs().stream().allMatch(LegInfo::current);
        Button handOver = new Button("Hand over", click -> act(() -> mirrors.handOver(mirror.id()),
                done -> "The other node serves " + mirror.name() + " now; hosts waited " + pause(done.lastFailoverMillis())
                        + "."));
        Button drill = new Button("Failover drill", click -> act(() -> mirrors.drill(mirror.id()),
                done -> "Drill of " + mirror.name() + ": over in " + pause(done.overPauseMillis()) + ", back in "
                        + pause(done.backPauseMillis()) + "."));
        for (Button button : java.util.List.of(handOver, drill)) {
            button.addThemeVariants(ButtonVariant.TERTIARY);
            if (!inSync) {
                button.setEnabled(false);
                button.setTooltipText("A leg is out of sync: wait until the resync is done.");
            }
        }
        return new HorizontalLayout(handOver, drill, deleteButton(mirror));
    }

    private static String pause(@org.jspecify.annotations.Nullable Long millis) {
        return millis == null ? "(not measured: the other node did not report in time)" : millis + " ms";
    }

    private <T> void act(java.util.function.Supplier<T> action, java.util.function.Function<T, String> said) {
        try {
            Notices.success(said.apply(action.get()));
        } catch (ConflictException | NotFoundException | InvalidInputException | NodeUnavailableException e) {
            Notices.error(e.getMessage());
        }
        refresh();
    }

    private Component deleteButton(MirroredVolumeInfo mirror) {
        Button delete = new Button("Delete", click -> {
            ConfirmDialog confirm = new ConfirmDialog("Delete mirrored volume " + mirror.name() + "?",
                    "Both legs and their data are deleted on both nodes.", "Delete", yes -> delete(mirror));
            confirm.setCancelable(true);
            confirm.setConfirmButtonTheme("error primary");
            confirm.open();
        });
        delete.addThemeVariants(ButtonVariant.ERROR, ButtonVariant.TERTIARY);
        if (mirror.attachedTo() != null) {
            delete.setEnabled(false);
            delete.setTooltipText("Exported by " + mirror.attachedTo() + ": remove its namespace there first.");
        }
        return delete;
    }

    private void delete(MirroredVolumeInfo mirror) {
        try {
            mirrors.delete(mirror.id());
            Notices.success("Mirrored volume " + mirror.name() + " deleted.");
        } catch (ConflictException | NotFoundException | InvalidInputException | NodeUnavailableException e) {
            Notices.error(e.getMessage());
        }
        refresh();
    }

    void refresh() {
        var all = mirrors.list();
        grid.setItems(all);
        maintenance.showNodesOf(all);
    }
}
