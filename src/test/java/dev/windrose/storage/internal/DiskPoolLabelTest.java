package dev.windrose.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskPoolLabelTest {

    static final long MIB = 1024 * 1024;

    @Test
    void a_written_label_is_read_back_and_a_wiped_one_is_gone_with_its_volume_map(@TempDir Path dir) throws Exception {
        Path disk = disk(dir);
        DiskPoolLabel label = new DiskPoolLabel(UUID.randomUUID(), "fast-pool", 1, 3, MIB, 7 * MIB);
        label.writeTo(disk);
        new PoolVolumeMap(label.poolUuid(), 0, List.of()).writeTo(disk);
        assertThat(DiskPoolLabel.readFrom(disk)).contains(label);
        assertThat(label.holdsVolumeMap()).isTrue();

        DiskPoolLabel.wipe(disk);

        assertThat(DiskPoolLabel.readFrom(disk)).isEmpty();
        assertThat(PoolVolumeMap.readFrom(disk, label.poolUuid())).isEmpty();
    }

    @Test
    void a_blank_disk_has_no_label(@TempDir Path dir) throws Exception {
        assertThat(DiskPoolLabel.readFrom(disk(dir))).isEmpty();
    }

    @Test
    void a_version_1_label_is_still_recognised_but_says_it_holds_no_volume_map() {
        UUID pool = UUID.randomUUID();
        ByteBuffer block = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        block.put("WRPOOL01".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(0).putInt(2)
                .putLong(pool.getMostSignificantBits()).putLong(pool.getLeastSignificantBits())
                .putShort((short) 3).put("old".getBytes(StandardCharsets.UTF_8));
        CRC32C crc = new CRC32C();
        crc.update(block.array(), 0, block.position());
        block.putInt((int) crc.getValue()).clear();

        DiskPoolLabel label = DiskPoolLabel.decode(block).orElseThrow();

        assertThat(label.version()).isEqualTo(1);
        assertThat(label.poolName()).isEqualTo("old");
        assertThat(label.memberCount()).isEqualTo(2);
        assertThat(label.holdsVolumeMap()).isFalse();
    }

    @Test
    void a_single_flipped_bit_makes_the_label_invalid_rather_than_wrong() {
        DiskPoolLabel label = new DiskPoolLabel(UUID.randomUUID(), "p", 0, 1, MIB, 5 * MIB);
        ByteBuffer block = label.encode();
        // magic 8 + three u32 + UUID 16 + name length 2 + name 1 + data region 16 + CRC32C 4
        int labelBytes = 8 + 12 + 16 + 2 + 1 + 16 + 4;
        for (int bit = 0; bit < 8 * labelBytes; bit++) {
            ByteBuffer copy = ByteBuffer.allocate(block.capacity()).put(block.duplicate());
            copy.put(bit / 8, (byte) (copy.get(bit / 8) ^ (1 << (bit % 8))));
            copy.clear();
            assertThat(DiskPoolLabel.decode(copy)).as("bit %d flipped", bit).isEmpty();
        }
    }

    @Test
    void a_label_whose_name_length_points_past_the_block_is_rejected() {
        ByteBuffer block = new DiskPoolLabel(UUID.randomUUID(), "p", 0, 1, MIB, MIB).encode();
        block.putShort(8 + 12 + 16, (short) 0xFFFF);
        assertThat(DiskPoolLabel.decode(block)).isEmpty();
    }

    static Path disk(Path dir) throws Exception {
        Path disk = dir.resolve("disk.img");
        try (RandomAccessFile raf = new RandomAccessFile(disk.toFile(), "rw")) {
            raf.setLength(2 * MIB);
        }
        return disk;
    }
}
