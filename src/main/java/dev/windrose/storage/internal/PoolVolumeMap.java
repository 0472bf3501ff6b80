package dev.windrose.storage.internal;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The volumes of a DISK pool and their extents, kept on every member disk behind the {@link DiskPoolLabel},
 * so a pool whose database is gone can be imported with its volumes. Extents name disks by member index,
 * not by database id.
 *
 * <p>There are two slots ({@link #SLOT_OFFSETS}); a write goes to the slot that does not hold the newest
 * valid map, with the next generation, so a write torn by a crash leaves the previous map readable. Slot
 * layout (little endian): magic "WRVMAP01" (8), format version u32, generation u64, payload length u32, the
 * payload, then the CRC32C of everything before it (u32). Payload: pool UUID (16), volume count u32, per
 * volume its UUID (16), name length u16 and UTF-8 name, size u64, thin flag u8, extent count u32 and per
 * extent the member index u32, start u64 and length u64.
 */
public record PoolVolumeMap(UUID poolUuid, long generation, List<Volume> volumes) {

    /** One volume as the map records it. */
    public record Volume(UUID uuid, String name, long sizeBytes, boolean thin, List<Extent> extents) {
    }

    /** {@code length} bytes from {@code start} of the pool's member {@code memberIndex}. */
    public record Extent(int memberIndex, long start, long length) {
    }

    /** The map fills no more than the space between the label and the data. */
    public static final class MapFullException extends RuntimeException {
        MapFullException(int bytes) {
            super("The volume map needs " + bytes + " bytes; a slot holds " + SLOT_BYTES + ".");
        }
    }

    static final long[] SLOT_OFFSETS = {64 * 1024, 544 * 1024};
    static final int SLOT_BYTES = 480 * 1024;
    static final long AREA_END = DiskPoolLabel.DATA_OFFSET;
    static final int VERSION = 1;
    private static final byte[] MAGIC = "WRVMAP01".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BYTES = MAGIC.length + Integer.BYTES + Long.BYTES + Integer.BYTES;
    private static final int MAX_NAME_BYTES = 255;

    public PoolVolumeMap {
        volumes = List.copyOf(volumes);
    }

    /** The newest valid map of this pool on a device, if any slot holds one. */
    public static Optional<PoolVolumeMap> readFrom(Path device, UUID poolUuid) throws IOException {
        try (FileChannel channel = FileChannel.open(device, StandardOpenOption.READ)) {
            return newest(readSlots(channel), poolUuid);
        }
    }

    /**
     * Writes this map as the next generation into the older slot and forces it to the medium.
     *
     * @return the map as written, with its generation
     */
    public PoolVolumeMap writeTo(Path device) throws IOException {
        try (FileChannel channel = FileChannel.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            List<Optional<PoolVolumeMap>> slots = readSlots(channel);
            int target = 0;
            long newestGeneration = 0;
            for (int slot = 0; slot < slots.size(); slot++) {
                Optional<PoolVolumeMap> map = slots.get(slot).filter(m -> m.poolUuid.equals(poolUuid));
                if (map.isPresent() && map.get().generation >= newestGeneration) {
                    newestGeneration = map.get().generation;
                    target = 1 - slot;
                }
            }
            PoolVolumeMap next = new PoolVolumeMap(poolUuid, newestGeneration + 1, volumes);
            ByteBuffer bytes = next.encode();
            long offset = SLOT_OFFSETS[target];
            while (bytes.hasRemaining()) {
                channel.write(bytes, offset + bytes.position());
            }
            channel.force(true);
            return next;
        }
    }

    private static List<Optional<PoolVolumeMap>> readSlots(FileChannel channel) throws IOException {
        List<Optional<PoolVolumeMap>> slots = new ArrayList<>();
        for (long offset : SLOT_OFFSETS) {
            ByteBuffer slot = ByteBuffer.allocate(SLOT_BYTES);
            while (slot.hasRemaining() && channel.read(slot, offset + slot.position()) > 0) {
                // keep reading: a block device may return short reads
            }
            slot.flip();
            slots.add(decode(slot));
        }
        return slots;
    }

    static Optional<PoolVolumeMap> newest(List<Optional<PoolVolumeMap>> slots, UUID poolUuid) {
        return slots.stream().flatMap(Optional::stream).filter(map -> map.poolUuid.equals(poolUuid))
                .max((a, b) -> Long.compare(a.generation, b.generation));
    }

    ByteBuffer encode() {
        ByteBuffer payload = ByteBuffer.allocate(SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try {
            payload.putLong(poolUuid.getMostSignificantBits()).putLong(poolUuid.getLeastSignificantBits())
                    .putInt(volumes.size());
            for (Volume volume : volumes) {
                byte[] name = volume.name().getBytes(StandardCharsets.UTF_8);
                payload.putLong(volume.uuid().getMostSignificantBits()).putLong(volume.uuid().getLeastSignificantBits())
                        .putShort((short) name.length).put(name).putLong(volume.sizeBytes())
                        .put((byte) (volume.thin() ? 1 : 0)).putInt(volume.extents().size());
                for (Extent extent : volume.extents()) {
                    payload.putInt(extent.memberIndex()).putLong(extent.start()).putLong(extent.length());
                }
            }
        } catch (java.nio.BufferOverflowException e) {
            throw new MapFullException(Integer.MAX_VALUE);
        }
        int payloadLength = payload.position();
        int total = HEADER_BYTES + payloadLength + Integer.BYTES;
        if (total > SLOT_BYTES) {
            throw new MapFullException(total);
        }
        ByteBuffer slot = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        slot.put(MAGIC).putInt(VERSION).putLong(generation).putInt(payloadLength).put(payload.array(), 0, payloadLength);
        slot.putInt((int) DiskPoolLabel.crc(slot.array(), slot.position()));
        slot.flip();
        return slot;
    }

    /** Nothing is trusted before the checksum matches; every count is bounded by the bytes that remain. */
    static Optional<PoolVolumeMap> decode(ByteBuffer raw) {
        ByteBuffer slot = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (slot.remaining() < HEADER_BYTES + Integer.BYTES) {
            return Optional.empty();
        }
        byte[] magic = new byte[MAGIC.length];
        slot.get(magic);
        int version = slot.getInt();
        long generation = slot.getLong();
        int payloadLength = slot.getInt();
        if (!Arrays.equals(magic, MAGIC) || version != VERSION || payloadLength < 0
                || payloadLength > slot.remaining() - Integer.BYTES) {
            return Optional.empty();
        }
        int checked = HEADER_BYTES + payloadLength;
        byte[] prefix = new byte[checked];
        slot.duplicate().position(0).get(prefix);
        long stored = Integer.toUnsignedLong(slot.getInt(checked));
        if (stored != DiskPoolLabel.crc(prefix, checked)) {
            return Optional.empty();
        }
        ByteBuffer payload = ByteBuffer.wrap(prefix, HEADER_BYTES, payloadLength).slice().order(ByteOrder.LITTLE_ENDIAN);
        try {
            return Optional.of(decodePayload(payload, generation));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            // A checksum that matches garbage written by a buggy writer: still not a map to trust.
            return Optional.empty();
        }
    }

    private static PoolVolumeMap decodePayload(ByteBuffer payload, long generation) {
        UUID pool = new UUID(payload.getLong(), payload.getLong());
        int count = payload.getInt();
        if (count < 0 || count > payload.remaining()) {
            throw new IllegalArgumentException("volume count " + count);
        }
        List<Volume> volumes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            UUID uuid = new UUID(payload.getLong(), payload.getLong());
            int nameLength = Short.toUnsignedInt(payload.getShort());
            if (nameLength > MAX_NAME_BYTES) {
                throw new IllegalArgumentException("name length " + nameLength);
            }
            byte[] name = new byte[nameLength];
            payload.get(name);
            long size = payload.getLong();
            boolean thin = payload.get() != 0;
            int extentCount = payload.getInt();
            if (extentCount < 0 || extentCount > payload.remaining()) {
                throw new IllegalArgumentException("extent count " + extentCount);
            }
            List<Extent> extents = new ArrayList<>(extentCount);
            for (int e = 0; e < extentCount; e++) {
                extents.add(new Extent(payload.getInt(), payload.getLong(), payload.getLong()));
            }
            volumes.add(new Volume(uuid, new String(name, StandardCharsets.UTF_8), size, thin, List.copyOf(extents)));
        }
        return new PoolVolumeMap(pool, generation, volumes);
    }
}
