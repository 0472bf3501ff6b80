package dev.windrose.storage.ui;

import dev.windrose.cluster.NodeRequestFailedException;
import dev.windrose.cluster.NodeRequestPendingException;
import dev.windrose.cluster.NodeUnavailableException;
import dev.windrose.storage.StorageOnNodes;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostService;
import dev.windrose.cluster.ClusterService;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.progressbar.ProgressBarVariant;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import java.util.List;
import org.jspecify.annotations.Nullable;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.spring.security.AuthenticationContext;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.windrose.MainLayout;
import dev.windrose.common.ConflictException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.ui.Notices;
import dev.windrose.common.ui.Sizes;
import dev.windrose.inventory.DiskService;
import dev.windrose.security.Role;
import dev.windrose.storage.ImportablePool;
import dev.windrose.storage.PoolImportService;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolService;
import dev.windrose.storage.PoolType;
import jakarta.annotation.security.PermitAll;
import java.util.Locale;
import org.springframework.data.domain.PageRequest;

/** Pools with capacity bars (allocated and really used), warnings, and create/delete for operators. */
@Route(value = "pools", layout = MainLayout.class)
@PageTitle("Pools")
@Menu(order = 4, icon = "vaadin:database", title = "Pools")
@PermitAll
class PoolsView extends VerticalLayout implements BeforeEnterObserver {

    private final PoolService pools;
    private final StorageOnNodes storage;
    private final HostService hosts;
    private final NodeNames nodeNames = new NodeNames();
    /** More nodes than a small shop's cluster has. */
    private static final int MAX_NODES = 500;
    private final PoolImportService imports;
    private final Grid<PoolInfo> grid = new Grid<>();
    private final VerticalLayout found = new VerticalLayout();
    /** Shown while the page shows one pool (a link from elsewhere): which, and the way back to all. */
    private final HorizontalLayout onlyBar = new HorizontalLayout();
    private @Nullable String onlyPool;
    private final boolean operator;

    PoolsView(PoolService pools, PoolImportService imports, DiskService disks, StorageOnNodes storage,
            ClusterService cluster, HostService hosts, AuthenticationContext authentication) {
        this.pools = pools;
        this.storage = storage;
        this.hosts = hosts;
        this.imports = imports;
        this.operator = authentication.hasAnyRole(Role.Names.ADMIN, Role.Names.OPERATOR);
        setSizeFull();
        if (operator) {
            Button create = new Button("New pool", VaadinIcon.PLUS.create(),
                    click -> new NewPoolDialog(storage, cluster, hosts.local().id(), disks, created -> refresh()).open());
            create.addThemeVariants(ButtonVariant.PRIMARY);
            add(create);
        }
        found.setPadding(false);
        found.setSpacing(false);
        configureGrid();
        onlyBar.setVisible(false);
        onlyBar.setAlignItems(FlexComponent.Alignment.BASELINE);
        add(found, onlyBar, grid);
        setFlexGrow(1, grid);
        refresh();
    }

