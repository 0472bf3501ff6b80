package dev.windrose.dataplane;

import org.jspecify.annotations.Nullable;

/**
 * A namespace to attach to a subsystem.
 *
 * @param nsid 1..1024
 * @param path the file or device for {@link BlockDeviceKind#FILE}, otherwise null
 * @param blockSize 0 for 512
 * @param nguid 16 bytes, or null to derive a stable one from (subsystem NQN, nsid)
 * @param uuid 16 bytes, or null to derive a stable one
 * @param anaGroup 0 for group 1
 */
public record NamespaceSpec(int nsid, BlockDeviceKind kind, @Nullable String path, long sizeBytes, int blockSize,
        byte @Nullable [] nguid, byte @Nullable [] uuid, int anaGroup) {

    public static final int MAX_NSID = 1024;

    public NamespaceSpec {
        if (nsid < 1 || nsid > MAX_NSID) {
            throw new IllegalArgumentException("nsid must be 1.." + MAX_NSID + ", not " + nsid);
        }
        if (kind == BlockDeviceKind.FILE && (path == null || path.isBlank())) {
            throw new IllegalArgumentException("a FILE namespace needs a path");
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
        return new NamespaceSpec(nsid, BlockDeviceKind.RAM, null, sizeBytes, 0, null, null, 0);
    }

    public static NamespaceSpec nullDevice(int nsid, long sizeBytes) {
        return new NamespaceSpec(nsid, BlockDeviceKind.NULL, null, sizeBytes, 0, null, null, 0);
    }

    public static NamespaceSpec file(int nsid, String path, long sizeBytes) {
        return new NamespaceSpec(nsid, BlockDeviceKind.FILE, path, sizeBytes, 0, null, null, 0);
    }
}
