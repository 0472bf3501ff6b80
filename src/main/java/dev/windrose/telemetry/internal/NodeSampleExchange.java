package dev.windrose.telemetry.internal;

import dev.windrose.cluster.NodeDataplanes;
import dev.windrose.cluster.PostgresNotifications;
import dev.windrose.dataplane.EmbeddedTarget;
import dev.windrose.inventory.HostId;
import dev.windrose.inventory.HostService;
import dev.windrose.security.Role;
import dev.windrose.telemetry.ClusterSample;
import dev.windrose.telemetry.IoRates;
import dev.windrose.telemetry.Latency;
import dev.windrose.telemetry.NodeSample;
import dev.windrose.telemetry.NodeStatistics;
import dev.windrose.telemetry.Subscription;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Carries every node's newest sample to every other node through PostgreSQL, which is the cluster's only
 * channel between nodes. Writing: each sample of this node is upserted into {@code node_live_sample} (its
 * own row) on a thread of its own (newest wins, so a slow database never delays the sampler), followed by
 * {@code NOTIFY windrose_node_sample, '<host id>'} in the same transaction; while the target is not
 * running, a row saying so is written every interval instead. Reading: on PostgreSQL the node's
 * notification connection ({@link PostgresNotifications}) hands over each notification, which rereads
 * that node's row. Without it (H2, or PostgreSQL away) the table is polled every
 * {@code windrose.telemetry.node-poll-interval}.
 */
@Component
class NodeSampleExchange implements NodeStatistics, NodeDataplanes, SmartLifecycle {

    static final String CHANNEL = "windrose_node_sample";
    /** A sample older than this says nothing about the node any more (it stopped, or cannot write). */
    static final Duration STALE_AFTER = Duration.ofSeconds(5);
    private static final Duration NAME_REREAD = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(NodeSampleExchange.class);
    private static final String SELECT = "SELECT s.*, h.name AS node_name FROM node_live_sample s "
            + "JOIN host h ON h.id = s.host_id";

    private final TelemetrySampler sampler;
    private final EmbeddedTarget target;
    private final HostService hosts;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final TelemetryProperties properties;
    private final Duration pollInterval;
    private final Clock clock;
    private final PostgresNotifications notifications;
    private final Map<Long, NodeSample> latest = new ConcurrentHashMap<>();
    private final List<Consumer<NodeSample>> followers = new CopyOnWriteArrayList<>();
    private final AtomicReference<@Nullable ClusterSample> pendingWrite = new AtomicReference<>();

    private volatile @Nullable HostId localId;
    private volatile @Nullable String localName;
    private volatile Instant localNameReadAt = Instant.EPOCH;
    private volatile @Nullable Instant lastLocalWrite;
    private volatile boolean running;
    private @Nullable ScheduledExecutorService scheduler;
    private @Nullable ScheduledExecutorService writer;
    private @Nullable Subscription sampling;

    NodeSampleExchange(TelemetrySampler sampler, EmbeddedTarget target, HostService hosts, JdbcTemplate jdbc,
            PlatformTransactionManager transactionManager, TelemetryProperties properties,
            @Value("${windrose.telemetry.node-poll-interval:PT1S}") Duration pollInterval, Clock clock,
            PostgresNotifications notifications) {
        this.notifications = notifications;
        // A notification names the node whose row changed; a (re)opened connection rereads every row.
        notifications.subscribe(CHANNEL, this::arrivedFrom, this::readAll);
        this.sampler = sampler;
        this.target = target;
        this.hosts = hosts;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.properties = properties;
        this.pollInterval = pollInterval;
        this.clock = clock;
    }

    @Override
    @PreAuthorize(Role.Expressions.VIEWER)
    public List<NodeSample> latest() {
        return latest.values().stream().sorted(Comparator.comparing(NodeSample::nodeName, String.CASE_INSENSITIVE_ORDER)
                .thenComparing(sample -> sample.hostId().value())).toList();
    }

    @Override
    @PreAuthorize(Role.Expressions.VIEWER)
    public Subscription follow(Consumer<NodeSample> follower) {
        followers.add(follower);
        return () -> followers.remove(follower);
    }

