package dev.windrose.cluster.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One run of a once-per-cluster job, by one node. */
@Entity
@Table(name = "cluster_job_run")
public class JobRunEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @Column(nullable = false, length = 64)
    private String job;

    @Column(name = "host_id", nullable = false)
    private long hostId;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    protected JobRunEntity() {
        this.job = "";
        this.startedAt = Instant.EPOCH;
    }

    public JobRunEntity(String job, long hostId, Instant startedAt) {
        this.job = job;
        this.hostId = hostId;
        this.startedAt = startedAt;
    }

    public String job() {
        return job;
    }

    public long hostId() {
        return hostId;
    }

    public Instant startedAt() {
        return startedAt;
    }
}
