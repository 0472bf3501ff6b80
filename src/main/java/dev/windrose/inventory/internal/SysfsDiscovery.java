package dev.windrose.inventory.internal;

import dev.windrose.inventory.DiskTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Finds the block devices of this host in sysfs ({@code /sys/block}, {@code /sys/class/nvme}) and works
 * out from procfs ({@code self/mountinfo}, {@code swaps}) and the holders in sysfs which of them the
 * system uses, and why. Reads only; both roots are parameters so tests run against recorded trees.
 */
public final class SysfsDiscovery {

    /** Mount points that make a disk the operating system's own. */
    private static final Set<String> SYSTEM_MOUNTS = Set.of("/", "/boot", "/boot/efi", "/usr", "/var");
    /** Devices with a {@code device} link that are not disks: optical drives, floppies. */
    private static final List<String> NOT_DISKS = List.of("sr", "fd");
    private static final Pattern NVME_NAMESPACE = Pattern.compile("^(nvme\\d+)(?:c\\d+)?n\\d+$");
    private static final Pattern OCTAL_ESCAPE = Pattern.compile("\\\\([0-7]{3})");
    private static final int SECTOR_BYTES = 512;

    private static final Pattern ALL_ZEROS = Pattern.compile("^[0\\s.:-]*$");

    private final Path sys;
    private final Path proc;
    private final Path dev;

    public SysfsDiscovery(Path sysfsRoot, Path procfsRoot) {
        this(sysfsRoot, procfsRoot, Path.of("/dev"));
    }

    /** {@code devRoot} holds the device nodes and {@code disk/by-id}; tests point it at a directory of files. */
    public SysfsDiscovery(Path sysfsRoot, Path procfsRoot, Path devRoot) {
        this.sys = sysfsRoot;
        this.proc = procfsRoot;
        this.dev = devRoot;
    }

