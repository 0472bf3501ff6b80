package dev.windrose.dataplane;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The FFM binding of libwindrose: every downcall handle, resolved once when the library is loaded.
 * The only class that touches {@code java.lang.foreign} with native code, hence the one
 * {@code @SuppressWarnings("restricted")}. Closing it unloads the library (its arena owns the lookup).
 */
@SuppressWarnings("restricted")
final class NativeDataplane implements Dataplane, AutoCloseable {

    /** wr_version returns a pointer to a static NUL-terminated string; no version is this long. */
    private static final long MAX_VERSION_LENGTH = 256;

    /** WR_MIRROR_HOLD_ON_DEGRADE. */
    private static final int HOLD_ON_DEGRADE = 0x1;
    /** WR_MIRROR_START_ALONE. */
    private static final int START_ALONE = 0x4;

    private final Arena libraryArena;
    private final MethodHandle wrVersion;
    private final MethodHandle wrAbiVersion;
    private final MethodHandle wrStructSize;
    private final MethodHandle wrStructOffset;
    private final MethodHandle wrTargetCreate;
    private final MethodHandle wrTargetDestroy;
    private final MethodHandle wrSubsystemCreate;
    private final MethodHandle wrSubsystemDelete;
    private final MethodHandle wrSubsystemSetAllowAnyHost;
    private final MethodHandle wrHostAllow;
    private final MethodHandle wrHostSetDhchap;
    private final MethodHandle wrSubsystemSetDhchapPolicy;
    private final MethodHandle wrPortSetTls;
    private final MethodHandle wrPortGetTls;
    private final MethodHandle wrHostSetTlsPsk;
    private final MethodHandle wrTlsPskCheck;
    private final MethodHandle wrTlsPskGenerate;
    private final MethodHandle wrHostDisallow;
    private final MethodHandle wrNsAdd;
    private final MethodHandle wrNsAddExtent;
    private final MethodHandle wrNsRemove;
    private final MethodHandle wrNsResize;
    private final MethodHandle wrNsSetAnaGroup;
    private final MethodHandle wrListenerAdd;
    private final MethodHandle wrListenerRemove;
    private final MethodHandle wrListenerSetAnaState;
    private final MethodHandle wrListenerGetAnaState;
    private final MethodHandle wrSubsystemSetAnaDefault;
    private final MethodHandle wrTargetSetCntlidRange;
    private final MethodHandle wrTargetListControllers;
    private final MethodHandle wrTargetListQpairs;
    private final MethodHandle wrTargetStatsSize;
    private final MethodHandle wrTargetStatsSnapshot;
    private final MethodHandle wrTargetSetLimit;
    private final MethodHandle wrTargetGetLimit;
    private final MethodHandle wrTargetNetCounters;
    private final MethodHandle wrNqnCheck;
    private final MethodHandle wrNsAddMirror;
    private final MethodHandle wrNsMirrorStatus;
    private final MethodHandle wrNsMirrorResync;
    private final MethodHandle wrNsMirrorRelease;