    /** {@code ?pool=<name>} (from {@link StorageNavigation#pool}) shows only that pool. */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        onlyPool = event.getLocation().getQueryParameters().getSingleParameter(StorageNavigation.POOL_PARAMETER)
                .orElse(null);
        onlyBar.removeAll();
        onlyBar.setVisible(onlyPool != null);
        if (onlyPool != null) {
            onlyBar.add(new Span("Showing pool " + onlyPool + "."), new RouterLink("Show all pools", PoolsView.class));
        }
        refresh();
    }

    private void configureGrid() {
        // Every column in view at 1024 px (beside the navigation): text wraps instead of ending in "…", the
        // type badge has a fixed width (auto-width is measured before badges render and cut them).
        grid.addThemeVariants(GridVariant.ROW_STRIPES, GridVariant.WRAP_CELL_CONTENT);
        grid.addColumn(PoolInfo::name).setHeader("Name").setWidth("7rem").setFlexGrow(1);
        // Shown once there is more than one node (refresh): on one node it says nothing and costs a column.
        grid.addColumn(pool -> nodeNames.name(pool.hostId())).setHeader("Node").setKey("node").setWidth("6rem")
                .setFlexGrow(0).setVisible(false);
        grid.addComponentColumn(PoolsView::type).setHeader("Type").setWidth("8.5rem").setFlexGrow(0);
        grid.addColumn(PoolsView::backing).setHeader("Backed by").setWidth("7rem").setFlexGrow(1);
        grid.addComponentColumn(PoolsView::capacity).setHeader("Capacity").setWidth("12rem").setFlexGrow(2);
        grid.addColumn(PoolInfo::volumeCount).setHeader("Volumes").setWidth("6rem").setFlexGrow(0);
        if (operator) {
            grid.addComponentColumn(this::deleteButton).setHeader("").setWidth("5rem").setFlexGrow(0);
        }
        grid.setEmptyStateText("No pools yet. A pool turns disks, a directory or RAM into room for volumes.");
    }

    private static Component type(PoolInfo pool) {
        Badge badge = new Badge(switch (pool.type()) {
            case DISK -> "Disk";
            case DIRECTORY -> "Directory (thin)";
            case MEMORY -> "Memory";
        });
        badge.addThemeVariants(pool.type() == PoolType.MEMORY ? BadgeVariant.WARNING : BadgeVariant.CONTRAST);
        if (pool.dataIsVolatile()) {
            badge.getElement().setAttribute("title", "RAM: the data is lost when Windrose restarts.");
        }
        return badge;
    }

    private static String backing(PoolInfo pool) {
        return switch (pool.type()) {
            case DISK -> String.join(", ", pool.disks().stream().map(PoolInfo.PoolDisk::name).toList());
            case DIRECTORY -> String.valueOf(pool.directory());
            case MEMORY -> "RAM — data vanishes on restart";
        };
    }

    /** A bar of what is allocated against the allocation limit, what is really used, and what is wrong. */
    static Component capacity(PoolInfo pool) {
        VerticalLayout box = new VerticalLayout();
        box.setPadding(false);
        box.setSpacing(false);
        double allocated = fraction(pool.allocatedBytes(), pool.allocationLimitBytes());
        ProgressBar allocation = new ProgressBar(0, 1, allocated);
        allocation.getElement().setAttribute("aria-label", "Allocated of " + pool.name());
        // Red only for what may harm data (a thin pool filling up, overcommitment), never for allocation alone.
        if (!pool.warnings().isEmpty()) {
            allocation.addThemeVariants(ProgressBarVariant.ERROR);
        }
        String used = pool.usedBytes() == null ? "used unknown" : Sizes.bytes(pool.usedBytes()) + " used";
        String limit = pool.overcommitPercent() > 100 ? " (limit " + Sizes.bytes(pool.allocationLimitBytes()) + ", "
                + pool.overcommitPercent() + "%)" : "";
        Span text = new Span(Sizes.bytes(pool.allocatedBytes()) + " allocated of " + Sizes.bytes(pool.capacityBytes())
                + limit + " · " + used);
        text.addClassNames(LumoUtility.FontSize.XSMALL, LumoUtility.TextColor.SECONDARY);
        box.add(allocation, text);
        if (pool.fullyAllocated()) {
            Span full = new Span(pool.mayRunOutOfSpace() ? "Fully allocated: no room for another volume."
                    : "Fully allocated: no room for another volume. Its volumes hold their space, so writes never fail.");
            full.addClassNames(LumoUtility.FontSize.XSMALL, LumoUtility.TextColor.SECONDARY);
            box.add(full);
        }
        for (String warning : pool.warnings()) {
            Span line = new Span(warning);
            line.addClassNames(LumoUtility.FontSize.XSMALL, LumoUtility.TextColor.ERROR);
            box.add(line);
        }
        return box;
    }

    private static double fraction(long part, long whole) {
        return whole <= 0 ? 0 : Math.min(1.0, (double) part / whole);
    }

    private Component deleteButton(PoolInfo pool) {
        Button delete = new Button(VaadinIcon.TRASH.create(), click -> confirmDelete(pool));
        delete.addThemeVariants(ButtonVariant.TERTIARY, ButtonVariant.LUMO_ICON, ButtonVariant.ERROR);
        delete.setAriaLabel("Delete pool " + pool.name());
        delete.setTooltipText(pool.volumeCount() > 0 ? "Delete its " + pool.volumeCount() + " volume(s) first"
                : "Delete pool " + pool.name());
        return delete;
    }

    private void confirmDelete(PoolInfo pool) {
        ConfirmDialog confirm = new ConfirmDialog();
        confirm.setHeader("Delete pool " + pool.name() + "?");
        confirm.setText(pool.type() == PoolType.DISK ? "Its disks are given back and their pool labels wiped."
                : "The pool goes; " + pool.type().name().toLowerCase(Locale.ROOT) + " space is given back.");
        confirm.setCancelable(true);
        confirm.setConfirmText("Delete");
        confirm.setConfirmButtonTheme("error primary");
        confirm.addConfirmListener(event -> {
            try {
                storage.deletePool(pool.id());
                Notices.success("Pool " + pool.name() + " deleted.");
            } catch (NodeRequestPendingException pending) {
                Notices.success(pending.getMessage());
            } catch (ConflictException | NotFoundException | NodeUnavailableException | NodeRequestFailedException refused) {
                Notices.error(refused.getMessage());
            }
            refresh();
        });
        confirm.open();
    }

    /** Pools whose labels are on free disks but not in this database: offered for import, or why not. */
    private void showFoundPools() {
        found.removeAll();
        for (ImportablePool pool : imports.importable()) {
            Span text = new Span("Found on " + String.join(", ", pool.members().stream()
                    .map(ImportablePool.FoundMember::diskName).toList()) + ": pool " + pool.name() + " ("
                    + pool.members().size() + " of " + pool.memberCount() + " disks, " + pool.volumes().size()
                    + " volume(s)), which this console does not know. ");
            Span why = new Span(pool.importable() ? "" : pool.refusal());
            why.addClassNames(LumoUtility.TextColor.ERROR);
            com.vaadin.flow.component.html.Div line = new com.vaadin.flow.component.html.Div(text, why);
            line.getElement().setAttribute("role", "status");
            line.setId("found-pool-" + pool.poolUuid());
            if (operator && pool.importable()) {
                Button importButton = new Button("Import " + pool.name(), VaadinIcon.DOWNLOAD.create(),
                        click -> new ImportPoolDialog(imports, pool, imported -> refresh()).open());
                importButton.addThemeVariants(ButtonVariant.SMALL);
                line.add(importButton);
            }
            found.add(line);
        }
    }

    private void refresh() {
        List<HostInfo> nodes = hosts.list(PageRequest.of(0, MAX_NODES)).getContent();
        nodeNames.replaceWith(nodes.stream()
                .collect(java.util.stream.Collectors.toMap(host -> host.id().value(), HostInfo::name)));
        grid.getColumnByKey("node").setVisible(nodes.size() > 1);
        showFoundPools();
        String only = onlyPool;
        if (only != null) {
            grid.setItems(pools.list(null, null, PageRequest.of(0, 1000)).getContent().stream()
                    .filter(pool -> pool.name().equals(only)).toList());
            return;
        }
        grid.setItemsPageable(pageable -> pools.list(null, null, pageable).getContent(),
                pageable -> Math.toIntExact(pools.list(null, null, PageRequest.of(0, 1)).getTotalElements()));
    }
}
