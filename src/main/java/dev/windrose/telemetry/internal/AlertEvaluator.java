package dev.windrose.telemetry.internal;

import dev.windrose.cluster.OncePerCluster;
import dev.windrose.common.ui.Sizes;
import dev.windrose.dataplane.DataplaneTarget;
import dev.windrose.fabric.FabricService;
import dev.windrose.fabric.ObservedState;
import dev.windrose.fabric.SubsystemInfo;
import dev.windrose.inventory.DiskFilter;
import dev.windrose.inventory.DiskInfo;
import dev.windrose.inventory.HealthStatus;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostService;
import dev.windrose.inventory.HostState;
import dev.windrose.inventory.DiskService;
import dev.windrose.security.SystemViewer;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolService;
import dev.windrose.telemetry.AlertRule;
import dev.windrose.telemetry.AlertThresholds;
import dev.windrose.telemetry.EventChange;
import dev.windrose.telemetry.EventInfo;
import dev.windrose.telemetry.EventState;
import dev.windrose.telemetry.IoRates;
import dev.windrose.telemetry.Latency;
import dev.windrose.telemetry.MetricObject;
import dev.windrose.telemetry.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.domain.PageRequest;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns conditions into events. Each rule is evaluated as a whole: the objects for which its
 * condition holds now raise (or keep, or escalate) their event; the rule's other events are cleared.
 * Latency is judged on every 10 s step of the sampler, queue-pair errors on every 1 min step, pools,
 * hosts, disks and reconciliation every {@code windrose.telemetry.alert-interval}.
 */
@Component
class AlertEvaluator implements WindowListener {

    private static final Logger log = LoggerFactory.getLogger(AlertEvaluator.class);
    private static final int MAX_LISTED = 1000;

    /** A rule's condition holding for one object now. */
    record Condition(String objectKey, String objectName, Severity severity, String message) {
    }

    private final EventStore store;
    private final Events events;
    private final PoolService pools;
    private final HostService hosts;
    private final DiskService disks;
    private final FabricService fabric;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final OncePerCluster oncePerCluster;
    private final TelemetryProperties properties;
    private final Duration nodeWatchPeriod;

