package dev.windrose.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windrose.storage.internal.ExtentAllocator.Extent;
import dev.windrose.storage.internal.ExtentAllocator.InsufficientSpaceException;
import dev.windrose.storage.internal.ExtentAllocator.Region;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The allocator's promises, checked over random pools and random sequences of allocations and frees:
 * extents never overlap, stay inside the disks' regions, are aligned, add up to the size asked for, and an
 * allocation fails only when the free space really is too small.
 */
class ExtentAllocatorPropertiesTest {

    static final long ALIGN = 1024 * 1024;

    /** An operation: allocate {@code units} alignment units, or free the n-th live volume. */
    record Step(boolean allocate, int units, int victim) {
    }

    @Property(tries = 300)
    void random_allocations_and_frees_never_overlap_and_stay_inside_the_regions(
            @ForAll("regions") List<Region> regions, @ForAll("stepLists") List<Step> steps) {
        List<List<Extent>> volumes = new ArrayList<>();
        for (Step step : steps) {
            if (!step.allocate() && !volumes.isEmpty()) {
                volumes.remove(step.victim() % volumes.size());
                continue;
            }
            List<Extent> used = volumes.stream().flatMap(List::stream).toList();
            long free = ExtentAllocator.free(regions, used, ALIGN);
            long size = step.units() * ALIGN;
            if (size > free) {
                assertThatThrownBy(() -> ExtentAllocator.allocate(regions, used, size, ALIGN))
                        .isInstanceOf(InsufficientSpaceException.class);
                continue;
            }
            List<Extent> allocated = ExtentAllocator.allocate(regions, used, size, ALIGN);
            assertThat(allocated.stream().mapToLong(Extent::length).sum()).isEqualTo(size);
            volumes.add(allocated);
            List<Extent> all = volumes.stream().flatMap(List::stream).toList();
            assertNoOverlap(all);
            assertInside(all, regions);
            assertThat(ExtentAllocator.free(regions, all, ALIGN)).isEqualTo(free - size);
        }
    }

    @Property(tries = 200)
    void a_pool_can_be_filled_to_the_last_aligned_byte_and_then_refuses(@ForAll("regions") List<Region> regions,
            @ForAll @IntRange(min = 1, max = 7) int chunkUnits) {
        List<Extent> used = new ArrayList<>();
        long chunk = chunkUnits * ALIGN;
        while (ExtentAllocator.free(regions, used, ALIGN) >= chunk) {
            used.addAll(ExtentAllocator.allocate(regions, used, chunk, ALIGN));
        }
        long rest = ExtentAllocator.free(regions, used, ALIGN);
        if (rest > 0) {
            used.addAll(ExtentAllocator.allocate(regions, used, rest, ALIGN));
        }
        assertNoOverlap(used);
        assertInside(used, regions);
        assertThat(ExtentAllocator.free(regions, used, ALIGN)).isZero();
        assertThatThrownBy(() -> ExtentAllocator.allocate(regions, used, ALIGN, ALIGN))
                .isInstanceOf(InsufficientSpaceException.class);
    }

