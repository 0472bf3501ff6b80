package dev.windrose.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskPoolLabelTest {

    @Test
    void a_written_label_is_read_back_and_a_wiped_one_is_gone(@TempDir Path dir) throws Exception {
        Path disk = disk(dir);
        DiskPoolLabel label = new DiskPoolLabel(UUID.randomUUID(), "fast-pool", 1, 3);
        label.writeTo(disk);
        assertThat(DiskPoolLabel.readFrom(disk)).contains(label);
        DiskPoolLabel.wipe(disk);
        assertThat(DiskPoolLabel.readFrom(disk)).isEmpty();
    }

    @Test
    void a_blank_disk_has_no_label(@TempDir Path dir) throws Exception {
        assertThat(DiskPoolLabel.readFrom(disk(dir))).isEmpty();
    }

    @Test
    void a_single_flipped_bit_makes_the_label_invalid_rather_than_wrong() {
        DiskPoolLabel label = new DiskPoolLabel(UUID.randomUUID(), "p", 0, 1);
        ByteBuffer block = label.encode();
        // magic 8 + three u32 + UUID 16 + name length 2 + name 1 + CRC32C 4: every bit the label consists of
        int labelBytes = 8 + 12 + 16 + 2 + 1 + 4;
        for (int bit = 0; bit < 8 * labelBytes; bit++) {
            ByteBuffer copy = ByteBuffer.allocate(block.capacity()).put(block.duplicate());
            copy.put(bit / 8, (byte) (copy.get(bit / 8) ^ (1 << (bit % 8))));
            copy.clear();
            assertThat(DiskPoolLabel.decode(copy)).as("bit %d flipped", bit).isEmpty();
        }
    }

    @Test
    void a_label_whose_name_length_points_past_the_block_is_rejected() {
        ByteBuffer block = new DiskPoolLabel(UUID.randomUUID(), "p", 0, 1).encode();
        block.putShort(8 + 12 + 16, (short) 0xFFFF);
        assertThat(DiskPoolLabel.decode(block)).isEmpty();
    }

    private static Path disk(Path dir) throws Exception {
        Path disk = dir.resolve("disk.img");
        try (RandomAccessFile raf = new RandomAccessFile(disk.toFile(), "rw")) {
            raf.setLength(2 * 1024 * 1024);
        }
        return disk;
    }
}
