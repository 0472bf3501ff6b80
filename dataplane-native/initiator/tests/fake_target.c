/* fake_target.c - see fake_target.h. Blocking sockets, one thread per connection. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fake_target.h"
#include "nvme_proto.h"
#include "wrinit.h"

#define MAX_CONNS 80

struct fake_target {
	struct fake_target_cfg cfg;
	int lfd;
	pthread_t acceptor;
	pthread_mutex_t lock;
	uint8_t *ram;
	atomic_uint h2c_pdus, r2ts, keepalives;
	int conn_fds[MAX_CONNS];
	pthread_t conn_threads[MAX_CONNS];
	int nconns;
	uint32_t cc;
	atomic_bool stopping;
};

struct pending;
struct conn {
	struct pending *pend; /* by command id */
	struct fake_target *t;
	int fd;
	bool hdgst, ddgst, sqflow_off;
	uint16_t qid;
	bool bad_sent;
};

static int rd(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len) {
		ssize_t n = recv(fd, p, len, 0);
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int wr(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int send_pdu(struct conn *c, void *hdr, uint32_t hlen, const void *data, uint32_t dlen, bool corrupt)
{
	uint8_t buf[128 + 4];
	memcpy(buf, hdr, hlen);
	uint32_t hd = 0;
	if (c->hdgst) {
		uint32_t crc = wri_crc32c(buf, hlen);
		memcpy(buf + hlen, &crc, 4);
		hd = 4;
	}
	if (wr(c->fd, buf, hlen + hd))
		return -1;
	if (dlen) {
		if (wr(c->fd, data, dlen))
			return -1;
		if (c->ddgst) {
			uint32_t crc = wri_crc32c(data, dlen) ^ (corrupt ? 1u : 0u);
			if (wr(c->fd, &crc, 4))
				return -1;
		}
	}
	return 0;
}

static int send_rsp(struct conn *c, uint16_t cid, uint16_t status, uint64_t result)
{
	struct nvme_tcp_rsp_pdu rsp = {.hdr = {.type = NVME_TCP_RSP, .hlen = 24}};
	rsp.hdr.flags = c->hdgst ? NVME_TCP_F_HDGST : 0;
	rsp.hdr.plen = 24 + (c->hdgst ? 4 : 0);
	rsp.cqe.command_id = cid;
	rsp.cqe.status = (uint16_t)(status << 1);
	rsp.cqe.result = result;
	return send_pdu(c, &rsp, 24, NULL, 0, false);
}

/* Reads the rest of a PDU whose 8-byte header is in hdr; data goes to data (up to cap). */
static int read_pdu_rest_after(struct conn *c, uint8_t *hdr, uint8_t *data, uint32_t cap, uint32_t *dlen);

static int read_pdu_rest(struct conn *c, uint8_t *hdr, uint8_t *data, uint32_t cap, uint32_t *dlen)
{
	struct nvme_tcp_hdr *h = (struct nvme_tcp_hdr *)hdr;
	if (h->hlen < 8 || h->hlen > 128 || rd(c->fd, hdr + 8, h->hlen - 8u))
		return -1;
	return read_pdu_rest_after(c, hdr, data, cap, dlen);
}

/* Everything after a complete header: digest, pad, data, data digest. */
static int read_pdu_rest_after(struct conn *c, uint8_t *hdr, uint8_t *data, uint32_t cap, uint32_t *dlen)
{
	struct nvme_tcp_hdr *h = (struct nvme_tcp_hdr *)hdr;
	if (h->flags & NVME_TCP_F_HDGST) {
		uint32_t crc;
		if (rd(c->fd, &crc, 4) || crc != wri_crc32c(hdr, h->hlen))
			return -1;
	}
	uint32_t hd = (h->flags & NVME_TCP_F_HDGST) ? 4 : 0, dd = (h->flags & NVME_TCP_F_DDGST) ? 4 : 0;
	*dlen = 0;
	if (h->plen > h->hlen + hd) {
		uint32_t pad = h->pdo - h->hlen - hd;
		uint8_t skip[256];
		if (pad > sizeof(skip) || rd(c->fd, skip, pad))
			return -1;
		*dlen = h->plen - h->pdo - dd;
		if (*dlen > cap || rd(c->fd, data, *dlen))
			return -1;
		if (dd) {
			uint32_t crc;
			if (rd(c->fd, &crc, 4) || crc != wri_crc32c(data, *dlen))
				return -1;
		}
	}
	return 0;
}

/* Commands whose data comes by R2T wait here (the host keeps sending other PDUs meanwhile). */
struct pending {
	bool active;
	struct nvme_sqe sqe;
	uint8_t *buf;
	uint32_t len, got;
};

static int send_r2t(struct conn *c, const struct nvme_sqe *sqe, uint32_t len)
{
	struct nvme_tcp_r2t_pdu r2t = {.hdr = {.type = NVME_TCP_R2T, .hlen = 24}};
	r2t.hdr.flags = c->hdgst ? NVME_TCP_F_HDGST : 0;
	r2t.hdr.plen = 24 + (c->hdgst ? 4 : 0);
	r2t.command_id = sqe->command_id;
	r2t.ttag = sqe->command_id; /* transfer tag = command id, simplest */
	r2t.r2t_offset = 0;
	r2t.r2t_length = len;
	atomic_fetch_add(&c->t->r2ts, 1);
	return send_pdu(c, &r2t, 24, NULL, 0, false);
}

static int send_read_data(struct conn *c, uint16_t cid, const uint8_t *data, uint32_t len)
{
	struct fake_target *t = c->t;
	if (t->cfg.bad_pdu_type && c->qid && !c->bad_sent) {
		c->bad_sent = true;
		uint8_t junk[8] = {0x0f, 0, 8, 0, 8, 0, 0, 0};
		return wr(c->fd, junk, 8);
	}
	uint32_t chunk = t->cfg.c2h_chunk ? t->cfg.c2h_chunk : len;
	bool success = t->cfg.c2h_success && c->sqflow_off;
	if (t->cfg.short_read && c->qid && len > chunk) {
		for (uint32_t off = 0; off + chunk < len; off += chunk) {
			struct nvme_tcp_data_pdu d = {.hdr = {.type = NVME_TCP_C2H_DATA, .hlen = 24}};
			d.hdr.flags = (uint8_t)((c->hdgst ? NVME_TCP_F_HDGST : 0) | (c->ddgst ? NVME_TCP_F_DDGST : 0));
			d.hdr.pdo = (uint8_t)(24 + (c->hdgst ? 4 : 0));
			d.hdr.plen = d.hdr.pdo + chunk + (c->ddgst ? 4 : 0);
			d.command_id = cid;
			d.data_offset = off;
			d.data_length = chunk;
			if (send_pdu(c, &d, 24, data + off, chunk, false))
				return -1;
		}
		return send_rsp(c, cid, 0, 0);
	}
	for (uint32_t off = 0; off < len; off += chunk) {
		uint32_t n = len - off < chunk ? len - off : chunk;
		bool last = off + n == len;
		struct nvme_tcp_data_pdu d = {.hdr = {.type = NVME_TCP_C2H_DATA, .hlen = 24}};
		d.hdr.flags = (uint8_t)((c->hdgst ? NVME_TCP_F_HDGST : 0) | (c->ddgst ? NVME_TCP_F_DDGST : 0) |
					(last ? NVME_TCP_F_DATA_LAST : 0) |
					(last && success ? NVME_TCP_F_DATA_SUCCESS : 0));
		d.hdr.pdo = (uint8_t)(24 + (c->hdgst ? 4 : 0));
		d.hdr.plen = d.hdr.pdo + n + (c->ddgst ? 4 : 0);
		d.command_id = cid;
		d.data_offset = off;
		d.data_length = n;
		if (send_pdu(c, &d, 24, data + off, n, t->cfg.corrupt_ddgst && c->qid))
			return -1;
	}
	return success ? 0 : send_rsp(c, cid, 0, 0);
}

static void put_str(uint8_t *dst, const char *s, size_t len)
{
	memset(dst, ' ', len);
	memcpy(dst, s, strlen(s) < len ? strlen(s) : len);
}

static int handle_admin(struct conn *c, const struct nvme_sqe *sqe)
{
	struct fake_target *t = c->t;
	uint8_t id[4096] = {0};
	switch (sqe->opcode) {
	case NVME_ADMIN_IDENTIFY:
		if ((sqe->cdw10 & 0xff) == NVME_ID_CNS_CTRL) {
			put_str(id + 4, "FAKE0001", 20);
			put_str(id + 24, "fake target", 40);
			put_str(id + 64, "1.0", 8);
			uint32_t ioccsz = (t->cfg.ioccsz_bytes + 64u) / 16u;
			memcpy(id + 1792, &ioccsz, 4);
			snprintf((char *)id + 768, 256, "nqn.test:fake");
		} else if ((sqe->cdw10 & 0xff) == NVME_ID_CNS_NS) {
			uint64_t nsze = t->cfg.ns_blocks;
			memcpy(id, &nsze, 8);
			memcpy(id + 8, &nsze, 8);
			uint32_t lbaf0 = 9u << 16;
			memcpy(id + 128, &lbaf0, 4);
		} else if ((sqe->cdw10 & 0xff) == NVME_ID_CNS_NS_ACTIVE_LIST) {
			id[0] = 1;
		}
		return send_read_data(c, sqe->command_id, id, sqe->dptr.length);
	case NVME_ADMIN_SET_FEATURES: {
		uint32_t want = (sqe->cdw11 & 0xffff) + 1u, max = t->cfg.max_io_queues;
		uint32_t n = (want < max ? want : max) - 1u;
		return send_rsp(c, sqe->command_id, 0, n | n << 16);
	}
	case NVME_ADMIN_KEEP_ALIVE:
		atomic_fetch_add(&t->keepalives, 1);
		return send_rsp(c, sqe->command_id, 0, 0);
	}
	return send_rsp(c, sqe->command_id, NVME_SC_INVALID_OPCODE, 0);
}

static int handle_fabrics(struct conn *c, const struct nvme_sqe *sqe, uint8_t *buf, uint32_t have)
{
	struct fake_target *t = c->t;
	const struct nvmf_common_cmd *f = (const struct nvmf_common_cmd *)sqe;
	if (f->fctype == NVMF_FCTYPE_CONNECT) {
		const struct nvmf_connect_cmd *cc = (const struct nvmf_connect_cmd *)sqe;
		if (have != 1024)
			return -1; /* never called before the data is complete */
		const struct nvmf_connect_data *d = (const struct nvmf_connect_data *)buf;
		c->qid = cc->qid;
		c->sqflow_off = cc->cattr & NVMF_CONNECT_CATTR_DISABLE_SQFLOW;
		if (t->cfg.allowed_host && strcmp(d->hostnqn, t->cfg.allowed_host) != 0)
			return send_rsp(c, sqe->command_id, NVME_SC_CONNECT_INVALID_HOST | NVME_SC_DNR, 0);
		return send_rsp(c, sqe->command_id, 0, 1);
	}
	if (f->fctype == NVMF_FCTYPE_PROPERTY_GET) {
		const struct nvmf_property_get_cmd *p = (const struct nvmf_property_get_cmd *)sqe;
		uint64_t v = 0;
		if (p->offset == NVME_REG_CAP)
			v = 127u | 1ull << 24 | 1ull << 37;
		else if (p->offset == NVME_REG_VS)
			v = 0x10400;
		else if (p->offset == NVME_REG_CSTS)
			v = (t->cc & NVME_CC_ENABLE) ? NVME_CSTS_RDY : 0;
		return send_rsp(c, sqe->command_id, 0, v);
	}
	if (f->fctype == NVMF_FCTYPE_PROPERTY_SET) {
		const struct nvmf_property_set_cmd *p = (const struct nvmf_property_set_cmd *)sqe;
		if (p->offset == NVME_REG_CC)
			t->cc = (uint32_t)p->value;
		return send_rsp(c, sqe->command_id, 0, 0);
	}
	return send_rsp(c, sqe->command_id, NVME_SC_INVALID_OPCODE, 0);
}

static int handle_io(struct conn *c, const struct nvme_sqe *sqe, uint8_t *buf, uint32_t have)
{
	struct fake_target *t = c->t;
	uint64_t slba = sqe->cdw10 | (uint64_t)sqe->cdw11 << 32;
	uint32_t nlb = (sqe->cdw12 & 0xffff) + 1u, len = nlb * 512u;
	bool media = t->cfg.media_error_lba && slba <= t->cfg.media_error_lba &&
		     t->cfg.media_error_lba < slba + nlb;
	switch (sqe->opcode) {
	case NVME_CMD_READ:
		if (slba + nlb > t->cfg.ns_blocks || sqe->dptr.length != len)
			return send_rsp(c, sqe->command_id, NVME_SC_LBA_RANGE, 0);
		if (media)
			return send_rsp(c, sqe->command_id, NVME_SC_READ_ERROR, 0);
		pthread_mutex_lock(&t->lock);
		memcpy(buf, t->ram + slba * 512u, len);
		pthread_mutex_unlock(&t->lock);
		return send_read_data(c, sqe->command_id, buf, len);
	case NVME_CMD_WRITE:
		if (sqe->dptr.length != len || have != len)
			return -1;
		if (slba + nlb > t->cfg.ns_blocks)
			return send_rsp(c, sqe->command_id, NVME_SC_LBA_RANGE, 0);
		if (media)
			return send_rsp(c, sqe->command_id, NVME_SC_WRITE_FAULT, 0);
		pthread_mutex_lock(&t->lock);
		memcpy(t->ram + slba * 512u, buf, len);
		pthread_mutex_unlock(&t->lock);
		return send_rsp(c, sqe->command_id, 0, 0);
	case NVME_CMD_WRITE_ZEROES:
		if (slba + nlb > t->cfg.ns_blocks)
			return send_rsp(c, sqe->command_id, NVME_SC_LBA_RANGE, 0);
		pthread_mutex_lock(&t->lock);
		memset(t->ram + slba * 512u, 0, len);
		pthread_mutex_unlock(&t->lock);
		return send_rsp(c, sqe->command_id, 0, 0);
	case NVME_CMD_FLUSH:
		return send_rsp(c, sqe->command_id, 0, 0);
	}
	return send_rsp(c, sqe->command_id, NVME_SC_INVALID_OPCODE, 0);
}

static int dispatch(struct conn *c, const struct nvme_sqe *sqe, uint8_t *buf, uint32_t have)
{
	if (sqe->opcode == NVME_FABRICS_OPCODE)
		return handle_fabrics(c, sqe, buf, have);
	if (c->qid == 0)
		return handle_admin(c, sqe);
	return handle_io(c, sqe, buf, have);
}

/* H2CData for a pending command: checked against its R2T, executed when complete. */
static int on_h2c_data(struct conn *c, uint8_t *hdr)
{
	struct nvme_tcp_data_pdu *d = (struct nvme_tcp_data_pdu *)hdr;
	uint8_t tmp[16];
	if (rd(c->fd, tmp, 16))
		return -1;
	memcpy(hdr + 8, tmp, 16);
	if (d->ttag >= 256 || !c->pend[d->ttag].active)
		return -1;
	struct pending *p = &c->pend[d->ttag];
	uint32_t dlen;
	if (d->hdr.hlen != 24 || d->data_offset != p->got || d->data_length > p->len - p->got ||
	    d->data_length > c->t->cfg.maxh2cdata || d->command_id != p->sqe.command_id)
		return -1;
	if (read_pdu_rest_after(c, hdr, p->buf + p->got, p->len - p->got, &dlen) || dlen != d->data_length)
		return -1;
	p->got += dlen;
	atomic_fetch_add(&c->t->h2c_pdus, 1);
	if ((p->got == p->len) != !!(d->hdr.flags & NVME_TCP_F_DATA_LAST))
		return -1;
	if (p->got < p->len)
		return 0;
	p->active = false;
	int rc = dispatch(c, &p->sqe, p->buf, p->len);
	free(p->buf);
	return rc;
}

static void *conn_main(void *arg)
{
	struct conn *c = arg;
	struct nvme_tcp_icreq icreq;
	uint8_t *buf = malloc(1u << 20);
	c->pend = calloc(256, sizeof(struct pending));
	if (rd(c->fd, &icreq, sizeof(icreq)) || icreq.hdr.type != NVME_TCP_ICREQ)
		goto out;
	c->hdgst = icreq.digest & NVME_TCP_HDGST_ENABLE;
	c->ddgst = icreq.digest & NVME_TCP_DDGST_ENABLE;
	struct nvme_tcp_icresp resp = {.hdr = {.type = NVME_TCP_ICRESP, .hlen = 128, .plen = 128}};
	resp.digest = icreq.digest;
	resp.maxdata = c->t->cfg.maxh2cdata;
	if (wr(c->fd, &resp, sizeof(resp)))
		goto out;
	for (;;) {
		uint8_t hdr[132];
		uint32_t have;
		if (rd(c->fd, hdr, 8))
			break;
		if (hdr[0] == NVME_TCP_H2C_DATA) {
			if (on_h2c_data(c, hdr))
				break;
			continue;
		}
		if (hdr[0] != NVME_TCP_CMD || read_pdu_rest(c, hdr, buf, 1u << 20, &have))
			break;
		struct nvme_sqe sqe;
		memcpy(&sqe, hdr + 8, sizeof(sqe));
		uint32_t want = sqe.opcode == NVME_FABRICS_OPCODE ? (((struct nvmf_common_cmd *)&sqe)->fctype ==
								    NVMF_FCTYPE_CONNECT ? 1024u : 0u)
				: sqe.opcode == NVME_CMD_WRITE && c->qid ? sqe.dptr.length : 0u;
		if (want && have == 0) {
			struct pending *p = &c->pend[sqe.command_id];
			if (p->active || sqe.command_id >= 256)
				break;
			*p = (struct pending){.active = true, .sqe = sqe, .buf = malloc(want), .len = want};
			if (send_r2t(c, &sqe, want))
				break;
			continue;
		}
		if (dispatch(c, &sqe, buf, have))
			break;
	}
out:
	for (int i = 0; i < 256; i++)
		if (c->pend[i].active)
			free(c->pend[i].buf);
	free(c->pend);
	free(buf);
	shutdown(c->fd, SHUT_RDWR); /* closed by fake_target_stop after the join */
	free(c);
	return NULL;
}

static void *accept_main(void *arg)
{
	struct fake_target *t = arg;
	while (!atomic_load(&t->stopping)) {
		int fd = accept(t->lfd, NULL, NULL);
		if (fd < 0)
			break;
		if (atomic_load(&t->stopping) || t->nconns == MAX_CONNS) {
			close(fd);
			break;
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		struct conn *c = calloc(1, sizeof(*c));
		c->t = t;
		c->fd = fd;
		t->conn_fds[t->nconns] = fd;
		pthread_create(&t->conn_threads[t->nconns++], NULL, conn_main, c);
	}
	return NULL;
}

int fake_target_start(const struct fake_target_cfg *cfg, struct fake_target **out, uint16_t *port)
{
	struct fake_target *t = calloc(1, sizeof(*t));
	t->cfg = *cfg;
	t->ram = calloc(cfg->ns_blocks, 512);
	pthread_mutex_init(&t->lock, NULL);
	t->lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				 .sin_port = htons(cfg->port)};
	int one = 1;
	setsockopt(t->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	socklen_t len = sizeof(sa);
	if (bind(t->lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(t->lfd, 64) ||
	    getsockname(t->lfd, (struct sockaddr *)&sa, &len))
		return -errno;
	*port = ntohs(sa.sin_port);
	pthread_create(&t->acceptor, NULL, accept_main, t);
	*out = t;
	return 0;
}

void fake_target_stop(struct fake_target *t)
{
	atomic_store(&t->stopping, true);
	shutdown(t->lfd, SHUT_RDWR);
	pthread_join(t->acceptor, NULL);
	close(t->lfd);
	for (int i = 0; i < t->nconns; i++) {
		shutdown(t->conn_fds[i], SHUT_RDWR);
		pthread_join(t->conn_threads[i], NULL);
		close(t->conn_fds[i]);
	}
	free(t->ram);
	free(t);
}

uint32_t fake_target_h2c_pdus(struct fake_target *t)
{
	return atomic_load(&t->h2c_pdus);
}

uint32_t fake_target_r2ts(struct fake_target *t)
{
	return atomic_load(&t->r2ts);
}

uint8_t *fake_target_ram(struct fake_target *t)
{
	return t->ram;
}

uint32_t fake_target_keepalives(struct fake_target *t)
{
	return atomic_load(&t->keepalives);
}
