/*
 * bdev_mem.c - the memory backends: RAM (anonymous mapping) and null.
 *
 * Both finish every request at submit and hand the completion to the context's pending list, so
 * wr_io_ctx_poll() delivers it (bdev.h: never complete from inside wr_bdev_submit()).
 *
 * RAM is real memory from open on, in huge pages where the machine has them (issue 18): a private
 * anonymous mapping left to fault on first touch reads every never-written block from the
 * kernel's one shared zero page (always in cache, so a fresh namespace benchmarks far faster than
 * a written one) and pays a page fault and a page clear on every first write. So open populates
 * the whole namespace (MADV_POPULATE_WRITE) in 2 MiB pages: hugetlbfs pages when the
 * administrator reserved enough (MAP_HUGETLB; nothing else can split or move them), else
 * transparent huge pages asked for with MADV_HUGEPAGE on a 2 MiB aligned mapping (the machine's
 * default "madvise" policy gives none without it); a kernel without either gets 4 KiB pages,
 * still populated. A namespace larger than the memory available is refused at open (-ENOMEM)
 * instead of dying of the OOM killer once written. Discard clears memory instead of giving it
 * back (MADV_DONTNEED would bring back the zero page, split huge pages and let khugepaged
 * collapse them again at a random later time). RAM is MADV_DONTFORK: a fork of the process
 * (a JVM hosting the library may fork) neither copies it nor turns the reactor's next write into a
 * copy-on-write fault, which for a hugetlbfs page with the pool used up would be SIGBUS.
 *
 * Growing (wr_bdev_grow): reactors hold bdev->mem, so the mapping can never move. Open therefore
 * reserves address space beyond the size (PROT_NONE for RAM: costs no memory and no commit charge)
 * and a grow makes more of it usable with mprotect and populates it; past the reservation it maps
 * the next range right behind it (MAP_FIXED_NOREPLACE), and fails with -ENOMEM when something else
 * lives there.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bdev_internal.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif
#ifndef MAP_HUGETLB
#define MAP_HUGETLB 0x40000
#endif

/* Address space reserved at open: room to double, and at least this much more. */
#define WR_MEM_RESERVE_MIN_EXTRA (1ull << 30)
/* The huge page size asked for (x86-64 and arm64 with 4 KiB base pages: the PMD size). */
#define WR_MEM_HUGE_PAGE (2ull << 20)

static uint64_t page_size(void)
{
	return (uint64_t)sysconf(_SC_PAGESIZE);
}

static uint64_t round_up(uint64_t v, uint64_t to)
{
	return (v + to - 1) & ~(to - 1);
}

/* MemAvailable from /proc/meminfo in bytes, or UINT64_MAX when it cannot be read. */
static uint64_t mem_available(void)
{
	FILE *f = fopen("/proc/meminfo", "re");
	if (!f)
		return UINT64_MAX;
	char line[128];
	unsigned long long kib = 0;
	bool found = false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "MemAvailable: %llu kB", &kib) == 1;
	fclose(f);
	return found ? (uint64_t)kib * 1024 : UINT64_MAX;
}

/* Fault in [p, p + len) writable, so no block reads the zero page and no write faults. */
static int populate(struct wr_bdev *bdev, uint8_t *p, uint64_t len)
{
	if (bdev->mem_backing != WR_BDEV_MEM_HUGETLB && len > mem_available())
		return -ENOMEM;
	if (madvise(p, len, MADV_POPULATE_WRITE) == 0)
		return 0;
	int rc = -errno;
	/* Before 5.14 touch every page by hand; never hugetlbfs pages: with the pool short, a
	 * touch is SIGBUS where the madvise is an error. */
	if (rc != -EINVAL || bdev->mem_backing == WR_BDEV_MEM_HUGETLB)
		return rc == -EFAULT ? -ENOMEM : rc;
	const uint64_t page = page_size();
	for (uint64_t off = 0; off < len; off += page)
		((volatile uint8_t *)p)[off] = 0;
	return 0;
}

