package dev.windrose.storage.ui;

import dev.windrose.cluster.NodeRequestFailedException;
import dev.windrose.cluster.NodeRequestPendingException;
import dev.windrose.cluster.NodeUnavailableException;
import dev.windrose.storage.StorageOnNodes;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostService;

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
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Route;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.windrose.MainLayout;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.ui.Notices;
import dev.windrose.common.ui.Sizes;
import dev.windrose.security.Role;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolService;
import dev.windrose.storage.PoolType;
import dev.windrose.storage.VolumeInfo;
import dev.windrose.storage.VolumeService;
import jakarta.annotation.security.PermitAll;
import org.springframework.data.domain.PageRequest;

/** Volumes with their pool, size, use and attachment; operators create, grow and delete them. */
@Route(value = "volumes", layout = MainLayout.class)
@PageTitle("Volumes")
@Menu(order = 5, icon = "vaadin:cube", title = "Volumes")
@PermitAll
class VolumesView extends VerticalLayout implements BeforeEnterObserver {

    private final VolumeService volumes;
    private final StorageOnNodes storage;
    private final HostService hosts;
    private final NodeNames nodeNames = new NodeNames();
    /** More nodes than a small shop's cluster has. */
    private static final int MAX_NODES = 500;
    private final PoolService pools;
    private final Grid<VolumeInfo> grid = new Grid<>();
    private final TextField search = new TextField();
    private final boolean operator;
    /** Links "Attached to" to the subsystem's page, where the fabric provides them. */
    private final @Nullable SubsystemLinks subsystemLinks;

    VolumesView(VolumeService volumes, PoolService pools, StorageOnNodes storage, HostService hosts,
            AuthenticationContext authentication, ObjectProvider<SubsystemLinks> subsystemLinks) {
        this.subsystemLinks = subsystemLinks.getIfAvailable();
        this.volumes = volumes;
        this.storage = storage;
        this.hosts = hosts;
        this.pools = pools;
        this.operator = authentication.hasAnyRole(Role.Names.ADMIN, Role.Names.OPERATOR);
        setSizeFull();
        search.setPlaceholder("Volume name");
        search.setAriaLabel("Search volumes");
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.setClearButtonVisible(true);
        search.addValueChangeListener(change -> refresh());
        HorizontalLayout bar = new HorizontalLayout(search);
        bar.setAlignItems(FlexComponent.Alignment.BASELINE);
        if (operator) {
            Button create = new Button("New volume", VaadinIcon.PLUS.create(),
                    click -> new NewVolumeDialog(volumes, pools, storage, created -> refresh()).open());
            create.addThemeVariants(ButtonVariant.PRIMARY);
            bar.add(create);
        }
        configureGrid();
        add(bar, grid);
        setFlexGrow(1, grid);
        refresh();
    }

    private void configureGrid() {
        // Every column in view at 1024 px beside the navigation: names and NQNs wrap (an NQN at its dots and
        // colons) instead of pushing "Attached to" and the actions off-screen.
        grid.addThemeVariants(GridVariant.ROW_STRIPES, GridVariant.WRAP_CELL_CONTENT);
        // A name (up to 64 characters without a space) cannot wrap: it keeps to one line, cut with "…", whole
        // in the tooltip.
        grid.addComponentColumn(VolumesView::name).setHeader("Name").setWidth("6rem").setFlexGrow(1)
                .setTooltipGenerator(VolumeInfo::name);
        grid.addComponentColumn(VolumesView::pool)
                .setHeader("Pool").setWidth("6rem").setFlexGrow(1).setTooltipGenerator(VolumeInfo::poolName);
        // Shown once there is more than one node (refresh): on one node it says nothing and costs a column.
        grid.addColumn(volume -> nodeNames.name(volume.hostId())).setHeader("Node").setKey("node").setWidth("6rem")
                .setFlexGrow(0).setVisible(false);
        grid.addColumn(volume -> Sizes.bytes(volume.sizeBytes())).setHeader("Size").setWidth("5.5rem").setFlexGrow(0);
        grid.addColumn(volume -> volume.provisioning().name().toLowerCase()).setHeader("Provisioning").setWidth("7.5rem")
                .setFlexGrow(0);
        grid.addColumn(volume -> volume.usedBytes() == null ? "unknown" : Sizes.bytes(volume.usedBytes()))
                .setHeader("Used").setWidth("5.5rem").setFlexGrow(0);
        grid.addComponentColumn(this::attachment).setHeader("Attached to").setKey("attachedTo").setWidth("9rem")
                .setFlexGrow(2);
        if (operator) {
            grid.addComponentColumn(this::actions).setHeader("").setWidth("7rem").setFlexGrow(0);
        }
        grid.setEmptyStateText("No volumes yet: create a pool, then a volume in it.");
    }

