package dev.windrose.inventory;

import dev.windrose.common.AllowedRoots;
import dev.windrose.common.PrivateFiles;
import dev.windrose.common.Names;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.WindroseProperties;
import dev.windrose.common.AfterTransaction;
import dev.windrose.inventory.internal.DiskEntity;
import dev.windrose.inventory.internal.DiskRepository;
import dev.windrose.inventory.internal.DiskScanner;
import dev.windrose.inventory.internal.HostEntity;
import dev.windrose.inventory.internal.HostRepository;
import dev.windrose.inventory.internal.InventoryProperties;
import dev.windrose.inventory.internal.LocalHost;
import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditLog;
import dev.windrose.security.Role;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The disks of every host: discovered block devices and file-backed lab disks. Pools take disks with
 * {@link #claim} and give them back with {@link #release}.
 */
@Service
public class DiskService {

    public static final long MIB = 1024L * 1024;
    public static final long MIN_LAB_DISK_BYTES = 64 * MIB;
    public static final long MAX_LAB_DISK_BYTES = 16L * 1024 * 1024 * MIB;
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private final DiskRepository disks;
    private final HostRepository hosts;
    private final LocalHost localHost;
    private final DiskScanner scanner;
    private final AuditLog auditLog;
    private final Clock clock;
    private final Path defaultLabDirectory;
    private final AllowedRoots allowedRoots;

    DiskService(DiskRepository disks, HostRepository hosts, LocalHost localHost, DiskScanner scanner,
            AuditLog auditLog, Clock clock, InventoryProperties inventory, WindroseProperties windrose,
            AllowedRoots allowedRoots) {
        this.disks = disks;
        this.hosts = hosts;
        this.localHost = localHost;
        this.scanner = scanner;
        this.auditLog = auditLog;
        this.clock = clock;
        this.defaultLabDirectory = inventory.labDiskDirectory() != null ? inventory.labDiskDirectory()
                : windrose.dataDir().resolve("lab-disks");
        this.allowedRoots = allowedRoots;
    }

    /** Disks by host and name. */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public Page<DiskInfo> list(DiskFilter filter, Pageable pageable) {
        Pageable ordered = PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(),
                Sort.by("hostId", "name"));
        String text = filter.text() == null || filter.text().isBlank() ? null
                : "%" + filter.text().strip().toLowerCase(Locale.ROOT).replace("%", "").replace("_", "") + "%";
        Page<DiskEntity> page = disks.search(filter.hostId() == null ? null : filter.hostId().value(), filter.kind(),
                filter.transport(), text, filter.eligibleOnly(), ordered);
        Map<Long, String> hostNames = hostNames();
        return page.map(disk -> disk.toInfo(hostNames.getOrDefault(disk.hostId().value(), "?")));
    }

    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public DiskInfo get(DiskId id) {
        DiskEntity disk = find(id);
        return disk.toInfo(hostName(disk.hostId()));
    }

    /** Looks at the system again now; appearing and disappearing disks become events. */
    @PreAuthorize(Role.Expressions.OPERATOR)
    public RescanResult rescan() {
        return scanner.rescan();
    }

    /**
     * Creates a sparse file and registers it as a lab disk of the local host. Nothing is left behind
     * when any step fails.
     */
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public DiskInfo createLabDisk(NewLabDisk request) {
        String name = validLabName(request.name());
        long size = validLabSize(request.sizeBytes());
        Path directory = validLabDirectory(request.directory());
        HostId host = localHost.id();
        if (disks.existsByHostIdAndName(host.value(), name)) {
            throw new ConflictException("A disk named '" + name + "' already exists on this host.");
        }
        Path file = directory.resolve(name + ".img");
        createSparseFile(file, size);
        AfterTransaction.deleteOnRollback(file);
        String serial = "LAB-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        DiskEntity disk = disks.saveAndFlush(DiskEntity.lab(host, name, file.toString(), serial, size, clock.instant()));
        auditLog.record(AuditAction.LAB_DISK_CREATED, name, file + ", " + size + " bytes");
        return disk.toInfo(hostName(host));
    }

    /** Deletes a lab disk and, once that is committed, its file. A disk in a pool cannot go. */
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public void deleteLabDisk(DiskId id) {
        DiskEntity disk = find(id);
        if (disk.kind() != DiskKind.LAB) {
            throw new ConflictException("Disk " + disk.name() + " is a real block device: only lab disks can be deleted.");
        }
        if (disk.claimedBy() != null) {
            throw new ConflictException("Lab disk " + disk.name() + " belongs to pool " + disk.claimedBy()
                    + ": delete the pool first.");
        }
        disks.delete(disk);
        AfterTransaction.deleteOnCommit(Path.of(disk.devicePath()));
        auditLog.record(AuditAction.LAB_DISK_DELETED, disk.name(), disk.devicePath());
    }

    /**
     * Gives a disk to a pool, in the caller's transaction. Refused when the disk is missing, used by
     * the system or by another pool; the message says which.
     */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public DiskInfo claim(DiskId id, String claimant) {
        DiskEntity disk = disks.findForUpdate(id.value())
                .orElseThrow(() -> new NotFoundException("There is no disk with id " + id + "."));
        DiskInfo info = disk.toInfo(hostName(disk.hostId()));
        String refusal = info.ineligibleReason();
        if (refusal != null) {
            throw new ConflictException("Disk " + disk.name() + " cannot be used: " + refusal);
        }
        disk.claim(claimant);
        return disk.toInfo(info.hostName());
    }

    /** Gives a disk back when its pool is deleted. */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public void release(DiskId id) {
        disks.findById(id.value()).ifPresent(DiskEntity::release);
    }

    private DiskEntity find(DiskId id) {
        return disks.findById(id.value())
                .orElseThrow(() -> new NotFoundException("There is no disk with id " + id + "."));
    }

    private Map<Long, String> hostNames() {
        Map<Long, String> names = new HashMap<>();
        for (HostEntity host : hosts.findAll()) {
            names.put(host.id().value(), host.name());
        }
        return names;
    }

    private String hostName(HostId id) {
        return hosts.findById(id.value()).map(HostEntity::name).orElse("?");
    }

    private static String validLabName(@Nullable String name) {
        Names.requireSafe("name", name == null ? "" : name);
        String stripped = name == null ? "" : name.strip();
        if (!NAME.matcher(stripped).matches()) {
            throw new InvalidInputException("name", "A lab disk name has 1 to 63 characters: lower-case letters, "
                    + "digits, '.', '_' or '-', starting with a letter or digit.");
        }
        return stripped;
    }

    private static long validLabSize(long size) {
        if (size < MIN_LAB_DISK_BYTES || size > MAX_LAB_DISK_BYTES) {
            throw new InvalidInputException("sizeBytes", "A lab disk has 64 MiB to 16 TiB; " + size + " bytes is out of range.");
        }
        if (size % MIB != 0) {
            throw new InvalidInputException("sizeBytes", "A lab disk's size is a whole number of MiB (1048576 bytes).");
        }
        return size;
    }

    private Path validLabDirectory(@Nullable String directory) {
        if (directory == null || directory.isBlank()) {
            try {
                // The administrator chose this one (or it is the data directory's own lab-disks folder).
                return PrivateFiles.createDirectories(defaultLabDirectory).toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the lab-disk directory " + defaultLabDirectory, e);
            }
        }
        Path path = allowedRoots.check("directory", directory);
        if (!Files.isDirectory(path) || !Files.isWritable(path)) {
            throw new InvalidInputException("directory", "The directory " + path + " does not exist or is not writable.");
        }
        return path;
    }

    /** A sparse file: it takes no space until written, like a thin disk. */
    private static void createSparseFile(Path file, long size) {
        try {
            PrivateFiles.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new ConflictException("A file already exists at " + file + ": choose another name or directory.");
        } catch (IOException e) {
            throw new InvalidInputException("directory", "Cannot create " + file + ": " + e.getMessage());
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the original failure is what the caller needs to hear
            }
            throw new InvalidInputException("sizeBytes", "Cannot size " + file + " to " + size + " bytes: " + e.getMessage());
        }
    }

    /** The lab-disk directory used when a request names none. */
    public Path defaultLabDirectory() {
        return defaultLabDirectory.toAbsolutePath();
    }
}
