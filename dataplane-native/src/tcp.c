/*
 * tcp.c - one NVMe/TCP queue pair: the receive and send state machines and the request pool.
 *
 * Receive: bytes from the socket (or a test, or the fuzzer) go through wr_conn_rx_feed(), which
 * accepts any split of the stream, down to one byte at a time. Every header field is validated
 * before anything is allocated or copied; a transport error sends a C2HTermReq and closes, a bad
 * command gets an NVMe status and the queue lives on.
 *
 * Send: requests with something to send (R2T, C2HData, CapsuleResp) queue in order; a flush
 * gathers as many as fit in one sendmsg() and remembers how far a partial write got.
 *
 * Nothing here allocates after wr_conn_create(): requests, their data buffers and the PDU
 * headers they send are preallocated per queue pair.
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

#define TX_MAX_IOV 256     /* a C2HData is 2 iovecs: one sendmsg() carries QD128's batch */
#define TX_MAX_SENDS_PER_FLUSH 16
#define TERM_GRACE_NS (1000ull * 1000 * 1000)

static const uint8_t zero_pad[128];

static uint32_t get_le32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void conn_log(const struct wr_conn *c, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void conn_log(const struct wr_conn *c, int level, const char *fmt, ...)
{
	if (level > wr_log_threshold)
		return;
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	wr_log_kind(fmt, level, "qpair %s cntlid %d qid %u: %s", c->peer,
	       c->ctrlr ? (int)c->ctrlr->cntlid : -1, c->qid, msg);
}

/* ---------------------------------------------------------------------------------------------
 * State changes: one function per machine, so every transition is checked, counted and traced.
 * ------------------------------------------------------------------------------------------- */
static const char *rx_state_name(enum wr_rx_state s)
{
	static const char *const names[] = {
		[RX_HDR] = "hdr", [RX_PAD] = "pad", [RX_DATA] = "data", [RX_DDGST] = "ddgst",
		[RX_QUIESCED] = "quiesced",
	};
	return names[s];
}

static void rx_set_state(struct wr_conn *c, enum wr_rx_state next)
{
	/* Once quiesced, the stream is out of sync for good: nothing may revive it. */
	assert(c->rx_state != RX_QUIESCED || next == RX_QUIESCED);
	if (wr_log_threshold >= WR_LOG_DEBUG && c->rx_state != next)
		conn_log(c, WR_LOG_DEBUG, "rx %s -> %s", rx_state_name(c->rx_state), rx_state_name(next));
	c->rx_state = next;
	c->rx_state_changes++;
	if (next == RX_HDR) {
		c->rx_hdr_got = 0;
		c->rx_hdr_need = sizeof(struct nvme_tcp_hdr);
		c->rx_req = NULL;
	}
}

static void tx_set_state(struct wr_conn *c, enum wr_tx_state next)
{
	/* TX_DONE is final: after a TermReq nothing else may go out. */
	assert(c->tx_state != TX_DONE || next == TX_DONE);
	c->tx_state = next;
	c->tx_state_changes++;
}

/* ---------------------------------------------------------------------------------------------
 * Requests
 * ------------------------------------------------------------------------------------------- */
static struct wr_req *req_get(struct wr_conn *c)
{
	struct wr_req *req = c->free_reqs;
	if (!req)
		return NULL;
	c->free_reqs = req->next;
	req->next = NULL;
	c->outstanding++;
	return req;
}

static void req_put(struct wr_req *req)
{
	struct wr_conn *c = req->conn;
	assert(req->state != REQ_FREE);
	if (req->ns)            /* zero-copy reads keep their namespace until the data left */
		wr_io_release_ns(req);
	req->state = REQ_FREE;
	req->next = c->free_reqs;
	c->free_reqs = req;
	c->outstanding--;
}

struct wr_conn *wr_conn_create(struct wr_target *t, int fd, uint16_t port_slot, const char *peer)
{
	struct wr_conn *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->kind = WR_POLL_CONN;
	c->target = t;
	c->fd = fd;
	c->port_slot = port_slot;
	snprintf(c->peer, sizeof(c->peer), "%s", peer ? peer : "?");
	c->connected_at_ms = wr_unix_ms();
	c->accepted_ns = wr_now_ns();
	c->nreqs = WR_MAX_QUEUE_ENTRIES;
	c->reqs = calloc(c->nreqs, sizeof(*c->reqs));
	/* One buffer per request, mapped lazily: only pages a command touches become resident. */
	c->bufs_len = (size_t)c->nreqs * WR_MAX_IO_SIZE + WR_MAX_IO_SIZE;
	c->bufs = mmap(NULL, c->bufs_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (!c->reqs || c->bufs == MAP_FAILED) {
		if (c->bufs != MAP_FAILED && c->bufs)
			munmap(c->bufs, c->bufs_len);
		free(c->reqs);
		free(c);
		return NULL;
	}
	c->cmp_buf = c->bufs + (size_t)c->nreqs * WR_MAX_IO_SIZE;
	for (uint32_t i = c->nreqs; i-- > 0;) {
		struct wr_req *req = &c->reqs[i];
		req->conn = c;
		req->tag = (uint16_t)i;
		req->buf = c->bufs + (size_t)i * WR_MAX_IO_SIZE;
		req->state = REQ_FREE;
		req->next = c->free_reqs;
		c->free_reqs = req;
	}
	/* Before Connect only the Connect command itself may be outstanding. */
	c->sqsize = 1;
	c->c2h_align = 4;
	c->rx_state = RX_HDR;
	rx_set_state(c, RX_HDR);
	c->tx_state = TX_IDLE;
	return c;
}

void wr_conn_destroy(struct wr_conn *c)
{
	if (!c)
		return;
	for (uint32_t i = 0; i < c->nreqs; i++)
		if (c->reqs[i].ns)
			wr_io_release_ns(&c->reqs[i]);
	wr_conn_release_ctrlr(c);
	wr_auth_free(c->auth);
	wr_tls_conn_free(c->tls);
	if (c->fd >= 0)
		close(c->fd);
	if (c->admitted)
		wr_admission_release(c->target, c->port_slot, &c->src);
	munmap(c->bufs, c->bufs_len);
	free(c->reqs);
	free(c);
}

int wr_conn_setup_queue(struct wr_conn *c, uint16_t qid, uint16_t entries)
{
	if (entries < 1 || entries > c->nreqs)
		return -EINVAL;
	c->qid = qid;
	c->sqsize = entries;
	return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Send machine
 * ------------------------------------------------------------------------------------------- */
static uint32_t hdgst_len(const struct wr_conn *c)
{
	return c->hdgst ? NVME_TCP_DIGEST_LEN : 0;
}

static void finish_header(const struct wr_conn *c, uint8_t *hdr, uint32_t hlen)
{
	if (c->hdgst)
		put_le32(hdr + hlen, wr_digest(hdr, hlen));
}

static void build_rsp(struct wr_conn *c, struct wr_req *req)
{
	struct nvme_tcp_rsp_pdu *rsp = (struct nvme_tcp_rsp_pdu *)req->rsp_hdr;
	memset(rsp, 0, sizeof(*rsp));
	rsp->hdr.type = NVME_TCP_RSP;
	rsp->hdr.flags = c->hdgst ? NVME_TCP_F_HDGST : 0;
	rsp->hdr.hlen = sizeof(*rsp);
	rsp->hdr.plen = sizeof(*rsp) + hdgst_len(c);
	rsp->cqe = req->cqe;
	finish_header(c, req->rsp_hdr, sizeof(*rsp));
}

static uint32_t c2h_pdo(const struct wr_conn *c)
{
	uint32_t start = sizeof(struct nvme_tcp_data_pdu) + hdgst_len(c);
	return (start + c->c2h_align - 1) / c->c2h_align * c->c2h_align;
}

/* The SUCCESS flag spares the CapsuleResp, but the response carries SQHD: the spec allows it
 * only when the host disabled SQ flow control at Connect (what Linux's target does too). */
static bool c2h_success_allowed(const struct wr_conn *c)
{
	return c->sqflow_disabled;
}

static void build_c2h(struct wr_conn *c, struct wr_req *req, bool success)
{
	struct nvme_tcp_data_pdu *d = (struct nvme_tcp_data_pdu *)req->pdu_hdr;
	uint32_t pdo = c2h_pdo(c);
	memset(d, 0, sizeof(*d));
	d->hdr.type = NVME_TCP_C2H_DATA;
	d->hdr.flags = NVME_TCP_F_DATA_LAST | (success ? NVME_TCP_F_DATA_SUCCESS : 0) |
		       (c->hdgst ? NVME_TCP_F_HDGST : 0) | (c->ddgst ? NVME_TCP_F_DDGST : 0);
	d->hdr.hlen = sizeof(*d);
	d->hdr.pdo = (uint8_t)pdo;
	d->hdr.plen = pdo + req->c2h_len + (c->ddgst ? NVME_TCP_DIGEST_LEN : 0);
	d->command_id = req->sqe.command_id;
	d->data_offset = 0;
	d->data_length = req->c2h_len;
	finish_header(c, req->pdu_hdr, sizeof(*d));
	if (c->ddgst)
		put_le32(req->ddgst, wr_digest(req->c2h_buf, req->c2h_len));
}

static void build_r2t(struct wr_conn *c, struct wr_req *req)
{
	struct nvme_tcp_r2t_pdu *r = (struct nvme_tcp_r2t_pdu *)req->pdu_hdr;
	memset(r, 0, sizeof(*r));
	r->hdr.type = NVME_TCP_R2T;
	r->hdr.flags = c->hdgst ? NVME_TCP_F_HDGST : 0;
	r->hdr.hlen = sizeof(*r);
	r->hdr.plen = sizeof(*r) + hdgst_len(c);
	r->command_id = req->sqe.command_id;
	r->ttag = req->tag;
	r->r2t_offset = req->data_done;
	r->r2t_length = req->data_len - req->data_done;
	finish_header(c, req->pdu_hdr, sizeof(*r));
}

/* The iovecs of one queued item, in wire order. */
static int req_tx_iov(struct wr_conn *c, struct wr_req *req, struct iovec *iov)
{
	int n = 0;
	uint32_t hlen = 24 + hdgst_len(c);
	switch (req->tx_kind) {
	case TX_R2T:
		iov[n++] = (struct iovec){ req->pdu_hdr, hlen };
		break;
	case TX_DATA_RESP: {
		uint32_t pad = c2h_pdo(c) - hlen;
		const struct nvme_tcp_data_pdu *d = (const void *)req->pdu_hdr;
		iov[n++] = (struct iovec){ req->pdu_hdr, hlen };
		if (pad)
			iov[n++] = (struct iovec){ (void *)zero_pad, pad };
		iov[n++] = (struct iovec){ (void *)req->c2h_buf, req->c2h_len };
		if (c->ddgst)
			iov[n++] = (struct iovec){ req->ddgst, NVME_TCP_DIGEST_LEN };
		if (!(d->hdr.flags & NVME_TCP_F_DATA_SUCCESS))
			iov[n++] = (struct iovec){ req->rsp_hdr, hlen };
		break;
	}
	case TX_RESP:
		iov[n++] = (struct iovec){ req->rsp_hdr, hlen };
		break;
	}
	return n;
}

static uint32_t iov_total(const struct iovec *iov, int n)
{
	uint32_t total = 0;
	for (int i = 0; i < n; i++)
		total += (uint32_t)iov[i].iov_len;
	return total;
}

static void tx_enqueue(struct wr_conn *c, struct wr_req *req, enum wr_tx_kind kind)
{
	struct iovec iov[6];
	assert(!req->in_tx);
	req->tx_kind = (uint8_t)kind;
	req->tx_len = iov_total(iov, req_tx_iov(c, req, iov));
	req->in_tx = true;
	req->next = NULL;
	if (c->tx_tail)
		c->tx_tail->next = req;
	else
		c->tx_head = req;
	c->tx_tail = req;
	if (c->tx_state == TX_IDLE)
		tx_set_state(c, TX_READY);
	if (c->reactor)
		wr_reactor_mark_dirty(c->reactor, c);
}

/* An item left the socket: R2Ts keep their request (data comes next), responses free it. */
static void tx_item_sent(struct wr_conn *c, struct wr_req *req)
{
	req->in_tx = false;
	if (req->tx_kind == TX_R2T)
		return;
	req_put(req);
}

static void tx_pop_head(struct wr_conn *c)
{
	struct wr_req *req = c->tx_head;
	c->tx_head = req->next;
	if (!c->tx_head)
		c->tx_tail = NULL;
	req->next = NULL;
	c->tx_off = 0;
	tx_item_sent(c, req);
}

/* Skip the first `skip` bytes of an iovec array in place; returns the new start. */
static int iov_skip(struct iovec *iov, int n, uint32_t skip)
{
	int i = 0;
	while (i < n && skip >= iov[i].iov_len) {
		skip -= (uint32_t)iov[i].iov_len;
		i++;
	}
	if (i < n && skip) {
		iov[i].iov_base = (uint8_t *)iov[i].iov_base + skip;
		iov[i].iov_len -= skip;
	}
	return i;
}

static int gather_req(struct wr_conn *c, struct wr_req *req, uint32_t skip, struct iovec *out)
{
	struct iovec tmp[6];
	int k = req_tx_iov(c, req, tmp);
	int n = 0;
	for (int i = iov_skip(tmp, k, skip); i < k; i++)
		if (tmp[i].iov_len)
			out[n++] = tmp[i];
	return n;
}

/* Gathers what may be sent now. After a fatal error only the rest of a half-sent item (the
 * stream must stay parseable for the host to read the TermReq) and then the TermReq go out. */
static int tx_gather(struct wr_conn *c, struct iovec *out, int max)
{
	int n = 0;
	if (c->ctl_is_term) {
		if (c->tx_head && c->tx_off > 0)
			return gather_req(c, c->tx_head, c->tx_off, out);
		if (c->ctl_off < c->ctl_len)
			out[n++] = (struct iovec){ c->ctl_pdu + c->ctl_off, c->ctl_len - c->ctl_off };
		return n;
	}
	if (c->ctl_off < c->ctl_len)
		out[n++] = (struct iovec){ c->ctl_pdu + c->ctl_off, c->ctl_len - c->ctl_off };
	uint32_t skip = c->tx_off;
	for (struct wr_req *req = c->tx_head; req && n + 6 <= max; req = req->next) {
		n += gather_req(c, req, skip, out + n);
		skip = 0;
	}
	return n;
}

static void tx_advance(struct wr_conn *c, size_t sent)
{
	if (c->ctl_is_term) {
		if (c->tx_head && c->tx_off > 0) {
			uint32_t left = c->tx_head->tx_len - c->tx_off;
			if (sent >= left)
				tx_pop_head(c);
			else
				c->tx_off += (uint32_t)sent;
			return;
		}
		c->ctl_off += (uint32_t)sent;
		return;
	}
	if (c->ctl_off < c->ctl_len) {
		uint32_t left = c->ctl_len - c->ctl_off;
		uint32_t take = sent < left ? (uint32_t)sent : left;
		c->ctl_off += take;
		sent -= take;
	}
	while (sent && c->tx_head) {
		uint32_t left = c->tx_head->tx_len - c->tx_off;
		if (sent < left) {
			c->tx_off += (uint32_t)sent;
			return;
		}
		sent -= left;
		tx_pop_head(c);
	}
}

static void set_epollout(struct wr_conn *c, bool on)
{
	if (c->epollout == on || !c->reactor || c->reactor->epfd < 0 || c->dead)
		return;
	struct epoll_event ev = { .events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c };
	if (epoll_ctl(c->reactor->epfd, EPOLL_CTL_MOD, c->fd, &ev) == 0)
		c->epollout = on;
}

/* EPOLLOUT: the socket has room again. */
void wr_conn_on_writable(struct wr_conn *c)
{
	if (c->dead)
		return;
	if (c->tx_state == TX_BLOCKED)
		tx_set_state(c, TX_READY);
	if (c->reactor)
		wr_reactor_mark_dirty(c->reactor, c);
}

static bool tx_empty(const struct wr_conn *c)
{
	return c->ctl_off >= c->ctl_len && !c->tx_head;
}

/* Returns bytes sent (0: nothing to do or blocked). */
int wr_conn_tx_flush(struct wr_conn *c)
{
	if (c->dead || c->tx_state == TX_DONE)
		return 0;
	int total = 0;
	/* TLS (tls.c): the handshake, or bytes a record write left, go before anything new. */
	if (__builtin_expect(c->secure, 0) && c->tls && wr_tls_flush(c) < 0) {
		if (!c->dead) {
			tx_set_state(c, TX_BLOCKED);
			set_epollout(c, true);
		}
		return 0;
	}
	for (int round = 0; round < TX_MAX_SENDS_PER_FLUSH; round++) {
		struct iovec iov[TX_MAX_IOV];
		int n = tx_gather(c, iov, TX_MAX_IOV);
		if (n == 0)
			break;
		ssize_t sent;
		if (__builtin_expect(c->secure, 0)) {
			sent = wr_tls_send(c, iov, n);
		} else {
			struct msghdr msg = { .msg_iov = iov, .msg_iovlen = (size_t)n };
			sent = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
		}
		if (sent < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				tx_set_state(c, TX_BLOCKED);
				set_epollout(c, true);
				return total;
			}
			wr_conn_close(c, errno == EPIPE || errno == ECONNRESET ? "peer closed" : "send failed");
			return total;
		}
		total += (int)sent;
		tx_advance(c, (size_t)sent);
	}
	if (__builtin_expect(c->secure, 0) && wr_tls_tx_pending(c)) {
		/* a record write is half done: the rest goes when the socket has room */
		if (!c->dead) {
			tx_set_state(c, TX_BLOCKED);
			set_epollout(c, true);
		}
		return total;
	}
	if (c->ctl_is_term && c->ctl_off >= c->ctl_len) {
		tx_set_state(c, TX_DONE);
		wr_conn_close(c, "terminated after a transport error");
		return total;
	}
	if (tx_empty(c)) {
		tx_set_state(c, TX_IDLE);
		set_epollout(c, false);
		if (c->close_after_tx)
			wr_conn_close(c, "disconnected by the host");
	} else {
		tx_set_state(c, TX_READY);
	}
	return total;
}

/* ---------------------------------------------------------------------------------------------
 * Completion
 * ------------------------------------------------------------------------------------------- */
void wr_req_complete(struct wr_req *req, uint16_t status)
{
	struct wr_conn *c = req->conn;
	if (req->ns && !req->hold_ns)
		wr_io_release_ns(req);
	if (c->dead) {           /* nobody to answer: the socket is gone */
		req_put(req);
		return;
	}
	req->cqe.command_id = req->sqe.command_id;
	req->cqe.sq_id = c->qid;
	req->cqe.sq_head = c->sqhd;
	req->cqe.status = (uint16_t)(status << 1);
	req->state = REQ_TX;
	bool with_data = status == NVME_SC_SUCCESS && req->c2h_len > 0;
	if (with_data) {
		bool success = c2h_success_allowed(c);
		build_c2h(c, req, success);
		if (!success)
			build_rsp(c, req);
		tx_enqueue(c, req, TX_DATA_RESP);
	} else {
		build_rsp(c, req);
		tx_enqueue(c, req, TX_RESP);
	}
}

void wr_req_complete_data(struct wr_req *req, uint32_t c2h_len)
{
	req->c2h_len = c2h_len < req->data_len ? c2h_len : req->data_len;
	wr_req_complete(req, NVME_SC_SUCCESS);
}

/* ---------------------------------------------------------------------------------------------
 * Errors and closing
 * ------------------------------------------------------------------------------------------- */
void wr_conn_fatal(struct wr_conn *c, uint16_t fes, uint32_t fei, const char *why)
{
	if (c->rx_state == RX_QUIESCED || c->dead)
		return;
	conn_log(c, WR_LOG_WARN, "transport error: %s (FES %#x, FEI %u) at stream offset %llu; "
		 "sending C2HTermReq and closing", why, fes, fei, (unsigned long long)c->rx_bytes);
	rx_set_state(c, RX_QUIESCED);
	if (c->ctl_off > 0 && c->ctl_off < c->ctl_len) {
		/* Half of the ICResp is on the wire: a TermReq now would be garbage to the host. */
		wr_conn_close(c, "transport error while the ICResp was being sent");
		return;
	}
	struct nvme_tcp_term_pdu *term = (struct nvme_tcp_term_pdu *)c->ctl_pdu;
	uint32_t copy = c->rx_hdr_got < NVME_TCP_TERM_MAX_DATA ? c->rx_hdr_got : NVME_TCP_TERM_MAX_DATA;
	uint8_t offending[NVME_TCP_TERM_MAX_DATA];
	memcpy(offending, c->rx_hdr, copy);
	memset(c->ctl_pdu, 0, sizeof(c->ctl_pdu));
	term->hdr.type = NVME_TCP_C2H_TERM;
	term->hdr.hlen = sizeof(*term);
	term->hdr.plen = sizeof(*term) + copy;
	term->fes = fes;
	term->feil = (uint16_t)(fei & 0xffff);
	term->feiu = (uint16_t)(fei >> 16);
	memcpy(c->ctl_pdu + sizeof(*term), offending, copy);
	c->ctl_len = sizeof(*term) + copy;
	c->ctl_off = 0;
	c->ctl_is_term = true;
	c->closing = true;
	c->close_deadline_ns = wr_now_ns() + TERM_GRACE_NS;
	if (c->tx_state == TX_IDLE)
		tx_set_state(c, TX_READY);
	if (c->reactor)
		wr_reactor_mark_dirty(c->reactor, c);
}

void wr_conn_close(struct wr_conn *c, const char *why)
{
	if (c->dead)
		return;
	conn_log(c, WR_LOG_INFO, "closing: %s", why);
	if (c->rx_state != RX_QUIESCED)
		rx_set_state(c, RX_QUIESCED);
	if (c->tx_state != TX_DONE)
		tx_set_state(c, TX_DONE);
	c->dead = true;
	if (c->reactor && c->reactor->epfd >= 0)
		epoll_ctl(c->reactor->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	shutdown(c->fd, SHUT_RDWR);
	/* Queued items will never be sent: free their requests now. */
	while (c->tx_head) {
		struct wr_req *req = c->tx_head;
		c->tx_head = req->next;
		req->in_tx = false;
		if (req->state != REQ_EXEC)
			req_put(req);
	}
	c->tx_tail = NULL;
	c->tx_off = 0;
	/* The controller learns at once that its admin queue is gone (AERs point into us). */
	wr_conn_release_ctrlr(c);
}

bool wr_conn_reapable(const struct wr_conn *c)
{
	return c->dead && c->bdev_inflight == 0;
}

void wr_conn_release_ctrlr(struct wr_conn *c)
{
	struct wr_ctrlr *ctrlr = c->ctrlr;
	if (!ctrlr)
		return;
	c->ctrlr = NULL;
	/* qid 0 is the admin queue (decided without reading ctrlr->admin, which only the admin
	 * queue's reactor touches). */
	if (c->qid == 0) {
		/* Held AERs live in this connection's pool: drop them before it goes. */
		ctrlr->naers = 0;
		ctrlr->admin = NULL;
		wr_ctrlr_fail(ctrlr, "admin queue closed");
	} else if (c->qid > 0) {
		atomic_fetch_and(&ctrlr->io_qmask, ~(1ull << (c->qid - 1)));
	}
	atomic_fetch_sub(&ctrlr->nqueues, 1);
	wr_ctrlr_put(ctrlr);
}

/* ---------------------------------------------------------------------------------------------
 * Receive machine
 * ------------------------------------------------------------------------------------------- */
static void req_exec(struct wr_req *req)
{
	struct wr_conn *c = req->conn;
	req->state = REQ_EXEC;
	if (req->sqe.opcode == NVME_FABRICS_OPCODE) {
		wr_fabrics_exec(req);
		return;
	}
	if (!c->ctrlr) {
		conn_log(c, WR_LOG_WARN, "opcode %#x before Connect: command sequence error",
			 req->sqe.opcode);
		wr_req_complete(req, NVME_SC_CMD_SEQ_ERROR | NVME_SC_DNR);
		return;
	}
	if (c->auth_pending) {                /* DH-HMAC-CHAP first (ctrlr.c, auth.c) */
		wr_req_complete(req, NVME_SC_AUTH_REQUIRED | NVME_SC_DNR);
		return;
	}
	if (c->qid == 0)
		wr_admin_exec(req);
	else
		wr_io_exec(req);
}

static void send_r2t(struct wr_conn *c, struct wr_req *req)
{
	req->state = REQ_R2T;
	build_r2t(c, req);
	tx_enqueue(c, req, TX_R2T);
}

static uint8_t cmd_direction(const struct nvme_sqe *sqe)
{
	if (sqe->opcode == NVME_FABRICS_OPCODE)
		return ((const struct nvmf_common_cmd *)sqe)->fctype & 0x3;
	return sqe->opcode & 0x3;
}

/* Expected header length per PDU type the host may send; 0 = not accepted from a host. */
static uint8_t host_pdu_hlen(uint8_t type)
{
	switch (type) {
	case NVME_TCP_ICREQ: return sizeof(struct nvme_tcp_icreq);
	case NVME_TCP_H2C_TERM: return sizeof(struct nvme_tcp_term_pdu);
	case NVME_TCP_CMD: return sizeof(struct nvme_tcp_cmd_pdu);
	case NVME_TCP_H2C_DATA: return sizeof(struct nvme_tcp_data_pdu);
	default: return 0;
	}
}

static uint32_t max_pdu_data(uint8_t type)
{
	switch (type) {
	case NVME_TCP_CMD: return WR_ICD_SIZE;
	case NVME_TCP_H2C_DATA: return WR_MAXH2CDATA;
	case NVME_TCP_H2C_TERM: return NVME_TCP_TERM_MAX_DATA;
	default: return 0;
	}
}

/* Validates the common header before anything else is read; sets how long the header is and
 * how much data follows. Returns false after a fatal error. */
static bool rx_check_common_header(struct wr_conn *c)
{
	const struct nvme_tcp_hdr *h = (const struct nvme_tcp_hdr *)c->rx_hdr;
	uint8_t want_hlen = host_pdu_hlen(h->type);
	if (!want_hlen) {
		wr_conn_fatal(c, NVME_TCP_FES_INVALID_PDU_HDR, 0, "PDU type not accepted from a host");
		return false;
	}
	if (h->type == NVME_TCP_H2C_TERM) {
		/* The host is going away: take the header, ignore the rest, never answer a TermReq
		 * with a TermReq (whatever its flags or length). */
		c->rx_type = h->type;
		c->rx_hdr_need = want_hlen;
		c->rx_pad_left = 0;
		c->rx_pdu_data = 0;
		c->rx_pdu_ddgst = false;
		return true;
	}
	if (h->type == NVME_TCP_ICREQ ? c->icreq_done : !c->icreq_done) {
		wr_conn_fatal(c, NVME_TCP_FES_PDU_SEQ_ERR, 0,
			      c->icreq_done ? "second ICReq" : "PDU before ICReq");
		return false;
	}
	if (h->hlen != want_hlen) {
		wr_conn_fatal(c, NVME_TCP_FES_INVALID_PDU_HDR, 2, "wrong HLEN for the PDU type");
		return false;
	}
	/* ICReq never carries digests; commands and data carry what ICReq negotiated. */
	bool digests_apply = h->type == NVME_TCP_CMD || h->type == NVME_TCP_H2C_DATA;
	uint32_t hd = digests_apply && c->hdgst ? NVME_TCP_DIGEST_LEN : 0;
	bool hd_flag = h->flags & NVME_TCP_F_HDGST;
	bool dd_flag = h->flags & NVME_TCP_F_DDGST;
	if (hd_flag != (hd != 0) || (dd_flag && !(digests_apply && c->ddgst))) {
		wr_conn_fatal(c, NVME_TCP_FES_INVALID_PDU_HDR, 1, "digest flags disagree with ICReq");
		return false;
	}
	uint32_t header_end = want_hlen + hd;
	if (h->plen < header_end) {
		wr_conn_fatal(c, NVME_TCP_FES_INVALID_PDU_HDR, 4, "PLEN shorter than the header");
		return false;
	}
	if (h->type == NVME_TCP_ICREQ && h->plen != header_end) {
		wr_conn_fatal(c, NVME_TCP_FES_INVALID_PDU_HDR, 4, "ICReq PLEN is not 128");
		return false;
	}
	uint32_t data = 0, pad = 0, dd = 0;
	if (h->plen > header_end) {
		/* TermReq data directly follows the header; others are placed by PDO. */
		uint32_t pdo = h->type == NVME_TCP_H2C_TERM ? header_end : h->pdo;
		dd = dd_flag ? NVME_TCP_DIGEST_LEN : 0;
		if (digests_apply && c->ddgst && !dd_flag) {
			wr_conn_fatal(c, NVME_TCP_FES_INVALID_PDU_HDR, 1, "data without its data digest");
			return false;
		}
		if (pdo < header_end || (uint64_t)pdo + dd >= h->plen) {
			wr_conn_fatal(c, NVME_TCP_FES_INVALID_PDU_HDR, 3, "PDO outside the PDU");
			return false;
		}
		pad = pdo - header_end;
		data = h->plen - pdo - dd;
		if (data > max_pdu_data(h->type)) {
			wr_conn_fatal(c, NVME_TCP_FES_R2T_LIMIT_EXCEEDED, 4, "PDU data larger than allowed");
			return false;
		}
	} else if (dd_flag) {
		wr_conn_fatal(c, NVME_TCP_FES_INVALID_PDU_HDR, 1, "data digest flag without data");
		return false;
	}
	c->rx_type = h->type;
	c->rx_hdr_need = header_end;
	c->rx_pad_left = pad;
	c->rx_pdu_data = data;
	c->rx_pdu_ddgst = dd != 0;
	return true;
}

static void handle_icreq(struct wr_conn *c)
{
	const struct nvme_tcp_icreq *icreq = (const struct nvme_tcp_icreq *)c->rx_hdr;
	if (icreq->pfv != NVME_TCP_PFV_1_0) {
		wr_conn_fatal(c, NVME_TCP_FES_INVALID_PDU_HDR, 8, "unsupported PFV");
		return;
	}
	if (icreq->hpda > 31) {
		wr_conn_fatal(c, NVME_TCP_FES_INVALID_PDU_HDR, 10, "HPDA out of range");
		return;
	}
	c->icreq_done = true;
	c->icreq_ns = wr_now_ns();
	c->hdgst = icreq->digest & NVME_TCP_HDGST_ENABLE;
	c->ddgst = icreq->digest & NVME_TCP_DDGST_ENABLE;
	c->c2h_align = ((uint32_t)icreq->hpda + 1) * 4;

	struct nvme_tcp_icresp *resp = (struct nvme_tcp_icresp *)c->ctl_pdu;
	memset(resp, 0, sizeof(*resp));
	resp->hdr.type = NVME_TCP_ICRESP;
	resp->hdr.hlen = sizeof(*resp);
	resp->hdr.plen = sizeof(*resp);
	resp->pfv = NVME_TCP_PFV_1_0;
	resp->cpda = 0;                 /* Linux refuses anything else */
	resp->digest = icreq->digest & (NVME_TCP_HDGST_ENABLE | NVME_TCP_DDGST_ENABLE);
	resp->maxdata = WR_MAXH2CDATA;
	c->ctl_len = sizeof(*resp);
	c->ctl_off = 0;
	c->ctl_is_term = false;
	conn_log(c, WR_LOG_DEBUG, "ICReq: hdgst %d ddgst %d hpda %u maxr2t %u", c->hdgst, c->ddgst,
		 icreq->hpda, icreq->maxr2t);
	if (c->tx_state == TX_IDLE)
		tx_set_state(c, TX_READY);
	if (c->reactor)
		wr_reactor_mark_dirty(c->reactor, c);
}

/* Decides where a command's data comes from. Returns 0 to continue, or an NVMe status. */
static uint16_t map_command_data(struct wr_conn *c, struct wr_req *req)
{
	const struct nvme_sgl_desc *sgl = &req->sqe.dptr;
	uint32_t in_capsule = c->rx_pdu_data;
	if (in_capsule) {
		/* The data is on the wire whatever the SGL says: it is read, then judged. */
		req->data_len = in_capsule;
		if (sgl->type != NVME_SGL_INCAPSULE)
			return NVME_SC_SGL_INVALID_TYPE | NVME_SC_DNR;
		if (sgl->addr != 0)
			return NVME_SC_SGL_INVALID_OFFSET | NVME_SC_DNR;
		if (sgl->length != in_capsule)
			return NVME_SC_SGL_INVALID_DATA | NVME_SC_DNR;
		return 0;
	}
	if (sgl->length == 0)
		return 0;
	if (sgl->type == NVME_SGL_INCAPSULE)
		return NVME_SC_SGL_INVALID_DATA | NVME_SC_DNR; /* claims data the capsule lacks */
	if (sgl->type != NVME_SGL_TRANSPORT)
		return NVME_SC_SGL_INVALID_TYPE | NVME_SC_DNR;
	if (sgl->length > WR_MAX_IO_SIZE)
		return NVME_SC_SGL_INVALID_DATA | NVME_SC_DNR;
	req->data_len = sgl->length;
	return 0;
}

static void handle_cmd(struct wr_conn *c)
{
	const struct nvme_tcp_cmd_pdu *pdu = (const struct nvme_tcp_cmd_pdu *)c->rx_hdr;
	if (c->outstanding >= c->sqsize) {
		wr_conn_fatal(c, NVME_TCP_FES_PDU_SEQ_ERR, 0, "more commands outstanding than SQSIZE");
		return;
	}
	struct wr_req *req = req_get(c);
	if (!req) {
		wr_conn_fatal(c, NVME_TCP_FES_PDU_SEQ_ERR, 0, "request pool exhausted");
		return;
	}
	req->sqe = pdu->sqe;
	memset(&req->cqe, 0, sizeof(req->cqe));
	req->state = REQ_EXEC;
	req->in_tx = false;
	req->ns = NULL;
	req->data_len = 0;
	req->data_done = 0;
	req->c2h_len = 0;
	req->step = req->nsteps = 0;
	req->fail_after_data = false;
	req->c2h_buf = req->buf;
	req->hold_ns = false;
	req->start_ns = c->reactor ? c->reactor->now_ns : wr_now_ns();
	if (c->sqsize > 1 || c->ctrlr)
		c->sqhd = (uint16_t)((c->sqhd + 1) % c->sqsize);

	uint16_t status = map_command_data(c, req);
	if (c->rx_pdu_data) {
		req->fail_after_data = status != 0;
		req->pending_status = status;
		req->state = REQ_RX_DATA;
		c->rx_req = req;
		c->rx_data_dst = req->buf;
		return;
	}
	if (status) {
		wr_req_complete(req, status);
		return;
	}
	if (cmd_direction(&req->sqe) == NVME_OPC_DIR_H2C && req->data_len > 0) {
		send_r2t(c, req);
		return;
	}
	req_exec(req);
}

static void handle_h2c_data(struct wr_conn *c)
{
	const struct nvme_tcp_data_pdu *d = (const struct nvme_tcp_data_pdu *)c->rx_hdr;
	if (d->ttag >= c->nreqs) {
		wr_conn_fatal(c, NVME_TCP_FES_INVALID_PDU_HDR, 10, "H2CData for an unknown transfer tag");
		return;
	}
	struct wr_req *req = &c->reqs[d->ttag];
	if (req->state != REQ_R2T || req->in_tx || req->sqe.command_id != d->command_id) {
		wr_conn_fatal(c, NVME_TCP_FES_INVALID_PDU_HDR, 10,
			      "H2CData for a tag with no R2T outstanding");
		return;
	}
	if (d->data_length == 0 || d->data_length != c->rx_pdu_data) {
		wr_conn_fatal(c, NVME_TCP_FES_INVALID_PDU_HDR, 16, "DATAL disagrees with PLEN");
		return;
	}
	/* Data must arrive in order and inside the R2T window. */
	if (d->data_offset != req->data_done ||
	    (uint64_t)d->data_offset + d->data_length > req->data_len) {
		wr_conn_fatal(c, NVME_TCP_FES_DATA_OUT_OF_RANGE, 12, "H2CData outside the R2T window");
		return;
	}
	c->rx_req = req;
	c->rx_data_dst = req->buf + d->data_offset;
}

static void handle_h2c_term(struct wr_conn *c)
{
	const struct nvme_tcp_term_pdu *t = (const struct nvme_tcp_term_pdu *)c->rx_hdr;
	conn_log(c, WR_LOG_WARN, "host terminated the connection (H2CTermReq FES %#x)", t->fes);
	rx_set_state(c, RX_QUIESCED);
	c->close_after_tx = true;
	c->closing = true;
	c->close_deadline_ns = wr_now_ns() + TERM_GRACE_NS;
	if (c->reactor)
		wr_reactor_mark_dirty(c->reactor, c);
}

/* The whole header (and its digest) is in rx_hdr. */
static void rx_header_complete(struct wr_conn *c)
{
	const struct nvme_tcp_hdr *h = (const struct nvme_tcp_hdr *)c->rx_hdr;
	if (h->type == NVME_TCP_H2C_TERM) {
		handle_h2c_term(c);
		return;
	}
	if (c->rx_hdr_need > h->hlen) {
		uint32_t want = get_le32(c->rx_hdr + h->hlen);
		if (want != wr_digest(c->rx_hdr, h->hlen)) {
			wr_conn_fatal(c, NVME_TCP_FES_HDR_DIGEST_ERR, 0, "header digest mismatch");
			return;
		}
	}
	switch (h->type) {
	case NVME_TCP_ICREQ: handle_icreq(c); break;
	case NVME_TCP_CMD: handle_cmd(c); break;
	case NVME_TCP_H2C_DATA: handle_h2c_data(c); break;
	}
	if (c->rx_state == RX_QUIESCED)
		return;
	if (c->rx_pdu_data == 0) {
		rx_set_state(c, RX_HDR);
		return;
	}
	c->rx_data_left = c->rx_pdu_data;
	c->rx_crc = ~0u;
	c->rx_ddgst_got = 0;
	rx_set_state(c, c->rx_pad_left ? RX_PAD : RX_DATA);
}

static void rx_data_complete(struct wr_conn *c)
{
	struct wr_req *req = c->rx_req;
	uint8_t type = c->rx_type;
	rx_set_state(c, RX_HDR);
	if (type == NVME_TCP_CMD) {
		if (req->fail_after_data) {
			wr_req_complete(req, req->pending_status);
			return;
		}
		req_exec(req);
		return;
	}
	/* H2CData */
	const struct nvme_tcp_data_pdu *d = (const struct nvme_tcp_data_pdu *)c->rx_hdr;
	req->data_done += d->data_length;
	if (req->data_done == req->data_len)
		req_exec(req);
}

static size_t rx_take(struct wr_conn *c, const uint8_t *p, size_t len)
{
	switch (c->rx_state) {
	case RX_HDR: {
		size_t take = c->rx_hdr_need - c->rx_hdr_got;
		if (take > len)
			take = len;
		memcpy(c->rx_hdr + c->rx_hdr_got, p, take);
		c->rx_hdr_got += (uint32_t)take;
		if (c->rx_hdr_got < c->rx_hdr_need)
			return take;
		if (c->rx_hdr_need == sizeof(struct nvme_tcp_hdr)) {
			if (!rx_check_common_header(c))
				return take;
			if (c->rx_hdr_got < c->rx_hdr_need)
				return take;
		}
		rx_header_complete(c);
		return take;
	}
	case RX_PAD: {
		size_t take = c->rx_pad_left < len ? c->rx_pad_left : len;
		c->rx_pad_left -= (uint32_t)take;
		if (!c->rx_pad_left)
			rx_set_state(c, RX_DATA);
		return take;
	}
	case RX_DATA: {
		size_t take = c->rx_data_left < len ? c->rx_data_left : len;
		if (p != c->rx_data_dst)   /* else recvmsg() already placed it (wr_conn_on_readable) */
			memcpy(c->rx_data_dst, p, take);
		if (c->rx_pdu_ddgst)
			c->rx_crc = wr_crc32c(c->rx_crc, p, take);
		c->rx_data_dst += take;
		c->rx_data_left -= (uint32_t)take;
		if (c->rx_data_left)
			return take;
		if (c->rx_pdu_ddgst)
			rx_set_state(c, RX_DDGST);
		else if (c->rx_type == NVME_TCP_H2C_TERM)
			rx_set_state(c, RX_HDR);
		else
			rx_data_complete(c);
		return take;
	}
	case RX_DDGST: {
		size_t take = NVME_TCP_DIGEST_LEN - c->rx_ddgst_got;
		if (take > len)
			take = len;
		memcpy(c->rx_ddgst + c->rx_ddgst_got, p, take);
		c->rx_ddgst_got += (uint32_t)take;
		if (c->rx_ddgst_got < NVME_TCP_DIGEST_LEN)
			return take;
		if (get_le32(c->rx_ddgst) != ~c->rx_crc) {
			wr_conn_fatal(c, NVME_TCP_FES_DATA_DIGEST_ERR, 0, "data digest mismatch");
			return take;
		}
		rx_data_complete(c);
		return take;
	}
	case RX_QUIESCED:
		return len;
	}
	return len;
}

int wr_conn_rx_feed(struct wr_conn *c, const uint8_t *buf, size_t len)
{
	size_t off = 0;
	while (off < len && !c->dead) {
		size_t took = rx_take(c, buf + off, len - off);
		off += took;
		c->rx_bytes += took;
	}
	return c->rx_state == RX_QUIESCED ? -EPROTO : 0;
}

/* Reads up to budget times. While PDU data is expected, the payload is received straight into
 * the request's buffer and whatever follows (the next headers) into the staging buffer, in one
 * recvmsg(): no second copy of write data. */
int wr_conn_on_readable(struct wr_conn *c, uint8_t *staging, size_t staging_len, uint32_t budget)
{
	if (__builtin_expect(c->secure, 0))     /* TLS: the records go through tls.c */
		return wr_tls_on_readable(c, staging, staging_len, budget);
	int work = 0;
	for (uint32_t i = 0; i < budget && !c->dead; i++) {
		struct iovec iov[2];
		int niov = 0;
		size_t direct = 0;
		if (c->rx_state == RX_DATA && c->rx_data_left >= 1024) {
			direct = c->rx_data_left;
			iov[niov++] = (struct iovec){ c->rx_data_dst, direct };
		}
		iov[niov++] = (struct iovec){ staging, staging_len };
		struct msghdr msg = { .msg_iov = iov, .msg_iovlen = (size_t)niov };
		ssize_t n = recvmsg(c->fd, &msg, MSG_DONTWAIT);
		if (n == 0) {
			wr_conn_close(c, "peer closed the connection");
			break;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				wr_conn_close(c, "receive failed");
			break;
		}
		work += (int)n;
		size_t placed = (size_t)n < direct ? (size_t)n : direct;
		if (placed)
			wr_conn_rx_feed(c, c->rx_data_dst, placed);
		if ((size_t)n > placed && !c->dead)
			wr_conn_rx_feed(c, staging, (size_t)n - placed);
		if ((size_t)n < direct + staging_len)
			break;
	}
	return work;
}
