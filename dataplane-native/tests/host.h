/*
 * host.h - a small blocking NVMe/TCP host for the tests: just enough to drive the target the way
 * an initiator does (ICReq, Connect, properties, Identify, I/O with in-capsule data or R2T,
 * digests) and to send it deliberately broken PDUs.
 */
#ifndef WR_TEST_HOST_H
#define WR_TEST_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nvme_proto.h"

struct th {
	int fd;
	bool hdgst, ddgst;
	uint16_t cid;
	uint32_t maxh2cdata;
	uint16_t last_fes;           /* from a C2HTermReq */
	uint32_t last_fei;
	uint32_t c2h_success_seen;   /* C2HData PDUs that carried the SUCCESS flag */
	void *ssl;                   /* after th_tls: every byte goes through this TLS 1.3 channel */
};

#define TH_CLOSED (-1)
#define TH_TERM (-3)             /* the target sent C2HTermReq (last_fes set) */
#define TH_PROTO (-4)            /* the target sent something malformed */

#define TH_HOSTNQN "nqn.2014-08.org.nvmexpress:uuid:11111111-2222-3333-4444-555555555555"

int th_open(struct th *h, uint16_t port);            /* TCP to 127.0.0.1:port, 5 s timeouts */
void th_close(struct th *h);
/* TLS 1.3 client handshake with an external PSK (identity, key of len bytes, cipher 1:
 * TLS_AES_128_GCM_SHA256, 2: TLS_AES_256_GCM_SHA384), as tlshd does for the Linux host.
 * 0 when the channel is open, TH_CLOSED when the target refused it. */
int th_tls(struct th *h, const char *identity, const uint8_t *psk, size_t len, uint8_t cipher);
int th_icreq(struct th *h, bool hdgst, bool ddgst);   /* 0 once ICResp matched */
int th_send(struct th *h, const void *buf, size_t len);
/* Receives one PDU into buf (header digest checked); returns its PLEN or TH_*. */
int th_recv_pdu(struct th *h, uint8_t *buf, size_t cap);
/* Returns 1 if the target closed the connection (EOF) within the socket timeout. */
int th_wait_closed(struct th *h);

/* One command. out: data to the controller (in-capsule when in_capsule, else through R2T);
 * in: buffer for data from the controller. Fills cqe. Returns 0 or TH_*. */
int th_cmd(struct th *h, struct nvme_sqe *sqe, const void *out, uint32_t out_len, bool in_capsule,
	   void *in, uint32_t in_len, struct nvme_cqe *cqe);
static inline uint16_t th_status(const struct nvme_cqe *cqe)
{
	return (uint16_t)(cqe->status >> 1) & 0x7ff;  /* SCT and SC, without DNR/More/CRD */
}

int th_connect(struct th *h, const char *subnqn, const char *hostnqn, uint16_t qid,
	       uint16_t cntlid, uint32_t kato_ms, uint8_t cattr, struct nvme_cqe *cqe);
int th_prop_get(struct th *h, uint32_t offset, bool wide, uint64_t *value);
int th_prop_set(struct th *h, uint32_t offset, uint64_t value);
int th_identify(struct th *h, uint8_t cns, uint32_t nsid, void *page, struct nvme_cqe *cqe);
/* Admin-queue bring-up: ICReq, Connect, CC.EN=1, CSTS.RDY; returns the controller ID or < 0. */
int th_bringup_admin(struct th *h, uint16_t port, const char *subnqn, const char *hostnqn,
		     bool hdgst, bool ddgst);
int th_rw(struct th *h, uint8_t opcode, uint32_t nsid, uint64_t slba, uint32_t nlb, void *buf,
	  uint32_t len, bool in_capsule, struct nvme_cqe *cqe);

/* DH-HMAC-CHAP on this queue (after a Connect that asked for it) with a host secret and, when
 * ctrl_secret is not NULL, the controller's too. Returns 0 when the exchange ran to its end or to
 * an AUTH_Failure1 (failure1_exp then set), else TH_*; status is the last command's. */
struct th_auth_result {
	uint16_t status;
	uint8_t failure1_exp;
	uint8_t hash, dhgroup;
	bool ctrl_verified;          /* Success1 carried the controller's right response */
};
int th_auth(struct th *h, const char *subnqn, const char *hostnqn, const char *secret,
	    const char *ctrl_secret, struct th_auth_result *res);

#endif