/* len bytes of PROT_NONE address space at a 2 MiB boundary (room to trim), or NULL. */
static uint8_t *reserve_aligned(uint64_t len)
{
	uint64_t slack = WR_MEM_HUGE_PAGE;
	uint8_t *raw = mmap(NULL, len + slack, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (raw == MAP_FAILED)
		return NULL;
	uint8_t *at = (uint8_t *)round_up((uintptr_t)raw, WR_MEM_HUGE_PAGE);
	if (at > raw)
		munmap(raw, (uint64_t)(at - raw));
	if (raw + len + slack > at + len)
		munmap(at + len, (uint64_t)(raw + len + slack - (at + len)));
	return at;
}

static uint64_t reserve_size(const struct wr_bdev *bdev)
{
	uint64_t extra = bdev->size_bytes > WR_MEM_RESERVE_MIN_EXTRA ? bdev->size_bytes
								     : WR_MEM_RESERVE_MIN_EXTRA;
	return round_up(bdev->size_bytes, bdev->map_unit) + round_up(extra, bdev->map_unit);
}

/* The usable part of a fresh reservation: read-write and populated; unmaps it on failure. */
static int ram_make_usable(struct wr_bdev *bdev)
{
	uint64_t usable = round_up(bdev->size_bytes, bdev->map_unit);
	int rc = madvise(bdev->mem, bdev->reserved, MADV_DONTFORK) ? -errno : 0;
	if (rc == 0)
		rc = mprotect(bdev->mem, usable, PROT_READ | PROT_WRITE) ? -errno : populate(bdev, bdev->mem, usable);
	if (rc) {
		munmap(bdev->mem, bdev->reserved);
		bdev->mem = NULL;
	}
	return rc;
}

/* hugetlbfs pages, if the administrator reserved enough of them (vm.nr_hugepages). */
static int ram_map_hugetlb(struct wr_bdev *bdev)
{
	bdev->mem_backing = WR_BDEV_MEM_HUGETLB;
	bdev->map_unit = WR_MEM_HUGE_PAGE;
	bdev->reserved = reserve_size(bdev);
	void *mem = mmap(NULL, bdev->reserved, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_HUGETLB, -1, 0);
	if (mem == MAP_FAILED)
		return -errno;
	bdev->mem = mem;
	return ram_make_usable(bdev);
}

/* Transparent huge pages where the kernel has them (MADV_HUGEPAGE), else 4 KiB pages. */
static int ram_map_thp(struct wr_bdev *bdev)
{
	bdev->map_unit = WR_MEM_HUGE_PAGE; /* whole huge pages usable, the last one too */
	bdev->reserved = reserve_size(bdev);
	bdev->mem = reserve_aligned(bdev->reserved);
	if (!bdev->mem)
		return -ENOMEM;
	bdev->mem_backing = madvise(bdev->mem, bdev->reserved, MADV_HUGEPAGE) == 0 ? WR_BDEV_MEM_THP
										   : WR_BDEV_MEM_PAGES;
	return ram_make_usable(bdev);
}

/* null: size_bytes readable, and the rest of the reservation too (read-only private zero pages
 * cost nothing until touched). */
static int null_map(struct wr_bdev *bdev)
{
	bdev->mem_backing = WR_BDEV_MEM_ZERO_PAGE;
	bdev->map_unit = page_size();
	bdev->reserved = reserve_size(bdev);
	/* MAP_NORESERVE: no commit charge for a huge null bdev. */
	void *mem = mmap(NULL, bdev->reserved, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		return -errno;
	bdev->mem = mem;
	return 0;
}

/* Makes [0, new_size) usable with prot (populated for RAM); see the file comment. */
static int mem_grow(struct wr_bdev *bdev, uint64_t new_size, int prot)
{
	const bool ram = bdev->mem_backing != WR_BDEV_MEM_ZERO_PAGE;
	uint64_t have = round_up(bdev->size_bytes, bdev->map_unit), want = round_up(new_size, bdev->map_unit);
	if (want > bdev->reserved) {
		uint64_t more = want - bdev->reserved;
		uint8_t *at = bdev->mem + bdev->reserved;
		int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE;
		if (bdev->mem_backing == WR_BDEV_MEM_HUGETLB)
			flags |= MAP_HUGETLB;
		void *got = mmap(at, more, prot == PROT_READ ? PROT_READ : PROT_NONE, flags, -1, 0);
		if (got == MAP_FAILED)
			return errno == EEXIST ? -ENOMEM : -errno;
		if (got != at) { /* kernels before 4.17 take the flag as a hint only */
			munmap(got, more);
			return -ENOMEM;
		}
		if (bdev->mem_backing == WR_BDEV_MEM_THP)
			madvise(at, more, MADV_HUGEPAGE);
		if (ram && madvise(at, more, MADV_DONTFORK) != 0) {
			int rc = -errno;
			munmap(at, more);
			return rc;
		}
		bdev->reserved += more;
	}
	if (want <= have || prot == PROT_READ)
		return 0; /* null: the whole reservation is readable already */
	if (mprotect(bdev->mem + have, want - have, prot) != 0)
		return -errno;
	int rc = ram ? populate(bdev, bdev->mem + have, want - have) : 0;
	if (rc) /* back to reserved: nothing may reach pages that could not be had */
		mprotect(bdev->mem + have, want - have, PROT_NONE);
	return rc;
}

static uint32_t block_size_or_default(const struct wr_bdev_open_opts *opts)
{
	return opts->block_size ? opts->block_size : 512u;
}

static int mem_geometry(const struct wr_bdev_open_opts *opts, struct wr_bdev *bdev)
{
	uint32_t bs = block_size_or_default(opts);
	if (opts->size_bytes % bs)
		return -EINVAL;
	bdev->size_bytes = opts->size_bytes;
	bdev->info.block_size = bs;
	bdev->info.num_blocks = opts->size_bytes / bs;
	bdev->info.volatile_cache = false; /* nothing survives anyway; Flush has nothing to do */
	bdev->info.direct = false;
	bdev->info.dealloc_reads_zero = true;
	return 0;
}

static int ram_submit(struct wr_io_ctx *ctx, struct wr_bdev *bdev, struct wr_bdev_io *io)
{
	const uint64_t off = io->offset_blocks * bdev->info.block_size;
	const uint64_t len = io->num_blocks * bdev->info.block_size;
	switch (io->op) {
	case WR_BDEV_OP_READ:
		wr_iov_copy_from(io->iov, io->iovcnt, bdev->mem + off, len);
		break;
	case WR_BDEV_OP_WRITE:
		wr_iov_copy_to(io->iov, io->iovcnt, bdev->mem + off, len);
		break;
	case WR_BDEV_OP_FLUSH:
		break;
	case WR_BDEV_OP_WRITE_ZEROES:
	case WR_BDEV_OP_DISCARD: /* the memory stays: see the file comment */
		memset(bdev->mem + off, 0, len);
		break;
	}
	wr_io_ctx_complete_later(ctx, io, 0);
	return 0;
}

static void mem_close(struct wr_bdev *bdev)
{
	munmap(bdev->mem, bdev->reserved);
}

static int ram_grow(struct wr_bdev *bdev, uint64_t *new_size)
{
	return *new_size ? mem_grow(bdev, *new_size, PROT_READ | PROT_WRITE) : -EINVAL;
}

static const struct wr_bdev_ops ram_ops = {
	.name = "ram",
	.submit = ram_submit,
	.close = mem_close,
	.grow = ram_grow,
};

int wr_bdev_ram_open(const struct wr_bdev_open_opts *opts, struct wr_bdev *bdev)
{
	int rc = mem_geometry(opts, bdev);
	if (rc)
		return rc;
	rc = ram_map_hugetlb(bdev);
	if (rc)
		rc = ram_map_thp(bdev);
	if (rc)
		return rc;
	bdev->ops = &ram_ops;
	return 0;
}

static int null_submit(struct wr_io_ctx *ctx, struct wr_bdev *bdev, struct wr_bdev_io *io)
{
	if (io->op == WR_BDEV_OP_READ)
		wr_iov_zero(io->iov, io->iovcnt);
	wr_io_ctx_complete_later(ctx, io, 0);
	return 0;
}

static int null_grow(struct wr_bdev *bdev, uint64_t *new_size)
{
	return *new_size ? mem_grow(bdev, *new_size, PROT_READ) : -EINVAL;
}

static const struct wr_bdev_ops null_ops = {
	.name = "null",
	.submit = null_submit,
	.close = mem_close,
	.grow = null_grow,
};

int wr_bdev_null_open(const struct wr_bdev_open_opts *opts, struct wr_bdev *bdev)
{
	int rc = mem_geometry(opts, bdev);
	if (rc)
		return rc;
	/* Read-only zero pages for wr_bdev_peek(): the kernel backs them all with its one zero
	 * page, so even a huge null bdev costs page tables only when touched. */
	rc = null_map(bdev);
	if (rc)
		return rc;
	bdev->ops = &null_ops;
	return 0;
}

static const char *backing_name(enum wr_bdev_mem_backing b)
{
	switch (b) {
	case WR_BDEV_MEM_ZERO_PAGE: return "zero page";
	case WR_BDEV_MEM_HUGETLB: return "hugetlb";
	case WR_BDEV_MEM_THP: return "thp";
	case WR_BDEV_MEM_PAGES: return "4k";
	default: return "none";
	}
}

/* AnonHugePages of the mappings that overlap [start, end), in bytes. */
static uint64_t thp_bytes(uintptr_t start, uintptr_t end)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	if (!f)
		return 0;
	char line[512];
	bool inside = false;
	uint64_t total = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		unsigned long long kib;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			inside = lo < end && hi > start;
		else if (inside && sscanf(line, "AnonHugePages: %llu kB", &kib) == 1)
			total += (uint64_t)kib * 1024;
	}
	fclose(f);
	return total;
}

void wr_bdev_mem_info(const struct wr_bdev *bdev, struct wr_bdev_mem_info *out)
{
	memset(out, 0, sizeof(*out));
	out->backing = bdev->mem ? bdev->mem_backing : WR_BDEV_MEM_NONE;
	out->backing_name = backing_name(out->backing);
	if (out->backing == WR_BDEV_MEM_NONE)
		return;
	out->usable_bytes = round_up(wr_bdev_num_blocks(bdev) * bdev->info.block_size, bdev->map_unit);
	if (out->backing == WR_BDEV_MEM_HUGETLB)
		out->huge_bytes = out->usable_bytes;
	else if (out->backing == WR_BDEV_MEM_THP)
		out->huge_bytes = thp_bytes((uintptr_t)bdev->mem, (uintptr_t)bdev->mem + out->usable_bytes);
}
