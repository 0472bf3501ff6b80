package dev.windrose.cluster.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A node's signal counter: others raise it when something for that node changed. */
@Entity
@Table(name = "cluster_signal")
public class ClusterSignalEntity {

    @Id
    @Column(name = "host_id")
    private long hostId;

    @Column(nullable = false)
    private long generation;

    protected ClusterSignalEntity() {
    }

    public ClusterSignalEntity(long hostId) {
        this.hostId = hostId;
    }

    public long generation() {
        return generation;
    }
}
