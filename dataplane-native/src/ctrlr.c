/*
 * ctrlr.c - controllers: fabrics commands (Connect, Property Get/Set, Disconnect), the admin
 * command set, the discovery log, asynchronous events and the keep-alive timer.
 *
 * Admin commands run on the reactor of the admin queue and take target->lock where they read
 * configuration (subsystems, namespaces, hosts, ports); none of this is on the I/O path.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "pages.h"

/* The host's timer and ours tick independently, and some hosts send Keep Alive only once per
 * KATO (Linux before 6.0): allow one more KATO, at least a second, before tearing down. */
static uint64_t kato_deadline_ns(uint32_t kato_ms)
{
	uint64_t slack = kato_ms > 1000u ? kato_ms : 1000u;
	return ((uint64_t)kato_ms + slack) * 1000000ull;
}

static void ctrlr_log(const struct wr_ctrlr *ctrlr, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void ctrlr_log(const struct wr_ctrlr *ctrlr, int level, const char *fmt, ...)
{
	if (level > wr_log_threshold)
		return;
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	wr_log_kind(fmt, level, "controller %u (%s, host %s, %s): %s", ctrlr->cntlid, ctrlr->subsys->nqn,
	       ctrlr->hostnqn, ctrlr->peer, msg);
}

/* ---------------------------------------------------------------------------------------------
 * Controller lifetime
 * ------------------------------------------------------------------------------------------- */
void wr_ctrlr_put(struct wr_ctrlr *ctrlr)
{
	if (atomic_fetch_sub(&ctrlr->refs, 1) != 1)
		return;
	struct wr_target *t = ctrlr->target;
	pthread_mutex_lock(&t->lock);
	struct wr_subsys *s = ctrlr->subsys;
	for (struct wr_ctrlr **pp = &s->ctrlrs; *pp; pp = &(*pp)->next) {
		if (*pp == ctrlr) {
			*pp = ctrlr->next;
			break;
		}
	}
	wr_subsys_put(t, s);
	pthread_mutex_unlock(&t->lock);
	free(ctrlr);
}

void wr_ctrlr_fail(struct wr_ctrlr *ctrlr, const char *why)
{
	if (atomic_exchange(&ctrlr->failed, true))
		return;
	ctrlr_log(ctrlr, WR_LOG_INFO, "torn down: %s", why);
	/* Every reactor looks at its queue pairs and closes those of failed controllers. */
	struct wr_target *t = ctrlr->target;
	for (uint32_t i = 0; i < t->nreactors; i++)
		wr_reactor_kick(&t->reactors[i]);
}

void wr_ctrlr_raise_aen(struct wr_ctrlr *ctrlr, uint32_t cfg_bit)
{
	atomic_fetch_or(&ctrlr->aen_pending, cfg_bit);
	struct wr_target *t = ctrlr->target;
	if (ctrlr->admin_reactor < t->nreactors)
		wr_reactor_kick(&t->reactors[ctrlr->admin_reactor]);
}

static uint32_t aen_dw0(uint32_t cfg_bit)
{
	switch (cfg_bit) {
	case NVME_AEN_CFG_NS_ATTR:
		return NVME_AER_TYPE_NOTICE | NVME_AER_NOTICE_NS_CHANGED << 8 | NVME_LOG_CHANGED_NS << 16;
	case NVME_AEN_CFG_ANA_CHANGE:
		return NVME_AER_TYPE_NOTICE | NVME_AER_NOTICE_ANA << 8 | NVME_LOG_ANA << 16;
	default:
		return NVME_AER_TYPE_NOTICE | NVME_AER_NOTICE_DISC_CHANGED << 8 | NVME_LOG_DISC << 16;
	}
}

/* Completes held AERs for raised events the host enabled and has not been told about yet. */
static void aen_deliver(struct wr_ctrlr *ctrlr)
{
	static const uint32_t events[] = { NVME_AEN_CFG_NS_ATTR, NVME_AEN_CFG_ANA_CHANGE,
					   NVME_AEN_CFG_DISC_CHANGE };
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		uint32_t bit = events[i];
		if (!(atomic_load(&ctrlr->aen_pending) & bit))
			continue;
		if (!(ctrlr->aen_cfg & bit)) {
			atomic_fetch_and(&ctrlr->aen_pending, ~bit);  /* not enabled: not reported */
			continue;
		}
		if (ctrlr->aen_masked & bit || ctrlr->naers == 0)
			continue;
		atomic_fetch_and(&ctrlr->aen_pending, ~bit);
		ctrlr->aen_masked |= bit;
		struct wr_req *req = ctrlr->aers[--ctrlr->naers];
		req->cqe.result = aen_dw0(bit);
		ctrlr_log(ctrlr, WR_LOG_DEBUG, "async event %#x", (unsigned)req->cqe.result);
		wr_req_complete(req, NVME_SC_SUCCESS);
	}
}

void wr_ctrlr_service(struct wr_conn *admin, uint64_t now_ns)
{
	struct wr_ctrlr *ctrlr = admin->ctrlr;
	/* I/O queues return before reading ctrlr->admin: only the admin queue's reactor touches it
	 * (wr_conn_release_ctrlr clears it there), and other reactors service their queues too. */
	if (!ctrlr || admin->qid != 0 || ctrlr->admin != admin)
		return;
	/* now_ns is the loop's clock, taken before this loop's commands refreshed the timer: it may
	 * be older than last_keep_alive_ns, which is not an expiry. */
	if (ctrlr->kato_ms && now_ns > ctrlr->last_keep_alive_ns &&
	    now_ns - ctrlr->last_keep_alive_ns > kato_deadline_ns(ctrlr->kato_ms)) {
		ctrlr_log(ctrlr, WR_LOG_WARN, "keep-alive timeout (%u ms) expired", ctrlr->kato_ms);
		wr_ctrlr_fail(ctrlr, "keep-alive timeout");
		wr_conn_close(admin, "keep-alive timeout");
		return;
	}
	aen_deliver(ctrlr);
}

/* ---------------------------------------------------------------------------------------------
 * Fabrics: Connect
 * ------------------------------------------------------------------------------------------- */
