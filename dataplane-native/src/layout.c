/*
 * Version and structure layout introspection: what the Java FFM binding checks its
 * MemoryLayouts against at start-up, so C and Java can never silently disagree.
 */
#include "windrose.h"

#include <errno.h>
#include <string.h>

#ifndef WR_VERSION_STRING
#define WR_VERSION_STRING "0.0.0-dev"
#endif

struct field_offset {
	uint32_t struct_id;
	const char *name;
	size_t offset;
};

#define FIELD(id, type, field) { id, #field, offsetof(struct type, field) }

static const struct field_offset field_offsets[] = {
	FIELD(WR_STRUCT_STATS_HEADER, wr_stats_header, magic),
	FIELD(WR_STRUCT_STATS_HEADER, wr_stats_header, abi_version),
	FIELD(WR_STRUCT_STATS_HEADER, wr_stats_header, target_epoch),
	FIELD(WR_STRUCT_STATS_HEADER, wr_stats_header, timestamp_ns),
	FIELD(WR_STRUCT_STATS_HEADER, wr_stats_header, reactor_count),
	FIELD(WR_STRUCT_STATS_HEADER, wr_stats_header, ns_count),
	FIELD(WR_STRUCT_STATS_HEADER, wr_stats_header, qpair_count),
	FIELD(WR_STRUCT_STATS_HEADER, wr_stats_header, reactor_offset),
	FIELD(WR_STRUCT_STATS_HEADER, wr_stats_header, ns_offset),
	FIELD(WR_STRUCT_STATS_HEADER, wr_stats_header, qpair_offset),
	FIELD(WR_STRUCT_STATS_HEADER, wr_stats_header, total_size),

	FIELD(WR_STRUCT_REACTOR_STATS, wr_reactor_stats, reactor_id),
	FIELD(WR_STRUCT_REACTOR_STATS, wr_reactor_stats, qpair_count),
	FIELD(WR_STRUCT_REACTOR_STATS, wr_reactor_stats, busy_ns),
	FIELD(WR_STRUCT_REACTOR_STATS, wr_reactor_stats, idle_ns),
	FIELD(WR_STRUCT_REACTOR_STATS, wr_reactor_stats, polls),
	FIELD(WR_STRUCT_REACTOR_STATS, wr_reactor_stats, sleeps),

	FIELD(WR_STRUCT_DIR_STATS, wr_dir_stats, ops),
	FIELD(WR_STRUCT_DIR_STATS, wr_dir_stats, bytes),
	FIELD(WR_STRUCT_DIR_STATS, wr_dir_stats, errors),
	FIELD(WR_STRUCT_DIR_STATS, wr_dir_stats, lat_hist),

	FIELD(WR_STRUCT_NS_STATS, wr_ns_stats, subnqn),
	FIELD(WR_STRUCT_NS_STATS, wr_ns_stats, nsid),
	FIELD(WR_STRUCT_NS_STATS, wr_ns_stats, read),
	FIELD(WR_STRUCT_NS_STATS, wr_ns_stats, write),
	FIELD(WR_STRUCT_NS_STATS, wr_ns_stats, other_ops),
	FIELD(WR_STRUCT_NS_STATS, wr_ns_stats, other_errors),

	FIELD(WR_STRUCT_QPAIR_STATS, wr_qpair_stats, subnqn),
	FIELD(WR_STRUCT_QPAIR_STATS, wr_qpair_stats, hostnqn),
	FIELD(WR_STRUCT_QPAIR_STATS, wr_qpair_stats, peer_addr),
	FIELD(WR_STRUCT_QPAIR_STATS, wr_qpair_stats, cntlid),
	FIELD(WR_STRUCT_QPAIR_STATS, wr_qpair_stats, qid),
	FIELD(WR_STRUCT_QPAIR_STATS, wr_qpair_stats, reactor_id),
	FIELD(WR_STRUCT_QPAIR_STATS, wr_qpair_stats, connected_at_unix_ms),
	FIELD(WR_STRUCT_QPAIR_STATS, wr_qpair_stats, read_ops),
	FIELD(WR_STRUCT_QPAIR_STATS, wr_qpair_stats, read_bytes),
	FIELD(WR_STRUCT_QPAIR_STATS, wr_qpair_stats, write_ops),
	FIELD(WR_STRUCT_QPAIR_STATS, wr_qpair_stats, write_bytes),
	FIELD(WR_STRUCT_QPAIR_STATS, wr_qpair_stats, other_ops),
	FIELD(WR_STRUCT_QPAIR_STATS, wr_qpair_stats, read_errors),
	FIELD(WR_STRUCT_QPAIR_STATS, wr_qpair_stats, write_errors),
	FIELD(WR_STRUCT_QPAIR_STATS, wr_qpair_stats, other_errors),

	FIELD(WR_STRUCT_CTRLR_INFO, wr_ctrlr_info, subnqn),
	FIELD(WR_STRUCT_CTRLR_INFO, wr_ctrlr_info, hostnqn),
	FIELD(WR_STRUCT_CTRLR_INFO, wr_ctrlr_info, peer_addr),
	FIELD(WR_STRUCT_CTRLR_INFO, wr_ctrlr_info, hostid),
	FIELD(WR_STRUCT_CTRLR_INFO, wr_ctrlr_info, cntlid),
	FIELD(WR_STRUCT_CTRLR_INFO, wr_ctrlr_info, io_queues),
	FIELD(WR_STRUCT_CTRLR_INFO, wr_ctrlr_info, kato_ms),
	FIELD(WR_STRUCT_CTRLR_INFO, wr_ctrlr_info, reactor_id),
	FIELD(WR_STRUCT_CTRLR_INFO, wr_ctrlr_info, discovery),
	FIELD(WR_STRUCT_CTRLR_INFO, wr_ctrlr_info, connected_at_unix_ms),

	FIELD(WR_STRUCT_MIRROR_OPTS, wr_mirror_opts, addr),
	FIELD(WR_STRUCT_MIRROR_OPTS, wr_mirror_opts, subnqn),
	FIELD(WR_STRUCT_MIRROR_OPTS, wr_mirror_opts, hostnqn),
	FIELD(WR_STRUCT_MIRROR_OPTS, wr_mirror_opts, port),
	FIELD(WR_STRUCT_MIRROR_OPTS, wr_mirror_opts, nsid),
	FIELD(WR_STRUCT_MIRROR_OPTS, wr_mirror_opts, timeout_ms),
	FIELD(WR_STRUCT_MIRROR_OPTS, wr_mirror_opts, region_bytes),
	FIELD(WR_STRUCT_MIRROR_OPTS, wr_mirror_opts, resync_mib_s),
	FIELD(WR_STRUCT_MIRROR_OPTS, wr_mirror_opts, flags),
	FIELD(WR_STRUCT_MIRROR_OPTS, wr_mirror_opts, bitmap_path),

	FIELD(WR_STRUCT_MIRROR_STATUS, wr_mirror_status, state),
	FIELD(WR_STRUCT_MIRROR_STATUS, wr_mirror_status, last_error),
	FIELD(WR_STRUCT_MIRROR_STATUS, wr_mirror_status, region_bytes),
	FIELD(WR_STRUCT_MIRROR_STATUS, wr_mirror_status, total_regions),
	FIELD(WR_STRUCT_MIRROR_STATUS, wr_mirror_status, dirty_regions),
	FIELD(WR_STRUCT_MIRROR_STATUS, wr_mirror_status, resync_done),
	FIELD(WR_STRUCT_MIRROR_STATUS, wr_mirror_status, resync_total),
	FIELD(WR_STRUCT_MIRROR_STATUS, wr_mirror_status, degraded_count),
	FIELD(WR_STRUCT_MIRROR_STATUS, wr_mirror_status, remote_ios),
	FIELD(WR_STRUCT_MIRROR_STATUS, wr_mirror_status, holding),
};

