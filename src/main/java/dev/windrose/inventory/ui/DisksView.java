package dev.windrose.inventory.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.windrose.MainLayout;
import dev.windrose.common.ConflictException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.ui.Notices;
import dev.windrose.common.ui.Sizes;
import dev.windrose.inventory.DiskFilter;
import dev.windrose.inventory.DiskHealth;
import dev.windrose.inventory.DiskInfo;
import dev.windrose.inventory.DiskKind;
import dev.windrose.inventory.DiskService;
import dev.windrose.inventory.HealthStatus;
import dev.windrose.inventory.RescanResult;
import dev.windrose.security.Role;
import jakarta.annotation.security.PermitAll;
import org.springframework.data.domain.PageRequest;

/**
 * The disks of every host, with health and whether a pool may take them (and if not, why). Operators
 * rescan; administrators create and delete lab disks.
 */
@Route(value = "disks", layout = MainLayout.class)
@PageTitle("Disks")
@Menu(order = 3, icon = "vaadin:harddrive", title = "Disks")
@PermitAll
class DisksView extends VerticalLayout implements BeforeEnterObserver {

    private final DiskService disks;
    private final Grid<DiskInfo> grid = new Grid<>();
    private final TextField search = new TextField();
    private final Select<String> kind = new Select<>();
    private final Checkbox eligibleOnly = new Checkbox("Only disks free for a pool");
    private final boolean admin;

    DisksView(DiskService disks, AuthenticationContext authentication) {
        this.disks = disks;
        this.admin = authentication.hasRole(Role.Names.ADMIN);
        boolean operator = admin || authentication.hasRole(Role.Names.OPERATOR);
        setSizeFull();
        add(toolbar(operator), configureGrid());
        setFlexGrow(1, grid);
        refresh();
    }

    private Component toolbar(boolean operator) {
        search.setPlaceholder("Name, model or serial");
        search.setAriaLabel("Search disks");
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.setClearButtonVisible(true);
        search.addValueChangeListener(change -> refresh());
        kind.setAriaLabel("Kind");
        kind.setItems("All disks", "Block devices", "Lab disks");
        kind.setValue("All disks");
        kind.addValueChangeListener(change -> refresh());
        eligibleOnly.addValueChangeListener(change -> refresh());
        HorizontalLayout bar = new HorizontalLayout(search, kind, eligibleOnly);
        bar.setAlignItems(FlexComponent.Alignment.BASELINE);
        bar.setWrap(true);
        if (operator) {
            Button rescan = new Button("Rescan", VaadinIcon.REFRESH.create(), click -> rescan());
            bar.add(rescan);
        }
        if (admin) {
            Button newLab = new Button("New lab disk", VaadinIcon.PLUS.create(),
                    click -> new NewLabDiskDialog(disks, created -> refresh()).open());
            newLab.addThemeVariants(ButtonVariant.PRIMARY);
            bar.add(newLab);
        }
        return bar;
    }

    private Grid<DiskInfo> configureGrid() {
        grid.addThemeVariants(GridVariant.ROW_STRIPES);
        grid.addComponentColumn(DisksView::name).setHeader("Disk").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(DiskInfo::hostName).setHeader("Host").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(disk -> disk.model() == null ? "" : disk.model()).setHeader("Model").setFlexGrow(1);
        grid.addColumn(disk -> disk.serial() == null ? "" : disk.serial()).setHeader("Serial").setAutoWidth(true);
        grid.addColumn(disk -> disk.transport().name().toLowerCase(java.util.Locale.ROOT)
                + (disk.rotational() ? ", HDD" : "")).setHeader("Transport").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(disk -> Sizes.bytes(disk.sizeBytes())).setHeader("Size").setAutoWidth(true).setFlexGrow(0);
        grid.addComponentColumn(DisksView::health).setHeader("Health").setWidth("9rem").setFlexGrow(0);
        grid.addComponentColumn(DisksView::usage).setHeader("Use").setFlexGrow(2);
        if (admin) {
            grid.addComponentColumn(this::deleteButton).setHeader("").setWidth("5rem").setFlexGrow(0);
        }
        grid.setEmptyStateText("No disks match.");
        return grid;
    }

    private static Component name(DiskInfo disk) {
        HorizontalLayout name = new HorizontalLayout(new Span(disk.name()));
        name.setSpacing(true);
        if (disk.kind() == DiskKind.LAB) {
            Badge lab = new Badge("Lab");
            lab.addThemeVariants(BadgeVariant.CONTRAST);
            lab.getElement().setAttribute("title", "File-backed lab disk: " + disk.devicePath());
            name.add(lab);
        }
        return name;
    }