    /** Growing a volume's last extent in place (what an exported volume does) never takes what is taken. */
    @Property(tries = 300)
    void growing_an_extent_in_place_never_overlaps_and_takes_exactly_the_room_after_it(
            @ForAll("regions") List<Region> regions, @ForAll("stepLists") List<Step> steps,
            @ForAll @IntRange(min = 1, max = 40) int moreUnits) {
        List<Extent> used = new ArrayList<>();
        for (Step step : steps) {
            if (step.allocate() && ExtentAllocator.free(regions, used, ALIGN) >= step.units() * ALIGN) {
                used.addAll(ExtentAllocator.allocate(regions, used, step.units() * ALIGN, ALIGN));
            } else if (!step.allocate() && !used.isEmpty()) {
                used.remove(step.victim() % used.size());
            }
        }
        if (used.isEmpty()) {
            return;
        }
        Extent extent = used.get(steps.size() % used.size());
        long more = moreUnits * ALIGN;
        long room = ExtentAllocator.roomAfter(regions, used, extent, ALIGN);
        var grown = ExtentAllocator.extend(regions, used, extent, more, ALIGN);

        assertThat(grown.isPresent()).as("room %d, more %d", room, more).isEqualTo(room >= more);
        grown.ifPresent(bigger -> {
            assertThat(bigger.start()).isEqualTo(extent.start());
            assertThat(bigger.length()).isEqualTo(extent.length() + more);
            List<Extent> after = new ArrayList<>(used);
            after.set(after.indexOf(extent), bigger);
            assertNoOverlap(after);
            assertInside(after, regions);
        });
        if (room > 0 && room < more) {
            // the room is really all there is: one unit more than it overlaps or leaves the region
            Extent tooBig = new Extent(extent.diskId(), extent.start(), extent.length() + room + ALIGN);
            List<Extent> after = new ArrayList<>(used);
            after.set(after.indexOf(extent), tooBig);
            boolean overlaps = after.stream().anyMatch(o -> o != tooBig && o.overlaps(tooBig));
            boolean outside = regions.stream().noneMatch(r -> r.diskId() == tooBig.diskId()
                    && tooBig.start() >= r.start() && tooBig.end() <= r.start() + r.length());
            assertThat(overlaps || outside).isTrue();
        }
    }

    @Property(tries = 100)
    void overlapping_stored_extents_are_refused_rather_than_allocated_over(@ForAll("regions") List<Region> regions) {
        Region first = regions.getFirst();
        if (first.length() < 2 * ALIGN) {
            return;
        }
        long start = first.start() + (ALIGN - Math.floorMod(first.start(), ALIGN)) % ALIGN;
        List<Extent> corrupt = List.of(new Extent(first.diskId(), start, ALIGN),
                new Extent(first.diskId(), start + ALIGN / 2, ALIGN / 2));
        assertThatThrownBy(() -> ExtentAllocator.allocate(regions, corrupt, ALIGN, ALIGN))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("overlap");
    }

    @Provide
    Arbitrary<List<Region>> regions() {
        // Unaligned starts and lengths on purpose: the label area and odd disk sizes.
        Arbitrary<Long> starts = Arbitraries.longs().between(0, 3 * ALIGN);
        Arbitrary<Long> lengths = Arbitraries.longs().between(0, 64 * ALIGN);
        return Combinators.combine(starts, lengths).as((start, length) -> new long[] {start, length})
                .list().ofMinSize(1).ofMaxSize(4)
                .map(pairs -> {
                    List<Region> regions = new ArrayList<>();
                    for (int i = 0; i < pairs.size(); i++) {
                        regions.add(new Region(i + 1, pairs.get(i)[0], pairs.get(i)[1]));
                    }
                    return regions;
                });
    }

    @Provide
    Arbitrary<List<Step>> stepLists() {
        return Combinators.combine(Arbitraries.of(true, true, false), Arbitraries.integers().between(1, 40),
                Arbitraries.integers().between(0, 1000)).as(Step::new).list().ofMaxSize(60);
    }

    static void assertNoOverlap(List<Extent> extents) {
        for (int i = 0; i < extents.size(); i++) {
            for (int j = i + 1; j < extents.size(); j++) {
                assertThat(extents.get(i).overlaps(extents.get(j)))
                        .as("%s overlaps %s", extents.get(i), extents.get(j)).isFalse();
            }
        }
    }

    static void assertInside(List<Extent> extents, List<Region> regions) {
        for (Extent extent : extents) {
            assertThat(extent.start() % ALIGN).as("aligned start of %s", extent).isZero();
            assertThat(extent.length() % ALIGN).as("aligned length of %s", extent).isZero();
            assertThat(regions).as("a region holds %s", extent).anyMatch(region -> region.diskId() == extent.diskId()
                    && extent.start() >= region.start() && extent.end() <= region.start() + region.length());
        }
    }
}