static void connect_reject(struct wr_req *req, uint16_t status, uint32_t iattr, uint32_t ipo,
			   const char *why, const char *hostnqn, const char *subnqn)
{
	wr_log(WR_LOG_WARN, "qpair %s qid %u: Connect rejected: %s (host %s, subsystem %s)",
	       req->conn->peer, ((struct nvmf_connect_cmd *)&req->sqe)->qid, why,
	       hostnqn ? hostnqn : "?", subnqn ? subnqn : "?");
	if (status == NVME_SC_CONNECT_INVALID_PARAM || status == NVME_SC_CONNECT_INVALID_HOST)
		req->cqe.result = iattr << 16 | ipo;
	wr_req_complete(req, status | NVME_SC_DNR);
}

/* With target->lock held: the next free ID of the target's range (wr_target_set_cntlid_range),
 * round robin per subsystem so that a reconnecting host does not get the ID it just dropped. */
static uint16_t alloc_cntlid(const struct wr_target *t, struct wr_subsys *s)
{
	uint16_t min = t->cntlid_min, max = t->cntlid_max;
	for (uint32_t tries = 0; tries <= (uint32_t)(max - min); tries++) {
		uint16_t id = s->next_cntlid;
		if (id < min || id > max)
			id = min;
		s->next_cntlid = id >= max ? min : id + 1;
		bool used = false;
		for (struct wr_ctrlr *c = s->ctrlrs; c; c = c->next)
			used |= c->cntlid == id;
		if (!used)
			return id;
	}
	return 0;
}

static struct wr_ctrlr *ctrlr_create(struct wr_conn *c, struct wr_subsys *s,
				     const struct nvmf_connect_cmd *cmd,
				     const struct nvmf_connect_data *d)
{
	uint16_t cntlid = alloc_cntlid(c->target, s);
	if (!cntlid)
		return NULL;
	struct wr_ctrlr *ctrlr = calloc(1, sizeof(*ctrlr));
	if (!ctrlr)
		return NULL;
	ctrlr->subsys = s;
	ctrlr->target = c->target;
	ctrlr->cntlid = cntlid;
	ctrlr->port_slot = c->port_slot;
	ctrlr->discovery = s->discovery;
	wr_name_copy(ctrlr->hostnqn, d->hostnqn, strlen(d->hostnqn));   /* < 224: nqn_field_len */
	memcpy(ctrlr->hostid, d->hostid, sizeof(ctrlr->hostid));
	snprintf(ctrlr->peer, sizeof(ctrlr->peer), "%s", c->peer);
	ctrlr->connected_at_ms = wr_unix_ms();
	ctrlr->kato_ms = cmd->kato;
	ctrlr->num_io_queues = WR_MAX_IO_QUEUES;
	ctrlr->vwc_enabled = 1;
	ctrlr->feat_temp = 343;
	ctrlr->last_keep_alive_ns = wr_now_ns();
	ctrlr->admin = c;
	ctrlr->admin_reactor = c->reactor ? c->reactor->id : 0;
	atomic_init(&ctrlr->refs, 1);
	atomic_init(&ctrlr->nqueues, 1);
	ctrlr->next = s->ctrlrs;
	s->ctrlrs = ctrlr;
	s->refs++;
	return ctrlr;
}

static struct wr_ctrlr *ctrlr_find(struct wr_subsys *s, uint16_t cntlid)
{
	for (struct wr_ctrlr *c = s->ctrlrs; c; c = c->next)
		if (c->cntlid == cntlid && !atomic_load(&c->failed))
			return c;
	return NULL;
}

/* The length of the NQN in a 256-byte Connect field, or -1: it must end with a NUL within 224 bytes
 * (an NQN has at most 223), hold at least one byte, and none that no name may hold (control
 * characters, bidi overrides, malformed UTF-8), so the name compared, stored, logged and shown by the
 * console is exactly what the host sent up to its NUL. */
static int nqn_field_len(const char *field)
{
	const char *end = memchr(field, '\0', WR_NQN_SIZE);
	if (!end || end == field || wr_name_check(field, (size_t)(end - field)) < 0)
		return -1;
	return (int)(end - field);
}

