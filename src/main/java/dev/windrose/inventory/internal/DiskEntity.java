package dev.windrose.inventory.internal;

import dev.windrose.inventory.DiskHealth;
import dev.windrose.inventory.DiskId;
import dev.windrose.inventory.DiskInfo;
import dev.windrose.inventory.DiskKind;
import dev.windrose.inventory.DiskTransport;
import dev.windrose.inventory.HealthStatus;
import dev.windrose.inventory.HostId;
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

/** A disk of a host: a discovered block device or a file-backed lab disk. */
@Entity
@Table(name = "disk")
public class DiskEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @Column(name = "host_id", nullable = false)
    private long hostId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 8)
    private DiskKind kind;

    @Column(nullable = false, length = 64)
    private String name;

    @Column(name = "device_path", nullable = false, length = 1024)
    private String devicePath;

    /** What names the disk across reboots ({@link DiskIdentity}); the kernel name may change. */
    @Column(name = "identity_key", nullable = false, length = DiskIdentity.MAX_LENGTH)
    private String identity;

    private @Nullable String model;
    private @Nullable String serial;

    @Column(length = 64)
    private @Nullable String firmware;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private DiskTransport transport;

    @Column(nullable = false)
    private boolean rotational;

    @Column(name = "size_bytes", nullable = false)
    private long sizeBytes;

    @Column(name = "logical_block_size", nullable = false)
    private int logicalBlockSize;

    @Column(name = "physical_block_size", nullable = false)
    private int physicalBlockSize;

    @Column(name = "in_use_reason", length = 1000)
    private @Nullable String inUseReason;

    @Column(name = "claimed_by")
    private @Nullable String claimedBy;

    @Enumerated(EnumType.STRING)
    @Column(name = "health_status", nullable = false, length = 16)
    private HealthStatus healthStatus;

    @Column(name = "health_source", length = 32)
    private @Nullable String healthSource;

    @Column(name = "health_detail", length = 1000)
    private @Nullable String healthDetail;

    @Column(name = "temperature_celsius")
    private @Nullable Integer temperatureCelsius;

    @Column(name = "percentage_used")
    private @Nullable Integer percentageUsed;

    @Column(name = "media_errors")
    private @Nullable Long mediaErrors;

    @Column(name = "critical_warning")
    private @Nullable Integer criticalWarning;

    @Column(nullable = false)
    private boolean present;

    @Column(name = "first_seen_at", nullable = false)
    private Instant firstSeenAt;

    @Column(name = "last_seen_at", nullable = false)
    private Instant lastSeenAt;

    protected DiskEntity() {
        this.kind = DiskKind.BLOCK;
        this.name = "";
        this.devicePath = "";
        this.identity = "";
        this.transport = DiskTransport.UNKNOWN;
        this.healthStatus = HealthStatus.UNKNOWN;
        this.firstSeenAt = Instant.EPOCH;
        this.lastSeenAt = Instant.EPOCH;
    }

    private DiskEntity(HostId host, DiskKind kind, String name, String devicePath, String identity, Instant now) {
        this();
        this.hostId = host.value();
        this.kind = kind;
        this.name = name;
        this.devicePath = devicePath;
        this.identity = identity;
        this.present = true;
        this.firstSeenAt = now;
        this.lastSeenAt = now;
    }

    public static DiskEntity discovered(HostId host, DiscoveredDisk disk, DiskHealth health, Instant now) {
        DiskEntity entity = new DiskEntity(host, DiskKind.BLOCK, disk.name(), disk.devicePath(),
                disk.identity(), now);
        entity.refresh(disk, health, now);
        return entity;
    }

    public static DiskEntity lab(HostId host, String name, String file, String serial, long sizeBytes, Instant now) {
        DiskEntity entity = new DiskEntity(host, DiskKind.LAB, name, file, DiskIdentity.labFile(file), now);
        entity.model = "Windrose lab disk";
        entity.serial = serial;
        entity.transport = DiskTransport.FILE;
        entity.sizeBytes = sizeBytes;
        entity.logicalBlockSize = 512;
        entity.physicalBlockSize = 4096;
        entity.setHealth(DiskHealth.unknown("A lab disk is a file: it has no SMART data."));
        return entity;
    }

    /**
     * Takes what the latest discovery saw, the kernel name included: after a reboot the same disk may be
     * {@code sdb} where it was {@code sda}. The identity is taken too, which upgrades a disk known only by
     * its kernel name (recorded before identities existed) once the system names it better.
     */
    public void refresh(DiscoveredDisk disk, DiskHealth health, Instant now) {
        this.name = disk.name();
        this.identity = disk.identity();
        this.devicePath = disk.devicePath();
        this.model = disk.model();
        this.serial = disk.serial();
        this.firmware = disk.firmware();
        this.transport = disk.transport();
        this.rotational = disk.rotational();
        this.sizeBytes = disk.sizeBytes();
        this.logicalBlockSize = disk.logicalBlockSize();
        this.physicalBlockSize = disk.physicalBlockSize();
        this.inUseReason = disk.inUseReason();
        setHealth(health);
        seen(now);
    }

    private void setHealth(DiskHealth health) {
        this.healthStatus = health.status();
        this.healthSource = health.source();
        this.healthDetail = health.detail();
        this.temperatureCelsius = health.temperatureCelsius();
        this.percentageUsed = health.percentageUsed();
        this.mediaErrors = health.mediaErrors();
        this.criticalWarning = health.criticalWarning();
    }

    public void seen(Instant now) {
        this.present = true;
        this.lastSeenAt = now;
    }

    public void missing() {
        this.present = false;
    }

    public void claim(String claimant) {
        this.claimedBy = claimant;
    }

    public void release() {
        this.claimedBy = null;
    }

    public DiskId id() {
        if (id == null) {
            throw new IllegalStateException("disk " + name + " is not saved yet");
        }
        return new DiskId(id);
    }

    public HostId hostId() {
        return new HostId(hostId);
    }

    public String name() {
        return name;
    }

    public String devicePath() {
        return devicePath;
    }

    public String identity() {
        return identity;
    }

    public DiskKind kind() {
        return kind;
    }

    public boolean isPresent() {
        return present;
    }

    public @Nullable String claimedBy() {
        return claimedBy;
    }

    public DiskInfo toInfo(String hostName) {
        DiskHealth health = new DiskHealth(healthStatus, healthSource, healthDetail, temperatureCelsius,
                percentageUsed, mediaErrors, criticalWarning);
        return new DiskInfo(id(), hostId(), hostName, name, kind, devicePath, identity, model, serial, firmware, transport,
                rotational, sizeBytes, logicalBlockSize, physicalBlockSize, inUseReason, claimedBy, health, present,
                firstSeenAt, lastSeenAt);
    }
}
