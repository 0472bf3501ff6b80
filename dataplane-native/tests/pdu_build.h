/*
 * pdu_build.h - host-side PDUs as bytes, for feeding the receive machine directly (unit tests)
 * and for writing the fuzzer's seed corpus.
 */
#ifndef WR_TEST_PDU_BUILD_H
#define WR_TEST_PDU_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nvme_proto.h"

struct pb {
	bool hdgst, ddgst;
	uint16_t cid;
};

size_t pb_icreq(const struct pb *p, uint8_t *out);
/* CapsuleCmd; data (len > 0) goes in-capsule with an offset SGL, otherwise a transport SGL of
 * xfer_len bytes is set. The command ID is taken from p->cid (incremented). */
size_t pb_cmd(struct pb *p, uint8_t *out, struct nvme_sqe *sqe, const void *data, uint32_t len,
	      uint32_t xfer_len);
size_t pb_h2c(const struct pb *p, uint8_t *out, uint16_t cid, uint16_t ttag, uint32_t offset,
	      const void *data, uint32_t len, bool last);
size_t pb_connect(struct pb *p, uint8_t *out, uint16_t qid, uint16_t cntlid, const char *subnqn,
		  const char *hostnqn);
size_t pb_prop_set_cc_enable(struct pb *p, uint8_t *out);
size_t pb_identify(struct pb *p, uint8_t *out, uint8_t cns, uint32_t nsid);
size_t pb_write(struct pb *p, uint8_t *out, uint32_t nsid, uint64_t slba, uint32_t nlb,
		const void *data, uint32_t len, bool in_capsule);
size_t pb_read(struct pb *p, uint8_t *out, uint32_t nsid, uint64_t slba, uint32_t nlb, uint32_t len);

#endif
