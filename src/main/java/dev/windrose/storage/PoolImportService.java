package dev.windrose.storage;

import dev.windrose.common.AfterTransaction;
import dev.windrose.common.ConflictException;
import dev.windrose.common.NotFoundException;
import dev.windrose.inventory.DiskFilter;
import dev.windrose.inventory.DiskId;
import dev.windrose.inventory.DiskInfo;
import dev.windrose.inventory.DiskService;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostService;
import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditLog;
import dev.windrose.security.Role;
import dev.windrose.storage.ImportablePool.FoundMember;
import dev.windrose.storage.internal.DiskPoolLabel;
import dev.windrose.storage.internal.ExtentAllocator;
import dev.windrose.storage.internal.PoolEntity;
import dev.windrose.storage.internal.PoolMember;
import dev.windrose.storage.internal.PoolRepository;
import dev.windrose.storage.internal.PoolVolumeMap;
import dev.windrose.storage.internal.VolumeEntity;
import dev.windrose.storage.internal.VolumeRepository;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.PageRequest;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Brings back a DISK pool this database does not know, from the labels and volume maps on its disks: after a
 * reinstall with a new database, or disks moved from another host. Only a complete set of members is
 * imported; a pool with a disk missing would come back with holes in its volumes.
 */
@Service
public class PoolImportService {

    private static final Logger log = LoggerFactory.getLogger(PoolImportService.class);

    private final PoolRepository pools;
    private final VolumeRepository volumes;
    private final DiskService disks;
    private final HostService hosts;
    private final PoolService poolService;
    private final DiskPoolMaps maps;
    private final AuditLog auditLog;
    private final Clock clock;

    PoolImportService(PoolRepository pools, VolumeRepository volumes, DiskService disks, HostService hosts,
            PoolService poolService, DiskPoolMaps maps, AuditLog auditLog, Clock clock) {
        this.pools = pools;
        this.volumes = volumes;
        this.disks = disks;
        this.hosts = hosts;
        this.poolService = poolService;
        this.maps = maps;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** The labelled pools on this host's free disks that this database does not know, importable or not. */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public List<ImportablePool> importable() {
        return found().values().stream().map(Candidate::describe).toList();
    }

    /**
     * Imports the pool whose labels carry {@code poolUuid}: claims its disks, and recreates it and its volumes
     * with their extents, UUIDs and names. {@code newName} renames it (its labels follow) when its own name is
     * taken here.
     */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public PoolInfo importPool(UUID poolUuid, @Nullable String newName) {
        Candidate candidate = found().get(poolUuid);
        if (candidate == null) {
            Optional<PoolEntity> known = pools.findByLabelUuid(poolUuid.toString());
            throw known.<RuntimeException>map(pool -> new ConflictException("Pool " + pool.name()
                            + " is already in this database: there is nothing to import."))
                    .orElseGet(() -> new NotFoundException("No free disk of this host carries a label of pool "
                            + poolUuid + ". Rescan the disks if you have just attached them."));
        }
        String refusal = candidate.refusal();
        if (refusal != null) {
            throw new ConflictException(refusal);
        }
        HostInfo host = hosts.local();
        String name = PoolService.validName(newName == null || newName.isBlank() ? candidate.name() : newName);
        if (pools.existsByHostIdAndName(host.id().value(), name)) {
            throw new ConflictException("A pool named '" + name + "' already exists on " + host.name()
                    + ": import it under another name.");
        }
        PoolVolumeMap map = candidate.map();
        checkVolumesAreNew(host, map);

        List<PoolMember> members = new ArrayList<>();
        long capacity = 0;
        for (FoundMember member : candidate.members()) {
            DiskInfo disk = disks.claim(member.diskId(), name);
            DiskPoolLabel label = candidate.labels().get(member.memberIndex());
            if (disk.sizeBytes() < label.dataOffsetBytes() + label.dataBytes()) {
                throw new ConflictException("Disk " + disk.name() + " is smaller than its label says ("
                        + disk.sizeBytes() + " bytes): it is not the disk the pool was made on.");
            }
            members.add(new PoolMember(disk.id().value(), label.dataOffsetBytes(), label.dataBytes()));
            capacity += label.dataBytes();
        }
        PoolEntity pool = new PoolEntity(host.id(), name, PoolType.DISK, null, capacity, 100, members, clock.instant());
        pool.adoptLabel(poolUuid);
        PoolEntity saved = pools.saveAndFlush(pool);
        for (PoolVolumeMap.Volume volume : map.volumes()) {
            List<ExtentAllocator.Extent> extents = volume.extents().stream()
                    .map(extent -> new ExtentAllocator.Extent(members.get(extent.memberIndex()).diskId(),
                            extent.start(), extent.length()))
                    .toList();
            volumes.save(new VolumeEntity(saved.id(), host.id(), volume.name(), volume.uuid(), volume.sizeBytes(),
                    volume.thin() ? Provisioning.THIN : Provisioning.THICK, null, extents, clock.instant()));
            auditLog.record(AuditAction.VOLUME_CREATED, volume.name(), volume.sizeBytes() + " bytes, imported with pool "
                    + name);
        }
        volumes.flush();
        if (!name.equals(candidate.name())) {
            relabel(saved, candidate);
        }
        maps.write(saved);
        auditLog.record(AuditAction.POOL_CREATED, name, "DISK, imported from the labels on "
                + candidate.members().stream().map(FoundMember::diskName).collect(Collectors.joining(", "))
                + " with " + map.volumes().size() + " volume(s), capacity " + capacity + " bytes");
        return poolService.toInfo(saved);
    }

