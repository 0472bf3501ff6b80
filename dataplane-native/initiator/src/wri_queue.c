/*
 * wri_queue.c - one NVMe/TCP queue pair: request pool, send machine, receive machine.
 *
 * Send: requests with a PDU to send wait in a FIFO; one sendmsg() per poll carries as many of
 * their PDUs as fit in WRI_TX_IOV iovecs (header, data, digest each), so at queue depth 32 one
 * syscall sends many commands. A partial send leaves the rest for the next poll.
 *
 * Receive: recv() fills a 128 KiB buffer that usually holds many PDUs; the receive machine parses
 * them in place. A large payload (C2HData of a big read) is received straight into the caller's
 * buffer with recvmsg() whose second iovec is the receive buffer, so the headers after it come in
 * the same call and the data is copied once, by the kernel.
 *
 * Every header is checked (type, HLEN, PDO, PLEN, command id, offsets, digests) before anything is
 * copied; a violation is a transport error: the queue is failed and every request with it.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include <isa-l/crc.h>

#include "wri_internal.h"

uint64_t wri_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* isa-l's crc32_iscsi is the raw CRC32C update (no pre/post inversion): chainable. */
uint32_t wri_crc32c_update(uint32_t crc, const void *buf, uint32_t len)
{
	return crc32_iscsi((unsigned char *)buf, (int)len, crc);
}

uint32_t wri_crc32c(const void *buf, uint32_t len)
{
	return ~wri_crc32c_update(~0u, buf, len);
}

/* ---------------------------------------------------------------- pool */

int wri_queue_init(struct wri_queue *q, uint16_t qid, uint16_t depth)
{
	memset(q, 0, sizeof(*q));
	q->fd = -1;
	q->qid = qid;
	q->depth = depth;
	q->reqs = calloc(depth, sizeof(*q->reqs));
	q->rx_buf = malloc(WRI_RX_BUF);
	if (!q->reqs || !q->rx_buf) {
		free(q->reqs);
		free(q->rx_buf);
		return -ENOMEM;
	}
	for (int i = depth - 1; i >= 0; i--) {
		struct wri_req *r = &q->reqs[i];
		r->q = q;
		r->cid = (uint16_t)i;
		r->next = q->free_list;
		q->free_list = r;
	}
	q->rx_state = WRI_RX_CH;
	q->rx_need = sizeof(struct nvme_tcp_hdr);
	return 0;
}

void wri_queue_fini(struct wri_queue *q)
{
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
	free(q->reqs);
	free(q->rx_buf);
	q->reqs = NULL;
	q->rx_buf = NULL;
}

static void req_set_state(struct wri_req *r, enum wri_req_state s)
{
	r->state = (uint8_t)s;
}

static void complete(struct wri_queue *q, struct wri_req *r, int status)
{
	wri_cb cb = r->cb;
	void *arg = r->cb_arg;
	req_set_state(r, WRI_REQ_FREE);
	r->next = q->free_list;
	q->free_list = r;
	q->inflight--;
	q->poll_done++;
	/* freed first: the callback may submit again and reuse this request */
	cb(arg, status);
}

void wri_queue_fail(struct wri_queue *q, int err)
{
	if (q->error)
		return;
	q->error = err;
	if (err != -ESHUTDOWN)
		fprintf(stderr, "wrinit: queue %u: transport error: %s; failing %u request(s)\n", q->qid,
		strerror(-err), q->inflight);
	if (q->fd >= 0)
		shutdown(q->fd, SHUT_RDWR);
	q->sq_head = q->sq_tail = NULL;
	for (uint32_t i = 0; i < q->depth; i++)
		if (q->reqs[i].state != WRI_REQ_FREE)
			complete(q, &q->reqs[i], err);
}

void wri_queue_abort(struct wri_queue *q, int err)
{
	wri_queue_fail(q, err < 0 ? err : -ETIMEDOUT);
}

/* ---------------------------------------------------------------- send machine */

