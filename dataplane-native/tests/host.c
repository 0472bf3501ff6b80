/* host.c - see host.h. Blocking sockets with timeouts: a target that hangs fails the test. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include "host.h"
#include "internal.h"

int th_open(struct th *h, uint16_t port)
{
	memset(h, 0, sizeof(*h));
	h->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (h->fd < 0)
		return TH_CLOSED;
	struct timeval tv = { .tv_sec = 5 };
	setsockopt(h->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(h->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	int one = 1;
	setsockopt(h->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (connect(h->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(h->fd);
		h->fd = -1;
		return TH_CLOSED;
	}
	h->maxh2cdata = 4096;
	return 0;
}

static struct {
	const char *identity;
	const uint8_t *psk;
	size_t len;
	uint8_t cipher;
} tls_offer;

static int use_session(SSL *ssl, const EVP_MD *md, const unsigned char **id, size_t *idlen,
		       SSL_SESSION **sess)
{
	static const unsigned char aes128[] = { 0x13, 0x01 }, aes256[] = { 0x13, 0x02 };
	const SSL_CIPHER *cipher = SSL_CIPHER_find(ssl, tls_offer.cipher == 1 ? aes128 : aes256);
	SSL_SESSION *s = SSL_SESSION_new();
	if (!cipher || !s || !SSL_SESSION_set1_master_key(s, tls_offer.psk, tls_offer.len) ||
	    !SSL_SESSION_set_cipher(s, cipher) || !SSL_SESSION_set_protocol_version(s, TLS1_3_VERSION)) {
		SSL_SESSION_free(s);
		return 0;
	}
	*sess = s;
	*id = (const unsigned char *)tls_offer.identity;
	*idlen = strlen(tls_offer.identity);
	return 1;
}

int th_tls(struct th *h, const char *identity, const uint8_t *psk, size_t len, uint8_t cipher)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx)
		return TH_CLOSED;
	SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
	SSL_CTX_set_ciphersuites(ctx, cipher == 1 ? "TLS_AES_128_GCM_SHA256" : "TLS_AES_256_GCM_SHA384");
	SSL_CTX_set_psk_use_session_callback(ctx, use_session);
	SSL *ssl = SSL_new(ctx);
	SSL_CTX_free(ctx);                /* the SSL holds its own reference */
	tls_offer.identity = identity;
	tls_offer.psk = psk;
	tls_offer.len = len;
	tls_offer.cipher = cipher;
	if (!ssl || !SSL_set_fd(ssl, h->fd) || SSL_connect(ssl) != 1) {
		SSL_free(ssl);
		return TH_CLOSED;
	}
	h->ssl = ssl;
	return 0;
}

void th_close(struct th *h)
{
	SSL_free(h->ssl);
	h->ssl = NULL;
	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
}

