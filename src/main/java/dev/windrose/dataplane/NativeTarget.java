package dev.windrose.dataplane;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A wr_target handle with a safe lifecycle: calls share a read lock, close takes the write lock,
 * so the C target is never destroyed under a running call and never used after. Results the C side
 * writes into buffers are copied into records here; the buffers live in a call's confined arena.
 */
final class NativeTarget implements DataplaneTarget {

    private static final int ENOSPC = 28;
    /** A snapshot can grow between the size query and the copy; a few retries settle it. */
    private static final int SNAPSHOT_ATTEMPTS = 4;
    private static final long SNAPSHOT_HEADROOM = 16 * 1024;
    private static final int INITIAL_LIST_CAPACITY = 16;

    private final NativeDataplane dataplane;
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private @Nullable MemorySegment handle;

    NativeTarget(NativeDataplane dataplane, MemorySegment handle) {
        this.dataplane = dataplane;
        this.handle = handle;
    }

    @Override
    public void createSubsystem(String nqn, @Nullable String serial, @Nullable String model, boolean allowAnyHost) {
        run(target -> dataplane.subsystemCreate(target, nqn, serial, model, allowAnyHost ? 1 : 0));
    }

    @Override
    public void deleteSubsystem(String nqn) {
        run(target -> dataplane.subsystemDelete(target, nqn));
    }

    @Override
    public void setAllowAnyHost(String nqn, boolean allowAnyHost) {
        run(target -> dataplane.subsystemSetAllowAnyHost(target, nqn, allowAnyHost));
    }

    @Override
    public void allowHost(String nqn, String hostNqn) {
        run(target -> dataplane.hostAllow(target, nqn, hostNqn));
    }

    @Override
    public void disallowHost(String nqn, String hostNqn) {
        run(target -> dataplane.hostDisallow(target, nqn, hostNqn));
    }

    @Override
    public void setHostDhchap(String nqn, String hostNqn, @Nullable String hostSecret,
            @Nullable String previousHostSecret, @Nullable String ctrlSecret) {
        run(target -> dataplane.hostSetDhchap(target, nqn, hostNqn, hostSecret, previousHostSecret, ctrlSecret));
    }

    @Override
    public void setDhchapPolicy(String nqn, int hashMask, int dhGroupMask) {
        run(target -> dataplane.subsystemSetDhchapPolicy(target, nqn, hashMask, dhGroupMask));
    }

    @Override
    public void setPortTls(String address, int port, TlsMode mode) {
        run(target -> dataplane.portSetTls(target, address, port, mode.code));
    }

    @Override
    public TlsMode portTls(String address, int port) {
        return TlsMode.of(call(target -> dataplane.portGetTls(target, address, port)));
    }

    @Override
    public void setHostTlsPsk(String nqn, String hostNqn, @Nullable String psk, TlsPskDerivation v0Derivation) {
        run(target -> dataplane.hostSetTlsPsk(target, nqn, hostNqn, psk, v0Derivation.code));
    }

    @Override
    public void addNamespace(String nqn, NamespaceSpec namespace) {
        run(target -> dataplane.nsAdd(target, nqn, namespace));
    }

    @Override
    public void addMirroredNamespace(String nqn, NamespaceSpec local, MirrorLeg remote) {
        if (local.kind() == BlockDeviceKind.NULL) {
            throw new IllegalArgumentException("a mirror's local leg holds data: RAM, FILE or EXTENT, not NULL");
        }
        run(target -> dataplane.nsAddMirror(target, nqn, local, remote));
    }

