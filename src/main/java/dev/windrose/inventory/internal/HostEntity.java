package dev.windrose.inventory.internal;

import dev.windrose.inventory.HostId;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A host (node) running Windrose. */
@Entity
@Table(name = "host")
public class HostEntity {

    /** A host is offline when its heartbeat is older than this many intervals. */
    static final int MISSED_HEARTBEATS_FOR_OFFLINE = 3;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @Column(name = "machine_id", nullable = false, unique = true, length = 64)
    private String machineId;

    @Column(nullable = false)
    private String name;

    /** Comma-separated, as shown; there is no query on single addresses. */
    @Column(nullable = false, length = 2000)
    private String addresses;

    @Column(name = "os_name", nullable = false)
    private String osName;

    @Column(nullable = false)
    private String kernel;

    @Column(name = "cpu_cores", nullable = false)
    private int cpuCores;

    @Column(name = "memory_bytes", nullable = false)
    private long memoryBytes;

    @Column(name = "dataplane_version", nullable = false, length = 64)
    private String dataplaneVersion;

    @Column(name = "dataplane_mode", nullable = false, length = 16)
    private String dataplaneMode;

    @Column(name = "registered_at", nullable = false)
    private Instant registeredAt;

    @Column(name = "last_heartbeat_at", nullable = false)
    private Instant lastHeartbeatAt;

    @Column(name = "named_by_admin", nullable = false)
    private boolean namedByAdmin;

    protected HostEntity() {
        this.machineId = "";
        this.name = "";
        this.addresses = "";
        this.osName = "";
        this.kernel = "";
        this.dataplaneVersion = "";
        this.dataplaneMode = "";
        this.registeredAt = Instant.EPOCH;
        this.lastHeartbeatAt = Instant.EPOCH;
    }

    public HostEntity(HostFacts facts, Instant now) {
        this.machineId = facts.machineId();
        this.registeredAt = now;
        update(facts, now);
    }

    /** Takes the facts of a new start: a host may have been renamed, upgraded or given more memory. */
    public void update(HostFacts facts, Instant now) {
        if (!namedByAdmin) {
            this.name = facts.name();
        }
        this.addresses = String.join(",", facts.addresses());
        this.osName = facts.osName();
        this.kernel = facts.kernel();
        this.cpuCores = facts.cpuCores();
        this.memoryBytes = facts.memoryBytes();
        this.dataplaneVersion = facts.dataplaneVersion();
        this.dataplaneMode = facts.dataplaneMode();
        this.lastHeartbeatAt = now;
    }

    /** An administrator's name, kept across restarts. */
    public void rename(String newName) {
        this.name = newName;
        this.namedByAdmin = true;
    }

    public void heartbeat(Instant now) {
        lastHeartbeatAt = now;
    }

    public HostId id() {
        if (id == null) {
            throw new IllegalStateException("host " + name + " is not saved yet");
        }
        return new HostId(id);
    }

    public String name() {
        return name;
    }

    public String machineId() {
        return machineId;
    }

    public long memoryBytes() {
        return memoryBytes;
    }

    public HostInfo toInfo(Instant now, Duration heartbeatInterval, String localMachineId) {
        HostState state = lastHeartbeatAt.plus(heartbeatInterval.multipliedBy(MISSED_HEARTBEATS_FOR_OFFLINE))
                .isBefore(now) ? HostState.OFFLINE : HostState.ONLINE;
        List<String> addressList = addresses.isEmpty() ? List.of() : Arrays.asList(addresses.split(","));
        return new HostInfo(id(), name, machineId, List.copyOf(addressList), osName, kernel, cpuCores, memoryBytes,
                dataplaneVersion, dataplaneMode, registeredAt, lastHeartbeatAt, state, machineId.equals(localMachineId));
    }
}