static void connect_exec(struct wr_req *req)
{
	struct wr_conn *c = req->conn;
	const struct nvmf_connect_cmd *cmd = (const struct nvmf_connect_cmd *)&req->sqe;
	const struct nvmf_connect_data *d = (const struct nvmf_connect_data *)req->buf;
	if (c->ctrlr) {
		wr_req_complete(req, NVME_SC_CMD_SEQ_ERROR | NVME_SC_DNR);
		return;
	}
	if (req->data_len < sizeof(*d)) {
		connect_reject(req, NVME_SC_SGL_INVALID_DATA, 0, 0, "Connect data shorter than 1024 bytes",
			       NULL, NULL);
		return;
	}
	if (cmd->recfmt != 0) {
		connect_reject(req, NVME_SC_CONNECT_FORMAT, 0, 0, "unknown record format", NULL, NULL);
		return;
	}
	int sublen = nqn_field_len(d->subsysnqn), hostlen = nqn_field_len(d->hostnqn);
	if (sublen < 0) {
		connect_reject(req, NVME_SC_CONNECT_INVALID_PARAM, NVMF_IATTR_DATA,
			       offsetof(struct nvmf_connect_data, subsysnqn), "malformed SUBNQN", NULL, NULL);
		return;
	}
	if (hostlen < 0) {
		connect_reject(req, NVME_SC_CONNECT_INVALID_PARAM, NVMF_IATTR_DATA,
			       offsetof(struct nvmf_connect_data, hostnqn), "malformed HOSTNQN", NULL,
			       d->subsysnqn);
		return;
	}
	uint32_t entries = (uint32_t)cmd->sqsize + 1;
	if (cmd->sqsize == 0 || entries > WR_MAX_QUEUE_ENTRIES) {
		connect_reject(req, NVME_SC_CONNECT_INVALID_PARAM, NVMF_IATTR_SQE,
			       offsetof(struct nvmf_connect_cmd, sqsize), "SQSIZE out of range",
			       d->hostnqn, d->subsysnqn);
		return;
	}

	struct wr_target *t = c->target;
	pthread_mutex_lock(&t->lock);
	struct wr_subsys *s = wr_subsys_find(t, d->subsysnqn, (size_t)sublen);
	const char *why = NULL;
	uint16_t status = NVME_SC_CONNECT_INVALID_PARAM;
	uint32_t iattr = NVMF_IATTR_DATA, ipo = offsetof(struct nvmf_connect_data, subsysnqn);
	struct wr_ctrlr *ctrlr = NULL;
	struct wr_auth *auth = NULL;
	const struct wr_host *host = s ? wr_subsys_host_find(s, d->hostnqn, (size_t)hostlen) : NULL;
	if (!s) {
		why = "unknown subsystem";
	} else if (!s->discovery && !wr_subsys_on_port(s, c->port_slot)) {
		why = "subsystem does not listen on this port";
	} else if (!wr_subsys_host_allowed(s, d->hostnqn, (size_t)hostlen)) {
		why = "host not allowed";
		status = NVME_SC_CONNECT_INVALID_HOST;
		ipo = offsetof(struct nvmf_connect_data, hostnqn);
	} else if (c->secure && !wr_tls_conn_identity_is(c, d->hostnqn, (size_t)hostlen, d->subsysnqn,
							 (size_t)sublen, s->discovery)) {
		/* the channel's PSK belongs to one (host, subsystem): no other may use it */
		why = "not the host and subsystem of the TLS PSK identity";
		status = NVME_SC_CONNECT_INVALID_HOST;
		ipo = offsetof(struct nvmf_connect_data, hostnqn);
	} else if (host && host->key.len && !(auth = wr_auth_new(host, s))) {
		/* A host with a secret authenticates every queue, admin and I/O alike (Linux's
		 * host runs a transaction per queue when Connect asks for one). */
		why = "no memory for the authentication transaction";
		status = NVME_SC_CONNECT_CTRL_BUSY;
	} else if (cmd->qid == 0) {
		if (d->cntlid != NVMF_CNTLID_DYNAMIC) {
			why = "static controller ID requested (only the dynamic model is supported)";
			ipo = offsetof(struct nvmf_connect_data, cntlid);
		} else if (!(ctrlr = ctrlr_create(c, s, cmd, d))) {
			why = "no controller ID or memory left";
			status = NVME_SC_CONNECT_CTRL_BUSY;
		}
	} else {
		ctrlr = ctrlr_find(s, d->cntlid);
		uint64_t bit = cmd->qid <= 64 ? 1ull << (cmd->qid - 1) : 0;
		if (!ctrlr || ctrlr->discovery ||
		    !wr_name_eq(ctrlr->hostnqn, d->hostnqn, (size_t)hostlen) ||
		    memcmp(ctrlr->hostid, d->hostid, sizeof(d->hostid)) != 0) {
			why = "I/O queue for an unknown controller";
			ipo = offsetof(struct nvmf_connect_data, cntlid);
			ctrlr = NULL;
		} else if (cmd->qid > ctrlr->num_io_queues || !bit) {
			why = "queue ID beyond the granted number of queues";
			iattr = NVMF_IATTR_SQE;
			ipo = offsetof(struct nvmf_connect_cmd, qid);
			ctrlr = NULL;
		} else if (atomic_fetch_or(&ctrlr->io_qmask, bit) & bit) {
			why = "queue ID already connected";
			iattr = NVMF_IATTR_SQE;
			ipo = offsetof(struct nvmf_connect_cmd, qid);
			ctrlr = NULL;
		} else {
			atomic_fetch_add(&ctrlr->refs, 1);
			atomic_fetch_add(&ctrlr->nqueues, 1);
		}
	}
	pthread_mutex_unlock(&t->lock);
	if (!ctrlr) {
		wr_auth_free(auth);
		connect_reject(req, status, iattr, ipo, why, d->hostnqn, d->subsysnqn);
		return;
	}
	c->ctrlr = ctrlr;
	c->auth = auth;
	c->auth_pending = auth != NULL;
	wr_conn_setup_queue(c, cmd->qid, (uint16_t)entries);
	c->sqflow_disabled = cmd->cattr & NVMF_CONNECT_CATTR_DISABLE_SQFLOW;
	c->sqhd = (uint16_t)(1 % entries);
	req->cqe.result = ctrlr->cntlid | (auth ? NVMF_CONNECT_AUTHREQ_ATR : 0);
	if (cmd->qid == 0)
		ctrlr_log(ctrlr, WR_LOG_INFO, "created (kato %u ms, %u entries)", ctrlr->kato_ms, entries);
	else
		ctrlr_log(ctrlr, WR_LOG_DEBUG, "I/O queue %u connected (%u entries)", cmd->qid, entries);
	wr_req_complete(req, NVME_SC_SUCCESS);
}

/* ---------------------------------------------------------------------------------------------
 * Fabrics: properties
 * ------------------------------------------------------------------------------------------- */
static uint64_t prop_cap(void)
{
	uint64_t mqes = WR_MAX_QUEUE_ENTRIES - 1;
	uint64_t cqr = 1ull << 16;            /* contiguous queues required */
	uint64_t to = 30ull << 24;            /* ready timeout: 15 s in 500 ms units */
	uint64_t css_nvm = 1ull << 37;
	return mqes | cqr | to | css_nvm;
}

static void property_get(struct wr_req *req)
{
	const struct nvmf_property_get_cmd *cmd = (const struct nvmf_property_get_cmd *)&req->sqe;
	struct wr_ctrlr *ctrlr = req->conn->ctrlr;
	bool wide = (cmd->attrib & 0x7) == 1;
	switch (cmd->offset) {
	case NVME_REG_CAP:
		req->cqe.result = wide ? prop_cap() : (uint32_t)prop_cap();
		break;
	case NVME_REG_VS:
		req->cqe.result = 0x00010300;
		break;
	case NVME_REG_CC:
		req->cqe.result = ctrlr->cc;
		break;
	case NVME_REG_CSTS:
		req->cqe.result = ctrlr->csts;
		break;
	default:
		wr_req_complete(req, NVME_SC_INVALID_FIELD | NVME_SC_DNR);
		return;
	}
	wr_req_complete(req, NVME_SC_SUCCESS);
}

