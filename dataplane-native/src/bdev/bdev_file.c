/*
 * bdev_file.c - regular files and raw block devices, through the reactor's io_uring (or the
 * synchronous fallback of io_ctx.c).
 *
 *  Read / Write  -> READV / WRITEV (FUA: RWF_DSYNC on that write only)
 *  Flush         -> FSYNC with IORING_FSYNC_DATASYNC (fdatasync)
 *  Write Zeroes  -> FALLOCATE(ZERO_RANGE | KEEP_SIZE)
 *  Discard       -> FALLOCATE(PUNCH_HOLE | KEEP_SIZE)
 * When the filesystem refuses the fallocate mode (tmpfs has no ZERO_RANGE, some block devices
 * neither), the range is overwritten with zeroes in WR_BDEV_ZERO_CHUNK pieces, so deallocated and
 * zeroed blocks always read back as zeroes (DLFEAT) whatever the filesystem.
 *
 * O_DIRECT is used when the filesystem supports it for our block size; otherwise the file is
 * opened buffered and a line on stderr says so. Either way Flush and FUA reach stable storage.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "bdev_internal.h"

/* io->result while a zero-writing fallback runs: chunk index + 1 (0 = the fallocate is in flight). */
#define ZERO_PHASE_FALLOCATE 0

static int falloc_mode(const struct wr_bdev_io *io)
{
	return io->op == WR_BDEV_OP_DISCARD ? FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE
					    : FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE;
}

static uint64_t io_offset(const struct wr_bdev *bdev, const struct wr_bdev_io *io)
{
	return bdev->base_offset + io->offset_blocks * bdev->info.block_size;
}

static uint64_t io_length(const struct wr_bdev *bdev, const struct wr_bdev_io *io)
{
	return io->num_blocks * bdev->info.block_size;
}

/* The filesystem does not do this fallocate mode: emulate it by writing zeroes. */
static bool falloc_unsupported(int err)
{
	return err == -EOPNOTSUPP || err == -EINVAL;
}

static uint64_t zero_chunk_len(const struct wr_bdev *bdev, const struct wr_bdev_io *io, uint64_t chunk)
{
	uint64_t len = io_length(bdev, io);
	uint64_t done = chunk * WR_BDEV_ZERO_CHUNK;
	return len - done < WR_BDEV_ZERO_CHUNK ? len - done : WR_BDEV_ZERO_CHUNK;
}

/* ---------------------------------------------------------------- io_uring path */

static int prep_zero_chunk(struct wr_io_ctx *ctx, struct wr_bdev_io *io, uint64_t chunk)
{
	struct wr_bdev *bdev = io->bdev;
	struct io_uring_sqe *sqe = wr_io_ctx_get_sqe(ctx, io);
	if (!sqe)
		return -EAGAIN;
	io_uring_prep_write(sqe, bdev->fd, bdev->zero_buf, (unsigned)zero_chunk_len(bdev, io, chunk),
			    io_offset(bdev, io) + chunk * WR_BDEV_ZERO_CHUNK);
	io->result = (int)(chunk + 1);
	return 0;
}

static int file_submit_uring(struct wr_io_ctx *ctx, struct wr_bdev *bdev, struct wr_bdev_io *io)
{
	struct io_uring_sqe *sqe = wr_io_ctx_get_sqe(ctx, io);
	if (!sqe)
		return -EAGAIN;
	switch (io->op) {
	case WR_BDEV_OP_READ:
		io_uring_prep_readv(sqe, bdev->fd, io->iov, (unsigned)io->iovcnt, io_offset(bdev, io));
		break;
	case WR_BDEV_OP_WRITE:
		io_uring_prep_writev2(sqe, bdev->fd, io->iov, (unsigned)io->iovcnt, io_offset(bdev, io),
				      io->fua ? RWF_DSYNC : 0);
		break;
	case WR_BDEV_OP_FLUSH:
		io_uring_prep_fsync(sqe, bdev->fd, IORING_FSYNC_DATASYNC);
		break;
	case WR_BDEV_OP_WRITE_ZEROES:
	case WR_BDEV_OP_DISCARD:
		io_uring_prep_fallocate(sqe, bdev->fd, falloc_mode(io), io_offset(bdev, io),
					io_length(bdev, io));
		io->result = ZERO_PHASE_FALLOCATE;
		break;
	}
	return 0;
}

