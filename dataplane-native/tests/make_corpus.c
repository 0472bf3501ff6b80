/*
 * make_corpus - writes the seed corpus of fuzz/fuzz_rx.c (valid host streams: ICReq, Connect,
 * Identify, writes with in-capsule data and with R2T/H2CData, digests on and off, discovery).
 * Usage: make_corpus DIR. The seeds are committed in fuzz/corpus/rx; rerun after format changes.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "pdu_build.h"

#define SUBNQN "nqn.2026-11.dev.windrose:fuzz"
#define HOSTNQN "nqn.2014-08.org.nvmexpress:uuid:f0f0f0f0-0000-0000-0000-000000000001"
#define AUTH_SUBNQN "nqn.2026-11.dev.windrose:fuzz-auth"   /* HOSTNQN must authenticate there */

static uint8_t buf[256 * 1024] __attribute__((aligned(8)));
static uint8_t data[16384];

static int save(const char *dir, const char *name, size_t len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len) {
		perror(path);
		return 1;
	}
	return fclose(f) != 0;
}

static size_t io_session(struct pb *p, bool r2t)
{
	size_t n = pb_icreq(p, buf);
	n += pb_connect(p, buf + n, 1, 1, SUBNQN, HOSTNQN);
	if (r2t) {
		/* The Connect's request (tag 0) is free again once its response went out. */
		n += pb_write(p, buf + n, 1, 8, 8, data, 4096, false);
		n += pb_h2c(p, buf + n, p->cid - 1, 0, 0, data, 2048, false);
		n += pb_h2c(p, buf + n, p->cid - 1, 0, 2048, data + 2048, 2048, true);
	} else {
		n += pb_write(p, buf + n, 1, 8, 8, data, 4096, true);
	}
	n += pb_read(p, buf + n, 1, 8, 8, 4096);
	struct nvme_sqe flush = { .opcode = NVME_CMD_FLUSH, .nsid = 1 };
	n += pb_cmd(p, buf + n, &flush, NULL, 0, 0);
	struct nvme_sqe wz = { .opcode = NVME_CMD_WRITE_ZEROES, .nsid = 2, .cdw10 = 1, .cdw12 = 3 };
	n += pb_cmd(p, buf + n, &wz, NULL, 0, 0);
	struct nvme_dsm_range range = { .slba = 0, .nlb = 16 };
	struct nvme_sqe dsm = { .opcode = NVME_CMD_DSM, .nsid = 1, .cdw11 = NVME_DSM_ATTR_DEALLOCATE };
	n += pb_cmd(p, buf + n, &dsm, &range, sizeof(range), 0);
	struct nvme_sqe cmp = { .opcode = NVME_CMD_COMPARE, .nsid = 1, .cdw10 = 8, .cdw12 = 7 };
	n += pb_cmd(p, buf + n, &cmp, data, 4096, 0);
	return n;
}

/* Authentication Send (a message, in-capsule) or Receive (AL bytes back). */
static size_t auth_cmd(struct pb *p, uint8_t *out, uint8_t fctype, const void *msg, uint32_t len)
{
	struct nvme_sqe sqe = { 0 };
	struct nvmf_auth_cmd *c = (struct nvmf_auth_cmd *)&sqe;
	c->opcode = NVME_FABRICS_OPCODE;
	c->fctype = fctype;
	c->secp = NVMF_AUTH_SECP;
	c->spsp0 = c->spsp1 = NVMF_AUTH_SPSP;
	c->length = len;
	if (fctype == NVMF_FCTYPE_AUTH_SEND)
		return pb_cmd(p, out, &sqe, msg, len, 0);
	return pb_cmd(p, out, &sqe, NULL, 0, len);
}

/* AUTH_Negotiate offering every hash and the given DH groups, as Linux does. */
static uint32_t negotiate(uint8_t *m, const uint8_t *groups, uint8_t ngroups)
{
	struct nvme_auth_negotiate *n = (struct nvme_auth_negotiate *)m;
	memset(m, 0, sizeof(*n) + sizeof(n->desc[0]));
	n->hdr.auth_id = NVME_AUTH_NEGOTIATE;
	n->hdr.t_id = 1;
	n->napd = 1;
	n->desc[0].authid = NVME_AUTH_DHCHAP_ID;
	n->desc[0].halen = 3;
	n->desc[0].idlist[0] = 1;
	n->desc[0].idlist[1] = 2;
	n->desc[0].idlist[2] = 3;
	n->desc[0].dhlen = ngroups;
	memcpy(n->desc[0].idlist + 30, groups, ngroups);
	return sizeof(*n) + sizeof(n->desc[0]);
}

/* A Reply with SHA-512 lengths (what the target picks from every hash); its response cannot match
 * the random challenge, so the stream goes on into Failure1, the closing path. */
static uint32_t reply(uint8_t *m, uint16_t dhvlen, bool bidirectional)
{
	struct nvme_auth_reply *r = (struct nvme_auth_reply *)m;
	memset(m, 0, sizeof(*r) + 128u + dhvlen);
	r->hdr.auth_type = NVME_AUTH_DHCHAP;
	r->hdr.auth_id = NVME_AUTH_REPLY;
	r->hdr.t_id = 1;
	r->hl = 64;
	r->cvalid = bidirectional;
	r->seqnum = 7;
	r->dhvlen = dhvlen;
	for (uint32_t i = 0; i < 128; i++)
		r->rval[i] = (uint8_t)(i * 13 + 1);
	if (dhvlen)
		r->rval[128 + dhvlen - 1] = 5;   /* y = 5: a valid group element */
	return sizeof(*r) + 128u + dhvlen;
}

