package dev.windrose.storage;

import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.inventory.HostId;
import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditLog;
import dev.windrose.security.Role;
import dev.windrose.common.AfterTransaction;
import dev.windrose.storage.internal.ExtentAllocator;
import dev.windrose.storage.internal.ExtentAllocator.Extent;
import dev.windrose.storage.internal.ExtentAllocator.InsufficientSpaceException;
import dev.windrose.storage.internal.FileBacking;
import dev.windrose.storage.internal.PoolEntity;
import dev.windrose.storage.internal.PoolRepository;
import dev.windrose.storage.internal.VolumeEntity;
import dev.windrose.storage.internal.VolumeRepository;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Volumes: creating one really creates its backing (a file, disk extents, a RAM reservation) and a failure
 * leaves nothing behind; growing takes more; a volume attached to a subsystem cannot be deleted.
 */
@Service
public class VolumeService {

    /** Volume sizes are whole MiB: aligned for every sector size and for the extent allocator. */
    public static final long SIZE_UNIT = PoolService.MIB;
    /** Node request kinds (issue 15): another node's console asks the volume's node to change it. */
    public static final String CREATE_ON_NODE = "volume.create";
    public static final String GROW_ON_NODE = "volume.grow";
    public static final String DELETE_ON_NODE = "volume.delete";

    /** A grow for the node that holds the volume. */
    public record Growth(VolumeId volume, long sizeBytes) {
    }

    public static final long MAX_VOLUME_BYTES = 1L << 50;

    private final VolumeRepository volumes;
    private final PoolRepository pools;
    private final AuditLog auditLog;
    private final Clock clock;
    private final DiskPoolMaps maps;
    private final ApplicationEventPublisher events;