/* A CQE of a Write Zeroes / Discard: finished, or the next zero chunk is queued. */
static bool zeroing_step(struct wr_io_ctx *ctx, struct wr_bdev_io *io, int res)
{
	struct wr_bdev *bdev = io->bdev;
	uint64_t next;
	if (io->result == ZERO_PHASE_FALLOCATE) {
		if (!falloc_unsupported(res)) {
			io->result = res < 0 ? res : 0;
			return true;
		}
		next = 0;
	} else {
		uint64_t chunk = (uint64_t)io->result - 1;
		if (res < 0 || (uint64_t)res != zero_chunk_len(bdev, io, chunk)) {
			io->result = res < 0 ? res : -EIO;
			return true;
		}
		next = chunk + 1;
	}
	if (next * WR_BDEV_ZERO_CHUNK >= io_length(bdev, io)) {
		io->result = 0;
		return true;
	}
	int rc = prep_zero_chunk(ctx, io, next);
	if (rc) {
		io->result = rc;
		return true;
	}
	return false;
}

static bool file_on_cqe(struct wr_io_ctx *ctx, struct wr_bdev_io *io, int res)
{
	switch (io->op) {
	case WR_BDEV_OP_READ:
	case WR_BDEV_OP_WRITE:
		/* A short transfer inside the device's range means the device shrank or failed. */
		io->result = res < 0 ? res : ((uint64_t)res == io_length(io->bdev, io) ? 0 : -EIO);
		return true;
	case WR_BDEV_OP_FLUSH:
		io->result = res < 0 ? res : 0;
		return true;
	case WR_BDEV_OP_WRITE_ZEROES:
	case WR_BDEV_OP_DISCARD:
		return zeroing_step(ctx, io, res);
	}
	io->result = -EINVAL;
	return true;
}

/* ---------------------------------------------------------------- synchronous fallback */

static int write_zeroes_sync(struct wr_bdev *bdev, uint64_t off, uint64_t len)
{
	while (len) {
		size_t n = len < WR_BDEV_ZERO_CHUNK ? len : WR_BDEV_ZERO_CHUNK;
		ssize_t w = pwrite(bdev->fd, bdev->zero_buf, n, (off_t)off);
		if (w < 0)
			return -errno;
		if ((size_t)w != n)
			return -EIO;
		off += n;
		len -= n;
	}
	return 0;
}

static int file_run_sync(struct wr_bdev *bdev, struct wr_bdev_io *io)
{
	const uint64_t off = io_offset(bdev, io), len = io_length(bdev, io);
	ssize_t n;
	switch (io->op) {
	case WR_BDEV_OP_READ:
		n = preadv2(bdev->fd, io->iov, io->iovcnt, (off_t)off, 0);
		return n < 0 ? -errno : ((uint64_t)n == len ? 0 : -EIO);
	case WR_BDEV_OP_WRITE:
		n = pwritev2(bdev->fd, io->iov, io->iovcnt, (off_t)off, io->fua ? RWF_DSYNC : 0);
		return n < 0 ? -errno : ((uint64_t)n == len ? 0 : -EIO);
	case WR_BDEV_OP_FLUSH:
		return fdatasync(bdev->fd) ? -errno : 0;
	case WR_BDEV_OP_WRITE_ZEROES:
	case WR_BDEV_OP_DISCARD:
		if (fallocate(bdev->fd, falloc_mode(io), (off_t)off, (off_t)len) == 0)
			return 0;
		if (!falloc_unsupported(-errno))
			return -errno;
		return write_zeroes_sync(bdev, off, len);
	}
	return -EINVAL;
}

