package dev.windrose.fabric.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A known host NQN with a friendly name. */
@Entity
@Table(name = "nvmf_initiator")
public class InitiatorEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @Column(name = "host_nqn", nullable = false, unique = true, length = 223)
    private String hostNqn;

    @Column(nullable = false, length = 64)
    private String name;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected InitiatorEntity() {
        this.hostNqn = "";
        this.name = "";
        this.createdAt = Instant.EPOCH;
    }

    public InitiatorEntity(String hostNqn, String name, Instant now) {
        this.hostNqn = hostNqn;
        this.name = name;
        this.createdAt = now;
    }

    public long id() {
        if (id == null) {
            throw new IllegalStateException("initiator " + name + " is not saved yet");
        }
        return id;
    }

    public String hostNqn() {
        return hostNqn;
    }

    public String name() {
        return name;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