static size_t auth_session(uint8_t *out, const uint8_t *groups, uint8_t ngroups, uint16_t dhvlen,
			   bool bidirectional)
{
	static uint8_t msg[2048];
	struct pb a = { .cid = 1 };
	size_t n = pb_icreq(&a, out);
	n += pb_connect(&a, out + n, 0, 0xffff, AUTH_SUBNQN, HOSTNQN);
	n += pb_identify(&a, out + n, NVME_ID_CNS_CTRL, 0);          /* refused: not yet */
	n += auth_cmd(&a, out + n, NVMF_FCTYPE_AUTH_SEND, msg, negotiate(msg, groups, ngroups));
	n += auth_cmd(&a, out + n, NVMF_FCTYPE_AUTH_RECV, NULL, 4096);
	n += auth_cmd(&a, out + n, NVMF_FCTYPE_AUTH_SEND, msg, reply(msg, dhvlen, bidirectional));
	n += auth_cmd(&a, out + n, NVMF_FCTYPE_AUTH_RECV, NULL, 4096);
	struct nvme_auth_success2 s2 = { .hdr = { .auth_type = NVME_AUTH_DHCHAP,
						  .auth_id = NVME_AUTH_SUCCESS2, .t_id = 1 } };
	n += auth_cmd(&a, out + n, NVMF_FCTYPE_AUTH_SEND, &s2, sizeof(s2));
	return n;
}

/* Messages out of turn: Success2 and Failure2 before anything, a Receive with nothing due. */
static size_t auth_out_of_turn(uint8_t *out)
{
	struct pb a = { .cid = 1 };
	size_t n = pb_icreq(&a, out);
	n += pb_connect(&a, out + n, 0, 0xffff, AUTH_SUBNQN, HOSTNQN);
	n += pb_prop_set_cc_enable(&a, out + n);
	struct nvme_auth_failure f2 = { .hdr = { .auth_id = NVME_AUTH_FAILURE2, .t_id = 9 },
					.rescode = 1, .rescode_exp = 1 };
	n += auth_cmd(&a, out + n, NVMF_FCTYPE_AUTH_RECV, NULL, 64);
	n += auth_cmd(&a, out + n, NVMF_FCTYPE_AUTH_SEND, &f2, sizeof(f2));
	return n;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: make_corpus DIR\n");
		return 2;
	}
	const char *dir = argv[1];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 31 + 7);
	int rc = 0;
	struct pb p = { .cid = 1 };
	rc |= save(dir, "icreq", pb_icreq(&p, buf));

	for (int dg = 0; dg < 2; dg++) {
		struct pb a = { .hdgst = dg, .ddgst = dg, .cid = 1 };
		size_t n = pb_icreq(&a, buf);
		n += pb_connect(&a, buf + n, 0, 0xffff, SUBNQN, HOSTNQN);
		n += pb_prop_set_cc_enable(&a, buf + n);
		n += pb_identify(&a, buf + n, NVME_ID_CNS_CTRL, 0);
		n += pb_identify(&a, buf + n, NVME_ID_CNS_NS_ACTIVE_LIST, 0);
		n += pb_identify(&a, buf + n, NVME_ID_CNS_NS, 1);
		n += pb_identify(&a, buf + n, NVME_ID_CNS_NS_DESC_LIST, 1);
		struct nvme_sqe nq = { .opcode = NVME_ADMIN_SET_FEATURES, .cdw10 = NVME_FEAT_NUM_QUEUES,
				       .cdw11 = 0x00030003 };
		n += pb_cmd(&a, buf + n, &nq, NULL, 0, 0);
		struct nvme_sqe ana = { .opcode = NVME_ADMIN_GET_LOG_PAGE,
					.cdw10 = NVME_LOG_ANA | (1023u << 16) };
		n += pb_cmd(&a, buf + n, &ana, NULL, 0, 4096);
		struct nvme_sqe aer = { .opcode = NVME_ADMIN_ASYNC_EVENT };
		n += pb_cmd(&a, buf + n, &aer, NULL, 0, 0);
		rc |= save(dir, dg ? "admin-bringup-digests" : "admin-bringup", n);
	}
	for (int dg = 0; dg < 2; dg++) {
		struct pb io = { .hdgst = dg, .ddgst = dg, .cid = 1 };
		rc |= save(dir, dg ? "io-incapsule-digests" : "io-incapsule", io_session(&io, false));
		struct pb io2 = { .hdgst = dg, .ddgst = dg, .cid = 1 };
		rc |= save(dir, dg ? "io-r2t-h2cdata-digests" : "io-r2t-h2cdata", io_session(&io2, true));
	}
	struct pb d = { .cid = 1 };
	size_t n = pb_icreq(&d, buf);
	n += pb_connect(&d, buf + n, 0, 0xffff, NVME_DISC_SUBSYS_NAME, HOSTNQN);
	n += pb_prop_set_cc_enable(&d, buf + n);
	n += pb_identify(&d, buf + n, NVME_ID_CNS_CTRL, 0);
	struct nvme_sqe log = { .opcode = NVME_ADMIN_GET_LOG_PAGE, .cdw10 = NVME_LOG_DISC | (1023u << 16) };
	n += pb_cmd(&d, buf + n, &log, NULL, 0, 4096);
	rc |= save(dir, "discovery", n);

	static const uint8_t all_groups[] = { 0, 1, 2, 3, 4, 5 }, ffdhe2048[] = { 1 };
	rc |= save(dir, "auth-null-dh", auth_session(buf, all_groups, 1, 0, false));
	rc |= save(dir, "auth-ffdhe2048-bidirectional", auth_session(buf, ffdhe2048, 1, 256, true));
	rc |= save(dir, "auth-all-groups", auth_session(buf, all_groups, 6, 256, false));
	rc |= save(dir, "auth-out-of-turn", auth_out_of_turn(buf));
	return rc;
}
