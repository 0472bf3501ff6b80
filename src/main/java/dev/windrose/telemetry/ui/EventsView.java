package dev.windrose.telemetry.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import com.vaadin.flow.component.html.Anchor;
import dev.windrose.MainLayout;
import dev.windrose.fabric.FabricService;
import dev.windrose.fabric.ui.FabricNavigation;
import dev.windrose.inventory.HostId;
import dev.windrose.inventory.ui.InventoryNavigation;
import dev.windrose.storage.ui.StorageNavigation;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.ui.BrowserTime;
import dev.windrose.security.Role;
import dev.windrose.telemetry.AlertRule;
import dev.windrose.telemetry.EventInfo;
import dev.windrose.telemetry.EventService;
import dev.windrose.telemetry.EventState;
import dev.windrose.telemetry.Subscription;
import jakarta.annotation.security.PermitAll;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;

/**
 * Events raised by the alert rules, newest first, filtered by state; operators acknowledge open
 * ones. The list follows changes as they happen (raised, acknowledged, cleared) over the push channel.
 */
@Route(value = EventsView.ROUTE, layout = MainLayout.class)
@PageTitle("Events")
@Menu(order = 1, icon = "vaadin:bell", title = "Events")
@PermitAll
class EventsView extends VerticalLayout {

    static final String ROUTE = "events";

    /** The filter's choices; "All" stands for no state. */
    enum Shown {
        OPEN("Open", EventState.OPEN), ACKNOWLEDGED("Acknowledged", EventState.ACKNOWLEDGED),
        CLEARED("Cleared", EventState.CLEARED), ALL("All", null);

        final String label;
        final @Nullable EventState state;

        Shown(String label, @Nullable EventState state) {
            this.label = label;
            this.state = state;
        }
    }

    private final EventService events;
    private final FabricService fabric;
    private final boolean operator;
    private final Select<Shown> shown = new Select<>();
    private final Grid<EventInfo> grid = new Grid<>();
    private @Nullable Subscription subscription;

    EventsView(EventService events, FabricService fabric, AuthenticationContext authentication) {
        this.events = events;
        this.fabric = fabric;
        this.operator = authentication.hasAnyRole(Role.Names.ADMIN, Role.Names.OPERATOR);
        setSizeFull();
        setPadding(true);
        shown.setLabel("Show");
        shown.setItems(Shown.values());
        shown.setItemLabelGenerator(choice -> choice.label);
        shown.setValue(Shown.ALL);
        shown.addValueChangeListener(change -> grid.getDataProvider().refreshAll());
        HorizontalLayout toolbar = new HorizontalLayout(shown);
        toolbar.setAlignItems(FlexComponent.Alignment.BASELINE);
        if (authentication.hasAnyRole(Role.Names.ADMIN)) {
            toolbar.add(new Anchor(AlertThresholdsView.ROUTE, "Alert thresholds"));
        }
        configureGrid();
        add(toolbar, grid);
    }

    private void configureGrid() {
        grid.setAriaLabel("Events");
        grid.addComponentColumn(EventsView::severityBadge).setHeader("Severity").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(event -> ruleName(event.rule())).setHeader("Rule").setAutoWidth(true).setFlexGrow(0);
        grid.addComponentColumn(this::object).setHeader("Object").setAutoWidth(true);
        grid.addColumn(EventInfo::message).setHeader("What happened").setFlexGrow(2);
        grid.addColumn(event -> stateName(event.state())).setHeader("State").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(event -> time(event.raisedAt())).setHeader("Raised").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(EventsView::handled).setHeader("Acknowledged / cleared").setAutoWidth(true);
        if (operator) {
            grid.addComponentColumn(this::acknowledgeButton).setAutoWidth(true).setFlexGrow(0);
        }
        grid.setEmptyStateText("No event here. Events appear when an alert threshold is crossed.");
        grid.setItems(query -> events.list(shown.getValue().state, PageRequest.of(query.getPage(), query.getPageSize()))
                .stream());
    }

