package dev.windrose.storage.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The small label at the start of every disk of a DISK pool, so the pool can be recognised again (after a
 * database loss, or on another host). It takes the first 4 KiB; the pool's volume map ({@link PoolVolumeMap})
 * follows in the rest of the first MiB; data starts at {@link #DATA_OFFSET}, 1 MiB in, which keeps extents
 * aligned for every sector size.
 *
 * <p>Layout (little endian): magic "WRPOOL01" (8), format version u32, member index u32, member count u32,
 * pool UUID (16), name length u16 and UTF-8 name (up to 64); from version 2 on, this member's data offset
 * and data length (u64 each); then the CRC32C of everything before it (u32). Version 1 labels (no data
 * region, no volume map) are still read, so such a pool is recognised, though it cannot be imported.
 */
public record DiskPoolLabel(int version, UUID poolUuid, String poolName, int memberIndex, int memberCount,
        long dataOffsetBytes, long dataBytes) {

    public static final long DATA_OFFSET = 1024 * 1024;
    public static final int VERSION = 2;
    static final int SIZE = 4096;
    private static final int FIRST_VERSION = 1;
    private static final byte[] MAGIC = "WRPOOL01".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_NAME_BYTES = 64;

    public DiskPoolLabel {
        if (poolName.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("pool name longer than " + MAX_NAME_BYTES + " bytes");
        }
    }

    /** A label of the current version. */
    public DiskPoolLabel(UUID poolUuid, String poolName, int memberIndex, int memberCount, long dataOffsetBytes,
            long dataBytes) {
        this(VERSION, poolUuid, poolName, memberIndex, memberCount, dataOffsetBytes, dataBytes);
    }

    /** Version 1 labels predate the volume map: the pool's volumes cannot be recovered from them. */
    public boolean holdsVolumeMap() {
        return version >= 2;
    }

    /** Writes the label and forces it to the medium: a pool is only created once its labels are durable. */
    public void writeTo(Path device) throws IOException {
        try (FileChannel channel = FileChannel.open(device, StandardOpenOption.WRITE)) {
            ByteBuffer block = encode();
            while (block.hasRemaining()) {
                channel.write(block, block.position());
            }
            channel.force(true);
        }
    }

    /** The label on a disk, if there is a valid one: wrong magic or checksum means none. */
    public static Optional<DiskPoolLabel> readFrom(Path device) throws IOException {
        try (FileChannel channel = FileChannel.open(device, StandardOpenOption.READ)) {
            ByteBuffer block = ByteBuffer.allocate(SIZE);
            while (block.hasRemaining() && channel.read(block, block.position()) > 0) {
                // keep reading: a block device may return short reads
            }
            block.flip();
            return decode(block);
        }
    }

    /** Zeroes the label and the volume map, so a disk given back is not mistaken for a pool member. */
    public static void wipe(Path device) throws IOException {
        try (FileChannel channel = FileChannel.open(device, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate((int) PoolVolumeMap.AREA_END);
            while (zeros.hasRemaining()) {
                channel.write(zeros, zeros.position());
            }
            channel.force(true);
        }
    }

    /** Always in the current version: an older label is rewritten in the new layout. */
    ByteBuffer encode() {
        ByteBuffer block = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        byte[] name = poolName.getBytes(StandardCharsets.UTF_8);
        block.put(MAGIC).putInt(VERSION).putInt(memberIndex).putInt(memberCount)
                .putLong(poolUuid.getMostSignificantBits()).putLong(poolUuid.getLeastSignificantBits())
                .putShort((short) name.length).put(name)
                .putLong(dataOffsetBytes).putLong(dataBytes);
        int checked = block.position();
        block.putInt((int) crc(block.array(), checked));
        block.clear();
        return block;
    }

    static Optional<DiskPoolLabel> decode(ByteBuffer raw) {
        ByteBuffer block = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        // Fixed part: magic, three u32, UUID, name length.
        int fixed = MAGIC.length + 3 * Integer.BYTES + 2 * Long.BYTES + Short.BYTES;
        if (block.remaining() < fixed + Integer.BYTES) {
            return Optional.empty();
        }
        byte[] magic = new byte[MAGIC.length];
        block.get(magic);
        int version = block.getInt();
        if (!Arrays.equals(magic, MAGIC) || version < FIRST_VERSION || version > VERSION) {
            return Optional.empty();
        }
        int index = block.getInt();
        int count = block.getInt();
        UUID uuid = new UUID(block.getLong(), block.getLong());
        int nameLength = Short.toUnsignedInt(block.getShort());
        int regionBytes = version >= 2 ? 2 * Long.BYTES : 0;
        // Check the length before reading: a corrupt label must not make us read past it.
        if (nameLength > MAX_NAME_BYTES || block.remaining() < nameLength + regionBytes + Integer.BYTES) {
            return Optional.empty();
        }
        byte[] name = new byte[nameLength];
        block.get(name);
        long dataOffset = version >= 2 ? block.getLong() : DATA_OFFSET;
        long dataBytes = version >= 2 ? block.getLong() : 0;
        int checked = block.position();
        long stored = Integer.toUnsignedLong(block.getInt());
        byte[] prefix = new byte[checked];
        raw.duplicate().get(prefix);
        if (stored != crc(prefix, checked) || index < 0 || count <= index || dataOffset < 0 || dataBytes < 0) {
            return Optional.empty();
        }
        return Optional.of(new DiskPoolLabel(version, uuid, new String(name, StandardCharsets.UTF_8), index, count,
                dataOffset, dataBytes));
    }

    static long crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
