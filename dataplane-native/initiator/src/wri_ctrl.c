/*
 * wri_ctrl.c - controller bring-up over the admin queue, the I/O queues, keep-alive, and the
 * I/O entry points of wrinit.h.
 *
 * Bring-up order (what SPDK's and Linux's hosts do): ICReq, Connect (admin, dynamic CNTLID),
 * Property Get CAP and VS, Property Set CC.EN, wait CSTS.RDY, Identify controller, Identify
 * namespace, Set Features Number of Queues, then per I/O queue: ICReq and Connect with the
 * CNTLID. Everything here may block (with the timeout); only the I/O functions are on the hot path.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "wri_internal.h"

#define WRI_DEFAULT_PORT 4420u
#define WRI_DEFAULT_KATO_MS 30000u
#define WRI_DEFAULT_TIMEOUT_MS 5000u
#define WRI_DEFAULT_MAX_IO (128u * 1024u)
#define WRI_IDENTIFY_LEN 4096u

struct wri_ctrl {
	struct wri_opts opts;
	struct wri_ctrl_info info;
	char hostnqn[NVMF_NQN_FIELD_SIZE];
	uint8_t hostid[16];
	struct wri_queue admin;
	struct wri_queue *io;
	uint16_t io_count;
	uint64_t next_keepalive_ns;
	bool keepalive_outstanding;
	int keepalive_status;
};

/* ---------------------------------------------------------------- admin command builders */

static struct nvme_sqe fabrics_sqe(uint8_t fctype)
{
	struct nvme_sqe sqe = {.opcode = NVME_FABRICS_OPCODE};
	((struct nvmf_common_cmd *)&sqe)->fctype = fctype;
	return sqe;
}

static int property_get(struct wri_ctrl *c, uint32_t offset, bool eight, uint64_t *value)
{
	struct nvme_sqe sqe = fabrics_sqe(NVMF_FCTYPE_PROPERTY_GET);
	struct nvmf_property_get_cmd *cmd = (struct nvmf_property_get_cmd *)&sqe;
	cmd->attrib = eight ? 1 : 0;
	cmd->offset = offset;
	struct nvme_cqe cqe;
	int rc = wri_queue_exec(&c->admin, &sqe, NULL, 0, false, &cqe, c->opts.timeout_ms);
	if (rc == 0)
		*value = eight ? cqe.result : (uint32_t)cqe.result;
	return rc;
}

static int property_set(struct wri_ctrl *c, uint32_t offset, uint32_t value)
{
	struct nvme_sqe sqe = fabrics_sqe(NVMF_FCTYPE_PROPERTY_SET);
	struct nvmf_property_set_cmd *cmd = (struct nvmf_property_set_cmd *)&sqe;
	cmd->attrib = 0;
	cmd->offset = offset;
	cmd->value = value;
	return wri_queue_exec(&c->admin, &sqe, NULL, 0, false, NULL, c->opts.timeout_ms);
}

static int identify(struct wri_ctrl *c, uint8_t cns, uint32_t nsid, uint8_t *buf)
{
	struct nvme_sqe sqe = {.opcode = NVME_ADMIN_IDENTIFY, .nsid = nsid, .cdw10 = cns};
	return wri_queue_exec(&c->admin, &sqe, buf, WRI_IDENTIFY_LEN, true, NULL, c->opts.timeout_ms);
}

static int set_features(struct wri_ctrl *c, uint8_t fid, uint32_t value, uint32_t *result)
{
	struct nvme_sqe sqe = {.opcode = NVME_ADMIN_SET_FEATURES, .cdw10 = fid, .cdw11 = value};
	struct nvme_cqe cqe;
	int rc = wri_queue_exec(&c->admin, &sqe, NULL, 0, false, &cqe, c->opts.timeout_ms);
	if (rc == 0 && result)
		*result = (uint32_t)cqe.result;
	return rc;
}

