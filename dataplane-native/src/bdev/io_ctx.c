/*
 * io_ctx.c - the per-reactor I/O context: one io_uring shared by every bdev a reactor touches,
 * plus a pending list for requests that finished at submit time.
 *
 * Submission is batched: wr_bdev_submit() only fills SQEs; wr_io_ctx_poll() hands them to the
 * kernel with one io_uring_submit() per poll (and once more after the callbacks, so requests
 * submitted from a callback do not wait a whole loop).
 *
 * Fallback when io_uring is unavailable (io_uring_queue_init fails: seccomp, old kernel,
 * io_uring_disabled sysctl; or WR_BDEV_NO_URING=1 in the environment): file requests run
 * synchronously at submit with preadv2/pwritev2/fdatasync/fallocate and their completion goes to
 * the pending list like a RAM request. The reactor then blocks in the syscall, which is slower but
 * correct. This is logged once per process.
 *
 * Wake-ups for adaptive reactors (wr_io_ctx_fd): one eventfd serves both sources.
 *  - io_uring: the eventfd is registered with the ring (io_uring_register_eventfd), so the kernel
 *    signals it for every CQE it posts.
 *  - pending list: wr_io_ctx_complete_later() writes the eventfd when the list goes from empty to
 *    non-empty and the eventfd is not already known to be readable. Without that, a reactor that
 *    submits a RAM request and then sleeps would sleep on a finished request.
 *  The eventfd is drained only by a poll that found nothing to do, and only if something may have
 *  signalled it since the last drain; after draining, the ring is checked once more so a CQE posted
 *  between the check and the drain is reaped now rather than slept on. The kernel may signal late
 *  (eventfd signals from io-wq workers are deferred through RCU), i.e. after our drain: so with a
 *  ring, every WR_EFD_REDRAIN_IDLE_POLLS idle polls drain again. A stale wake-up therefore costs
 *  an adaptive reactor at most that many extra loops, never a reactor that cannot sleep. In busy mode the caller
 *  switches all of this off with wr_io_ctx_set_notify(ctx, false): no eventfd syscalls and no
 *  kernel signalling at all.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "bdev_internal.h"

#define WR_EFD_REDRAIN_IDLE_POLLS 64u

static bool uring_disabled_by_env(void)
{
	const char *v = getenv(WR_BDEV_ENV_NO_URING);
	return v && v[0] && strcmp(v, "0") != 0;
}

static void log_fallback_once(int err)
{
	static bool logged;
	if (logged)
		return;
	logged = true;
	if (err)
		fprintf(stderr, "windrose: bdev: io_uring unavailable (%s); file I/O runs synchronously "
			"in the reactor (preadv2/pwritev2)\n", strerror(-err));
	else
		fprintf(stderr, "windrose: bdev: io_uring disabled by %s; file I/O runs synchronously "
			"in the reactor (preadv2/pwritev2)\n", WR_BDEV_ENV_NO_URING);
}

static uint32_t round_up_pow2(uint32_t v)
{
	uint32_t p = 1;
	while (p < v)
		p <<= 1;
	return p;
}

static void setup_ring(struct wr_io_ctx *ctx)
{
	if (uring_disabled_by_env()) {
		log_fallback_once(0);
		return;
	}
	/* One SQE per in-flight request at most, so a ring of depth entries never overflows; the
	 * default CQ (twice the SQ) holds every completion. */
	int rc = io_uring_queue_init(round_up_pow2(ctx->depth), &ctx->ring, 0);
	if (rc < 0) {
		log_fallback_once(rc);
		return;
	}
	rc = io_uring_register_eventfd(&ctx->ring, ctx->efd);
	if (rc < 0) {
		io_uring_queue_exit(&ctx->ring);
		log_fallback_once(rc);
		return;
	}
	ctx->have_ring = true;
}

int wr_io_ctx_create(uint32_t queue_depth, struct wr_io_ctx **out)
{
	if (queue_depth == 0 || queue_depth > 32768)
		return -EINVAL;
	struct wr_io_ctx *ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->depth = queue_depth;
	ctx->notify = true;
	ctx->poll_epfd = -1;
	ctx->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (ctx->efd < 0) {
		int err = -errno;
		free(ctx);
		return err;
	}
	setup_ring(ctx);
	*out = ctx;
	return 0;
}

