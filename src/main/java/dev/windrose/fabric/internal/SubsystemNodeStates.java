package dev.windrose.fabric.internal;

import dev.windrose.fabric.ObservedState;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Each node's observation of each subsystem it serves a slice of (nvmf_subsystem_node_state). */
@Repository
public class SubsystemNodeStates {

    private static final int MAX_ERROR = 1000;

    private final JdbcClient jdbc;

    SubsystemNodeStates(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One node's observation, kept apart from the other nodes'. */
    public record Row(long hostId, ObservedState state, @Nullable String lastError, Instant observedAt) {
    }

    /** Replaces the node's observation of the subsystem (in the caller's transaction). */
    void record(long subsystemId, long hostId, ObservedState state, @Nullable String error, Instant at) {
        jdbc.sql("DELETE FROM nvmf_subsystem_node_state WHERE subsystem_id = ? AND host_id = ?")
                .params(subsystemId, hostId).update();
        jdbc.sql("INSERT INTO nvmf_subsystem_node_state (subsystem_id, host_id, state, last_error, observed_at) "
                        + "VALUES (?, ?, ?, ?, ?)")
                .params(subsystemId, hostId, state.name(),
                        error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR),
                        Timestamp.from(at))
                .update();
    }

    /** A node that no longer serves any of the subsystem forgets its observation. */
    void forget(long hostId, List<Long> keptSubsystems) {
        List<Long> stale = jdbc.sql("SELECT subsystem_id FROM nvmf_subsystem_node_state WHERE host_id = ?")
                .param(hostId).query(Long.class).list().stream().filter(id -> !keptSubsystems.contains(id)).toList();
        for (long subsystem : stale) {
            jdbc.sql("DELETE FROM nvmf_subsystem_node_state WHERE subsystem_id = ? AND host_id = ?")
                    .params(subsystem, hostId).update();
        }
    }

    public List<Row> of(long subsystemId) {
        return jdbc.sql("SELECT host_id, state, last_error, observed_at FROM nvmf_subsystem_node_state "
                        + "WHERE subsystem_id = ? ORDER BY host_id")
                .param(subsystemId)
                .query((rs, n) -> new Row(rs.getLong(1), ObservedState.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getTimestamp(4).toInstant()))
                .list();
    }
}
