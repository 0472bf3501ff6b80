package dev.windrose.telemetry.internal;

import dev.windrose.common.InvalidInputException;
import dev.windrose.dataplane.DataplaneException;
import dev.windrose.dataplane.DataplaneTarget;
import dev.windrose.dataplane.EmbeddedTarget;
import dev.windrose.dataplane.StatsSnapshot;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostService;
import dev.windrose.security.Role;
import dev.windrose.telemetry.ClusterSample;
import dev.windrose.telemetry.MetricObject;
import dev.windrose.telemetry.SeriesPoint;
import dev.windrose.telemetry.Subscription;
import dev.windrose.telemetry.TelemetryService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * The one sampler: every {@code windrose.telemetry.sample-interval} it reads the embedded target's
 * statistics once, derives a {@link ClusterSample}, keeps it in the live ring and hands it to every
 * subscriber; finished 10 s and 1 min steps go to the history tables and the alert evaluator on a
 * thread of their own, so a slow database never delays a sample.
 */
@Service
class TelemetrySampler implements TelemetryService, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TelemetrySampler.class);
    private static final Duration HOST_REFRESH = Duration.ofMinutes(1);
    private static final int MAX_POINTS = 10_000;

    private record LocalHostName(HostInfo host, Instant readAt) {
    }

    private final EmbeddedTarget embeddedTarget;
    private final HostService hosts;
    private final HistoryStore history;
    private final ObjectProvider<WindowListener> windowListeners;
    private final TelemetryProperties properties;
    private final Clock clock;
    private final List<Consumer<ClusterSample>> subscribers = new CopyOnWriteArrayList<>();
    private final ArrayDeque<ClusterSample> ring = new ArrayDeque<>();
    private final Rollup fine;
    private final Rollup coarse;

    private @Nullable ScheduledExecutorService sampler;
    private @Nullable ExecutorService historyWriter;
    private @Nullable StatsSnapshot previous;
    private volatile @Nullable StatsSnapshot lastSnapshot;
    private volatile @Nullable ClusterSample latest;
    private @Nullable LocalHostName localHost;

    TelemetrySampler(EmbeddedTarget embeddedTarget, HostService hosts, HistoryStore history,
            ObjectProvider<WindowListener> windowListeners, TelemetryProperties properties, Clock clock) {
        this.embeddedTarget = embeddedTarget;
        this.hosts = hosts;
        this.history = history;
        this.windowListeners = windowListeners;
        this.properties = properties;
        this.clock = clock;
        this.fine = new Rollup(properties.fineStep());
        this.coarse = new Rollup(properties.coarseStep());
    }

    @Override
    @PreAuthorize(Role.Expressions.VIEWER)
    public Optional<ClusterSample> latest() {
        return Optional.ofNullable(latest);
    }

    @Override
    @PreAuthorize(Role.Expressions.VIEWER)
    public Subscription subscribe(Consumer<ClusterSample> subscriber) {
        return subscribeInternally(subscriber);
    }

    /** For the parts of this module that need no signed-in user (the metrics endpoint, the stream). */
    Subscription subscribeInternally(Consumer<ClusterSample> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    @Override
    @PreAuthorize(Role.Expressions.VIEWER)
    public List<ClusterSample> recent(Duration window) {
        Duration bounded = window.compareTo(properties.liveWindow()) > 0 ? properties.liveWindow() : window;
        synchronized (ring) {
            ClusterSample newest = ring.peekLast();
            if (newest == null) {
                return List.of();
            }
            Instant from = newest.timestamp().minus(bounded);
            return ring.stream().filter(s -> s.timestamp().isAfter(from)).toList();
        }
    }

    @Override
    @PreAuthorize(Role.Expressions.VIEWER)
    public List<SeriesPoint> history(MetricObject object, Instant from, Instant to, Duration step) {
        if (step.toMillis() < 1000) {
            throw new InvalidInputException("step", "The step is at least 1 second (PT1S), not " + step + ".");
        }
        if (!from.isBefore(to)) {
            throw new InvalidInputException("from", "'from' (" + from + ") must be before 'to' (" + to + ").");
        }
        if (Duration.between(from, to).dividedBy(step) > MAX_POINTS) {
            throw new InvalidInputException("step", "At most " + MAX_POINTS + " points per request: from " + from
                    + " to " + to + " needs a step of at least " + Duration.between(from, to).dividedBy(MAX_POINTS)
                    .plusSeconds(1).withNanos(0) + ".");
        }
        Instant now = clock.instant();
        if (step.compareTo(properties.fineStep()) < 0 && !from.isBefore(now.minus(properties.liveWindow()))) {
            return Series.regroup(ringPoints(object, from, to), step);
        }
        Duration resolution = step.compareTo(properties.coarseStep()) < 0
                && !from.isBefore(now.minus(properties.fineRetention())) ? properties.fineStep() : properties.coarseStep();
        // A step finer than the stored points would claim a resolution the history does not have.
        Duration effective = step.compareTo(resolution) < 0 ? resolution : step;
        return Series.regroup(history.read(object, resolution, from, to), effective);
    }

    private List<StoredPoint> ringPoints(MetricObject object, Instant from, Instant to) {
        List<StoredPoint> points = new ArrayList<>();
        synchronized (ring) {
            for (ClusterSample sample : ring) {
                if (sample.timestamp().isAfter(from) && !sample.timestamp().isAfter(to)) {
                    sample.rates(object).ifPresent(rates -> points.add(new StoredPoint(sample.timestamp(),
                            sample.interval().toNanos() / 1e9, rates)));
                }
            }
        }
        return points;
    }

    /** The raw snapshot behind the newest sample, for the Prometheus collector (counters since target start). */
    Optional<StatsSnapshot> lastSnapshot() {
        return Optional.ofNullable(lastSnapshot);
    }

    /** The newest sample whoever asks (internal callers have no signed-in user). */
    Optional<ClusterSample> latestInternally() {
        return Optional.ofNullable(latest);
    }

    /** One sampling step; public for tests that drive it without waiting for the schedule. */
    void sampleOnce() {
        Optional<DataplaneTarget> target = embeddedTarget.target();
        if (target.isEmpty()) {
            previous = null;
            lastSnapshot = null;
            return;
        }
        StatsSnapshot now;
        try {
            now = target.get().stats();
        } catch (DataplaneException e) {
            // The target stopped between the check and the call; the next one it starts has a new epoch.
            previous = null;
            lastSnapshot = null;
            return;
        }
        Instant timestamp = clock.instant();
        HostInfo host;
        try {
            host = localHost(timestamp);
        } catch (IllegalStateException notYetRegistered) {
            // Right at start-up the inventory may not have registered this host yet: sample from the next tick.
            previous = null;
            return;
        }
        StatsSnapshot before = previous;
        previous = now;
        lastSnapshot = now;
        SampleDeriver.derive(before, now, timestamp, host.id(), host.name()).ifPresent(this::publish);
    }

    private void publish(SampleDeriver.Derived derived) {
        ClusterSample sample = derived.sample();
        latest = sample;
        synchronized (ring) {
            ring.addLast(sample);
            Instant oldest = sample.timestamp().minus(properties.liveWindow());
            while (!ring.isEmpty() && !ring.peekFirst().timestamp().isAfter(oldest)) {
                ring.removeFirst();
            }
        }
        for (Consumer<ClusterSample> subscriber : subscribers) {
            try {
                subscriber.accept(sample);
            } catch (RuntimeException e) {
                log.warn("A telemetry subscriber failed on the sample of {}", sample.timestamp(), e);
            }
        }
        fine.add(derived).ifPresent(window -> offload(() -> finishedFine(window)));
        coarse.add(derived).ifPresent(window -> offload(() -> finishedCoarse(window)));
    }

    private void finishedFine(Rollup.Window window) {
        history.write(window);
        windowListeners.orderedStream().forEach(listener -> listener.fineWindow(window));
    }

    private void finishedCoarse(Rollup.Window window) {
        history.write(window);
        windowListeners.orderedStream().forEach(listener -> listener.coarseWindow(window));
    }

    private void offload(Runnable work) {
        ExecutorService writer = historyWriter;
        if (writer == null) {
            return;
        }
        try {
            writer.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.warn("Could not store telemetry history or evaluate alerts", e);
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            // The application is stopping; the step in progress is not written.
        }
    }

    private HostInfo localHost(Instant now) {
        LocalHostName known = localHost;
        if (known == null || known.readAt().plus(HOST_REFRESH).isBefore(now)) {
            known = new LocalHostName(hosts.local(), now);
            localHost = known;
        }
        return known.host();
    }

    private void tick() {
        try {
            sampleOnce();
        } catch (RuntimeException e) {
            // A failing tick must not cancel the schedule: the next one tries again.
            previous = null;
            log.warn("Telemetry sampling failed", e);
        }
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled() || sampler != null) {
            return;
        }
        historyWriter = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("telemetry-history").factory());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("telemetry-sampler").factory());
        long period = properties.sampleInterval().toMillis();
        scheduler.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
        sampler = scheduler;
        log.info("Telemetry sampling every {}", properties.sampleInterval());
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService scheduler = sampler;
        ExecutorService writer = historyWriter;
        sampler = null;
        historyWriter = null;
        if (scheduler != null) {
            scheduler.shutdownNow();
            awaitQuietly(scheduler);
        }
        if (writer != null) {
            writer.shutdown();
            awaitQuietly(writer);
        }
    }

    private static void awaitQuietly(ExecutorService executor) {
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return sampler != null;
    }
}
