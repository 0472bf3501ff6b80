package dev.windrose.fabric.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

@Entity
@Table(name = "nvmf_allowed_host")
public class AllowedHostEntity extends ReconciledEntity {

    @Column(name = "subsystem_id", nullable = false)
    private long subsystemId;

    @Column(name = "host_nqn", nullable = false, length = 223)
    private String hostNqn;

    protected AllowedHostEntity() {
        this.hostNqn = "";
    }

    public AllowedHostEntity(long subsystemId, String hostNqn) {
        this.subsystemId = subsystemId;
        this.hostNqn = hostNqn;
    }

    public long subsystemId() {
        return subsystemId;
    }

    public String hostNqn() {
        return hostNqn;
    }
}