    /** {@code ?disk=<name>} (from {@link InventoryNavigation#disk}) searches for that disk. */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        event.getLocation().getQueryParameters().getSingleParameter(InventoryNavigation.DISK_PARAMETER)
                .ifPresent(search::setValue);
    }

    static Component health(DiskInfo disk) {
        DiskHealth health = disk.health();
        String temperature = health.temperatureCelsius() == null ? "" : " · " + health.temperatureCelsius() + " °C";
        Badge badge = new Badge(switch (health.status()) {
            case OK -> "Healthy";
            case WARNING -> "Warning";
            case FAILING -> "Failing";
            case UNKNOWN -> "Unknown";
        } + temperature);
        badge.addThemeVariants(switch (health.status()) {
            case OK -> BadgeVariant.SUCCESS;
            case WARNING -> BadgeVariant.WARNING;
            case FAILING -> BadgeVariant.ERROR;
            case UNKNOWN -> BadgeVariant.CONTRAST;
        });
        badge.getElement().setAttribute("title", health.detail() == null ? "" : health.detail());
        if (health.status() == HealthStatus.OK || health.detail() == null) {
            return badge;
        }
        // Why it is not OK, written out (not only in a tooltip): the field that made the verdict, or why
        // nothing could be read and what to do about it.
        Span reason = new Span(health.detail());
        reason.addClassNames(LumoUtility.FontSize.XSMALL, LumoUtility.TextColor.SECONDARY);
        reason.getStyle().set("white-space", "normal").set("line-height", "1.3");
        VerticalLayout cell = new VerticalLayout(badge, reason);
        cell.setPadding(false);
        cell.setSpacing(false);
        return cell;
    }

    /** Free, in a pool, missing, or in use with the reason written out (not only in a tooltip). */
    static Component usage(DiskInfo disk) {
        Badge badge;
        Span reason = new Span();
        if (!disk.present()) {
            badge = new Badge("Missing");
            badge.addThemeVariants(BadgeVariant.ERROR);
        } else if (disk.inUseReason() != null) {
            badge = new Badge("In use");
            badge.addThemeVariants(BadgeVariant.ERROR);
            reason.setText(disk.inUseReason());
        } else if (disk.claimedBy() != null) {
            badge = new Badge("Pool " + disk.claimedBy());
            badge.addThemeVariants(BadgeVariant.CONTRAST);
        } else {
            badge = new Badge("Free");
            badge.addThemeVariants(BadgeVariant.SUCCESS);
        }
        HorizontalLayout usage = new HorizontalLayout(badge, reason);
        usage.setAlignItems(FlexComponent.Alignment.CENTER);
        return usage;
    }

    private Component deleteButton(DiskInfo disk) {
        if (disk.kind() != DiskKind.LAB) {
            return new Span();
        }
        Button delete = new Button(VaadinIcon.TRASH.create(), click -> confirmDelete(disk));
        delete.addThemeVariants(ButtonVariant.TERTIARY, ButtonVariant.LUMO_ICON, ButtonVariant.ERROR);
        delete.setAriaLabel("Delete lab disk " + disk.name());
        delete.setTooltipText("Delete lab disk " + disk.name());
        if (disk.claimedBy() != null) {
            // Not offered, then refused: the reason is on the disabled button.
            delete.setEnabled(false);
            delete.setTooltipText("Lab disk " + disk.name() + " belongs to pool " + disk.claimedBy()
                    + ": delete the pool first.");
        }
        return delete;
    }

    private void confirmDelete(DiskInfo disk) {
        ConfirmDialog confirm = new ConfirmDialog();
        confirm.setHeader("Delete lab disk " + disk.name() + "?");
        confirm.setText("Its file " + disk.devicePath() + " is deleted too.");
        confirm.setCancelable(true);
        confirm.setConfirmText("Delete");
        confirm.setConfirmButtonTheme("error primary");
        confirm.addConfirmListener(event -> {
            try {
                disks.deleteLabDisk(disk.id());
                Notices.success("Lab disk " + disk.name() + " deleted.");
            } catch (ConflictException | NotFoundException refused) {
                Notices.error(refused.getMessage());
            }
            refresh();
        });
        confirm.open();
    }

    private void rescan() {
        RescanResult result = disks.rescan();
        Notices.success("Rescan found " + result.blockDevicesFound() + " block devices"
                + (result.appeared().isEmpty() ? "" : "; new: " + String.join(", ", result.appeared()))
                + (result.disappeared().isEmpty() ? "" : "; gone: " + String.join(", ", result.disappeared()))
                + (result.renamed().isEmpty() ? "" : "; renamed by the kernel (same disks): "
                        + String.join(", ", result.renamed())) + ".");
        refresh();
    }

    private void refresh() {
        DiskKind kindFilter = switch (kind.getValue() == null ? "" : kind.getValue()) {
            case "Block devices" -> DiskKind.BLOCK;
            case "Lab disks" -> DiskKind.LAB;
            default -> null;
        };
        DiskFilter filter = new DiskFilter(null, kindFilter, null, search.getValue(), eligibleOnly.getValue());
        grid.setItemsPageable(pageable -> disks.list(filter, pageable).getContent(),
                pageable -> Math.toIntExact(disks.list(filter, PageRequest.of(0, 1)).getTotalElements()));
    }
}