static void sq_append(struct wri_queue *q, struct wri_req *r)
{
	r->next = NULL;
	if (q->sq_tail)
		q->sq_tail->next = r;
	else
		q->sq_head = r;
	q->sq_tail = r;
}

static void put_hdgst(struct wri_queue *q, uint8_t *pdu, uint32_t hlen)
{
	if (q->hdgst) {
		uint32_t crc = wri_crc32c(pdu, hlen);
		memcpy(pdu + hlen, &crc, sizeof(crc));
	}
}

static void set_tx(struct wri_req *r, void *hdr, uint32_t hdr_len, void *data, uint32_t data_len,
		   bool ddgst)
{
	r->tx_iov[0] = (struct iovec){hdr, hdr_len};
	r->tx_iovcnt = 1;
	r->tx_len = hdr_len;
	if (data_len) {
		r->tx_iov[r->tx_iovcnt++] = (struct iovec){data, data_len};
		r->tx_len += data_len;
		if (ddgst) {
			uint32_t crc = wri_crc32c(data, data_len);
			memcpy(r->ddgst, &crc, sizeof(crc));
			r->tx_iov[r->tx_iovcnt++] = (struct iovec){r->ddgst, NVME_TCP_DIGEST_LEN};
			r->tx_len += NVME_TCP_DIGEST_LEN;
		}
	}
	r->tx_done = 0;
}

/* The next H2CData PDU of the R2T being answered (at most MAXH2CDATA bytes). */
static void prepare_h2c(struct wri_queue *q, struct wri_req *r)
{
	const uint32_t hd = q->hdgst ? NVME_TCP_DIGEST_LEN : 0, dd = q->ddgst ? NVME_TCP_DIGEST_LEN : 0;
	uint32_t chunk = r->r2t_end - r->r2t_next;
	if (chunk > q->maxh2cdata)
		chunk = q->maxh2cdata;
	struct nvme_tcp_data_pdu *pdu = (struct nvme_tcp_data_pdu *)r->h2c_pdu;
	memset(pdu, 0, sizeof(*pdu));
	pdu->hdr.type = NVME_TCP_H2C_DATA;
	pdu->hdr.flags = (uint8_t)((q->hdgst ? NVME_TCP_F_HDGST : 0) | (q->ddgst ? NVME_TCP_F_DDGST : 0) |
				   (r->r2t_next + chunk == r->r2t_end ? NVME_TCP_F_DATA_LAST : 0));
	pdu->hdr.hlen = sizeof(*pdu);
	pdu->hdr.pdo = (uint8_t)(sizeof(*pdu) + hd);
	pdu->hdr.plen = sizeof(*pdu) + hd + chunk + dd;
	pdu->command_id = r->cid;
	pdu->ttag = r->ttag;
	pdu->data_offset = r->r2t_next;
	pdu->data_length = chunk;
	put_hdgst(q, r->h2c_pdu, sizeof(*pdu));
	set_tx(r, r->h2c_pdu, sizeof(*pdu) + hd, r->buf + r->r2t_next, chunk, q->ddgst);
	r->r2t_next += chunk;
	req_set_state(r, WRI_REQ_SEND_H2C);
	sq_append(q, r);
}

static void pdu_sent(struct wri_queue *q, struct wri_req *r)
{
	q->stats.pdus_sent++;
	if (r->state == WRI_REQ_SEND_H2C && r->r2t_next < r->r2t_end)
		prepare_h2c(q, r);
	else
		req_set_state(r, WRI_REQ_WAIT);
}

/* Gather queued PDUs (skipping what a previous partial send already wrote) into tx_vec. */
static int gather_tx(struct wri_queue *q)
{
	int n = 0;
	for (struct wri_req *r = q->sq_head; r; r = r->next) {
		if (n + r->tx_iovcnt > (int)WRI_TX_IOV)
			break;
		uint32_t skip = r->tx_done;
		for (int i = 0; i < r->tx_iovcnt; i++) {
			struct iovec v = r->tx_iov[i];
			if (skip >= v.iov_len) {
				skip -= (uint32_t)v.iov_len;
				continue;
			}
			q->tx_vec[n].iov_base = (uint8_t *)v.iov_base + skip;
			q->tx_vec[n].iov_len = v.iov_len - skip;
			skip = 0;
			n++;
		}
	}
	return n;
}

