package dev.windrose.fabric.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A transport address of a subsystem on one host; transport is TCP, family IPV4 or IPV6. */
@Entity
@Table(name = "nvmf_listener")
public class ListenerEntity extends ReconciledEntity {

    @Column(name = "subsystem_id", nullable = false)
    private long subsystemId;

    @Column(name = "host_id", nullable = false)
    private long hostId;

    @Column(nullable = false, length = 8)
    private String transport;

    @Column(name = "address_family", nullable = false, length = 4)
    private String addressFamily;

    @Column(nullable = false, length = 64)
    private String address;

    @Column(nullable = false)
    private int port;

    protected ListenerEntity() {
        this.transport = "TCP";
        this.addressFamily = "IPV4";
        this.address = "";
    }

    public ListenerEntity(long subsystemId, long hostId, String addressFamily, String address, int port) {
        this.subsystemId = subsystemId;
        this.hostId = hostId;
        this.transport = "TCP";
        this.addressFamily = addressFamily;
        this.address = address;
        this.port = port;
    }

    public long subsystemId() {
        return subsystemId;
    }

    public long hostId() {
        return hostId;
    }

    public String transport() {
        return transport;
    }

    public String addressFamily() {
        return addressFamily;
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }
}