static int file_submit(struct wr_io_ctx *ctx, struct wr_bdev *bdev, struct wr_bdev_io *io)
{
	if (wr_io_ctx_uses_uring(ctx))
		return file_submit_uring(ctx, bdev, io);
	wr_io_ctx_complete_later(ctx, io, file_run_sync(bdev, io));
	return 0;
}

static void file_close(struct wr_bdev *bdev)
{
	close(bdev->fd);
	free(bdev->zero_buf);
}

/* Bytes the file or device has now. */
static int backing_size(const struct wr_bdev *bdev, uint64_t *size)
{
	if (bdev->is_blockdev)
		return ioctl(bdev->fd, BLKGETSIZE64, size) == 0 ? 0 : -errno;
	struct stat st;
	if (fstat(bdev->fd, &st) != 0)
		return -errno;
	*size = (uint64_t)st.st_size;
	return 0;
}

/* A whole regular file is extended when it is shorter (never shortened: it may be longer than the
 * namespace already); a block device and an extent must already hold the new range, because what
 * follows an extent belongs to another volume. The reactors never see the new size before this
 * returns (bdev.h: wr_bdev_grow publishes it afterwards), so no I/O reaches the new blocks early. */
static int file_grow(struct wr_bdev *bdev, uint64_t *new_size)
{
	uint64_t have;
	int rc = backing_size(bdev, &have);
	if (rc)
		return rc;
	if (bdev->base_offset) {
		if (!*new_size)
			return -EINVAL; /* an extent's size is what its volume says, never the disk's */
		return bdev->base_offset > have || *new_size > have - bdev->base_offset ? -ENOSPC : 0;
	}
	if (!*new_size) {
		*new_size = have;
		return 0;
	}
	if (*new_size <= have)
		return 0;
	if (bdev->is_blockdev)
		return -ENOSPC;
	return ftruncate(bdev->fd, (off_t)*new_size) == 0 ? 0 : -errno;
}

static const struct wr_bdev_ops file_ops = {
	.name = "file",
	.submit = file_submit,
	.on_cqe = file_on_cqe,
	.close = file_close,
	.grow = file_grow,
};

/* ---------------------------------------------------------------- opening */

/* Can this open file do O_DIRECT at our block size? statx tells (Linux >= 6.1); older kernels
 * answer nothing and we trust that the O_DIRECT open succeeded. */
static bool direct_io_fits(int fd, uint32_t block_size)
{
#ifdef STATX_DIOALIGN
	struct statx stx;
	if (statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &stx) == 0 && (stx.stx_mask & STATX_DIOALIGN))
		return stx.stx_dio_offset_align != 0 && stx.stx_dio_offset_align <= block_size &&
		       stx.stx_dio_mem_align <= WR_BDEV_BUF_ALIGN;
#endif
	return true;
}

static int open_path(const struct wr_bdev_open_opts *opts, bool direct)
{
	int flags = O_RDWR | O_CLOEXEC | (opts->create ? O_CREAT : 0) | (direct ? O_DIRECT : 0);
	int fd = open(opts->path, flags, 0644);
	return fd < 0 ? -errno : fd;
}

static int block_device_geometry(int fd, uint64_t *size, uint32_t *lbs)
{
	int ssz = 0;
	if (ioctl(fd, BLKGETSIZE64, size) != 0 || ioctl(fd, BLKSSZGET, &ssz) != 0)
		return -errno;
	*lbs = (uint32_t)ssz;
	return 0;
}

/* An extent of a disk: a window that must lie inside the file or device as it is. Growing it would
 * write into whatever follows the extent (another volume), so a short device is an error. */
static int window_geometry(const struct wr_bdev_open_opts *opts, struct wr_bdev *bdev, uint64_t size,
			   uint32_t bs)
{
	if (!opts->size_bytes || opts->size_bytes % bs || opts->offset_bytes % bs)
		return -EINVAL;
	if (opts->offset_bytes > size || opts->size_bytes > size - opts->offset_bytes)
		return -ENOSPC;
	bdev->base_offset = opts->offset_bytes;
	bdev->info.block_size = bs;
	bdev->info.num_blocks = opts->size_bytes / bs;
	bdev->size_bytes = opts->size_bytes;
	return 0;
}

