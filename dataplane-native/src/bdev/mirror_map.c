/*
 * mirror_map.c - dirty-region bitmap and state machine of a mirrored bdev (see mirror_map.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "mirror_map.h"

int wr_mirror_map_init(struct wr_mirror_map *map, uint64_t size_bytes, uint32_t region_bytes)
{
	if (region_bytes < 4096 || (region_bytes & (region_bytes - 1)) || size_bytes == 0)
		return -EINVAL;
	map->region_shift = (uint32_t)__builtin_ctz(region_bytes);
	map->nregions = (size_bytes + region_bytes - 1) >> map->region_shift;
	uint64_t nwords = (map->nregions + 63) / 64;
	map->words = calloc(nwords, sizeof(*map->words));
	if (!map->words)
		return -ENOMEM;
	atomic_init(&map->dirty, 0);
	return 0;
}

void wr_mirror_map_fini(struct wr_mirror_map *map)
{
	free(map->words);
	map->words = NULL;
}

static void mark_region(struct wr_mirror_map *map, uint64_t r)
{
	uint64_t bit = 1ull << (r & 63);
	uint64_t old = atomic_fetch_or_explicit(&map->words[r >> 6], bit, memory_order_acq_rel);
	if (!(old & bit))
		atomic_fetch_add_explicit(&map->dirty, 1, memory_order_relaxed);
}

void wr_mirror_map_mark(struct wr_mirror_map *map, uint64_t offset, uint64_t len)
{
	if (len == 0)
		return;
	uint64_t first = offset >> map->region_shift;
	uint64_t last = (offset + len - 1) >> map->region_shift;
	if (last >= map->nregions)
		last = map->nregions - 1;
	for (uint64_t r = first; r <= last; r++)
		mark_region(map, r);
}

void wr_mirror_map_mark_all(struct wr_mirror_map *map)
{
	for (uint64_t r = 0; r < map->nregions; r++)
		mark_region(map, r);
}

bool wr_mirror_map_test_and_clear(struct wr_mirror_map *map, uint64_t region)
{
	if (region >= map->nregions)
		return false;
	uint64_t bit = 1ull << (region & 63);
	uint64_t old = atomic_fetch_and_explicit(&map->words[region >> 6], ~bit, memory_order_acq_rel);
	if (!(old & bit))
		return false;
	atomic_fetch_sub_explicit(&map->dirty, 1, memory_order_relaxed);
	return true;
}

bool wr_mirror_map_test(const struct wr_mirror_map *map, uint64_t region)
{
	if (region >= map->nregions)
		return false;
	return atomic_load_explicit(&map->words[region >> 6], memory_order_acquire) >> (region & 63) & 1;
}

uint64_t wr_mirror_map_next(const struct wr_mirror_map *map, uint64_t from)
{
	uint64_t nwords = (map->nregions + 63) / 64;
	for (uint64_t w = from >> 6; w < nwords; w++) {
		uint64_t v = atomic_load_explicit(&map->words[w], memory_order_acquire);
		if (w == from >> 6)
			v &= ~0ull << (from & 63);
		if (v) {
			uint64_t r = w * 64 + (uint64_t)__builtin_ctzll(v);
			return r < map->nregions ? r : map->nregions;
		}
	}
	return map->nregions;
}

uint64_t wr_mirror_map_dirty(const struct wr_mirror_map *map)
{
	return atomic_load_explicit(&map->dirty, memory_order_relaxed);
}

bool wr_mirror_transition_allowed(uint32_t from, uint32_t to)
{
	switch (from) {
	case WR_MIRROR_IN_SYNC:
		return to == WR_MIRROR_DEGRADED;
	case WR_MIRROR_DEGRADED:
		return to == WR_MIRROR_RESYNCING;
	case WR_MIRROR_RESYNCING:
		return to == WR_MIRROR_IN_SYNC || to == WR_MIRROR_DEGRADED;
	default:
		return false;
	}
}

bool wr_mirror_transition(_Atomic uint32_t *state, uint32_t from, uint32_t to)
{
	if (!wr_mirror_transition_allowed(from, to))
		return false;
	/* seq_cst: the reactors' submit path reads the state after announcing itself (bdev_mirror.c,
	 * slot_enter), and the control side waits for them after changing it */
	return atomic_compare_exchange_strong(state, &from, to);
}

const char *wr_mirror_state_name(uint32_t state)
{
	switch (state) {
	case WR_MIRROR_IN_SYNC: return "in sync";
	case WR_MIRROR_DEGRADED: return "degraded";
	case WR_MIRROR_RESYNCING: return "resynchronising";
	default: return "?";
	}
}
