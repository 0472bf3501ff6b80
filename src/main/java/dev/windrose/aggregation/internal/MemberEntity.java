package dev.windrose.aggregation.internal;

import dev.windrose.aggregation.MemberOs;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

@Entity
@Table(name = "aggregation_member")
public class MemberEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @Column(name = "aggregation_id", nullable = false)
    private long aggregationId;

    @Column(nullable = false, length = 32)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 8)
    private MemberOs os;

    @Column(name = "host_nqn", nullable = false, length = 223)
    private String hostNqn;

    @Column(length = 255)
    private @Nullable String address;

    @Column(name = "subsystem_id", nullable = false)
    private long subsystemId;

    @Column(name = "subsystem_nqn", nullable = false, length = 223)
    private String subsystemNqn;

    protected MemberEntity() {
        this.name = "";
        this.os = MemberOs.LINUX;
        this.hostNqn = "";
        this.subsystemNqn = "";
    }

    public MemberEntity(long aggregationId, String name, MemberOs os, String hostNqn, @Nullable String address,
            long subsystemId, String subsystemNqn) {
        this.aggregationId = aggregationId;
        this.name = name;
        this.os = os;
        this.hostNqn = hostNqn;
        this.address = address;
        this.subsystemId = subsystemId;
        this.subsystemNqn = subsystemNqn;
    }

    public long id() {
        if (id == null) {
            throw new IllegalStateException("member not saved yet");
        }
        return id;
    }

    public long aggregationId() {
        return aggregationId;
    }

    public String name() {
        return name;
    }

    public MemberOs os() {
        return os;
    }

    public String hostNqn() {
        return hostNqn;
    }

    public @Nullable String address() {
        return address;
    }

    public long subsystemId() {
        return subsystemId;
    }

    public String subsystemNqn() {
        return subsystemNqn;
    }

    /** A member's OS, host NQN and address may change; its name, and so its subsystem, stay. */
    public void update(MemberOs os, String hostNqn, @Nullable String address) {
        this.os = os;
        this.hostNqn = hostNqn;
        this.address = address;
    }
}
