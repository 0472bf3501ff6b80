/*
 * mirror_map.c - dirty-region bitmap and state machine of a mirrored bdev (see mirror_map.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mirror_map.h"

#define MAP_MAGIC 0x424d5257u   /* "WRMB" */
#define MAP_HEADER 4096u         /* the words start on their own page */

struct map_header {
	uint32_t magic;
	uint32_t region_shift;
	uint64_t nregions;
	uint64_t size_bytes;
};

int wr_mirror_map_init(struct wr_mirror_map *map, uint64_t size_bytes, uint32_t region_bytes)
{
	if (region_bytes < 4096 || (region_bytes & (region_bytes - 1)) || size_bytes == 0)
		return -EINVAL;
	map->file_map = NULL;
	map->fd = -1;
	map->region_shift = (uint32_t)__builtin_ctz(region_bytes);
	map->nregions = (size_bytes + region_bytes - 1) >> map->region_shift;
	uint64_t nwords = (map->nregions + 63) / 64;
	map->words = calloc(nwords, sizeof(*map->words));
	if (!map->words)
		return -ENOMEM;
	atomic_init(&map->dirty, 0);
	return 0;
}

int wr_mirror_map_init_file(struct wr_mirror_map *map, uint64_t size_bytes, uint32_t region_bytes,
			    const char *path)
{
	int rc = wr_mirror_map_init(map, size_bytes, region_bytes);
	if (rc)
		return rc;
	free(map->words);
	map->words = NULL;
	size_t len = MAP_HEADER + (map->nregions + 63) / 64 * sizeof(uint64_t);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto err_fd;
	}
	bool fresh = st.st_size == 0;
	if (fresh ? ftruncate(fd, (off_t)len) < 0 : 0) {
		rc = -errno;
		goto err_fd;
	}
	if (!fresh && (uint64_t)st.st_size != len) {
		rc = -EINVAL;      /* made for another size or region size */
		goto err_fd;
	}
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		rc = -errno;
		goto err_fd;
	}
	struct map_header *h = p;
	if (fresh) {
		*h = (struct map_header){ MAP_MAGIC, map->region_shift, map->nregions, size_bytes };
		if (msync(p, len, MS_SYNC) < 0 || fsync(fd) < 0) {
			rc = -errno;
			goto err_map;
		}
	} else if (h->magic != MAP_MAGIC || h->region_shift != map->region_shift ||
		   h->nregions != map->nregions || h->size_bytes != size_bytes) {
		rc = -EINVAL;
		goto err_map;
	}
	map->file_map = p;
	map->file_len = len;
	map->fd = fd;
	map->words = (_Atomic uint64_t *)((uint8_t *)p + MAP_HEADER);
	uint64_t dirty = 0;
	for (uint64_t w = 0; w < (map->nregions + 63) / 64; w++)
		dirty += (uint64_t)__builtin_popcountll(atomic_load(&map->words[w]));
	atomic_store(&map->dirty, dirty);
	return 0;
err_map:
	munmap(p, len);
err_fd:
	close(fd);
	return rc;
}

int wr_mirror_map_sync(struct wr_mirror_map *map)
{
	if (!map->file_map)
		return 0;
	return msync(map->file_map, map->file_len, MS_SYNC) < 0 ? -errno : 0;
}

void wr_mirror_map_fini(struct wr_mirror_map *map)
{
	if (map->file_map) {
		msync(map->file_map, map->file_len, MS_SYNC);
		munmap(map->file_map, map->file_len);
		close(map->fd);
		map->file_map = NULL;
	} else {
		free(map->words);
	}
	map->words = NULL;
}

static void mark_region(struct wr_mirror_map *map, uint64_t r)
{
	uint64_t bit = 1ull << (r & 63);
	uint64_t old = atomic_fetch_or_explicit(&map->words[r >> 6], bit, memory_order_acq_rel);
	if (old & bit)
		return;
	atomic_fetch_add_explicit(&map->dirty, 1, memory_order_relaxed);
	if (map->file_map) {
		/* durable before the write it stands for is acknowledged: once per region and outage */
		uintptr_t page = (uintptr_t)&map->words[r >> 6] & ~(uintptr_t)4095;
		msync((void *)page, 4096, MS_SYNC);
	}
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

int wr_mirror_map_mark_all(struct wr_mirror_map *map)
{
	uint64_t nwords = (map->nregions + 63) / 64, added = 0;
	for (uint64_t w = 0; w < nwords; w++) {
		uint64_t bits = w + 1 < nwords || map->nregions % 64 == 0 ? ~0ull
									    : (1ull << (map->nregions % 64)) - 1;
		uint64_t old = atomic_fetch_or_explicit(&map->words[w], bits, memory_order_acq_rel);
		added += (uint64_t)__builtin_popcountll(bits & ~old);
	}
	atomic_fetch_add_explicit(&map->dirty, added, memory_order_relaxed);
	/* one write-back for the whole map, not one per region as single marks do */
	return wr_mirror_map_sync(map);
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