/* Account for sent bytes: whole PDUs leave the queue, a partial one keeps its progress. */
static void advance_tx(struct wri_queue *q, size_t sent)
{
	while (sent && q->sq_head) {
		struct wri_req *r = q->sq_head;
		uint32_t left = r->tx_len - r->tx_done;
		if (sent < left) {
			r->tx_done += (uint32_t)sent;
			return;
		}
		sent -= left;
		q->sq_head = r->next;
		if (!q->sq_head)
			q->sq_tail = NULL;
		pdu_sent(q, r); /* may append r again (next H2CData PDU) */
	}
}

static int flush_tx(struct wri_queue *q)
{
	while (q->sq_head) {
		int n = gather_tx(q);
		struct msghdr msg = {.msg_iov = q->tx_vec, .msg_iovlen = (size_t)n};
		ssize_t sent = sendmsg(q->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (sent < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return 0;
			return -errno;
		}
		q->stats.send_calls++;
		size_t want = 0;
		for (int i = 0; i < n; i++)
			want += q->tx_vec[i].iov_len;
		advance_tx(q, (size_t)sent);
		if ((size_t)sent < want)
			return 0; /* socket buffer full: the rest next poll */
	}
	return 0;
}

/* ---------------------------------------------------------------- submission */

static bool data_fits_capsule(const struct wri_queue *q, uint32_t len)
{
	return len <= q->incapsule_max;
}

int wri_queue_submit(struct wri_queue *q, const struct nvme_sqe *sqe, void *buf, uint32_t len,
		     bool c2h, wri_cb cb, void *cb_arg, struct nvme_cqe *cqe_out)
{
	if (q->error)
		return -ENOTCONN;
	struct wri_req *r = q->free_list;
	if (!r)
		return -EAGAIN;
	q->free_list = r->next;
	q->inflight++;
	r->c2h = c2h;
	r->buf = buf;
	r->len = len;
	r->c2h_received = 0;
	r->cb = cb;
	r->cb_arg = cb_arg;
	r->cqe_out = cqe_out;
	r->incapsule = (!c2h && len && data_fits_capsule(q, len)) ? len : 0;

	const uint32_t hd = q->hdgst ? NVME_TCP_DIGEST_LEN : 0;
	struct nvme_tcp_cmd_pdu *pdu = (struct nvme_tcp_cmd_pdu *)r->cmd_pdu;
	pdu->sqe = *sqe;
	pdu->sqe.command_id = r->cid;
	pdu->sqe.flags = (uint8_t)((sqe->flags & 0x3u) | 0x40u); /* PSDT 01b: SGLs */
	pdu->sqe.dptr = (struct nvme_sgl_desc){.length = len};
	pdu->sqe.dptr.type = r->incapsule ? NVME_SGL_INCAPSULE : NVME_SGL_TRANSPORT;
	pdu->hdr.type = NVME_TCP_CMD;
	pdu->hdr.hlen = sizeof(*pdu);
	pdu->hdr.flags = (uint8_t)((q->hdgst ? NVME_TCP_F_HDGST : 0) |
				   (r->incapsule && q->ddgst ? NVME_TCP_F_DDGST : 0));
	pdu->hdr.pdo = r->incapsule ? (uint8_t)(sizeof(*pdu) + hd) : 0;
	pdu->hdr.plen = sizeof(*pdu) + hd +
			(r->incapsule ? r->incapsule + (q->ddgst ? NVME_TCP_DIGEST_LEN : 0) : 0);
	put_hdgst(q, r->cmd_pdu, sizeof(*pdu));
	set_tx(r, r->cmd_pdu, sizeof(*pdu) + hd, buf, r->incapsule, q->ddgst);
	req_set_state(r, WRI_REQ_SEND_CMD);
	sq_append(q, r);
	return 0;
}

/* ---------------------------------------------------------------- receive machine */

static int expect_header(struct wri_queue *q)
{
	q->rx_state = WRI_RX_CH;
	q->rx_need = sizeof(struct nvme_tcp_hdr);
	q->rx_have = 0;
	return 0;
}

static struct wri_req *lookup(struct wri_queue *q, uint16_t cid, enum wri_req_state want)
{
	if (cid >= q->depth || q->reqs[cid].state != want)
		return NULL;
	return &q->reqs[cid];
}

static int on_capsule_resp(struct wri_queue *q)
{
	const struct nvme_tcp_rsp_pdu *pdu = (const struct nvme_tcp_rsp_pdu *)q->rx_hdr;
	struct wri_req *r = lookup(q, pdu->cqe.command_id, WRI_REQ_WAIT);
	if (!r)
		return -EPROTO; /* unknown command id, or a response before all our data was sent */
	int status = (pdu->cqe.status >> 1) & 0x7ff;
	/* a successful I/O read must have delivered every byte it asked for */
	if (status == 0 && r->c2h && q->qid && r->c2h_received != r->len)
		return -EPROTO;
	if (r->cqe_out)
		*r->cqe_out = pdu->cqe;
	complete(q, r, status);
	return expect_header(q);
}

static int on_r2t(struct wri_queue *q)
{
	const struct nvme_tcp_r2t_pdu *pdu = (const struct nvme_tcp_r2t_pdu *)q->rx_hdr;
	struct wri_req *r = lookup(q, pdu->command_id, WRI_REQ_WAIT);
	/* only for a host-to-controller transfer, inside it, non-empty: else a protocol error */
	if (!r || r->c2h || pdu->r2t_length == 0 || pdu->r2t_offset > r->len ||
	    pdu->r2t_length > r->len - pdu->r2t_offset)
		return -EPROTO;
	q->stats.r2ts++;
	r->ttag = pdu->ttag;
	r->r2t_next = pdu->r2t_offset;
	r->r2t_end = pdu->r2t_offset + pdu->r2t_length;
	prepare_h2c(q, r);
	return expect_header(q);
}

static int on_c2h_data_header(struct wri_queue *q, uint32_t hdr_total)
{
	const struct nvme_tcp_data_pdu *pdu = (const struct nvme_tcp_data_pdu *)q->rx_hdr;
	struct wri_req *r = lookup(q, pdu->command_id, WRI_REQ_WAIT);
	const uint32_t dd = (pdu->hdr.flags & NVME_TCP_F_DDGST) ? NVME_TCP_DIGEST_LEN : 0;
	if (!r || !r->c2h)
		return -EPROTO;
	/* PDO inside the PDU and after the header; PLEN exactly header + pad + data + digest;
	 * data inside the command's buffer. Checked before a single byte lands in the buffer. */
	if (pdu->hdr.pdo < hdr_total || pdu->data_length == 0 ||
	    (uint64_t)pdu->hdr.pdo + pdu->data_length + dd != pdu->hdr.plen ||
	    pdu->data_offset > r->len || pdu->data_length > r->len - pdu->data_offset)
		return -EPROTO;
	if ((pdu->hdr.flags & NVME_TCP_F_DATA_SUCCESS) && !(pdu->hdr.flags & NVME_TCP_F_DATA_LAST))
		return -EPROTO;
	q->rx_req = r;
	q->rx_pad = pdu->hdr.pdo - hdr_total;
	q->rx_dest = r->buf + pdu->data_offset;
	q->rx_data_left = q->rx_datal = pdu->data_length;
	q->rx_crc = ~0u;
	q->rx_state = q->rx_pad ? WRI_RX_PAD : WRI_RX_DATA;
	return 0;
}

static int on_c2h_term(struct wri_queue *q)
{
	const struct nvme_tcp_term_pdu *pdu = (const struct nvme_tcp_term_pdu *)q->rx_hdr;
	fprintf(stderr, "wrinit: queue %u: controller terminated the connection (FES %#x, FEI %#x)\n",
		q->qid, pdu->fes, (uint32_t)pdu->feil | (uint32_t)pdu->feiu << 16);
	return -ECONNRESET;
}

/* The data of a C2HData PDU (and its digest) arrived. */
static int c2h_data_done(struct wri_queue *q)
{
	const struct nvme_tcp_data_pdu *pdu = (const struct nvme_tcp_data_pdu *)q->rx_hdr;
	struct wri_req *r = q->rx_req;
	if (pdu->hdr.flags & NVME_TCP_F_DDGST) {
		uint32_t got;
		memcpy(&got, q->rx_ddgst, sizeof(got));
		if (got != ~q->rx_crc) {
			fprintf(stderr, "wrinit: queue %u: data digest mismatch on C2HData cid %u\n",
				q->qid, r->cid);
			return -EBADMSG;
		}
	}
	r->c2h_received += q->rx_datal;
	q->rx_req = NULL;
	if (pdu->hdr.flags & NVME_TCP_F_DATA_SUCCESS) {
		if (r->c2h_received != r->len)
			return -EPROTO;
		q->stats.c2h_success++;
		if (r->cqe_out)
			memset(r->cqe_out, 0, sizeof(*r->cqe_out));
		complete(q, r, 0);
	}
	return expect_header(q);
}

static bool header_digest_ok(struct wri_queue *q, uint32_t hlen)
{
	uint32_t got;
	memcpy(&got, q->rx_hdr + hlen, sizeof(got));
	return got == wri_crc32c(q->rx_hdr, hlen);
}

/* The common header is in: check it and decide how much header follows. */
static int on_common_header(struct wri_queue *q)
{
	const struct nvme_tcp_hdr *h = (const struct nvme_tcp_hdr *)q->rx_hdr;
	uint32_t hlen;
	switch (h->type) {
	case NVME_TCP_RSP:
		hlen = sizeof(struct nvme_tcp_rsp_pdu);
		break;
	case NVME_TCP_C2H_DATA:
	case NVME_TCP_R2T:
		hlen = sizeof(struct nvme_tcp_data_pdu);
		break;
	case NVME_TCP_C2H_TERM:
		hlen = sizeof(struct nvme_tcp_term_pdu);
		if (h->hlen != hlen || h->plen < hlen || h->plen > hlen + NVME_TCP_TERM_MAX_DATA)
			return -EPROTO;
		q->rx_need = hlen; /* TermReq carries no digest */
		q->rx_state = WRI_RX_PSH;
		return 0;
	default:
		return -EPROTO;
	}
	bool has_hd = h->flags & NVME_TCP_F_HDGST;
	if (h->hlen != hlen || has_hd != q->hdgst)
		return -EPROTO;
	if (h->type == NVME_TCP_C2H_DATA && ((h->flags & NVME_TCP_F_DDGST) != 0) != q->ddgst)
		return -EPROTO;
	if (h->type != NVME_TCP_C2H_DATA && h->plen != hlen + (has_hd ? NVME_TCP_DIGEST_LEN : 0))
		return -EPROTO;
	q->rx_need = hlen + (has_hd ? NVME_TCP_DIGEST_LEN : 0);
	q->rx_state = WRI_RX_PSH;
	return 0;
}

static int on_full_header(struct wri_queue *q)
{
	const struct nvme_tcp_hdr *h = (const struct nvme_tcp_hdr *)q->rx_hdr;
	q->stats.pdus_received++;
	if (h->type == NVME_TCP_C2H_TERM) {
		q->rx_dest = NULL; /* the offending header it quotes: read and drop, then fail */
		return on_c2h_term(q);
	}
	if (q->hdgst && !header_digest_ok(q, h->hlen)) {
		fprintf(stderr, "wrinit: queue %u: header digest mismatch (PDU type %#x)\n", q->qid,
			h->type);
		return -EBADMSG;
	}
	switch (h->type) {
	case NVME_TCP_RSP:
		return on_capsule_resp(q);
	case NVME_TCP_R2T:
		return on_r2t(q);
	case NVME_TCP_C2H_DATA:
		return on_c2h_data_header(q, q->rx_need);
	}
	return -EPROTO;
}

static void data_arrived(struct wri_queue *q, const uint8_t *src, uint32_t n, bool already_in_dest)
{
	if (!already_in_dest)
		memcpy(q->rx_dest, src, n);
	if (q->ddgst)
		q->rx_crc = wri_crc32c_update(q->rx_crc, q->rx_dest, n);
	q->rx_dest += n;
	q->rx_data_left -= n;
}

static int data_finished(struct wri_queue *q)
{
	if (q->ddgst) {
		q->rx_state = WRI_RX_DDGST;
		q->rx_have = 0;
		return 0;
	}
	return c2h_data_done(q);
}

/* Consume bytes from the receive buffer; stops at the poll budget (at a PDU boundary). */
static int rx_parse(struct wri_queue *q)
{
	while (q->rx_pos < q->rx_len) {
		const uint8_t *p = q->rx_buf + q->rx_pos;
		uint32_t avail = q->rx_len - q->rx_pos, n;
		int rc = 0;
		switch (q->rx_state) {
		case WRI_RX_CH:
			if (q->poll_done >= q->poll_budget)
				return 0;
			/* fall through */
		case WRI_RX_PSH:
			n = q->rx_need - q->rx_have;
			n = n < avail ? n : avail;
			memcpy(q->rx_hdr + q->rx_have, p, n);
			q->rx_have += n;
			q->rx_pos += n;
			if (q->rx_have < q->rx_need)
				break;
			rc = q->rx_state == WRI_RX_CH ? on_common_header(q) : on_full_header(q);
			break;
		case WRI_RX_PAD:
			n = q->rx_pad < avail ? q->rx_pad : avail;
			q->rx_pad -= n;
			q->rx_pos += n;
			if (q->rx_pad == 0)
				q->rx_state = WRI_RX_DATA;
			break;
		case WRI_RX_DATA:
			n = q->rx_data_left < avail ? q->rx_data_left : avail;
			data_arrived(q, p, n, false);
			q->rx_pos += n;
			if (q->rx_data_left == 0)
				rc = data_finished(q);
			break;
		case WRI_RX_DDGST:
			n = NVME_TCP_DIGEST_LEN - q->rx_have;
			n = n < avail ? n : avail;
			memcpy(q->rx_ddgst + q->rx_have, p, n);
			q->rx_have += n;
			q->rx_pos += n;
			if (q->rx_have == NVME_TCP_DIGEST_LEN)
				rc = c2h_data_done(q);
			break;
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* One receive call: straight into the read buffer when a large payload is next. */
static ssize_t rx_fill(struct wri_queue *q)
{
	q->rx_pos = q->rx_len = 0;
	if (q->rx_state == WRI_RX_DATA && q->rx_data_left >= WRI_DIRECT_RX_MIN) {
		struct iovec iov[2] = {{q->rx_dest, q->rx_data_left}, {q->rx_buf, WRI_RX_BUF}};
		struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 2};
		ssize_t n = recvmsg(q->fd, &msg, MSG_DONTWAIT);
		if (n <= 0)
			return n;
		uint32_t direct = (uint32_t)n < q->rx_data_left ? (uint32_t)n : q->rx_data_left;
		data_arrived(q, NULL, direct, true);
		q->rx_len = (uint32_t)n - direct;
		return n;
	}
	ssize_t n = recv(q->fd, q->rx_buf, WRI_RX_BUF, MSG_DONTWAIT);
	if (n > 0)
		q->rx_len = (uint32_t)n;
	return n;
}

static int poll_rx(struct wri_queue *q)
{
	int rc = rx_parse(q); /* leftovers from a poll that hit its budget */
	for (int calls = 0; rc == 0 && q->rx_pos == q->rx_len && calls < 4 &&
			    q->poll_done < q->poll_budget; calls++) {
		ssize_t n = rx_fill(q);
		if (n == 0)
			return -ECONNRESET;
		if (n < 0)
			return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -errno;
		q->stats.recv_calls++;
		if (q->rx_state == WRI_RX_DATA && q->rx_data_left == 0 && q->rx_dest)
			rc = data_finished(q);
		if (rc == 0)
			rc = rx_parse(q);
		if ((size_t)n < WRI_RX_BUF / 2)
			break; /* the socket is drained; another recv would only say EAGAIN */
	}
	return rc;
}

int wri_queue_poll(struct wri_queue *q, uint32_t budget)
{
	if (q->error)
		return q->error;
	q->poll_done = 0;
	q->poll_budget = budget ? budget : 1;
	int rc = flush_tx(q);
	if (rc == 0)
		rc = poll_rx(q);
	if (rc == 0)
		rc = flush_tx(q); /* what the callbacks submitted, and H2CData for new R2Ts */
	if (rc) {
		wri_queue_fail(q, rc);
		return rc;
	}
	return (int)q->poll_done;
}

uint32_t wri_queue_inflight(const struct wri_queue *q)
{
	return q->inflight;
}

int wri_queue_fd(const struct wri_queue *q)
{
	return q->fd;
}

bool wri_queue_send_pending(const struct wri_queue *q)
{
	return q->sq_head != NULL;
}

void wri_queue_get_stats(const struct wri_queue *q, struct wri_queue_stats *stats)
{
	*stats = q->stats;
}

/* ---------------------------------------------------------------- synchronous helpers */

struct sync_wait {
	bool done;
	int status;
};

static void sync_done(void *arg, int status)
{
	struct sync_wait *w = arg;
	w->done = true;
	w->status = status;
}

int wri_queue_exec(struct wri_queue *q, const struct nvme_sqe *sqe, void *buf, uint32_t len,
		   bool c2h, struct nvme_cqe *cqe_out, uint32_t timeout_ms)
{
	struct sync_wait w = {0};
	int rc = wri_queue_submit(q, sqe, buf, len, c2h, sync_done, &w, cqe_out);
	if (rc)
		return rc;
	const uint64_t deadline = wri_now_ns() + (uint64_t)timeout_ms * 1000000ull;
	while (!w.done) {
		rc = wri_queue_poll(q, 16);
		if (rc < 0 && !w.done)
			return rc;
		if (w.done)
			break;
		if (wri_now_ns() > deadline) {
			wri_queue_fail(q, -ETIMEDOUT);
			return -ETIMEDOUT;
		}
		struct pollfd p = {.fd = q->fd, .events = POLLIN | (q->sq_head ? POLLOUT : 0)};
		poll(&p, 1, 10); /* admin commands: no need to spin */
	}
	return w.status;
}

/* ---------------------------------------------------------------- connection */

static int wait_fd(int fd, short events, uint64_t deadline)
{
	for (;;) {
		uint64_t now = wri_now_ns();
		if (now >= deadline)
			return -ETIMEDOUT;
		struct pollfd p = {.fd = fd, .events = events};
		int rc = poll(&p, 1, (int)((deadline - now) / 1000000ull) + 1);
		if (rc > 0)
			return 0;
		if (rc < 0 && errno != EINTR)
			return -errno;
	}
}

static int tcp_connect(const char *addr, uint16_t port, uint64_t deadline)
{
	char service[8];
	snprintf(service, sizeof(service), "%u", port);
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res;
	int rc = getaddrinfo(addr, service, &hints, &res);
	if (rc)
		return rc == EAI_SYSTEM ? -errno : -EHOSTUNREACH;
	int fd = -ECONNREFUSED;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			fd = -errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		int err = errno == EINPROGRESS ? wait_fd(fd, POLLOUT, deadline) : -errno;
		socklen_t len = sizeof(int);
		int soerr = 0;
		if (err == 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 && soerr == 0)
			break;
		close(fd);
		fd = err ? err : -soerr;
	}
	freeaddrinfo(res);
	if (fd >= 0) {
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	return fd;
}

static int send_all(int fd, const void *buf, size_t len, uint64_t deadline)
{
	const uint8_t *p = buf;
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
		} else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			int rc = wait_fd(fd, POLLOUT, deadline);
			if (rc)
				return rc;
		} else {
			return n < 0 ? -errno : -EIO;
		}
	}
	return 0;
}

