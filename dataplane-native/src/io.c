/*
 * io.c - the NVM command set on I/O queues: Read, Write, Flush, Write Zeroes, Dataset
 * Management (deallocate) and Compare, submitted to the namespace's block device.
 *
 * This is the hot path: no locks, no allocation. The namespace is found through an atomic
 * pointer and pinned by ns->inflight until the command completes (see internal.h).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "internal.h"

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

void wr_io_release_ns(struct wr_req *req)
{
	/* release: the remover's acquire load of inflight sees all our accesses to ns done */
	atomic_fetch_sub_explicit(&req->ns->inflight, 1, memory_order_release);
	req->ns = NULL;
}

static struct wr_ns_rstats *ns_stats(struct wr_req *req)
{
	uint32_t slot = req->conn->reactor ? req->conn->reactor->id : 0;
	return &req->ns->rstats[slot];
}

static void add_relaxed(uint64_t *counter, uint64_t v)
{
	/* single writer (this reactor); relaxed so snapshots on other threads read whole values */
	__atomic_store_n(counter, *counter + v, __ATOMIC_RELAXED);
}

static void account(struct wr_req *req, uint16_t status)
{
	struct wr_conn *c = req->conn;
	uint8_t opcode = req->sqe.opcode;
	uint32_t bytes = req->data_len;
	if (status) {
		if (opcode == NVME_CMD_READ)
			c->stats.read_errors++;
		else if (opcode == NVME_CMD_WRITE)
			c->stats.write_errors++;
		else
			c->stats.other_errors++;
	} else if (opcode == NVME_CMD_READ) {
		c->stats.read_ops++;
		c->stats.read_bytes += bytes;
	} else if (opcode == NVME_CMD_WRITE) {
		c->stats.write_ops++;
		c->stats.write_bytes += bytes;
	} else {
		c->stats.other_ops++;
	}
	if (!req->ns)
		return;
	struct wr_ns_rstats *st = ns_stats(req);
	struct wr_dir_stats *dir = opcode == NVME_CMD_READ ? &st->read
				  : opcode == NVME_CMD_WRITE ? &st->write : NULL;
	if (!dir) {
		add_relaxed(status ? &st->other_errors : &st->other_ops, 1);
		return;
	}
	if (status) {
		add_relaxed(&dir->errors, 1);
		return;
	}
	add_relaxed(&dir->ops, 1);
	add_relaxed(&dir->bytes, bytes);
	uint64_t now = c->reactor ? wr_reactor_io_clock(c->reactor) : wr_now_ns();
	add_relaxed(&dir->lat_hist[wr_hist_bucket(now - req->start_ns)], 1);
}

static void io_finish(struct wr_req *req, uint16_t status)
{
	account(req, status);
	if (status == NVME_SC_SUCCESS && req->sqe.opcode == NVME_CMD_READ)
		req->c2h_len = req->data_len;
	wr_req_complete(req, status);
}

static uint16_t errno_status(int err, uint8_t opcode)
{
	if (err == -EIO)
		return (opcode == NVME_CMD_READ || opcode == NVME_CMD_COMPARE ? NVME_SC_READ_ERROR
									: NVME_SC_WRITE_FAULT);
	if (err == -ENOSPC)
		return NVME_SC_CAP_EXCEEDED | NVME_SC_DNR;
	return NVME_SC_INTERNAL;
}

static void io_submit(struct wr_req *req);
static void compare_release(struct wr_conn *c);

static void dsm_next(struct wr_req *req);

static void io_done(struct wr_bdev_io *bio, int status)
{
	struct wr_req *req = container_of(bio, struct wr_req, bio);
	struct wr_conn *c = req->conn;
	c->bdev_inflight--;
	uint8_t opcode = req->sqe.opcode;
	if (status) {
		if (opcode == NVME_CMD_COMPARE)
			compare_release(c);
		io_finish(req, errno_status(status, opcode));
		return;
	}
	if (opcode == NVME_CMD_DSM && !c->dead) {
		dsm_next(req);
		return;
	}
	if (opcode == NVME_CMD_COMPARE) {
		bool same = memcmp(req->buf, c->cmp_buf, req->data_len) == 0;
		compare_release(c);
		io_finish(req, same ? NVME_SC_SUCCESS : NVME_SC_COMPARE_FAILED);
		return;
	}
	io_finish(req, NVME_SC_SUCCESS);
}

