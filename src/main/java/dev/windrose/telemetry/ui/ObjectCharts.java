package dev.windrose.telemetry.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.radiobutton.RadioGroupVariant;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.windrose.telemetry.ClusterSample;
import dev.windrose.telemetry.IoRates;
import dev.windrose.telemetry.MetricObject;
import dev.windrose.telemetry.NamespaceSample;
import dev.windrose.telemetry.SeriesPoint;
import dev.windrose.telemetry.TelemetryService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * IOPS, throughput and latency of one object (the cluster, a subsystem, a namespace) as three
 * charts with the current figures in words, over a range the user picks: live (the last 15
 * minutes, a point a second, pushed as it is sampled), or the last hour, day or week from history.
 */
public class ObjectCharts extends VerticalLayout {

    /** What the charts cover. Live is pushed; the others are read from history once when chosen. */
    enum Range {
        LIVE("Live", Duration.ofMinutes(15), Duration.ofSeconds(1)),
        HOUR("Last hour", Duration.ofHours(1), Duration.ofSeconds(10)),
        DAY("Last day", Duration.ofDays(1), Duration.ofMinutes(1)),
        WEEK("Last week", Duration.ofDays(7), Duration.ofMinutes(10));

        final String label;
        final Duration span;
        final Duration step;

        Range(String label, Duration span, Duration step) {
            this.label = label;
            this.span = span;
            this.step = step;
        }
    }

    private static final String READ = "#1676f3";
    private static final String WRITE = "#e8590c";

    private final TelemetryService telemetry;
    private final MetricObject object;
    private final Clock clock;
    private final RadioButtonGroup<Range> range = new RadioButtonGroup<>("Range");
    private final Paragraph rangeNote = new Paragraph();
    private final LiveChart iops;
    private final LiveChart throughput;
    private final LiveChart latency;
    private final Span iopsNow = nowFigure("IOPS now");
    private final Span throughputNow = nowFigure("Throughput now");
    private final Span latencyNow = nowFigure("Latency now");

    public ObjectCharts(TelemetryService telemetry, MetricObject object, String title) {
        this(telemetry, object, title, Clock.systemUTC());
    }

    ObjectCharts(TelemetryService telemetry, MetricObject object, String title, Clock clock) {
        this.telemetry = telemetry;
        this.object = object;
        this.clock = clock;
        addClassName("object-charts");
        getElement().setAttribute("data-object", object.key());
        setPadding(false);
        iops = new LiveChart(title + ": IOPS", "IOPS", List.of(new LiveChart.Line("read", READ),
                new LiveChart.Line("write", WRITE)));
        throughput = new LiveChart(title + ": throughput", "MiB/s", List.of(new LiveChart.Line("read", READ),
                new LiveChart.Line("write", WRITE)));
        latency = new LiveChart(title + ": latency", "µs", List.of(new LiveChart.Line("p50", "#2f9e44"),
                new LiveChart.Line("p99", "#e8590c"), new LiveChart.Line("p99.9", "#c92a2a")));
        latency.setLogScale(true);
        range.setItems(Range.values());
        range.setItemLabelGenerator(r -> r.label);
        range.addThemeVariants(RadioGroupVariant.LUMO_HELPER_ABOVE_FIELD);
        range.setValue(Range.LIVE);
        range.addValueChangeListener(change -> {
            if (change.getValue() != null) {
                showRange(change.getValue());
            }
        });
        rangeNote.addClassNames(LumoUtility.FontSize.SMALL, LumoUtility.TextColor.SECONDARY, LumoUtility.Margin.NONE);
        H3 heading = new H3(title);
        heading.addClassNames(LumoUtility.FontSize.MEDIUM, LumoUtility.Margin.NONE);
        FlexLayout charts = new FlexLayout(panel("IOPS", iopsNow, iops), panel("Throughput", throughputNow, throughput),
                panel("Latency (reads and writes)", latencyNow, latency));
        charts.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        charts.addClassNames(LumoUtility.Gap.MEDIUM);
        charts.setWidthFull();
        add(heading, range, rangeNote, charts);
        if (object instanceof MetricObject.Subsystem subsystem) {
            add(namespaceLinks(subsystem));
        }
        showRange(Range.LIVE);
        LiveSamples.follow(this, telemetry, this::onSample);
    }

    /** The object's rates in a new sample: appended while live, ignored while showing history. */
    private void onSample(ClusterSample sample) {
        if (range.getValue() != Range.LIVE) {
            return;
        }
        IoRates rates = sample.rates(object).orElse(null);
        iops.append(new LiveChart.Point(sample.timestamp(), Rates.iops(rates)));
        throughput.append(new LiveChart.Point(sample.timestamp(), Rates.throughput(rates)));
        latency.append(new LiveChart.Point(sample.timestamp(), Rates.latency(rates)));
        showNow(rates);
    }