/* Fabrics Connect for queue q (admin when qid 0), with the 1 KiB Connect data. */
static int fabrics_connect(struct wri_ctrl *c, struct wri_queue *q, uint16_t sqsize, uint16_t *cntlid)
{
	struct nvmf_connect_data *data = aligned_alloc(64, sizeof(*data));
	if (!data)
		return -ENOMEM;
	memset(data, 0, sizeof(*data));
	memcpy(data->hostid, c->hostid, sizeof(data->hostid));
	data->cntlid = q->qid == 0 ? NVMF_CNTLID_DYNAMIC : c->info.cntlid;
	snprintf(data->subsysnqn, sizeof(data->subsysnqn), "%s", c->opts.subnqn);
	snprintf(data->hostnqn, sizeof(data->hostnqn), "%s", c->hostnqn);

	struct nvme_sqe sqe = fabrics_sqe(NVMF_FCTYPE_CONNECT);
	struct nvmf_connect_cmd *cmd = (struct nvmf_connect_cmd *)&sqe;
	cmd->recfmt = 0;
	cmd->qid = q->qid;
	cmd->sqsize = sqsize;
	/* I/O queues: no SQ flow control, which lets the controller use C2HData SUCCESS */
	cmd->cattr = q->qid ? NVMF_CONNECT_CATTR_DISABLE_SQFLOW : 0;
	cmd->kato = q->qid == 0 ? c->opts.kato_ms : 0;
	struct nvme_cqe cqe;
	int rc = wri_queue_exec(q, &sqe, data, sizeof(*data), false, &cqe, c->opts.timeout_ms);
	free(data);
	if (rc > 0)
		fprintf(stderr, "wrinit: Connect (queue %u) to %s as %s failed: NVMe status %#x "
			"(0x184 = host not allowed, 0x182 = invalid parameter, DW0 %#x)\n", q->qid,
			c->opts.subnqn, c->hostnqn, rc, (uint32_t)cqe.result);
	if (rc == 0 && cntlid)
		*cntlid = (uint16_t)cqe.result;
	return rc;
}

/* ---------------------------------------------------------------- bring-up steps */

static void copy_trimmed(char *dst, const uint8_t *src, size_t len)
{
	memcpy(dst, src, len);
	dst[len] = 0;
	for (size_t i = len; i > 0 && (dst[i - 1] == ' ' || dst[i - 1] == 0); i--)
		dst[i - 1] = 0;
}

static uint32_t le32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static int enable_controller(struct wri_ctrl *c)
{
	uint64_t cap = 0, vs = 0, csts = 0;
	int rc = property_get(c, NVME_REG_CAP, true, &cap);
	if (rc == 0)
		rc = property_get(c, NVME_REG_VS, false, &vs);
	if (rc == 0)
		rc = property_set(c, NVME_REG_CC,
				  NVME_CC_ENABLE | 6u << NVME_CC_IOSQES_SHIFT | 4u << NVME_CC_IOCQES_SHIFT);
	if (rc)
		return rc;
	c->info.cap = cap;
	c->info.vs = (uint32_t)vs;
	/* CAP.TO: worst-case time to ready, in 500 ms units */
	uint64_t to_ms = ((cap >> 24) & 0xff) * 500u;
	uint64_t deadline = wri_now_ns() + (to_ms ? to_ms : 500) * 1000000ull + 1000000000ull;
	for (;;) {
		rc = property_get(c, NVME_REG_CSTS, false, &csts);
		if (rc)
			return rc;
		if (csts & NVME_CSTS_CFS)
			return -EIO;
		if (csts & NVME_CSTS_RDY)
			return 0;
		if (wri_now_ns() > deadline)
			return -ETIMEDOUT;
		usleep(1000);
	}
}

static int identify_controller(struct wri_ctrl *c, uint8_t *buf)
{
	int rc = identify(c, NVME_ID_CNS_CTRL, 0, buf);
	if (rc)
		return rc;
	copy_trimmed(c->info.serial, buf + 4, 20);
	copy_trimmed(c->info.model, buf + 24, 40);
	copy_trimmed(c->info.firmware, buf + 64, 8);
	copy_trimmed(c->info.subnqn, buf + 768, sizeof(c->info.subnqn) - 1);
	uint8_t mdts = buf[77];
	uint32_t mps_min = 4096u << ((c->info.cap >> 48) & 0xf);
	c->info.max_xfer_bytes = mdts ? (mdts >= 20 ? 0 : mps_min << mdts) : 0;
	uint32_t ioccsz = le32(buf + 1792);
	c->info.ioccsz_bytes = ioccsz * 16u > sizeof(struct nvme_sqe) ? ioccsz * 16u - 64u : 0;
	return 0;
}