    @Override
    public MirrorStatus mirrorStatus(String nqn, int nsid) {
        return call(target -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment s = arena.allocate(StatsLayouts.MIRROR_STATUS);
                dataplane.nsMirrorStatus(target, nqn, nsid, s);
                StructLayout l = StatsLayouts.MIRROR_STATUS;
                return new MirrorStatus(MirrorStatus.State.of(s.get(JAVA_INT, offset(l, "state"))),
                        s.get(JAVA_INT, offset(l, "last_error")), s.get(JAVA_LONG, offset(l, "region_bytes")),
                        s.get(JAVA_LONG, offset(l, "total_regions")), s.get(JAVA_LONG, offset(l, "dirty_regions")),
                        s.get(JAVA_LONG, offset(l, "resync_done")), s.get(JAVA_LONG, offset(l, "resync_total")),
                        s.get(JAVA_LONG, offset(l, "degraded_count")), s.get(JAVA_LONG, offset(l, "remote_ios")),
                        s.get(JAVA_INT, offset(l, "holding")) != 0);
            }
        });
    }

    @Override
    public void releaseMirror(String nqn, int nsid) {
        run(target -> dataplane.nsMirrorRelease(target, nqn, nsid));
    }

    @Override
    public void resyncMirror(String nqn, int nsid) {
        run(target -> dataplane.nsMirrorResync(target, nqn, nsid));
    }

    @Override
    public void removeNamespace(String nqn, int nsid) {
        run(target -> dataplane.nsRemove(target, nqn, nsid));
    }

    @Override
    public void resizeNamespace(String nqn, int nsid, long sizeBytes) {
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("a namespace size cannot be negative: " + sizeBytes);
        }
        run(target -> dataplane.nsResize(target, nqn, nsid, sizeBytes));
    }

    @Override
    public void setNamespaceAnaGroup(String nqn, int nsid, int anaGroup) {
        run(target -> dataplane.nsSetAnaGroup(target, nqn, nsid, anaGroup));
    }

    @Override
    public int addListener(String nqn, String address, int port) {
        return call(target -> dataplane.listenerAdd(target, nqn, address, port));
    }

    @Override
    public void removeListener(String nqn, String address, int port) {
        run(target -> dataplane.listenerRemove(target, nqn, address, port));
    }

    @Override
    public void setListenerAnaState(String nqn, String address, int port, int anaGroup, AnaState state) {
        run(target -> dataplane.listenerSetAnaState(target, nqn, address, port, anaGroup, state.code));
    }

    @Override
    public void setNewListenerAnaState(String nqn, int anaGroup, AnaState state) {
        run(target -> dataplane.subsystemSetAnaDefault(target, nqn, anaGroup, state.code));
    }

    @Override
    public AnaState listenerAnaState(String nqn, String address, int port, int anaGroup) {
        return AnaState.of(call(target -> dataplane.listenerGetAnaState(target, nqn, address, port, anaGroup)));
    }

    @Override
    public void setControllerIdRange(ControllerIdRange range) {
        run(target -> dataplane.targetSetCntlidRange(target, range));
    }

    @Override
    public List<ControllerInfo> controllers() {
        return call(target -> readList(StatsLayouts.CTRLR_INFO,
                (out, max) -> dataplane.listControllers(target, out, max), NativeTarget::controller));
    }

    @Override
    public List<QueuePairStats> queuePairs() {
        return call(target -> readList(StatsLayouts.QPAIR_STATS,
                (out, max) -> dataplane.listQpairs(target, out, max), NativeTarget::queuePair));
    }

    @Override
    public NetworkCounters networkCounters() {
        return call(dataplane::netCounters);
    }

    @Override
    public StatsSnapshot stats() {
        return call(this::snapshot);
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (handle != null) {
                dataplane.targetDestroy(handle);
                handle = null;
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    // --- lifecycle --------------------------------------------------------------------------

    private void run(java.util.function.Consumer<MemorySegment> action) {
        call(target -> {
            action.accept(target);
            return null;
        });
    }

    private <T> T call(Function<MemorySegment, T> action) {
        lifecycle.readLock().lock();
        try {
            MemorySegment target = handle;
            if (target == null) {
                throw new DataplaneException("The dataplane target is closed.");
            }
            return action.apply(target);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    // --- reading C structures ----------------------------------------------------------------

    private interface Lister {
        long list(MemorySegment out, int max);
    }

    private interface Reader<T> {
        T read(MemorySegment element);
    }

    /** Lists into a buffer, growing it while the C side reports more entries than fit. */
    private static <T> List<T> readList(StructLayout layout, Lister lister, Reader<T> reader) {
        int capacity = INITIAL_LIST_CAPACITY;
        for (int attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(layout, capacity);
                long count = lister.list(buffer, capacity);
                if (count <= capacity) {
                    List<T> items = new ArrayList<>((int) count);
                    for (long i = 0; i < count; i++) {
                        items.add(reader.read(buffer.asSlice(i * layout.byteSize(), layout.byteSize())));
                    }
                    return items;
                }
                capacity = (int) Math.min(Integer.MAX_VALUE, count + INITIAL_LIST_CAPACITY);
            }
        }
        throw new DataplaneException("The list kept growing while being read; try again.");
    }

    private StatsSnapshot snapshot(MemorySegment target) {
        long size = dataplane.statsSize(target) + SNAPSHOT_HEADROOM;
        for (int attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(size, 8);
                long used = dataplane.statsSnapshot(target, buffer);
                if (used >= 0) {
                    return parseSnapshot(buffer.asSlice(0, used));
                }
                if (used != -ENOSPC) {
                    throw new DataplaneException("wr_target_stats_snapshot", (int) -used);
                }
                size = Math.max(size * 2, buffer.get(JAVA_LONG, offset(StatsLayouts.STATS_HEADER, "total_size"))
                        + SNAPSHOT_HEADROOM);
            }
        }
        throw new DataplaneException("The statistics kept growing while being read; try again.");
    }

    static StatsSnapshot parseSnapshot(MemorySegment buffer) {
        StructLayout header = StatsLayouts.STATS_HEADER;
        int magic = buffer.get(JAVA_INT, offset(header, "magic"));
        if (magic != 0x57525354) {
            throw new DataplaneException("The statistics buffer does not start with WR_STATS_MAGIC.");
        }
        List<StatsSnapshot.Reactor> reactors = readArray(buffer, header, "reactor_count", "reactor_offset",
                StatsLayouts.REACTOR_STATS, NativeTarget::reactor);
        List<StatsSnapshot.Namespace> namespaces = readArray(buffer, header, "ns_count", "ns_offset",
                StatsLayouts.NS_STATS, NativeTarget::namespace);
        List<QueuePairStats> queuePairs = readArray(buffer, header, "qpair_count", "qpair_offset",
                StatsLayouts.QPAIR_STATS, NativeTarget::queuePair);
        return new StatsSnapshot(buffer.get(JAVA_LONG, offset(header, "target_epoch")),
                buffer.get(JAVA_LONG, offset(header, "timestamp_ns")), reactors, namespaces, queuePairs);
    }

    private static <T> List<T> readArray(MemorySegment buffer, StructLayout header, String countField,
            String offsetField, StructLayout element, Reader<T> reader) {
        long count = Integer.toUnsignedLong(buffer.get(JAVA_INT, offset(header, countField)));
        long start = buffer.get(JAVA_LONG, offset(header, offsetField));
        if (start < 0 || start + count * element.byteSize() > buffer.byteSize()) {
            throw new DataplaneException("The statistics buffer is inconsistent: " + countField + " " + count
                    + " at " + start + " exceeds " + buffer.byteSize() + " bytes.");
        }
        List<T> items = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            items.add(reader.read(buffer.asSlice(start + i * element.byteSize(), element.byteSize())));
        }
        return items;
    }

    private static StatsSnapshot.Reactor reactor(MemorySegment s) {
        StructLayout l = StatsLayouts.REACTOR_STATS;
        return new StatsSnapshot.Reactor(s.get(JAVA_INT, offset(l, "reactor_id")), s.get(JAVA_INT, offset(l, "qpair_count")),
                s.get(JAVA_LONG, offset(l, "busy_ns")), s.get(JAVA_LONG, offset(l, "idle_ns")),
                s.get(JAVA_LONG, offset(l, "polls")), s.get(JAVA_LONG, offset(l, "sleeps")));
    }

    private static StatsSnapshot.Namespace namespace(MemorySegment s) {
        StructLayout l = StatsLayouts.NS_STATS;
        return new StatsSnapshot.Namespace(text(s, l, "subnqn"), s.get(JAVA_INT, offset(l, "nsid")),
                direction(s.asSlice(offset(l, "read"), StatsLayouts.DIR_STATS.byteSize())),
                direction(s.asSlice(offset(l, "write"), StatsLayouts.DIR_STATS.byteSize())),
                s.get(JAVA_LONG, offset(l, "other_ops")), s.get(JAVA_LONG, offset(l, "other_errors")));
    }

    private static StatsSnapshot.Direction direction(MemorySegment s) {
        StructLayout l = StatsLayouts.DIR_STATS;
        long[] histogram = s.asSlice(offset(l, "lat_hist"), (long) StatsLayouts.HIST_BUCKETS * Long.BYTES)
                .toArray(JAVA_LONG);
        return new StatsSnapshot.Direction(s.get(JAVA_LONG, offset(l, "ops")), s.get(JAVA_LONG, offset(l, "bytes")),
                s.get(JAVA_LONG, offset(l, "errors")), new LatencyHistogram(histogram));
    }

    private static QueuePairStats queuePair(MemorySegment s) {
        StructLayout l = StatsLayouts.QPAIR_STATS;
        return new QueuePairStats(text(s, l, "subnqn"), text(s, l, "hostnqn"), text(s, l, "peer_addr"),
                Short.toUnsignedInt(s.get(JAVA_SHORT, offset(l, "cntlid"))),
                Short.toUnsignedInt(s.get(JAVA_SHORT, offset(l, "qid"))), s.get(JAVA_INT, offset(l, "reactor_id")),
                Instant.ofEpochMilli(s.get(JAVA_LONG, offset(l, "connected_at_unix_ms"))),
                s.get(JAVA_LONG, offset(l, "read_ops")), s.get(JAVA_LONG, offset(l, "read_bytes")),
                s.get(JAVA_LONG, offset(l, "write_ops")), s.get(JAVA_LONG, offset(l, "write_bytes")),
                s.get(JAVA_LONG, offset(l, "other_ops")), s.get(JAVA_LONG, offset(l, "read_errors")),
                s.get(JAVA_LONG, offset(l, "write_errors")), s.get(JAVA_LONG, offset(l, "other_errors")));
    }

    private static ControllerInfo controller(MemorySegment s) {
        StructLayout l = StatsLayouts.CTRLR_INFO;
        return new ControllerInfo(text(s, l, "subnqn"), text(s, l, "hostnqn"), text(s, l, "peer_addr"),
                s.asSlice(offset(l, "hostid"), 16).toArray(JAVA_BYTE),
                Short.toUnsignedInt(s.get(JAVA_SHORT, offset(l, "cntlid"))),
                Short.toUnsignedInt(s.get(JAVA_SHORT, offset(l, "io_queues"))), s.get(JAVA_INT, offset(l, "kato_ms")),
                s.get(JAVA_INT, offset(l, "reactor_id")), s.get(JAVA_INT, offset(l, "discovery")) != 0,
                Instant.ofEpochMilli(s.get(JAVA_LONG, offset(l, "connected_at_unix_ms"))));
    }

    private static long offset(StructLayout layout, String field) {
        return layout.byteOffset(groupElement(field));
    }

    /** A fixed-size char array: up to the first NUL, never beyond the array. */
    private static String text(MemorySegment s, StructLayout layout, String field) {
        long size = layout.select(groupElement(field)).byteSize();
        byte[] bytes = s.asSlice(offset(layout, field), size).toArray(JAVA_BYTE);
        int length = 0;
        while (length < bytes.length && bytes[length] != 0) {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
