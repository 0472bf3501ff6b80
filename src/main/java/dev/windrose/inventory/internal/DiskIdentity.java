package dev.windrose.inventory.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The stable name of a disk, which survives reboots and re-cabling while kernel names ({@code sda}) do not:
 * {@code nguid:…}, {@code eui:…} or {@code wwid:…} from the medium itself, else {@code serial:model/serial},
 * else the udev {@code by-id:} link; a lab disk is {@code file:} and its path. Only when the system tells
 * nothing at all is a disk known by its kernel name ({@code name:sda}), which may change at the next boot.
 */
public final class DiskIdentity {

    /** Column width in the database; longer values are cut, which keeps them distinct in practice. */
    static final int MAX_LENGTH = 512;
    private static final String KERNEL_NAME = "name:";

    private DiskIdentity() {
    }

    /** Identifiers are compared case-insensitively with runs of blanks folded (SCSI pads with spaces). */
    static String of(String kind, String value) {
        String folded = value.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        String identity = kind + ":" + folded;
        return identity.length() > MAX_LENGTH ? identity.substring(0, MAX_LENGTH) : identity;
    }

    static String serial(@Nullable String model, String serial) {
        return of("serial", (model == null ? "" : model) + "/" + serial);
    }

    static String kernelName(String name) {
        return KERNEL_NAME + name;
    }

    /** Paths are case-sensitive, so a lab disk's path is kept as it is. */
    public static String labFile(String path) {
        String identity = "file:" + path;
        return identity.length() > MAX_LENGTH ? identity.substring(0, MAX_LENGTH) : identity;
    }

    /** True when the identity is only the kernel name: the disk may be another one after a reboot. */
    public static boolean isKernelName(String identity) {
        return identity.startsWith(KERNEL_NAME);
    }

    /**
     * Two disks that claim one identity (cloned serials in cheap enclosures, two paths to one SAS disk)
     * cannot be told apart by it: each gets its kernel name appended, so neither is mistaken for the other.
     */
    static List<DiscoveredDisk> qualifyDuplicates(List<DiscoveredDisk> disks) {
        Map<String, Integer> counts = new HashMap<>();
        disks.forEach(disk -> counts.merge(disk.identity(), 1, Integer::sum));
        List<DiscoveredDisk> out = new ArrayList<>(disks.size());
        for (DiscoveredDisk disk : disks) {
            out.add(counts.get(disk.identity()) > 1 ? disk.withIdentity(disk.identity() + "@" + disk.name()) : disk);
        }
        return List.copyOf(out);
    }
}