static void io_submit(struct wr_req *req)
{
	struct wr_conn *c = req->conn;
	req->bio.cb = io_done;
	req->bio.cb_arg = req;
	int rc = wr_bdev_submit(c->reactor->ioctx, req->ns->bdev, &req->bio);
	if (rc == 0) {
		c->bdev_inflight++;
		return;
	}
	if (rc == -EAGAIN) {
		/* The reactor's context is full: retry after its next completion poll. */
		wr_reactor_defer_submit(c->reactor, req);
		c->bdev_inflight++;
		return;
	}
	if (req->sqe.opcode == NVME_CMD_COMPARE)
		compare_release(c);
	io_finish(req, errno_status(rc, req->sqe.opcode));
}

/* Called by the reactor for a deferred request (bdev_inflight already counts it). */
void wr_io_resubmit(struct wr_req *req)
{
	req->conn->bdev_inflight--;
	io_submit(req);
}

static void setup_rw(struct wr_req *req, enum wr_bdev_op op, uint64_t slba, uint64_t nlb,
		     void *buf)
{
	memset(&req->bio, 0, sizeof(req->bio));
	req->bio.op = op;
	req->bio.fua = req->sqe.cdw12 & NVME_RW_FUA;
	req->bio.offset_blocks = slba;
	req->bio.num_blocks = nlb;
	if (buf) {
		req->iov.iov_base = buf;
		req->iov.iov_len = nlb * req->ns->info.block_size;
		req->bio.iov = &req->iov;
		req->bio.iovcnt = 1;
	}
}

/* One acquire load: wr_ns_resize may raise the count while we run (target.c says why that is safe). */
static bool range_ok(const struct wr_ns *ns, uint64_t slba, uint64_t nlb)
{
	const uint64_t nblocks = __atomic_load_n(&ns->info.num_blocks, __ATOMIC_ACQUIRE);
	return slba < nblocks && nlb <= nblocks - slba;
}

/* One compare at a time per queue pair uses the scratch buffer; others wait their turn. */
static void compare_start(struct wr_req *req)
{
	struct wr_conn *c = req->conn;
	if (c->cmp_busy) {
		req->next = NULL;
		if (c->cmp_wait_tail)
			c->cmp_wait_tail->next = req;
		else
			c->cmp_wait_head = req;
		c->cmp_wait_tail = req;
		return;
	}
	c->cmp_busy = true;
	setup_rw(req, WR_BDEV_OP_READ, req->bio.offset_blocks, req->bio.num_blocks, c->cmp_buf);
	io_submit(req);
}

static void compare_release(struct wr_conn *c)
{
	c->cmp_busy = false;
	struct wr_req *next = c->cmp_wait_head;
	if (!next)
		return;
	c->cmp_wait_head = next->next;
	if (!c->cmp_wait_head)
		c->cmp_wait_tail = NULL;
	compare_start(next);
}

static void dsm_next(struct wr_req *req)
{
	const struct nvme_dsm_range *ranges = (const struct nvme_dsm_range *)req->buf;
	while (req->step < req->nsteps && ranges[req->step].nlb == 0)
		req->step++;
	if (req->step >= req->nsteps) {
		io_finish(req, NVME_SC_SUCCESS);
		return;
	}
	const struct nvme_dsm_range *r = &ranges[req->step++];
	setup_rw(req, WR_BDEV_OP_DISCARD, r->slba, r->nlb, NULL);
	io_submit(req);
}

static uint16_t dsm_exec(struct wr_req *req)
{
	uint32_t nr = (req->sqe.cdw10 & 0xff) + 1;
	if (req->data_len < nr * sizeof(struct nvme_dsm_range))
		return NVME_SC_SGL_INVALID_DATA | NVME_SC_DNR;
	if (!(req->sqe.cdw11 & NVME_DSM_ATTR_DEALLOCATE))
		return NVME_SC_SUCCESS;            /* attributes are hints: nothing to do */
	const struct nvme_dsm_range *ranges = (const struct nvme_dsm_range *)req->buf;
	for (uint32_t i = 0; i < nr; i++)
		if (!range_ok(req->ns, ranges[i].slba, ranges[i].nlb) && ranges[i].nlb)
			return NVME_SC_LBA_RANGE | NVME_SC_DNR;
	req->step = 0;
	req->nsteps = nr;
	dsm_next(req);
	return 0xffff;                          /* submitted */
}

/* Path Related Status (SCT 3) for a path whose group serves no I/O; non-optimized serves it. No
 * DNR, not even for persistent loss: Linux completes a DNR status to the application before it
 * looks at path errors (core.c, nvme_decide_disposition), so only a status without it is retried
 * on another path; nvmet answers the same (core.c, nvmet_check_ana_state). */
