package dev.windrose.storage;

import dev.windrose.inventory.HostId;
import dev.windrose.inventory.HostService;
import dev.windrose.security.SystemViewer;
import dev.windrose.storage.StorageDiscrepancy.Kind;
import dev.windrose.storage.internal.PoolEntity;
import dev.windrose.storage.internal.PoolRepository;
import dev.windrose.storage.internal.PoolVolumeMap;
import dev.windrose.storage.internal.VolumeEntity;
import dev.windrose.storage.internal.VolumeRepository;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * At start-up, makes the volume files of this host's directory pools and the on-disk volume maps of its
 * disk pools agree with the database, which is the truth: a volume exists when its row is committed.
 *
 * <p>Why they can disagree: a change writes ahead of its commit — a new volume's file is created and a disk
 * pool's map rewritten (and forced to the disk) before the transaction commits, and a deleted volume's file
 * goes only after it. A crash between the two leaves a file or a map entry the database does not know, or
 * a map that lacks a volume it knows. The order is chosen so that the only leftovers are these, all of
 * which this check can see; the database never names a file that was not made first.
 *
 * <p>What it does, each finding logged as a warning naming the file or entry, and published as a
 * {@link StorageDiscrepancy} (the telemetry feature raises an event for it):
 * <ul>
 * <li>a volume file ({@code <uuid>.img}) no volume owns is moved to {@value #QUARANTINE}/ in its pool's
 * directory — kept, never deleted, for an administrator to look at and remove; other files are not ours and
 * are left alone;</li>
 * <li>a volume whose file is missing is kept and reported: only a person can say where its data went;</li>
 * <li>a disk pool's map is rewritten from the database when it differs: entries of unknown volumes are
 * dropped (their extents are free space to the database; the log line and the event keep their name,
 * UUID and extents), missing and stale entries are written as the database has them.</li>
 * </ul>
 * Each pool is checked in its own transaction holding the pool's row lock, which every volume change of
 * that pool takes first, so a request served while the check runs cannot be mistaken for a leftover.
 */
@Component
class StartupStorageCheck {

    /** The folder in a directory pool where orphan volume files are moved. */
    static final String QUARANTINE = ".orphaned";

    private static final Logger log = LoggerFactory.getLogger(StartupStorageCheck.class);
    private static final Pattern VOLUME_FILE = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.img");

    private final PoolRepository pools;
    private final VolumeRepository volumes;
    private final DiskPoolMaps maps;
    private final HostService hosts;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;

    StartupStorageCheck(PoolRepository pools, VolumeRepository volumes, DiskPoolMaps maps, HostService hosts,
            ApplicationEventPublisher events, PlatformTransactionManager transactions) {
        this.pools = pools;
        this.volumes = volumes;
        this.maps = maps;
        this.hosts = hosts;
        this.events = events;
        this.transactions = new TransactionTemplate(transactions);
    }

    /** Before the fabric's first pass exports volumes (readiness turns UP only after both). */
    @EventListener(ApplicationReadyEvent.class)
    @Order(0)
    void atStartup() {
        try {
            List<StorageDiscrepancy> found = check();
            log.info("Start-up storage check: {} discrepanc{} between the database, the volume files and the "
                    + "disk pool maps", found.size(), found.size() == 1 ? "y" : "ies");
        } catch (RuntimeException e) {
            log.error("Start-up storage check failed; volume files and disk pool maps were not compared with the "
                    + "database", e);
        }
    }

    /** Checks every pool of this host; returns (and has logged and published) what it found. */
    List<StorageDiscrepancy> check() {
        HostId local = hosts.local().id();
        List<Long> poolIds = transactions.execute(status -> pools.findAll().stream()
                .filter(pool -> pool.hostId().equals(local)).map(pool -> pool.id().value()).sorted().toList());
        List<StorageDiscrepancy> found = new ArrayList<>();
        for (long poolId : poolIds == null ? List.<Long>of() : poolIds) {
            try {
                List<StorageDiscrepancy> inPool = SystemViewer.read(() -> transactions.execute(status -> checkPool(poolId)));
                found.addAll(inPool == null ? List.of() : inPool);
            } catch (RuntimeException e) {
                log.error("Start-up storage check of pool {} failed; it was not compared with the database", poolId, e);
            }
        }
        // After the commits: what was done is done; the events record it.
        found.forEach(events::publishEvent);
        return found;
    }

    private List<StorageDiscrepancy> checkPool(long poolId) {
        PoolEntity pool = pools.findForUpdate(poolId).orElse(null);
        if (pool == null) {
            return List.of();
        }
        List<VolumeEntity> inPool = volumes.findByPoolIdOrderByName(poolId);
        List<StorageDiscrepancy> found = switch (pool.type()) {
            case DIRECTORY -> checkDirectory(pool, inPool);
            case DISK -> checkMaps(pool, inPool);
            case MEMORY -> List.of();
        };
        found.forEach(discrepancy -> log.warn("{}", discrepancy.message()));
        return found;
    }

    private List<StorageDiscrepancy> checkDirectory(PoolEntity pool, List<VolumeEntity> inPool) {
        Path directory = Path.of(String.valueOf(pool.directory())).toAbsolutePath().normalize();
        List<StorageDiscrepancy> found = new ArrayList<>();
        for (VolumeEntity volume : inPool) {
            if (volume.backingPath() != null && !Files.exists(Path.of(volume.backingPath()))) {
                found.add(found(Kind.MISSING_FILE, pool, "volume " + volume.name() + " (" + volume.uuid() + "), file "
                        + volume.backingPath(), "the volume is kept; put its file back, or delete the volume"));
            }
        }
        if (!Files.isDirectory(directory)) {
            return found;
        }
        Set<Path> owned = ownedFiles();
        for (Path file : volumeFiles(directory)) {
            if (!owned.contains(file)) {
                found.add(quarantine(pool, directory, file));
            }
        }
        return found;
    }

    /** Every file a volume of this host names: two pools may not share a directory, but a file is a file. */
    private Set<Path> ownedFiles() {
        Set<Path> owned = new HashSet<>();
        for (VolumeEntity volume : volumes.findAll()) {
            if (volume.backingPath() != null) {
                owned.add(Path.of(volume.backingPath()).toAbsolutePath().normalize());
            }
        }
        return owned;
    }

    private static List<Path> volumeFiles(Path directory) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                if (VOLUME_FILE.matcher(entry.getFileName().toString()).matches() && Files.isRegularFile(entry)) {
                    files.add(entry.toAbsolutePath().normalize());
                }
            }
        } catch (IOException e) {
            log.warn("Could not list directory pool {} to look for orphan volume files: {}", directory, e.toString());
        }
        files.sort(null);
        return files;
    }

    private StorageDiscrepancy quarantine(PoolEntity pool, Path directory, Path file) {
        Path target = directory.resolve(QUARANTINE).resolve(file.getFileName());
        try {
            Files.createDirectories(target.getParent());
            Files.move(file, target);
            return found(Kind.ORPHAN_FILE, pool, file.toString(), "no volume owns it; moved to " + target
                    + " (delete it there when it is not needed)");
        } catch (IOException e) {
            return found(Kind.ORPHAN_FILE, pool, file.toString(), "no volume owns it; it could not be moved to "
                    + target + " (" + e + ") and stays where it is");
        }
    }

    private List<StorageDiscrepancy> checkMaps(PoolEntity pool, List<VolumeEntity> inPool) {
        Map<UUID, PoolVolumeMap.Volume> expected = byUuid(DiskPoolMaps.mapOf(pool, inPool).volumes());
        List<StorageDiscrepancy> found = new ArrayList<>();
        boolean rewrite = false;
        for (DiskPoolMaps.MemberMap member : maps.readAll(pool)) {
            String disk = "disk " + member.device();
            if (member.error() != null || member.label().isEmpty()
                    || !member.label().get().poolUuid().equals(pool.labelUuid())) {
                String why = member.error() != null ? "it could not be read (" + member.error() + ")"
                        : "it does not carry this pool's label";
                found.add(found(Kind.UNREADABLE_MAP, pool, disk, why + "; it was not changed"));
                continue;
            }
            Map<UUID, PoolVolumeMap.Volume> recorded = byUuid(
                    member.map().map(PoolVolumeMap::volumes).orElse(List.of()));
            for (PoolVolumeMap.Volume entry : recorded.values()) {
                PoolVolumeMap.Volume known = expected.get(entry.uuid());
                if (known == null) {
                    found.add(found(Kind.ORPHAN_MAP_ENTRY, pool, describe(entry) + " on " + disk,
                            "the database does not know it; dropped from the map, its extents are free space"));
                } else if (!known.equals(entry)) {
                    found.add(found(Kind.STALE_MAP_ENTRY, pool, describe(entry) + " on " + disk,
                            "rewritten as the database has it: " + describe(known)));
                }
            }
            for (PoolVolumeMap.Volume known : expected.values()) {
                if (!recorded.containsKey(known.uuid())) {
                    found.add(found(Kind.MISSING_MAP_ENTRY, pool, describe(known) + " on " + disk,
                            "written to the map from the database"));
                }
            }
            rewrite |= !recorded.equals(expected);
        }
        if (rewrite) {
            maps.write(pool);
        }
        return found;
    }

    private static Map<UUID, PoolVolumeMap.Volume> byUuid(List<PoolVolumeMap.Volume> list) {
        Map<UUID, PoolVolumeMap.Volume> byUuid = new LinkedHashMap<>();
        list.forEach(volume -> byUuid.put(volume.uuid(), volume));
        return byUuid;
    }

    private static String describe(PoolVolumeMap.Volume volume) {
        return "volume " + volume.name() + " (" + volume.uuid() + ", " + volume.sizeBytes() + " bytes, extents "
                + volume.extents().stream()
                        .map(e -> "member " + e.memberIndex() + " @" + e.start() + "+" + e.length())
                        .collect(Collectors.joining(", ", "[", "]"))
                + ")";
    }

    private static StorageDiscrepancy found(Kind kind, PoolEntity pool, String subject, String action) {
        return new StorageDiscrepancy(kind, pool.id(), pool.name(), subject, action);
    }
}
