package dev.windrose.support;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Another node of the cluster, written into the database as its start would write it (a host row and a
 * membership), for tests that run one node in their JVM. The caller deletes the host row afterwards (the
 * membership goes with it).
 */
public final class ClusterNodes {

    private ClusterNodes() {
    }

    /**
     * Registers a node with a heartbeat at the given time (an old one makes it offline) and a membership
     * (ASKING, or MEMBER as if accepted); returns its host id.
     */
    public static long register(JdbcTemplate jdbc, String machineId, String membership, Instant heartbeat) {
        Timestamp at = Timestamp.from(heartbeat);
        jdbc.update("INSERT INTO host (machine_id, name, addresses, os_name, kernel, cpu_cores, memory_bytes, "
                + "dataplane_version, dataplane_mode, registered_at, last_heartbeat_at) VALUES (?, ?, '192.0.2.7', "
                + "'Debian', '6.1', 2, 1073741824, '0.1', 'adaptive', ?, ?)", machineId, machineId, at, at);
        long id = jdbc.queryForObject("SELECT id FROM host WHERE machine_id = ?", Long.class, machineId);
        boolean member = "MEMBER".equals(membership);
        jdbc.update("INSERT INTO cluster_member (host_id, state, asked_at, accepted_at, accepted_by) VALUES (?, ?, ?, ?, ?)",
                id, membership, at, member ? at : null, member ? "test" : null);
        return id;
    }
}
