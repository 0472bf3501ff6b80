/*
 * bdev_mirror.c - a synchronous mirror: reads from the local leg, writes to the local leg and to a
 * namespace of the partner's target over NVMe/TCP (libwrinit), the host's command completing when
 * both legs have (windrose.h, "Mirrored namespaces", says what the host sees).
 *
 * Per reactor (per wr_io_ctx) a slot: one remote I/O queue, a pool of mirror requests as deep as
 * that queue, and a poller registered with the context while remote I/O or deferred writes are
 * outstanding (the remote leg completes on a socket no eventfd announces). A slot is claimed by
 * the first context that submits through it (compare-and-swap); nothing on the I/O path locks or
 * allocates. The local leg is a child request submitted to the local bdev through the same
 * context; the parent completes through the context's pending list when the last leg is done.
 *
 * Control side (wr_bdev_mirror_resync, the admin thread, close) against the reactors:
 *  - state (mirror_map.h) is read with seq_cst after a slot announced itself (slot->seq odd);
 *    quiesce() waits until every slot has left the submit or poll it was in when the state
 *    changed, so afterwards every slot sees the new state;
 *  - a slot touches its remote queue only while q_busy is set; after DEGRADED and a quiesce no slot
 *    starts remote I/O, so once every q_busy is clear the old connection may be closed. A new one
 *    is published with gen; slots pick their queue up when they see gen change.
 *  - a resync copies region r after announcing it in `copying` and waiting for writers[r] (host
 *    writes in flight to r, counted before they look at `copying`) to reach zero; host writes that
 *    find r being copied wait on the slot's deferred list. A write is therefore wholly before the
 *    copy's local read (and in the copy) or wholly after the copy's remote write (and on both
 *    legs): nothing written during a resync is lost.
 *
 * What the partner acknowledged is not yet durable there: its leg may have a volatile cache (a
 * file in its page cache) that only a Flush commits. So every region the remote leg completed a
 * write to is stamped with the flush epoch current at that completion (written_epoch), and a
 * remote Flush takes the epoch up by one before it is sent: once it succeeds, every write stamped
 * with an epoch up to the one it took had completed before it was sent and is durable
 * (flushed_epoch). When the remote leg fails, mirror_degrade marks dirty every region stamped
 * after flushed_epoch: a partner that lost its cache lacks at most those. A completion racing
 * with the failure stamps, then reads the state (both seq_cst) and marks its regions itself when
 * it sees DEGRADED; the degrading side sets the state, then scans: one of the two marks them.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bdev_internal.h"
#include "mirror_map.h"
#include "wrinit.h"

#define MIRROR_DEFAULT_TIMEOUT_MS 5000u
#define MIRROR_DEFAULT_REGION (1u << 20)
#define MIRROR_QUEUE_DEPTH 128u
#define MIRROR_MAX_IO (128u * 1024u)     /* the target's MDTS (2^5 pages): no host I/O is larger */
#define MIRROR_WZ_MAX 65536u             /* Write Zeroes NLB is 16 bits, zero-based */
#define MIRROR_ADMIN_PERIOD_US 100000u
#define MIRROR_POLL_BUDGET 64u
#define NO_REGION UINT64_MAX

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

struct wr_mirror;
struct mirror_slot;

/* One host write, write zeroes, deallocate or flush in flight. */
struct mirror_io {
	struct wr_bdev_io local;          /* the local leg's request */
	struct wr_bdev_io *parent;        /* the host's */
	struct mirror_slot *slot;
	struct mirror_io *next_free;
	uint64_t zero_next, zero_left;    /* remote Write Zeroes still to send, in blocks */
	uint64_t region_first;            /* writers[] held, NO_REGION when none */
	uint64_t region_last;
	uint64_t flush_epoch;             /* a Flush: the epoch it covers once it succeeds */
	int local_status;
	int remote_status;
	uint8_t pending;                  /* legs outstanding */
	bool busy;                        /* started, not yet put back */
};

struct mirror_slot {
	_Atomic(struct wr_io_ctx *) ctx;  /* the context that owns the slot, NULL while free */
	struct wr_mirror *m;
	uint16_t index;                   /* its remote I/O queue */
	struct wr_io_poller poller;
	struct wri_queue *q;              /* queue of the connection of generation q_gen */
	uint32_t q_gen;
	struct mirror_io *ios;
	struct mirror_io *free_ios;
	uint32_t busy_ios;                /* ios started and not yet put back */
	uint32_t remote_inflight;
	uint64_t progress_ns;             /* last remote completion (or first submit) */
	struct wr_bdev_io *defer_head, *defer_tail; /* writes waiting for a region copy or a hold */
	struct wr_bdev_io *held_head;     /* completions held (WR_MIRROR_HOLD_ON_DEGRADE), status in result */
	_Atomic uint32_t seq;             /* odd while in submit or poll, see quiesce() */
	_Atomic bool q_busy;              /* may touch q (remote I/O in flight) */
} __attribute__((aligned(64)));

