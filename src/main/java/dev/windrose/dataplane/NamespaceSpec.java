package dev.windrose.dataplane;

import org.jspecify.annotations.Nullable;

/**
 * A namespace to attach to a subsystem.
 *
 * @param nsid 1..1024
 * @param path the file or device for {@link BlockDeviceKind#FILE} and {@link BlockDeviceKind#EXTENT}, otherwise null
 * @param blockSize 0 for 512
 * @param nguid 16 bytes, or null to derive a stable one from (subsystem NQN, nsid)
 * @param uuid 16 bytes, or null to derive a stable one
 * @param anaGroup 0 for group 1
 * @param offsetBytes where an {@link BlockDeviceKind#EXTENT} starts in its file or device (> 0); 0 otherwise
 */
public record NamespaceSpec(int nsid, BlockDeviceKind kind, @Nullable String path, long sizeBytes, int blockSize,
        byte @Nullable [] nguid, byte @Nullable [] uuid, int anaGroup, long offsetBytes) {

    public static final int MAX_NSID = 1024;

    public NamespaceSpec {
        if (nsid < 1 || nsid > MAX_NSID) {
            throw new IllegalArgumentException("nsid must be 1.." + MAX_NSID + ", not " + nsid);
        }
        if ((kind == BlockDeviceKind.FILE || kind == BlockDeviceKind.EXTENT) && (path == null || path.isBlank())) {
            throw new IllegalArgumentException("a " + kind + " namespace needs a path");
        }
        if (kind == BlockDeviceKind.EXTENT ? offsetBytes <= 0 || sizeBytes <= 0 : offsetBytes != 0) {
            throw new IllegalArgumentException("an EXTENT namespace has an offset above 0 and a size; others have no offset");
        }
        if (sizeBytes < 0 || blockSize < 0 || anaGroup < 0) {
            throw new IllegalArgumentException("size, block size and ANA group cannot be negative");
        }
        if ((nguid != null && nguid.length != 16) || (uuid != null && uuid.length != 16)) {
            throw new IllegalArgumentException("nguid and uuid have 16 bytes");
        }
        nguid = nguid == null ? null : nguid.clone();
        uuid = uuid == null ? null : uuid.clone();
    }

    public static NamespaceSpec ram(int nsid, long sizeBytes) {
        return new NamespaceSpec(nsid, BlockDeviceKind.RAM, null, sizeBytes, 0, null, null, 0, 0);
    }

    public static NamespaceSpec nullDevice(int nsid, long sizeBytes) {
        return new NamespaceSpec(nsid, BlockDeviceKind.NULL, null, sizeBytes, 0, null, null, 0, 0);
    }

    public static NamespaceSpec file(int nsid, String path, long sizeBytes) {
        return new NamespaceSpec(nsid, BlockDeviceKind.FILE, path, sizeBytes, 0, null, null, 0, 0);
    }

    /** Bytes [offsetBytes, offsetBytes + sizeBytes) of the file or device at path. */
    public static NamespaceSpec extent(int nsid, String path, long offsetBytes, long sizeBytes) {
        return new NamespaceSpec(nsid, BlockDeviceKind.EXTENT, path, sizeBytes, 0, null, null, 0, offsetBytes);
    }
}