/* Size and block size from the file or device and the options; extends a short regular file. */
static int file_geometry(const struct wr_bdev_open_opts *opts, struct wr_bdev *bdev)
{
	struct stat st;
	if (fstat(bdev->fd, &st) != 0)
		return -errno;
	uint64_t size = (uint64_t)st.st_size;
	uint32_t lbs = 512;
	if (S_ISBLK(st.st_mode)) {
		bdev->is_blockdev = true;
		int rc = block_device_geometry(bdev->fd, &size, &lbs);
		if (rc)
			return rc;
	} else if (!S_ISREG(st.st_mode)) {
		return -ENOTBLK;
	}
	uint32_t bs = opts->block_size ? opts->block_size : lbs;
	if (bs < lbs)
		return -EINVAL; /* cannot address less than the device's logical block */
	if (opts->offset_bytes)
		return window_geometry(opts, bdev, size, bs);
	if (opts->size_bytes) {
		if (opts->size_bytes % bs)
			return -EINVAL;
		if (opts->size_bytes > size) {
			if (bdev->is_blockdev)
				return -ENOSPC;
			if (ftruncate(bdev->fd, (off_t)opts->size_bytes) != 0)
				return -errno;
		}
		size = opts->size_bytes;
	}
	if (size / bs == 0)
		return -EINVAL; /* an empty file is no namespace */
	bdev->info.block_size = bs;
	bdev->info.num_blocks = size / bs;
	bdev->size_bytes = bdev->info.num_blocks * bs;
	return 0;
}

/* Open with O_DIRECT when the filesystem takes it at this block size, else buffered, logged. */
static int open_direct_or_buffered(const struct wr_bdev_open_opts *opts, struct wr_bdev *bdev)
{
	struct stat st;
	/* refuse character devices, FIFOs, directories before trying O_DIRECT on them */
	if (stat(opts->path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		return -ENOTBLK;
	int fd = open_path(opts, true);
	if (fd >= 0) {
		bdev->fd = fd;
		int rc = file_geometry(opts, bdev);
		if (rc)
			return rc;
		if (direct_io_fits(fd, bdev->info.block_size)) {
			bdev->info.direct = true;
			return 0;
		}
		close(fd);
		bdev->fd = -1;
		fprintf(stderr, "windrose: bdev: %s: O_DIRECT does not fit %u-byte blocks here; using "
			"buffered I/O (Flush and FUA still reach stable storage)\n",
			opts->path, bdev->info.block_size);
	} else if (fd == -EINVAL) {
		fprintf(stderr, "windrose: bdev: %s: filesystem refuses O_DIRECT; using buffered I/O "
			"(Flush and FUA still reach stable storage)\n", opts->path);
	} else {
		return fd;
	}
	fd = open_path(opts, false);
	if (fd < 0)
		return fd;
	bdev->fd = fd;
	return file_geometry(opts, bdev);
}

int wr_bdev_file_open(const struct wr_bdev_open_opts *opts, struct wr_bdev *bdev)
{
	int rc = open_direct_or_buffered(opts, bdev);
	if (rc)
		goto close_fd;
	bdev->zero_buf = aligned_alloc(WR_BDEV_BUF_ALIGN, WR_BDEV_ZERO_CHUNK);
	if (!bdev->zero_buf) {
		rc = -ENOMEM;
		goto close_fd;
	}
	memset(bdev->zero_buf, 0, WR_BDEV_ZERO_CHUNK);
	bdev->info.volatile_cache = true; /* page cache or the drive's cache: Flush is needed */
	bdev->info.dealloc_reads_zero = true; /* guaranteed by the zero-writing fallback */
	bdev->ops = &file_ops;
	return 0;

close_fd:
	if (bdev->fd >= 0)
		close(bdev->fd);
	return rc;
}