    AlertEvaluator(EventStore store, Events events, PoolService pools, HostService hosts, DiskService disks,
            FabricService fabric, PlatformTransactionManager transactions, Clock clock, OncePerCluster oncePerCluster,
            TelemetryProperties properties,
            @Value("${windrose.cluster.node-watch-interval:PT1S}") Duration nodeWatchInterval) {
        // A little under the schedule, which jitters: a late run of one node must not skip a period.
        this.nodeWatchPeriod = nodeWatchInterval.multipliedBy(3).dividedBy(4);
        this.oncePerCluster = oncePerCluster;
        this.properties = properties;
        this.store = store;
        this.events = events;
        this.pools = pools;
        this.hosts = hosts;
        this.disks = disks;
        this.fabric = fabric;
        this.transactions = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    @Override
    public void fineWindow(Rollup.Window window) {
        Long bound = thresholds().latencyP99Micros();
        List<Condition> holding = new ArrayList<>();
        if (bound != null) {
            window.rates().forEach((object, rates) -> {
                if (object instanceof MetricObject.Namespace namespace) {
                    latencyCondition(namespace, rates, bound, window).ifPresent(holding::add);
                }
            });
        }
        apply(AlertRule.LATENCY_P99, holding);
    }

    private static java.util.Optional<Condition> latencyCondition(MetricObject.Namespace namespace, IoRates rates,
            long boundMicros, Rollup.Window window) {
        Latency latency = rates.latency();
        if (latency == null || latency.p99Micros() <= boundMicros) {
            return java.util.Optional.empty();
        }
        String name = namespace.subsystemNqn() + " namespace " + namespace.nsid();
        return java.util.Optional.of(new Condition(namespace.key(), name, Severity.WARNING, String.format(Locale.ROOT,
                "p99 latency %.0f µs over the %d s ending %s is above the bound of %d µs.", latency.p99Micros(),
                window.step().toSeconds(), window.endsAt(), boundMicros)));
    }

    @Override
    public void coarseWindow(Rollup.Window window) {
        Long perMinute = thresholds().queuePairErrorsPerMinute();
        List<Condition> holding = new ArrayList<>();
        double minutes = window.coveredSeconds() / 60.0;
        if (perMinute != null && minutes > 0) {
            window.queuePairErrors().forEach((nqn, errors) -> {
                double rate = errors / minutes;
                if (!nqn.equals(DataplaneTarget.DISCOVERY_NQN) && errors > 0 && rate >= perMinute) {
                    holding.add(new Condition(new MetricObject.Subsystem(nqn).key(), nqn, Severity.WARNING,
                            String.format(Locale.ROOT, "%d commands failed on its queue pairs in the last %.0f s "
                                    + "(%.1f per minute; the bound is %d).", errors, window.coveredSeconds(), rate,
                                    perMinute)));
                }
            });
        }
        apply(AlertRule.QUEUE_PAIR_ERRORS, holding);
    }

    /** Every node schedules it; one node of the cluster runs it per interval. */
    @Scheduled(fixedDelayString = "${windrose.telemetry.alert-interval:PT15S}", initialDelay = 5_000)
    void periodically() {
        try {
            oncePerCluster.run("alert-evaluation", properties.alertInterval(), this::evaluateInventory);
        } catch (RuntimeException e) {
            // The next pass tries again; a broken rule must not stop the scheduler.
            log.warn("Alert evaluation failed", e);
        }
    }

    /**
     * Judges the nodes' heartbeats more often than the other rules, so that a node that stops is an
     * event within seconds (heartbeat interval × 3 + this interval); once per cluster like the rest.
     */
    @Scheduled(fixedDelayString = "${windrose.cluster.node-watch-interval:PT1S}", initialDelay = 5_000)
    void watchNodes() {
        try {
            oncePerCluster.run("node-watch", nodeWatchPeriod, this::evaluateHosts);
        } catch (RuntimeException e) {
            log.warn("Judging the nodes' heartbeats failed", e);
        }
    }

    void evaluateHosts() {
        AlertThresholds thresholds = thresholds();
        apply(AlertRule.HOST_HEARTBEAT, thresholds.hostHeartbeat() ? SystemViewer.read(this::hostConditions) : List.of());
    }

    /** Pools, hosts, disks and reconciliation, now. */
    void evaluateInventory() {
        AlertThresholds thresholds = thresholds();
        apply(AlertRule.POOL_USAGE, SystemViewer.read(() -> poolConditions(thresholds)));
        apply(AlertRule.HOST_HEARTBEAT, thresholds.hostHeartbeat() ? SystemViewer.read(this::hostConditions) : List.of());
        apply(AlertRule.DISK_HEALTH, thresholds.diskHealth() ? SystemViewer.read(this::diskConditions) : List.of());
        apply(AlertRule.RECONCILIATION_ERROR,
                thresholds.reconciliationErrors() ? SystemViewer.read(this::reconciliationConditions) : List.of());
    }

    private List<Condition> poolConditions(AlertThresholds thresholds) {
        List<Condition> holding = new ArrayList<>();
        for (PoolInfo pool : pools.list(null, null, PageRequest.of(0, MAX_LISTED)).getContent()) {
            poolCondition(pool, thresholds).ifPresent(holding::add);
        }
        return holding;
    }

    /**
     * A pool is running out of space when writes may fail for lack of it: thin volumes may still claim
     * space, and what the volumes have written is above the warning (or critical) share of the capacity.
     * A thick pool never is, however fully allocated: its volumes hold their space, so no write fails; a
     * full allocation only means that no new volume fits, which the pool's page and the dashboard say
     * and which creating a volume explains. Where use cannot be measured nothing is claimed either.
     */
    static java.util.Optional<Condition> poolCondition(PoolInfo pool, AlertThresholds thresholds) {
        Double percent = pool.usedPercent();
        if (!pool.mayRunOutOfSpace() || percent == null) {
            return java.util.Optional.empty();
        }
        Severity severity = percent > thresholds.poolCriticalPercent() ? Severity.CRITICAL
                : percent > thresholds.poolWarningPercent() ? Severity.WARNING : null;
        if (severity == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Condition("pool:" + pool.id().value(), pool.name(), severity, String.format(
                Locale.ROOT, "Running out of space: volumes have written %.0f%% of the capacity and thin volumes may "
                        + "still claim %s; writes fail once the pool is full (warning above %d%%, critical above %d%%). "
                        + "Add capacity or move volumes.", percent, Sizes.bytes(pool.claimableBytes()),
                thresholds.poolWarningPercent(), thresholds.poolCriticalPercent())));
    }

    private List<Condition> hostConditions() {
        List<Condition> holding = new ArrayList<>();
        for (HostInfo host : hosts.list(PageRequest.of(0, MAX_LISTED)).getContent()) {
            if (host.state() == HostState.OFFLINE) {
                holding.add(new Condition("host:" + host.id().value(), host.name(), Severity.CRITICAL,
                        "No heartbeat since " + host.lastHeartbeatAt() + ": the host is down or cannot reach the database."));
            }
        }
        return holding;
    }

    private List<Condition> diskConditions() {
        List<Condition> holding = new ArrayList<>();
        for (DiskInfo disk : disks.list(DiskFilter.all(), PageRequest.of(0, MAX_LISTED)).getContent()) {
            HealthStatus status = disk.health().status();
            if (disk.present() && (status == HealthStatus.WARNING || status == HealthStatus.FAILING)) {
                String detail = disk.health().detail();
                holding.add(new Condition("disk:" + disk.id().value(), disk.hostName() + ":" + disk.name(),
                        status == HealthStatus.FAILING ? Severity.CRITICAL : Severity.WARNING,
                        "Health " + status.name().toLowerCase(Locale.ROOT) + (detail == null ? "." : ": " + detail)));
            }
        }
        return holding;
    }

    private List<Condition> reconciliationConditions() {
        List<Condition> holding = new ArrayList<>();
        for (SubsystemInfo subsystem : fabric.list()) {
            List<String> failures = new ArrayList<>();
            if (subsystem.state() == ObservedState.FAILED) {
                failures.add("the subsystem: " + subsystem.lastError());
            }
            subsystem.namespaces().stream().filter(n -> n.state() == ObservedState.FAILED)
                    .forEach(n -> failures.add("namespace " + n.nsid() + ": " + n.lastError()));
            subsystem.listeners().stream().filter(l -> l.state() == ObservedState.FAILED)
                    .forEach(l -> failures.add("listener " + l.address() + ":" + l.port() + ": " + l.lastError()));
            subsystem.allowedHosts().stream().filter(h -> h.state() == ObservedState.FAILED)
                    .forEach(h -> failures.add("allowed host " + h.hostNqn() + ": " + h.lastError()));
            if (!failures.isEmpty()) {
                holding.add(new Condition(new MetricObject.Subsystem(subsystem.nqn()).key(), subsystem.nqn(),
                        Severity.WARNING, "Could not apply " + String.join("; ", failures)));
            }
        }
        return holding;
    }

    private AlertThresholds thresholds() {
        AlertThresholds thresholds = transactions.execute(status -> store.thresholds());
        return thresholds == null ? AlertThresholds.DEFAULTS : thresholds;
    }

    /**
     * Reconciles a rule's events with the conditions holding now, in one transaction, then tells the
     * listeners. Synchronized: the history thread and the scheduler both evaluate.
     */
    synchronized void apply(AlertRule rule, List<Condition> holding) {
        List<EventChange> changes = transactions.execute(status -> reconcile(rule, holding));
        if (changes != null) {
            changes.forEach(events::announce);
        }
    }

    private List<EventChange> reconcile(AlertRule rule, List<Condition> holding) {
        Instant now = clock.instant();
        Map<String, EventInfo> active = new HashMap<>();
        store.active(rule).forEach(event -> active.put(event.objectKey(), event));
        Map<String, Condition> conditions = new LinkedHashMap<>();
        holding.forEach(condition -> conditions.put(condition.objectKey(), condition));
        Map<dev.windrose.telemetry.EventId, EventChange.Kind> changed = new LinkedHashMap<>();
        for (Condition condition : conditions.values()) {
            EventInfo existing = active.remove(condition.objectKey());
            if (existing == null) {
                changed.put(store.raise(rule, condition.severity(), condition.objectKey(), condition.objectName(),
                        condition.message(), now), EventChange.Kind.RAISED);
                log.info("Event raised: {} {} {}: {}", condition.severity(), rule, condition.objectKey(), condition.message());
            } else {
                Severity severity = worse(existing.severity(), condition.severity());
                store.stillHolds(existing.id(), severity, condition.message(), now);
                if (severity != existing.severity()) {
                    changed.put(existing.id(), EventChange.Kind.ESCALATED);
                }
            }
        }
        for (EventInfo gone : active.values()) {
            store.clear(gone.id(), now);
            changed.put(gone.id(), EventChange.Kind.CLEARED);
            log.info("Event cleared: {} {}", rule, gone.objectKey());
        }
        if (changed.isEmpty()) {
            return List.of();
        }
        long open = store.count(EventState.OPEN);
        return changed.entrySet().stream()
                .map(change -> new EventChange(store.find(change.getKey()).orElseThrow(), open, change.getValue()))
                .toList();
    }

    private static Severity worse(Severity a, Severity b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