static void cc_write(struct wr_ctrlr *ctrlr, uint32_t cc)
{
	uint32_t old = ctrlr->cc;
	ctrlr->cc = cc;
	if ((cc & NVME_CC_ENABLE) && !(old & NVME_CC_ENABLE)) {
		uint32_t iosqes = (cc >> NVME_CC_IOSQES_SHIFT) & 0xf;
		uint32_t iocqes = (cc >> NVME_CC_IOCQES_SHIFT) & 0xf;
		if (!ctrlr->discovery && (iosqes != 6 || iocqes != 4)) {
			ctrlr_log(ctrlr, WR_LOG_WARN, "CC.EN with queue entry sizes %u/%u: fatal status",
				  iosqes, iocqes);
			ctrlr->csts |= NVME_CSTS_CFS;
			return;
		}
		ctrlr->csts |= NVME_CSTS_RDY;
	}
	if (!(cc & NVME_CC_ENABLE) && (old & NVME_CC_ENABLE))
		ctrlr->csts &= ~(NVME_CSTS_RDY | NVME_CSTS_CFS);
	if ((cc & NVME_CC_SHN_MASK) && !(old & NVME_CC_SHN_MASK))
		ctrlr->csts |= NVME_CSTS_SHST_COMPLETE;   /* nothing is cached above the bdevs */
	if (!(cc & NVME_CC_SHN_MASK))
		ctrlr->csts &= ~(0x3u << 2);
}

static void property_set(struct wr_req *req)
{
	const struct nvmf_property_set_cmd *cmd = (const struct nvmf_property_set_cmd *)&req->sqe;
	if (cmd->offset != NVME_REG_CC) {
		wr_req_complete(req, NVME_SC_INVALID_FIELD | NVME_SC_DNR);
		return;
	}
	cc_write(req->conn->ctrlr, (uint32_t)cmd->value);
	wr_req_complete(req, NVME_SC_SUCCESS);
}

/* ---------------------------------------------------------------------------------------------
 * Fabrics: Authentication Send / Receive (NVMe base 2.0, 6.2/6.3; auth.c runs the protocol)
 * ------------------------------------------------------------------------------------------- */
/* The longest message a host sends: a Reply with SHA-512 and ffdhe8192 is 1168 bytes; a
 * Negotiate with a few descriptors less. Anything longer is refused before it is read. */
#define WR_AUTH_SEND_MAX 4096u

/* Acts on what the transaction decided: the queue opens, or it is refused and closes once the
 * reply (Failure1, or the completion of the host's Failure2) is sent. */
static void auth_settle(struct wr_conn *c)
{
	const char *why = NULL;
	enum wr_auth_outcome o = wr_auth_take_outcome(c->auth, &why);
	struct wr_ctrlr *ctrlr = c->ctrlr;
	if (o == WR_AUTH_SUCCEEDED) {
		c->auth_pending = false;
		wr_admission_count(c->target, WR_NET_AUTH_SUCCESSES);
		ctrlr_log(ctrlr, WR_LOG_DEBUG, "queue %u authenticated (DH-HMAC-CHAP)", c->qid);
	} else if (o == WR_AUTH_FAILED) {
		c->auth_pending = true;
		c->close_after_tx = true;
		wr_admission_count(c->target, WR_NET_AUTH_FAILURES);
		wr_log(WR_LOG_WARN, "qpair %s qid %u: host %s failed DH-HMAC-CHAP authentication to %s: %s",
		       c->peer, c->qid, ctrlr->hostnqn, ctrlr->subsys->nqn, why ? why : "refused");
	}
}

static void auth_exec(struct wr_req *req)
{
	struct wr_conn *c = req->conn;
	const struct nvmf_auth_cmd *cmd = (const struct nvmf_auth_cmd *)&req->sqe;
	if (c->qid == 0)
		c->ctrlr->last_keep_alive_ns = wr_now_ns();
	if (!c->auth) {                       /* no secret: there is nothing to authenticate with */
		wr_req_complete(req, NVME_SC_INVALID_OPCODE | NVME_SC_DNR);
		return;
	}
	if (cmd->secp != NVMF_AUTH_SECP || cmd->spsp0 != NVMF_AUTH_SPSP ||
	    cmd->spsp1 != NVMF_AUTH_SPSP || cmd->length == 0) {
		wr_req_complete(req, NVME_SC_INVALID_FIELD | NVME_SC_DNR);
		return;
	}
	uint16_t status;
	if (cmd->fctype == NVMF_FCTYPE_AUTH_SEND) {
		/* TL must be the data the host sent (Linux's target: nvmet_check_transfer_len). */
		if (cmd->length != req->data_len || cmd->length > WR_AUTH_SEND_MAX) {
			wr_req_complete(req, (cmd->length > WR_AUTH_SEND_MAX ? NVME_SC_INVALID_FIELD
									  : NVME_SC_SGL_INVALID_DATA) |
						     NVME_SC_DNR);
			return;
		}
		status = wr_auth_send(c->auth, req->buf, cmd->length);
		auth_settle(c);
		wr_req_complete(req, status);
		return;
	}
	/* Receive: AL bytes go back, the message and zeroes after it, as Linux's target does. */
	if (cmd->length > req->data_len) {
		wr_req_complete(req, NVME_SC_SGL_INVALID_DATA | NVME_SC_DNR);
		return;
	}
	uint32_t len = 0;
	memset(req->buf, 0, cmd->length);
	status = wr_auth_receive(c->auth, req->buf, cmd->length, &len);
	auth_settle(c);
	if (status)
		wr_req_complete(req, status);
	else
		wr_req_complete_data(req, cmd->length);
}

/* Before its queue has authenticated a host may only authenticate, read properties or leave
 * (Linux's target also refuses everything else: nvmet_check_auth_status). */
static bool allowed_before_auth(uint8_t fctype)
{
	return fctype == NVMF_FCTYPE_AUTH_SEND || fctype == NVMF_FCTYPE_AUTH_RECV ||
	       fctype == NVMF_FCTYPE_PROPERTY_GET || fctype == NVMF_FCTYPE_DISCONNECT;
}

