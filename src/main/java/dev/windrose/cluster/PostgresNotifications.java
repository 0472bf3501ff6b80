package dev.windrose.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL's LISTEN/NOTIFY for the nodes of a cluster (issue 15): one connection of its own per node (not
 * one of the pool's, which a LISTEN would pin) listens on every channel a feature subscribed to and hands
 * each notification's payload to the feature. The connection is reopened after a failure; while it is
 * down, {@link #listening()} is false and the features poll instead. On H2 (one node, no NOTIFY) nothing
 * listens and {@link #notifyNodes} does nothing.
 */
@Component
public class PostgresNotifications implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PostgresNotifications.class);
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(2);
    private static final int WAIT_MILLIS = 1000;
    /** Channel names go into SQL text (LISTEN takes no parameter): only plain identifiers are accepted. */
    private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final Environment environment;
    private final JdbcTemplate jdbc;
    private final Map<String, List<Channel>> channels = new ConcurrentHashMap<>();
    private final Set<String> listenedOn = ConcurrentHashMap.newKeySet();
    private volatile boolean listening;
    private volatile boolean running;
    private @Nullable Thread listener;

    /** A subscriber: what to do with a payload, and what to do when listening (re)starts (catch up). */
    private record Channel(Consumer<String> onNotification, Runnable onListening) {
    }

    PostgresNotifications(Environment environment, JdbcTemplate jdbc) {
        this.environment = environment;
        this.jdbc = jdbc;
    }

    /**
     * Subscribes to a channel. {@code onListening} runs each time the connection (re)starts listening, so
     * the subscriber can reread what it may have missed while it was down.
     */
    public void subscribe(String channel, Consumer<String> onNotification, Runnable onListening) {
        channels.computeIfAbsent(valid(channel), name -> new CopyOnWriteArrayList<>())
                .add(new Channel(onNotification, onListening));
    }

    /** Whether notifications arrive now (false: on H2, or while the connection is down). */
    public boolean listening() {
        return listening;
    }

    /**
     * Sends a notification in the caller's transaction: PostgreSQL delivers it when that commits, so a
     * listener that rereads finds the change. Nothing on H2.
     */
    public void notifyNodes(String channel, String payload) {
        if (postgres()) {
            jdbc.queryForList("SELECT pg_notify(?, ?)", valid(channel), payload);
        }
    }

    private static String valid(String channel) {
        if (!CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("not a plain channel name: " + channel);
        }
        return channel;
    }

    private void listen() {
        while (running) {
            try (Connection connection = open(); Statement statement = connection.createStatement()) {
                PGConnection notifications = connection.unwrap(PGConnection.class);
                listenedOn.clear();
                listenOnNewChannels(statement);
                listening = true;
                log.info("Listening for the other nodes' notifications on {}", listenedOn);
                channels.values().forEach(list -> list.forEach(channel -> catchUp(channel.onListening())));
                while (running) {
                    listenOnNewChannels(statement);
                    PGNotification[] arrived = notifications.getNotifications(WAIT_MILLIS);
                    for (PGNotification notification : arrived == null ? new PGNotification[0] : arrived) {
                        deliver(notification);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                // Said once per outage (at warn), not at every attempt to reconnect.
                if (running && listening) {
                    log.warn("Not listening for the other nodes' notifications any more ({}); features poll until it "
                            + "works again", e.getMessage());
                } else if (running) {
                    log.debug("Could not listen for the other nodes' notifications", e);
                }
            } finally {
                listening = false;
            }
            sleep(RECONNECT_DELAY);
        }
    }

    /** A feature may subscribe after the connection opened: its channel is listened on at the next wait. */
    private void listenOnNewChannels(Statement statement) throws SQLException {
        for (String channel : channels.keySet()) {
            if (listenedOn.add(channel)) {
                statement.execute("LISTEN " + channel);
            }
        }
    }

    private void deliver(PGNotification notification) {
        for (Channel channel : channels.getOrDefault(notification.getName(), List.of())) {
            try {
                channel.onNotification().accept(notification.getParameter());
            } catch (RuntimeException e) {
                log.warn("Handling a notification on {} failed", notification.getName(), e);
            }
        }
    }

    private static void catchUp(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.debug("Catching up after (re)listening failed", e);
        }
    }

    private Connection open() throws SQLException {
        return DedicatedConnections.open(environment, "windrose notifications", new Properties());
    }

    private boolean postgres() {
        return DedicatedConnections.postgres(environment);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        if (postgres()) {
            Thread thread = Thread.ofPlatform().daemon().name("cluster-notifications").unstarted(this::listen);
            listener = thread;
            thread.start();
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        Thread thread = listener;
        listener = null;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