int th_send(struct th *h, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	while (len) {
		ssize_t n = h->ssl ? SSL_write(h->ssl, p, (int)len) : send(h->fd, p, len, MSG_NOSIGNAL);
		if (n <= 0)
			return TH_CLOSED;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int recv_all(struct th *h, void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len) {
		ssize_t n = h->ssl ? SSL_read(h->ssl, p, (int)len) : recv(h->fd, p, len, 0);
		if (n <= 0)
			return TH_CLOSED;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int th_wait_closed(struct th *h)
{
	uint8_t buf[512];
	for (int i = 0; i < 1000; i++) {
		errno = 0;
		ssize_t n = h->ssl ? SSL_read(h->ssl, buf, sizeof(buf)) : recv(h->fd, buf, sizeof(buf), 0);
		if (h->ssl && n <= 0) {
			int err = SSL_get_error(h->ssl, (int)n);
			if (err == SSL_ERROR_ZERO_RETURN || (err == SSL_ERROR_SYSCALL && errno != EAGAIN) ||
			    err == SSL_ERROR_SSL)
				return 1;
			return 0;
		}
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			return 1;
		if (n < 0)
			return 0;   /* timeout: still open */
	}
	return 0;
}

int th_recv_pdu(struct th *h, uint8_t *buf, size_t cap)
{
	if (recv_all(h, buf, 8))
		return TH_CLOSED;
	struct nvme_tcp_hdr *hdr = (struct nvme_tcp_hdr *)buf;
	if (hdr->plen > cap || hdr->plen < 8 || hdr->hlen > hdr->plen)
		return TH_PROTO;
	if (recv_all(h, buf + 8, hdr->plen - 8))
		return TH_CLOSED;
	if (hdr->type == NVME_TCP_C2H_TERM) {
		const struct nvme_tcp_term_pdu *t = (const struct nvme_tcp_term_pdu *)buf;
		h->last_fes = t->fes;
		h->last_fei = t->feil | (uint32_t)t->feiu << 16;
		return TH_TERM;
	}
	if ((hdr->flags & NVME_TCP_F_HDGST) != 0) {
		uint32_t want;
		memcpy(&want, buf + hdr->hlen, 4);
		if (want != wr_digest(buf, hdr->hlen))
			return TH_PROTO;
	}
	return (int)hdr->plen;
}

int th_icreq(struct th *h, bool hdgst, bool ddgst)
{
	struct nvme_tcp_icreq req = { 0 };
	req.hdr.type = NVME_TCP_ICREQ;
	req.hdr.hlen = sizeof(req);
	req.hdr.plen = sizeof(req);
	req.digest = (hdgst ? NVME_TCP_HDGST_ENABLE : 0) | (ddgst ? NVME_TCP_DDGST_ENABLE : 0);
	if (th_send(h, &req, sizeof(req)))
		return TH_CLOSED;
	uint8_t buf[256] __attribute__((aligned(8)));
	int rc = th_recv_pdu(h, buf, sizeof(buf));
	if (rc < 0)
		return rc;
	const struct nvme_tcp_icresp *resp = (const struct nvme_tcp_icresp *)buf;
	if (resp->hdr.type != NVME_TCP_ICRESP || resp->hdr.plen != 128 || resp->pfv != 0 ||
	    resp->cpda != 0 || resp->digest != req.digest || resp->maxdata < 4096 ||
	    resp->maxdata % 4)
		return TH_PROTO;
	h->hdgst = hdgst;
	h->ddgst = ddgst;
	h->maxh2cdata = resp->maxdata;
	return 0;
}

/* Builds a PDU: header (+ digest), optional data (+ digest). */
static int send_pdu(struct th *h, void *hdr, uint8_t hlen, const void *data, uint32_t len)
{
	uint8_t buf[256 + 8] __attribute__((aligned(8)));
	struct nvme_tcp_hdr *ch = hdr;
	uint32_t hd = h->hdgst ? 4 : 0, dd = (h->ddgst && len) ? 4 : 0;
	ch->hlen = hlen;
	ch->flags |= (hd ? NVME_TCP_F_HDGST : 0) | (dd ? NVME_TCP_F_DDGST : 0);
	ch->pdo = len ? (uint8_t)(hlen + hd) : 0;
	ch->plen = hlen + hd + len + dd;
	memcpy(buf, hdr, hlen);
	if (hd) {
		uint32_t d = wr_digest(buf, hlen);
		memcpy(buf + hlen, &d, 4);
	}
	if (th_send(h, buf, hlen + hd) || (len && th_send(h, data, len)))
		return TH_CLOSED;
	if (dd) {
		uint32_t d = wr_digest(data, len);
		if (th_send(h, &d, 4))
			return TH_CLOSED;
	}
	return 0;
}

static int send_h2c(struct th *h, const struct nvme_tcp_r2t_pdu *r2t, const uint8_t *out)
{
	uint32_t off = r2t->r2t_offset, end = r2t->r2t_offset + r2t->r2t_length;
	while (off < end) {
		uint32_t n = end - off < h->maxh2cdata ? end - off : h->maxh2cdata;
		struct nvme_tcp_data_pdu d = { 0 };
		d.hdr.type = NVME_TCP_H2C_DATA;
		d.hdr.flags = off + n == end ? NVME_TCP_F_DATA_LAST : 0;
		d.command_id = r2t->command_id;
		d.ttag = r2t->ttag;
		d.data_offset = off;
		d.data_length = n;
		if (send_pdu(h, &d, sizeof(d), out + off, n))
			return TH_CLOSED;
		off += n;
	}
	return 0;
}

int th_cmd(struct th *h, struct nvme_sqe *sqe, const void *out, uint32_t out_len, bool in_capsule,
	   void *in, uint32_t in_len, struct nvme_cqe *cqe)
{
	struct nvme_tcp_cmd_pdu pdu = { 0 };
	sqe->command_id = ++h->cid;
	sqe->flags |= 0x40;          /* PSDT: SGL */
	memset(&sqe->dptr, 0, sizeof(sqe->dptr));
	if (out_len && in_capsule) {
		sqe->dptr.type = NVME_SGL_INCAPSULE;
		sqe->dptr.length = out_len;
	} else {
		sqe->dptr.type = NVME_SGL_TRANSPORT;
		sqe->dptr.length = out_len ? out_len : in_len;
	}
	pdu.hdr.type = NVME_TCP_CMD;
	pdu.sqe = *sqe;
	if (send_pdu(h, &pdu, sizeof(pdu), in_capsule ? out : NULL, in_capsule ? out_len : 0))
		return TH_CLOSED;
	static uint8_t buf[256 * 1024 + 512] __attribute__((aligned(8)));
	for (;;) {
		int rc = th_recv_pdu(h, buf, sizeof(buf));
		if (rc < 0)
			return rc;
		struct nvme_tcp_hdr *hdr = (struct nvme_tcp_hdr *)buf;
		if (hdr->type == NVME_TCP_R2T) {
			const struct nvme_tcp_r2t_pdu *r2t = (const void *)buf;
			if (r2t->command_id != sqe->command_id || !out ||
			    (uint64_t)r2t->r2t_offset + r2t->r2t_length > out_len)
				return TH_PROTO;
			if (send_h2c(h, r2t, out))
				return TH_CLOSED;
		} else if (hdr->type == NVME_TCP_C2H_DATA) {
			const struct nvme_tcp_data_pdu *d = (const void *)buf;
			const uint8_t *data = buf + hdr->pdo;
			if (!in || (uint64_t)d->data_offset + d->data_length > in_len)
				return TH_PROTO;
			if (hdr->flags & NVME_TCP_F_DDGST) {
				uint32_t want;
				memcpy(&want, data + d->data_length, 4);
				if (want != wr_digest(data, d->data_length))
					return TH_PROTO;
			}
			memcpy((uint8_t *)in + d->data_offset, data, d->data_length);
			if (hdr->flags & NVME_TCP_F_DATA_SUCCESS) {
				h->c2h_success_seen++;
				memset(cqe, 0, sizeof(*cqe));
				cqe->command_id = sqe->command_id;
				return 0;
			}
		} else if (hdr->type == NVME_TCP_RSP) {
			*cqe = ((const struct nvme_tcp_rsp_pdu *)buf)->cqe;
			return cqe->command_id == sqe->command_id ? 0 : TH_PROTO;
		} else {
			return TH_PROTO;
		}
	}
}

int th_connect(struct th *h, const char *subnqn, const char *hostnqn, uint16_t qid,
	       uint16_t cntlid, uint32_t kato_ms, uint8_t cattr, struct nvme_cqe *cqe)
{
	struct nvmf_connect_data d = { 0 };
	memset(d.hostid, 0x5a, sizeof(d.hostid));
	d.cntlid = cntlid;
	strncpy(d.subsysnqn, subnqn, sizeof(d.subsysnqn) - 1);
	strncpy(d.hostnqn, hostnqn, sizeof(d.hostnqn) - 1);
	struct nvme_sqe sqe = { 0 };
	struct nvmf_connect_cmd *c = (struct nvmf_connect_cmd *)&sqe;
	c->opcode = NVME_FABRICS_OPCODE;
	c->fctype = NVMF_FCTYPE_CONNECT;
	c->qid = qid;
	c->sqsize = qid ? 127 : 31;
	c->kato = kato_ms;
	c->cattr = cattr;
	return th_cmd(h, &sqe, &d, sizeof(d), true, NULL, 0, cqe);
}

int th_prop_get(struct th *h, uint32_t offset, bool wide, uint64_t *value)
{
	struct nvme_sqe sqe = { 0 };
	struct nvmf_property_get_cmd *c = (struct nvmf_property_get_cmd *)&sqe;
	c->opcode = NVME_FABRICS_OPCODE;
	c->fctype = NVMF_FCTYPE_PROPERTY_GET;
	c->attrib = wide ? 1 : 0;
	c->offset = offset;
	struct nvme_cqe cqe;
	int rc = th_cmd(h, &sqe, NULL, 0, false, NULL, 0, &cqe);
	if (rc)
		return rc;
	*value = cqe.result;
	return th_status(&cqe);
}

int th_prop_set(struct th *h, uint32_t offset, uint64_t value)
{
	struct nvme_sqe sqe = { 0 };
	struct nvmf_property_set_cmd *c = (struct nvmf_property_set_cmd *)&sqe;
	c->opcode = NVME_FABRICS_OPCODE;
	c->fctype = NVMF_FCTYPE_PROPERTY_SET;
	c->offset = offset;
	c->value = value;
	struct nvme_cqe cqe;
	int rc = th_cmd(h, &sqe, NULL, 0, false, NULL, 0, &cqe);
	return rc ? rc : th_status(&cqe);
}

int th_identify(struct th *h, uint8_t cns, uint32_t nsid, void *page, struct nvme_cqe *cqe)
{
	struct nvme_sqe sqe = { 0 };
	sqe.opcode = NVME_ADMIN_IDENTIFY;
	sqe.nsid = nsid;
	sqe.cdw10 = cns;
	return th_cmd(h, &sqe, NULL, 0, false, page, 4096, cqe);
}

int th_bringup_admin(struct th *h, uint16_t port, const char *subnqn, const char *hostnqn,
		     bool hdgst, bool ddgst)
{
	struct nvme_cqe cqe;
	uint64_t v;
	if (th_open(h, port) || th_icreq(h, hdgst, ddgst))
		return -100;
	if (th_connect(h, subnqn, hostnqn, 0, 0xffff, 0, 0, &cqe) || th_status(&cqe))
		return -101;
	int cntlid = (int)(cqe.result & 0xffff);
	if (th_prop_get(h, NVME_REG_CAP, true, &v))
		return -102;
	uint32_t cc = NVME_CC_ENABLE | 6u << NVME_CC_IOSQES_SHIFT | 4u << NVME_CC_IOCQES_SHIFT;
	if (th_prop_set(h, NVME_REG_CC, cc))
		return -103;
	if (th_prop_get(h, NVME_REG_CSTS, false, &v) || !(v & NVME_CSTS_RDY))
		return -104;
	return cntlid;
}

int th_rw(struct th *h, uint8_t opcode, uint32_t nsid, uint64_t slba, uint32_t nlb, void *buf,
	  uint32_t len, bool in_capsule, struct nvme_cqe *cqe)
{
	struct nvme_sqe sqe = { 0 };
	sqe.opcode = opcode;
	sqe.nsid = nsid;
	sqe.cdw10 = (uint32_t)slba;
	sqe.cdw11 = (uint32_t)(slba >> 32);
	sqe.cdw12 = nlb - 1;
	if (opcode == NVME_CMD_READ)
		return th_cmd(h, &sqe, NULL, 0, false, buf, len, cqe);
	return th_cmd(h, &sqe, buf, len, in_capsule, NULL, 0, cqe);
}

/* ---------------------------------------------------------------------------------------------
 * DH-HMAC-CHAP, the host's side (as drivers/nvme/host/auth.c runs it), with OpenSSL.
 * ------------------------------------------------------------------------------------------- */
static int auth_cmd(struct th *h, uint8_t fctype, void *buf, uint32_t len, struct nvme_cqe *cqe)
{
	struct nvme_sqe sqe = { 0 };
	struct nvmf_auth_cmd *c = (struct nvmf_auth_cmd *)&sqe;
	c->opcode = NVME_FABRICS_OPCODE;
	c->fctype = fctype;
	c->secp = NVMF_AUTH_SECP;
	c->spsp0 = c->spsp1 = NVMF_AUTH_SPSP;
	c->length = len;
	if (fctype == NVMF_FCTYPE_AUTH_SEND)
		return th_cmd(h, &sqe, buf, len, true, NULL, 0, cqe);
	return th_cmd(h, &sqe, NULL, 0, false, buf, len, cqe);
}

static const EVP_MD *auth_md(uint8_t id)
{
	return id == 1 ? EVP_sha256() : id == 2 ? EVP_sha384() : EVP_sha512();
}

/* K' (the secret, or HMAC over the owner's NQN and "NVMe-over-Fabrics"); returns its length. */
static unsigned int auth_key(const struct wr_dhchap_key *k, const char *nqn, uint8_t *out)
{
	if (k->hash == 0) {
		memcpy(out, k->bytes, k->len);
		return k->len;
	}
	uint8_t msg[512];
	size_t n = strlen(nqn);
	memcpy(msg, nqn, n);
	memcpy(msg + n, "NVMe-over-Fabrics", 17);
	unsigned int len = 0;
	HMAC(auth_md(k->hash), k->bytes, k->len, msg, n + 17, out, &len);
	return len;
}

static void auth_response(uint8_t hash, const struct wr_dhchap_key *k, const char *key_nqn,
			  const uint8_t *c, uint32_t seq, uint16_t tid, const char *label,
			  const char *a, const char *b, uint8_t *out)
{
	uint8_t key[64], msg[1024];
	unsigned int klen = auth_key(k, key_nqn, key), len = 0;
	size_t hl = (size_t)EVP_MD_get_size(auth_md(hash)), n = 0;
	memcpy(msg + n, c, hl), n += hl;
	memcpy(msg + n, &seq, 4), n += 4;
	memcpy(msg + n, &tid, 2), n += 2;
	msg[n++] = 0;
	memcpy(msg + n, label, strlen(label)), n += strlen(label);
	memcpy(msg + n, a, strlen(a)), n += strlen(a);
	msg[n++] = 0;
	memcpy(msg + n, b, strlen(b)), n += strlen(b);
	HMAC(auth_md(hash), key, (int)klen, msg, n, out, &len);
}

static void auth_augment(uint8_t hash, const uint8_t *skey, size_t skey_len, uint8_t *c)
{
	uint8_t hk[64], out[64];
	unsigned int hklen = 0, len = 0;
	EVP_Digest(skey, skey_len, hk, &hklen, auth_md(hash), NULL);
	HMAC(auth_md(hash), hk, (int)hklen, c, hklen, out, &len);
	memcpy(c, out, len);
}

/* The host's DH value (padded) into pub and g^xy into skey; 0 or -1. */
static int auth_dh(uint8_t group, const uint8_t *ctrl_pub, uint32_t len, uint8_t *pub, uint8_t *skey)
{
	static const char *names[] = { NULL, "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192" };
	int rc = -1;
	EVP_PKEY *mine = NULL, *peer = NULL;
	BIGNUM *y = NULL, *cy = BN_bin2bn(ctrl_pub, (int)len, NULL);
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *g = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL), *fc = NULL, *d = NULL;
	OSSL_PARAM p[] = { OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)names[group], 0),
			   OSSL_PARAM_construct_end() };
	size_t slen = len;
	if (group < 1 || group > 5 || !g || EVP_PKEY_keygen_init(g) <= 0 ||
	    EVP_PKEY_CTX_set_params(g, p) <= 0 || EVP_PKEY_generate(g, &mine) <= 0 ||
	    !EVP_PKEY_get_bn_param(mine, OSSL_PKEY_PARAM_PUB_KEY, &y) ||
	    BN_bn2binpad(y, pub, (int)len) != (int)len ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, names[group], 0) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, cy) ||
	    !(params = OSSL_PARAM_BLD_to_param(bld)) ||
	    !(fc = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL)) || EVP_PKEY_fromdata_init(fc) <= 0 ||
	    EVP_PKEY_fromdata(fc, &peer, EVP_PKEY_PUBLIC_KEY, params) <= 0 ||
	    !(d = EVP_PKEY_CTX_new_from_pkey(NULL, mine, NULL)) || EVP_PKEY_derive_init(d) <= 0 ||
	    EVP_PKEY_CTX_set_dh_pad(d, 1) <= 0 || EVP_PKEY_derive_set_peer(d, peer) <= 0 ||
	    EVP_PKEY_derive(d, skey, &slen) <= 0 || slen != len)
		goto out;
	rc = 0;
