package dev.windrose.telemetry.ui;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import com.vaadin.flow.component.Text;
import dev.windrose.MainLayout;
import dev.windrose.fabric.ui.FabricNavigation;
import dev.windrose.storage.ui.StorageNavigation;
import dev.windrose.fabric.FabricService;
import dev.windrose.fabric.SubsystemInfo;
import dev.windrose.telemetry.MetricObject;
import dev.windrose.telemetry.TelemetryService;
import jakarta.annotation.security.PermitAll;
import java.util.Map;
import java.util.Optional;

/**
 * One namespace's IOPS, throughput and latency, live or from history. Reached from the dashboard's
 * top-namespace lists and from a subsystem's charts; addressed by the subsystem's NQN and the NSID
 * (query parameters, since an NQN is full of characters a path segment would need escaped).
 */
@Route(value = NamespaceStatsView.ROUTE, layout = MainLayout.class)
@PermitAll
class NamespaceStatsView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    /** The browser tab names the namespace: "Namespace 1 of lab". */
    private String title = "Namespace statistics";

    static final String ROUTE = "statistics/namespace";

    private final TelemetryService telemetry;
    private final FabricService fabric;

    NamespaceStatsView(TelemetryService telemetry, FabricService fabric) {
        this.telemetry = telemetry;
        this.fabric = fabric;
        setPadding(true);
        setMaxWidth("90rem");
    }

    /** The address of a namespace's page, relative to the application's root. */
    static String location(String subsystemNqn, int nsid) {
        return ROUTE + "?" + QueryParameters.simple(Map.of("subsystem", subsystemNqn, "nsid", Integer.toString(nsid)))
                .getQueryString();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        QueryParameters query = event.getLocation().getQueryParameters();
        Optional<String> nqn = query.getSingleParameter("subsystem").filter(value -> !value.isBlank());
        Optional<Integer> nsid = query.getSingleParameter("nsid").flatMap(NamespaceStatsView::positive);
        if (nqn.isEmpty() || nsid.isEmpty()) {
            event.rerouteToError(NotFoundException.class, "A namespace page needs ?subsystem=<NQN>&nsid=<number>.");
            return;
        }
        removeAll();
        show(nqn.get(), nsid.get());
    }

    @Override
    public String getPageTitle() {
        return title;
    }

    private void show(String nqn, int nsid) {
        int colon = nqn.lastIndexOf(':');
        this.title = "Namespace " + nsid + " of " + (colon < 0 ? nqn : nqn.substring(colon + 1));
        H2 title = new H2("Namespace " + nsid + " of " + nqn);
        title.addClassNames(LumoUtility.FontSize.LARGE);
        title.getStyle().set("word-break", "break-all");
        add(title);
        Optional<SubsystemInfo> subsystem = fabric.list().stream().filter(s -> s.nqn().equals(nqn)).findFirst();
        subsystem.flatMap(s -> s.namespaces().stream().filter(ns -> ns.nsid() == nsid).findFirst())
                .ifPresentOrElse(ns -> add(new Paragraph(new Text("Volume "), StorageNavigation.volume(ns.volumeName()),
                                new Text(" (" + ns.backingKind().toLowerCase(java.util.Locale.ROOT) + ")"))),
                        () -> add(new Paragraph("This namespace is not configured (any more); history may still show it.")));
        subsystem.ifPresent(s -> add(FabricNavigation.subsystem(s.id(), "Open the subsystem")));
        add(new ObjectCharts(telemetry, new MetricObject.Namespace(nqn, nsid), "Namespace " + nsid));
    }

    private static Optional<Integer> positive(String text) {
        try {
            int value = Integer.parseInt(text.strip());
            return value >= 1 ? Optional.of(value) : Optional.empty();
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }
}