void wr_fabrics_exec(struct wr_req *req)
{
	struct wr_conn *c = req->conn;
	const struct nvmf_common_cmd *cmd = (const struct nvmf_common_cmd *)&req->sqe;
	if (cmd->fctype == NVMF_FCTYPE_CONNECT) {
		connect_exec(req);
		return;
	}
	if (!c->ctrlr) {
		wr_log(WR_LOG_WARN, "qpair %s: fabrics command %#x before Connect", c->peer, cmd->fctype);
		wr_req_complete(req, NVME_SC_CMD_SEQ_ERROR | NVME_SC_DNR);
		return;
	}
	if (c->auth_pending && !allowed_before_auth(cmd->fctype)) {
		wr_req_complete(req, NVME_SC_AUTH_REQUIRED | NVME_SC_DNR);
		return;
	}
	switch (cmd->fctype) {
	case NVMF_FCTYPE_AUTH_SEND:
	case NVMF_FCTYPE_AUTH_RECV:
		auth_exec(req);
		return;
	case NVMF_FCTYPE_PROPERTY_GET:
	case NVMF_FCTYPE_PROPERTY_SET:
		if (c->qid != 0) {
			wr_req_complete(req, NVME_SC_INVALID_FIELD | NVME_SC_DNR);
			return;
		}
		c->ctrlr->last_keep_alive_ns = wr_now_ns();
		if (cmd->fctype == NVMF_FCTYPE_PROPERTY_GET)
			property_get(req);
		else
			property_set(req);
		return;
	case NVMF_FCTYPE_DISCONNECT:
		c->close_after_tx = true;
		wr_req_complete(req, NVME_SC_SUCCESS);
		return;
	default:
		wr_req_complete(req, NVME_SC_INVALID_OPCODE | NVME_SC_DNR);
		return;
	}
}

/* ---------------------------------------------------------------------------------------------
 * Identify
 * ------------------------------------------------------------------------------------------- */
static struct wr_ns *ns_get(struct wr_subsys *s, uint32_t nsid)
{
	if (nsid == 0 || nsid > WR_MAX_NSID)
		return NULL;
	return atomic_load(&s->ns[nsid]);
}

static void identify_exec(struct wr_req *req)
{
	struct wr_ctrlr *ctrlr = req->conn->ctrlr;
	struct wr_subsys *s = ctrlr->subsys;
	uint8_t cns = req->sqe.cdw10 & 0xff;
	uint8_t csi = req->sqe.cdw11 >> 24;
	uint32_t nsid = req->sqe.nsid;
	uint8_t *page = req->buf;
	uint16_t status = NVME_SC_SUCCESS;
	memset(page, 0, WR_PAGE_SIZE);

	pthread_mutex_lock(&ctrlr->target->lock);
	if (cns == NVME_ID_CNS_CTRL) {
		struct wr_id_ctrl_params p = {
			.serial = s->serial, .model = s->model, .subnqn = s->nqn, .cntlid = ctrlr->cntlid,
			.discovery = ctrlr->discovery, .maxcmd = WR_MAX_QUEUE_ENTRIES,
			.nn = WR_MAX_NSID, .anagrpmax = WR_MAX_ANAGRP, .mdts = WR_MDTS,
			.ioccsz_bytes = WR_ICD_SIZE, .aerl = WR_AERL - 1, .kas = WR_KAS_100MS,
			.anatt = (uint8_t)atomic_load(&ctrlr->target->anatt_s),
		};
		wr_page_id_ctrl(page, &p);
	} else if (ctrlr->discovery) {
		status = NVME_SC_INVALID_FIELD | NVME_SC_DNR;
	} else if (cns == NVME_ID_CNS_NS || cns == NVME_ID_CNS_NS_DESC_LIST ||
		   (cns == NVME_ID_CNS_CS_NS && csi == 0)) {
		struct wr_ns *ns = ns_get(s, nsid);
		if (nsid == 0 || nsid > WR_MAX_NSID) {
			status = NVME_SC_INVALID_NS | NVME_SC_DNR;
		} else if (!ns) {
			/* An allocated-but-inactive NSID reads as zeroes for CNS 00 (base spec 5.15.2.1). */
			if (cns != NVME_ID_CNS_NS)
				status = NVME_SC_INVALID_NS | NVME_SC_DNR;
		} else if (cns == NVME_ID_CNS_NS) {
			struct wr_id_ns_params p = {
				.num_blocks = __atomic_load_n(&ns->info.num_blocks, __ATOMIC_ACQUIRE),
				.block_size = ns->info.block_size,
				.nguid = ns->nguid, .anagrpid = ns->anagrpid,
				.dealloc_reads_zero = ns->info.dealloc_reads_zero,
			};
			wr_page_id_ns(page, &p);
		} else if (cns == NVME_ID_CNS_NS_DESC_LIST) {
			wr_page_ns_descs(page, ns->nguid, ns->uuid);
		}
		/* CNS 05, NVM command set: every field is zero for a plain NVM namespace. */
	} else if (cns == NVME_ID_CNS_NS_ACTIVE_LIST) {
		if (nsid >= 0xfffffffeu) {
			status = NVME_SC_INVALID_NS | NVME_SC_DNR;
		} else {
			uint32_t *list = (uint32_t *)page, n = 0;
			for (uint32_t id = nsid + 1; id <= WR_MAX_NSID && n < WR_PAGE_SIZE / 4; id++)
				if (atomic_load(&s->ns[id]))
					list[n++] = id;
		}
	} else if (cns == NVME_ID_CNS_CS_CTRL && csi == 0) {
		/* NVM command set controller data: zeroes mean "no extra limits". */
	} else {
		status = NVME_SC_INVALID_FIELD | NVME_SC_DNR;
	}
	pthread_mutex_unlock(&ctrlr->target->lock);
	if (status)
		wr_req_complete(req, status);
	else
		wr_req_complete_data(req, WR_PAGE_SIZE);
}

/* ---------------------------------------------------------------------------------------------
 * Log pages: each builder writes the whole page into a scratch buffer; the requested window
 * (offset, length) is copied out, zero-filled past the end.
 * ------------------------------------------------------------------------------------------- */
static size_t log_supported(uint8_t *page, bool discovery)
{
	uint32_t *lids = (uint32_t *)page;
	memset(page, 0, 1024);
	if (discovery) {
		lids[NVME_LOG_DISC] = 1;
		return 1024;
	}
	static const uint8_t supported[] = { NVME_LOG_SUPPORTED, NVME_LOG_ERROR, NVME_LOG_SMART,
					     NVME_LOG_FW_SLOT, NVME_LOG_CHANGED_NS,
					     NVME_LOG_CMD_EFFECTS, NVME_LOG_ANA };
	for (size_t i = 0; i < sizeof(supported); i++)
		lids[supported[i]] = 1;
	return 1024;
}