    private NativeDataplane(Arena libraryArena, SymbolLookup library) {
        this.libraryArena = libraryArena;
        Linker linker = Linker.nativeLinker();
        wrVersion = downcall(linker, library, "wr_version", FunctionDescriptor.of(ADDRESS));
        wrAbiVersion = downcall(linker, library, "wr_abi_version", FunctionDescriptor.of(JAVA_INT));
        wrStructSize = downcall(linker, library, "wr_struct_size", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
        wrStructOffset = downcall(linker, library, "wr_struct_offset",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS));
        wrTargetCreate = downcall(linker, library, "wr_target_create",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        wrTargetDestroy = downcall(linker, library, "wr_target_destroy", FunctionDescriptor.ofVoid(ADDRESS));
        wrSubsystemCreate = downcall(linker, library, "wr_subsystem_create",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        wrSubsystemDelete = downcall(linker, library, "wr_subsystem_delete",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        wrSubsystemSetAllowAnyHost = downcall(linker, library, "wr_subsystem_set_allow_any_host",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT));
        wrHostAllow = downcall(linker, library, "wr_host_allow",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
        wrHostSetDhchap = downcall(linker, library, "wr_host_set_dhchap",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        wrSubsystemSetDhchapPolicy = downcall(linker, library, "wr_subsystem_set_dhchap_policy",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
        wrPortSetTls = downcall(linker, library, "wr_port_set_tls",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_SHORT, JAVA_INT));
        wrPortGetTls = downcall(linker, library, "wr_port_get_tls",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_SHORT));
        wrHostSetTlsPsk = downcall(linker, library, "wr_host_set_tls_psk",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
        wrTlsPskCheck = downcall(linker, library, "wr_tls_psk_check", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        wrTlsPskGenerate = downcall(linker, library, "wr_tls_psk_generate",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        wrHostDisallow = downcall(linker, library, "wr_host_disallow",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
        wrNsAdd = downcall(linker, library, "wr_ns_add", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT,
                JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        wrNsAddExtent = downcall(linker, library, "wr_ns_add_extent", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT,
                JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        wrNsRemove = downcall(linker, library, "wr_ns_remove",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT));
        wrNsResize = downcall(linker, library, "wr_ns_resize",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG));
        wrNsSetAnaGroup = downcall(linker, library, "wr_ns_set_ana_group",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
        wrListenerAdd = downcall(linker, library, "wr_listener_add",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_SHORT));
        wrListenerRemove = downcall(linker, library, "wr_listener_remove",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_SHORT));
        wrListenerSetAnaState = downcall(linker, library, "wr_listener_set_ana_state",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_SHORT, JAVA_INT, JAVA_INT));
        wrListenerGetAnaState = downcall(linker, library, "wr_listener_get_ana_state",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_SHORT, JAVA_INT));
        wrSubsystemSetAnaDefault = downcall(linker, library, "wr_subsystem_set_ana_default",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
        wrTargetSetCntlidRange = downcall(linker, library, "wr_target_set_cntlid_range",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        wrTargetListControllers = downcall(linker, library, "wr_target_list_controllers",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT));
        wrTargetListQpairs = downcall(linker, library, "wr_target_list_qpairs",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT));
        wrTargetStatsSize = downcall(linker, library, "wr_target_stats_size", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        wrTargetStatsSnapshot = downcall(linker, library, "wr_target_stats_snapshot",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
        wrTargetSetLimit = downcall(linker, library, "wr_target_set_limit",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
        wrTargetGetLimit = downcall(linker, library, "wr_target_get_limit",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT));
        wrTargetNetCounters = downcall(linker, library, "wr_target_net_counters",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT));
        wrNqnCheck = downcall(linker, library, "wr_nqn_check", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        wrNsAddMirror = downcall(linker, library, "wr_ns_add_mirror", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS,
                JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        wrNsMirrorStatus = downcall(linker, library, "wr_ns_mirror_status",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
        wrNsMirrorResync = downcall(linker, library, "wr_ns_mirror_resync",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT));
        wrNsMirrorRelease = downcall(linker, library, "wr_ns_mirror_release",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT));
    }

    /** Loads the library file, resolves its functions and checks ABI version and layouts. */
    static NativeDataplane load(Path libraryFile) {
        Arena arena = Arena.ofShared();
        try {
            NativeDataplane dataplane = new NativeDataplane(arena, SymbolLookup.libraryLookup(libraryFile, arena));
            dataplane.checkCompatibility();
            return dataplane;
        } catch (RuntimeException e) {
            arena.close();
            if (e instanceof DataplaneException) {
                throw e;
            }
            throw new DataplaneException("Cannot load the dataplane library " + libraryFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String version() {
        try {
            MemorySegment text = (MemorySegment) wrVersion.invokeExact();
            return text.reinterpret(MAX_VERSION_LENGTH).getString(0);
        } catch (Throwable t) {
            throw rethrow("wr_version", t);
        }
    }

    @Override
    public int abiVersion() {
        try {
            return (int) wrAbiVersion.invokeExact();
        } catch (Throwable t) {
            throw rethrow("wr_abi_version", t);
        }
    }

    /** sizeof the structure, as the library was compiled. */
    long structSize(StatsLayouts.StructId id) {
        long size;
        try {
            size = (long) wrStructSize.invokeExact(id.id);
        } catch (Throwable t) {
            throw rethrow("wr_struct_size", t);
        }
        return checked(size, "wr_struct_size(" + id + ")");
    }

    /** offsetof a top-level field, as the library was compiled. */
    long structOffset(StatsLayouts.StructId id, String field) {
        long offset;
        try (Arena call = Arena.ofConfined()) {
            offset = (long) wrStructOffset.invokeExact(id.id, call.allocateFrom(field));
        } catch (Throwable t) {
            throw rethrow("wr_struct_offset", t);
        }
        return checked(offset, "wr_struct_offset(" + id + ", " + field + ")");
    }

    @Override
    public DataplaneTarget createTarget(TargetOptions options) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment out = call.allocate(ADDRESS);
            int result = (int) wrTargetCreate.invokeExact(options.reactors(), options.mode().code,
                    text(call, options.cpuList()), out);
            checked(result, "wr_target_create(" + options + ")");
            MemorySegment target = out.get(ADDRESS, 0);
            try {
                setLimits(target, options.limits());
                setLimit(target, LIMIT_ANATT_S, options.anaTransitionTime().toSeconds());
                targetSetCntlidRange(target, options.controllerIds());
            } catch (RuntimeException e) {
                targetDestroy(target);
                throw e;
            }
            return new NativeTarget(this, target);
        } catch (Throwable t) {
            throw rethrow("wr_target_create", t);
        }
    }

    // --- the control API, one method per C function; NativeTarget adds the lifecycle ----------

    /** enum wr_limit */
    private static final int LIMIT_ICREQ_TIMEOUT_MS = 1;
    private static final int LIMIT_CONNECT_TIMEOUT_MS = 2;
    private static final int LIMIT_CONNS_PER_LISTENER = 3;
    private static final int LIMIT_CONNS_PER_SOURCE = 4;
    private static final int LIMIT_CONNS_TOTAL = 5;
    private static final int LIMIT_ANATT_S = 6;
    /** WR_TLS_PSK_MAX_LEN */
    private static final int WR_TLS_PSK_MAX_LEN = 128;

    /** WR_NET_COUNTERS */
    private static final int NET_COUNTERS = 8;

    private void setLimits(MemorySegment target, ConnectionLimits limits) {
        setLimit(target, LIMIT_ICREQ_TIMEOUT_MS, limits.icreqTimeout().toMillis());
        setLimit(target, LIMIT_CONNECT_TIMEOUT_MS, limits.connectTimeout().toMillis());
        setLimit(target, LIMIT_CONNS_PER_LISTENER, limits.maxConnectionsPerListener());
        setLimit(target, LIMIT_CONNS_PER_SOURCE, limits.maxConnectionsPerSource());
        setLimit(target, LIMIT_CONNS_TOTAL, limits.maxConnections());
    }

    private void setLimit(MemorySegment target, int limit, long value) {
        try {
            checked((int) wrTargetSetLimit.invokeExact(target, limit, value),
                    "wr_target_set_limit(" + limit + ", " + value + ")");
        } catch (Throwable t) {
            throw rethrow("wr_target_set_limit", t);
        }
    }

    NetworkCounters netCounters(MemorySegment target) {
        try (Arena call = Arena.ofConfined()) {
            long cap = checked((long) wrTargetGetLimit.invokeExact(target, LIMIT_CONNS_TOTAL), "wr_target_get_limit");
            MemorySegment out = call.allocate(JAVA_LONG, NET_COUNTERS);
            checked((long) wrTargetNetCounters.invokeExact(target, out, NET_COUNTERS), "wr_target_net_counters");
            long[] v = out.toArray(JAVA_LONG);
            return new NetworkCounters(cap, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
        } catch (Throwable t) {
            throw rethrow("wr_target_net_counters", t);
        }
    }

    void targetDestroy(MemorySegment target) {
        try {
            wrTargetDestroy.invokeExact(target);
        } catch (Throwable t) {
            throw rethrow("wr_target_destroy", t);
        }
    }

    void subsystemCreate(MemorySegment target, String nqn, @Nullable String serial, @Nullable String model, int flags) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            int result = (int) wrSubsystemCreate.invokeExact(target, name, length(name), text(call, serial),
                    text(call, model), flags);
            checked(result, "wr_subsystem_create(" + nqn + ")");
        } catch (Throwable t) {
            throw rethrow("wr_subsystem_create", t);
        }
    }

    void subsystemDelete(MemorySegment target, String nqn) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            checked((int) wrSubsystemDelete.invokeExact(target, name, length(name)), "wr_subsystem_delete(" + nqn + ")");
        } catch (Throwable t) {
            throw rethrow("wr_subsystem_delete", t);
        }
    }

    void subsystemSetAllowAnyHost(MemorySegment target, String nqn, boolean allow) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            checked((int) wrSubsystemSetAllowAnyHost.invokeExact(target, name, length(name), allow ? 1 : 0),
                    "wr_subsystem_set_allow_any_host(" + nqn + ", " + allow + ")");
        } catch (Throwable t) {
            throw rethrow("wr_subsystem_set_allow_any_host", t);
        }
    }

    void hostAllow(MemorySegment target, String nqn, String hostNqn) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            MemorySegment host = name(call, hostNqn);
            checked((int) wrHostAllow.invokeExact(target, name, length(name), host, length(host)),
                    "wr_host_allow(" + nqn + ", " + hostNqn + ")");
        } catch (Throwable t) {
            throw rethrow("wr_host_allow", t);
        }
    }

