package dev.windrose.storage;

import dev.windrose.common.AllowedRoots;
import dev.windrose.common.Names;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.inventory.DiskFilter;
import dev.windrose.inventory.DiskId;
import dev.windrose.inventory.DiskInfo;
import dev.windrose.inventory.DiskService;
import dev.windrose.inventory.HostId;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostService;
import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditLog;
import dev.windrose.security.Role;
import dev.windrose.common.AfterTransaction;
import dev.windrose.storage.internal.DiskPoolLabel;
import dev.windrose.storage.internal.FileBacking;
import dev.windrose.storage.internal.PoolEntity;
import dev.windrose.storage.internal.PoolMember;
import dev.windrose.storage.internal.PoolRepository;
import dev.windrose.storage.internal.VolumeEntity;
import dev.windrose.storage.internal.VolumeRepository;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Storage pools: create them from disks, a directory or RAM; see their capacity; delete empty ones. */
@Service
public class PoolService {

    public static final long MIB = 1024L * 1024;
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final int MAX_OVERCOMMIT_PERCENT = 1000;
    /** Memory pools together may take at most this share of the host's RAM; the rest runs the host. */
    public static final int MAX_MEMORY_PERCENT = 50;
    public static final long MIN_MEMORY_POOL_BYTES = 16 * MIB;
    /** Node request kinds (issue 15): another node's console asks the pool's node to create or delete it. */
    public static final String CREATE_ON_NODE = "pool.create";
    public static final String DELETE_ON_NODE = "pool.delete";
    /** A thin pool warns when its volumes really use this much of the capacity. */
    static final int USED_WARNING_PERCENT = 80;

    private static final Logger log = LoggerFactory.getLogger(PoolService.class);

    private final PoolRepository pools;
    private final VolumeRepository volumes;
    private final DiskService disks;
    private final HostService hosts;
    private final AuditLog auditLog;
    private final Clock clock;
    private final DiskPoolMaps maps;
    private final AllowedRoots allowedRoots;