    @Override
    public Optional<String> state(HostId node) {
        NodeSample sample = latest.get(node.value());
        if (sample == null || sample.staleAt(clock.instant(), STALE_AFTER)) {
            return Optional.empty();
        }
        return Optional.of(sample.dataplaneUp() ? "Running" : "Stopped: "
                + Optional.ofNullable(sample.dataplaneProblem()).orElse("the target does not run"));
    }

    /** Whether a LISTEN connection is open (false: polling). */
    boolean listening() {
        return notifications.listening();
    }

    // ---- writing this node's samples ----

    private void sampled(ClusterSample sample) {
        if (pendingWrite.getAndSet(sample) == null) {
            submitWrite(this::writePending);
        }
    }

    private void writePending() {
        ClusterSample sample = pendingWrite.getAndSet(null);
        if (sample != null) {
            IoRates rates = sample.cluster();
            write(sample.timestamp(), sample.interval(), true, null, rates);
        }
    }

    /** Every interval: a target that does not run sends no samples, so say that it does not. */
    private void writeIfDown() {
        EmbeddedTarget.Status status = target.status();
        Instant last = lastLocalWrite;
        Instant now = clock.instant();
        if (!status.running() && (last == null || !last.plus(properties.sampleInterval()).isAfter(now))) {
            String problem = status.enabled() ? Optional.ofNullable(status.problem()).orElse("not running")
                    : "switched off (windrose.dataplane.target.enabled=false)";
            write(now, properties.sampleInterval(), false, problem, IoRates.IDLE);
        }
    }