static size_t log_smart(struct wr_ctrlr *ctrlr, uint8_t *page)
{
	struct wr_target *t = ctrlr->target;
	struct wr_smart_params p = { 0 };
	for (uint32_t nsid = 1; nsid <= WR_MAX_NSID; nsid++) {
		struct wr_ns *ns = atomic_load(&ctrlr->subsys->ns[nsid]);
		if (!ns)
			continue;
		for (uint32_t r = 0; r < t->nreactors; r++) {
			const struct wr_ns_rstats *st = &ns->rstats[r];
			p.read_ops += __atomic_load_n(&st->read.ops, __ATOMIC_RELAXED);
			p.read_bytes += __atomic_load_n(&st->read.bytes, __ATOMIC_RELAXED);
			p.write_ops += __atomic_load_n(&st->write.ops, __ATOMIC_RELAXED);
			p.write_bytes += __atomic_load_n(&st->write.bytes, __ATOMIC_RELAXED);
			p.errors += __atomic_load_n(&st->read.errors, __ATOMIC_RELAXED) +
				    __atomic_load_n(&st->write.errors, __ATOMIC_RELAXED);
		}
	}
	uint64_t busy_ns = 0;
	for (uint32_t r = 0; r < t->nreactors; r++)
		busy_ns += __atomic_load_n(&t->reactors[r].busy_ns, __ATOMIC_RELAXED);
	p.busy_minutes = busy_ns / 60000000000ull;
	p.power_on_hours = (wr_unix_ms() - t->epoch_started_ms) / 3600000ull;
	return wr_page_smart(page, &p);
}

static size_t log_changed_ns(struct wr_ctrlr *ctrlr, uint8_t *page, bool retain)
{
	memset(page, 0, 4096);
	uint32_t *list = (uint32_t *)page;
	if (ctrlr->nchanged_ns == UINT32_MAX)
		list[0] = UINT32_MAX;
	else
		memcpy(list, ctrlr->changed_ns, ctrlr->nchanged_ns * sizeof(uint32_t));
	if (!retain) {
		ctrlr->nchanged_ns = 0;
		ctrlr->aen_masked &= ~NVME_AEN_CFG_NS_ATTR;
	}
	return 4096;
}

/* ANA log: header, then for each group in use its descriptor and NSIDs (base spec 5.14.1.12). */
static size_t log_ana(struct wr_ctrlr *ctrlr, uint8_t *page, size_t cap, bool groups_only,
		      bool retain)
{
	struct wr_subsys *s = ctrlr->subsys;
	size_t off = 16;
	uint16_t ngrps = 0;
	memset(page, 0, cap);
	for (uint32_t grp = 1; grp <= WR_MAX_ANAGRP; grp++) {
		uint32_t nnsids = 0;
		size_t desc = off;
		off += 32;
		for (uint32_t nsid = 1; nsid <= WR_MAX_NSID; nsid++) {
			struct wr_ns *ns = atomic_load(&s->ns[nsid]);
			if (!ns || ns->anagrpid != grp)
				continue;
			if (!groups_only) {
				memcpy(page + off, &nsid, 4);
				off += 4;
			}
			nnsids++;
		}
		if (nnsids == 0 && grp != 1) {     /* group 1 is always reported, like Linux's target */
			off = desc;
			continue;
		}
		uint8_t state = atomic_load(&s->ana[ctrlr->port_slot][grp]);
		uint32_t grpid = grp, reported = groups_only ? 0 : nnsids;
		uint64_t chg = ctrlr->target->ana_chgcnt;
		memcpy(page + desc, &grpid, 4);
		memcpy(page + desc + 4, &reported, 4);
		memcpy(page + desc + 8, &chg, 8);
		page[desc + 16] = state ? state : NVME_ANA_OPTIMIZED;
		ngrps++;
	}
	uint64_t chg = ctrlr->target->ana_chgcnt;
	memcpy(page, &chg, 8);
	memcpy(page + 8, &ngrps, 2);
	if (!retain)
		ctrlr->aen_masked &= ~NVME_AEN_CFG_ANA_CHANGE;
	return off;
}

static void log_page_exec(struct wr_req *req)
{
	struct wr_ctrlr *ctrlr = req->conn->ctrlr;
	struct wr_target *t = ctrlr->target;
	uint32_t cdw10 = req->sqe.cdw10, cdw11 = req->sqe.cdw11;
	uint8_t lid = cdw10 & 0xff;
	uint8_t lsp = (cdw10 >> 8) & 0x7f;
	bool retain = cdw10 & (1u << 15);
	uint64_t numd = ((uint64_t)(cdw11 & 0xffff) << 16 | cdw10 >> 16) + 1;
	uint64_t offset = (uint64_t)req->sqe.cdw13 << 32 | req->sqe.cdw12;
	uint64_t want = numd * 4;
	if (offset & 3) {
		wr_req_complete(req, NVME_SC_INVALID_FIELD | NVME_SC_DNR);
		return;
	}
	if (want > req->data_len)
		want = req->data_len;

	/* The ANA page is the largest fixed-size one: header + groups + every NSID. */
	size_t cap = 16 + WR_MAX_ANAGRP * 32 + WR_MAX_NSID * 4;
	if (cap < 4096)
		cap = 4096;
	uint8_t *page = NULL;
	size_t len = 0;
	uint16_t status = NVME_SC_SUCCESS;
	pthread_mutex_lock(&t->lock);
	if (lid == NVME_LOG_DISC && ctrlr->discovery) {
		page = wr_discovery_log_alloc(t, ctrlr->hostnqn, req->conn->fd, &len);
		if (!page)
			status = NVME_SC_INTERNAL;
		if (!retain)
			ctrlr->aen_masked &= ~NVME_AEN_CFG_DISC_CHANGE;
	} else {
		page = calloc(1, cap);
		if (!page) {
			status = NVME_SC_INTERNAL;
		} else if (lid == NVME_LOG_SUPPORTED) {
			len = log_supported(page, ctrlr->discovery);
		} else if (ctrlr->discovery) {
			status = NVME_SC_INVALID_LOG_PAGE | NVME_SC_DNR;
		} else if (lid == NVME_LOG_ERROR) {
			len = 64;                   /* one empty entry: no errors recorded */
		} else if (lid == NVME_LOG_SMART) {
			len = log_smart(ctrlr, page);
		} else if (lid == NVME_LOG_FW_SLOT) {
			len = wr_page_fw_slot(page);
		} else if (lid == NVME_LOG_CHANGED_NS) {
			len = log_changed_ns(ctrlr, page, retain);
		} else if (lid == NVME_LOG_CMD_EFFECTS) {
			len = wr_page_cmd_effects(page, false);
		} else if (lid == NVME_LOG_ANA) {
			len = log_ana(ctrlr, page, cap, lsp & 1, retain);
		} else {
			status = NVME_SC_INVALID_LOG_PAGE | NVME_SC_DNR;
		}
	}
	pthread_mutex_unlock(&t->lock);
	if (status) {
		free(page);
		wr_req_complete(req, status);
		return;
	}
	memset(req->buf, 0, want);
	if (offset < len) {
		size_t n = len - offset < want ? len - offset : want;
		memcpy(req->buf, page + offset, n);
	}
	free(page);
	wr_req_complete_data(req, (uint32_t)want);
}