struct wr_mirror {
	struct wr_bdev *local;
	struct wr_mirror_opts opts;
	uint32_t block_size;
	uint64_t size_bytes;
	_Atomic uint32_t state;
	_Atomic bool hold;                /* writes wait for wr_bdev_mirror_release */
	_Atomic uint32_t marking;         /* > 0 while a degrade may still be marking (mark_unflushed) */
	struct wr_mirror_map map;
	_Atomic uint32_t *writers;        /* per region: host writes in flight to it */
	_Atomic uint64_t *written_epoch;  /* per region: flush epoch of the last remote write, 0 none */
	_Atomic uint64_t flush_epoch;     /* taken up by one by every remote Flush sent, from 1 */
	_Atomic uint64_t flushed_epoch;   /* writes stamped up to this are durable on the partner */
	_Atomic uint64_t copying;         /* region a resync copies now, NO_REGION */
	pthread_mutex_t ctl;              /* control side: ctrl and its replacement */
	struct wri_ctrl *ctrl;            /* the connection now, NULL when none */
	_Atomic(struct wri_ctrl *) pub_ctrl;
	_Atomic uint32_t gen;
	_Atomic bool resync_running;
	_Atomic uint64_t resync_done, resync_total, degraded_count, remote_ios;
	_Atomic int32_t last_error;
	pthread_t admin_thread;
	bool admin_started;
	_Atomic bool stop;
	uint16_t nslots;
	uint16_t depth;
	struct mirror_slot *slots;
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---------------------------------------------------------------- state */

/* The partner may lose what it acknowledged since its last successful Flush: mark it. */
static void mark_unflushed(struct wr_mirror *m)
{
	uint64_t flushed = atomic_load(&m->flushed_epoch);
	uint64_t n = 0;
	for (uint64_t r = 0; r < m->map.nregions; r++) {
		uint64_t e = atomic_load_explicit(&m->written_epoch[r], memory_order_relaxed);
		if (e && e > flushed && !wr_mirror_map_test(&m->map, r)) {
			wr_mirror_map_mark(&m->map, r << m->map.region_shift, 1);
			n++;
		}
	}
	if (n)
		fprintf(stderr, "windrose: mirror to %s:%u %s nsid %u: %llu region(s) written since the "
			"partner's last flush marked dirty\n", m->opts.addr, m->opts.port, m->opts.subnqn,
			m->opts.nsid, (unsigned long long)n);
}

/* Any state -> DEGRADED, from a reactor or the admin thread; err is what failed. */
static void mirror_degrade(struct wr_mirror *m, int err)
{
	atomic_store_explicit(&m->last_error, err, memory_order_relaxed);
	uint32_t st = atomic_load(&m->state);
	while (st != WR_MIRROR_DEGRADED) {
		/* before the state: whoever sees DEGRADED sees the hold and the marking too */
		if (m->opts.flags & WR_MIRROR_HOLD_ON_DEGRADE)
			atomic_store(&m->hold, true);
		atomic_fetch_add(&m->marking, 1);
		bool won = wr_mirror_transition(&m->state, st, WR_MIRROR_DEGRADED);
		if (won) {
			mark_unflushed(m);   /* after the state: see the file comment */
			atomic_fetch_add_explicit(&m->degraded_count, 1, memory_order_relaxed);
			fprintf(stderr, "windrose: mirror to %s:%u %s nsid %u: %s -> degraded (%d)\n",
				m->opts.addr, m->opts.port, m->opts.subnqn, m->opts.nsid,
				wr_mirror_state_name(st), err);
		}
		atomic_fetch_sub(&m->marking, 1);
		if (won)
			return;
		st = atomic_load(&m->state);
	}
}

/* Writes and flushes wait (and so does the completion of one whose remote leg failed): for
 * wr_bdev_mirror_release (WR_MIRROR_HOLD_ON_DEGRADE), or while a degrade on another reactor is
 * still marking what the partner may lack, so that no Flush is acknowledged before those marks
 * are on stable storage. */
static bool writes_wait(struct wr_mirror *m)
{
	return atomic_load(&m->hold) || atomic_load(&m->marking) > 0;
}

/* ---------------------------------------------------------------- I/O path */

static bool has_range(enum wr_bdev_op op)
{
	return op == WR_BDEV_OP_WRITE || op == WR_BDEV_OP_WRITE_ZEROES || op == WR_BDEV_OP_DISCARD;
}

static void writers_put(struct wr_mirror *m, uint64_t first, uint64_t last)
{
	if (first == NO_REGION)
		return;
	for (uint64_t r = first; r <= last; r++)
		atomic_fetch_sub_explicit(&m->writers[r], 1, memory_order_release);
}

static void mark_io(struct wr_mirror *m, const struct wr_bdev_io *io)
{
	wr_mirror_map_mark(&m->map, io->offset_blocks * m->block_size, io->num_blocks * m->block_size);
}

/* The partner completed a write to [offset, offset + len): durable there only after a Flush. */
static void stamp_written(struct wr_mirror *m, uint64_t offset, uint64_t len)
{
	uint64_t e = atomic_load(&m->flush_epoch);
	uint64_t first = wr_mirror_map_region(&m->map, offset);
	uint64_t last = wr_mirror_map_region(&m->map, offset + len - 1);
	for (uint64_t r = first; r <= last; r++)
		if (atomic_load_explicit(&m->written_epoch[r], memory_order_relaxed) != e)
			atomic_store(&m->written_epoch[r], e);
	/* after the stamps: a degrade that scanned before them is seen here */
	if (atomic_load(&m->state) == WR_MIRROR_DEGRADED)
		wr_mirror_map_mark(&m->map, offset, len);
}

/* A remote Flush covering epoch e succeeded. */
static void flushed_up_to(struct wr_mirror *m, uint64_t e)
{
	uint64_t cur = atomic_load(&m->flushed_epoch);
	while (cur < e && !atomic_compare_exchange_weak(&m->flushed_epoch, &cur, e))
		;
}

static void io_put(struct mirror_slot *s, struct mirror_io *mio)
{
	if (mio->busy) {
		mio->busy = false;
		s->busy_ios--;
	}
	mio->next_free = s->free_ios;
	s->free_ios = mio;
}

static void leg_done(struct mirror_io *mio)
{
	if (--mio->pending)
		return;
	struct mirror_slot *s = mio->slot;
	struct wr_bdev_io *parent = mio->parent;
	writers_put(s->m, mio->region_first, mio->region_last);
	int status = mio->local_status;
	io_put(s, mio);
	struct wr_io_ctx *ctx = atomic_load_explicit(&s->ctx, memory_order_relaxed);
	if (mio->remote_status && writes_wait(s->m)) {
		/* the partner lacks it: acknowledged only once the node has recorded that */
		parent->result = status;
		parent->next = s->held_head;
		s->held_head = parent;
		s->poller.spin = true;
		wr_io_ctx_add_poller(ctx, &s->poller);
		return;
	}
	/* the remote leg's failure was recorded (dirty, degraded): the host sees the local leg's */
	wr_io_ctx_complete_later(ctx, parent, status);
}

static void local_done(struct wr_bdev_io *bio, int status)
{
	struct mirror_io *mio = container_of(bio, struct mirror_io, local);
	mio->local_status = status;
	leg_done(mio);
}

static void remote_done(void *arg, int status);

static int remote_zero_chunk(struct mirror_slot *s, struct mirror_io *mio)
{
	uint32_t n = mio->zero_left > MIRROR_WZ_MAX ? MIRROR_WZ_MAX : (uint32_t)mio->zero_left;
	int rc = wri_write_zeroes(s->q, mio->zero_next, n, remote_done, mio);
	if (rc == 0) {
		mio->zero_next += n;
		mio->zero_left -= n;
	}
	return rc;
}

static void remote_done(void *arg, int status)
{
	struct mirror_io *mio = arg;
	struct mirror_slot *s = mio->slot;
	struct wr_mirror *m = s->m;
	if (status == 0 && mio->zero_left) {
		status = remote_zero_chunk(s, mio);
		if (status == 0)
			return;
	}
	s->remote_inflight--;
	mio->remote_status = status;
	if (status) {
		/* The partner may or may not hold these blocks: it misses them until a resync. */
		if (has_range(mio->local.op))
			mark_io(m, &mio->local);
		mirror_degrade(m, status);
	} else {
		atomic_fetch_add_explicit(&m->remote_ios, 1, memory_order_relaxed);
		if (has_range(mio->local.op))
			stamp_written(m, mio->local.offset_blocks * m->block_size,
				      mio->local.num_blocks * m->block_size);
		else if (mio->local.op == WR_BDEV_OP_FLUSH)
			flushed_up_to(m, mio->flush_epoch);
	}
	leg_done(mio);
}

/* The remote queue of the connection now, or NULL when there is none. */
static struct wri_queue *slot_queue(struct mirror_slot *s)
{
	uint32_t g = atomic_load_explicit(&s->m->gen, memory_order_acquire);
	if (g != s->q_gen && s->remote_inflight == 0) {
		struct wri_ctrl *ctrl = atomic_load_explicit(&s->m->pub_ctrl, memory_order_acquire);
		s->q = ctrl ? wri_ctrl_io_queue(ctrl, s->index) : NULL;
		s->q_gen = g;
		s->poller.fd = s->q ? wri_queue_fd(s->q) : -1;
		s->poller.fd_changed = true;
	}
	return g == s->q_gen ? s->q : NULL;
}

static int remote_submit(struct mirror_slot *s, struct mirror_io *mio)
{
	const struct wr_bdev_io *io = &mio->local;
	switch (io->op) {
	case WR_BDEV_OP_WRITE:
		if (io->iovcnt != 1)
			return -EINVAL;   /* the target always passes one buffer */
		return wri_write(s->q, io->offset_blocks, (uint32_t)io->num_blocks, io->iov[0].iov_base,
				 io->fua, remote_done, mio);
	case WR_BDEV_OP_FLUSH:
		/* covers the writes completed so far, stamped with the epoch it takes */
		mio->flush_epoch = atomic_fetch_add(&s->m->flush_epoch, 1);
		return wri_flush(s->q, remote_done, mio);
	case WR_BDEV_OP_WRITE_ZEROES:
	case WR_BDEV_OP_DISCARD:
		/* Deallocated blocks read back as zeroes on the local leg: the partner writes zeroes */
		mio->zero_next = io->offset_blocks;
		mio->zero_left = io->num_blocks;
		return remote_zero_chunk(s, mio);
	default:
		return -EINVAL;
	}
}

static void defer(struct mirror_slot *s, struct wr_bdev_io *io)
{
	io->next = NULL;
	if (s->defer_tail)
		s->defer_tail->next = io;
	else
		s->defer_head = io;
	s->defer_tail = io;
}

/* Two writes to the same blocks in flight at once may be applied in one order by the local leg
 * and in the other by the partner's (its file leg's io_uring may run the second before the
 * first), and the legs would differ for good. So a write that overlaps one of this reactor's in
 * flight waits for it: both legs then apply them in the same order. (Writes to the same blocks
 * from queues on different reactors are not ordered here.) */
static bool overlaps_in_flight(const struct mirror_slot *s, const struct wr_bdev_io *io)
{
	if (!s->busy_ios)
		return false;
	uint64_t first = io->offset_blocks, end = io->offset_blocks + io->num_blocks;
	for (uint16_t i = 0; i < s->m->depth; i++) {
		const struct mirror_io *o = &s->ios[i];
		if (o->busy && has_range(o->local.op) && o->local.offset_blocks < end &&
		    first < o->local.offset_blocks + o->local.num_blocks)
			return true;
	}
	return false;
}

/* A write that overlaps one already deferred must wait behind it, or it would overtake it: the
 * later write would land first on both legs and the earlier one would win. */
static bool overlaps_deferred(const struct mirror_slot *s, const struct wr_bdev_io *io)
{
	uint64_t first = io->offset_blocks, end = io->offset_blocks + io->num_blocks;
	for (const struct wr_bdev_io *d = s->defer_head; d; d = d->next)
		if (has_range(d->op) && d->offset_blocks < end && first < d->offset_blocks + d->num_blocks)
			return true;
	return false;
}

/* 0 when the request is on its way (or deferred), -EAGAIN when nothing is free, else -errno. */
static int mirror_start(struct mirror_slot *s, struct wr_io_ctx *ctx, struct wr_bdev_io *io)
{
	struct wr_mirror *m = s->m;
	struct mirror_io *mio = s->free_ios;
	if (!mio)
		return -EAGAIN;
	uint64_t first = NO_REGION, last = NO_REGION;
	if (has_range(io->op) && (overlaps_in_flight(s, io) || overlaps_deferred(s, io))) {
		defer(s, io);
		return 0;
	}
	if (has_range(io->op)) {
		first = wr_mirror_map_region(&m->map, io->offset_blocks * m->block_size);
		last = wr_mirror_map_region(&m->map, (io->offset_blocks + io->num_blocks) * m->block_size - 1);
		for (uint64_t r = first; r <= last; r++)
			atomic_fetch_add(&m->writers[r], 1);
		/* seq_cst after the increments: the resync stores copying, then reads writers */
		uint64_t c = atomic_load(&m->copying);
		if (c != NO_REGION && c >= first && c <= last) {
			writers_put(m, first, last);
			defer(s, io);
			return 0;
		}
	}
	s->free_ios = mio->next_free;
	mio->busy = true;
	s->busy_ios++;
	mio->slot = s;
	mio->parent = io;
	mio->region_first = first;
	mio->region_last = last;
	mio->local_status = 0;
	mio->remote_status = 0;
	mio->zero_left = 0;
	memset(&mio->local, 0, sizeof(mio->local));
	mio->local.op = io->op;
	mio->local.fua = io->fua;
	mio->local.offset_blocks = io->offset_blocks;
	mio->local.num_blocks = io->num_blocks;
	mio->local.iov = io->iov;
	mio->local.iovcnt = io->iovcnt;
	mio->local.cb = local_done;
	mio->local.cb_arg = mio;

	uint32_t st = atomic_load(&m->state);
	/* after the state: mirror_degrade sets hold and marking before the state (seq_cst all) */
	if (writes_wait(m)) {
		writers_put(m, first, last);
		io_put(s, mio);
		defer(s, io);       /* until wr_bdev_mirror_release, or the marks are down */
		return 0;
	}
	struct wri_queue *q = st != WR_MIRROR_DEGRADED ? slot_queue(s) : NULL;
	if (!q && st != WR_MIRROR_DEGRADED)
		mirror_degrade(m, -ENOTCONN);
	if (!q && has_range(io->op))
		mark_io(m, io);   /* before the local leg can complete: the partner misses it */
	int rc = wr_bdev_submit(ctx, m->local, &mio->local);
	if (rc) {
		writers_put(m, first, last);
		io_put(s, mio);
		return rc;
	}
	mio->pending = 1;
	if (!q)
		return 0;
	atomic_store(&s->q_busy, true);
	rc = remote_submit(s, mio);
	if (rc) {
		if (has_range(io->op))
			mark_io(m, io);
		mirror_degrade(m, rc);
		return 0;
	}
	if (s->remote_inflight++ == 0)
		s->progress_ns = now_ns();
	mio->pending++;
	return 0;
}

static void slot_enter(struct mirror_slot *s)
{
	atomic_fetch_add(&s->seq, 1);   /* seq_cst: ordered before our read of the state */
}

static void slot_exit(struct mirror_slot *s)
{
	atomic_fetch_add_explicit(&s->seq, 1, memory_order_release);
}

static struct mirror_slot *slot_of(struct wr_mirror *m, struct wr_io_ctx *ctx)
{
	for (uint16_t i = 0; i < m->nslots; i++) {
		struct wr_io_ctx *owner = atomic_load_explicit(&m->slots[i].ctx, memory_order_acquire);
		if (owner == ctx)
			return &m->slots[i];
		if (!owner && atomic_compare_exchange_strong(&m->slots[i].ctx, &owner, ctx))
			return &m->slots[i];
		if (owner == ctx)
			return &m->slots[i];
	}
	return NULL;
}

static int slot_poll(struct wr_io_poller *p, bool *keep)
{
	struct mirror_slot *s = container_of(p, struct mirror_slot, poller);
	struct wr_mirror *m = s->m;
	struct wr_io_ctx *ctx = atomic_load_explicit(&s->ctx, memory_order_relaxed);
	int work = 0;
	slot_enter(s);
	if (s->remote_inflight) {
		int n = wri_queue_poll(s->q, MIRROR_POLL_BUDGET);
		if (n > 0) {
			work += n;
			s->progress_ns = now_ns();
		} else if (s->remote_inflight &&
			   now_ns() - s->progress_ns > (uint64_t)m->opts.timeout_ms * 1000000ull) {
			/* the partner stopped answering: fail its requests, the leg degrades */
			wri_queue_abort(s->q, -ETIMEDOUT);
			work++;
		}
	}
	if (s->held_head && !writes_wait(m)) {
		for (struct wr_bdev_io *io = s->held_head, *next; io; io = next) {
			next = io->next;
			wr_io_ctx_complete_later(ctx, io, io->result);
			work++;
		}
		s->held_head = NULL;
	}
	if (s->defer_head && !writes_wait(m)) {
		struct wr_bdev_io *io = s->defer_head;
		s->defer_head = s->defer_tail = NULL;
		while (io) {
			struct wr_bdev_io *next = io->next;
			int rc = mirror_start(s, ctx, io);
			if (rc == -EAGAIN)
				defer(s, io);
			else if (rc)
				wr_io_ctx_complete_later(ctx, io, rc);
			io = next;
		}
	}
	if (s->remote_inflight == 0 && atomic_load_explicit(&s->q_busy, memory_order_relaxed))
		atomic_store_explicit(&s->q_busy, false, memory_order_release);
	*keep = s->remote_inflight || s->defer_head || s->held_head;
	/* deferred and held writes wait for a region copy or a release, which no socket announces */
	s->poller.spin = s->defer_head || s->held_head ||
			 (s->remote_inflight && wri_queue_send_pending(s->q));
	slot_exit(s);
	return work;
}

static int mirror_submit(struct wr_io_ctx *ctx, struct wr_bdev *bdev, struct wr_bdev_io *io)
{
	struct wr_mirror *m = bdev->priv;
	if (io->op == WR_BDEV_OP_READ) {
		/* reads stay local: the request becomes the local bdev's (counted once, by our caller) */
		io->bdev = m->local;
		return m->local->ops->submit(ctx, m->local, io);
	}
	struct mirror_slot *s = slot_of(m, ctx);
	if (!s)
		return -EBUSY;    /* more contexts than the mirror was opened for */
	slot_enter(s);
	int rc = mirror_start(s, ctx, io);
	/* Registered only while it has something to wait for (remote I/O, deferred writes), each of
	 * which pins the namespace: it unregisters in a poll before the last of them completes to the
	 * host, so a namespace removed after its I/O drained leaves no poller behind. */
	if (rc == 0 && (s->remote_inflight || s->defer_head)) {
		s->poller.spin = true;   /* what wri_write queued leaves in the next poll */
		wr_io_ctx_add_poller(ctx, &s->poller);
	}
	slot_exit(s);
	return rc;
}

/* ---------------------------------------------------------------- control side */

/* Waits until every slot has left the submit or poll it was in when we were called. */
static void quiesce(struct wr_mirror *m)
{
	for (uint16_t i = 0; i < m->nslots; i++) {
		uint32_t seen = atomic_load(&m->slots[i].seq);
		if (!(seen & 1))
			continue;
		while (atomic_load(&m->slots[i].seq) == seen)
			usleep(50);
	}
}

/* After DEGRADED and a quiesce: every slot's remote I/O has completed or failed (their pollers
 * abort it after timeout_ms). */
static void wait_queues_idle(struct wr_mirror *m)
{
	for (uint16_t i = 0; i < m->nslots; i++)
		while (atomic_load_explicit(&m->slots[i].q_busy, memory_order_acquire))
			usleep(200);
}

static int mirror_connect(struct wr_mirror *m, struct wri_ctrl **out)
{
	struct wri_opts o = {
		.addr = m->opts.addr,
		.port = (uint16_t)m->opts.port,
		.subnqn = m->opts.subnqn,
		.hostnqn = m->opts.hostnqn[0] ? m->opts.hostnqn : NULL,
		.nsid = m->opts.nsid,
		.num_io_queues = (uint16_t)(m->nslots + 1),   /* + the resync's */
		.queue_depth = MIRROR_QUEUE_DEPTH,
		.max_io_bytes = MIRROR_MAX_IO,
		/* a short I/O timeout must not fail reconnects on a loaded machine */
		.timeout_ms = m->opts.timeout_ms > MIRROR_DEFAULT_TIMEOUT_MS ? m->opts.timeout_ms
									     : MIRROR_DEFAULT_TIMEOUT_MS,
	};
	struct wri_ctrl *ctrl;
	int rc = wri_connect(&o, &ctrl);
	if (rc)
		return rc;
	const struct wri_ctrl_info *info = wri_ctrl_get_info(ctrl);
	if (info->num_io_queues < o.num_io_queues || info->queue_depth < 2 ||
	    (m->depth && info->queue_depth < m->depth)) {
		rc = -ENOSPC;
		goto err_ctrl;
	}
	if (info->block_size != m->block_size || info->ns_blocks * info->block_size != m->size_bytes) {
		fprintf(stderr, "windrose: mirror: remote leg %s nsid %u is %llu blocks of %u bytes, the local "
			"leg %llu bytes of %u\n", m->opts.subnqn, info->nsid,
			(unsigned long long)info->ns_blocks, info->block_size,
			(unsigned long long)m->size_bytes, m->block_size);
		rc = -EINVAL;
		goto err_ctrl;
	}
	*out = ctrl;
	return 0;
err_ctrl:
	wri_disconnect(ctrl);
	return rc;
}

static void *admin_main(void *arg)
{
	struct wr_mirror *m = arg;
	pthread_setname_np(pthread_self(), "wr-mirror-adm");
	while (!atomic_load(&m->stop)) {
		pthread_mutex_lock(&m->ctl);
		if (m->ctrl && atomic_load(&m->state) != WR_MIRROR_DEGRADED) {
			int rc = wri_ctrl_poll_admin(m->ctrl);
			if (rc < 0)
				mirror_degrade(m, rc);
		}
		pthread_mutex_unlock(&m->ctl);
		usleep(MIRROR_ADMIN_PERIOD_US);
	}
	return NULL;
}

struct sync_wait {
	int status;
	bool done;
};

static void sync_bdev_done(struct wr_bdev_io *io, int status)
{
	struct sync_wait *w = io->cb_arg;
	w->status = status;
	w->done = true;
}

static void sync_remote_done(void *arg, int status)
{
	struct sync_wait *w = arg;
	if (status && !w->status)
		w->status = status;
}

/* Region r of the local leg onto the remote leg's resync queue. */
static int copy_region(struct wr_mirror *m, uint64_t r, struct wr_io_ctx *ioctx, struct wri_queue *rq,
		       uint8_t *buf)
{
	atomic_store(&m->copying, r);
	/* host writes to r still in flight finish first; new ones wait (mirror_start) */
	uint64_t deadline = now_ns() + 4ull * m->opts.timeout_ms * 1000000ull;
	while (atomic_load(&m->writers[r]) != 0) {
		if (now_ns() > deadline) {
			atomic_store(&m->copying, NO_REGION);
			return -ETIMEDOUT;
		}
		usleep(20);
	}
	int rc = 0;
	if (!wr_mirror_map_test_and_clear(&m->map, r))
		goto out;    /* cleaned meanwhile (cannot happen today: only the resync clears) */
	uint64_t off = r << m->map.region_shift;
	uint64_t len = (uint64_t)1 << m->map.region_shift;
	if (len > m->size_bytes - off)
		len = m->size_bytes - off;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct sync_wait w = { 0 };
	struct wr_bdev_io bio = { .op = WR_BDEV_OP_READ, .offset_blocks = off / m->block_size,
				  .num_blocks = len / m->block_size, .iov = &iov, .iovcnt = 1,
				  .cb = sync_bdev_done, .cb_arg = &w };
	rc = wr_bdev_submit(ioctx, m->local, &bio);
	while (rc == 0 && !w.done)
		if (wr_io_ctx_poll(ioctx, 8) == 0)
			usleep(10);
	if (rc == 0)
		rc = w.status;
	if (rc)
		goto fail;
	struct sync_wait rw = { 0 };
	for (uint64_t done = 0; done < len && rc == 0;) {
		uint32_t n = len - done > MIRROR_MAX_IO ? MIRROR_MAX_IO : (uint32_t)(len - done);
		rc = wri_write(rq, (off + done) / m->block_size, n / m->block_size, buf + done, false,
			       sync_remote_done, &rw);
		if (rc == -EAGAIN) {
			rc = wri_queue_poll(rq, 64) < 0 ? -ENOTCONN : 0;
			continue;
		}
		done += n;
	}
	uint64_t limit = now_ns() + (uint64_t)m->opts.timeout_ms * 1000000ull;
	while (wri_queue_inflight(rq) > 0) {
		int n = wri_queue_poll(rq, 64);
		if (n > 0)
			limit = now_ns() + (uint64_t)m->opts.timeout_ms * 1000000ull;
		else if (now_ns() > limit)
			wri_queue_abort(rq, -ETIMEDOUT);
		else if (n == 0)
			usleep(10);
	}
	if (rc == 0)
		rc = rw.status;
	if (rc)
		goto fail;
	stamp_written(m, off, len);
out:
	atomic_store(&m->copying, NO_REGION);
	return 0;
fail:
	wr_mirror_map_mark(&m->map, off, len);
	atomic_store(&m->copying, NO_REGION);
	return rc < 0 ? rc : -EIO;
}

static int remote_flush_sync(struct wr_mirror *m, struct wri_queue *rq)
{
	struct sync_wait w = { 0 };
	uint64_t epoch = atomic_fetch_add(&m->flush_epoch, 1);
	int rc = wri_flush(rq, sync_remote_done, &w);
	if (rc)
		return rc;
	uint64_t limit = now_ns() + (uint64_t)m->opts.timeout_ms * 1000000ull;
	while (wri_queue_inflight(rq) > 0) {
		if (wri_queue_poll(rq, 8) == 0 && now_ns() > limit)
			wri_queue_abort(rq, -ETIMEDOUT);
	}
	rc = w.status < 0 ? w.status : w.status ? -EIO : 0;   /* > 0: an NVMe status */
	if (rc == 0)
		flushed_up_to(m, epoch);
	return rc;
}

static int resync_copy(struct wr_mirror *m, struct wri_queue *rq)
{
	struct wr_io_ctx *ioctx;
	int rc = wr_io_ctx_create(8, &ioctx);
	if (rc)
		return rc;
	uint8_t *buf = aligned_alloc(WR_BDEV_BUF_ALIGN, (size_t)1 << m->map.region_shift);
	if (!buf) {
		rc = -ENOMEM;
		goto err_ctx;
	}
	uint64_t start = now_ns(), copied = 0;
	while (rc == 0 && atomic_load(&m->state) == WR_MIRROR_RESYNCING) {
		uint64_t r = wr_mirror_map_next(&m->map, 0);
		if (r >= m->map.nregions)
			break;
		for (; r < m->map.nregions && rc == 0; r = wr_mirror_map_next(&m->map, r + 1)) {
			if (atomic_load(&m->stop) || atomic_load(&m->state) != WR_MIRROR_RESYNCING) {
				rc = -ECANCELED;
				break;
			}
			rc = copy_region(m, r, ioctx, rq, buf);
			if (rc == 0 && m->opts.resync_mib_s) {
				/* rate limit: never ahead of resync_mib_s since the start */
				copied += (uint64_t)1 << m->map.region_shift;
				uint64_t due = start + copied * 1000000000ull / ((uint64_t)m->opts.resync_mib_s << 20);
				for (uint64_t now = now_ns(); now < due && !atomic_load(&m->stop); now = now_ns())
					usleep((useconds_t)((due - now) / 1000 > 10000 ? 10000 : (due - now) / 1000 + 1));
			}
			if (rc == 0) {
				uint64_t done = atomic_fetch_add(&m->resync_done, 1) + 1;
				uint64_t total = done + wr_mirror_map_dirty(&m->map);
				if (total > atomic_load(&m->resync_total))
					atomic_store(&m->resync_total, total);
			}
		}
	}
	if (rc == 0)
		rc = remote_flush_sync(m, rq);
	free(buf);
err_ctx:
	wr_io_ctx_destroy(ioctx);
	return rc;
}

int wr_bdev_mirror_resync(struct wr_bdev *bdev)
{
	if (!wr_bdev_is_mirror(bdev))
		return -EINVAL;
	struct wr_mirror *m = bdev->priv;
	bool idle = false;
	if (!atomic_compare_exchange_strong(&m->resync_running, &idle, true))
		return -EBUSY;
	int rc = 0;
	pthread_mutex_lock(&m->ctl);
	if (atomic_load(&m->state) == WR_MIRROR_IN_SYNC)
		goto out_unlock;
	/* DEGRADED (only a resync leaves RESYNCING, and none runs): no slot starts remote I/O any
	 * more once the slots that may have read the old state are out; then the old connection's
	 * requests end (failed by the partner's death or by the pollers' timeout). */
	quiesce(m);
	wait_queues_idle(m);
	if (m->ctrl) {
		atomic_store_explicit(&m->pub_ctrl, NULL, memory_order_release);
		atomic_fetch_add_explicit(&m->gen, 1, memory_order_release);
		wri_disconnect(m->ctrl);
		m->ctrl = NULL;
	}
	struct wri_ctrl *ctrl;
	rc = mirror_connect(m, &ctrl);
	if (rc) {
		atomic_store_explicit(&m->last_error, rc, memory_order_relaxed);
		goto out_unlock;
	}
	m->ctrl = ctrl;
	atomic_store_explicit(&m->pub_ctrl, ctrl, memory_order_release);
	atomic_fetch_add_explicit(&m->gen, 1, memory_order_release);
	atomic_store(&m->resync_done, 0);
	atomic_store(&m->resync_total, wr_mirror_map_dirty(&m->map));
	if (!wr_mirror_transition(&m->state, WR_MIRROR_DEGRADED, WR_MIRROR_RESYNCING)) {
		rc = -EAGAIN;
		goto out_unlock;
	}
	fprintf(stderr, "windrose: mirror to %s:%u %s nsid %u: resynchronising %llu regions\n",
		m->opts.addr, m->opts.port, m->opts.subnqn, m->opts.nsid,
		(unsigned long long)atomic_load(&m->resync_total));
	/* every slot that read DEGRADED has left its submit, and with it marked what it wrote */
	quiesce(m);
	pthread_mutex_unlock(&m->ctl);   /* the admin thread keeps the connection alive meanwhile */

	rc = resync_copy(m, wri_ctrl_io_queue(ctrl, m->nslots));

	pthread_mutex_lock(&m->ctl);
	if (rc == 0 && wr_mirror_map_dirty(&m->map) == 0 &&
	    wr_mirror_transition(&m->state, WR_MIRROR_RESYNCING, WR_MIRROR_IN_SYNC)) {
		wr_mirror_map_sync(&m->map);   /* the cleared bits, so a restart does not copy again */
		fprintf(stderr, "windrose: mirror to %s:%u %s nsid %u: in sync (%llu regions copied)\n",
			m->opts.addr, m->opts.port, m->opts.subnqn, m->opts.nsid,
			(unsigned long long)atomic_load(&m->resync_done));
	} else {
		if (rc == 0)
			rc = -EIO;
		mirror_degrade(m, rc);
	}
out_unlock:
	pthread_mutex_unlock(&m->ctl);
	atomic_store(&m->resync_running, false);
	return rc;
}

void wr_bdev_mirror_release(struct wr_bdev *bdev)
{
	if (!wr_bdev_is_mirror(bdev))
		return;
	struct wr_mirror *m = bdev->priv;
	if (atomic_exchange(&m->hold, false))
		fprintf(stderr, "windrose: mirror to %s:%u %s nsid %u: held writes released\n",
			m->opts.addr, m->opts.port, m->opts.subnqn, m->opts.nsid);
}

void wr_bdev_mirror_shutdown(struct wr_bdev *bdev)
{
	if (!wr_bdev_is_mirror(bdev))
		return;
	struct wr_mirror *m = bdev->priv;
	atomic_store(&m->stop, true);
	wr_bdev_mirror_release(bdev);
}

void wr_bdev_mirror_status(const struct wr_bdev *bdev, struct wr_mirror_status *out)
{
	memset(out, 0, sizeof(*out));
	if (!wr_bdev_is_mirror(bdev))
		return;
	struct wr_mirror *m = bdev->priv;
	out->state = atomic_load(&m->state);
	out->last_error = atomic_load_explicit(&m->last_error, memory_order_relaxed);
	out->region_bytes = (uint64_t)1 << m->map.region_shift;
	out->total_regions = m->map.nregions;
	out->dirty_regions = wr_mirror_map_dirty(&m->map);
	out->resync_done = atomic_load(&m->resync_done);
	out->resync_total = atomic_load(&m->resync_total);
	out->degraded_count = atomic_load(&m->degraded_count);
	out->remote_ios = atomic_load(&m->remote_ios);
	out->holding = atomic_load(&m->hold);
}

static void mirror_free(struct wr_mirror *m)
{
	if (m->slots)
		for (uint16_t i = 0; i < m->nslots; i++)
			free(m->slots[i].ios);
	free(m->slots);
	free(m->writers);
	free(m->written_epoch);
	wr_mirror_map_fini(&m->map);
	pthread_mutex_destroy(&m->ctl);
	free(m);
}

static void mirror_close(struct wr_bdev *bdev)
{
	struct wr_mirror *m = bdev->priv;
	atomic_store(&m->stop, true);
	if (m->admin_started)
		pthread_join(m->admin_thread, NULL);
	if (m->ctrl)
		wri_disconnect(m->ctrl);
	wr_bdev_close(m->local);
	mirror_free(m);
}

static const struct wr_bdev_ops mirror_ops = {
	.name = "mirror",
	.submit = mirror_submit,
	.close = mirror_close,
};

bool wr_bdev_is_mirror(const struct wr_bdev *bdev)
{
	return bdev && bdev->ops == &mirror_ops;
}

int wr_bdev_mirror_open(struct wr_bdev *local, const struct wr_mirror_opts *opts, uint16_t queues,
			struct wr_bdev **out)
{
	if (!local || !opts || !queues || queues >= WRI_MAX_QUEUES || !opts->nsid ||
	    !memchr(opts->addr, 0, sizeof(opts->addr)) || !opts->addr[0] ||
	    !memchr(opts->subnqn, 0, sizeof(opts->subnqn)) || !memchr(opts->hostnqn, 0, sizeof(opts->hostnqn)) ||
	    opts->port > 65535)
		return -EINVAL;
	struct wr_mirror *m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	int rc;
	m->local = local;
	m->opts = *opts;
	if (!m->opts.timeout_ms)
		m->opts.timeout_ms = MIRROR_DEFAULT_TIMEOUT_MS;
	if (!m->opts.region_bytes)
		m->opts.region_bytes = MIRROR_DEFAULT_REGION;
	if (!m->opts.port)
		m->opts.port = 4420;
	m->block_size = local->info.block_size;
	m->size_bytes = wr_bdev_num_blocks(local) * m->block_size;
	m->nslots = queues;
	atomic_init(&m->state, WR_MIRROR_IN_SYNC);
	atomic_init(&m->copying, NO_REGION);
	pthread_mutex_init(&m->ctl, NULL);
	if (!memchr(opts->bitmap_path, 0, sizeof(opts->bitmap_path)) || m->opts.region_bytes < m->block_size) {
		rc = -EINVAL;
		goto err_mirror;
	}
	m->slots = aligned_alloc(64, sizeof(*m->slots) * queues);
	if (!m->slots) {
		rc = -ENOMEM;
		goto err_mirror;
	}
	memset(m->slots, 0, sizeof(*m->slots) * queues);
	/* the partner first: a leg refused (size, reachability) leaves no bitmap file behind */
	rc = mirror_connect(m, &m->ctrl);
	bool alone = false;
	int unreachable = rc;
	if (rc && (opts->flags & WR_MIRROR_START_ALONE) && rc != -EINVAL && rc != -ENOSPC) {
		/* unreachable, not unfit: serve alone, degraded, until a resync connects (and checks) */
		fprintf(stderr, "windrose: mirror to %s:%u %s nsid %u: partner unreachable (%d): starting "
			"alone, degraded\n", m->opts.addr, m->opts.port, opts->subnqn, opts->nsid, rc);
		m->ctrl = NULL;
		alone = true;
	} else if (rc) {
		goto err_mirror;
	}
	rc = opts->bitmap_path[0]
		? wr_mirror_map_init_file(&m->map, m->size_bytes, m->opts.region_bytes, opts->bitmap_path)
		: wr_mirror_map_init(&m->map, m->size_bytes, m->opts.region_bytes);
	if (rc)
		goto err_ctrl;
	if (opts->flags & WR_MIRROR_FULL_SYNC) {
		/* a new or replaced remote leg holds nothing of ours: the first resync copies it all */
		rc = wr_mirror_map_mark_all(&m->map);
		if (rc)
			goto err_ctrl;
		atomic_store(&m->state, WR_MIRROR_DEGRADED);
		fprintf(stderr, "windrose: mirror to %s %s nsid %u: full copy asked, %llu regions dirty: "
			"degraded until a resync\n", opts->addr, opts->subnqn, opts->nsid,
			(unsigned long long)wr_mirror_map_dirty(&m->map));
	} else if (alone) {
		/* the partner lacks what the bitmap says and, from now on, every write: as after a degrade,
		 * writes are held (WR_MIRROR_HOLD_ON_DEGRADE) until the caller has recorded that */
		if (opts->flags & WR_MIRROR_HOLD_ON_DEGRADE)
			atomic_store(&m->hold, true);
		atomic_store(&m->last_error, unreachable);
		atomic_store(&m->degraded_count, 1);
		atomic_store(&m->state, WR_MIRROR_DEGRADED);
	} else if (wr_mirror_map_dirty(&m->map)) {
		/* a previous life of this node marked writes its partner lacks */
		atomic_store(&m->state, WR_MIRROR_DEGRADED);
		fprintf(stderr, "windrose: mirror to %s %s nsid %u: %llu dirty regions in %s: degraded\n",
			opts->addr, opts->subnqn, opts->nsid,
			(unsigned long long)wr_mirror_map_dirty(&m->map), opts->bitmap_path);
	}
	m->writers = calloc(m->map.nregions, sizeof(*m->writers));
	m->written_epoch = calloc(m->map.nregions, sizeof(*m->written_epoch));
	atomic_init(&m->flush_epoch, 1);
	if (!m->writers || !m->written_epoch) {
		rc = -ENOMEM;
		goto err_ctrl;
	}
	/* Alone, the depth a partner of our kind grants for MIRROR_QUEUE_DEPTH (a queue keeps one entry
	 * empty); a later connection (a resync's) that grants less than the slots use is refused. */
	m->depth = m->ctrl ? wri_ctrl_get_info(m->ctrl)->queue_depth : MIRROR_QUEUE_DEPTH - 1;
	for (uint16_t i = 0; i < queues; i++) {
		struct mirror_slot *s = &m->slots[i];
		s->m = m;
		s->index = i;
		s->poller.poll = slot_poll;
		s->poller.fd = -1;
		s->ios = calloc(m->depth, sizeof(*s->ios));
		if (!s->ios) {
			rc = -ENOMEM;
			goto err_ctrl;
		}
		for (uint16_t j = 0; j < m->depth; j++)
			io_put(s, &s->ios[j]);
	}
	atomic_store(&m->pub_ctrl, m->ctrl);
	atomic_store(&m->gen, 1);
	struct wr_bdev *bdev = calloc(1, sizeof(*bdev));
	if (!bdev) {
		rc = -ENOMEM;
		goto err_ctrl;
	}
	rc = -pthread_create(&m->admin_thread, NULL, admin_main, m);
	if (rc)
		goto err_bdev;
	m->admin_started = true;
	bdev->ops = &mirror_ops;
	bdev->priv = m;
	bdev->fd = -1;
	bdev->info = local->info;
	bdev->info.num_blocks = m->size_bytes / m->block_size;
	bdev->info.volatile_cache = true;  /* the partner may cache: hosts must send Flush */
	bdev->size_bytes = m->size_bytes;
	/* zero-copy reads (wr_bdev_peek) from a memory leg, as for the leg itself */
	bdev->mem = local->mem;
	bdev->reserved = local->reserved;
	bdev->map_unit = local->map_unit;
	bdev->mem_backing = local->mem_backing;
	*out = bdev;
	return 0;
err_bdev:
	free(bdev);
err_ctrl:
	if (m->ctrl)
		wri_disconnect(m->ctrl);
err_mirror:
	mirror_free(m);
	return rc;
}