static int identify_namespace(struct wri_ctrl *c, uint8_t *buf)
{
	uint32_t nsid = c->opts.nsid;
	if (nsid == 0) {
		int rc = identify(c, NVME_ID_CNS_NS_ACTIVE_LIST, 0, buf);
		if (rc)
			return rc;
		nsid = le32(buf);
		if (nsid == 0) {
			fprintf(stderr, "wrinit: %s has no active namespace\n", c->opts.subnqn);
			return -ENODEV;
		}
	}
	int rc = identify(c, NVME_ID_CNS_NS, nsid, buf);
	if (rc)
		return rc;
	uint64_t nsze = le64(buf);
	uint8_t flbas = buf[26] & 0xf;
	uint32_t lbaf = le32(buf + 128 + 4u * flbas);
	uint32_t lbads = (lbaf >> 16) & 0xff;
	if (nsze == 0 || lbads < 9 || lbads > 16) {
		fprintf(stderr, "wrinit: namespace %u: unusable (NSZE %llu, LBADS %u)\n", nsid,
			(unsigned long long)nsze, lbads);
		return -ENODEV;
	}
	c->info.nsid = nsid;
	c->info.ns_blocks = nsze;
	c->info.block_size = 1u << lbads;
	return 0;
}

static int negotiate_queues(struct wri_ctrl *c)
{
	uint32_t want = c->opts.num_io_queues - 1u, got = 0;
	int rc = set_features(c, NVME_FEAT_NUM_QUEUES, want | want << 16, &got);
	if (rc)
		return rc;
	uint32_t nsq = (got & 0xffff) + 1u, ncq = (got >> 16) + 1u;
	uint32_t n = nsq < ncq ? nsq : ncq;
	c->io_count = (uint16_t)(n < c->opts.num_io_queues ? n : c->opts.num_io_queues);
	c->info.num_io_queues = c->io_count;
	return 0;
}

static void fill_io_queue_params(struct wri_ctrl *c, struct wri_queue *q)
{
	q->incapsule_max = c->info.ioccsz_bytes;
	q->nsid = c->info.nsid;
	q->block_size = c->info.block_size;
	q->ns_blocks = c->info.ns_blocks;
	q->max_xfer = c->info.max_xfer_bytes;
}

static int open_io_queue(struct wri_ctrl *c, uint16_t index)
{
	struct wri_queue *q = &c->io[index];
	int rc = wri_queue_init(q, (uint16_t)(index + 1), c->info.queue_depth);
	if (rc)
		return rc;
	rc = wri_queue_connect_socket(q, c->opts.addr, c->opts.port, c->opts.hdgst, c->opts.ddgst,
				      c->opts.timeout_ms);
	if (rc)
		return rc;
	fill_io_queue_params(c, q);
	/* SQSIZE is zero-based; one spare slot, so a controller that keeps a circular queue one
	 * entry short still takes queue_depth commands */
	return fabrics_connect(c, q, c->info.queue_depth, NULL);
}