    private void write(Instant sampledAt, Duration interval, boolean up, @Nullable String problem, IoRates rates) {
        HostId id = localId();
        if (id == null) {
            return;
        }
        Latency latency = rates.latency();
        Object[] values = {OffsetDateTime.ofInstant(sampledAt, ZoneOffset.UTC), Math.toIntExact(interval.toMillis()), up,
            problem, rates.readIops(), rates.writeIops(), rates.readMiBps(), rates.writeMiBps(),
            latency == null ? null : latency.p50Micros(), latency == null ? null : latency.p99Micros(),
            latency == null ? null : latency.p999Micros(), rates.errors(), id.value()};
        try {
            transactions.executeWithoutResult(status -> {
                int updated = jdbc.update("UPDATE node_live_sample SET sampled_at = ?, interval_ms = ?, "
                        + "dataplane_up = ?, dataplane_problem = ?, read_iops = ?, write_iops = ?, read_mibps = ?, "
                        + "write_mibps = ?, latency_p50_us = ?, latency_p99_us = ?, latency_p999_us = ?, errors = ? "
                        + "WHERE host_id = ?", values);
                if (updated == 0) {
                    jdbc.update("INSERT INTO node_live_sample (sampled_at, interval_ms, dataplane_up, dataplane_problem, "
                            + "read_iops, write_iops, read_mibps, write_mibps, latency_p50_us, latency_p99_us, "
                            + "latency_p999_us, errors, host_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values);
                }
                // Delivered when the transaction commits, so a listener that rereads finds the new row.
                notifications.notifyNodes(CHANNEL, Long.toString(id.value()));
            });
        } catch (RuntimeException e) {
            // The database may be away: this sample is lost, the next one tries again.
            log.debug("Could not write this node's live sample", e);
        }
        lastLocalWrite = sampledAt;
        String name = localName;
        arrived(new NodeSample(id, name == null ? "" : name, sampledAt, sampledAt, 0, interval, up, problem,
                rates.readIops(), rates.writeIops(), rates.readMiBps(), rates.writeMiBps(), latency, rates.errors()));
    }

    /** This node's id, and its name reread every {@link #NAME_REREAD} (an administrator may rename it). */
    private @Nullable HostId localId() {
        HostId id = localId;
        Instant now = clock.instant();
        if (id == null || localNameReadAt.plus(NAME_REREAD).isBefore(now)) {
            try {
                var local = hosts.local();
                localName = local.name();
                localNameReadAt = now;
                id = local.id();
                localId = id;
            } catch (RuntimeException notYetRegisteredOrDatabaseAway) {
                return id;
            }
        }
        return id;
    }

    // ---- reading the other nodes' samples ----

    private void arrived(NodeSample sample) {
        latest.put(sample.hostId().value(), sample);
        for (Consumer<NodeSample> follower : followers) {
            try {
                follower.accept(sample);
            } catch (RuntimeException e) {
                log.warn("A follower of node samples failed on {}", sample.nodeName(), e);
            }
        }
    }

    /** Rereads every row: at a poll, and when a LISTEN connection (re)opens. */
    void readAll() {
        Instant receivedAt = clock.instant();
        Map<Long, NodeSample> read = new HashMap<>();
        jdbc.query(SELECT, (ResultSet rs) -> {
            NodeSample sample = sample(rs, receivedAt);
            read.put(sample.hostId().value(), sample);
        });
        HostId local = localId;
        Set<Long> gone = new HashSet<>(latest.keySet());
        gone.removeAll(read.keySet());
        if (local != null) {
            gone.remove(local.value());
            read.remove(local.value());
        }
        gone.forEach(latest::remove);
        read.values().forEach(sample -> {
            NodeSample known = latest.get(sample.hostId().value());
            if (known == null || sample.sampledAt().isAfter(known.sampledAt())) {
                arrived(sample);
            }
        });
    }

    private void readOne(long hostId) {
        HostId local = localId;
        if (local != null && local.value() == hostId) {
            return;
        }
        Instant receivedAt = clock.instant();
        List<NodeSample> rows = jdbc.query(SELECT + " WHERE s.host_id = ?", (rs, row) -> sample(rs, receivedAt), hostId);
        if (rows.isEmpty()) {
            latest.remove(hostId);
        } else {
            arrived(rows.getFirst());
        }
    }

    private static NodeSample sample(ResultSet rs, Instant receivedAt) throws SQLException {
        Instant sampledAt = rs.getObject("sampled_at", OffsetDateTime.class).toInstant();
        Double p50 = nullableDouble(rs, "latency_p50_us");
        Latency latency = p50 == null ? null : new Latency(p50, rs.getDouble("latency_p99_us"),
                rs.getDouble("latency_p999_us"));
        return new NodeSample(new HostId(rs.getLong("host_id")), rs.getString("node_name"), sampledAt, receivedAt,
                Math.max(0, Duration.between(sampledAt, receivedAt).toMillis()),
                Duration.ofMillis(rs.getInt("interval_ms")), rs.getBoolean("dataplane_up"),
                rs.getString("dataplane_problem"), rs.getDouble("read_iops"), rs.getDouble("write_iops"),
                rs.getDouble("read_mibps"), rs.getDouble("write_mibps"), latency, rs.getLong("errors"));
    }

    private static @Nullable Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private void arrivedFrom(String node) {
        try {
            readOne(Long.parseLong(node));
        } catch (NumberFormatException notOurs) {
            // Only node ids are sent on this channel; anything else is ignored.
        }
    }

    private void pollUnlessListening() {
        if (notifications.listening()) {
            return;
        }
        try {
            readAll();
        } catch (RuntimeException e) {
            log.debug("Could not read the nodes' live samples", e);
        }
    }

    private void submitWrite(Runnable work) {
        ScheduledExecutorService executor = writer;
        if (executor == null) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.warn("Writing this node's live sample failed", e);
                }
            });
        } catch (RejectedExecutionException stopping) {
            // The application is stopping.
        }
    }

    // ---- lifecycle ----

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        writer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("node-sample-writer")
                .factory());
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("node-sample-poll")
                .factory());
        if (properties.enabled()) {
            sampling = sampler.subscribeInternally(this::sampled);
            long period = properties.sampleInterval().toMillis();
            writer.scheduleWithFixedDelay(() -> {
                try {
                    writeIfDown();
                } catch (RuntimeException e) {
                    log.debug("Could not say that this node's target is down", e);
                }
            }, period, period, TimeUnit.MILLISECONDS);
        }
        scheduler.scheduleWithFixedDelay(this::pollUnlessListening, pollInterval.toMillis(), pollInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (sampling != null) {
            sampling.cancel();
            sampling = null;
        }
        for (ScheduledExecutorService executor : new ScheduledExecutorService[] {writer, scheduler}) {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
        writer = null;
        scheduler = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
