/*
 * bdev.h - block devices behind namespaces (internal to libwindrose, not part of windrose.h).
 *
 * A wr_bdev is opened on a control thread and is immutable afterwards (except its size, which
 * wr_bdev_grow only raises, see there), so any reactor may submit to it. I/O goes through a per-reactor wr_io_ctx (one io_uring per reactor, shared by all the
 * bdevs that reactor touches), so one poll reaps every completion of that reactor.
 *
 * Completions are never delivered from inside wr_bdev_submit(): even a RAM bdev that finishes at
 * once queues the completion in the context, and wr_io_ctx_poll() runs the callbacks. Callers may
 * therefore submit from within a callback and never recurse.
 *
 * Nothing here allocates after wr_io_ctx_create(): struct wr_bdev_io is embedded in the caller's
 * request, and data buffers are the caller's (aligned to WR_BDEV_BUF_ALIGN for O_DIRECT).
 */
#ifndef WR_BDEV_H
#define WR_BDEV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "windrose.h"

#define WR_BDEV_BUF_ALIGN 4096u

enum wr_bdev_type {
	WR_BDEV_NULL,  /* reads return zeroes, writes are dropped: for benchmarks */
	WR_BDEV_RAM,   /* anonymous memory, lost on exit */
	WR_BDEV_FILE,  /* regular file or raw block device (O_DIRECT where the filesystem allows) */
};

struct wr_bdev_open_opts {
	enum wr_bdev_type type;
	const char *path;       /* WR_BDEV_FILE */
	uint64_t size_bytes;    /* NULL/RAM: required; FILE: 0 = use the file's size, else create/extend */
	uint32_t block_size;    /* 0 = 512 (or the device's logical block size) */
	bool create;            /* FILE: create the file if missing */
	/* Added for disk-pool extents (nothing above changed):
	 * FILE: the namespace is bytes [offset_bytes, offset_bytes + size_bytes) of the file or device.
	 * Nonzero: size_bytes is required, both are multiples of the block size, the range must lie
	 * inside what exists (never created or extended), and no I/O ever reaches outside it. */
	uint64_t offset_bytes;
};

struct wr_bdev_info {
	uint64_t num_blocks;
	uint32_t block_size;
	bool volatile_cache;    /* true when data may sit in a cache until flushed (VWC) */
	bool direct;            /* opened with O_DIRECT */
	bool dealloc_reads_zero;/* deallocated blocks read back as zeroes (DLFEAT) */
};

struct wr_bdev;
struct wr_io_ctx;

enum wr_bdev_op {
	WR_BDEV_OP_READ,
	WR_BDEV_OP_WRITE,
	WR_BDEV_OP_FLUSH,        /* everything written before reaches stable storage */
	WR_BDEV_OP_WRITE_ZEROES,
	WR_BDEV_OP_DISCARD,      /* deallocate; reads return zeroes afterwards */
};

struct wr_bdev_io;
/* status: 0 or a negative errno. */
typedef void (*wr_bdev_cb)(struct wr_bdev_io *io, int status);

struct wr_bdev_io {
	/* filled by the caller */
	enum wr_bdev_op op;
	bool fua;                /* WRITE: durable before completion */
	uint64_t offset_blocks;
	uint64_t num_blocks;
	struct iovec *iov;       /* READ/WRITE: buffers covering num_blocks * block_size bytes */
	int iovcnt;
	wr_bdev_cb cb;
	void *cb_arg;
	/* owned by the bdev layer while in flight */
	struct wr_bdev *bdev;
	struct wr_bdev_io *next;
	int result;
};

int wr_bdev_open(const struct wr_bdev_open_opts *opts, struct wr_bdev **out);
void wr_bdev_close(struct wr_bdev *bdev);
void wr_bdev_get_info(const struct wr_bdev *bdev, struct wr_bdev_info *info);
const char *wr_bdev_type_name(const struct wr_bdev *bdev);

/* One per reactor; queue_depth bounds the I/Os in flight through this context. */
int wr_io_ctx_create(uint32_t queue_depth, struct wr_io_ctx **out);
void wr_io_ctx_destroy(struct wr_io_ctx *ctx);
/* Readable when completions are pending (for epoll in adaptive mode), or -1 if not applicable. */
int wr_io_ctx_fd(const struct wr_io_ctx *ctx);
/* 0 when queued, -EAGAIN when the context is full (retry after a poll), other -errno on error. */
int wr_bdev_submit(struct wr_io_ctx *ctx, struct wr_bdev *bdev, struct wr_bdev_io *io);
/* Runs up to budget completion callbacks; returns how many ran (0 = idle). */
int wr_io_ctx_poll(struct wr_io_ctx *ctx, uint32_t budget);
/* I/Os submitted and not yet completed. */
uint32_t wr_io_ctx_inflight(const struct wr_io_ctx *ctx);

/* Added by the bdev work (nothing above changed):
 * Keep wr_io_ctx_fd() truthful (default on). Busy-polling reactors switch it off: no eventfd
 * writes/reads and no kernel signalling per completion; wr_io_ctx_fd() then returns -1. */
void wr_io_ctx_set_notify(struct wr_io_ctx *ctx, bool on);
/* false when the context runs the synchronous fallback (no io_uring). */
bool wr_io_ctx_uses_uring(const struct wr_io_ctx *ctx);
/* Zero-copy reads from memory: for RAM and null bdevs the bytes of the blocks live at a stable
 * address for the bdev's life; this returns it (NULL for bdevs that need real I/O, e.g. FILE, or
 * for a range outside the bdev). A target may send C2HData straight from it instead of submitting a
 * READ into its own buffer: one copy (into the socket) instead of two. A write to the same blocks
 * while the send is in flight may be seen partially, which NVMe allows for overlapping commands. */
