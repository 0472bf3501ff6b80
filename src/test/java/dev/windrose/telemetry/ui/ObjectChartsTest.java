package dev.windrose.telemetry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import dev.windrose.inventory.HostId;
import dev.windrose.telemetry.ClusterSample;
import dev.windrose.telemetry.IoRates;
import dev.windrose.telemetry.Latency;
import dev.windrose.telemetry.MetricObject;
import dev.windrose.telemetry.NamespaceSample;
import dev.windrose.telemetry.ReactorSample;
import dev.windrose.telemetry.SeriesPoint;
import dev.windrose.telemetry.Subscription;
import dev.windrose.telemetry.TelemetryService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What an object's charts ask the telemetry service for and what they say in words; the service is a
 * recording stand-in (the charts' drawing is the browser's, checked by the Playwright dashboard spec).
 */
class ObjectChartsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String NQN = "nqn.2026-11.dev.windrose:test";
    private static final MetricObject NAMESPACE = new MetricObject.Namespace(NQN, 1);

    private final RecordingTelemetry telemetry = new RecordingTelemetry();

    @Test
    void live_figures_are_the_objects_rates_in_the_newest_sample() {
        telemetry.ring.add(sample(NOW.minusSeconds(1), new IoRates(1200, 300, 4.7, 1.2,
                null, null, new Latency(80, 950, 4_000), 0)));
        ObjectCharts charts = new ObjectCharts(telemetry, NAMESPACE, "Namespace 1", Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(figure(charts, "IOPS now")).isEqualTo("1,500 IOPS (read 1,200, write 300)");
        assertThat(figure(charts, "Throughput now")).isEqualTo("5.9 MiB/s (read 4.7, write 1.2)");
        assertThat(figure(charts, "Latency now")).isEqualTo("p50 80 µs, p99 950 µs, p99.9 4,000 µs");
        assertThat(telemetry.recentWindows).containsExactly(Duration.ofMinutes(15));
    }

    @Test
    void an_interval_without_io_says_so_instead_of_showing_a_latency_of_zero() {
        telemetry.ring.add(sample(NOW.minusSeconds(1), IoRates.IDLE));
        ObjectCharts charts = new ObjectCharts(telemetry, NAMESPACE, "Namespace 1", Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(figure(charts, "IOPS now")).isEqualTo("0 IOPS (read 0, write 0)");
        assertThat(figure(charts, "Latency now")).isEqualTo("no I/O in the last interval");
    }

    @Test
    void an_object_missing_from_the_samples_has_no_data_rather_than_zeros() {
        ObjectCharts charts = new ObjectCharts(telemetry, new MetricObject.Namespace(NQN, 2), "Namespace 2",
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(figure(charts, "IOPS now")).isEqualTo("no data");
    }

    @Test
    @SuppressWarnings("unchecked")
    void each_history_range_asks_for_its_span_at_its_step() {
        ObjectCharts charts = new ObjectCharts(telemetry, NAMESPACE, "Namespace 1", Clock.fixed(NOW, ZoneOffset.UTC));
        RadioButtonGroup<ObjectCharts.Range> range = (RadioButtonGroup<ObjectCharts.Range>) charts.getChildren()
                .filter(RadioButtonGroup.class::isInstance).findFirst().orElseThrow();

        range.setValue(ObjectCharts.Range.HOUR);
        range.setValue(ObjectCharts.Range.DAY);
        range.setValue(ObjectCharts.Range.WEEK);

        assertThat(telemetry.historyQueries).containsExactly(
                new HistoryQuery(NAMESPACE, NOW.minus(Duration.ofHours(1)), NOW, Duration.ofSeconds(10)),
                new HistoryQuery(NAMESPACE, NOW.minus(Duration.ofDays(1)), NOW, Duration.ofMinutes(1)),
                new HistoryQuery(NAMESPACE, NOW.minus(Duration.ofDays(7)), NOW, Duration.ofMinutes(10)));
    }

    @Test
    void a_subsystems_charts_lead_to_each_of_its_namespaces() {
        telemetry.ring.add(sample(NOW.minusSeconds(1), IoRates.IDLE));
        ObjectCharts charts = new ObjectCharts(telemetry, new MetricObject.Subsystem(NQN), "Subsystem",
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(descendants(charts).filter(com.vaadin.flow.component.html.Anchor.class::isInstance)
                .map(anchor -> ((com.vaadin.flow.component.html.Anchor) anchor).getHref()))
                .containsExactly(NamespaceStatsView.location(NQN, 1));
    }

    private static String figure(ObjectCharts charts, String name) {
        return descendants(charts).filter(Span.class::isInstance)
                .filter(span -> name.equals(span.getElement().getAttribute("aria-label")))
                .map(span -> ((Span) span).getText()).findFirst().orElseThrow();
    }

    private static Stream<com.vaadin.flow.component.Component> descendants(com.vaadin.flow.component.Component root) {
        return Stream.concat(Stream.of(root), root.getChildren().flatMap(ObjectChartsTest::descendants));
    }

    private static ClusterSample sample(Instant at, IoRates namespaceRates) {
        return new ClusterSample(at, Duration.ofSeconds(1), namespaceRates, List.of(),
                List.of(new NamespaceSample(NQN, 1, namespaceRates)), List.of(),
                List.of(new ReactorSample(new HostId(1), 0, 1, 12.5)));
    }

    record HistoryQuery(MetricObject object, Instant from, Instant to, Duration step) {
    }

    /** Answers from a list of samples and records what it was asked. */
    static final class RecordingTelemetry implements TelemetryService {
        final List<ClusterSample> ring = new ArrayList<>();
        final List<Duration> recentWindows = new ArrayList<>();
        final List<HistoryQuery> historyQueries = new ArrayList<>();

        @Override
        public Optional<ClusterSample> latest() {
            return ring.isEmpty() ? Optional.empty() : Optional.of(ring.getLast());
        }

        @Override
        public Subscription subscribe(Consumer<ClusterSample> subscriber) {
            return () -> { };
        }

        @Override
        public List<ClusterSample> recent(Duration window) {
            recentWindows.add(window);
            return List.copyOf(ring);
        }

        @Override
        public List<SeriesPoint> history(MetricObject object, Instant from, Instant to, Duration step) {
            historyQueries.add(new HistoryQuery(object, from, to, step));
            return List.of();
        }
    }
}