/* ---------------------------------------------------------------------------------------------
 * Features
 * ------------------------------------------------------------------------------------------- */
static uint32_t queues_dw0(const struct wr_ctrlr *ctrlr)
{
	uint32_t n = ctrlr->num_io_queues - 1;
	return n | n << 16;
}

static uint32_t *simple_feature(struct wr_ctrlr *ctrlr, uint8_t fid)
{
	switch (fid) {
	case NVME_FEAT_ARBITRATION: return &ctrlr->feat_arbitration;
	case NVME_FEAT_POWER_MGMT: return &ctrlr->feat_power;
	case NVME_FEAT_TEMP_THRESH: return &ctrlr->feat_temp;
	case NVME_FEAT_ERR_RECOVERY: return &ctrlr->feat_err_recovery;
	case NVME_FEAT_WRITE_ATOMIC: return &ctrlr->feat_write_atomic;
	case NVME_FEAT_ASYNC_EVENT: return &ctrlr->aen_cfg;
	case NVME_FEAT_KATO: return &ctrlr->kato_ms;
	case NVME_FEAT_VOLATILE_WC: return &ctrlr->vwc_enabled;
	default: return NULL;
	}
}

static bool feature_allowed(const struct wr_ctrlr *ctrlr, uint8_t fid)
{
	if (!ctrlr->discovery)
		return true;
	return fid == NVME_FEAT_ASYNC_EVENT || fid == NVME_FEAT_KATO;
}

static void set_features(struct wr_req *req)
{
	struct wr_ctrlr *ctrlr = req->conn->ctrlr;
	uint8_t fid = req->sqe.cdw10 & 0xff;
	uint32_t value = req->sqe.cdw11;
	if (req->sqe.cdw10 & (1u << 31)) {
		wr_req_complete(req, NVME_SC_FEATURE_NOT_SAVEABLE | NVME_SC_DNR);
		return;
	}
	if (!feature_allowed(ctrlr, fid)) {
		wr_req_complete(req, NVME_SC_INVALID_FIELD | NVME_SC_DNR);
		return;
	}
	if (fid == NVME_FEAT_NUM_QUEUES) {
		uint32_t nsqr = value & 0xffff, ncqr = value >> 16;
		if (nsqr == 0xffff || ncqr == 0xffff) {
			wr_req_complete(req, NVME_SC_INVALID_FIELD | NVME_SC_DNR);
			return;
		}
		uint32_t want = (nsqr > ncqr ? nsqr : ncqr) + 1;
		ctrlr->num_io_queues = want < WR_MAX_IO_QUEUES ? want : WR_MAX_IO_QUEUES;
		req->cqe.result = queues_dw0(ctrlr);
		wr_req_complete(req, NVME_SC_SUCCESS);
		return;
	}
	if (fid == NVME_FEAT_HOST_ID) {
		/* Over fabrics the host identifier comes with Connect (NVMe-oF 1.1, 3.3). */
		wr_req_complete(req, NVME_SC_CMD_SEQ_ERROR | NVME_SC_DNR);
		return;
	}
	uint32_t *slot = simple_feature(ctrlr, fid);
	if (!slot) {
		wr_req_complete(req, NVME_SC_INVALID_FIELD | NVME_SC_DNR);
		return;
	}
	if (fid == NVME_FEAT_VOLATILE_WC)
		value &= 1;
	/* I/O reactors read vwc_enabled (and nothing else here) without the admin reactor's help */
	__atomic_store_n(slot, value, __ATOMIC_RELAXED);
	if (fid == NVME_FEAT_ASYNC_EVENT)
		aen_deliver(ctrlr);
	wr_req_complete(req, NVME_SC_SUCCESS);
}

static void get_features(struct wr_req *req)
{
	struct wr_ctrlr *ctrlr = req->conn->ctrlr;
	uint8_t fid = req->sqe.cdw10 & 0xff;
	uint8_t sel = (req->sqe.cdw10 >> 8) & 0x7;
	if (!feature_allowed(ctrlr, fid)) {
		wr_req_complete(req, NVME_SC_INVALID_FIELD | NVME_SC_DNR);
		return;
	}
	if (sel == 3) {                       /* supported capabilities: changeable, not saveable */
		bool known = fid == NVME_FEAT_NUM_QUEUES || fid == NVME_FEAT_HOST_ID ||
			     simple_feature(ctrlr, fid);
		req->cqe.result = known ? 1u << 2 : 0;
		wr_req_complete(req, known ? NVME_SC_SUCCESS : NVME_SC_INVALID_FIELD | NVME_SC_DNR);
		return;
	}
	if (fid == NVME_FEAT_NUM_QUEUES) {
		req->cqe.result = queues_dw0(ctrlr);
		wr_req_complete(req, NVME_SC_SUCCESS);
		return;
	}
	if (fid == NVME_FEAT_HOST_ID) {
		if (!(req->sqe.cdw11 & 1)) {  /* only the 128-bit identifier exists here */
			wr_req_complete(req, NVME_SC_INVALID_FIELD | NVME_SC_DNR);
			return;
		}
		memcpy(req->buf, ctrlr->hostid, sizeof(ctrlr->hostid));
		wr_req_complete_data(req, sizeof(ctrlr->hostid));
		return;
	}
	uint32_t *slot = simple_feature(ctrlr, fid);
	if (!slot) {
		wr_req_complete(req, NVME_SC_INVALID_FIELD | NVME_SC_DNR);
		return;
	}
	req->cqe.result = *slot;
	wr_req_complete(req, NVME_SC_SUCCESS);
}

