package dev.windrose.overview.ui;

import dev.windrose.common.Paging;
import dev.windrose.fabric.FabricService;
import dev.windrose.inventory.DiskFilter;
import dev.windrose.inventory.DiskService;
import dev.windrose.inventory.HostService;
import dev.windrose.security.SystemViewer;
import dev.windrose.storage.PoolService;
import dev.windrose.telemetry.EventService;
import dev.windrose.telemetry.Subscription;
import dev.windrose.telemetry.TelemetryService;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Component;

/**
 * Keeps the open dashboards' health and capacity current, at a cost that does not grow with them:
 * while any dashboard follows, health is read once (as the read-only system actor, since every
 * signed-in user may see all of it) whenever an alert event changes and with every
 * {@value #EVERY_SAMPLES}th sample, on its own thread so neither the sampler nor the event source
 * waits; dashboards hear only of a reading that differs from the last one.
 */
@Component
class HealthWatch implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(HealthWatch.class);
    /** Health is read again with every this many samples (5 s at the default interval). */
    static final int EVERY_SAMPLES = 5;
    /** Every item of a listing: the dashboard counts all of them (a console has hundreds at most). */
    private static final Pageable EVERYTHING = PageRequest.of(0, Paging.MAX_PAGE_SIZE);

    private final HostService hosts;
    private final DiskService disks;
    private final PoolService pools;
    private final FabricService fabric;
    private final EventService events;
    private final Set<Consumer<Health>> followers = ConcurrentHashMap.newKeySet();
    private final TelemetryService telemetry;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final ExecutorService reader = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("dashboard-health").factory());
    private final AtomicBoolean readPending = new AtomicBoolean();
    private final AtomicLong samples = new AtomicLong();
    private volatile @Nullable Health last;

    HealthWatch(HostService hosts, DiskService disks, PoolService pools, FabricService fabric,
            TelemetryService telemetry, EventService events) {
        this.hosts = hosts;
        this.disks = disks;
        this.pools = pools;
        this.fabric = fabric;
        this.events = events;
        this.telemetry = telemetry;
    }

    /** Health and capacity now, read with the caller's own rights (a dashboard being built). */
    Health read() {
        return Health.of(hosts.list(EVERYTHING).getContent(), disks.list(DiskFilter.all(), EVERYTHING).getContent(),
                pools.list(null, null, EVERYTHING).getContent(), fabric.list(), events.thresholds().poolWarningPercent());
    }

    /** Calls {@code follower} (on the reading thread) with each reading that differs from the last one. */
    Subscription follow(Consumer<Health> follower) {
        listen();
        followers.add(follower);
        return () -> followers.remove(follower);
    }

    /**
     * Subscribes to samples and event changes with the first follower, with that dashboard's user's
     * rights (both sources let only viewers subscribe), and stays subscribed: with nobody following, a
     * sample only counts.
     */
    private synchronized void listen() {
        if (!subscriptions.isEmpty()) {
            return;
        }
        subscriptions.add(telemetry.subscribe(sample -> {
            if (samples.incrementAndGet() % EVERY_SAMPLES == 0) {
                readSoon();
            }
        }));
        subscriptions.add(events.subscribe(change -> readSoon()));
    }

    /** Reads as the system actor now and tells the followers if it changed; what the reading thread does. */
    void refreshNow() {
        if (followers.isEmpty()) {
            last = null;
            return;
        }
        Health now = SystemViewer.read(this::read);
        if (now.equals(last)) {
            return;
        }
        last = now;
        followers.forEach(follower -> follower.accept(now));
    }

    private void readSoon() {
        if (followers.isEmpty() || !readPending.compareAndSet(false, true)) {
            return;
        }
        try {
            reader.execute(() -> {
                readPending.set(false);
                try {
                    refreshNow();
                } catch (RuntimeException e) {
                    log.warn("Could not read the dashboard's health; the next sample tries again", e);
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            readPending.set(false);
        }
    }

    @Override
    public synchronized void destroy() {
        subscriptions.forEach(Subscription::cancel);
        reader.shutdownNow();
    }
}
