/*
 * bdev_mem.c - the memory backends: RAM (anonymous mapping) and null.
 *
 * Both finish every request at submit and hand the completion to the context's pending list, so
 * wr_io_ctx_poll() delivers it (bdev.h: never complete from inside wr_bdev_submit()).
 *
 * Growing (wr_bdev_grow): reactors hold bdev->mem, so the mapping can never move. Open therefore
 * reserves address space beyond the size (PROT_NONE for RAM: costs no memory and no commit charge)
 * and a grow makes more of it usable with mprotect; past the reservation it maps the next range
 * right behind it (MAP_FIXED_NOREPLACE), and fails with -ENOMEM when something else lives there.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bdev_internal.h"

/* Address space reserved at open: room to double, and at least this much more. */
#define WR_MEM_RESERVE_MIN_EXTRA (1ull << 30)

static uint64_t page_size(void)
{
	return (uint64_t)sysconf(_SC_PAGESIZE);
}

static uint64_t page_round_up(uint64_t v)
{
	const uint64_t page = page_size();
	return (v + page - 1) & ~(page - 1);
}

/* size_bytes usable with prot, the rest of the reservation PROT_NONE (for PROT_READ mappings the
 * whole reservation is readable: read-only private zero pages cost nothing until touched). */
static int mem_map(struct wr_bdev *bdev, int prot)
{
	uint64_t extra = bdev->size_bytes > WR_MEM_RESERVE_MIN_EXTRA ? bdev->size_bytes
								     : WR_MEM_RESERVE_MIN_EXTRA;
	uint64_t reserve = page_round_up(bdev->size_bytes) + page_round_up(extra);
	int reserve_prot = prot == PROT_READ ? PROT_READ : PROT_NONE;
	/* MAP_NORESERVE: a 1 GiB namespace costs only the pages actually written. */
	void *mem = mmap(NULL, reserve, reserve_prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		return -errno;
	if (prot != reserve_prot && mprotect(mem, page_round_up(bdev->size_bytes), prot) != 0) {
		int rc = -errno;
		munmap(mem, reserve);
		return rc;
	}
	bdev->mem = mem;
	bdev->reserved = reserve;
	return 0;
}

/* Makes [0, new_size) usable; see the file comment. */
static int mem_grow(struct wr_bdev *bdev, uint64_t new_size, int prot)
{
	uint64_t have = page_round_up(bdev->size_bytes), want = page_round_up(new_size);
	if (want > bdev->reserved) {
		uint64_t more = want - bdev->reserved;
		void *at = bdev->mem + bdev->reserved;
		void *got = mmap(at, more, PROT_NONE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
		if (got == MAP_FAILED)
			return errno == EEXIST ? -ENOMEM : -errno;
		if (got != at) { /* kernels before 4.17 take the flag as a hint only */
			munmap(got, more);
			return -ENOMEM;
		}
		bdev->reserved += more;
	}
	if (want > have && mprotect(bdev->mem + have, want - have, prot) != 0)
		return -errno;
	return 0;
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

/* Discard on RAM: give whole pages back to the kernel (they read as zeroes afterwards) and clear
 * the unaligned edges by hand, so a large deallocate also frees memory. */
static void ram_discard(struct wr_bdev *bdev, uint64_t off, uint64_t len)
{
	const uint64_t page = page_size();
	uint64_t first = (off + page - 1) & ~(page - 1);
	uint64_t last = (off + len) & ~(page - 1);
	if (first >= last || madvise(bdev->mem + first, last - first, MADV_DONTNEED) != 0) {
		memset(bdev->mem + off, 0, len);
		return;
	}
	memset(bdev->mem + off, 0, first - off);
	memset(bdev->mem + last, 0, off + len - last);
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
		memset(bdev->mem + off, 0, len);
		break;
	case WR_BDEV_OP_DISCARD:
		ram_discard(bdev, off, len);
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
	rc = mem_map(bdev, PROT_READ | PROT_WRITE);
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
	rc = mem_map(bdev, PROT_READ);
	if (rc)
		return rc;
	bdev->ops = &null_ops;
	return 0;
}
