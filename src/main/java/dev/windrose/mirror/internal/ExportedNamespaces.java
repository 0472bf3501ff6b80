package dev.windrose.mirror.internal;

import dev.windrose.mirror.ReplicationEndpoint;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Where a mirrored volume is exported: its namespace and this node's listeners of that subsystem. Read with
 * SQL from the fabric's tables because the fabric feature depends on this one (its reconciler serves the
 * legs), not the other way round; these are the only columns read.
 */
@Component
class ExportedNamespaces {

    private final JdbcClient jdbc;

    ExportedNamespaces(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The namespace one of whose legs is attached, with the listeners node has on its subsystem. */
    record Export(String nqn, int nsid, int anaGroup, List<ReplicationEndpoint> listeners) {
    }

    Optional<Export> of(MirrorRow mirror, long node) {
        return jdbc.sql("""
                SELECT s.id, s.nqn, n.nsid, n.ana_group FROM nvmf_namespace n
                JOIN nvmf_subsystem s ON s.id = n.subsystem_id
                WHERE n.volume_id = ? OR n.volume_id = ?""")
                .params(mirror.legAVolume(), mirror.legBVolume())
                .query((rs, n) -> new Export(rs.getString(2), rs.getInt(3), rs.getInt(4), listeners(rs.getLong(1), node)))
                .optional();
    }

    private List<ReplicationEndpoint> listeners(long subsystem, long node) {
        return jdbc.sql("SELECT address, port FROM nvmf_listener WHERE subsystem_id = ? AND host_id = ?")
                .params(subsystem, node).query((rs, n) -> new ReplicationEndpoint(rs.getString(1), rs.getInt(2))).list();
    }
}