    VolumeService(VolumeRepository volumes, PoolRepository pools, AuditLog auditLog, Clock clock, DiskPoolMaps maps,
            ApplicationEventPublisher events) {
        this.events = events;
        this.volumes = volumes;
        this.pools = pools;
        this.auditLog = auditLog;
        this.clock = clock;
        this.maps = maps;
    }

    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public Page<VolumeInfo> list(@Nullable PoolId pool, @Nullable HostId host, @Nullable String text, Pageable pageable) {
        Pageable byName = PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(), Sort.by("name", "id"));
        String pattern = text == null || text.isBlank() ? null
                : "%" + text.strip().toLowerCase(Locale.ROOT).replace("%", "").replace("_", "") + "%";
        Page<VolumeEntity> page = volumes.search(pool == null ? null : pool.value(), host == null ? null : host.value(),
                pattern, byName);
        List<Path> files = page.getContent().stream().map(VolumeEntity::backingPath)
                .filter(java.util.Objects::nonNull).map(Path::of).toList();
        Map<Path, Long> used = FileBacking.usedBytes(files);
        return page.map(volume -> toInfo(volume, poolOf(volume), used));
    }

    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public VolumeInfo get(VolumeId id) {
        VolumeEntity volume = find(id);
        return toInfo(volume, poolOf(volume), usedOf(volume));
    }

    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public VolumeInfo create(NewVolume request) {
        String name = PoolService.validName(request.name());
        long size = validSize("sizeBytes", request.sizeBytes());
        PoolEntity pool = pools.findForUpdate(request.pool().value())
                .orElseThrow(() -> new InvalidInputException("poolId", "There is no pool with id " + request.pool() + "."));
        Provisioning provisioning = request.provisioning() == null ? pool.type().defaultProvisioning()
                : request.provisioning();
        checkProvisioning(pool, provisioning);
        if (volumes.existsByHostIdAndName(pool.hostId().value(), name)) {
            throw new ConflictException("A volume named '" + name + "' already exists on this host.");
        }
        checkAllocationLimit(pool, size);
        UUID uuid = UUID.randomUUID();
        String backing = null;
        List<Extent> extents = List.of();
        switch (pool.type()) {
            case DIRECTORY -> backing = createFile(pool, uuid, size, provisioning).toString();
            case DISK -> extents = allocate(pool, size);
            case MEMORY -> {
                // A reservation only: the dataplane's RAM device takes the memory when the volume is exported.
            }
        }
        VolumeEntity volume = volumes.saveAndFlush(new VolumeEntity(pool.id(), pool.hostId(), name, uuid, size,
                provisioning, backing, extents, clock.instant()));
        if (pool.type() == PoolType.DISK) {
            maps.write(pool);
        }
        auditLog.record(AuditAction.VOLUME_CREATED, name, size + " bytes, " + provisioning + ", pool " + pool.name());
        return toInfo(volume, pool, usedOf(volume));
    }

    /** Grows a volume to a larger size; shrinking would cut off data and is refused. */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public VolumeInfo grow(VolumeId id, long newSizeBytes) {
        VolumeEntity volume = find(id);
        PoolEntity pool = pools.findForUpdate(volume.poolId().value())
                .orElseThrow(() -> new IllegalStateException("volume " + volume.name() + " has no pool"));
        long newSize = validSize("sizeBytes", newSizeBytes);
        long oldSize = volume.sizeBytes();
        if (newSize <= oldSize) {
            throw new InvalidInputException("sizeBytes", "A volume can only grow: it has " + oldSize
                    + " bytes now; shrinking would cut off data.");
        }
        long delta = newSize - oldSize;
        checkAllocationLimit(pool, delta);
        switch (pool.type()) {
            case DIRECTORY -> {
                resizeFile(volume, newSize, oldSize);
                volume.grow(newSize, List.of());
            }
            case DISK -> growExtents(pool, volume, newSize, delta);
            case MEMORY -> volume.grow(newSize, List.of()); // accounting only, as at creation
        }
        if (pool.type() == PoolType.DISK) {
            volumes.flush();
            maps.write(pool);
        }
        auditLog.record(AuditAction.VOLUME_GROWN, volume.name(), oldSize + " -> " + newSize + " bytes");
        // A subsystem that exports the volume resizes its namespace on the live target (fabric listens).
        events.publishEvent(new VolumeGrown(volume.id(), oldSize, newSize));
        return toInfo(volume, pool, usedOf(volume));
    }

    /**
     * A disk-pool volume grows in place when the space right after its last extent is free, so it stays
     * one range that a subsystem can keep serving. Otherwise it takes more extents elsewhere, which only a
     * volume no subsystem exports may do: a live namespace cannot become several ranges, nor its data move.
     */
    private void growExtents(PoolEntity pool, VolumeEntity volume, long newSize, long delta) {
        List<ExtentAllocator.Region> regions = regions(pool);
        List<Extent> used = usedExtents(pool);
        Extent last = volume.extents().getLast();
        var inPlace = ExtentAllocator.extend(regions, used, last, delta, SIZE_UNIT);
        if (inPlace.isPresent()) {
            volume.growInPlace(newSize, inPlace.get());
        } else if (volume.attachedSubsystem() != null) {
            long room = ExtentAllocator.roomAfter(regions, used, last, SIZE_UNIT);
            throw new ConflictException("Volume " + volume.name() + " is exported by subsystem "
                    + volume.attachedSubsystem() + " and can only grow in place while it is, into the free space "
                    + "right after it on its disk: " + room / SIZE_UNIT + " MiB are free there, " + delta / SIZE_UNIT
                    + " MiB were asked for. Grow it by at most " + room / SIZE_UNIT + " MiB, or detach it first.");
        } else {
            volume.grow(newSize, allocate(pool, delta));
        }
    }

    /** Deletes a volume and, once that is committed, its file. Refused while it is attached to a subsystem. */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public void delete(VolumeId id) {
        VolumeEntity volume = find(id);
        PoolEntity pool = pools.findForUpdate(volume.poolId().value())
                .orElseThrow(() -> new IllegalStateException("volume " + volume.name() + " has no pool"));
        if (volume.attachedSubsystem() != null) {
            throw new ConflictException("Volume " + volume.name() + " is attached to subsystem "
                    + volume.attachedSubsystem() + ": detach it there first.");
        }
        volumes.delete(volume);
        if (pool.type() == PoolType.DISK) {
            volumes.flush();
            maps.write(pool);
        }
        if (volume.backingPath() != null) {
            AfterTransaction.deleteOnCommit(Path.of(volume.backingPath()));
        }
        auditLog.record(AuditAction.VOLUME_DELETED, volume.name(), volume.sizeBytes() + " bytes");
    }

    /** Records that a subsystem exports the volume (called by the fabric feature); one subsystem at a time. */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public void markAttached(VolumeId id, String subsystem) {
        VolumeEntity volume = find(id);
        if (volume.attachedSubsystem() != null && !volume.attachedSubsystem().equals(subsystem)) {
            throw new ConflictException("Volume " + volume.name() + " is already attached to subsystem "
                    + volume.attachedSubsystem() + ".");
        }
        volume.attach(subsystem);
    }

    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public void markDetached(VolumeId id) {
        find(id).detach();
    }

    private static void checkProvisioning(PoolEntity pool, Provisioning provisioning) {
        if (provisioning == Provisioning.THIN && pool.type() != PoolType.DIRECTORY) {
            throw new InvalidInputException("provisioning", "Volumes in a " + pool.type().name().toLowerCase(Locale.ROOT)
                    + " pool are thick: only directory pools are thin.");
        }
    }

    private void checkAllocationLimit(PoolEntity pool, long more) {
        long allocated = volumes.allocatedBytes(pool.id().value());
        long limit = pool.allocationLimitBytes();
        if (allocated + more > limit) {
            throw new ConflictException("Pool " + pool.name() + " has " + Math.max(0, limit - allocated) / SIZE_UNIT
                    + " MiB left to allocate (" + allocated / SIZE_UNIT + " of " + limit / SIZE_UNIT
                    + " MiB allocated); " + more / SIZE_UNIT + " MiB were asked for.");
        }
    }

    private static List<ExtentAllocator.Region> regions(PoolEntity pool) {
        return pool.members().stream()
                .map(member -> new ExtentAllocator.Region(member.diskId(), member.dataOffsetBytes(), member.dataBytes()))
                .toList();
    }

    private List<Extent> usedExtents(PoolEntity pool) {
        return volumes.findByPoolIdOrderByName(pool.id().value()).stream()
                .flatMap(volume -> volume.extents().stream()).toList();
    }

    private List<Extent> allocate(PoolEntity pool, long size) {
        try {
            return ExtentAllocator.allocate(regions(pool), usedExtents(pool), size, SIZE_UNIT);
        } catch (InsufficientSpaceException e) {
            throw new ConflictException("Pool " + pool.name() + " has only " + e.free() / SIZE_UNIT
                    + " MiB free; " + size / SIZE_UNIT + " MiB were asked for.");
        }
    }

    private static Path createFile(PoolEntity pool, UUID uuid, long size, Provisioning provisioning) {
        Path file = Path.of(String.valueOf(pool.directory())).resolve(uuid + ".img");
        boolean thick = provisioning == Provisioning.THICK;
        try {
            if (thick && Files.getFileStore(file.getParent()).getUsableSpace() < size) {
                throw new ConflictException("The filesystem of " + pool.directory() + " has less than "
                        + size / SIZE_UNIT + " MiB free for a thick volume.");
            }
            FileBacking.create(file, size, thick);
        } catch (FileAlreadyExistsException e) {
            throw new ConflictException("A file already exists at " + file + ".");
        } catch (IOException e) {
            throw new ConflictException("Cannot create the volume's file " + file + ": " + e.getMessage());
        }
        AfterTransaction.deleteOnRollback(file);
        return file;
    }

    private static void resizeFile(VolumeEntity volume, long newSize, long oldSize) {
        Path file = Path.of(String.valueOf(volume.backingPath()));
        boolean thick = volume.provisioning() == Provisioning.THICK;
        try {
            FileBacking.resize(file, newSize, thick);
        } catch (IOException e) {
            throw new ConflictException("Cannot grow the volume's file " + file + ": " + e.getMessage());
        }
        AfterTransaction.onRollback(() -> {
            try {
                FileBacking.resize(file, oldSize, false);
            } catch (IOException ignored) {
                // the file stays larger than recorded; the next grow resizes it anyway
            }
        });
    }

    private static long validSize(String field, long size) {
        if (size < SIZE_UNIT || size > MAX_VOLUME_BYTES) {
            throw new InvalidInputException(field, "A volume has 1 MiB to 1 PiB; " + size + " bytes is out of range.");
        }
        if (size % SIZE_UNIT != 0) {
            long roundedUp = (size / SIZE_UNIT + 1) * SIZE_UNIT;
            throw new InvalidInputException(field, "A volume's size is a whole number of MiB (1048576 bytes); "
                    + "the next one up is " + roundedUp + ".");
        }
        return size;
    }

    private VolumeEntity find(VolumeId id) {
        return volumes.findById(id.value())
                .orElseThrow(() -> new NotFoundException("There is no volume with id " + id + "."));
    }

    private PoolEntity poolOf(VolumeEntity volume) {
        return pools.findById(volume.poolId().value())
                .orElseThrow(() -> new IllegalStateException("volume " + volume.name() + " has no pool"));
    }

    private static Map<Path, Long> usedOf(VolumeEntity volume) {
        return volume.backingPath() == null ? Map.of() : FileBacking.usedBytes(List.of(Path.of(volume.backingPath())));
    }

    private static VolumeInfo toInfo(VolumeEntity volume, PoolEntity pool, Map<Path, Long> usedByFile) {
        Long used = switch (pool.type()) {
            case DIRECTORY -> volume.backingPath() == null ? null : usedByFile.get(Path.of(volume.backingPath()));
            case DISK, MEMORY -> volume.sizeBytes();
        };
        List<VolumeInfo.Extent> extents = volume.extents().stream()
                .map(extent -> new VolumeInfo.Extent(extent.diskId(), extent.start(), extent.length())).toList();
        return new VolumeInfo(volume.id(), pool.id(), pool.name(), pool.type(), volume.hostId(), volume.name(),
                volume.uuid(), volume.sizeBytes(), volume.provisioning(), volume.backingPath(), extents, used,
                volume.attachedSubsystem(), volume.createdAt());
    }
}