static int recv_all(int fd, void *buf, size_t len, uint64_t deadline)
{
	uint8_t *p = buf;
	while (len) {
		ssize_t n = recv(fd, p, len, MSG_DONTWAIT);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
		} else if (n == 0) {
			return -ECONNRESET;
		} else if (errno == EAGAIN || errno == EINTR) {
			int rc = wait_fd(fd, POLLIN, deadline);
			if (rc)
				return rc;
		} else {
			return -errno;
		}
	}
	return 0;
}

static int check_icresp(struct wri_queue *q, const struct nvme_tcp_icresp *resp, bool hdgst, bool ddgst)
{
	if (resp->hdr.type == NVME_TCP_C2H_TERM)
		return -ECONNREFUSED;
	if (resp->hdr.type != NVME_TCP_ICRESP || resp->hdr.hlen != sizeof(*resp) ||
	    resp->hdr.plen != sizeof(*resp) || resp->pfv != NVME_TCP_PFV_1_0 || resp->cpda != 0 ||
	    resp->maxdata < 4096 || resp->maxdata % 4) {
		fprintf(stderr, "wrinit: queue %u: bad ICResp (type %#x hlen %u plen %u pfv %u cpda %u "
			"maxh2cdata %u)\n", q->qid, resp->hdr.type, resp->hdr.hlen, resp->hdr.plen,
			resp->pfv, resp->cpda, resp->maxdata);
		return -EPROTO;
	}
	bool got_h = resp->digest & NVME_TCP_HDGST_ENABLE, got_d = resp->digest & NVME_TCP_DDGST_ENABLE;
	if (got_h != hdgst || got_d != ddgst) {
		fprintf(stderr, "wrinit: queue %u: controller answered digests hdgst=%d ddgst=%d, "
			"asked hdgst=%d ddgst=%d\n", q->qid, got_h, got_d, hdgst, ddgst);
		return -EPROTO;
	}
	return 0;
}

