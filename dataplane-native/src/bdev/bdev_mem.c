/*
 * bdev_mem.c - the memory backends: RAM (anonymous mapping) and null.
 *
 * Both finish every request at submit and hand the completion to the context's pending list, so
 * wr_io_ctx_poll() delivers it (bdev.h: never complete from inside wr_bdev_submit()).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bdev_internal.h"

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
	const uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
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

static void ram_close(struct wr_bdev *bdev)
{
	munmap(bdev->mem, bdev->size_bytes);
}

static const struct wr_bdev_ops ram_ops = {
	.name = "ram",
	.submit = ram_submit,
	.close = ram_close,
};

int wr_bdev_ram_open(const struct wr_bdev_open_opts *opts, struct wr_bdev *bdev)
{
	int rc = mem_geometry(opts, bdev);
	if (rc)
		return rc;
	/* MAP_NORESERVE: a 1 GiB namespace costs only the pages actually written. */
	void *mem = mmap(NULL, bdev->size_bytes, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		return -errno;
	bdev->mem = mem;
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

static void null_close(struct wr_bdev *bdev)
{
	munmap(bdev->mem, bdev->size_bytes);
}

static const struct wr_bdev_ops null_ops = {
	.name = "null",
	.submit = null_submit,
	.close = null_close,
};

int wr_bdev_null_open(const struct wr_bdev_open_opts *opts, struct wr_bdev *bdev)
{
	int rc = mem_geometry(opts, bdev);
	if (rc)
		return rc;
	/* Read-only zero pages for wr_bdev_peek(): the kernel backs them all with its one zero
	 * page, so even a huge null bdev costs page tables only when touched. */
	void *mem = mmap(NULL, bdev->size_bytes, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			 -1, 0);
	if (mem == MAP_FAILED)
		return -errno;
	bdev->mem = mem;
	bdev->ops = &null_ops;
	return 0;
}
