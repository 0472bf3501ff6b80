/* pdu_build.c - see pdu_build.h. */
#include <string.h>

#include "internal.h"
#include "pdu_build.h"

static size_t finish(const struct pb *p, uint8_t *out, uint8_t hlen, bool digests,
		     const void *data, uint32_t len)
{
	struct nvme_tcp_hdr *h = (struct nvme_tcp_hdr *)out;
	uint32_t hd = digests && p->hdgst ? 4 : 0, dd = digests && p->ddgst && len ? 4 : 0;
	h->hlen = hlen;
	h->flags |= (hd ? NVME_TCP_F_HDGST : 0) | (dd ? NVME_TCP_F_DDGST : 0);
	h->pdo = len ? (uint8_t)(hlen + hd) : 0;
	h->plen = hlen + hd + len + dd;
	if (hd) {
		uint32_t d = wr_digest(out, hlen);
		memcpy(out + hlen, &d, 4);
	}
	if (len)
		memcpy(out + hlen + hd, data, len);
	if (dd) {
		uint32_t d = wr_digest(data, len);
		memcpy(out + hlen + hd + len, &d, 4);
	}
	return h->plen;
}

size_t pb_icreq(const struct pb *p, uint8_t *out)
{
	struct nvme_tcp_icreq req = { 0 };
	req.hdr.type = NVME_TCP_ICREQ;
	req.digest = (p->hdgst ? NVME_TCP_HDGST_ENABLE : 0) | (p->ddgst ? NVME_TCP_DDGST_ENABLE : 0);
	memcpy(out, &req, sizeof(req));
	return finish(p, out, sizeof(req), false, NULL, 0);
}

size_t pb_cmd(struct pb *p, uint8_t *out, struct nvme_sqe *sqe, const void *data, uint32_t len,
	      uint32_t xfer_len)
{
	struct nvme_tcp_cmd_pdu pdu = { 0 };
	sqe->command_id = p->cid++;
	sqe->flags |= 0x40;
	memset(&sqe->dptr, 0, sizeof(sqe->dptr));
	sqe->dptr.type = len ? NVME_SGL_INCAPSULE : NVME_SGL_TRANSPORT;
	sqe->dptr.length = len ? len : xfer_len;
	pdu.hdr.type = NVME_TCP_CMD;
	pdu.sqe = *sqe;
	memcpy(out, &pdu, sizeof(pdu));
	return finish(p, out, sizeof(pdu), true, data, len);
}

size_t pb_h2c(const struct pb *p, uint8_t *out, uint16_t cid, uint16_t ttag, uint32_t offset,
	      const void *data, uint32_t len, bool last)
{
	struct nvme_tcp_data_pdu d = { 0 };
	d.hdr.type = NVME_TCP_H2C_DATA;
	d.hdr.flags = last ? NVME_TCP_F_DATA_LAST : 0;
	d.command_id = cid;
	d.ttag = ttag;
	d.data_offset = offset;
	d.data_length = len;
	memcpy(out, &d, sizeof(d));
	return finish(p, out, sizeof(d), true, data, len);
}

size_t pb_connect(struct pb *p, uint8_t *out, uint16_t qid, uint16_t cntlid, const char *subnqn,
		  const char *hostnqn)
{
	struct nvmf_connect_data d = { 0 };
	memset(d.hostid, 0x33, sizeof(d.hostid));
	d.cntlid = cntlid;
	strncpy(d.subsysnqn, subnqn, sizeof(d.subsysnqn) - 1);
	strncpy(d.hostnqn, hostnqn, sizeof(d.hostnqn) - 1);
	struct nvme_sqe sqe = { 0 };
	struct nvmf_connect_cmd *c = (struct nvmf_connect_cmd *)&sqe;
	c->opcode = NVME_FABRICS_OPCODE;
	c->fctype = NVMF_FCTYPE_CONNECT;
	c->qid = qid;
	c->sqsize = 31;
	return pb_cmd(p, out, &sqe, &d, sizeof(d), 0);
}

size_t pb_prop_set_cc_enable(struct pb *p, uint8_t *out)
{
	struct nvme_sqe sqe = { 0 };
	struct nvmf_property_set_cmd *c = (struct nvmf_property_set_cmd *)&sqe;
	c->opcode = NVME_FABRICS_OPCODE;
	c->fctype = NVMF_FCTYPE_PROPERTY_SET;
	c->offset = NVME_REG_CC;
	c->value = NVME_CC_ENABLE | 6u << NVME_CC_IOSQES_SHIFT | 4u << NVME_CC_IOCQES_SHIFT;
	return pb_cmd(p, out, &sqe, NULL, 0, 0);
}

size_t pb_identify(struct pb *p, uint8_t *out, uint8_t cns, uint32_t nsid)
{
	struct nvme_sqe sqe = { .opcode = NVME_ADMIN_IDENTIFY, .nsid = nsid, .cdw10 = cns };
	return pb_cmd(p, out, &sqe, NULL, 0, 4096);
}

size_t pb_write(struct pb *p, uint8_t *out, uint32_t nsid, uint64_t slba, uint32_t nlb,
		const void *data, uint32_t len, bool in_capsule)
{
	struct nvme_sqe sqe = { .opcode = NVME_CMD_WRITE, .nsid = nsid, .cdw10 = (uint32_t)slba,
				.cdw11 = (uint32_t)(slba >> 32), .cdw12 = nlb - 1 };
	return pb_cmd(p, out, &sqe, in_capsule ? data : NULL, in_capsule ? len : 0, len);
}

size_t pb_read(struct pb *p, uint8_t *out, uint32_t nsid, uint64_t slba, uint32_t nlb, uint32_t len)
{
	struct nvme_sqe sqe = { .opcode = NVME_CMD_READ, .nsid = nsid, .cdw10 = (uint32_t)slba,
				.cdw11 = (uint32_t)(slba >> 32), .cdw12 = nlb - 1 };
	return pb_cmd(p, out, &sqe, NULL, 0, len);
}