/* ---------------------------------------------------------------------------------------------
 * Admin dispatch
 * ------------------------------------------------------------------------------------------- */
static void async_event_request(struct wr_req *req)
{
	struct wr_ctrlr *ctrlr = req->conn->ctrlr;
	if (ctrlr->naers >= WR_AERL) {
		wr_req_complete(req, NVME_SC_ASYNC_LIMIT | NVME_SC_DNR);
		return;
	}
	req->state = REQ_AER;
	ctrlr->aers[ctrlr->naers++] = req;
	aen_deliver(ctrlr);
}

static bool discovery_allows(uint8_t opcode)
{
	switch (opcode) {
	case NVME_ADMIN_GET_LOG_PAGE:
	case NVME_ADMIN_IDENTIFY:
	case NVME_ADMIN_SET_FEATURES:
	case NVME_ADMIN_GET_FEATURES:
	case NVME_ADMIN_ASYNC_EVENT:
	case NVME_ADMIN_KEEP_ALIVE:
		return true;
	default:
		return false;
	}
}

void wr_admin_exec(struct wr_req *req)
{
	struct wr_ctrlr *ctrlr = req->conn->ctrlr;
	uint8_t opcode = req->sqe.opcode;
	ctrlr->last_keep_alive_ns = wr_now_ns();
	if (req->sqe.flags & 0x3) {           /* fused operations are not supported */
		wr_req_complete(req, NVME_SC_INVALID_FIELD | NVME_SC_DNR);
		return;
	}
	if (ctrlr->discovery && !discovery_allows(opcode)) {
		wr_req_complete(req, NVME_SC_INVALID_OPCODE | NVME_SC_DNR);
		return;
	}
	switch (opcode) {
	case NVME_ADMIN_IDENTIFY:
		identify_exec(req);
		return;
	case NVME_ADMIN_GET_LOG_PAGE:
		log_page_exec(req);
		return;
	case NVME_ADMIN_SET_FEATURES:
		set_features(req);
		return;
	case NVME_ADMIN_GET_FEATURES:
		get_features(req);
		return;
	case NVME_ADMIN_ASYNC_EVENT:
		async_event_request(req);
		return;
	case NVME_ADMIN_KEEP_ALIVE:
		wr_req_complete(req, NVME_SC_SUCCESS);
		return;
	case NVME_ADMIN_ABORT:
		req->cqe.result = 1;           /* command not aborted: it completes on its own */
		wr_req_complete(req, NVME_SC_SUCCESS);
		return;
	default:
		wr_log(WR_LOG_DEBUG, "controller %u: admin opcode %#x not supported", ctrlr->cntlid, opcode);
		wr_req_complete(req, NVME_SC_INVALID_OPCODE | NVME_SC_DNR);
		return;
	}
}

/* ---------------------------------------------------------------------------------------------
 * Discovery log (NVMe-oF 1.1, 5.3): one entry per listener of every subsystem the host may use.
 * Called with target->lock held.
 * ------------------------------------------------------------------------------------------- */
/* A listener bound to a wildcard address is reported with the address the host reached us on. */
static void entry_traddr(const struct wr_port *port, int fd, char *out, size_t len)
{
	snprintf(out, len, "%s", port->addr);
	if (strcmp(port->addr, "0.0.0.0") != 0 && strcmp(port->addr, "::") != 0)
		return;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	if (fd < 0 || getsockname(fd, (struct sockaddr *)&ss, &sl) < 0 || ss.ss_family != port->family)
		return;
	const void *a = ss.ss_family == AF_INET ? (const void *)&((struct sockaddr_in *)&ss)->sin_addr
						: (const void *)&((struct sockaddr_in6 *)&ss)->sin6_addr;
	char buf[INET6_ADDRSTRLEN];
	if (inet_ntop(ss.ss_family, a, buf, sizeof(buf)))
		snprintf(out, len, "%s", buf);
}

uint8_t *wr_discovery_log_alloc(struct wr_target *t, const char *hostnqn, int local_fd, size_t *len)
{
	uint64_t n = 0;
	for (struct wr_subsys *s = t->subsystems; s; s = s->next) {
		if (s->discovery || s->deleted || !wr_subsys_host_allowed(s, hostnqn, strlen(hostnqn)))
			continue;
		for (struct wr_listener *l = s->listeners; l; l = l->next)
			n++;
	}
	size_t size = sizeof(struct nvmf_disc_log_hdr) + n * sizeof(struct nvmf_disc_log_entry);
	uint8_t *page = calloc(1, size);
	if (!page)
		return NULL;
	struct nvmf_disc_log_hdr *hdr = (struct nvmf_disc_log_hdr *)page;
	hdr->genctr = t->disc_genctr;
	hdr->numrec = n;
	hdr->recfmt = 0;
	struct nvmf_disc_log_entry *e = (struct nvmf_disc_log_entry *)(hdr + 1);
	for (struct wr_subsys *s = t->subsystems; s; s = s->next) {
		if (s->discovery || s->deleted || !wr_subsys_host_allowed(s, hostnqn, strlen(hostnqn)))
			continue;
		for (struct wr_listener *l = s->listeners; l; l = l->next, e++) {
			e->trtype = NVMF_TRTYPE_TCP;
			e->adrfam = l->port->family == AF_INET6 ? NVMF_ADRFAM_IPV6 : NVMF_ADRFAM_IPV4;
			e->subtype = NVMF_SUBTYPE_NVME;
			uint8_t tls = atomic_load(&l->port->tls);
			e->treq = (tls == WR_TLS_REQUIRED ? NVMF_TREQ_REQUIRED : NVMF_TREQ_NOT_REQUIRED) |
				  NVMF_TREQ_DISABLE_SQFLOW;
			e->portid = l->port->slot;
			e->cntlid = NVMF_CNTLID_DYNAMIC;
			e->asqsz = 32;
			snprintf(e->trsvcid, sizeof(e->trsvcid), "%u", l->port->port);
			snprintf(e->subnqn, sizeof(e->subnqn), "%s", s->nqn);
			entry_traddr(l->port, local_fd, e->traddr, sizeof(e->traddr));
			e->tsas.tcp.sectype = tls == WR_TLS_NONE ? NVMF_TCP_SECTYPE_NONE
								 : NVMF_TCP_SECTYPE_TLS13;
		}
	}
	*len = size;
	return page;
}