out:
	EVP_PKEY_CTX_free(d);
	EVP_PKEY_CTX_free(fc);
	EVP_PKEY_CTX_free(g);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(y);
	BN_free(cy);
	EVP_PKEY_free(mine);
	EVP_PKEY_free(peer);
	return rc;
}

int th_auth(struct th *h, const char *subnqn, const char *hostnqn, const char *secret,
	    const char *ctrl_secret, struct th_auth_result *res)
{
	static uint8_t msg[4096];
	struct nvme_cqe cqe;
	struct wr_dhchap_key key, ckey;
	memset(res, 0, sizeof(*res));
	if (wr_dhchap_key_parse(secret, &key) || (ctrl_secret && wr_dhchap_key_parse(ctrl_secret, &ckey)))
		return TH_PROTO;
	uint16_t tid = 0x4242;
	/* Negotiate: every hash and group, as Linux offers them. */
	struct nvme_auth_negotiate *n = (struct nvme_auth_negotiate *)msg;
	memset(msg, 0, sizeof(*n) + sizeof(n->desc[0]));
	n->hdr.auth_id = NVME_AUTH_NEGOTIATE;
	n->hdr.t_id = tid;
	n->napd = 1;
	n->desc[0].authid = NVME_AUTH_DHCHAP_ID;
	n->desc[0].halen = 3;
	n->desc[0].dhlen = 6;
	for (uint8_t i = 0; i < 3; i++)
		n->desc[0].idlist[i] = i + 1;
	for (uint8_t i = 0; i < 6; i++)
		n->desc[0].idlist[30 + i] = i;
	int rc = auth_cmd(h, NVMF_FCTYPE_AUTH_SEND, msg, sizeof(*n) + sizeof(n->desc[0]), &cqe);
	if (rc || (res->status = th_status(&cqe)))
		return rc;
	memset(msg, 0, sizeof(msg));
	if ((rc = auth_cmd(h, NVMF_FCTYPE_AUTH_RECV, msg, sizeof(msg), &cqe)) || (res->status = th_status(&cqe)))
		return rc;
	const struct nvme_auth_challenge *c = (const struct nvme_auth_challenge *)msg;
	if (c->hdr.auth_id == NVME_AUTH_FAILURE1) {
		res->failure1_exp = ((const struct nvme_auth_failure *)msg)->rescode_exp;
		return 0;
	}
	if (c->hdr.auth_id != NVME_AUTH_CHALLENGE || c->hdr.t_id != tid || c->hl > 64 || c->dhvlen > 1024)
		return TH_PROTO;
	res->hash = c->hashid;
	res->dhgroup = c->dhgid;
	uint8_t hl = c->hl, c1[64], c2[64], pub[1024], skey[1024], ctrl_pub[1024];
	uint16_t dhvlen = c->dhvlen;
	uint32_t s1 = c->seqnum, s2 = 0x5151;
	memcpy(c1, c->cval, hl);
	memcpy(ctrl_pub, c->cval + hl, dhvlen);
	if (dhvlen && auth_dh(c->dhgid, ctrl_pub, dhvlen, pub, skey) < 0)
		return TH_PROTO;
	/* Reply */
	struct nvme_auth_reply *r = (struct nvme_auth_reply *)msg;
	memset(msg, 0, sizeof(msg));
	r->hdr.auth_type = NVME_AUTH_DHCHAP;
	r->hdr.auth_id = NVME_AUTH_REPLY;
	r->hdr.t_id = tid;
	r->hl = hl;
	r->dhvlen = dhvlen;
	if (dhvlen)
		auth_augment(res->hash, skey, dhvlen, c1);
	auth_response(res->hash, &key, hostnqn, c1, s1, tid, "HostHost", hostnqn, subnqn, r->rval);
	if (ctrl_secret) {
		RAND_bytes(c2, hl);
		r->cvalid = 1;
		r->seqnum = s2;
		memcpy(r->rval + hl, c2, hl);
	}
	memcpy(r->rval + 2 * hl, pub, dhvlen);
	if ((rc = auth_cmd(h, NVMF_FCTYPE_AUTH_SEND, msg, sizeof(*r) + 2u * hl + dhvlen, &cqe)) ||
	    (res->status = th_status(&cqe)))
		return rc;
	memset(msg, 0, sizeof(msg));
	if ((rc = auth_cmd(h, NVMF_FCTYPE_AUTH_RECV, msg, 256, &cqe)) || (res->status = th_status(&cqe)))
		return rc;
	const struct nvme_auth_success1 *s = (const struct nvme_auth_success1 *)msg;
	if (s->hdr.auth_id == NVME_AUTH_FAILURE1) {
		res->failure1_exp = ((const struct nvme_auth_failure *)msg)->rescode_exp;
		return 0;
	}
	if (s->hdr.auth_id != NVME_AUTH_SUCCESS1 || s->hdr.t_id != tid)
		return TH_PROTO;
	if (!ctrl_secret)
		return s->rvalid ? TH_PROTO : 0;
	uint8_t expect[64];
	if (dhvlen)
		auth_augment(res->hash, skey, dhvlen, c2);
	auth_response(res->hash, &ckey, subnqn, c2, s2, tid, "Controller", subnqn, hostnqn, expect);
	res->ctrl_verified = s->rvalid && memcmp(expect, s->rval, hl) == 0;
	struct nvme_auth_success2 *s2m = (struct nvme_auth_success2 *)msg;
	memset(msg, 0, sizeof(*s2m));
	s2m->hdr.auth_type = NVME_AUTH_DHCHAP;
	s2m->hdr.auth_id = NVME_AUTH_SUCCESS2;
	s2m->hdr.t_id = tid;
	if ((rc = auth_cmd(h, NVMF_FCTYPE_AUTH_SEND, msg, sizeof(*s2m), &cqe)))
		return rc;
	res->status = th_status(&cqe);
	return 0;
}