void wr_io_ctx_destroy(struct wr_io_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->have_ring)
		io_uring_queue_exit(&ctx->ring);
	close(ctx->efd);
	free(ctx);
}

int wr_io_ctx_fd(const struct wr_io_ctx *ctx)
{
	return ctx->notify ? ctx->efd : -1;
}

static void signal_efd(struct wr_io_ctx *ctx);
static void drain_efd(struct wr_io_ctx *ctx);

void wr_io_ctx_set_notify(struct wr_io_ctx *ctx, bool on)
{
	if (ctx->have_ring)
		io_uring_cq_eventfd_toggle(&ctx->ring, on);
	ctx->notify = on;
	if (!on)
		return;
	/* Start from a known state: empty, then readable again if work is already waiting. */
	drain_efd(ctx);
	if (ctx->pending_head || (ctx->have_ring && io_uring_cq_ready(&ctx->ring)))
		signal_efd(ctx);
}

bool wr_io_ctx_uses_uring(const struct wr_io_ctx *ctx)
{
	return ctx->have_ring;
}

uint32_t wr_io_ctx_inflight(const struct wr_io_ctx *ctx)
{
	return ctx->inflight;
}

static void signal_efd(struct wr_io_ctx *ctx)
{
	uint64_t one = 1;
	/* EAGAIN means the counter is saturated: it is readable, which is all we want. */
	if (write(ctx->efd, &one, sizeof(one)) == sizeof(one) || errno == EAGAIN)
		ctx->efd_maybe_readable = true;
}

void wr_io_ctx_complete_later(struct wr_io_ctx *ctx, struct wr_bdev_io *io, int status)
{
	io->result = status;
	io->next = NULL;
	if (ctx->pending_tail) {
		ctx->pending_tail->next = io;
	} else {
		ctx->pending_head = io;
		if (ctx->notify && !ctx->efd_maybe_readable)
			signal_efd(ctx);
	}
	ctx->pending_tail = io;
}

struct io_uring_sqe *wr_io_ctx_get_sqe(struct wr_io_ctx *ctx, struct wr_bdev_io *io)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ctx->ring);
	if (!sqe) {
		/* Cannot happen while the ring has depth entries; flush and retry defensively. */
		io_uring_submit(&ctx->ring);
		sqe = io_uring_get_sqe(&ctx->ring);
		if (!sqe)
			return NULL;
	}
	io_uring_sqe_set_data(sqe, io);
	return sqe;
}

static void finish(struct wr_io_ctx *ctx, struct wr_bdev_io *io)
{
	ctx->inflight--;
	io->cb(io, io->result);
}

static void flush_sqes(struct wr_io_ctx *ctx)
{
	if (io_uring_sq_ready(&ctx->ring) == 0)
		return;
	int rc = io_uring_submit(&ctx->ring);
	/* -EAGAIN/-EBUSY: the kernel is short of resources; the SQEs stay queued for the next poll.
	 * Anything else would be a programming error with the SQEs we built. */
	if (rc < 0 && rc != -EAGAIN && rc != -EBUSY && rc != -EINTR)
		fprintf(stderr, "windrose: bdev: io_uring_submit failed: %s\n", strerror(-rc));
}

static uint32_t reap_ring(struct wr_io_ctx *ctx, uint32_t budget)
{
	uint32_t done = 0;
	struct io_uring_cqe *cqe;
	/* The idle case is one shared-memory load, no call into liburing: reactors poll this every
	 * loop. (The CQ never overflows, it has twice the SQ's entries, so there is nothing to flush.) */
	if (!io_uring_cq_ready(&ctx->ring))
		return 0;
	while (done < budget && io_uring_peek_cqe(&ctx->ring, &cqe) == 0) {
		struct wr_bdev_io *io = io_uring_cqe_get_data(cqe);
		int res = cqe->res;
		io_uring_cqe_seen(&ctx->ring, cqe);
		if (io->bdev->ops->on_cqe(ctx, io, res)) {
			finish(ctx, io);
			done++;
		}
	}
	if (done && ctx->notify)
		ctx->efd_maybe_readable = true;
	return done;
}