    private void checkVolumesAreNew(HostInfo host, PoolVolumeMap map) {
        List<String> taken = new ArrayList<>();
        for (PoolVolumeMap.Volume volume : map.volumes()) {
            if (volumes.existsByHostIdAndName(host.id().value(), volume.name())
                    || volumes.existsByUuid(volume.uuid().toString())) {
                taken.add(volume.name());
            }
        }
        if (!taken.isEmpty()) {
            throw new ConflictException("Volumes of this host already use the names or UUIDs of " + String.join(", ", taken)
                    + ": rename or delete those volumes, then import.");
        }
    }

    /** The new name goes into every label; if the import rolls back, the old labels are put back. */
    private void relabel(PoolEntity pool, Candidate candidate) {
        for (FoundMember member : candidate.members()) {
            DiskPoolLabel old = candidate.labels().get(member.memberIndex());
            Path device = Path.of(member.devicePath());
            try {
                new DiskPoolLabel(old.poolUuid(), pool.name(), old.memberIndex(), old.memberCount(),
                        old.dataOffsetBytes(), old.dataBytes()).writeTo(device);
            } catch (IOException e) {
                throw new ConflictException("Cannot write the pool label on " + device + ": " + e.getMessage());
            }
            AfterTransaction.onRollback(() -> {
                try {
                    old.writeTo(device);
                } catch (IOException e) {
                    log.warn("Could not put the old pool label back on {}: {}", device, e.toString());
                }
            });
        }
    }

    /** Labels of free disks of this host, grouped by pool, for pools this database does not know. */
    private Map<UUID, Candidate> found() {
        HostInfo host = hosts.local();
        Map<UUID, Candidate> found = new LinkedHashMap<>();
        for (DiskInfo disk : disks.list(DiskFilter.all(), PageRequest.of(0, 1000)).getContent()) {
            if (!disk.eligible() || !disk.hostId().equals(host.id())) {
                continue;
            }
            Path device = Path.of(disk.devicePath());
            Optional<DiskPoolLabel> label = readLabel(device);
            if (label.isEmpty() || pools.findByLabelUuid(label.get().poolUuid().toString()).isPresent()) {
                continue;
            }
            found.computeIfAbsent(label.get().poolUuid(), Candidate::new).add(disk, label.get(), readMap(device, label.get()));
        }
        return found;
    }