    /**
     * The event's object, linked to its page where it has one: a pool, host, disk, subsystem or namespace.
     * An object that is gone (a deleted subsystem) or has no page is named without a link.
     */
    Component object(EventInfo event) {
        String key = event.objectKey();
        String name = event.objectName();
        int colon = key.indexOf(':');
        String kind = colon < 0 ? "" : key.substring(0, colon);
        String rest = colon < 0 ? "" : key.substring(colon + 1);
        try {
            return switch (kind) {
                case "pool" -> StorageNavigation.pool(name);
                case "host" -> InventoryNavigation.host(new HostId(Long.parseLong(rest)), name);
                case "disk" -> InventoryNavigation.disk(name.substring(name.indexOf(':') + 1), name);
                case "subsystem" -> fabric.list().stream().filter(subsystem -> subsystem.nqn().equals(rest)).findFirst()
                        .<Component>map(subsystem -> FabricNavigation.subsystem(subsystem.id(), name))
                        .orElseGet(() -> new Span(name));
                case "namespace" -> {
                    int slash = rest.lastIndexOf('/');
                    yield new Anchor(NamespaceStatsView.location(rest.substring(0, slash),
                            Integer.parseInt(rest.substring(slash + 1))), name);
                }
                default -> new Span(name);
            };
        } catch (RuntimeException malformed) {
            return new Span(name);
        }
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        UI ui = attach.getUI();
        BrowserTime.ask(ui, () -> grid.getDataProvider().refreshAll());
        subscription = events.subscribe(change -> {
            try {
                ui.access(() -> grid.getDataProvider().refreshAll());
            } catch (UIDetachedException closed) {
                // Gone meanwhile; detach unsubscribes.
            }
        });
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        if (subscription != null) {
            subscription.cancel();
            subscription = null;
        }
    }

    private Component acknowledgeButton(EventInfo event) {
        if (event.state() != EventState.OPEN) {
            return new Span();
        }
        Button acknowledge = new Button("Acknowledge", click -> acknowledge(event));
        acknowledge.addThemeVariants(ButtonVariant.TERTIARY, ButtonVariant.SMALL);
        acknowledge.setAriaLabel("Acknowledge: " + event.message());
        return acknowledge;
    }

    private void acknowledge(EventInfo event) {
        try {
            events.acknowledge(event.id());
            Notification.show("Acknowledged: " + event.objectName() + ".", 4_000, Notification.Position.BOTTOM_START)
                    .addThemeVariants(NotificationVariant.SUCCESS);
        } catch (NotFoundException gone) {
            Notification.show("This event no longer exists: " + gone.getMessage(), 10_000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.ERROR);
        }
        grid.getDataProvider().refreshAll();
    }

    private static Badge severityBadge(EventInfo event) {
        Badge badge = new Badge(event.severity().name().toLowerCase(Locale.ROOT));
        badge.addThemeVariants(switch (event.severity()) {
            case WARNING -> BadgeVariant.WARNING;
            case CRITICAL -> BadgeVariant.ERROR;
        });
        return badge;
    }

    static String ruleName(AlertRule rule) {
        return switch (rule) {
            case POOL_USAGE -> "Pool usage";
            case LATENCY_P99 -> "p99 latency";
            case HOST_HEARTBEAT -> "Host heartbeat";
            case DISK_HEALTH -> "Disk health";
            case RECONCILIATION_ERROR -> "Reconciliation";
            case QUEUE_PAIR_ERRORS -> "Queue-pair errors";
            case STORAGE_DISCREPANCY -> "Storage at start-up";
            case MIRROR -> "Mirrored volume";
        };
    }

    private static String stateName(EventState state) {
        return switch (state) {
            case OPEN -> "open";
            case ACKNOWLEDGED -> "acknowledged";
            case CLEARED -> "cleared";
        };
    }

    private static String handled(EventInfo event) {
        StringBuilder text = new StringBuilder();
        if (event.acknowledgedAt() != null) {
            text.append("acknowledged ").append(time(event.acknowledgedAt()))
                    .append(Optional.ofNullable(event.acknowledgedBy()).map(by -> " by " + by).orElse(""));
        }
        if (event.clearedAt() != null) {
            text.append(text.isEmpty() ? "" : "; ").append("cleared ").append(time(event.clearedAt()));
        }
        return text.toString();
    }

    private static String time(Instant instant) {
        return BrowserTime.format(instant);
    }
}