static void make_host_identity(struct wri_ctrl *c)
{
	uint8_t r[16] = {0};
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		for (size_t i = 0; i < sizeof(r); i++)
			r[i] = (uint8_t)(wri_now_ns() >> (i % 8));
	r[6] = (r[6] & 0x0f) | 0x40; /* UUID version 4 */
	r[8] = (r[8] & 0x3f) | 0x80;
	memcpy(c->hostid, r, sizeof(c->hostid));
	if (c->opts.hostnqn && c->opts.hostnqn[0]) {
		snprintf(c->hostnqn, sizeof(c->hostnqn), "%s", c->opts.hostnqn);
		return;
	}
	snprintf(c->hostnqn, sizeof(c->hostnqn),
		 "nqn.2014-08.org.nvmexpress:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8],
		 r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
}

static int validate_opts(const struct wri_opts *o)
{
	if (!o || !o->addr || !o->subnqn || !o->subnqn[0] || strlen(o->subnqn) >= NVMF_NQN_FIELD_SIZE)
		return -EINVAL;
	if (o->hostnqn && strlen(o->hostnqn) >= NVMF_NQN_FIELD_SIZE)
		return -EINVAL;
	if (o->num_io_queues == 0 || o->num_io_queues > WRI_MAX_QUEUES || o->queue_depth == 0 ||
	    o->queue_depth > 4096)
		return -EINVAL;
	return 0;
}

static int bring_up(struct wri_ctrl *c)
{
	uint8_t *buf = aligned_alloc(4096, WRI_IDENTIFY_LEN);
	if (!buf)
		return -ENOMEM;
	int rc = wri_queue_init(&c->admin, 0, WRI_ADMIN_DEPTH);
	if (rc == 0)
		rc = wri_queue_connect_socket(&c->admin, c->opts.addr, c->opts.port, c->opts.hdgst,
					      c->opts.ddgst, c->opts.timeout_ms);
	c->admin.incapsule_max = NVME_TCP_ADMIN_CCSZ;
	if (rc == 0)
		rc = fabrics_connect(c, &c->admin, WRI_ADMIN_SQSIZE, &c->info.cntlid);
	if (rc == 0)
		rc = enable_controller(c);
	if (rc == 0)
		rc = identify_controller(c, buf);
	if (rc == 0)
		rc = identify_namespace(c, buf);
	if (rc == 0)
		rc = negotiate_queues(c);
	free(buf);
	if (rc)
		return rc;
	uint32_t mqes = (uint32_t)(c->info.cap & 0xffff) + 1u;
	/* keep one entry spare (see open_io_queue) */
	c->info.queue_depth = c->opts.queue_depth < mqes ? c->opts.queue_depth : (uint16_t)(mqes - 1u);
	c->info.maxh2cdata = c->admin.maxh2cdata;
	c->info.hdgst = c->opts.hdgst;
	c->info.ddgst = c->opts.ddgst;
	c->io = calloc(c->io_count, sizeof(*c->io));
	if (!c->io)
		return -ENOMEM;
	for (uint16_t i = 0; i < c->io_count; i++) {
		c->io[i].fd = -1;
		rc = open_io_queue(c, i);
		if (rc)
			return rc;
	}
	c->next_keepalive_ns = wri_now_ns() + (uint64_t)c->opts.kato_ms * 1000000ull / 2u;
	return 0;
}

static void release(struct wri_ctrl *c)
{
	for (uint16_t i = 0; c->io && i < c->io_count; i++)
		wri_queue_fini(&c->io[i]);
	free(c->io);
	wri_queue_fini(&c->admin);
	free(c);
}

int wri_connect(const struct wri_opts *opts, struct wri_ctrl **out)
{
	int rc = validate_opts(opts);
	if (rc)
		return rc;
	struct wri_ctrl *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->admin.fd = -1;
	c->opts = *opts;
	c->opts.port = opts->port ? opts->port : WRI_DEFAULT_PORT;
	c->opts.kato_ms = opts->kato_ms ? opts->kato_ms : WRI_DEFAULT_KATO_MS;
	c->opts.timeout_ms = opts->timeout_ms ? opts->timeout_ms : WRI_DEFAULT_TIMEOUT_MS;
	c->opts.max_io_bytes = opts->max_io_bytes ? opts->max_io_bytes : WRI_DEFAULT_MAX_IO;
	make_host_identity(c);
	rc = bring_up(c);
	if (rc) {
		/* NVMe statuses are positive: report them as a refusal, keep errno style */
		release(c);
		return rc > 0 ? -ECONNREFUSED : rc;
	}
	*out = c;
	return 0;
}

void wri_disconnect(struct wri_ctrl *c)
{
	if (!c)
		return;
	for (uint16_t i = 0; i < c->io_count; i++)
		wri_queue_fail(&c->io[i], -ESHUTDOWN);
	/* wait for an outstanding keep-alive, then a normal shutdown notification */
	if (!c->admin.error) {
		uint64_t deadline = wri_now_ns() + 1000000000ull;
		while (c->keepalive_outstanding && wri_now_ns() < deadline &&
		       wri_queue_poll(&c->admin, 4) >= 0)
			;
		if (!c->keepalive_outstanding)
			property_set(c, NVME_REG_CC, NVME_CC_ENABLE | 1u << NVME_CC_SHN_SHIFT);
	}
	release(c);
}

const struct wri_ctrl_info *wri_ctrl_get_info(const struct wri_ctrl *c)
{
	return &c->info;
}

struct wri_queue *wri_ctrl_io_queue(struct wri_ctrl *c, uint16_t index)
{
	return index < c->io_count ? &c->io[index] : NULL;
}

static void keepalive_done(void *arg, int status)
{
	struct wri_ctrl *c = arg;
	c->keepalive_outstanding = false;
	c->keepalive_status = status;
}

int wri_ctrl_poll_admin(struct wri_ctrl *c)
{
	uint64_t now = wri_now_ns();
	if (!c->keepalive_outstanding && now >= c->next_keepalive_ns) {
		struct nvme_sqe sqe = {.opcode = NVME_ADMIN_KEEP_ALIVE};
		int rc = wri_queue_submit(&c->admin, &sqe, NULL, 0, false, keepalive_done, c, NULL);
		if (rc)
			return rc;
		c->keepalive_outstanding = true;
		c->next_keepalive_ns = now + (uint64_t)c->opts.kato_ms * 1000000ull / 2u;
	}
	int rc = wri_queue_poll(&c->admin, 4);
	if (rc < 0)
		return rc;
	if (c->keepalive_status > 0) {
		fprintf(stderr, "wrinit: Keep Alive failed: NVMe status %#x\n", c->keepalive_status);
		return -EIO;
	}
	return 0;
}

/* ---------------------------------------------------------------- I/O */

static int check_rw(const struct wri_queue *q, uint64_t slba, uint32_t nblocks, const void *buf)
{
	if (nblocks == 0 || nblocks > 65536u || !buf || slba >= q->ns_blocks ||
	    nblocks > q->ns_blocks - slba)
		return -EINVAL;
	uint64_t bytes = (uint64_t)nblocks * q->block_size;
	if (bytes > UINT32_MAX || (q->max_xfer && bytes > q->max_xfer))
		return -EINVAL;
	return 0;
}

static struct nvme_sqe rw_sqe(const struct wri_queue *q, uint8_t opcode, uint64_t slba, uint32_t nblocks)
{
	return (struct nvme_sqe){
		.opcode = opcode,
		.nsid = q->nsid,
		.cdw10 = (uint32_t)slba,
		.cdw11 = (uint32_t)(slba >> 32),
		.cdw12 = nblocks - 1u, /* NLB is zero-based */
	};
}

int wri_read(struct wri_queue *q, uint64_t slba, uint32_t nblocks, void *buf, wri_cb cb, void *cb_arg)
{
	int rc = check_rw(q, slba, nblocks, buf);
	if (rc)
		return rc;
	struct nvme_sqe sqe = rw_sqe(q, NVME_CMD_READ, slba, nblocks);
	return wri_queue_submit(q, &sqe, buf, nblocks * q->block_size, true, cb, cb_arg, NULL);
}

int wri_write(struct wri_queue *q, uint64_t slba, uint32_t nblocks, const void *buf, bool fua,
	      wri_cb cb, void *cb_arg)
{
	int rc = check_rw(q, slba, nblocks, buf);
	if (rc)
		return rc;
	struct nvme_sqe sqe = rw_sqe(q, NVME_CMD_WRITE, slba, nblocks);
	if (fua)
		sqe.cdw12 |= NVME_RW_FUA;
	/* the queue only reads from buf for a write */
	return wri_queue_submit(q, &sqe, (void *)buf, nblocks * q->block_size, false, cb, cb_arg, NULL);
}

int wri_flush(struct wri_queue *q, wri_cb cb, void *cb_arg)
{
	struct nvme_sqe sqe = {.opcode = NVME_CMD_FLUSH, .nsid = q->nsid};
	return wri_queue_submit(q, &sqe, NULL, 0, false, cb, cb_arg, NULL);
}

int wri_write_zeroes(struct wri_queue *q, uint64_t slba, uint32_t nblocks, wri_cb cb, void *cb_arg)
{
	if (nblocks == 0 || nblocks > 65536u || slba >= q->ns_blocks || nblocks > q->ns_blocks - slba)
		return -EINVAL;
	struct nvme_sqe sqe = rw_sqe(q, NVME_CMD_WRITE_ZEROES, slba, nblocks);
	return wri_queue_submit(q, &sqe, NULL, 0, false, cb, cb_arg, NULL);
}
