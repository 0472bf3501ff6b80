/*
 * mirror_map.h - the two pieces of a mirrored bdev that need no network (bdev_mirror.c): the
 * dirty-region bitmap and the mirror's state machine. Private to src/bdev/; unit-tested directly.
 *
 * The bitmap is allocated once, when the mirror opens; marking, testing and clearing are single
 * atomic read-modify-writes on 64-bit words, so any reactor may mark while the resync clears,
 * without a lock and without allocating.
 */
#ifndef WR_MIRROR_MAP_H
#define WR_MIRROR_MAP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "windrose.h"

struct wr_mirror_map {
	uint64_t nregions;
	uint32_t region_shift;         /* region size = 1 << region_shift bytes */
	_Atomic uint64_t *words;
	_Atomic uint64_t dirty;        /* bits set in words */
	void *file_map;                /* persistent: the file's mapping (header + words), else NULL */
	size_t file_len;
	int fd;
};

/* size_bytes of the leg, region_bytes a power of two >= 4096 (-EINVAL otherwise). */
int wr_mirror_map_init(struct wr_mirror_map *map, uint64_t size_bytes, uint32_t region_bytes);
/* The same, kept in the file at path (created when missing): a region marked dirty is on stable
 * storage (msync of its page) before wr_mirror_map_mark returns, so that the marks of writes the
 * partner lacks survive a restart of this node; clearing is written back lazily (at worst a region
 * is copied again). An existing file must have been made for the same size and region size
 * (-EINVAL otherwise); its dirty regions are counted. */
int wr_mirror_map_init_file(struct wr_mirror_map *map, uint64_t size_bytes, uint32_t region_bytes,
			    const char *path);
/* Writes the cleared bits back (after a resync); 0 or -errno. No-op without a file. */
int wr_mirror_map_sync(struct wr_mirror_map *map);
void wr_mirror_map_fini(struct wr_mirror_map *map);
/* Marks every region [offset, offset + len) touches (len 0 marks nothing). */
void wr_mirror_map_mark(struct wr_mirror_map *map, uint64_t offset, uint64_t len);
/* Marks every region, on stable storage when the map has a file (one msync); 0 or -errno. */
int wr_mirror_map_mark_all(struct wr_mirror_map *map);
/* true when region was dirty; it is clean afterwards. */
bool wr_mirror_map_test_and_clear(struct wr_mirror_map *map, uint64_t region);
bool wr_mirror_map_test(const struct wr_mirror_map *map, uint64_t region);
/* The first dirty region >= from, or nregions when there is none. */
uint64_t wr_mirror_map_next(const struct wr_mirror_map *map, uint64_t from);
uint64_t wr_mirror_map_dirty(const struct wr_mirror_map *map);
/* Region index of a byte offset. */
static inline uint64_t wr_mirror_map_region(const struct wr_mirror_map *map, uint64_t offset)
{
	return offset >> map->region_shift;
}

/* The mirror's state machine (enum wr_mirror_state in windrose.h):
 *   IN_SYNC    -> DEGRADED    the remote leg failed (error, lost connection, timeout)
 *   DEGRADED   -> RESYNCING   a resync reconnected the remote leg and copies dirty regions
 *   RESYNCING  -> IN_SYNC     every dirty region was copied and none is left
 *   RESYNCING  -> DEGRADED    the remote leg failed again during the resync
 * Nothing else: in particular DEGRADED never returns to IN_SYNC without a resync. */
bool wr_mirror_transition_allowed(uint32_t from, uint32_t to);
/* Compare-and-swap from -> to when allowed; false (nothing changed) otherwise. */
bool wr_mirror_transition(_Atomic uint32_t *state, uint32_t from, uint32_t to);
const char *wr_mirror_state_name(uint32_t state);

#endif /* WR_MIRROR_MAP_H */