int wri_queue_connect_socket(struct wri_queue *q, const char *addr, uint16_t port, bool hdgst,
			     bool ddgst, uint32_t timeout_ms)
{
	const uint64_t deadline = wri_now_ns() + (uint64_t)timeout_ms * 1000000ull;
	int fd = tcp_connect(addr, port, deadline);
	if (fd < 0)
		return fd;
	struct nvme_tcp_icreq req = {
		.hdr = {.type = NVME_TCP_ICREQ, .hlen = sizeof(req), .plen = sizeof(req)},
		.pfv = NVME_TCP_PFV_1_0,
		.hpda = 0,
		.digest = (uint8_t)((hdgst ? NVME_TCP_HDGST_ENABLE : 0) | (ddgst ? NVME_TCP_DDGST_ENABLE : 0)),
		.maxr2t = 0,
	};
	struct nvme_tcp_icresp resp;
	int rc = send_all(fd, &req, sizeof(req), deadline);
	if (rc == 0)
		rc = recv_all(fd, &resp, sizeof(resp), deadline);
	if (rc == 0)
		rc = check_icresp(q, &resp, hdgst, ddgst);
	if (rc) {
		close(fd);
		return rc;
	}
	q->fd = fd;
	q->hdgst = hdgst;
	q->ddgst = ddgst;
	q->maxh2cdata = resp.maxdata;
	return 0;
}