static uint16_t ana_status(struct wr_req *req)
{
	struct wr_ctrlr *ctrlr = req->conn->ctrlr;
	uint32_t grp = __atomic_load_n(&req->ns->anagrpid, __ATOMIC_RELAXED);
	uint8_t state = atomic_load_explicit(&ctrlr->subsys->ana[ctrlr->port_slot][grp],
					     memory_order_relaxed);
	switch (state) {
	case NVME_ANA_INACCESSIBLE: return NVME_SC_ANA_INACCESSIBLE;
	case NVME_ANA_PERSISTENT_LOSS: return NVME_SC_ANA_PERSISTENT_LOSS;
	case NVME_ANA_CHANGE: return NVME_SC_ANA_TRANSITION;
	default: return NVME_SC_SUCCESS;
	}
}

/* RAM and null namespaces: C2HData goes straight from the block device's memory (one copy, into
 * the socket). Not with data digests: the digest is computed when the PDU is queued, and a write
 * to the same blocks before it leaves would turn a benign overlap into a transport error. */
static bool read_zero_copy(struct wr_req *req, uint64_t slba, uint64_t nlb)
{
	if (req->conn->ddgst)
		return false;
	const void *mem = wr_bdev_peek(req->ns->bdev, slba, nlb);
	if (!mem)
		return false;
	req->c2h_buf = mem;
	req->hold_ns = true;
	io_finish(req, NVME_SC_SUCCESS);
	return true;
}

/* Returns an NVMe status to complete with now, or 0xffff when the command was submitted. */
static uint16_t io_dispatch(struct wr_req *req)
{
	const struct nvme_sqe *sqe = &req->sqe;
	struct wr_ns *ns = req->ns;
	uint64_t slba = (uint64_t)sqe->cdw11 << 32 | sqe->cdw10;
	uint64_t nlb = (sqe->cdw12 & 0xffff) + 1ull;
	switch (sqe->opcode) {
	case NVME_CMD_READ:
	case NVME_CMD_WRITE:
	case NVME_CMD_COMPARE:
		if (!range_ok(ns, slba, nlb))
			return NVME_SC_LBA_RANGE | NVME_SC_DNR;
		if (nlb * ns->info.block_size != req->data_len)
			return NVME_SC_SGL_INVALID_DATA | NVME_SC_DNR;
		if (sqe->opcode == NVME_CMD_COMPARE) {
			setup_rw(req, WR_BDEV_OP_READ, slba, nlb, NULL);
			compare_start(req);
			return 0xffff;
		}
		if (sqe->opcode == NVME_CMD_READ && read_zero_copy(req, slba, nlb))
			return 0xffff;
		setup_rw(req, sqe->opcode == NVME_CMD_READ ? WR_BDEV_OP_READ : WR_BDEV_OP_WRITE, slba,
			 nlb, req->buf);
		if (sqe->opcode == NVME_CMD_READ)
			req->bio.fua = false;
		else if (!__atomic_load_n(&req->conn->ctrlr->vwc_enabled, __ATOMIC_RELAXED))
			req->bio.fua = true;   /* write cache disabled by the host: every write is durable */
		io_submit(req);
		return 0xffff;
	case NVME_CMD_FLUSH:
		setup_rw(req, WR_BDEV_OP_FLUSH, 0, 0, NULL);
		io_submit(req);
		return 0xffff;
	case NVME_CMD_WRITE_ZEROES:
		if (!range_ok(ns, slba, nlb))
			return NVME_SC_LBA_RANGE | NVME_SC_DNR;
		setup_rw(req, WR_BDEV_OP_WRITE_ZEROES, slba, nlb, NULL);
		if (!__atomic_load_n(&req->conn->ctrlr->vwc_enabled, __ATOMIC_RELAXED))
			req->bio.fua = true;
		io_submit(req);
		return 0xffff;
	case NVME_CMD_DSM:
		return dsm_exec(req);
	default:
		return NVME_SC_INVALID_OPCODE | NVME_SC_DNR;
	}
}

void wr_io_exec(struct wr_req *req)
{
	struct wr_conn *c = req->conn;
	struct wr_subsys *s = c->ctrlr->subsys;
	uint32_t nsid = req->sqe.nsid;
	if (req->sqe.flags & 0x3) {            /* fused commands: not supported */
		io_finish(req, NVME_SC_INVALID_FIELD | NVME_SC_DNR);
		return;
	}
	struct wr_ns *ns = nsid >= 1 && nsid <= WR_MAX_NSID
		? atomic_load_explicit(&s->ns[nsid], memory_order_acquire) : NULL;
	if (!ns) {
		io_finish(req, NVME_SC_INVALID_NS | NVME_SC_DNR);
		return;
	}
	atomic_fetch_add_explicit(&ns->inflight, 1, memory_order_relaxed);
	req->ns = ns;
	uint16_t status = ana_status(req);
	if (status == NVME_SC_SUCCESS)
		status = io_dispatch(req);
	if (status != 0xffff)
		io_finish(req, status);
}