    private static Optional<DiskPoolLabel> readLabel(Path device) {
        try {
            return DiskPoolLabel.readFrom(device);
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static Optional<PoolVolumeMap> readMap(Path device, DiskPoolLabel label) {
        if (!label.holdsVolumeMap()) {
            return Optional.empty();
        }
        try {
            return PoolVolumeMap.readFrom(device, label.poolUuid());
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** What the disks say about one pool, and whether that is enough to bring it back. */
    private static final class Candidate {

        private final UUID poolUuid;
        private final List<FoundMember> all = new ArrayList<>();
        private final List<DiskPoolLabel> labelList = new ArrayList<>();
        private final List<PoolVolumeMap> mapList = new ArrayList<>();

        Candidate(UUID poolUuid) {
            this.poolUuid = poolUuid;
        }

        void add(DiskInfo disk, DiskPoolLabel label, Optional<PoolVolumeMap> map) {
            all.add(new FoundMember(label.memberIndex(), disk.id(), disk.name(), disk.devicePath(), label.dataBytes()));
            labelList.add(label);
            map.ifPresent(mapList::add);
        }

        /** The name on the label of the lowest member found. */
        String name() {
            return labels().values().iterator().next().poolName();
        }

        int memberCount() {
            return labelList.stream().mapToInt(DiskPoolLabel::memberCount).max().orElse(0);
        }

        /** Labels by member index (the first found when two disks claim one index). */
        Map<Integer, DiskPoolLabel> labels() {
            Map<Integer, DiskPoolLabel> byIndex = new TreeMap<>();
            labelList.forEach(label -> byIndex.putIfAbsent(label.memberIndex(), label));
            return byIndex;
        }

        List<FoundMember> members() {
            return all.stream().sorted(Comparator.comparingInt(FoundMember::memberIndex)).toList();
        }

        List<Integer> missing() {
            Map<Integer, DiskPoolLabel> present = labels();
            return IntStream.range(0, memberCount()).filter(i -> !present.containsKey(i)).boxed().toList();
        }

        /** The newest map any member holds: every member gets every update, so the newest is complete. */
        PoolVolumeMap map() {
            return mapList.stream().max(Comparator.comparingLong(PoolVolumeMap::generation))
                    .orElseThrow(() -> new IllegalStateException("no volume map"));
        }

        @Nullable String refusal() {
            String pool = "Pool '" + name() + "'";
            if (labelList.stream().mapToInt(DiskPoolLabel::memberCount).distinct().count() > 1) {
                return pool + ": its labels disagree on how many disks it has; they come from different pools' pasts.";
            }
            Map<Integer, List<String>> claims = all.stream().collect(Collectors.groupingBy(FoundMember::memberIndex,
                    TreeMap::new, Collectors.mapping(FoundMember::diskName, Collectors.toList())));
            for (Map.Entry<Integer, List<String>> claim : claims.entrySet()) {
                if (claim.getValue().size() > 1) {
                    return pool + ": disks " + String.join(" and ", claim.getValue()) + " both say they are member "
                            + claim.getKey() + "; one is probably a copy. Detach it and rescan.";
                }
            }
            List<Integer> missing = missing();
            if (!missing.isEmpty()) {
                return pool + " has " + memberCount() + " disks; found " + members().stream()
                        .map(m -> "member " + m.memberIndex() + " on " + m.diskName()).collect(Collectors.joining(", "))
                        + "; missing member " + missing.stream().map(String::valueOf).collect(Collectors.joining(", "))
                        + ". Importing part of a pool would lose the data on the missing disks: attach them and rescan.";
            }
            if (labelList.stream().anyMatch(label -> !label.holdsVolumeMap())) {
                return pool + " was made by an older Windrose whose labels keep no volume map: its volumes "
                        + "cannot be recovered from the disks.";
            }
            if (mapList.isEmpty()) {
                return pool + ": no disk holds a readable volume map (damaged or overwritten), so its volumes "
                        + "cannot be recovered.";
            }
            return inconsistency(map());
        }

        /** A map that puts extents outside the disks or on top of each other is not imported. */
        private @Nullable String inconsistency(PoolVolumeMap map) {
            Map<Integer, DiskPoolLabel> labels = labels();
            List<ExtentAllocator.Region> regions = labels.values().stream()
                    .map(l -> new ExtentAllocator.Region(l.memberIndex(), l.dataOffsetBytes(), l.dataBytes())).toList();
            List<ExtentAllocator.Extent> used = new ArrayList<>();
            try {
                for (PoolVolumeMap.Volume volume : map.volumes()) {
                    long sum = 0;
                    for (PoolVolumeMap.Extent extent : volume.extents()) {
                        used.add(new ExtentAllocator.Extent(extent.memberIndex(), extent.start(), extent.length()));
                        sum += extent.length();
                    }
                    if (sum != volume.sizeBytes()) {
                        return "Pool '" + name() + "': the volume map gives " + volume.name() + " " + sum
                                + " bytes of extents for " + volume.sizeBytes() + " bytes; it cannot be trusted.";
                    }
                }
                ExtentAllocator.free(regions, used, 1);
            } catch (IllegalArgumentException | IllegalStateException e) {
                return "Pool '" + name() + "': its volume map is inconsistent (" + e.getMessage() + ").";
            }
            return null;
        }

        ImportablePool describe() {
            String refusal = refusal();
            List<String> volumeNames = mapList.isEmpty() ? List.of()
                    : map().volumes().stream().map(PoolVolumeMap.Volume::name).toList();
            long capacity = labels().values().stream().mapToLong(DiskPoolLabel::dataBytes).sum();
            return new ImportablePool(poolUuid, name(), memberCount(), members(), missing(), volumeNames, capacity,
                    refusal == null, refusal);
        }
    }
}