static uint32_t reap_pending(struct wr_io_ctx *ctx, uint32_t budget)
{
	uint32_t done = 0;
	while (done < budget && ctx->pending_head) {
		struct wr_bdev_io *io = ctx->pending_head;
		ctx->pending_head = io->next;
		if (!ctx->pending_head)
			ctx->pending_tail = NULL;
		finish(ctx, io);
		done++;
	}
	return done;
}

/* Called by an idle poll: clear the eventfd so epoll can sleep, see the file comment. */
static void drain_efd(struct wr_io_ctx *ctx)
{
	uint64_t count;
	ctx->efd_maybe_readable = false;
	ctx->idle_polls_since_drain = 0;
	if (read(ctx->efd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		fprintf(stderr, "windrose: bdev: eventfd read failed: %s\n", strerror(errno));
}

static bool needs_drain(struct wr_io_ctx *ctx)
{
	if (ctx->efd_maybe_readable)
		return true;
	return ctx->have_ring && ++ctx->idle_polls_since_drain >= WR_EFD_REDRAIN_IDLE_POLLS;
}

void wr_io_ctx_set_epoll(struct wr_io_ctx *ctx, int epfd, void *tag)
{
	ctx->poll_epfd = epfd;
	ctx->poll_tag = tag;
}

/* Once per socket (a closed socket leaves the set by itself), not per registration. */
static void watch_fd(struct wr_io_ctx *ctx, struct wr_io_poller *p)
{
	if (p->fd_changed) {
		p->watched = false;
		p->fd_changed = false;
	}
	if (p->watched || p->fd < 0 || ctx->poll_epfd < 0)
		return;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = ctx->poll_tag };
	if (epoll_ctl(ctx->poll_epfd, EPOLL_CTL_ADD, p->fd, &ev) == 0 || errno == EEXIST)
		p->watched = true;
}

void wr_io_ctx_add_poller(struct wr_io_ctx *ctx, struct wr_io_poller *p)
{
	watch_fd(ctx, p);
	if (p->registered)
		return;
	p->registered = true;
	p->next = ctx->pollers;
	ctx->pollers = p;
}

bool wr_io_ctx_pollers_need_spin(const struct wr_io_ctx *ctx)
{
	for (const struct wr_io_poller *p = ctx->pollers; p; p = p->next)
		if (p->spin || !p->watched || p->fd_changed)
			return true;
	return false;
}

/* Pollers may add completions to the pending list (reaped right after) and unregister themselves. */
static uint32_t run_pollers(struct wr_io_ctx *ctx)
{
	uint32_t work = 0;
	struct wr_io_poller **link = &ctx->pollers;
	while (*link) {
		struct wr_io_poller *p = *link;
		bool keep = true;
		int n = p->poll(p, &keep);
		if (n > 0)
			work += (uint32_t)n;
		if (keep) {
			link = &p->next;
		} else {
			*link = p->next;
			p->registered = false;
		}
	}
	return work;
}

int wr_io_ctx_poll(struct wr_io_ctx *ctx, uint32_t budget)
{
	uint32_t done = 0;
	/* what pollers deliver goes through the pending list below; their own work counts apart */
	uint32_t polled = ctx->pollers ? run_pollers(ctx) : 0;
	if (ctx->have_ring) {
		flush_sqes(ctx);
		done += reap_ring(ctx, budget);
	}
	done += reap_pending(ctx, budget - done);
	if (ctx->have_ring)
		flush_sqes(ctx); /* requests submitted by the callbacks */
	if (done == 0 && budget > 0 && ctx->notify && needs_drain(ctx)) {
		drain_efd(ctx);
		if (ctx->have_ring && io_uring_cq_ready(&ctx->ring))
			done += reap_ring(ctx, budget);
	}
	return (int)(done + polled);
}
