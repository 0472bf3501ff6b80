package dev.windrose.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The volume map behind a disk pool's label: what an import recovers the volumes from. */
class PoolVolumeMapTest {

    static final long MIB = 1024 * 1024;
    final UUID pool = UUID.randomUUID();

    @Test
    void a_written_map_is_read_back_with_every_volume_and_extent(@TempDir Path dir) throws Exception {
        Path disk = DiskPoolLabelTest.disk(dir);
        PoolVolumeMap map = new PoolVolumeMap(pool, 0, List.of(
                volume("alpha", new PoolVolumeMap.Extent(0, MIB, 64 * MIB)),
                volume("beta", new PoolVolumeMap.Extent(0, 65 * MIB, 32 * MIB), new PoolVolumeMap.Extent(1, MIB, 32 * MIB))));

        PoolVolumeMap written = map.writeTo(disk);

        assertThat(written.generation()).isEqualTo(1);
        assertThat(PoolVolumeMap.readFrom(disk, pool)).contains(written);
        assertThat(written.volumes()).isEqualTo(map.volumes());
    }

    @Test
    void writes_alternate_between_the_two_slots_so_the_newest_generation_wins(@TempDir Path dir) throws Exception {
        Path disk = DiskPoolLabelTest.disk(dir);
        new PoolVolumeMap(pool, 0, List.of(volume("one", new PoolVolumeMap.Extent(0, MIB, MIB)))).writeTo(disk);
        PoolVolumeMap second = new PoolVolumeMap(pool, 0, List.of()).writeTo(disk);
        PoolVolumeMap third = new PoolVolumeMap(pool, 0, List.of(volume("three", new PoolVolumeMap.Extent(0, MIB, MIB))))
                .writeTo(disk);

        assertThat(second.generation()).isEqualTo(2);
        assertThat(third.generation()).isEqualTo(3);
        assertThat(PoolVolumeMap.readFrom(disk, pool)).contains(third);
    }

    @Test
    void a_torn_write_of_the_newer_slot_leaves_the_previous_map_readable(@TempDir Path dir) throws Exception {
        Path disk = DiskPoolLabelTest.disk(dir);
        PoolVolumeMap first = new PoolVolumeMap(pool, 0, List.of(volume("kept", new PoolVolumeMap.Extent(0, MIB, MIB))))
                .writeTo(disk);
        new PoolVolumeMap(pool, 0, List.of()).writeTo(disk);
        try (RandomAccessFile raf = new RandomAccessFile(disk.toFile(), "rw")) {
            // generation 2 went to the second slot; a crash cut it short
            raf.seek(PoolVolumeMap.SLOT_OFFSETS[1] + 30);
            raf.write(new byte[64]);
        }

        assertThat(PoolVolumeMap.readFrom(disk, pool)).contains(first);
    }

    @Test
    void a_map_of_another_pool_is_not_this_pools_map(@TempDir Path dir) throws Exception {
        Path disk = DiskPoolLabelTest.disk(dir);
        new PoolVolumeMap(UUID.randomUUID(), 0, List.of()).writeTo(disk);
        assertThat(PoolVolumeMap.readFrom(disk, pool)).isEmpty();
    }

    @Test
    void every_flipped_bit_makes_the_slot_unreadable_rather_than_wrong() {
        ByteBuffer slot = new PoolVolumeMap(pool, 4, List.of(volume("v", new PoolVolumeMap.Extent(0, MIB, MIB)))).encode();
        int length = slot.remaining();
        for (int bit = 0; bit < 8 * length; bit++) {
            ByteBuffer copy = ByteBuffer.allocate(length).put(slot.duplicate());
            copy.put(bit / 8, (byte) (copy.get(bit / 8) ^ (1 << (bit % 8))));
            copy.clear();
            assertThat(PoolVolumeMap.decode(copy)).as("bit %d flipped", bit).isEmpty();
        }
    }

    @Test
    void a_map_that_does_not_fit_between_label_and_data_is_refused_not_cut() {
        List<PoolVolumeMap.Volume> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            many.add(volume("volume-with-a-long-name-" + i, new PoolVolumeMap.Extent(0, MIB * (i + 1), MIB)));
        }
        assertThatThrownBy(() -> new PoolVolumeMap(pool, 0, many).encode())
                .isInstanceOf(PoolVolumeMap.MapFullException.class);
    }

    private static PoolVolumeMap.Volume volume(String name, PoolVolumeMap.Extent... extents) {
        long size = List.of(extents).stream().mapToLong(PoolVolumeMap.Extent::length).sum();
        return new PoolVolumeMap.Volume(UUID.randomUUID(), name, size, false, List.of(extents));
    }
}