    /** The secrets go to C in memory of this call that is zeroed before it is freed; errors never show them. */
    void hostSetDhchap(MemorySegment target, String nqn, String hostNqn, @Nullable String hostSecret,
            @Nullable String previousHostSecret, @Nullable String ctrlSecret) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            MemorySegment host = name(call, hostNqn);
            MemorySegment secret = text(call, hostSecret);
            MemorySegment previous = text(call, previousHostSecret);
            MemorySegment ctrl = text(call, ctrlSecret);
            try {
                checked((int) wrHostSetDhchap.invokeExact(target, name, length(name), host, length(host), secret,
                        previous, ctrl), "wr_host_set_dhchap(" + nqn + ", " + hostNqn + ")");
            } finally {
                for (MemorySegment s : new MemorySegment[] {secret, previous, ctrl}) {
                    if (!s.equals(MemorySegment.NULL)) {
                        s.fill((byte) 0);
                    }
                }
            }
        } catch (Throwable t) {
            throw rethrow("wr_host_set_dhchap", t);
        }
    }

    void subsystemSetDhchapPolicy(MemorySegment target, String nqn, int hashMask, int dhGroupMask) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            checked((int) wrSubsystemSetDhchapPolicy.invokeExact(target, name, length(name), hashMask, dhGroupMask),
                    "wr_subsystem_set_dhchap_policy(" + nqn + ")");
        } catch (Throwable t) {
            throw rethrow("wr_subsystem_set_dhchap_policy", t);
        }
    }

    void portSetTls(MemorySegment target, String address, int port, int mode) {
        try (Arena call = Arena.ofConfined()) {
            checked((int) wrPortSetTls.invokeExact(target, text(call, address), port16(port), mode),
                    "wr_port_set_tls(" + address + ", " + port + ")");
        } catch (Throwable t) {
            throw rethrow("wr_port_set_tls", t);
        }
    }

    int portGetTls(MemorySegment target, String address, int port) {
        try (Arena call = Arena.ofConfined()) {
            return (int) checked((int) wrPortGetTls.invokeExact(target, text(call, address), port16(port)),
                    "wr_port_get_tls(" + address + ", " + port + ")");
        } catch (Throwable t) {
            throw rethrow("wr_port_get_tls", t);
        }
    }

    /** The PSK goes to C in memory of this call that is zeroed before it is freed; errors never show it. */
    void hostSetTlsPsk(MemorySegment target, String nqn, String hostNqn, @Nullable String psk, int v0Form) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            MemorySegment host = name(call, hostNqn);
            MemorySegment key = text(call, psk);
            try {
                checked((int) wrHostSetTlsPsk.invokeExact(target, name, length(name), host, length(host), key, v0Form),
                        "wr_host_set_tls_psk(" + nqn + ", " + hostNqn + ")");
            } finally {
                if (!key.equals(MemorySegment.NULL)) {
                    key.fill((byte) 0);
                }
            }
        } catch (Throwable t) {
            throw rethrow("wr_host_set_tls_psk", t);
        }
    }

    @Override
    public void checkTlsPsk(String psk) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment key = text(call, psk);
            try {
                checked((int) wrTlsPskCheck.invokeExact(key), "wr_tls_psk_check");
            } finally {
                key.fill((byte) 0);
            }
        } catch (Throwable t) {
            throw rethrow("wr_tls_psk_check", t);
        }
    }

    @Override
    public String generateTlsPsk(boolean sha384) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment out = call.allocate(WR_TLS_PSK_MAX_LEN);
            try {
                checked((int) wrTlsPskGenerate.invokeExact(sha384 ? 2 : 1, out, WR_TLS_PSK_MAX_LEN),
                        "wr_tls_psk_generate");
                return out.getString(0);
            } finally {
                out.fill((byte) 0);
            }
        } catch (Throwable t) {
            throw rethrow("wr_tls_psk_generate", t);
        }
    }

    void hostDisallow(MemorySegment target, String nqn, String hostNqn) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            MemorySegment host = name(call, hostNqn);
            checked((int) wrHostDisallow.invokeExact(target, name, length(name), host, length(host)),
                    "wr_host_disallow(" + nqn + ", " + hostNqn + ")");
        } catch (Throwable t) {
            throw rethrow("wr_host_disallow", t);
        }
    }

    void nsAdd(MemorySegment target, String nqn, NamespaceSpec ns) {
        if (ns.kind() == BlockDeviceKind.EXTENT) {
            nsAddExtent(target, nqn, ns);
            return;
        }
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            int result = (int) wrNsAdd.invokeExact(target, name, length(name), ns.nsid(), ns.kind().code,
                    text(call, ns.path()), ns.sizeBytes(), ns.blockSize(), bytes(call, ns.nguid()),
                    bytes(call, ns.uuid()), ns.anaGroup());
            checked(result, "wr_ns_add(" + nqn + ", nsid " + ns.nsid() + ", " + ns.kind() + ")");
        } catch (Throwable t) {
            throw rethrow("wr_ns_add", t);
        }
    }

    private void nsAddExtent(MemorySegment target, String nqn, NamespaceSpec ns) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            int result = (int) wrNsAddExtent.invokeExact(target, name, length(name), ns.nsid(), text(call, ns.path()),
                    ns.offsetBytes(), ns.sizeBytes(), ns.blockSize(), bytes(call, ns.nguid()), bytes(call, ns.uuid()),
                    ns.anaGroup());
            checked(result, "wr_ns_add_extent(" + nqn + ", nsid " + ns.nsid() + ", " + ns.path() + " at "
                    + ns.offsetBytes() + ")");
        } catch (Throwable t) {
            throw rethrow("wr_ns_add_extent", t);
        }
    }

    void nsAddMirror(MemorySegment target, String nqn, NamespaceSpec ns, MirrorLeg remote) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            MemorySegment opts = call.allocate(StatsLayouts.MIRROR_OPTS);
            StructLayout l = StatsLayouts.MIRROR_OPTS;
            putText(opts, l, "addr", remote.address());
            putText(opts, l, "subnqn", remote.subsystemNqn());
            putText(opts, l, "hostnqn", remote.hostNqn() == null ? "" : remote.hostNqn());
            opts.set(JAVA_INT, l.byteOffset(MemoryLayout.PathElement.groupElement("port")), remote.port());
            opts.set(JAVA_INT, l.byteOffset(MemoryLayout.PathElement.groupElement("nsid")), remote.nsid());
            opts.set(JAVA_INT, l.byteOffset(MemoryLayout.PathElement.groupElement("timeout_ms")),
                    (int) remote.timeout().toMillis());
            opts.set(JAVA_INT, l.byteOffset(MemoryLayout.PathElement.groupElement("region_bytes")), remote.regionBytes());
            opts.set(JAVA_INT, l.byteOffset(MemoryLayout.PathElement.groupElement("resync_mib_s")),
                    remote.resyncMibPerSecond());
            opts.set(JAVA_INT, l.byteOffset(MemoryLayout.PathElement.groupElement("flags")),
                    (remote.holdOnDegrade() ? HOLD_ON_DEGRADE : 0) | (remote.startAlone() ? START_ALONE : 0));
            if (remote.bitmapPath() != null) {
                putText(opts, l, "bitmap_path", remote.bitmapPath());
            }
            int kind = ns.kind() == BlockDeviceKind.EXTENT ? BlockDeviceKind.FILE.code : ns.kind().code;
            int result = (int) wrNsAddMirror.invokeExact(target, name, length(name), ns.nsid(), kind,
                    text(call, ns.path()), ns.offsetBytes(), ns.sizeBytes(), ns.blockSize(), bytes(call, ns.nguid()),
                    bytes(call, ns.uuid()), ns.anaGroup(), opts);
            checked(result, "wr_ns_add_mirror(" + nqn + ", nsid " + ns.nsid() + ", " + ns.kind() + ", partner "
                    + remote.address() + ":" + remote.port() + " " + remote.subsystemNqn() + " nsid " + remote.nsid() + ")");
        } catch (Throwable t) {
            throw rethrow("wr_ns_add_mirror", t);
        }
    }

    /** Fills out (a wr_mirror_status). */
    void nsMirrorStatus(MemorySegment target, String nqn, int nsid, MemorySegment out) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            checked((int) wrNsMirrorStatus.invokeExact(target, name, length(name), nsid, out),
                    "wr_ns_mirror_status(" + nqn + ", " + nsid + ")");
        } catch (Throwable t) {
            throw rethrow("wr_ns_mirror_status", t);
        }
    }

    void nsMirrorRelease(MemorySegment target, String nqn, int nsid) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            checked((int) wrNsMirrorRelease.invokeExact(target, name, length(name), nsid),
                    "wr_ns_mirror_release(" + nqn + ", " + nsid + ")");
        } catch (Throwable t) {
            throw rethrow("wr_ns_mirror_release", t);
        }
    }

    void nsMirrorResync(MemorySegment target, String nqn, int nsid) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            checked((int) wrNsMirrorResync.invokeExact(target, name, length(name), nsid),
                    "wr_ns_mirror_resync(" + nqn + ", " + nsid + ")");
        } catch (Throwable t) {
            throw rethrow("wr_ns_mirror_resync", t);
        }
    }

    /** A NUL-terminated UTF-8 string into a fixed char array of a structure (IllegalArgumentException if too long). */
    private static void putText(MemorySegment s, StructLayout layout, String field, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        long size = layout.select(MemoryLayout.PathElement.groupElement(field)).byteSize();
        if (bytes.length >= size) {
            throw new IllegalArgumentException(field + " is longer than " + (size - 1) + " bytes");
        }
        MemorySegment.copy(bytes, 0, s, JAVA_BYTE, layout.byteOffset(MemoryLayout.PathElement.groupElement(field)),
                bytes.length);
    }

    void nsRemove(MemorySegment target, String nqn, int nsid) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            checked((int) wrNsRemove.invokeExact(target, name, length(name), nsid), "wr_ns_remove(" + nqn + ", " + nsid + ")");
        } catch (Throwable t) {
            throw rethrow("wr_ns_remove", t);
        }
    }

    void nsResize(MemorySegment target, String nqn, int nsid, long sizeBytes) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            checked((int) wrNsResize.invokeExact(target, name, length(name), nsid, sizeBytes),
                    "wr_ns_resize(" + nqn + ", " + nsid + ", " + sizeBytes + ")");
        } catch (Throwable t) {
            throw rethrow("wr_ns_resize", t);
        }
    }

    void nsSetAnaGroup(MemorySegment target, String nqn, int nsid, int anaGroup) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            checked((int) wrNsSetAnaGroup.invokeExact(target, name, length(name), nsid, anaGroup),
                    "wr_ns_set_ana_group(" + nqn + ", " + nsid + ", " + anaGroup + ")");
        } catch (Throwable t) {
            throw rethrow("wr_ns_set_ana_group", t);
        }
    }

    int listenerAdd(MemorySegment target, String nqn, String address, int port) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            int result = (int) wrListenerAdd.invokeExact(target, name, length(name), text(call, address), port16(port));
            return (int) checked(result, "wr_listener_add(" + nqn + ", " + address + ", " + port + ")");
        } catch (Throwable t) {
            throw rethrow("wr_listener_add", t);
        }
    }

    void listenerRemove(MemorySegment target, String nqn, String address, int port) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            checked((int) wrListenerRemove.invokeExact(target, name, length(name), text(call, address), port16(port)),
                    "wr_listener_remove(" + nqn + ", " + address + ", " + port + ")");
        } catch (Throwable t) {
            throw rethrow("wr_listener_remove", t);
        }
    }

    void listenerSetAnaState(MemorySegment target, String nqn, String address, int port, int anaGroup, int state) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            checked((int) wrListenerSetAnaState.invokeExact(target, name, length(name), text(call, address), port16(port),
                    anaGroup, state), "wr_listener_set_ana_state(" + nqn + ", " + address + ", " + port + ")");
        } catch (Throwable t) {
            throw rethrow("wr_listener_set_ana_state", t);
        }
    }

    int listenerGetAnaState(MemorySegment target, String nqn, String address, int port, int anaGroup) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            return (int) checked((int) wrListenerGetAnaState.invokeExact(target, name, length(name), text(call, address),
                    port16(port), anaGroup), "wr_listener_get_ana_state(" + nqn + ", " + address + ", " + port + ", "
                    + anaGroup + ")");
        } catch (Throwable t) {
            throw rethrow("wr_listener_get_ana_state", t);
        }
    }

    void subsystemSetAnaDefault(MemorySegment target, String nqn, int anaGroup, int state) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            checked((int) wrSubsystemSetAnaDefault.invokeExact(target, name, length(name), anaGroup, state),
                    "wr_subsystem_set_ana_default(" + nqn + ", " + anaGroup + ", " + state + ")");
        } catch (Throwable t) {
            throw rethrow("wr_subsystem_set_ana_default", t);
        }
    }

    void targetSetCntlidRange(MemorySegment target, ControllerIdRange range) {
        try {
            checked((int) wrTargetSetCntlidRange.invokeExact(target, range.min(), range.max()),
                    "wr_target_set_cntlid_range(" + range.min() + ", " + range.max() + ")");
        } catch (Throwable t) {
            throw rethrow("wr_target_set_cntlid_range", t);
        }
    }

    /** Fills out with up to max entries; returns how many exist (may exceed max). */
    long listControllers(MemorySegment target, MemorySegment out, int max) {
        try {
            return checked((long) wrTargetListControllers.invokeExact(target, out, max), "wr_target_list_controllers");
        } catch (Throwable t) {
            throw rethrow("wr_target_list_controllers", t);
        }
    }

    long listQpairs(MemorySegment target, MemorySegment out, int max) {
        try {
            return checked((long) wrTargetListQpairs.invokeExact(target, out, max), "wr_target_list_qpairs");
        } catch (Throwable t) {
            throw rethrow("wr_target_list_qpairs", t);
        }
    }

    long statsSize(MemorySegment target) {
        try {
            return checked((long) wrTargetStatsSize.invokeExact(target), "wr_target_stats_size");
        } catch (Throwable t) {
            throw rethrow("wr_target_stats_size", t);
        }
    }

    /** Bytes used, or a negative errno (-ENOSPC: the buffer was too small) for the caller to handle. */
    long statsSnapshot(MemorySegment target, MemorySegment buffer) {
        try {
            return (long) wrTargetStatsSnapshot.invokeExact(target, buffer, buffer.byteSize());
        } catch (Throwable t) {
            throw rethrow("wr_target_stats_snapshot", t);
        }
    }

    /** Whether the dataplane's own rules (wr_nqn_check) accept the NQN: the console's and the C rules must agree. */
    boolean nqnAccepted(String nqn) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = name(call, nqn);
            return (int) wrNqnCheck.invokeExact(name, length(name)) == 0;
        } catch (DataplaneException unencodable) {
            return false;
        } catch (Throwable t) {
            throw rethrow("wr_nqn_check", t);
        }
    }

    /**
     * An NQN as the control API takes it: its UTF-8 bytes and their count (followed by a NUL that the library
     * does not rely on). Unencodable text (half a surrogate pair) is refused here rather than sent as '?', and the
     * library refuses a NUL inside the length: the dataplane serves exactly the name the console stored.
     */
    private static MemorySegment name(Arena arena, String value) {
        ByteBuffer encoded;
        try {
            encoded = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(value));
        } catch (CharacterCodingException e) {
            throw new DataplaneException("The name " + value + " is not valid Unicode", Errno.EINVAL);
        }
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        MemorySegment segment = arena.allocate(bytes.length + 1L);
        MemorySegment.copy(bytes, 0, segment, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
        return segment;
    }

    /** The byte count of a {@link #name}: its size without the trailing NUL. */
    private static int length(MemorySegment name) {
        return (int) (name.byteSize() - 1);
    }

    private static MemorySegment text(Arena arena, @Nullable String value) {
        return value == null ? MemorySegment.NULL : arena.allocateFrom(value);
    }

    private static MemorySegment bytes(Arena arena, byte @Nullable [] value) {
        return value == null ? MemorySegment.NULL : arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, value);
    }

    /** uint16_t in C, a short with the same bits in Java. */
    private static short port16(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("a TCP port is 0..65535, not " + port);
        }
        return (short) port;
    }

    /**
     * Compares the Java layouts with the library's sizeof/offsetof values. Every difference is
     * listed, so one failed start shows the whole drift.
     */
    void checkCompatibility() {
        int abi = abiVersion();
        if (abi != StatsLayouts.ABI_VERSION) {
            throw new DataplaneException("The dataplane library has ABI version " + abi + " but this Windrose build "
                    + "expects " + StatsLayouts.ABI_VERSION + ": rebuild both from the same sources.");
        }
        List<String> mismatches = new ArrayList<>();
        for (StatsLayouts.Checked checked : StatsLayouts.ALL) {
            mismatches.addAll(layoutMismatches(checked.id(), checked.layout()));
        }
        if (!mismatches.isEmpty()) {
            throw new DataplaneException("The Java struct layouts do not match libwindrose " + version() + ": "
                    + String.join("; ", mismatches));
        }
    }

    List<String> layoutMismatches(StatsLayouts.StructId id, StructLayout layout) {
        List<String> mismatches = new ArrayList<>();
        long nativeSize = structSize(id);
        if (nativeSize != layout.byteSize()) {
            mismatches.add(layout.name().orElse(id.name()) + " is " + nativeSize + " bytes in C but "
                    + layout.byteSize() + " in Java");
        }
        for (MemoryLayout member : layout.memberLayouts()) {
            String field = member.name().orElse(StatsLayouts.RESERVED);
            if (field.equals(StatsLayouts.RESERVED)) {
                continue;
            }
            long javaOffset = layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
            try {
                long nativeOffset = structOffset(id, field);
                if (nativeOffset != javaOffset) {
                    mismatches.add(id + "." + field + " is at offset " + nativeOffset + " in C but " + javaOffset
                            + " in Java");
                }
            } catch (DataplaneException unknown) {
                mismatches.add(id + "." + field + " is unknown to the library (" + unknown.getMessage() + ")");
            }
        }
        return mismatches;
    }

    @Override
    public void close() {
        if (libraryArena.scope().isAlive()) {
            libraryArena.close();
        }
    }

    private static MethodHandle downcall(Linker linker, SymbolLookup library, String name, FunctionDescriptor signature) {
        MemorySegment address = library.find(name).orElseThrow(
                () -> new DataplaneException("The dataplane library does not export " + name
                        + ": it is older than this Windrose build."));
        return linker.downcallHandle(address, signature);
    }

    /** Results below zero are negated errno values (windrose.h convention). */
    private static long checked(long result, String context) {
        if (result < 0) {
            throw new DataplaneException(context, (int) -result);
        }
        return result;
    }

    private static RuntimeException rethrow(String function, Throwable t) {
        if (t instanceof RuntimeException runtime) {
            return runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        return new DataplaneException("Calling " + function + " failed", t);
    }
}
