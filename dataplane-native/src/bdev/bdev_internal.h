/*
 * bdev_internal.h - what the bdev backends share with the per-reactor I/O context (private to
 * src/bdev/). Nothing outside src/bdev/ includes this; the contract is bdev.h.
 */
#ifndef WR_BDEV_INTERNAL_H
#define WR_BDEV_INTERNAL_H

#include <liburing.h>
#include <stdbool.h>
#include <stdint.h>

#include "bdev.h"

/* Environment variable that forces the synchronous fallback (tests, and machines whose seccomp
 * profile lets io_uring_queue_init succeed but then fails the operations). */
#define WR_BDEV_ENV_NO_URING "WR_BDEV_NO_URING"

/* Zero-filled buffer used when Write Zeroes / Discard must be emulated by writing zeroes. */
#define WR_BDEV_ZERO_CHUNK (1024u * 1024u)

struct wr_bdev_ops {
	const char *name;
	/* Validated io (range, iov size); queue it on ctx or return -errno. Never completes inline. */
	int (*submit)(struct wr_io_ctx *ctx, struct wr_bdev *bdev, struct wr_bdev_io *io);
	/* io_uring backends: a CQE for io arrived. Returns true when io is finished (status in
	 * io->result), false when it queued a follow-up SQE (chunked zero writes). */
	bool (*on_cqe)(struct wr_io_ctx *ctx, struct wr_bdev_io *io, int res);
	void (*close)(struct wr_bdev *bdev);
	/* Make [0, new_size) of the backing usable (new_size > the current size, a multiple of the
	 * block size; 0 for FILE: the backing's size now, returned in *new_size). Must not touch
	 * info.num_blocks: wr_bdev_grow publishes it afterwards. NULL: cannot grow (-EOPNOTSUPP). */
	int (*grow)(struct wr_bdev *bdev, uint64_t *new_size);
};

struct wr_bdev {
	const struct wr_bdev_ops *ops;
	struct wr_bdev_info info;
	uint64_t size_bytes;
	uint8_t *mem;           /* RAM, null: the mapping */
	uint64_t reserved;      /* RAM, null: bytes of address space mapped at mem (>= size_bytes) */
	uint64_t map_unit;      /* RAM, null: granule of the usable part (2 MiB for RAM, a page for null) */
	enum wr_bdev_mem_backing mem_backing; /* WR_BDEV_MEM_NONE for FILE */
	int fd;                 /* FILE */
	bool is_blockdev;       /* FILE: raw block device, not a regular file */
	uint8_t *zero_buf;      /* FILE: WR_BDEV_ZERO_CHUNK aligned zeroes */
	uint64_t base_offset;   /* FILE: byte of the file or device where block 0 is (an extent) */
	void *priv;             /* MIRROR: struct wr_mirror */
};

struct wr_io_ctx {
	uint32_t depth;
	uint32_t inflight;
	bool have_ring;            /* false: synchronous fallback, see io_ctx.c */
	bool notify;               /* keep the eventfd truthful (adaptive reactors) */
	bool efd_maybe_readable;   /* we or the kernel signalled since the last drain */
	uint32_t idle_polls_since_drain;
	int efd;
	/* Completed I/Os waiting for wr_io_ctx_poll (RAM, null, synchronous fallback). FIFO. */
	struct wr_bdev_io *pending_head;
	struct wr_bdev_io *pending_tail;
	struct wr_io_poller *pollers;   /* see wr_io_ctx_add_poller */
	int poll_epfd;                  /* wr_io_ctx_set_epoll, -1 when none */
	void *poll_tag;
	struct io_uring ring;
};

/* Queue io's completion with status; wr_io_ctx_poll delivers it. */
void wr_io_ctx_complete_later(struct wr_io_ctx *ctx, struct wr_bdev_io *io, int status);
/* An SQE for io (user_data set), or NULL if the ring is full even after flushing. */
struct io_uring_sqe *wr_io_ctx_get_sqe(struct wr_io_ctx *ctx, struct wr_bdev_io *io);

int wr_bdev_ram_open(const struct wr_bdev_open_opts *opts, struct wr_bdev *bdev);
int wr_bdev_null_open(const struct wr_bdev_open_opts *opts, struct wr_bdev *bdev);
int wr_bdev_file_open(const struct wr_bdev_open_opts *opts, struct wr_bdev *bdev);

/* Copy between a flat buffer and an iovec list (RAM / null). */
void wr_iov_copy_from(const struct iovec *iov, int iovcnt, const uint8_t *src, uint64_t len);
void wr_iov_copy_to(const struct iovec *iov, int iovcnt, uint8_t *dst, uint64_t len);
void wr_iov_zero(const struct iovec *iov, int iovcnt);

#endif /* WR_BDEV_INTERNAL_H */
