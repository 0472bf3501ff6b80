package dev.windrose.aggregation.internal;

import dev.windrose.aggregation.Platform;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

@Entity
@Table(name = "aggregation")
public class AggregationEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @Column(nullable = false, length = 32)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Platform platform;

    @Column(name = "listener_address", nullable = false, length = 64)
    private String listenerAddress;

    @Column(name = "listener_port", nullable = false)
    private int listenerPort;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected AggregationEntity() {
        this.name = "";
        this.platform = Platform.S2D;
        this.listenerAddress = "";
        this.createdAt = Instant.EPOCH;
    }

    public AggregationEntity(String name, Platform platform, String listenerAddress, int listenerPort,
            Instant createdAt) {
        this.name = name;
        this.platform = platform;
        this.listenerAddress = listenerAddress;
        this.listenerPort = listenerPort;
        this.createdAt = createdAt;
    }

    public long id() {
        if (id == null) {
            throw new IllegalStateException("aggregation not saved yet");
        }
        return id;
    }

    public String name() {
        return name;
    }

    public Platform platform() {
        return platform;
    }

    public String listenerAddress() {
        return listenerAddress;
    }

    public int listenerPort() {
        return listenerPort;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
