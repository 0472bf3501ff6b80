package dev.windrose.mirror.internal;

import dev.windrose.cluster.DedicatedConnections;
import dev.windrose.inventory.HostService;
import dev.windrose.security.SystemViewer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * A node's liveness as PostgreSQL sees it: each node holds a session-level advisory lock named after it on a
 * connection of its own, for as long as it runs. When the process dies, its kernel closes that connection and
 * PostgreSQL frees the lock at once, so a partner learns within a tick that a node is gone, without waiting
 * for its lease. A lock that stays taken proves nothing (a cut network keeps a session open until TCP gives
 * up), which is why the lease remains the rule and this only a faster way to the same safe answer.
 */
@Component
public class NodeLiveness implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeLiveness.class);
    /** The advisory lock's first key: "WR" in ASCII, so that no other user of advisory locks collides. */
    private static final int LOCK_SPACE = 0x5752;
    private static final Duration CHECK = Duration.ofSeconds(1);

    private final Environment environment;
    private final HostService hosts;
    private final Object connectionLock = new Object();
    private @Nullable Connection connection;
    private volatile boolean holding;
    private volatile boolean running;
    private @Nullable Thread keeper;

    NodeLiveness(Environment environment, HostService hosts) {
        this.environment = environment;
        this.hosts = hosts;
    }

    /** Whether this node holds its lock now (it does while it reaches PostgreSQL). */
    public boolean holding() {
        return holding;
    }

    /**
     * True only when the node's lock is free, i.e. no live session holds it: the node is dead or lost its
     * database session. False when taken or when this node cannot ask (then nothing can be concluded).
     */
    public boolean sessionGone(long node) {
        synchronized (connectionLock) {
            if (connection == null) {
                return false;
            }
            try {
                if (!query(connection, "SELECT pg_try_advisory_lock(?, ?)", node)) {
                    return false;
                }
                query(connection, "SELECT pg_advisory_unlock(?, ?)", node);
                return true;
            } catch (SQLException e) {
                log.debug("Could not ask for node {}'s liveness lock: {}", node, e.getMessage());
                closeQuietly();
                return false;
            }
        }
    }

    private void keep() {
        long self = -1;
        while (running) {
            try {
                if (self < 0) {
                    self = SystemViewer.read(() -> hosts.local().id().value());
                }
                holdOnce(self);
            } catch (RuntimeException | SQLException e) {
                if (holding) {
                    log.warn("Lost this node's liveness lock in PostgreSQL ({}); taking it again when it is back",
                            e.getMessage());
                }
                holding = false;
                synchronized (connectionLock) {
                    closeQuietly();
                }
            }
            sleep(CHECK);
        }
    }

    /** Opens the connection and takes the lock when needed; otherwise proves the connection still works. */
    private void holdOnce(long self) throws SQLException {
        synchronized (connectionLock) {
            if (connection == null) {
                connection = open();
            }
            if (!holding) {
                // A previous session of this node may linger until PostgreSQL notices it is gone: retry.
                holding = query(connection, "SELECT pg_try_advisory_lock(?, ?)", self);
                if (holding) {
                    log.info("This node holds its liveness lock in PostgreSQL");
                }
            } else if (!connection.isValid(3)) {
                throw new SQLException("the liveness connection does not answer");
            }
        }
    }

    private static boolean query(Connection connection, String sql, long node) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, LOCK_SPACE);
            statement.setInt(2, Math.toIntExact(node));
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private Connection open() throws SQLException {
        Properties timeouts = new Properties();
        timeouts.setProperty("connectTimeout", "3");
        timeouts.setProperty("socketTimeout", "5");
        return DedicatedConnections.open(environment, "windrose liveness", timeouts);
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing a broken connection: nothing more to do.
            }
            connection = null;
        }
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

    /** Nothing before the application is ready: this node's host record exists only then. */
    @Override
    public void start() {
    }

    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    synchronized void startWhenReady() {
        if (postgres() && !running) {
            running = true;
            keeper = Thread.ofPlatform().daemon().name("windrose-liveness").start(this::keep);
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (keeper != null) {
            keeper.interrupt();
        }
        synchronized (connectionLock) {
            closeQuietly();
        }
        holding = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
