package dev.windrose.storage;

import dev.windrose.common.AfterTransaction;
import dev.windrose.common.ConflictException;
import dev.windrose.inventory.DiskId;
import dev.windrose.inventory.DiskService;
import dev.windrose.storage.internal.DiskPoolLabel;
import dev.windrose.storage.internal.ExtentAllocator.Extent;
import dev.windrose.storage.internal.PoolEntity;
import dev.windrose.storage.internal.PoolMember;
import dev.windrose.storage.internal.PoolVolumeMap;
import dev.windrose.storage.internal.VolumeEntity;
import dev.windrose.storage.internal.VolumeRepository;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps the volume map on the disks of a DISK pool in step with the database: after every change to the
 * pool's volumes, inside the same transaction, every member disk gets the new map. A failed write fails the
 * change; a rolled-back change puts the previous map back.
 */
@Component
class DiskPoolMaps {

    private static final Logger log = LoggerFactory.getLogger(DiskPoolMaps.class);

    private final VolumeRepository volumes;
    private final DiskService disks;

    DiskPoolMaps(VolumeRepository volumes, DiskService disks) {
        this.volumes = volumes;
        this.disks = disks;
    }

    /** Writes the pool's current volumes (as this transaction sees them) on every member disk. */
    void write(PoolEntity pool) {
        PoolVolumeMap map = mapOf(pool, volumes.findByPoolIdOrderByName(pool.id().value()));
        for (PoolMember member : pool.members()) {
            Path device = Path.of(disks.get(new DiskId(member.diskId())).devicePath());
            Optional<PoolVolumeMap> previous = read(device, map.poolUuid());
            try {
                map.writeTo(device);
            } catch (IOException e) {
                throw new ConflictException("Cannot write the volume map of pool " + pool.name() + " on " + device
                        + ": " + e.getMessage());
            } catch (PoolVolumeMap.MapFullException e) {
                throw new ConflictException("Pool " + pool.name() + " records no more volumes on its disks: "
                        + e.getMessage() + " Delete a volume first.");
            }
            previous.ifPresent(old -> AfterTransaction.onRollback(() -> restore(device, old)));
        }
    }

    /** What one member disk of a pool carries: its label and newest map, or why they could not be read. */
    record MemberMap(Path device, Optional<DiskPoolLabel> label, Optional<PoolVolumeMap> map,
            @Nullable String error) {
    }

    /** Reads, without changing anything, the label and the newest map of every member disk of the pool. */
    List<MemberMap> readAll(PoolEntity pool) {
        List<MemberMap> found = new ArrayList<>();
        for (PoolMember member : pool.members()) {
            Path device = Path.of(disks.get(new DiskId(member.diskId())).devicePath());
            try {
                found.add(new MemberMap(device, DiskPoolLabel.readFrom(device),
                        PoolVolumeMap.readFrom(device, pool.labelUuid()), null));
            } catch (IOException | RuntimeException e) {
                found.add(new MemberMap(device, Optional.empty(), Optional.empty(), e.toString()));
            }
        }
        return found;
    }

    static PoolVolumeMap mapOf(PoolEntity pool, List<VolumeEntity> inPool) {
        Map<Long, Integer> memberIndex = new HashMap<>();
        List<PoolMember> members = pool.members();
        for (int i = 0; i < members.size(); i++) {
            memberIndex.put(members.get(i).diskId(), i);
        }
        List<PoolVolumeMap.Volume> recorded = new ArrayList<>();
        for (VolumeEntity volume : inPool) {
            List<PoolVolumeMap.Extent> extents = new ArrayList<>();
            for (Extent extent : volume.extents()) {
                Integer index = memberIndex.get(extent.diskId());
                if (index == null) {
                    throw new IllegalStateException("volume " + volume.name() + " has an extent on disk "
                            + extent.diskId() + ", which is not in pool " + pool.name());
                }
                extents.add(new PoolVolumeMap.Extent(index, extent.start(), extent.length()));
            }
            recorded.add(new PoolVolumeMap.Volume(UUID.fromString(volume.uuid()), volume.name(), volume.sizeBytes(),
                    volume.provisioning() == Provisioning.THIN, extents));
        }
        return new PoolVolumeMap(pool.labelUuid(), 0, recorded);
    }

    private static Optional<PoolVolumeMap> read(Path device, UUID pool) {
        try {
            return PoolVolumeMap.readFrom(device, pool);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void restore(Path device, PoolVolumeMap previous) {
        try {
            previous.writeTo(device);
        } catch (IOException | RuntimeException e) {
            log.warn("Could not put the previous volume map back on {}: {}", device, e.toString());
        }
    }
}
