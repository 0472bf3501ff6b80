package dev.windrose.telemetry.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.OrderedList;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.windrose.telemetry.ClusterSample;
import dev.windrose.telemetry.Latency;
import dev.windrose.telemetry.MetricObject;
import dev.windrose.telemetry.NamespaceSample;
import dev.windrose.telemetry.ReactorSample;
import dev.windrose.telemetry.TelemetryService;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's live part: the cluster's IOPS, throughput and latency, the busiest and the
 * slowest namespaces, and how busy the dataplane's reactors are, all updated with every sample.
 */
public class ClusterActivity extends VerticalLayout {

    static final int TOP = 5;

    static final String IDLE = "No namespace did any I/O in the last second.";

    private final OrderedList topByIops = topList("Top namespaces by IOPS");
    private final OrderedList topByLatency = topList("Top namespaces by p99 latency");
    /** Said instead of an empty list (not as a numbered item of it). */
    private final Paragraph idleByIops = idle();
    private final Paragraph idleByLatency = idle();
    private final LiveChart reactorBusy = new LiveChart("Reactor busy percent", "%", List.of(
            new LiveChart.Line("mean", "#1676f3"), new LiveChart.Line("busiest", "#c92a2a")));
    private final Span reactorsNow = new Span();

    public ClusterActivity(TelemetryService telemetry) {
        setPadding(false);
        addClassName("cluster-activity");
        reactorsNow.getElement().setAttribute("role", "status");
        reactorsNow.getElement().setAttribute("aria-label", "Reactors now");
        reactorsNow.addClassNames(LumoUtility.FontSize.SMALL, LumoUtility.TextColor.SECONDARY);
        // The lists are the newest sample's, whatever range the charts above show: the headings say so.
        FlexLayout below = new FlexLayout(box("Top namespaces by IOPS, last second", topByIops, idleByIops),
                box("Top namespaces by p99 latency, last second", topByLatency, idleByLatency),
                box("Reactor busy %", reactorsNow, reactorBusy));
        below.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        below.addClassNames(LumoUtility.Gap.MEDIUM);
        below.setWidthFull();
        add(new ObjectCharts(telemetry, MetricObject.cluster(), "Cluster"), below);
        List<ClusterSample> recent = telemetry.recent(ObjectCharts.Range.LIVE.span);
        reactorBusy.show(recent.stream().map(ClusterActivity::busyPoint).toList());
        reactorBusy.setWindowSeconds(ObjectCharts.Range.LIVE.span.toSeconds());
        showTop(recent.isEmpty() ? null : recent.getLast());
        LiveSamples.follow(this, telemetry, sample -> {
            reactorBusy.append(busyPoint(sample));
            showTop(sample);
        });
    }

    private void showTop(@Nullable ClusterSample sample) {
        List<NamespaceSample> namespaces = sample == null ? List.of() : sample.namespaces();
        showTop(topByIops, idleByIops, namespaces.stream().filter(ns -> ns.rates().totalIops() > 0)
                .sorted(Comparator.comparingDouble((NamespaceSample ns) -> ns.rates().totalIops()).reversed())
                .limit(TOP).toList());
        showTop(topByLatency, idleByLatency, namespaces.stream().filter(ns -> ns.rates().latency() != null)
                .sorted(Comparator.comparingDouble(ClusterActivity::p99).reversed())
                .limit(TOP).toList());
        reactorsNow.setText(sample == null || sample.reactors().isEmpty() ? "no reactor reported yet"
                : sample.reactors().stream().map(ClusterActivity::reactorText).collect(Collectors.joining(" · ")));
    }

    private static LiveChart.Point busyPoint(ClusterSample sample) {
        List<ReactorSample> reactors = sample.reactors();
        if (reactors.isEmpty()) {
            return new LiveChart.Point(sample.timestamp(), null, null);
        }
        double mean = reactors.stream().mapToDouble(ReactorSample::busyPercent).average().orElse(0);
        double busiest = reactors.stream().mapToDouble(ReactorSample::busyPercent).max().orElse(0);
        return new LiveChart.Point(sample.timestamp(), mean, busiest);
    }

    private static String reactorText(ReactorSample reactor) {
        return String.format(Locale.ROOT, "host %d reactor %d: %.0f %% (%d queue pairs)", reactor.hostId().value(),
                reactor.reactorId(), reactor.busyPercent(), reactor.queuePairs());
    }

    private static double p99(NamespaceSample namespace) {
        Latency latency = namespace.rates().latency();
        return latency == null ? 0 : latency.p99Micros();
    }

    /**
     * A plain list rather than a grid: it is rewritten with every sample, and a grid would fetch its
     * rows back from the server each time (a browser-to-server round trip a second per dashboard).
     */
    private static OrderedList topList(String name) {
        OrderedList list = new OrderedList();
        list.getElement().setAttribute("aria-label", name);
        list.addClassNames(LumoUtility.FontSize.SMALL, LumoUtility.Margin.NONE);
        return list;
    }

    private static void showTop(OrderedList list, Paragraph idle, List<NamespaceSample> namespaces) {
        list.removeAll();
        list.setVisible(!namespaces.isEmpty());
        idle.setVisible(namespaces.isEmpty());
        for (NamespaceSample ns : namespaces) {
            ListItem item = new ListItem(namespaceLink(ns), new Span(" " + Rates.number(ns.rates().totalIops()) + " IOPS, p99 "
                    + (ns.rates().latency() == null ? "–" : Rates.micros(p99(ns)))));
            list.add(item);
        }
    }

    private static Component namespaceLink(NamespaceSample namespace) {
        return new Anchor(NamespaceStatsView.location(namespace.subsystemNqn(), namespace.nsid()),
                namespace.subsystemNqn() + " #" + namespace.nsid());
    }

    private static Paragraph idle() {
        Paragraph idle = new Paragraph(IDLE);
        idle.addClassNames(LumoUtility.FontSize.SMALL, LumoUtility.TextColor.SECONDARY, LumoUtility.Margin.NONE);
        return idle;
    }

    private static Div box(String title, Component... content) {
        H3 heading = new H3(title);
        heading.addClassNames(LumoUtility.FontSize.MEDIUM, LumoUtility.Margin.Bottom.SMALL);
        Div box = new Div(heading);
        box.add(content);
        box.getStyle().set("flex", "1 1 22rem").set("min-width", "0");
        return box;
    }
}