    public List<DiscoveredDisk> discover() {
        Map<String, List<String>> mountsByDevice = mountsByDeviceNumber();
        Set<String> swaps = swapDevices();
        Path block = sys.resolve("block");
        if (!Files.isDirectory(block)) {
            throw new UncheckedIOException(new IOException("No block devices directory at " + block));
        }
        try (Stream<Path> entries = Files.list(block)) {
            List<DiscoveredDisk> disks = entries.sorted()
                    .filter(SysfsDiscovery::isDisk)
                    .map(dir -> describe(dir, mountsByDevice, swaps))
                    .filter(disk -> disk.sizeBytes() > 0)
                    .toList();
            return DiskIdentity.qualifyDuplicates(disks);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + block, e);
        }
    }

    /** Virtual devices (loop, ram, zram, device-mapper, md) have no {@code device} entry. */
    private static boolean isDisk(Path dir) {
        String name = dir.getFileName().toString();
        return Files.exists(dir.resolve("device")) && NOT_DISKS.stream().noneMatch(name::startsWith);
    }

    private DiscoveredDisk describe(Path dir, Map<String, List<String>> mounts, Set<String> swaps) {
        String name = dir.getFileName().toString();
        String nvmeController = nvmeController(name);
        Identity identity = nvmeController != null ? nvmeIdentity(dir, nvmeController) : scsiLikeIdentity(dir, name);
        long sectors = readLong(dir.resolve("size")).orElse(0L);
        int logical = readLong(dir.resolve("queue/logical_block_size")).orElse((long) SECTOR_BYTES).intValue();
        int physical = readLong(dir.resolve("queue/physical_block_size")).orElse((long) logical).intValue();
        boolean rotational = readLong(dir.resolve("queue/rotational")).orElse(0L) == 1L;
        String stableId = nvmeController != null ? nvmeStableId(dir, identity) : scsiLikeStableId(dir, identity);
        if (stableId == null) {
            stableId = byIdLink(name);
        }
        return new DiscoveredDisk(name, dev.resolve(name).toString(),
                stableId != null ? stableId : DiskIdentity.kernelName(name), identity.model(), identity.serial(),
                identity.firmware(), identity.transport(), rotational, sectors * SECTOR_BYTES, logical, physical,
                inUseReasons(dir, mounts, swaps), nvmeController);
    }

    /**
     * An NVMe namespace is named by its NGUID or EUI-64 when the controller reports one (all zeros means
     * it does not), else by the kernel's {@code wwid}, else by controller serial, model and namespace id.
     */
    private static @Nullable String nvmeStableId(Path dir, Identity identity) {
        String nguid = meaningful(readText(dir.resolve("nguid")));
        if (nguid != null) {
            return DiskIdentity.of("nguid", nguid);
        }
        String eui = meaningful(readText(dir.resolve("eui")));
        if (eui != null) {
            return DiskIdentity.of("eui", eui);
        }
        String wwid = meaningful(readText(dir.resolve("wwid")));
        if (wwid != null) {
            return DiskIdentity.of("wwid", wwid);
        }
        String nsid = readText(dir.resolve("nsid"));
        return identity.serial() == null ? null
                : DiskIdentity.serial(identity.model(), identity.serial() + (nsid == null ? "" : "/ns" + nsid));
    }

    /** SCSI, SATA and SAS disks have the kernel's {@code device/wwid} (from VPD page 0x83); others a serial. */
    private static @Nullable String scsiLikeStableId(Path dir, Identity identity) {
        String wwid = meaningful(readText(dir.resolve("device/wwid")));
        if (wwid == null) {
            wwid = meaningful(readText(dir.resolve("wwid")));
        }
        if (wwid != null) {
            return DiskIdentity.of("wwid", wwid);
        }
        return identity.serial() == null ? null : DiskIdentity.serial(identity.model(), identity.serial());
    }

    /**
     * The udev link in {@code /dev/disk/by-id} that points at the disk (not a partition): {@code wwn-}
     * links first, as they name the medium rather than the path to it.
     */
    private @Nullable String byIdLink(String name) {
        Path byId = dev.resolve("disk/by-id");
        if (!Files.isDirectory(byId)) {
            return null;
        }
        try (Stream<Path> links = Files.list(byId)) {
            return links.filter(Files::isSymbolicLink)
                    .filter(link -> !link.getFileName().toString().contains("-part"))
                    .filter(link -> pointsAt(link, name))
                    .map(link -> link.getFileName().toString())
                    .min(Comparator.comparing((String link) -> !link.startsWith("wwn-")).thenComparing(Comparator.naturalOrder()))
                    .map(link -> DiskIdentity.of("by-id", link))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean pointsAt(Path link, String name) {
        try {
            return Files.readSymbolicLink(link).getFileName().toString().equals(name);
        } catch (IOException e) {
            return false;
        }
    }

    /** Controllers that lack an identifier report zeros; such a value names nothing. */
    private static @Nullable String meaningful(@Nullable String value) {
        return value == null || ALL_ZEROS.matcher(value).matches() ? null : value;
    }

    private record Identity(@Nullable String model, @Nullable String serial, @Nullable String firmware,
            DiskTransport transport) {
    }

    static @Nullable String nvmeController(String blockName) {
        Matcher matcher = NVME_NAMESPACE.matcher(blockName);
        return matcher.matches() ? matcher.group(1) : null;
    }

    /** /sys/class/nvme/nvmeN describes the controller; the namespace's {@code device} is the same directory. */
    private Identity nvmeIdentity(Path dir, String controller) {
        Path ctrl = sys.resolve("class/nvme").resolve(controller);
        if (!Files.isDirectory(ctrl)) {
            ctrl = dir.resolve("device");
        }
        return new Identity(readText(ctrl.resolve("model")), readText(ctrl.resolve("serial")),
                readText(ctrl.resolve("firmware_rev")), DiskTransport.NVME);
    }

    private Identity scsiLikeIdentity(Path dir, String name) {
        Path device = dir.resolve("device");
        if (name.startsWith("vd")) {
            return new Identity(null, readText(dir.resolve("serial")), null, DiskTransport.VIRTIO);
        }
        if (name.startsWith("mmcblk")) {
            return new Identity(readText(device.resolve("name")), readText(device.resolve("serial")), null,
                    DiskTransport.MMC);
        }
        if (name.startsWith("xvd")) {
            return new Identity(null, null, null, DiskTransport.XEN);
        }
        String vendor = readText(device.resolve("vendor"));
        String model = readText(device.resolve("model"));
        String fullModel = vendor == null || "ATA".equals(vendor) ? model
                : model == null ? vendor : vendor + " " + model;
        return new Identity(fullModel, scsiSerial(device), readText(device.resolve("rev")), scsiTransport(dir, vendor));
    }

    /** libata reports vendor "ATA"; a SAS end device has a sas_address; USB shows in the device's real path. */
    private static DiskTransport scsiTransport(Path dir, @Nullable String vendor) {
        if ("ATA".equals(vendor)) {
            return DiskTransport.SATA;
        }
        if (Files.exists(dir.resolve("device/sas_address"))) {
            return DiskTransport.SAS;
        }
        try {
            if (dir.toRealPath().toString().contains("/usb")) {
                return DiskTransport.USB;
            }
        } catch (IOException e) {
            // the path stays unresolved: not USB as far as we can tell
        }
        return vendor == null ? DiskTransport.UNKNOWN : DiskTransport.SCSI;
    }

    /** The unit serial number VPD page (0x80): a 4-byte header, then the serial in ASCII. */
    private static @Nullable String scsiSerial(Path device) {
        try {
            byte[] page = Files.readAllBytes(device.resolve("vpd_pg80"));
            if (page.length > 4) {
                String serial = new String(page, 4, page.length - 4, StandardCharsets.US_ASCII).strip();
                return serial.isEmpty() ? null : serial;
            }
        } catch (IOException e) {
            // no VPD page: fall through to the plain attribute
        }
        return readText(device.resolve("serial"));
    }

    /** Reasons from the disk itself and from each of its partitions. */
    private List<String> inUseReasons(Path dir, Map<String, List<String>> mounts, Set<String> swaps) {
        Set<String> reasons = new LinkedHashSet<>();
        String disk = dir.getFileName().toString();
        List<String> partitions = partitions(dir);
        reasons.addAll(usesOf(dir, disk, mounts, swaps));
        for (String partition : partitions) {
            reasons.addAll(usesOf(dir.resolve(partition), partition, mounts, swaps));
        }
        if (reasons.isEmpty() && !partitions.isEmpty()) {
            // Unknown partitions may hold anyone's data: never offer such a disk for a pool.
            reasons.add("has partitions (" + String.join(", ", partitions) + ")");
        }
        return List.copyOf(reasons);
    }

    private static List<String> partitions(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(entry -> Files.exists(entry.resolve("partition")))
                    .map(entry -> entry.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Mounts, swap and holders (LVM, dm-crypt, RAID) of one disk or partition. */
    private List<String> usesOf(Path dir, String name, Map<String, List<String>> mounts, Set<String> swaps) {
        List<String> reasons = new ArrayList<>();
        Optional.ofNullable(readText(dir.resolve("dev"))).map(mounts::get).ifPresent(points -> reasons.add(mountReason(name, points)));
        if (swaps.contains(name)) {
            reasons.add(name + " is swap space");
        }
        for (String holder : holders(dir)) {
            reasons.add(holderReason(name, holder, mounts, swaps));
        }
        return reasons;
    }

    private static String mountReason(String name, List<String> mountPoints) {
        boolean system = mountPoints.stream().anyMatch(SYSTEM_MOUNTS::contains);
        String where = name + " mounted at " + String.join(", ", mountPoints);
        return system ? "holds the operating system (" + where + ")" : where;
    }

    private String holderReason(String name, String holder, Map<String, List<String>> mounts, Set<String> swaps) {
        Path holderDir = sys.resolve("block").resolve(holder);
        String dmUuid = readText(holderDir.resolve("dm/uuid"));
        String dmName = readText(holderDir.resolve("dm/name"));
        String label = dmName == null ? holder : dmName;
        String what;
        if (dmUuid != null && dmUuid.startsWith("LVM-")) {
            what = name + " is an LVM physical volume (" + label + ")";
        } else if (dmUuid != null && dmUuid.startsWith("CRYPT-")) {
            what = name + " is encrypted with dm-crypt (" + label + ")";
        } else if (holder.startsWith("md")) {
            what = name + " is a member of RAID " + holder;
        } else {
            what = name + " is held by " + label;
        }
        List<String> points = Optional.ofNullable(readText(holderDir.resolve("dev"))).map(mounts::get).orElse(null);
        if (points != null) {
            boolean system = points.stream().anyMatch(SYSTEM_MOUNTS::contains);
            what += system ? ", which holds the operating system (mounted at " + String.join(", ", points) + ")"
                    : ", mounted at " + String.join(", ", points);
        } else if (swaps.contains(holder)) {
            what += ", used as swap space";
        }
        return what;
    }

    private static List<String> holders(Path dir) {
        Path holders = dir.resolve("holders");
        if (!Files.isDirectory(holders)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(holders)) {
            return entries.map(entry -> entry.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** major:minor of every mounted device, to its mount points (mountinfo fields 3 and 5). */
    Map<String, List<String>> mountsByDeviceNumber() {
        Map<String, List<String>> mounts = new HashMap<>();
        for (String line : readLines(proc.resolve("self/mountinfo"))) {
            String[] fields = line.split(" ");
            if (fields.length < 5) {
                continue;
            }
            mounts.computeIfAbsent(fields[2], key -> new ArrayList<>()).add(unescape(fields[4]));
        }
        mounts.replaceAll((device, points) -> List.copyOf(new LinkedHashSet<>(points)));
        return mounts;
    }

    /** Swap devices by kernel name ({@code sda2}, {@code dm-1}); swap files live on a mount already counted. */
    Set<String> swapDevices() {
        Set<String> swaps = new HashSet<>();
        List<String> lines = readLines(proc.resolve("swaps"));
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String device = line.split("\\s+")[0];
            if (device.startsWith("/dev/")) {
                swaps.add(Path.of(device).getFileName().toString());
            }
        }
        return swaps;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal ({@code \040}). */
    static String unescape(String field) {
        Matcher matcher = OCTAL_ESCAPE.matcher(field);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(
                    String.valueOf((char) Integer.parseInt(matcher.group(1), 8))));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }

    static @Nullable String readText(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? null : text;
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    private static Optional<Long> readLong(Path file) {
        String text = readText(file);
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