    private static Component name(VolumeInfo volume) {
        Span name = new Span(volume.name());
        name.addClassName("truncated");
        return name;
    }

    /** The pool, linked to its row on the Pools page; a long name cut like the volume's. */
    private static Component pool(VolumeInfo volume) {
        RouterLink link = StorageNavigation.pool(volume.poolName());
        Span pool = volume.poolType() == PoolType.MEMORY ? new Span(link, new Span(" (RAM)")) : new Span(link);
        pool.addClassName("truncated");
        return pool;
    }

    /** {@code ?volume=<name>} (from {@link StorageNavigation#volume}) searches for that volume. */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        event.getLocation().getQueryParameters().getSingleParameter(StorageNavigation.VOLUME_PARAMETER)
                .ifPresent(search::setValue);
    }

    private Component attachment(VolumeInfo volume) {
        String nqn = volume.attachedSubsystem();
        if (nqn == null) {
            return new Span("—");
        }
        if (subsystemLinks != null) {
            Optional<Component> link = subsystemLinks.link(nqn);
            if (link.isPresent()) {
                link.get().getElement().getStyle().set("overflow-wrap", "anywhere");
                return link.get();
            }
        }
        Badge badge = new Badge(nqn);
        badge.getStyle().set("white-space", "normal").set("overflow-wrap", "anywhere");
        badge.addThemeVariants(BadgeVariant.SUCCESS);
        return badge;
    }

    private Component actions(VolumeInfo volume) {
        Button grow = new Button(VaadinIcon.EXPAND_SQUARE.create(), click -> grow(volume));
        grow.addThemeVariants(ButtonVariant.TERTIARY, ButtonVariant.LUMO_ICON);
        grow.setAriaLabel("Grow volume " + volume.name());
        grow.setTooltipText("Grow volume " + volume.name());
        Button delete = new Button(VaadinIcon.TRASH.create(), click -> confirmDelete(volume));
        delete.addThemeVariants(ButtonVariant.TERTIARY, ButtonVariant.LUMO_ICON, ButtonVariant.ERROR);
        delete.setAriaLabel("Delete volume " + volume.name());
        delete.setTooltipText(volume.attachedSubsystem() == null ? "Delete volume " + volume.name()
                : "Attached to subsystem " + volume.attachedSubsystem() + ": detach it first");
        return new HorizontalLayout(grow, delete);
    }

    private void grow(VolumeInfo volume) {
        new GrowVolumeDialog(volumes, storage, volume, roomIn(volume), this::refresh).open();
    }

    /** What the volume's pool can still allocate: the most it may grow by. */
    private long roomIn(VolumeInfo volume) {
        try {
            PoolInfo pool = pools.get(volume.poolId());
            return Math.max(0, pool.allocationLimitBytes() - pool.allocatedBytes());
        } catch (NotFoundException gone) {
            return 0;
        }
    }

    private void confirmDelete(VolumeInfo volume) {
        if (volume.attachedSubsystem() != null) {
            Notices.error("Volume " + volume.name() + " is attached to subsystem " + volume.attachedSubsystem()
                    + ": detach it there first.");
            return;
        }
        ConfirmDialog confirm = new ConfirmDialog();
        confirm.setHeader("Delete volume " + volume.name() + "?");
        confirm.setText("Its data is gone for good.");
        confirm.setCancelable(true);
        confirm.setConfirmText("Delete");
        confirm.setConfirmButtonTheme("error primary");
        confirm.addConfirmListener(event -> {
            try {
                storage.deleteVolume(volume.id());
                Notices.success("Volume " + volume.name() + " deleted.");
            } catch (NodeRequestPendingException pending) {
                Notices.success(pending.getMessage());
            } catch (ConflictException | NotFoundException | NodeUnavailableException | NodeRequestFailedException refused) {
                Notices.error(refused.getMessage());
            }
            refresh();
        });
        confirm.open();
    }

    private void refresh() {
        List<HostInfo> nodes = hosts.list(PageRequest.of(0, MAX_NODES)).getContent();
        nodeNames.replaceWith(nodes.stream()
                .collect(java.util.stream.Collectors.toMap(host -> host.id().value(), HostInfo::name)));
        grid.getColumnByKey("node").setVisible(nodes.size() > 1);
        String text = search.getValue();
        grid.setItemsPageable(pageable -> volumes.list(null, null, text, pageable).getContent(),
                pageable -> Math.toIntExact(volumes.list(null, null, text, PageRequest.of(0, 1)).getTotalElements()));
    }
}
