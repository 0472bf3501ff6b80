/*
 * bdev.c - the backend-independent half of bdev.h: opening, validation and dispatch.
 *
 * Every request is validated here before a backend sees it, so the backends may trust the range
 * and the buffer sizes: a bad LBA range or a short iovec list is -EINVAL at submit, never a
 * partial transfer.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "bdev_internal.h"

#ifndef IOV_MAX
#define IOV_MAX 1024 /* Linux UIO_MAXIOV: preadv/pwritev and io_uring refuse more */
#endif

static bool is_power_of_two(uint32_t v)
{
	return v && !(v & (v - 1));
}

static int validate_open_opts(const struct wr_bdev_open_opts *opts)
{
	if (!opts)
		return -EINVAL;
	if (opts->block_size && (!is_power_of_two(opts->block_size) || opts->block_size < 512 ||
				 opts->block_size > 65536))
		return -EINVAL;
	switch (opts->type) {
	case WR_BDEV_NULL:
	case WR_BDEV_RAM:
		return opts->size_bytes ? 0 : -EINVAL;
	case WR_BDEV_FILE:
		return opts->path && opts->path[0] ? 0 : -EINVAL;
	}
	return -EINVAL;
}

int wr_bdev_open(const struct wr_bdev_open_opts *opts, struct wr_bdev **out)
{
	int rc = validate_open_opts(opts);
	if (rc)
		return rc;
	struct wr_bdev *bdev = calloc(1, sizeof(*bdev));
	if (!bdev)
		return -ENOMEM;
	bdev->fd = -1;
	switch (opts->type) {
	case WR_BDEV_NULL:
		rc = wr_bdev_null_open(opts, bdev);
		break;
	case WR_BDEV_RAM:
		rc = wr_bdev_ram_open(opts, bdev);
		break;
	case WR_BDEV_FILE:
		rc = wr_bdev_file_open(opts, bdev);
		break;
	}
	if (rc) {
		free(bdev);
		return rc;
	}
	*out = bdev;
	return 0;
}

void wr_bdev_close(struct wr_bdev *bdev)
{
	if (!bdev)
		return;
	bdev->ops->close(bdev);
	free(bdev);
}

void wr_bdev_get_info(const struct wr_bdev *bdev, struct wr_bdev_info *info)
{
	*info = bdev->info;
	info->num_blocks = wr_bdev_num_blocks(bdev);
}

uint64_t wr_bdev_num_blocks(const struct wr_bdev *bdev)
{
	/* pairs with the release store in wr_bdev_grow (see bdev.h) */
	return __atomic_load_n(&bdev->info.num_blocks, __ATOMIC_ACQUIRE);
}

int wr_bdev_grow(struct wr_bdev *bdev, uint64_t new_size_bytes)
{
	if (!bdev)
		return -EINVAL;
	const uint32_t bs = bdev->info.block_size;
	const uint64_t old_size = wr_bdev_num_blocks(bdev) * bs;
	if (new_size_bytes % bs)
		return -EINVAL;
	if (new_size_bytes && new_size_bytes < old_size)
		return -EINVAL; /* shrinking: I/O may be in flight to the blocks that would go */
	if (new_size_bytes == old_size)
		return 0;
	if (!bdev->ops->grow)
		return -EOPNOTSUPP;
	uint64_t size = new_size_bytes;
	int rc = bdev->ops->grow(bdev, &size);
	if (rc)
		return rc;
	size -= size % bs; /* a revalidated file may end in a partial block: it is not addressable */
	if (size < old_size)
		return -EINVAL; /* a revalidated file that shrank behind our back */
	if (size == old_size)
		return 0;
	bdev->size_bytes = size;
	/* Release: the grown backing (ftruncate, mprotect, mmap) is visible to whoever reads the new
	 * count with acquire (wr_bdev_num_blocks). */
	__atomic_store_n(&bdev->info.num_blocks, size / bs, __ATOMIC_RELEASE);
	return 0;
}

const char *wr_bdev_type_name(const struct wr_bdev *bdev)
{
	return bdev->ops->name;
}

static uint64_t iov_total(const struct iovec *iov, int iovcnt)
{
	uint64_t total = 0;
	for (int i = 0; i < iovcnt; i++)
		total += iov[i].iov_len;
	return total;
}

/* Range and buffer checks shared by every backend (see the file comment). */
static int validate_io(const struct wr_bdev *bdev, const struct wr_bdev_io *io)
{
	if (io->op == WR_BDEV_OP_FLUSH)
		return 0;
	if (io->op > WR_BDEV_OP_DISCARD || io->num_blocks == 0)
		return -EINVAL;
	const uint64_t nblocks = wr_bdev_num_blocks(bdev);
	if (io->offset_blocks >= nblocks || io->num_blocks > nblocks - io->offset_blocks)
		return -EINVAL;
	if (io->op == WR_BDEV_OP_READ || io->op == WR_BDEV_OP_WRITE) {
		if (!io->iov || io->iovcnt <= 0 || io->iovcnt > IOV_MAX)
			return -EINVAL;
		if (iov_total(io->iov, io->iovcnt) != io->num_blocks * bdev->info.block_size)
			return -EINVAL;
	}
	return 0;
}

int wr_bdev_submit(struct wr_io_ctx *ctx, struct wr_bdev *bdev, struct wr_bdev_io *io)
{
	if (!ctx || !bdev || !io || !io->cb)
		return -EINVAL;
	int rc = validate_io(bdev, io);
	if (rc)
		return rc;
	if (ctx->inflight >= ctx->depth)
		return -EAGAIN;
	io->bdev = bdev;
	io->next = NULL;
	io->result = 0;
	rc = bdev->ops->submit(ctx, bdev, io);
	if (rc == 0)
		ctx->inflight++;
	return rc;
}

const void *wr_bdev_peek(const struct wr_bdev *bdev, uint64_t offset_blocks, uint64_t num_blocks)
{
	const uint64_t nblocks = wr_bdev_num_blocks(bdev);
	if (!bdev->mem || num_blocks == 0 || offset_blocks >= nblocks || num_blocks > nblocks - offset_blocks)
		return NULL;
	return bdev->mem + offset_blocks * bdev->info.block_size;
}

/* ---- iovec helpers for the memory backends ---- */

void wr_iov_copy_from(const struct iovec *iov, int iovcnt, const uint8_t *src, uint64_t len)
{
	for (int i = 0; i < iovcnt && len; i++) {
		size_t n = iov[i].iov_len < len ? iov[i].iov_len : len;
		memcpy(iov[i].iov_base, src, n);
		src += n;
		len -= n;
	}
}

void wr_iov_copy_to(const struct iovec *iov, int iovcnt, uint8_t *dst, uint64_t len)
{
	for (int i = 0; i < iovcnt && len; i++) {
		size_t n = iov[i].iov_len < len ? iov[i].iov_len : len;
		memcpy(dst, iov[i].iov_base, n);
		dst += n;
		len -= n;
	}
}

void wr_iov_zero(const struct iovec *iov, int iovcnt)
{
	for (int i = 0; i < iovcnt; i++)
		memset(iov[i].iov_base, 0, iov[i].iov_len);
}