    PoolService(PoolRepository pools, VolumeRepository volumes, DiskService disks, HostService hosts,
            AuditLog auditLog, Clock clock, DiskPoolMaps maps, AllowedRoots allowedRoots) {
        this.pools = pools;
        this.volumes = volumes;
        this.disks = disks;
        this.hosts = hosts;
        this.auditLog = auditLog;
        this.clock = clock;
        this.maps = maps;
        this.allowedRoots = allowedRoots;
    }

    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public Page<PoolInfo> list(@Nullable HostId host, @Nullable PoolType type, Pageable pageable) {
        Pageable byName = PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(), Sort.by("name", "id"));
        return pools.search(host == null ? null : host.value(), type, byName).map(this::toInfo);
    }

    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public PoolInfo get(PoolId id) {
        return toInfo(find(id));
    }

    /**
     * Creates a pool on the local host. A DISK pool claims its disks and writes a label on each; when any
     * step fails, the claims roll back and the labels written are wiped.
     */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public PoolInfo create(NewPool request) {
        String name = validName(request.name());
        HostInfo host = hosts.local();
        if (pools.existsByHostIdAndName(host.id().value(), name)) {
            throw new ConflictException("A pool named '" + name + "' already exists on " + host.name() + ".");
        }
        PoolEntity pool = switch (request.type()) {
            case DIRECTORY -> directoryPool(host, name, request);
            case MEMORY -> memoryPool(host, name, request);
            case DISK -> diskPool(host, name, request);
        };
        PoolEntity saved = pools.saveAndFlush(pool);
        if (saved.type() == PoolType.DISK) {
            writeLabels(saved);
            maps.write(saved);
        }
        auditLog.record(AuditAction.POOL_CREATED, name, saved.type() + ", capacity " + saved.capacityBytes()
                + " bytes" + (saved.directory() == null ? "" : ", " + saved.directory()));
        return toInfo(saved);
    }

    /**
     * Reads the pool label of every present disk that the system does not use, so a disk pool can be
     * recognised again: by this database, or as a pool it does not know.
     */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public List<PoolLabelInfo> labels() {
        List<PoolLabelInfo> found = new ArrayList<>();
        for (DiskInfo disk : disks.list(DiskFilter.all(), PageRequest.of(0, 1000)).getContent()) {
            if (!disk.present() || disk.inUseReason() != null) {
                continue;
            }
            readLabel(disk).ifPresent(label -> found.add(new PoolLabelInfo(disk.id(), disk.name(), disk.devicePath(),
                    label.poolUuid(), label.poolName(), label.memberIndex(), label.memberCount(),
                    pools.findByLabelUuid(label.poolUuid().toString()).map(PoolEntity::id).orElse(null))));
        }
        return found;
    }

    private static java.util.Optional<DiskPoolLabel> readLabel(DiskInfo disk) {
        try {
            return DiskPoolLabel.readFrom(Path.of(disk.devicePath()));
        } catch (IOException | RuntimeException unreadable) {
            // A disk we may not open, or one that went away: it shows no label rather than failing the list.
            return java.util.Optional.empty();
        }
    }

    /** Changes a thin pool's overcommit limit; it cannot go below what is already allocated. */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public PoolInfo setOvercommit(PoolId id, int percent) {
        PoolEntity pool = pools.findForUpdate(id.value())
                .orElseThrow(() -> new NotFoundException("There is no pool with id " + id + "."));
        if (pool.type() != PoolType.DIRECTORY && percent != 100) {
            throw new InvalidInputException("overcommitPercent",
                    "Only directory pools are thin; a " + pool.type() + " pool stays at 100%.");
        }
        validOvercommit(percent);
        long allocated = volumes.allocatedBytes(id.value());
        long newLimit = pool.capacityBytes() * percent / 100;
        if (allocated > newLimit) {
            throw new ConflictException("Pool " + pool.name() + " already has " + allocated
                    + " bytes allocated, more than " + percent + "% of its capacity allows.");
        }
        int before = pool.overcommitPercent();
        pool.setOvercommitPercent(percent);
        auditLog.record(AuditAction.POOL_CHANGED, pool.name(), "overcommit " + before + "% -> " + percent + "%");
        return toInfo(pool);
    }

    /** Deletes a pool without volumes; a DISK pool gives its disks back and wipes their labels. */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public void delete(PoolId id) {
        PoolEntity pool = pools.findForUpdate(id.value())
                .orElseThrow(() -> new NotFoundException("There is no pool with id " + id + "."));
        List<VolumeEntity> inPool = volumes.findByPoolIdOrderByName(id.value());
        if (!inPool.isEmpty()) {
            throw new ConflictException("Pool " + pool.name() + " still has " + inPool.size() + " volume(s): "
                    + String.join(", ", inPool.stream().map(VolumeEntity::name).limit(10).toList())
                    + ". Delete them first.");
        }
        for (PoolMember member : pool.members()) {
            DiskInfo disk = disks.get(new DiskId(member.diskId()));
            disks.release(disk.id());
            AfterTransaction.onCommit(() -> wipeLabel(disk));
        }
        pools.delete(pool);
        auditLog.record(AuditAction.POOL_DELETED, pool.name(), pool.type().toString());
    }

    private PoolEntity directoryPool(HostInfo host, String name, NewPool request) {
        Path directory = validDirectory(request.directory());
        if (pools.existsByHostIdAndDirectory(host.id().value(), directory.toString())) {
            throw new ConflictException("Another pool already uses the directory " + directory + ".");
        }
        int overcommit = request.overcommitPercent() == null ? 100 : request.overcommitPercent();
        validOvercommit(overcommit);
        long capacity;
        try {
            capacity = Files.getFileStore(directory).getTotalSpace();
        } catch (IOException e) {
            throw new InvalidInputException("directory", "Cannot read the filesystem of " + directory + ": " + e.getMessage());
        }
        return new PoolEntity(host.id(), name, PoolType.DIRECTORY, directory.toString(), capacity, overcommit,
                List.of(), clock.instant());
    }

    private PoolEntity memoryPool(HostInfo host, String name, NewPool request) {
        Long capacity = request.capacityBytes();
        if (capacity == null || capacity < MIN_MEMORY_POOL_BYTES || capacity % MIB != 0) {
            throw new InvalidInputException("capacityBytes",
                    "A memory pool needs a capacity of at least 16 MiB, in whole MiB.");
        }
        if (host.memoryBytes() <= 0) {
            throw new ConflictException("The memory of host " + host.name() + " is unknown, so no RAM can be set aside.");
        }
        long taken = pools.findByHostIdAndType(host.id().value(), PoolType.MEMORY).stream()
                .mapToLong(PoolEntity::capacityBytes).sum();
        long allowed = host.memoryBytes() / 100 * MAX_MEMORY_PERCENT;
        if (taken + capacity > allowed) {
            throw new InvalidInputException("capacityBytes", "Memory pools may take at most " + MAX_MEMORY_PERCENT
                    + "% of the host's RAM (" + allowed / MIB + " MiB); " + taken / MIB + " MiB are already taken.");
        }
        if (request.overcommitPercent() != null && request.overcommitPercent() != 100) {
            throw new InvalidInputException("overcommitPercent", "A memory pool is thick: RAM cannot be overcommitted.");
        }
        return new PoolEntity(host.id(), name, PoolType.MEMORY, null, capacity, 100, List.of(), clock.instant());
    }

    private PoolEntity diskPool(HostInfo host, String name, NewPool request) {
        if (request.diskIds().isEmpty()) {
            throw new InvalidInputException("diskIds", "Choose at least one disk for a disk pool.");
        }
        if (request.overcommitPercent() != null && request.overcommitPercent() != 100) {
            throw new InvalidInputException("overcommitPercent", "A disk pool is thick: it cannot be overcommitted.");
        }
        List<PoolMember> members = new ArrayList<>();
        long capacity = 0;
        for (DiskId diskId : new LinkedHashSet<>(request.diskIds())) {
            DiskInfo disk = disks.claim(diskId, name);
            if (!disk.hostId().equals(host.id())) {
                throw new InvalidInputException("diskIds", "Disk " + disk.name() + " belongs to host " + disk.hostName()
                        + ": a pool takes disks of this host only.");
            }
            if (!request.overwriteForeignLabels()) {
                refuseForeignLabel(disk);
            }
            long data = (disk.sizeBytes() - DiskPoolLabel.DATA_OFFSET) / MIB * MIB;
            if (data < MIB) {
                throw new InvalidInputException("diskIds", "Disk " + disk.name() + " is too small for a pool.");
            }
            members.add(new PoolMember(disk.id().value(), DiskPoolLabel.DATA_OFFSET, data));
            capacity += data;
        }
        return new PoolEntity(host.id(), name, PoolType.DISK, null, capacity, 100, members, clock.instant());
    }

    /**
     * A disk that still carries the label of a pool this database does not know holds that pool's data
     * (a reinstall, a disk from another host): taking it silently would destroy what an import could save.
     */
    private void refuseForeignLabel(DiskInfo disk) {
        readLabel(disk).filter(label -> pools.findByLabelUuid(label.poolUuid().toString()).isEmpty())
                .ifPresent(label -> {
                    throw new ConflictException("Disk " + disk.name() + " carries the label of pool '" + label.poolName()
                            + "', which this console does not know: import that pool on the Pools page, or reuse the "
                            + "disk anyway (its data is lost) with overwriteForeignLabels.");
                });
    }

    /** The label of each member names the pool and where this member's data lies. */
    void writeLabels(PoolEntity pool) {
        List<PoolMember> members = pool.members();
        for (int i = 0; i < members.size(); i++) {
            PoolMember member = members.get(i);
            DiskInfo disk = disks.get(new DiskId(member.diskId()));
            try {
                new DiskPoolLabel(pool.labelUuid(), pool.name(), i, members.size(), member.dataOffsetBytes(),
                        member.dataBytes()).writeTo(Path.of(disk.devicePath()));
            } catch (IOException e) {
                throw new ConflictException("Cannot write the pool label on " + disk.devicePath() + ": " + e.getMessage());
            }
            AfterTransaction.onRollback(() -> wipeLabel(disk));
        }
    }

    private static void wipeLabel(DiskInfo disk) {
        try {
            DiskPoolLabel.wipe(Path.of(disk.devicePath()));
        } catch (IOException e) {
            log.warn("Could not wipe the pool label of {}: {}", disk.devicePath(), e.toString());
        }
    }

    PoolInfo toInfo(PoolEntity pool) {
        List<VolumeEntity> inPool = volumes.findByPoolIdOrderByName(pool.id().value());
        long allocated = inPool.stream().mapToLong(VolumeEntity::sizeBytes).sum();
        Long used = switch (pool.type()) {
            case DIRECTORY -> {
                List<Path> files = inPool.stream().map(VolumeEntity::backingPath)
                        .filter(java.util.Objects::nonNull).map(Path::of).toList();
                yield FileBacking.sum(FileBacking.usedBytes(files), files);
            }
            case DISK, MEMORY -> allocated;
        };
        List<PoolInfo.PoolDisk> members = pool.members().stream().map(member -> {
            DiskInfo disk = disks.get(new DiskId(member.diskId()));
            return new PoolInfo.PoolDisk(member.diskId(), disk.name(), disk.devicePath(), member.dataBytes());
        }).toList();
        return new PoolInfo(pool.id(), pool.hostId(), pool.name(), pool.type(), pool.directory(), members,
                pool.capacityBytes(), allocated, used, pool.overcommitPercent(), pool.allocationLimitBytes(),
                inPool.size(), warnings(pool, allocated, used), pool.type() == PoolType.MEMORY, pool.createdAt());
    }

    /**
     * What may harm the data: overcommitment, and written data nearing the capacity while thin volumes
     * may still claim more. Being fully allocated is no warning (PoolInfo#fullyAllocated says it).
     */
    static List<String> warnings(PoolEntity pool, long allocated, @Nullable Long used) {
        List<String> warnings = new ArrayList<>();
        long capacity = Math.max(1, pool.capacityBytes());
        if (allocated > pool.capacityBytes()) {
            warnings.add("Overcommitted: " + percent(allocated, capacity) + "% of the capacity is allocated.");
        }
        if (used != null && allocated > used && percent(used, capacity) >= USED_WARNING_PERCENT) {
            warnings.add("Filling up: volumes use " + percent(used, capacity) + "% of the capacity.");
        }
        return warnings;
    }

    private static long percent(long part, long whole) {
        return Math.round(part * 100.0 / whole);
    }

    private PoolEntity find(PoolId id) {
        return pools.findById(id.value()).orElseThrow(() -> new NotFoundException("There is no pool with id " + id + "."));
    }

    /** A pool or volume name, stripped; an {@link InvalidInputException} naming "name" otherwise. */
    public static String validName(@Nullable String name) {
        Names.requireSafe("name", name == null ? "" : name);
        String stripped = name == null ? "" : name.strip();
        if (!NAME.matcher(stripped).matches()) {
            throw new InvalidInputException("name", "A name has 1 to 64 characters: letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit.");
        }
        return stripped;
    }

    private static void validOvercommit(int percent) {
        if (percent < 100 || percent > MAX_OVERCOMMIT_PERCENT) {
            throw new InvalidInputException("overcommitPercent",
                    "The overcommit limit is 100% (none) to " + MAX_OVERCOMMIT_PERCENT + "% of the capacity.");
        }
    }

    private Path validDirectory(@Nullable String directory) {
        if (directory == null || directory.isBlank()) {
            throw new InvalidInputException("directory", "A directory pool needs a directory.");
        }
        Path path = allowedRoots.check("directory", directory);
        if (!Files.isDirectory(path) || !Files.isWritable(path)) {
            throw new InvalidInputException("directory", "The directory " + path + " does not exist or is not writable.");
        }
        try {
            FileStore store = Files.getFileStore(path);
            if (store.isReadOnly()) {
                throw new InvalidInputException("directory", "The filesystem of " + path + " is read-only.");
            }
        } catch (IOException e) {
            throw new InvalidInputException("directory", "Cannot read the filesystem of " + path + ": " + e.getMessage());
        }
        return path;
    }
}
