package dev.windrose.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.springframework.core.env.Environment;

/**
 * A PostgreSQL connection of a node's own, outside the pool, for what must hold a session: LISTEN, an
 * advisory lock. Same URL and credentials as the pool; TCP keep-alive on, so a dead peer is noticed.
 */
public final class DedicatedConnections {

    private DedicatedConnections() {
    }

    /** Whether the node runs on PostgreSQL (sessions, LISTEN/NOTIFY and advisory locks exist only there). */
    public static boolean postgres(Environment environment) {
        return environment.getProperty("spring.datasource.url", "").startsWith("jdbc:postgresql:");
    }

    /**
     * @param applicationName what {@code pg_stat_activity} shows for it
     * @param extra further driver properties (timeouts), may be empty
     */
    public static Connection open(Environment environment, String applicationName, Properties extra)
            throws SQLException {
        Properties info = new Properties();
        String user = environment.getProperty("spring.datasource.username");
        String password = environment.getProperty("spring.datasource.password");
        if (user != null) {
            info.setProperty("user", user);
        }
        if (password != null) {
            info.setProperty("password", password);
        }
        info.setProperty("ApplicationName", applicationName);
        info.setProperty("tcpKeepAlive", "true");
        info.putAll(extra);
        return DriverManager.getConnection(environment.getProperty("spring.datasource.url", ""), info);
    }
}
