package dev.windrose.dataplane;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.List;

/**
 * Java mirrors of the structures in windrose.h that Java reads (statistics, controller list). {@link NativeDataplane} checks every
 * size and field offset here against the library at start-up, so a change on either side fails
 * the start with a clear message instead of reading garbage.
 */
final class StatsLayouts {

    /** Mirrors WR_ABI_VERSION: the layouts below describe this version. */
    static final int ABI_VERSION = 3;
    static final int NQN_SIZE = 224;
    static final int ADDR_SIZE = 64;
    static final int MIRROR_PATH_SIZE = 256;
    static final int HIST_BUCKETS = 528;

    /** Members the C side does not export offsets for (padding only). */
    static final String RESERVED = "reserved";

    /** Values of enum wr_struct_id. */
    enum StructId {
        STATS_HEADER(1), REACTOR_STATS(2), DIR_STATS(3), NS_STATS(4), QPAIR_STATS(5), CTRLR_INFO(6), MIRROR_OPTS(7),
        MIRROR_STATUS(8);

        final int id;

        StructId(int id) {
            this.id = id;
        }
    }

    static final StructLayout STATS_HEADER = MemoryLayout.structLayout(
            JAVA_INT.withName("magic"),
            JAVA_INT.withName("abi_version"),
            JAVA_LONG.withName("target_epoch"),
            JAVA_LONG.withName("timestamp_ns"),
            JAVA_INT.withName("reactor_count"),
            JAVA_INT.withName("ns_count"),
            JAVA_INT.withName("qpair_count"),
            JAVA_INT.withName(RESERVED),
            JAVA_LONG.withName("reactor_offset"),
            JAVA_LONG.withName("ns_offset"),
            JAVA_LONG.withName("qpair_offset"),
            JAVA_LONG.withName("total_size")).withName("wr_stats_header");

    static final StructLayout REACTOR_STATS = MemoryLayout.structLayout(
            JAVA_INT.withName("reactor_id"),
            JAVA_INT.withName("qpair_count"),
            JAVA_LONG.withName("busy_ns"),
            JAVA_LONG.withName("idle_ns"),
            JAVA_LONG.withName("polls"),
            JAVA_LONG.withName("sleeps")).withName("wr_reactor_stats");

    static final StructLayout DIR_STATS = MemoryLayout.structLayout(
            JAVA_LONG.withName("ops"),
            JAVA_LONG.withName("bytes"),
            JAVA_LONG.withName("errors"),
            MemoryLayout.sequenceLayout(HIST_BUCKETS, JAVA_LONG).withName("lat_hist")).withName("wr_dir_stats");

    static final StructLayout NS_STATS = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(NQN_SIZE, JAVA_BYTE).withName("subnqn"),
            JAVA_INT.withName("nsid"),
            JAVA_INT.withName(RESERVED),
            DIR_STATS.withName("read"),
            DIR_STATS.withName("write"),
            JAVA_LONG.withName("other_ops"),
            JAVA_LONG.withName("other_errors")).withName("wr_ns_stats");

    static final StructLayout QPAIR_STATS = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(NQN_SIZE, JAVA_BYTE).withName("subnqn"),
            MemoryLayout.sequenceLayout(NQN_SIZE, JAVA_BYTE).withName("hostnqn"),
            MemoryLayout.sequenceLayout(ADDR_SIZE, JAVA_BYTE).withName("peer_addr"),
            JAVA_SHORT.withName("cntlid"),
            JAVA_SHORT.withName("qid"),
            JAVA_INT.withName("reactor_id"),
            JAVA_LONG.withName("connected_at_unix_ms"),
            JAVA_LONG.withName("read_ops"),
            JAVA_LONG.withName("read_bytes"),
            JAVA_LONG.withName("write_ops"),
            JAVA_LONG.withName("write_bytes"),
            JAVA_LONG.withName("other_ops"),
            JAVA_LONG.withName("read_errors"),
            JAVA_LONG.withName("write_errors"),
            JAVA_LONG.withName("other_errors")).withName("wr_qpair_stats");

    static final StructLayout CTRLR_INFO = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(NQN_SIZE, JAVA_BYTE).withName("subnqn"),
            MemoryLayout.sequenceLayout(NQN_SIZE, JAVA_BYTE).withName("hostnqn"),
            MemoryLayout.sequenceLayout(ADDR_SIZE, JAVA_BYTE).withName("peer_addr"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("hostid"),
            JAVA_SHORT.withName("cntlid"),
            JAVA_SHORT.withName("io_queues"),
            JAVA_INT.withName("kato_ms"),
            JAVA_INT.withName("reactor_id"),
            JAVA_INT.withName("discovery"),
            JAVA_LONG.withName("connected_at_unix_ms")).withName("wr_ctrlr_info");

    static final StructLayout MIRROR_OPTS = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(ADDR_SIZE, JAVA_BYTE).withName("addr"),
            MemoryLayout.sequenceLayout(NQN_SIZE, JAVA_BYTE).withName("subnqn"),
            MemoryLayout.sequenceLayout(NQN_SIZE, JAVA_BYTE).withName("hostnqn"),
            JAVA_INT.withName("port"),
            JAVA_INT.withName("nsid"),
            JAVA_INT.withName("timeout_ms"),
            JAVA_INT.withName("region_bytes"),
            JAVA_INT.withName("resync_mib_s"),
            JAVA_INT.withName("flags"),
            MemoryLayout.sequenceLayout(MIRROR_PATH_SIZE, JAVA_BYTE).withName("bitmap_path")).withName("wr_mirror_opts");

    static final StructLayout MIRROR_STATUS = MemoryLayout.structLayout(
            JAVA_INT.withName("state"),
            JAVA_INT.withName("last_error"),
            JAVA_LONG.withName("region_bytes"),
            JAVA_LONG.withName("total_regions"),
            JAVA_LONG.withName("dirty_regions"),
            JAVA_LONG.withName("resync_done"),
            JAVA_LONG.withName("resync_total"),
            JAVA_LONG.withName("degraded_count"),
            JAVA_LONG.withName("remote_ios"),
            JAVA_INT.withName("holding"),
            JAVA_INT.withName(RESERVED)).withName("wr_mirror_status");

    record Checked(StructId id, StructLayout layout) {
    }

    static final List<Checked> ALL = List.of(
            new Checked(StructId.STATS_HEADER, STATS_HEADER),
            new Checked(StructId.REACTOR_STATS, REACTOR_STATS),
            new Checked(StructId.DIR_STATS, DIR_STATS),
            new Checked(StructId.NS_STATS, NS_STATS),
            new Checked(StructId.QPAIR_STATS, QPAIR_STATS),
            new Checked(StructId.CTRLR_INFO, CTRLR_INFO),
            new Checked(StructId.MIRROR_OPTS, MIRROR_OPTS),
            new Checked(StructId.MIRROR_STATUS, MIRROR_STATUS));

    private StatsLayouts() {
    }
}