    private void showRange(Range shown) {
        if (shown == Range.LIVE) {
            List<ClusterSample> recent = telemetry.recent(Range.LIVE.span);
            show(recent, ClusterSample::timestamp, sample -> sample.rates(object).orElse(null), Range.LIVE.step);
            showNow(recent.isEmpty() ? null : recent.getLast().rates(object).orElse(null));
            rangeNote.setText("The last 15 minutes, a point a second, updated as the dataplane is sampled.");
            setWindow(Range.LIVE.span);
            return;
        }
        Instant to = clock.instant();
        List<SeriesPoint> points = telemetry.history(object, to.minus(shown.span), to, shown.step);
        show(points, SeriesPoint::timestamp, SeriesPoint::rates, shown.step);
        rangeNote.setText(shown.label + " from history, a point per " + words(shown.step)
                + (points.isEmpty() ? ": nothing recorded yet." : "."));
        setWindow(Duration.ZERO);
    }

    private void setWindow(Duration window) {
        iops.setWindowSeconds(window.toSeconds());
        throughput.setWindowSeconds(window.toSeconds());
        latency.setWindowSeconds(window.toSeconds());
    }

    /** Fills the charts; a missing stretch longer than two steps becomes a gap instead of a line across. */
    private <T> void show(List<T> items, Function<T, Instant> time, Function<T, @Nullable IoRates> ratesOf,
            Duration step) {
        List<LiveChart.Point> iopsPoints = new ArrayList<>();
        List<LiveChart.Point> throughputPoints = new ArrayList<>();
        List<LiveChart.Point> latencyPoints = new ArrayList<>();
        Instant previous = null;
        for (T item : items) {
            Instant at = time.apply(item);
            if (previous != null && Duration.between(previous, at).compareTo(step.multipliedBy(2)) > 0) {
                Instant gap = previous.plus(step);
                iopsPoints.add(new LiveChart.Point(gap, Rates.iops(null)));
                throughputPoints.add(new LiveChart.Point(gap, Rates.throughput(null)));
                latencyPoints.add(new LiveChart.Point(gap, Rates.latency(null)));
            }
            IoRates rates = ratesOf.apply(item);
            iopsPoints.add(new LiveChart.Point(at, Rates.iops(rates)));
            throughputPoints.add(new LiveChart.Point(at, Rates.throughput(rates)));
            latencyPoints.add(new LiveChart.Point(at, Rates.latency(rates)));
            previous = at;
        }
        iops.show(iopsPoints);
        throughput.show(throughputPoints);
        latency.show(latencyPoints);
    }

    private void showNow(@Nullable IoRates rates) {
        iopsNow.setText(Rates.iopsText(rates));
        throughputNow.setText(Rates.throughputText(rates));
        latencyNow.setText(Rates.latencyText(rates));
    }

    /** Each of the subsystem's namespaces that the dataplane reports leads to its own charts. */
    private Div namespaceLinks(MetricObject.Subsystem subsystem) {
        Div links = new Div(new Span("Each namespace: "));
        links.addClassNames(LumoUtility.FontSize.SMALL, LumoUtility.Display.FLEX, LumoUtility.Gap.MEDIUM);
        List<NamespaceSample> namespaces = telemetry.latest().map(ClusterSample::namespaces).orElse(List.of()).stream()
                .filter(ns -> ns.subsystemNqn().equals(subsystem.nqn())).toList();
        if (namespaces.isEmpty()) {
            links.add(new Span("none reported by the dataplane yet"));
        }
        namespaces.forEach(ns -> links.add(new Anchor(NamespaceStatsView.location(ns.subsystemNqn(), ns.nsid()),
                "Namespace " + ns.nsid())));
        return links;
    }

    private static Div panel(String name, Span now, LiveChart chart) {
        Span label = new Span(name);
        label.addClassNames(LumoUtility.FontWeight.SEMIBOLD, LumoUtility.FontSize.SMALL);
        Div panel = new Div(label, new Div(now), chart);
        panel.getStyle().set("flex", "1 1 22rem").set("min-width", "0");
        return panel;
    }

    /** The current figure beside a chart; role status so screen readers (and tests) find it by name. */
    private static Span nowFigure(String name) {
        Span figure = new Span();
        figure.getElement().setAttribute("role", "status");
        figure.getElement().setAttribute("aria-label", name);
        figure.addClassNames(LumoUtility.FontSize.SMALL, LumoUtility.TextColor.SECONDARY);
        return figure;
    }

    private static String words(Duration step) {
        if (step.toMinutes() >= 1) {
            return step.toMinutes() == 1 ? "minute" : step.toMinutes() + " minutes";
        }
        return step.toSeconds() == 1 ? "second" : step.toSeconds() + " seconds";
    }
}