const char *wr_version(void)
{
	return WR_VERSION_STRING;
}

uint32_t wr_abi_version(void)
{
	return WR_ABI_VERSION;
}

int64_t wr_struct_size(uint32_t struct_id)
{
	switch (struct_id) {
	case WR_STRUCT_STATS_HEADER:
		return (int64_t)sizeof(struct wr_stats_header);
	case WR_STRUCT_REACTOR_STATS:
		return (int64_t)sizeof(struct wr_reactor_stats);
	case WR_STRUCT_DIR_STATS:
		return (int64_t)sizeof(struct wr_dir_stats);
	case WR_STRUCT_NS_STATS:
		return (int64_t)sizeof(struct wr_ns_stats);
	case WR_STRUCT_QPAIR_STATS:
		return (int64_t)sizeof(struct wr_qpair_stats);
	case WR_STRUCT_CTRLR_INFO:
		return (int64_t)sizeof(struct wr_ctrlr_info);
	case WR_STRUCT_MIRROR_OPTS:
		return (int64_t)sizeof(struct wr_mirror_opts);
	case WR_STRUCT_MIRROR_STATUS:
		return (int64_t)sizeof(struct wr_mirror_status);
	default:
		return -EINVAL;
	}
}

int64_t wr_struct_offset(uint32_t struct_id, const char *field)
{
	if (wr_struct_size(struct_id) < 0)
		return -EINVAL;
	if (field == NULL)
		return -ENOENT;
	for (size_t i = 0; i < sizeof(field_offsets) / sizeof(field_offsets[0]); i++) {
		if (field_offsets[i].struct_id == struct_id && strcmp(field_offsets[i].name, field) == 0)
			return (int64_t)field_offsets[i].offset;
	}
	return -ENOENT;
}
