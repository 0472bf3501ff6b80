package dev.windrose.storage.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Hands out byte ranges of a disk pool's disks. Pure and stateless: the caller passes the usable region of
 * every disk and the extents already taken, and gets extents that overlap none of them, lie inside the
 * regions, start and end on the alignment, and add up to exactly the size asked for. A single gap that
 * fits is preferred (first fit); otherwise the volume spans several gaps, in region order.
 */
public final class ExtentAllocator {

    /** The usable part of one disk: from {@code start} (after the label), {@code length} bytes. */
    public record Region(long diskId, long start, long length) {

        public Region {
            if (start < 0 || length < 0) {
                throw new IllegalArgumentException("negative region " + start + "+" + length);
            }
        }

        long end() {
            return start + length;
        }
    }

    /** Bytes {@code [start, start + length)} of one disk. */
    public record Extent(long diskId, long start, long length) {

        public Extent {
            if (start < 0 || length <= 0) {
                throw new IllegalArgumentException("invalid extent " + start + "+" + length);
            }
        }

        public long end() {
            return start + length;
        }

        public boolean overlaps(Extent other) {
            return diskId == other.diskId && start < other.end() && other.start < end();
        }
    }

    /** There is not enough free space for the request. */
    public static final class InsufficientSpaceException extends RuntimeException {

        private final long free;

        InsufficientSpaceException(long requested, long free) {
            super("Not enough free space: " + requested + " bytes requested, " + free + " bytes free.");
            this.free = free;
        }

        public long free() {
            return free;
        }
    }

    private ExtentAllocator() {
    }

    public static List<Extent> allocate(List<Region> regions, Collection<Extent> used, long size, long alignment) {
        if (alignment <= 0 || size <= 0 || size % alignment != 0) {
            throw new IllegalArgumentException("size " + size + " must be a positive multiple of " + alignment);
        }
        List<Extent> gaps = freeGaps(regions, used, alignment);
        long free = gaps.stream().mapToLong(Extent::length).sum();
        if (free < size) {
            throw new InsufficientSpaceException(size, free);
        }
        for (Extent gap : gaps) {
            if (gap.length() >= size) {
                return List.of(new Extent(gap.diskId(), gap.start(), size));
            }
        }
        List<Extent> pieces = new ArrayList<>();
        long missing = size;
        for (Extent gap : gaps) {
            long take = Math.min(gap.length(), missing);
            pieces.add(new Extent(gap.diskId(), gap.start(), take));
            missing -= take;
            if (missing == 0) {
                break;
            }
        }
        return List.copyOf(pieces);
    }

    /**
     * Free bytes right after {@code extent} on its disk (up to the next extent or the end of its disk's
     * region): how far it can grow in place, which a volume needs while a host uses it, since its data may
     * not move and a served namespace is one range. {@code extent} must be one of {@code used}.
     */
    public static long roomAfter(List<Region> regions, Collection<Extent> used, Extent extent, long alignment) {
        if (!used.contains(extent)) {
            throw new IllegalArgumentException("extent " + extent + " is not allocated");
        }
        for (Extent gap : freeGaps(regions, used, alignment)) {
            if (gap.diskId() == extent.diskId() && gap.start() == extent.end()) {
                return gap.length();
            }
        }
        return 0;
    }

    /** The extent grown by {@code more} bytes in place, or empty when {@link #roomAfter} is less. */
    public static java.util.Optional<Extent> extend(List<Region> regions, Collection<Extent> used, Extent extent,
            long more, long alignment) {
        if (alignment <= 0 || more <= 0 || more % alignment != 0) {
            throw new IllegalArgumentException("more " + more + " must be a positive multiple of " + alignment);
        }
        return roomAfter(regions, used, extent, alignment) >= more
                ? java.util.Optional.of(new Extent(extent.diskId(), extent.start(), extent.length() + more))
                : java.util.Optional.empty();
    }

    /** Total bytes still allocatable on aligned boundaries. */
    public static long free(List<Region> regions, Collection<Extent> used, long alignment) {
        return freeGaps(regions, used, alignment).stream().mapToLong(Extent::length).sum();
    }

    /**
     * The aligned free gaps, in region order then address order. Used extents are checked first: one
     * outside every region, or two overlapping, mean the stored state is corrupt and nothing may be
     * allocated on top of it.
     */
    static List<Extent> freeGaps(List<Region> regions, Collection<Extent> used, long alignment) {
        checkConsistent(regions, used);
        List<Extent> gaps = new ArrayList<>();
        for (Region region : regions) {
            List<Extent> taken = used.stream().filter(extent -> extent.diskId() == region.diskId())
                    .sorted(Comparator.comparingLong(Extent::start)).toList();
            long cursor = region.start();
            for (Extent extent : taken) {
                addGap(gaps, region.diskId(), cursor, extent.start(), alignment);
                cursor = Math.max(cursor, extent.end());
            }
            addGap(gaps, region.diskId(), cursor, region.end(), alignment);
        }
        return gaps;
    }

    private static void addGap(List<Extent> gaps, long diskId, long from, long to, long alignment) {
        long start = alignUp(from, alignment);
        long end = to - Math.floorMod(to, alignment);
        if (end > start) {
            gaps.add(new Extent(diskId, start, end - start));
        }
    }

    private static long alignUp(long value, long alignment) {
        long remainder = Math.floorMod(value, alignment);
        return remainder == 0 ? value : value + alignment - remainder;
    }

    private static void checkConsistent(List<Region> regions, Collection<Extent> used) {
        List<Extent> all = new ArrayList<>(used);
        for (Extent extent : all) {
            boolean inside = regions.stream().anyMatch(region -> region.diskId() == extent.diskId()
                    && extent.start() >= region.start() && extent.end() <= region.end());
            if (!inside) {
                throw new IllegalStateException("extent " + extent + " lies outside the pool's disks");
            }
        }
        all.sort(Comparator.comparingLong(Extent::diskId).thenComparingLong(Extent::start));
        for (int i = 1; i < all.size(); i++) {
            if (all.get(i - 1).overlaps(all.get(i))) {
                throw new IllegalStateException("extents " + all.get(i - 1) + " and " + all.get(i) + " overlap");
            }
        }
    }
}
