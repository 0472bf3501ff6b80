package dev.windrose.aggregation.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.server.streams.DownloadResponse;
import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.windrose.MainLayout;
import dev.windrose.aggregation.AggregationId;
import dev.windrose.aggregation.AggregationInfo;
import dev.windrose.aggregation.AggregationInfo.MemberInfo;
import dev.windrose.aggregation.AggregationService;
import dev.windrose.aggregation.DriveTier;
import dev.windrose.aggregation.InitiatorConfig;
import dev.windrose.aggregation.MemberOs;
import dev.windrose.aggregation.MemberStatus;
import dev.windrose.aggregation.PlatformRules;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.ui.Notices;
import dev.windrose.common.ui.Refresh;
import dev.windrose.security.Role;
import dev.windrose.telemetry.IoRates;
import dev.windrose.telemetry.Latency;
import jakarta.annotation.security.PermitAll;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One aggregation: per member whether its host is connected, over how many paths, whether the dataplane
 * serves its namespaces, and its initiator configuration to download; the capacity plan below. Refreshes
 * every few seconds while open. Operators change it (the wizard's steps) or delete it from here.
 */
@Route(value = "aggregations/:id", layout = MainLayout.class)
@PermitAll
class AggregationView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    static final String ID = "id";
    static final int REFRESH_MILLIS = 3_000;

    private final AggregationService aggregations;
    private final boolean operator;
    private final H3 title = new H3();
    private final Paragraph facts = new Paragraph();
    private final Grid<MemberStatus> status = new Grid<>();
    private final VerticalLayout downloads = new VerticalLayout();
    private final PlanGrid plan = new PlanGrid();
    private final HorizontalLayout actions = new HorizontalLayout();
    private @Nullable AggregationInfo aggregation;

    AggregationView(AggregationService aggregations, AuthenticationContext authentication) {
        this.aggregations = aggregations;
        this.operator = authentication.hasAnyRole(Role.Names.ADMIN, Role.Names.OPERATOR);
        setSizeFull();
        configureStatus();
        downloads.setPadding(false);
        add(title, facts, actions, new H4("Members"), status, new H4("Initiator configuration"), downloads,
                new H4("Capacity plan"), plan);
        // Connections come and go without any change here: poll so they show up by themselves.
        Refresh.whileAttached(this, REFRESH_MILLIS, this::refreshStatus);
    }

    /** The browser tab names the aggregation. */
    @Override
    public String getPageTitle() {
        return aggregation == null ? "Aggregation" : "Aggregation " + aggregation.name();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        try {
            long id = Long.parseLong(event.getRouteParameters().get(ID).orElse(""));
            aggregation = aggregations.get(new AggregationId(id));
        } catch (NumberFormatException | NotFoundException e) {
            event.rerouteToError(com.vaadin.flow.router.NotFoundException.class, "There is no such aggregation.");
            return;
        }
        show(aggregation);
    }



    private void configureStatus() {
        // NQNs are long: cells wrap and the NQN columns share the width, so Subsystem and Problem stay in view.
        status.addThemeVariants(GridVariant.ROW_STRIPES, GridVariant.WRAP_CELL_CONTENT);
        status.setAllRowsVisible(true);
        status.addColumn(MemberStatus::name).setHeader("Member").setAutoWidth(true);
        status.addColumn(MemberStatus::hostNqn).setHeader("Host NQN").setFlexGrow(2);
        status.addComponentColumn(AggregationView::connection).setHeader("Connected").setAutoWidth(true);
        status.addColumn(s -> s.namespacesApplied() + " of " + s.namespaces() + " served").setHeader("Namespaces")
                .setAutoWidth(true);
        status.addColumn(AggregationView::liveIo).setHeader("Live I/O").setAutoWidth(true);
        status.addColumn(MemberStatus::subsystemNqn).setHeader("Subsystem").setFlexGrow(2);
        status.addColumn(s -> s.problem() == null ? "" : s.problem()).setHeader("Problem").setFlexGrow(2);
    }

    private static Component connection(MemberStatus member) {
        Span badge = new Span(member.connected()
                ? "Yes, over " + member.paths() + " path" + (member.paths() == 1 ? "" : "s")
                        + " (" + String.join(", ", member.peers()) + ")"
                : "No");
        badge.getElement().getThemeList().add(member.connected() ? "badge success" : "badge contrast");
        return badge;
    }

    /** IOPS and latency of the member's subsystem from the newest telemetry sample. */
    static String liveIo(MemberStatus member) {
        IoRates rates = member.rates();
        if (rates == null) {
            return "no telemetry sample";
        }
        String io = String.format(Locale.ROOT, "%.0f IOPS, %.1f MiB/s", rates.totalIops(), rates.totalMiBps());
        Latency latency = rates.latency();
        return latency == null ? io + ", idle" : io + String.format(Locale.ROOT, ", p50 %.0f µs, p99 %.0f µs",
                latency.p50Micros(), latency.p99Micros());
    }

    private void show(AggregationInfo shown) {
        title.setText(shown.name());
        long capacityDrives = shown.members().isEmpty() ? 0 : shown.members().getFirst().drives().stream()
                .filter(d -> d.tier() == DriveTier.CAPACITY).count();
        facts.setText(shown.platform().label() + ", " + shown.members().size() + " members with " + capacityDrives
                + " capacity drives each; every member's subsystem listens on " + shown.listener().address() + ":"
                + shown.listener().port() + ".");
        plan.show(shown.plan());
        downloads.removeAll();
        for (MemberInfo member : shown.members()) {
            HorizontalLayout row = new HorizontalLayout(new Span(member.name() + " (" + member.os().label() + "):"));
            for (MemberOs os : List.of(member.os(), other(member.os(), 1), other(member.os(), 2))) {
                row.add(download(shown, member, os));
            }
            downloads.add(row);
        }
        actions.removeAll();
        if (operator) {
            Button change = new Button("Change aggregation", VaadinIcon.EDIT.create(), click -> getUI().ifPresent(ui ->
                    ui.navigate(AggregationWizardView.class, new RouteParameters(AggregationWizardView.ID,
                            shown.id().toString()))));
            actions.add(change);
            Button delete = new Button("Delete aggregation", VaadinIcon.TRASH.create(), click -> confirmDelete(shown));
            delete.addThemeVariants(ButtonVariant.ERROR);
            actions.add(delete);
        }
        refreshStatus();
    }

    private static MemberOs other(MemberOs os, int step) {
        MemberOs[] all = MemberOs.values();
        return all[(os.ordinal() + step) % all.length];
    }

    private Anchor download(AggregationInfo shown, MemberInfo member, MemberOs os) {
        InitiatorConfig config = aggregations.initiatorConfig(shown.id(), member.name(), os);
        byte[] bytes = config.text().getBytes(StandardCharsets.UTF_8);
        Anchor anchor = new Anchor(DownloadHandler.fromInputStream(event -> new DownloadResponse(
                new ByteArrayInputStream(bytes), config.fileName(), "text/plain;charset=utf-8", bytes.length)),
                os.label() + (os == member.os() ? "" : " (other)"));
        anchor.setDownload(true);
        anchor.getElement().setAttribute("aria-label", "Download " + os.label() + " configuration for " + member.name());
        return anchor;
    }

    private void refreshStatus() {
        if (aggregation != null) {
            try {
                status.setItems(aggregations.status(aggregation.id()));
            } catch (NotFoundException gone) {
                status.setItems(List.of());
            }
        }
    }

    private void confirmDelete(AggregationInfo shown) {
        Dialog confirm = new Dialog();
        confirm.setHeaderTitle("Delete aggregation " + shown.name() + "?");
        confirm.add(new Paragraph("Its " + shown.members().size() + " subsystems close their connections, and the "
                + "members' volumes are deleted with their data (" + PlatformRules.human(shown.plan().rawBytes()
                + shown.plan().cacheBytes()) + "). This cannot be undone."));
        Button delete = new Button("Delete", click -> {
            aggregations.delete(shown.id());
            confirm.close();
            Notices.success("Aggregation " + shown.name() + " deleted.");
            getUI().ifPresent(ui -> ui.navigate(AggregationsView.class));
        });
        delete.addThemeVariants(ButtonVariant.PRIMARY, ButtonVariant.ERROR);
        confirm.getFooter().add(new Button("Cancel", click -> confirm.close()), delete);
        confirm.open();
    }
}