const void *wr_bdev_peek(const struct wr_bdev *bdev, uint64_t offset_blocks, uint64_t num_blocks);

/* Added for live namespace resize (nothing above changed):
 * Grows the bdev to new_size_bytes while I/O runs; for a whole FILE, 0 means "the file's or the
 * device's size now" (a revalidate). A regular file is extended (ftruncate) when it is shorter; a
 * block device and an extent are never extended: -ENOSPC when the new range does not lie inside
 * what exists. RAM and null grow inside the address range reserved at open (or right after it).
 * Shrinking is -EINVAL (I/O may be in flight to the blocks that would go), as is a size that is
 * not a multiple of the block size; the same size is 0 and changes nothing.
 *
 * Publication: the backing is grown first, then info.num_blocks is stored with release order;
 * the submit path reads it with acquire order (wr_bdev_num_blocks), so whoever sees the new count
 * also sees the grown backing. An I/O racing the resize was checked against the old or the new
 * count, and both lie inside the backing by then: the old range never goes away. Control threads
 * only (callers serialise grows of one bdev). */
int wr_bdev_grow(struct wr_bdev *bdev, uint64_t new_size_bytes);
/* info.num_blocks as published by wr_bdev_grow (acquire). */
uint64_t wr_bdev_num_blocks(const struct wr_bdev *bdev);

/* Added for speed that holds (issue 18; nothing above changed):
 * what backs a memory bdev. A RAM bdev is populated at open and at every grow (never the zero
 * page, no first-touch faults), in hugetlbfs pages when enough are reserved, else in transparent
 * huge pages where the kernel gives them; see bdev_mem.c. */
enum wr_bdev_mem_backing {
	WR_BDEV_MEM_NONE,      /* not a memory bdev (FILE) */
	WR_BDEV_MEM_ZERO_PAGE, /* null: the kernel's shared zero page, read-only */
	WR_BDEV_MEM_HUGETLB,   /* RAM in hugetlbfs pages (MAP_HUGETLB) */
	WR_BDEV_MEM_THP,       /* RAM advised MADV_HUGEPAGE: huge where the kernel found them */
	WR_BDEV_MEM_PAGES,     /* RAM in base pages (a kernel without transparent huge pages) */
};
struct wr_bdev_mem_info {
	enum wr_bdev_mem_backing backing;
	const char *backing_name;  /* "hugetlb", "thp", "4k", "zero page" or "none" */
	uint64_t usable_bytes;     /* mapped read-write (RAM: populated), >= the size */
	uint64_t huge_bytes;       /* of those, in huge pages now (THP: from /proc/self/smaps) */
};
/* Fills *out; reads /proc/self/smaps for THP, so control threads only. */
void wr_bdev_mem_info(const struct wr_bdev *bdev, struct wr_bdev_mem_info *out);


/* Added for synchronous mirroring (issue 16; nothing above changed), see bdev_mirror.c and the
 * mirrored-namespace section of windrose.h:
 * a bdev whose reads go to local and whose writes go to local and to a namespace of another
 * NVMe/TCP target. queues: the most reactors (I/O contexts) that will submit to it; each gets its
 * own remote queue. Connects before returning (blocking). Takes ownership of local on success
 * only (closing the mirror closes it). */
int wr_bdev_mirror_open(struct wr_bdev *local, const struct wr_mirror_opts *opts, uint16_t queues,
			struct wr_bdev **out);
bool wr_bdev_is_mirror(const struct wr_bdev *bdev);
void wr_bdev_mirror_status(const struct wr_bdev *bdev, struct wr_mirror_status *out);
/* See wr_ns_mirror_release. */
void wr_bdev_mirror_release(struct wr_bdev *bdev);
/* Before a close of a mirror that may still have I/O: releases held writes and makes a running
 * resync stop at its next region (-ECANCELED), so that draining does not wait for them. */
void wr_bdev_mirror_shutdown(struct wr_bdev *bdev);
/* Blocking, control threads only; see wr_ns_mirror_resync. */
int wr_bdev_mirror_resync(struct wr_bdev *bdev);

/* For backends that complete I/O outside io_uring and the pending list (the mirror's remote
 * leg): a poller is called by every wr_io_ctx_poll while registered. Register and unregister only
 * on the context's own thread; poll returns the completions it delivered and clears *keep to be
 * unregistered. No allocation: the poller is embedded in the backend's per-context state.
 * fd: a socket whose readability announces the poller's completions (-1: none); set fd_changed
 * when it changes. spin: the poller needs polls that no fd announces (a send the socket buffer
 * held back, requests waiting for something else). */
struct wr_io_poller {
	int (*poll)(struct wr_io_poller *p, bool *keep);
	struct wr_io_poller *next;
	int fd;
	bool fd_changed;
	bool spin;
	bool registered;
	bool watched;            /* fd is in the epoll set given to wr_io_ctx_set_epoll */
};
void wr_io_ctx_add_poller(struct wr_io_ctx *ctx, struct wr_io_poller *p);
/* The reactor's epoll set: a registered poller's fd is added to it (level-triggered, tag as
 * epoll_event.data.ptr) and stays there until it is closed, so that a reactor may sleep while a
 * poller waits for its socket. Without it (or a poller without fd) wr_io_ctx_pollers_need_spin is
 * true while a poller is registered. */
void wr_io_ctx_set_epoll(struct wr_io_ctx *ctx, int epfd, void *tag);
/* true while a registered poller's completions would not wake an epoll_wait on that set: an
 * adaptive reactor keeps polling instead of sleeping. */
bool wr_io_ctx_pollers_need_spin(const struct wr_io_ctx *ctx);

#endif /* WR_BDEV_H */
