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
	return rc;
}
