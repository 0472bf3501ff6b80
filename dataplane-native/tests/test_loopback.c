/*
 * Loopback integration test: a real target (reactor threads, sockets on 127.0.0.1, RAM block
 * devices) driven by the small NVMe/TCP host in host.c, including deliberately broken input.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <pthread.h>
#include <unistd.h>

#include <cmocka.h>

#include "host.h"
#include "internal.h"
#include "windrose.h"

#define SUBNQN "nqn.2026-11.dev.windrose:test"
#define PRIVNQN "nqn.2026-11.dev.windrose:private"
#define ALLOWED_HOST "nqn.2014-08.org.nvmexpress:uuid:aaaaaaaa-0000-0000-0000-000000000001"
#define AUTHNQN "nqn.2026-11.dev.windrose:auth"
/* nvme gen-dhchap-key --secret=000102...1f --hmac=0 -l 32, and the 48-byte one of 404142...6f */
#define HOST_SECRET "DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:"
#define CTRL_SECRET "DHHC-1:00:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9gYWJjZGVmZ2hpamtsbW5voBXMjQ==:"

static struct wr_target *target;
static uint16_t port, disc_port;

static int setup(void **state)
{
	(void)state;
	wr_set_log_level(1);
	if (wr_target_create(2, WR_MODE_ADAPTIVE, NULL, &target))
		return -1;
	if (wr_subsystem_create(target, WR_NAME(SUBNQN), "SN-TEST", NULL, WR_SUBSYS_ALLOW_ANY_HOST) ||
	    wr_ns_add(target, WR_NAME(SUBNQN), 1, WR_BDEV_KIND_RAM, NULL, 8 << 20, 0, NULL, NULL, 0) ||
	    wr_ns_add(target, WR_NAME(SUBNQN), 2, WR_BDEV_KIND_RAM, NULL, 1 << 20, 4096, NULL, NULL, 0))
		return -1;
	int p = wr_listener_add(target, WR_NAME(SUBNQN), "127.0.0.1", 0);
	if (p <= 0)
		return -1;
	port = (uint16_t)p;
	if (wr_subsystem_create(target, WR_NAME(PRIVNQN), NULL, NULL, 0) ||
	    wr_host_allow(target, WR_NAME(PRIVNQN), WR_NAME(ALLOWED_HOST)) ||
	    wr_ns_add(target, WR_NAME(PRIVNQN), 1, WR_BDEV_KIND_RAM, NULL, 1 << 20, 0, NULL, NULL, 0) ||
	    wr_listener_add(target, WR_NAME(PRIVNQN), "127.0.0.1", port) != port)
		return -1;
	p = wr_listener_add(target, WR_NAME(NVME_DISC_SUBSYS_NAME), "127.0.0.1", 0);
	if (p <= 0)
		return -1;
	disc_port = (uint16_t)p;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	wr_target_destroy(target);
	return 0;
}

static void fill_pattern(uint8_t *buf, size_t len, uint32_t seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)((i * 131u + seed * 7u) ^ (i >> 9));
}

static void session(bool hdgst, bool ddgst)
{
	struct th admin, io;
	struct nvme_cqe cqe;
	int cntlid = th_bringup_admin(&admin, port, SUBNQN, TH_HOSTNQN, hdgst, ddgst);
	assert_true(cntlid > 0);

	uint8_t page[4096] __attribute__((aligned(8)));
	assert_int_equal(th_identify(&admin, NVME_ID_CNS_CTRL, 0, page, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);

	assert_int_equal(th_open(&io, port), 0);
	assert_int_equal(th_icreq(&io, hdgst, ddgst), 0);
	assert_int_equal(th_connect(&io, SUBNQN, TH_HOSTNQN, 1, (uint16_t)cntlid, 0, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);

	static uint8_t out[128 * 1024], in[128 * 1024];
	/* 8 KiB in-capsule write, then 128 KiB through R2T and H2CData, read back both. */
	fill_pattern(out, sizeof(out), hdgst * 2 + ddgst);
	assert_int_equal(th_rw(&io, NVME_CMD_WRITE, 1, 16, 16, out, 8192, true, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	assert_int_equal(th_rw(&io, NVME_CMD_WRITE, 1, 64, 256, out, sizeof(out), false, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	memset(in, 0, sizeof(in));
	assert_int_equal(th_rw(&io, NVME_CMD_READ, 1, 16, 16, in, 8192, false, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	assert_memory_equal(in, out, 8192);
	assert_int_equal(th_rw(&io, NVME_CMD_READ, 1, 64, 256, in, sizeof(in), false, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	assert_memory_equal(in, out, sizeof(in));

	/* Compare: equal data succeeds, different data reports a compare failure. */
	assert_int_equal(th_rw(&io, NVME_CMD_COMPARE, 1, 64, 8, out, 4096, true, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	out[5] ^= 0xff;
	assert_int_equal(th_rw(&io, NVME_CMD_COMPARE, 1, 64, 8, out, 4096, true, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_COMPARE_FAILED);

	/* Flush, then Write Zeroes reads back as zeroes. */
	struct nvme_sqe sqe = { .opcode = NVME_CMD_FLUSH, .nsid = 1 };
	assert_int_equal(th_cmd(&io, &sqe, NULL, 0, false, NULL, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	struct nvme_sqe wz = { .opcode = NVME_CMD_WRITE_ZEROES, .nsid = 1, .cdw10 = 16, .cdw12 = 15 };
	assert_int_equal(th_cmd(&io, &wz, NULL, 0, false, NULL, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	assert_int_equal(th_rw(&io, NVME_CMD_READ, 1, 16, 16, in, 8192, false, &cqe), 0);
	static const uint8_t zeroes[8192];
	assert_memory_equal(in, zeroes, 8192);

	/* Dataset Management, deallocate two ranges. */
	struct nvme_dsm_range ranges[2] = { { .slba = 64, .nlb = 8 }, { .slba = 100, .nlb = 4 } };
	struct nvme_sqe dsm = { .opcode = NVME_CMD_DSM, .nsid = 1, .cdw10 = 1,
				.cdw11 = NVME_DSM_ATTR_DEALLOCATE };
	assert_int_equal(th_cmd(&io, &dsm, ranges, sizeof(ranges), true, NULL, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);

	th_close(&io);
	th_close(&admin);
}

static void session_with_header_and_data_digests_reads_back_what_it_wrote(void **state)
{
	(void)state;
	session(true, true);
}

static void session_without_digests_reads_back_what_it_wrote(void **state)
{
	(void)state;
	session(false, false);
}

static void session_with_header_digest_only_works(void **state)
{
	(void)state;
	session(true, false);
}

static void identify_controller_reports_what_linux_requires(void **state)
{
	(void)state;
	struct th h;
	struct nvme_cqe cqe;
	int cntlid = th_bringup_admin(&h, port, SUBNQN, TH_HOSTNQN, false, false);
	assert_true(cntlid > 0);
	uint8_t id[4096] __attribute__((aligned(8)));
	assert_int_equal(th_identify(&h, NVME_ID_CNS_CTRL, 0, id, &cqe), 0);
	uint32_t sgls, ioccsz, nn;
	uint16_t id_cntlid, maxcmd;
	memcpy(&sgls, id + 536, 4);
	memcpy(&ioccsz, id + 1792, 4);
	memcpy(&nn, id + 516, 4);
	memcpy(&id_cntlid, id + 78, 2);
	memcpy(&maxcmd, id + 514, 2);
	assert_true(sgls & 0x3);                       /* "Mandatory sgls are not supported!" */
	assert_int_equal(ioccsz, (64 + 8192) / 16);
	assert_int_equal(id_cntlid, cntlid);
	assert_int_equal(maxcmd, 128);
	assert_int_equal(nn, 1024);
	assert_string_equal((const char *)id + 768, SUBNQN);
	assert_int_equal(id[76] & 0x8, 0x8);           /* CMIC: ANA reporting */

	/* Active namespace list: 1 and 2. */
	assert_int_equal(th_identify(&h, NVME_ID_CNS_NS_ACTIVE_LIST, 0, id, &cqe), 0);
	uint32_t list[3];
	memcpy(list, id, sizeof(list));
	assert_int_equal(list[0], 1);
	assert_int_equal(list[1], 2);
	assert_int_equal(list[2], 0);

	/* Identify namespace 2: 1 MiB of 4 KiB blocks. */
	assert_int_equal(th_identify(&h, NVME_ID_CNS_NS, 2, id, &cqe), 0);
	uint64_t nsze;
	memcpy(&nsze, id, 8);
	assert_int_equal(nsze, 256);
	assert_int_equal(id[128 + 2], 12);            /* LBAF0 LBADS: 2^12 */

	/* Descriptors: NGUID and UUID differ between namespaces and are stable. */
	uint8_t d1[4096], d2[4096], again[4096];
	assert_int_equal(th_identify(&h, NVME_ID_CNS_NS_DESC_LIST, 1, d1, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	assert_int_equal(th_identify(&h, NVME_ID_CNS_NS_DESC_LIST, 2, d2, &cqe), 0);
	assert_int_equal(th_identify(&h, NVME_ID_CNS_NS_DESC_LIST, 1, again, &cqe), 0);
	assert_int_equal(d1[0], NVME_NIDT_NGUID);
	assert_int_equal(d1[1], 16);
	assert_int_equal(d1[20], NVME_NIDT_UUID);
	assert_memory_not_equal(d1 + 4, d2 + 4, 16);
	assert_memory_not_equal(d1 + 24, d2 + 24, 16);
	assert_memory_equal(d1, again, 64);

	/* Unknown namespace: an error status, and the queue still answers. */
	assert_int_equal(th_identify(&h, NVME_ID_CNS_NS_DESC_LIST, 77, d1, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_INVALID_NS);
	struct nvme_sqe bogus = { .opcode = 0xc5 };
	assert_int_equal(th_cmd(&h, &bogus, NULL, 0, false, NULL, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_INVALID_OPCODE);
	struct nvme_sqe ka = { .opcode = NVME_ADMIN_KEEP_ALIVE };
	assert_int_equal(th_cmd(&h, &ka, NULL, 0, false, NULL, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	th_close(&h);
}

/* An enabled controller of SUBNQN with one I/O queue (qid 1, no digests); returns its CNTLID. */
static int bring_up_admin_and_io_queue(struct th *admin, struct th *io)
{
	struct nvme_cqe cqe;
	int cntlid = th_bringup_admin(admin, port, SUBNQN, TH_HOSTNQN, false, false);
	assert_true(cntlid > 0);
	assert_int_equal(th_open(io, port), 0);
	assert_int_equal(th_icreq(io, false, false), 0);
	assert_int_equal(th_connect(io, SUBNQN, TH_HOSTNQN, 1, (uint16_t)cntlid, 0, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	return cntlid;
}

static void io_errors_get_a_status_and_the_queue_lives_on(void **state)
{
	(void)state;
	struct th admin, io;
	struct nvme_cqe cqe;
	int cntlid = bring_up_admin_and_io_queue(&admin, &io);
	uint8_t buf[4096] __attribute__((aligned(8))) = { 0 };
	/* ns 2 has 256 blocks: LBA 255 + 2 blocks runs past the end */
	assert_int_equal(th_rw(&io, NVME_CMD_READ, 2, 255, 2, buf, 8192 > sizeof(buf) ? 4096 : 4096,
			       false, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_LBA_RANGE);
	assert_int_equal(th_rw(&io, NVME_CMD_READ, 9, 0, 1, buf, 512, false, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_INVALID_NS);
	/* SGL length disagreeing with the block count */
	assert_int_equal(th_rw(&io, NVME_CMD_READ, 1, 0, 2, buf, 512, false, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_SGL_INVALID_DATA);
	assert_int_equal(th_rw(&io, NVME_CMD_READ, 2, 0, 1, buf, 4096, false, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	/* a write past the end is counted as a write error, apart from the three read errors */
	assert_int_equal(th_rw(&io, NVME_CMD_WRITE, 2, 255, 2, buf, 4096, false, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_LBA_RANGE);
	struct wr_qpair_stats qp[16];
	int64_t nq = wr_target_list_qpairs(target, qp, 16);
	int seen = 0;
	for (int64_t i = 0; i < nq; i++) {
		if (qp[i].cntlid != cntlid || qp[i].qid != 1 || strcmp(qp[i].subnqn, SUBNQN) != 0)
			continue;
		seen++;
		assert_int_equal(qp[i].read_errors, 3);
		assert_int_equal(qp[i].write_errors, 1);
		assert_int_equal(qp[i].other_errors, 0);
		assert_int_equal(qp[i].read_ops, 1);
	}
	assert_int_equal(seen, 1);
	/* A second Connect for the same queue ID is refused. */
	struct th dup;
	assert_int_equal(th_open(&dup, port), 0);
	assert_int_equal(th_icreq(&dup, false, false), 0);
	assert_int_equal(th_connect(&dup, SUBNQN, TH_HOSTNQN, 1, (uint16_t)cntlid, 0, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_CONNECT_INVALID_PARAM);
	th_close(&dup);
	th_close(&io);
	th_close(&admin);
}

static void expect_termreq(struct th *h, uint16_t fes)
{
	uint8_t buf[512] __attribute__((aligned(8)));
	int rc = th_recv_pdu(h, buf, sizeof(buf));
	assert_int_equal(rc, TH_TERM);
	assert_int_equal(h->last_fes, fes);
	assert_int_equal(th_wait_closed(h), 1);
}

static void bad_plen_gets_c2h_termreq_then_close(void **state)
{
	(void)state;
	struct th h;
	assert_int_equal(th_open(&h, port), 0);
	assert_int_equal(th_icreq(&h, false, false), 0);
	struct nvme_tcp_cmd_pdu pdu = { 0 };
	pdu.hdr.type = NVME_TCP_CMD;
	pdu.hdr.hlen = sizeof(pdu);
	pdu.hdr.plen = 40;                   /* shorter than its own header */
	assert_int_equal(th_send(&h, &pdu, sizeof(pdu)), 0);
	expect_termreq(&h, NVME_TCP_FES_INVALID_PDU_HDR);
	assert_int_equal(h.last_fei, 4);    /* the PLEN field */
	th_close(&h);
}

static void unknown_pdu_type_gets_c2h_termreq_then_close(void **state)
{
	(void)state;
	struct th h;
	assert_int_equal(th_open(&h, port), 0);
	assert_int_equal(th_icreq(&h, false, false), 0);
	uint8_t pdu[24] __attribute__((aligned(8))) = { 0x42, 0, 24, 0, 24, 0, 0, 0 };
	assert_int_equal(th_send(&h, pdu, sizeof(pdu)), 0);
	expect_termreq(&h, NVME_TCP_FES_INVALID_PDU_HDR);
	th_close(&h);
}

static void header_digest_mismatch_gets_c2h_termreq_then_close(void **state)
{
	(void)state;
	struct th h;
	assert_int_equal(th_open(&h, port), 0);
	assert_int_equal(th_icreq(&h, true, false), 0);
	uint8_t buf[76] __attribute__((aligned(8))) = { 0 };
	struct nvme_tcp_cmd_pdu *pdu = (struct nvme_tcp_cmd_pdu *)buf;
	pdu->hdr.type = NVME_TCP_CMD;
	pdu->hdr.flags = NVME_TCP_F_HDGST;
	pdu->hdr.hlen = 72;
	pdu->hdr.plen = 76;
	uint32_t wrong = wr_digest(buf, 72) ^ 1;
	memcpy(buf + 72, &wrong, 4);
	assert_int_equal(th_send(&h, buf, sizeof(buf)), 0);
	expect_termreq(&h, NVME_TCP_FES_HDR_DIGEST_ERR);
	th_close(&h);
}

static void data_digest_mismatch_gets_c2h_termreq_then_close(void **state)
{
	(void)state;
	struct th h;
	assert_int_equal(th_open(&h, port), 0);
	assert_int_equal(th_icreq(&h, false, true), 0);
	uint8_t buf[72 + 1024 + 4] __attribute__((aligned(8))) = { 0 };
	struct nvme_tcp_cmd_pdu *pdu = (struct nvme_tcp_cmd_pdu *)buf;
	pdu->hdr.type = NVME_TCP_CMD;
	pdu->hdr.flags = NVME_TCP_F_DDGST;
	pdu->hdr.hlen = 72;
	pdu->hdr.pdo = 72;
	pdu->hdr.plen = sizeof(buf);
	pdu->sqe.opcode = NVME_FABRICS_OPCODE;
	pdu->sqe.cdw2 = 0;
	((struct nvmf_connect_cmd *)&pdu->sqe)->fctype = NVMF_FCTYPE_CONNECT;
	pdu->sqe.dptr.type = NVME_SGL_INCAPSULE;
	pdu->sqe.dptr.length = 1024;
	uint32_t wrong = wr_digest(buf + 72, 1024) ^ 0x100;
	memcpy(buf + 72 + 1024, &wrong, 4);
	assert_int_equal(th_send(&h, buf, sizeof(buf)), 0);
	expect_termreq(&h, NVME_TCP_FES_DATA_DIGEST_ERR);
	th_close(&h);
}

static void h2cdata_outside_the_r2t_window_gets_c2h_termreq(void **state)
{
	(void)state;
	struct th admin, io;
	bring_up_admin_and_io_queue(&admin, &io);
	struct nvme_tcp_cmd_pdu pdu = { 0 };
	pdu.hdr.type = NVME_TCP_CMD;
	pdu.hdr.hlen = 72;
	pdu.hdr.plen = 72;
	pdu.sqe.opcode = NVME_CMD_WRITE;
	pdu.sqe.command_id = 9;
	pdu.sqe.nsid = 1;
	pdu.sqe.dptr.type = NVME_SGL_TRANSPORT;
	pdu.sqe.dptr.length = 4096;
	pdu.sqe.cdw12 = 7;
	assert_int_equal(th_send(&io, &pdu, sizeof(pdu)), 0);
	uint8_t buf[512] __attribute__((aligned(8)));
	assert_int_equal(th_recv_pdu(&io, buf, sizeof(buf)), 24);
	const struct nvme_tcp_r2t_pdu *r2t = (const struct nvme_tcp_r2t_pdu *)buf;
	assert_int_equal(r2t->hdr.type, NVME_TCP_R2T);
	assert_int_equal(r2t->r2t_length, 4096);
	uint8_t h2c[24 + 512] __attribute__((aligned(8))) = { 0 };
	struct nvme_tcp_data_pdu *d = (struct nvme_tcp_data_pdu *)h2c;
	d->hdr.type = NVME_TCP_H2C_DATA;
	d->hdr.hlen = 24;
	d->hdr.pdo = 24;
	d->hdr.plen = sizeof(h2c);
	d->command_id = 9;
	d->ttag = r2t->ttag;
	d->data_offset = 4000;               /* 4000 + 512 > 4096 */
	d->data_length = 512;
	assert_int_equal(th_send(&io, h2c, sizeof(h2c)), 0);
	expect_termreq(&io, NVME_TCP_FES_DATA_OUT_OF_RANGE);
	th_close(&io);
	th_close(&admin);
}

static void io_before_connect_is_a_command_sequence_error(void **state)
{
	(void)state;
	struct th h;
	struct nvme_cqe cqe;
	assert_int_equal(th_open(&h, port), 0);
	assert_int_equal(th_icreq(&h, false, false), 0);
	uint8_t buf[512] __attribute__((aligned(8)));
	assert_int_equal(th_rw(&h, NVME_CMD_READ, 1, 0, 1, buf, 512, false, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_CMD_SEQ_ERROR);
	th_close(&h);
}

static void disallowed_host_is_refused_at_connect(void **state)
{
	(void)state;
	struct th h;
	struct nvme_cqe cqe;
	assert_int_equal(th_open(&h, port), 0);
	assert_int_equal(th_icreq(&h, false, false), 0);
	assert_int_equal(th_connect(&h, PRIVNQN, TH_HOSTNQN, 0, 0xffff, 0, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_CONNECT_INVALID_HOST);
	th_close(&h);
	int cntlid = th_bringup_admin(&h, port, PRIVNQN, ALLOWED_HOST, false, false);
	assert_true(cntlid > 0);
	th_close(&h);
	/* An unknown subsystem names the SUBNQN field. */
	assert_int_equal(th_open(&h, port), 0);
	assert_int_equal(th_icreq(&h, false, false), 0);
	assert_int_equal(th_connect(&h, "nqn.2026-11.dev.windrose:nope", TH_HOSTNQN, 0, 0xffff, 0, 0,
				    &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_CONNECT_INVALID_PARAM);
	assert_int_equal(cqe.result & 0xffffffff, 1u << 16 | 256);
	th_close(&h);
}

/* Connect's NQN fields end at their NUL and are compared by length: a prefix or an extension of an
 * allowed host is another host, and a name with control characters or bidi overrides (which would
 * reach the log and the console) is refused as malformed, naming the field. */
static void connect_compares_nqns_exactly_and_refuses_control_characters(void **state)
{
	(void)state;
	struct th h;
	struct nvme_cqe cqe;
	static const struct {
		const char *subnqn, *hostnqn;
		uint16_t status;
		uint32_t ipo;      /* 0: not checked */
	} cases[] = {
		{ PRIVNQN, "nqn.2014-08.org.nvmexpress:uuid:aaaaaaaa-0000-0000-0000-00000000000",
		  NVME_SC_CONNECT_INVALID_HOST, 512 },
		{ PRIVNQN, ALLOWED_HOST "x", NVME_SC_CONNECT_INVALID_HOST, 512 },
		{ PRIVNQN, ALLOWED_HOST "\r\n\x1b[2J", NVME_SC_CONNECT_INVALID_PARAM, 512 },
		{ PRIVNQN, ALLOWED_HOST "\xe2\x80\xae", NVME_SC_CONNECT_INVALID_PARAM, 512 },
		{ PRIVNQN, ALLOWED_HOST "\xff", NVME_SC_CONNECT_INVALID_PARAM, 512 },
		{ PRIVNQN "\x1b", ALLOWED_HOST, NVME_SC_CONNECT_INVALID_PARAM, 256 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(th_open(&h, port), 0);
		assert_int_equal(th_icreq(&h, false, false), 0);
		assert_int_equal(th_connect(&h, cases[i].subnqn, cases[i].hostnqn, 0, 0xffff, 0, 0, &cqe), 0);
		if (th_status(&cqe) != cases[i].status || (cqe.result & 0xffff) != cases[i].ipo)
			fail_msg("case %zu: status 0x%x, offset %u", i, th_status(&cqe),
				 (unsigned)(cqe.result & 0xffff));
		th_close(&h);
	}
}

static int read_discovery(const char *hostnqn, uint8_t *log, uint32_t len)
{
	struct th h;
	struct nvme_cqe cqe;
	int cntlid = th_bringup_admin(&h, disc_port, NVME_DISC_SUBSYS_NAME, hostnqn, false, false);
	if (cntlid <= 0)
		return -1;
	struct nvme_sqe sqe = { .opcode = NVME_ADMIN_GET_LOG_PAGE };
	sqe.cdw10 = NVME_LOG_DISC | ((len / 4 - 1) << 16);
	int rc = th_cmd(&h, &sqe, NULL, 0, false, log, len, &cqe);
	th_close(&h);
	return rc ? rc : th_status(&cqe);
}

static uint64_t net_counter(uint32_t which)
{
	uint64_t v[WR_NET_COUNTERS];
	assert_int_equal(wr_target_net_counters(target, v, WR_NET_COUNTERS), WR_NET_COUNTERS);
	return v[which];
}

/* A subsystem whose one host must authenticate (bidirectionally if it wants), for one test. */
static void auth_subsys_up(void)
{
	assert_int_equal(wr_subsystem_create(target, WR_NAME(AUTHNQN), NULL, NULL, 0), 0);
	assert_int_equal(wr_host_allow(target, WR_NAME(AUTHNQN), WR_NAME(TH_HOSTNQN)), 0);
	assert_int_equal(wr_host_set_dhchap(target, WR_NAME(AUTHNQN), WR_NAME(TH_HOSTNQN), HOST_SECRET,
					    NULL, CTRL_SECRET), 0);
	assert_int_equal(wr_subsystem_set_dhchap_policy(target, WR_NAME(AUTHNQN), WR_DHCHAP_HASH_ALL,
							WR_DHCHAP_DH_FFDHE2048), 0);
	assert_int_equal(wr_ns_add(target, WR_NAME(AUTHNQN), 1, WR_BDEV_KIND_RAM, NULL, 1 << 20, 0,
				   NULL, NULL, 0), 0);
	assert_int_equal(wr_listener_add(target, WR_NAME(AUTHNQN), "127.0.0.1", port), port);
}

static void auth_subsys_down(void)
{
	assert_int_equal(wr_subsystem_delete(target, WR_NAME(AUTHNQN)), 0);
}

/* ICReq and Connect on one queue of AUTHNQN; the Connect must ask for authentication. */
static void auth_queue_connect(struct th *h, uint16_t qid, uint16_t cntlid, struct nvme_cqe *cqe)
{
	assert_int_equal(th_open(h, port), 0);
	assert_int_equal(th_icreq(h, false, false), 0);
	assert_int_equal(th_connect(h, AUTHNQN, TH_HOSTNQN, qid, cntlid, 0, 0, cqe), 0);
	assert_int_equal(th_status(cqe), 0);
	assert_true(cqe->result & NVMF_CONNECT_AUTHREQ_ATR);
}

static void dhchap_host_authenticates_admin_and_io_queues_before_anything_else(void **state)
{
	(void)state;
	auth_subsys_up();
	struct th admin, io;
	struct nvme_cqe cqe;
	uint64_t ok_before = net_counter(WR_NET_AUTH_SUCCESSES);
	auth_queue_connect(&admin, 0, NVMF_CNTLID_DYNAMIC, &cqe);
	uint16_t cntlid = (uint16_t)cqe.result;

	/* Until it has authenticated only Property Get (and the auth commands) are answered. */
	uint8_t page[4096] __attribute__((aligned(8)));
	assert_int_equal(th_identify(&admin, NVME_ID_CNS_CTRL, 0, page, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_AUTH_REQUIRED);
	assert_int_equal(th_prop_set(&admin, NVME_REG_CC, 1), NVME_SC_AUTH_REQUIRED);
	uint64_t vs = 0;
	assert_int_equal(th_prop_get(&admin, NVME_REG_VS, false, &vs), 0);

	struct th_auth_result res;
	assert_int_equal(th_auth(&admin, AUTHNQN, TH_HOSTNQN, HOST_SECRET, CTRL_SECRET, &res), 0);
	assert_int_equal(res.status, 0);
	assert_int_equal(res.failure1_exp, 0);
	assert_int_equal(res.hash, NVME_AUTH_SHA512);
	assert_int_equal(res.dhgroup, NVME_AUTH_FFDHE2048);
	assert_true(res.ctrl_verified);
	assert_int_equal(th_prop_set(&admin, NVME_REG_CC, 1 | 6u << 16 | 4u << 20), 0);
	assert_int_equal(th_identify(&admin, NVME_ID_CNS_CTRL, 0, page, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);

	/* The I/O queue authenticates on its own (unidirectionally this time), then serves I/O. */
	auth_queue_connect(&io, 1, cntlid, &cqe);
	uint8_t buf[4096];
	assert_int_equal(th_rw(&io, NVME_CMD_READ, 1, 0, 8, buf, sizeof(buf), false, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_AUTH_REQUIRED);
	assert_int_equal(th_auth(&io, AUTHNQN, TH_HOSTNQN, HOST_SECRET, NULL, &res), 0);
	assert_int_equal(res.status, 0);
	assert_int_equal(res.failure1_exp, 0);
	assert_int_equal(th_rw(&io, NVME_CMD_READ, 1, 0, 8, buf, sizeof(buf), false, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	assert_int_equal(net_counter(WR_NET_AUTH_SUCCESSES), ok_before + 2);
	th_close(&io);
	th_close(&admin);
	auth_subsys_down();
}

static void dhchap_wrong_or_missing_secret_is_refused_and_counted(void **state)
{
	(void)state;
	auth_subsys_up();
	struct th admin;
	struct nvme_cqe cqe;
	uint64_t failed_before = net_counter(WR_NET_AUTH_FAILURES);
	/* the wrong secret: AUTH_Failure1 (authentication failed), then the queue is closed */
	auth_queue_connect(&admin, 0, NVMF_CNTLID_DYNAMIC, &cqe);
	struct th_auth_result res;
	assert_int_equal(th_auth(&admin, AUTHNQN, TH_HOSTNQN, CTRL_SECRET, NULL, &res), 0);
	assert_int_equal(res.failure1_exp, NVME_AUTH_EXP_FAILED);
	assert_int_equal(th_wait_closed(&admin), 1);
	th_close(&admin);
	assert_int_equal(net_counter(WR_NET_AUTH_FAILURES), failed_before + 1);

	/* the right host secret, but it asks for a controller response with the wrong secret:
	 * Success1's response does not verify (the host would send Failure2) */
	auth_queue_connect(&admin, 0, NVMF_CNTLID_DYNAMIC, &cqe);
	assert_int_equal(th_auth(&admin, AUTHNQN, TH_HOSTNQN, HOST_SECRET, HOST_SECRET, &res), 0);
	assert_false(res.ctrl_verified);
	th_close(&admin);

	/* no authentication at all: nothing but the auth commands is served, and the queue is
	 * closed at the Connect deadline (here the admission default of 10 s is too long for a
	 * test: the deadline is checked in test_admission; here the refusal is). */
	auth_queue_connect(&admin, 0, NVMF_CNTLID_DYNAMIC, &cqe);
	struct nvme_sqe ka = { .opcode = NVME_ADMIN_KEEP_ALIVE };
	assert_int_equal(th_cmd(&admin, &ka, NULL, 0, false, NULL, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_AUTH_REQUIRED);
	th_close(&admin);

	/* a host without a secret on a subsystem that has none: no authentication asked */
	assert_int_equal(th_open(&admin, port), 0);
	assert_int_equal(th_icreq(&admin, false, false), 0);
	assert_int_equal(th_connect(&admin, SUBNQN, TH_HOSTNQN, 0, NVMF_CNTLID_DYNAMIC, 0, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	assert_false(cqe.result & NVMF_CONNECT_AUTHREQ_ATR);
	th_close(&admin);
	auth_subsys_down();
}

static void dhchap_secrets_are_checked_and_rotation_accepts_both(void **state)
{
	(void)state;
	auth_subsys_up();
	assert_int_equal(wr_host_set_dhchap(target, WR_NAME(AUTHNQN), WR_NAME(TH_HOSTNQN),
					    "DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh6KfiaR:", NULL, NULL),
			 -EBADMSG);
	assert_int_equal(wr_host_set_dhchap(target, WR_NAME(AUTHNQN), WR_NAME(TH_HOSTNQN), HOST_SECRET,
					    NULL, HOST_SECRET), -EINVAL);
	assert_int_equal(wr_host_set_dhchap(target, WR_NAME(AUTHNQN), WR_NAME(ALLOWED_HOST), HOST_SECRET,
					    NULL, NULL), -ENOENT);
	assert_int_equal(wr_subsystem_set_dhchap_policy(target, WR_NAME(AUTHNQN), 1u << 4, WR_DHCHAP_DH_ALL),
			 -EINVAL);
	assert_int_equal(wr_subsystem_set_dhchap_policy(target, WR_NAME(AUTHNQN), WR_DHCHAP_HASH_ALL, 0),
			 -EINVAL);
	/* rotate to the 48-byte secret: during the grace period the old one still works */
	const char *next = "DHHC-1:00:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9gYWJjZGVmZ2hpamtsbW5voBXMjQ==:";
	assert_int_equal(wr_host_set_dhchap(target, WR_NAME(AUTHNQN), WR_NAME(TH_HOSTNQN), next,
					    HOST_SECRET, NULL), 0);
	const char *both[] = { HOST_SECRET, next };
	for (int i = 0; i < 2; i++) {
		struct th admin;
		struct nvme_cqe cqe;
		struct th_auth_result res;
		auth_queue_connect(&admin, 0, NVMF_CNTLID_DYNAMIC, &cqe);
		assert_int_equal(th_auth(&admin, AUTHNQN, TH_HOSTNQN, both[i], NULL, &res), 0);
		assert_int_equal(res.failure1_exp, 0);
		assert_int_equal(res.status, 0);
		th_close(&admin);
	}
	/* the grace period ends: the old secret is refused */
	assert_int_equal(wr_host_set_dhchap(target, WR_NAME(AUTHNQN), WR_NAME(TH_HOSTNQN), next, NULL, NULL), 0);
	struct th admin;
	struct nvme_cqe cqe;
	struct th_auth_result res;
	auth_queue_connect(&admin, 0, NVMF_CNTLID_DYNAMIC, &cqe);
	assert_int_equal(th_auth(&admin, AUTHNQN, TH_HOSTNQN, HOST_SECRET, NULL, &res), 0);
	assert_int_equal(res.failure1_exp, NVME_AUTH_EXP_FAILED);
	th_close(&admin);
	/* cleared: no authentication is asked any more */
	assert_int_equal(wr_host_set_dhchap(target, WR_NAME(AUTHNQN), WR_NAME(TH_HOSTNQN), NULL, NULL, NULL), 0);
	assert_int_equal(th_open(&admin, port), 0);
	assert_int_equal(th_icreq(&admin, false, false), 0);
	assert_int_equal(th_connect(&admin, AUTHNQN, TH_HOSTNQN, 0, NVMF_CNTLID_DYNAMIC, 0, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	assert_false(cqe.result & NVMF_CONNECT_AUTHREQ_ATR);
	th_close(&admin);
	auth_subsys_down();
}

static void discovery_log_shows_a_host_only_its_subsystems(void **state)
{
	(void)state;
	static uint8_t log[4096] __attribute__((aligned(8)));
	assert_int_equal(read_discovery(TH_HOSTNQN, log, sizeof(log)), 0);
	const struct nvmf_disc_log_hdr *hdr = (const void *)log;
	const struct nvmf_disc_log_entry *e = (const void *)(hdr + 1);
	assert_int_equal(hdr->numrec, 1);
	assert_string_equal(e->subnqn, SUBNQN);
	assert_int_equal(e->trtype, NVMF_TRTYPE_TCP);
	assert_int_equal(e->adrfam, NVMF_ADRFAM_IPV4);
	assert_string_equal(e->traddr, "127.0.0.1");
	assert_int_equal(atoi(e->trsvcid), port);
	assert_int_equal(read_discovery(ALLOWED_HOST, log, sizeof(log)), 0);
	assert_int_equal(hdr->numrec, 2);
	/* The discovery subsystem is reachable on an I/O listener as well. */
	struct th h;
	assert_true(th_bringup_admin(&h, port, NVME_DISC_SUBSYS_NAME, TH_HOSTNQN, false, false) > 0);
	th_close(&h);
}

static void namespace_changes_raise_an_async_event(void **state)
{
	(void)state;
	struct th h;
	struct nvme_cqe cqe;
	assert_true(th_bringup_admin(&h, port, SUBNQN, TH_HOSTNQN, false, false) > 0);
	struct nvme_sqe cfg = { .opcode = NVME_ADMIN_SET_FEATURES, .cdw10 = NVME_FEAT_ASYNC_EVENT,
				.cdw11 = NVME_AEN_CFG_NS_ATTR | NVME_AEN_CFG_ANA_CHANGE };
	assert_int_equal(th_cmd(&h, &cfg, NULL, 0, false, NULL, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	/* Send the AER without waiting, change the configuration, then the AER must complete. */
	struct nvme_tcp_cmd_pdu pdu = { 0 };
	pdu.hdr.type = NVME_TCP_CMD;
	pdu.hdr.hlen = 72;
	pdu.hdr.plen = 72;
	pdu.sqe.opcode = NVME_ADMIN_ASYNC_EVENT;
	pdu.sqe.command_id = 0x777;
	pdu.sqe.dptr.type = NVME_SGL_TRANSPORT;
	assert_int_equal(th_send(&h, &pdu, sizeof(pdu)), 0);
	usleep(50 * 1000);
	assert_int_equal(wr_ns_add(target, WR_NAME(SUBNQN), 5, WR_BDEV_KIND_NULL, NULL, 1 << 20, 0, NULL, NULL,
				   0), 0);
	uint8_t buf[512] __attribute__((aligned(8)));
	assert_int_equal(th_recv_pdu(&h, buf, sizeof(buf)), 24);
	const struct nvme_tcp_rsp_pdu *rsp = (const void *)buf;
	assert_int_equal(rsp->cqe.command_id, 0x777);
	assert_int_equal(rsp->cqe.result & 0xffffff, 0x040002);   /* notice, ns changed, log 04h */
	uint8_t log[4096] __attribute__((aligned(8)));
	struct nvme_sqe get = { .opcode = NVME_ADMIN_GET_LOG_PAGE,
				.cdw10 = NVME_LOG_CHANGED_NS | (1023u << 16) };
	assert_int_equal(th_cmd(&h, &get, NULL, 0, false, log, sizeof(log), &cqe), 0);
	uint32_t first;
	memcpy(&first, log, 4);
	assert_int_equal(first, 5);
	assert_int_equal(wr_ns_remove(target, WR_NAME(SUBNQN), 5), 0);
	assert_int_equal(wr_ns_remove(target, WR_NAME(SUBNQN), 5), -ENOENT);
	th_close(&h);
}

static uint64_t id_ns_u64(const uint8_t *page, size_t off)
{
	uint64_t v;
	memcpy(&v, page + off, 8);
	return v;
}

/* wr_ns_resize: Identify Namespace shows the new size at once, the host hears about it through an
 * AER and the Changed Namespace List, and the new blocks take I/O; shrink and unknown refused. */
static void growing_a_namespace_shows_the_new_size_and_raises_an_async_event(void **state)
{
	(void)state;
	const uint32_t nsid = 7;
	assert_int_equal(wr_ns_add(target, WR_NAME(SUBNQN), nsid, WR_BDEV_KIND_RAM, NULL, 1 << 20, 0, NULL, NULL,
				   0), 0);
	struct th h, io;
	struct nvme_cqe cqe;
	int cntlid = th_bringup_admin(&h, port, SUBNQN, TH_HOSTNQN, false, false);
	assert_true(cntlid > 0);
	uint8_t page[4096] __attribute__((aligned(8)));
	assert_int_equal(th_identify(&h, NVME_ID_CNS_NS, nsid, page, &cqe), 0);
	assert_int_equal(id_ns_u64(page, 0), 2048);                      /* NSZE, 512-byte blocks */
	struct nvme_sqe cfg = { .opcode = NVME_ADMIN_SET_FEATURES, .cdw10 = NVME_FEAT_ASYNC_EVENT,
				.cdw11 = NVME_AEN_CFG_NS_ATTR };
	assert_int_equal(th_cmd(&h, &cfg, NULL, 0, false, NULL, 0, &cqe), 0);
	struct nvme_tcp_cmd_pdu pdu = { 0 };
	pdu.hdr.type = NVME_TCP_CMD;
	pdu.hdr.hlen = 72;
	pdu.hdr.plen = 72;
	pdu.sqe.opcode = NVME_ADMIN_ASYNC_EVENT;
	pdu.sqe.command_id = 0x778;
	pdu.sqe.dptr.type = NVME_SGL_TRANSPORT;
	assert_int_equal(th_send(&h, &pdu, sizeof(pdu)), 0);
	usleep(50 * 1000);

	assert_int_equal(wr_ns_resize(target, WR_NAME(SUBNQN), nsid, 1 << 19), -EINVAL);   /* shrink */
	assert_int_equal(wr_ns_resize(target, WR_NAME(SUBNQN), nsid, (1 << 20) + 1), -EINVAL);
	assert_int_equal(wr_ns_resize(target, WR_NAME(SUBNQN), 99, 4 << 20), -ENOENT);
	assert_int_equal(wr_ns_resize(target, WR_NAME(PRIVNQN "x"), nsid, 4 << 20), -ENOENT);
	assert_int_equal(wr_ns_resize(target, WR_NAME(SUBNQN), nsid, 1 << 20), 0);         /* same: no event */
	assert_int_equal(wr_ns_resize(target, WR_NAME(SUBNQN), nsid, 4 << 20), 0);

	uint8_t buf[512] __attribute__((aligned(8)));
	assert_int_equal(th_recv_pdu(&h, buf, sizeof(buf)), 24);
	const struct nvme_tcp_rsp_pdu *rsp = (const void *)buf;
	assert_int_equal(rsp->cqe.command_id, 0x778);
	assert_int_equal(rsp->cqe.result & 0xffffff, 0x040002);   /* notice, ns changed, log 04h */
	struct nvme_sqe get = { .opcode = NVME_ADMIN_GET_LOG_PAGE,
				.cdw10 = NVME_LOG_CHANGED_NS | (1023u << 16) };
	assert_int_equal(th_cmd(&h, &get, NULL, 0, false, page, sizeof(page), &cqe), 0);
	uint32_t list[2];
	memcpy(list, page, sizeof(list));
	assert_int_equal(list[0], nsid);
	assert_int_equal(list[1], 0);
	assert_int_equal(th_identify(&h, NVME_ID_CNS_NS, nsid, page, &cqe), 0);
	assert_int_equal(id_ns_u64(page, 0), 8192);   /* NSZE */
	assert_int_equal(id_ns_u64(page, 8), 8192);   /* NCAP */
	assert_int_equal(id_ns_u64(page, 16), 8192);  /* NUSE */

	/* the new last blocks take I/O; the block after them is still out of range */
	assert_int_equal(th_open(&io, port), 0);
	assert_int_equal(th_icreq(&io, false, false), 0);
	assert_int_equal(th_connect(&io, SUBNQN, TH_HOSTNQN, 1, (uint16_t)cntlid, 0, 0, &cqe), 0);
	uint8_t data[4096] __attribute__((aligned(8))), back[4096] __attribute__((aligned(8)));
	fill_pattern(data, sizeof(data), 41);
	assert_int_equal(th_rw(&io, NVME_CMD_WRITE, nsid, 8192 - 8, 8, data, sizeof(data), false, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	assert_int_equal(th_rw(&io, NVME_CMD_READ, nsid, 8192 - 8, 8, back, sizeof(back), false, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	assert_memory_equal(data, back, sizeof(data));
	assert_int_equal(th_rw(&io, NVME_CMD_READ, nsid, 8192, 1, back, 512, false, &cqe), 0);
	assert_int_not_equal(th_status(&cqe), 0);
	th_close(&io);
	th_close(&h);
	assert_int_equal(wr_ns_remove(target, WR_NAME(SUBNQN), nsid), 0);
}

struct resize_steps {
	uint32_t nsid;
	uint32_t mib;   /* grow 1 MiB at a time up to this */
	int failures;
};

static void *grow_step_by_step(void *arg)
{
	struct resize_steps *r = arg;
	for (uint32_t m = 2; m <= r->mib; m++) {
		if (wr_ns_resize(target, WR_NAME(SUBNQN), r->nsid, (uint64_t)m << 20) != 0)
			r->failures++;
		usleep(3000);
	}
	return NULL;
}

/* Writes and reads race a resize running on another thread: every command either lands inside the
 * namespace as it was when checked (and reads back what it wrote) or is refused with LBA Out of
 * Range, never a crash (the RAM device's new pages are made writable before the size is published;
 * ASan/UBSan run this too) and never a wrong answer. */
static void io_racing_a_resize_lands_or_is_refused_never_wrong(void **state)
{
	(void)state;
	const uint32_t nsid = 8, mib = 32;
	assert_int_equal(wr_ns_add(target, WR_NAME(SUBNQN), nsid, WR_BDEV_KIND_RAM, NULL, 1 << 20, 0, NULL, NULL,
				   0), 0);
	struct th admin, io;
	struct nvme_cqe cqe;
	int cntlid = th_bringup_admin(&admin, port, SUBNQN, TH_HOSTNQN, false, false);
	assert_true(cntlid > 0);
	assert_int_equal(th_open(&io, port), 0);
	assert_int_equal(th_icreq(&io, false, false), 0);
	assert_int_equal(th_connect(&io, SUBNQN, TH_HOSTNQN, 1, (uint16_t)cntlid, 0, 0, &cqe), 0);

	struct resize_steps r = { .nsid = nsid, .mib = mib };
	pthread_t grower;
	assert_int_equal(pthread_create(&grower, NULL, grow_step_by_step, &r), 0);
	uint8_t data[4096] __attribute__((aligned(8))), back[4096] __attribute__((aligned(8)));
	uint32_t refused = 0;
	for (uint32_t m = 1; m <= mib; m++) {
		/* the last 4 KiB of MiB m: refused until the grower got there, then it must take */
		const uint64_t lba = (uint64_t)m * 2048 - 8;
		fill_pattern(data, sizeof(data), m);
		const uint64_t deadline = wr_now_ns() + 10000000000ull;
		for (;;) {
			assert_int_equal(th_rw(&io, NVME_CMD_WRITE, nsid, lba, 8, data, sizeof(data), false, &cqe), 0);
			if (th_status(&cqe) == 0)
				break;
			assert_int_equal(th_status(&cqe), NVME_SC_LBA_RANGE);
			refused++;
			assert_true(wr_now_ns() < deadline);
		}
		assert_int_equal(th_rw(&io, NVME_CMD_READ, nsid, lba, 8, back, sizeof(back), false, &cqe), 0);
		assert_int_equal(th_status(&cqe), 0);
		assert_memory_equal(back, data, sizeof(data));
	}
	assert_int_equal(pthread_join(grower, NULL), 0);
	assert_int_equal(r.failures, 0);
	/* everything written while it grew is still there */
	for (uint32_t m = 1; m <= mib; m++) {
		fill_pattern(data, sizeof(data), m);
		assert_int_equal(th_rw(&io, NVME_CMD_READ, nsid, (uint64_t)m * 2048 - 8, 8, back, sizeof(back),
				       false, &cqe), 0);
		assert_memory_equal(back, data, sizeof(data));
	}
	uint8_t page[4096] __attribute__((aligned(8)));
	assert_int_equal(th_identify(&admin, NVME_ID_CNS_NS, nsid, page, &cqe), 0);
	assert_int_equal(id_ns_u64(page, 0), (uint64_t)mib * 2048);
	print_message("io racing resize: %u writes refused before the namespace reached them\n", refused);
	th_close(&io);
	th_close(&admin);
	assert_int_equal(wr_ns_remove(target, WR_NAME(SUBNQN), nsid), 0);
}

static void keep_alive_timeout_tears_the_controller_down(void **state)
{
	(void)state;
	struct th h;
	struct nvme_cqe cqe;
	assert_int_equal(th_open(&h, port), 0);
	assert_int_equal(th_icreq(&h, false, false), 0);
	assert_int_equal(th_connect(&h, SUBNQN, TH_HOSTNQN, 0, 0xffff, 200, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	/* KATO 200 ms plus the target's slack (1 s); the socket timeout (5 s) bounds the wait. */
	assert_int_equal(th_wait_closed(&h), 1);
	th_close(&h);
}

static void sq_flow_control_disabled_lets_reads_skip_the_response(void **state)
{
	(void)state;
	struct th admin, io;
	struct nvme_cqe cqe;
	int cntlid = th_bringup_admin(&admin, port, SUBNQN, TH_HOSTNQN, false, false);
	assert_int_equal(th_open(&io, port), 0);
	assert_int_equal(th_icreq(&io, false, false), 0);
	assert_int_equal(th_connect(&io, SUBNQN, TH_HOSTNQN, 1, (uint16_t)cntlid, 0,
				    NVMF_CONNECT_CATTR_DISABLE_SQFLOW, &cqe), 0);
	uint8_t buf[4096] __attribute__((aligned(8)));
	assert_int_equal(th_rw(&io, NVME_CMD_READ, 1, 0, 8, buf, 4096, false, &cqe), 0);
	assert_int_equal(io.c2h_success_seen, 1);
	th_close(&io);
	/* With flow control on (the default) every read ends with a CapsuleResp. */
	assert_int_equal(th_open(&io, port), 0);
	assert_int_equal(th_icreq(&io, false, false), 0);
	assert_int_equal(th_connect(&io, SUBNQN, TH_HOSTNQN, 1, (uint16_t)cntlid, 0, 0, &cqe), 0);
	assert_int_equal(th_rw(&io, NVME_CMD_READ, 1, 0, 8, buf, 4096, false, &cqe), 0);
	assert_int_equal(io.c2h_success_seen, 0);
	th_close(&io);
	th_close(&admin);
}

static void stats_snapshot_counts_io_and_lists_queue_pairs(void **state)
{
	(void)state;
	int64_t need = wr_target_stats_size(target);
	assert_true(need > (int64_t)sizeof(struct wr_stats_header));
	uint64_t tiny;
	assert_int_equal(wr_target_stats_snapshot(target, &tiny, sizeof(tiny)), -ENOSPC);
	struct wr_stats_header small;
	assert_int_equal(wr_target_stats_snapshot(target, &small, sizeof(small)), -ENOSPC);
	assert_true(small.total_size >= (uint64_t)need);
	uint8_t *buf = malloc((size_t)small.total_size + 65536);
	int64_t used = wr_target_stats_snapshot(target, buf, small.total_size + 65536);
	assert_true(used > 0);
	const struct wr_stats_header *h = (const void *)buf;
	assert_int_equal(h->magic, WR_STATS_MAGIC);
	assert_int_equal(h->reactor_count, 2);
	assert_int_equal(h->ns_count, 3);
	const struct wr_ns_stats *ns = (const void *)(buf + h->ns_offset);
	uint64_t writes = 0, reads = 0, hist = 0;
	for (uint32_t i = 0; i < h->ns_count; i++) {
		writes += ns[i].write.ops;
		reads += ns[i].read.ops;
		for (uint32_t b = 0; b < WR_HIST_BUCKETS; b++)
			hist += ns[i].read.lat_hist[b];
	}
	assert_true(writes >= 6);     /* the sessions above */
	assert_true(reads >= 9);
	assert_int_equal(hist, reads);
	const struct wr_reactor_stats *rs = (const void *)(buf + h->reactor_offset);
	assert_true(rs[0].polls > 0 && rs[1].polls > 0);
	assert_true(rs[0].sleeps > 0);             /* adaptive: idle reactors slept in epoll_wait */
	assert_true(rs[0].busy_ns > 0 && rs[0].idle_ns > 0);
	free(buf);
	/* Listings while a controller with one I/O queue is connected. */
	struct th admin, io;
	int cntlid = bring_up_admin_and_io_queue(&admin, &io);
	struct wr_ctrlr_info info[16];
	int64_t nctrl = wr_target_list_controllers(target, info, 16);
	assert_true(nctrl >= 1 && nctrl <= 16);
	bool found = false;
	for (int64_t i = 0; i < nctrl; i++) {
		if (info[i].cntlid == cntlid && strcmp(info[i].subnqn, SUBNQN) == 0) {
			found = true;
			assert_string_equal(info[i].hostnqn, TH_HOSTNQN);
			assert_int_equal(info[i].io_queues, 1);
			assert_int_equal(info[i].discovery, 0);
		}
	}
	assert_true(found);
	struct wr_qpair_stats qp[16];
	int64_t nq = wr_target_list_qpairs(target, qp, 16);
	assert_true(nq >= 2 && nq <= 16);
	int mine = 0;
	for (int64_t i = 0; i < nq; i++)
		mine += qp[i].cntlid == cntlid && strcmp(qp[i].subnqn, SUBNQN) == 0;
	assert_int_equal(mine, 2);
	assert_int_equal(wr_target_list_qpairs(target, NULL, 0), nq);
	th_close(&io);
	th_close(&admin);
}

struct reader {
	struct th *io;
	int ok_before, invalid_after, other;
};

/* Reads namespace 2 in a loop until it is gone (Invalid Namespace) or 20000 reads passed. */
static void *read_until_gone(void *arg)
{
	struct reader *rd = arg;
	static uint8_t buf[4096];
	struct nvme_cqe cqe;
	for (int i = 0; i < 20000; i++) {
		if (th_rw(rd->io, NVME_CMD_READ, 2, (uint64_t)(i % 200), 1, buf, 4096, false, &cqe)) {
			__atomic_fetch_add(&rd->other, 1, __ATOMIC_SEQ_CST);
			return NULL;
		}
		uint16_t st = th_status(&cqe);
		if (st == 0 && rd->invalid_after == 0) {
			__atomic_fetch_add(&rd->ok_before, 1, __ATOMIC_SEQ_CST);
		} else if (st == NVME_SC_INVALID_NS) {
			if (__atomic_add_fetch(&rd->invalid_after, 1, __ATOMIC_SEQ_CST) > 3)
				return NULL;
		} else {
			__atomic_fetch_add(&rd->other, 1, __ATOMIC_SEQ_CST);
		}
	}
	return NULL;
}

static void removing_a_namespace_under_io_is_safe(void **state)
{
	(void)state;
	struct th admin, io;
	struct nvme_cqe cqe;
	bring_up_admin_and_io_queue(&admin, &io);
	struct reader rd = { .io = &io };
	pthread_t tid;
	assert_int_equal(pthread_create(&tid, NULL, read_until_gone, &rd), 0);
	while (__atomic_load_n(&rd.ok_before, __ATOMIC_SEQ_CST) < 50 &&
	       __atomic_load_n(&rd.other, __ATOMIC_SEQ_CST) == 0)
		usleep(1000);
	assert_int_equal(wr_ns_remove(target, WR_NAME(SUBNQN), 2), 0);
	pthread_join(tid, NULL);
	assert_true(rd.ok_before >= 50);
	assert_true(rd.invalid_after > 0);
	assert_int_equal(rd.other, 0);
	/* The namespace can come back with the same identifiers. */
	assert_int_equal(wr_ns_add(target, WR_NAME(SUBNQN), 2, WR_BDEV_KIND_RAM, NULL, 1 << 20, 4096, NULL,
				   NULL, 0), 0);
	static uint8_t buf[4096];
	assert_int_equal(th_rw(&io, NVME_CMD_READ, 2, 0, 1, buf, 4096, false, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	th_close(&io);
	th_close(&admin);
}

static void removing_a_listener_closes_its_connections(void **state)
{
	(void)state;
	struct th h;
	assert_true(th_bringup_admin(&h, port, PRIVNQN, ALLOWED_HOST, false, false) > 0);
	assert_int_equal(wr_listener_remove(target, WR_NAME(PRIVNQN), "127.0.0.1", port), 0);
	assert_int_equal(th_wait_closed(&h), 1);
	th_close(&h);
	assert_int_equal(wr_listener_remove(target, WR_NAME(PRIVNQN), "127.0.0.1", port), -ENOENT);
	/* the port stays open for the other subsystem */
	struct th other;
	assert_true(th_bringup_admin(&other, port, SUBNQN, TH_HOSTNQN, false, false) > 0);
	th_close(&other);
}

static void features_answer_what_linux_asks(void **state)
{
	(void)state;
	struct th h;
	struct nvme_cqe cqe;
	assert_true(th_bringup_admin(&h, port, SUBNQN, TH_HOSTNQN, false, false) > 0);
	struct nvme_sqe nq = { .opcode = NVME_ADMIN_SET_FEATURES, .cdw10 = NVME_FEAT_NUM_QUEUES,
			       .cdw11 = 0x00070007 };
	assert_int_equal(th_cmd(&h, &nq, NULL, 0, false, NULL, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	assert_int_equal(cqe.result & 0xffffffff, 0x00070007);
	struct nvme_sqe big = { .opcode = NVME_ADMIN_SET_FEATURES, .cdw10 = NVME_FEAT_NUM_QUEUES,
				.cdw11 = 0x03ff03ff };
	assert_int_equal(th_cmd(&h, &big, NULL, 0, false, NULL, 0, &cqe), 0);
	assert_int_equal(cqe.result & 0xffff, 63);       /* capped at 64 queues */
	struct nvme_sqe kato = { .opcode = NVME_ADMIN_GET_FEATURES, .cdw10 = NVME_FEAT_KATO };
	assert_int_equal(th_cmd(&h, &kato, NULL, 0, false, NULL, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	struct nvme_sqe vwc = { .opcode = NVME_ADMIN_GET_FEATURES, .cdw10 = NVME_FEAT_VOLATILE_WC };
	assert_int_equal(th_cmd(&h, &vwc, NULL, 0, false, NULL, 0, &cqe), 0);
	assert_int_equal(cqe.result & 1, 1);
	uint8_t hostid[16] __attribute__((aligned(8)));
	struct nvme_sqe hid = { .opcode = NVME_ADMIN_GET_FEATURES, .cdw10 = NVME_FEAT_HOST_ID, .cdw11 = 1 };
	assert_int_equal(th_cmd(&h, &hid, NULL, 0, false, hostid, sizeof(hostid), &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	assert_int_equal(hostid[0], 0x5a);               /* what th_connect sent */
	struct nvme_sqe save = { .opcode = NVME_ADMIN_SET_FEATURES,
				 .cdw10 = NVME_FEAT_ARBITRATION | 1u << 31 };
	assert_int_equal(th_cmd(&h, &save, NULL, 0, false, NULL, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_FEATURE_NOT_SAVEABLE);
	struct nvme_sqe unknown = { .opcode = NVME_ADMIN_GET_FEATURES, .cdw10 = 0x7e };
	assert_int_equal(th_cmd(&h, &unknown, NULL, 0, false, NULL, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_INVALID_FIELD);
	/* Logs: supported pages, SMART, firmware slot, effects, an unknown page. */
	static uint8_t log[4096] __attribute__((aligned(8)));
	struct nvme_sqe lp = { .opcode = NVME_ADMIN_GET_LOG_PAGE, .cdw10 = NVME_LOG_SMART | (127u << 16) };
	assert_int_equal(th_cmd(&h, &lp, NULL, 0, false, log, 512, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	uint64_t host_writes;
	memcpy(&host_writes, log + 80, 8);
	assert_true(host_writes > 0);
	lp.cdw10 = 0x42 | (127u << 16);
	assert_int_equal(th_cmd(&h, &lp, NULL, 0, false, log, 512, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_INVALID_LOG_PAGE);
	lp.cdw10 = NVME_LOG_CMD_EFFECTS | (1023u << 16);
	assert_int_equal(th_cmd(&h, &lp, NULL, 0, false, log, 4096, &cqe), 0);
	uint32_t write_effects;
	memcpy(&write_effects, log + 1024 + 4 * NVME_CMD_WRITE, 4);
	assert_int_equal(write_effects, 3);
	/* Abort never aborts a command: DW0 bit 0 set ("not aborted"). */
	struct nvme_sqe abort_cmd = { .opcode = NVME_ADMIN_ABORT };
	assert_int_equal(th_cmd(&h, &abort_cmd, NULL, 0, false, NULL, 0, &cqe), 0);
	assert_int_equal(cqe.result & 1, 1);
	th_close(&h);
}

static void listener_ana_state_shows_in_the_ana_log_and_gates_io(void **state)
{
	(void)state;
	struct th admin, io;
	struct nvme_cqe cqe;
	bring_up_admin_and_io_queue(&admin, &io);
	assert_int_equal(wr_ns_set_ana_group(target, WR_NAME(SUBNQN), 2, 2), 0);
	assert_int_equal(wr_listener_set_ana_state(target, WR_NAME(SUBNQN), "127.0.0.1", port, 2,
						   NVME_ANA_INACCESSIBLE), 0);
	static uint8_t log[8192] __attribute__((aligned(8)));
	struct nvme_sqe lp = { .opcode = NVME_ADMIN_GET_LOG_PAGE, .cdw10 = NVME_LOG_ANA | (1155u << 16) };
	assert_int_equal(th_cmd(&admin, &lp, NULL, 0, false, log, 4624, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	uint16_t ngrps;
	memcpy(&ngrps, log + 8, 2);
	assert_int_equal(ngrps, 2);
	/* group 1: namespaces 1 (and any others in it), group 2: namespace 2, inaccessible */
	uint32_t grp1, n1, grp2, n2, nsid;
	memcpy(&grp1, log + 16, 4);
	memcpy(&n1, log + 20, 4);
	size_t g2 = 16 + 32 + n1 * 4;
	memcpy(&grp2, log + g2, 4);
	memcpy(&n2, log + g2 + 4, 4);
	memcpy(&nsid, log + g2 + 32, 4);
	assert_int_equal(grp1, 1);
	assert_int_equal(log[16 + 16], NVME_ANA_OPTIMIZED);
	assert_int_equal(grp2, 2);
	assert_int_equal(n2, 1);
	assert_int_equal(nsid, 2);
	assert_int_equal(log[g2 + 16], NVME_ANA_INACCESSIBLE);
	static uint8_t buf[4096];
	assert_int_equal(th_rw(&io, NVME_CMD_READ, 2, 0, 1, buf, 4096, false, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_ANA_INACCESSIBLE);
	assert_int_equal(wr_listener_set_ana_state(target, WR_NAME(SUBNQN), "127.0.0.1", port, 2,
						   NVME_ANA_OPTIMIZED), 0);
	assert_int_equal(th_rw(&io, NVME_CMD_READ, 2, 0, 1, buf, 4096, false, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	assert_int_equal(wr_ns_set_ana_group(target, WR_NAME(SUBNQN), 2, 1), 0);
	th_close(&io);
	th_close(&admin);
}

/* ---------------------------------------------------------------------------------------------
 * ANA across two listeners of one subsystem: what a multipath host sees on each path.
 * ------------------------------------------------------------------------------------------- */
struct ana_path {
	struct th admin, io;
	uint16_t port;
};

/* Admin and I/O queue through that listener; the host enables the events in aen_cfg. */
static void ana_path_up(struct ana_path *p, uint16_t on_port, uint32_t aen_cfg)
{
	struct nvme_cqe cqe;
	p->port = on_port;
	int cntlid = th_bringup_admin(&p->admin, on_port, SUBNQN, TH_HOSTNQN, false, false);
	assert_true(cntlid > 0);
	assert_int_equal(th_open(&p->io, on_port), 0);
	assert_int_equal(th_icreq(&p->io, false, false), 0);
	assert_int_equal(th_connect(&p->io, SUBNQN, TH_HOSTNQN, 1, (uint16_t)cntlid, 0, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	struct nvme_sqe cfg = { .opcode = NVME_ADMIN_SET_FEATURES, .cdw10 = NVME_FEAT_ASYNC_EVENT,
				.cdw11 = aen_cfg };
	assert_int_equal(th_cmd(&p->admin, &cfg, NULL, 0, false, NULL, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
}

static void ana_path_down(struct ana_path *p)
{
	th_close(&p->io);
	th_close(&p->admin);
}

/* Posts an Asynchronous Event Request without waiting for it. */
static void send_aer(struct th *h, uint16_t cid)
{
	struct nvme_tcp_cmd_pdu pdu = { 0 };
	pdu.hdr.type = NVME_TCP_CMD;
	pdu.hdr.hlen = 72;
	pdu.hdr.plen = 72;
	pdu.sqe.opcode = NVME_ADMIN_ASYNC_EVENT;
	pdu.sqe.command_id = cid;
	pdu.sqe.dptr.type = NVME_SGL_TRANSPORT;
	assert_int_equal(th_send(h, &pdu, sizeof(pdu)), 0);
}

/* The AER cid completes within timeout_ms: its DW0, or -1 when nothing arrived. */
static int64_t aer_result(struct th *h, uint16_t cid, int timeout_ms)
{
	struct pollfd pfd = { .fd = h->fd, .events = POLLIN };
	if (poll(&pfd, 1, timeout_ms) != 1)
		return -1;
	uint8_t buf[512] __attribute__((aligned(8)));
	assert_int_equal(th_recv_pdu(h, buf, sizeof(buf)), 24);
	const struct nvme_tcp_rsp_pdu *rsp = (const void *)buf;
	assert_int_equal(rsp->cqe.command_id, cid);
	assert_int_equal(th_status(&rsp->cqe), 0);
	return rsp->cqe.result;
}

/* Reads the ANA log (clearing the ANA event mask): the change count, and the state of group grp
 * with its NSIDs (0 when the group is not in the log). */
static uint8_t read_ana_log(struct th *admin, uint32_t grp, uint64_t *chgcnt, uint32_t *nsids,
			    uint32_t *nnsids)
{
	static uint8_t log[8192] __attribute__((aligned(8)));
	struct nvme_cqe cqe;
	struct nvme_sqe lp = { .opcode = NVME_ADMIN_GET_LOG_PAGE, .cdw10 = NVME_LOG_ANA | (1155u << 16) };
	assert_int_equal(th_cmd(admin, &lp, NULL, 0, false, log, 4624, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	uint16_t ngrps;
	memcpy(chgcnt, log, 8);
	memcpy(&ngrps, log + 8, 2);
	size_t off = 16;
	for (uint16_t i = 0; i < ngrps; i++) {
		uint32_t id, n;
		uint64_t desc_chg;
		memcpy(&id, log + off, 4);
		memcpy(&n, log + off + 4, 4);
		memcpy(&desc_chg, log + off + 8, 8);
		assert_true(desc_chg <= *chgcnt);
		if (id == grp) {
			*nnsids = n;
			memcpy(nsids, log + off + 32, n * 4);
			return log[off + 16];
		}
		off += 32 + n * 4;
	}
	return 0;
}

#define ANA_NOTICE 0x0c0302u   /* notice (2), ANA change (03h), log page 0Ch */

static void ana_state_of_one_listener_reaches_only_its_hosts_and_gates_their_io(void **state)
{
	(void)state;
	struct nvme_cqe cqe;
	static uint8_t buf[4096];
	int p2 = wr_listener_add(target, WR_NAME(SUBNQN), "127.0.0.1", 0);
	assert_true(p2 > 0);
	assert_int_equal(wr_ns_set_ana_group(target, WR_NAME(SUBNQN), 2, 3), 0);
	/* Path a through the first listener, b and c through the second; c did not ask for ANA
	 * notices. Everyone of them has an AER waiting. */
	struct ana_path a, b, c;
	ana_path_up(&a, port, NVME_AEN_CFG_ANA_CHANGE);
	ana_path_up(&b, (uint16_t)p2, NVME_AEN_CFG_ANA_CHANGE | NVME_AEN_CFG_NS_ATTR);
	ana_path_up(&c, (uint16_t)p2, NVME_AEN_CFG_NS_ATTR);
	uint64_t chg0, chg;
	uint32_t nsids[WR_MAX_NSID], n;
	assert_int_equal(read_ana_log(&b.admin, 3, &chg0, nsids, &n), NVME_ANA_OPTIMIZED);
	assert_int_equal(n, 1);
	assert_int_equal(nsids[0], 2);
	send_aer(&a.admin, 0x701);
	send_aer(&b.admin, 0x702);
	send_aer(&c.admin, 0x703);
	usleep(50 * 1000);

	assert_int_equal(wr_listener_set_ana_state(target, WR_NAME(SUBNQN), "127.0.0.1", (uint16_t)p2, 3,
						   NVME_ANA_INACCESSIBLE), 0);
	assert_int_equal(aer_result(&b.admin, 0x702, 2000) & 0xffffff, ANA_NOTICE);
	assert_int_equal(aer_result(&a.admin, 0x701, 300), -1);  /* its listener did not change */
	assert_int_equal(aer_result(&c.admin, 0x703, 300), -1);  /* it did not enable the notice */
	assert_int_equal(read_ana_log(&b.admin, 3, &chg, nsids, &n), NVME_ANA_INACCESSIBLE);
	assert_int_equal(chg, chg0 + 1);
	assert_int_equal(read_ana_log(&a.admin, 3, &chg, nsids, &n), NVME_ANA_OPTIMIZED);
	assert_int_equal(chg, chg0 + 1);
	/* RGO (LSP bit 0, "return groups only"): the same descriptors, no NSID lists, counts zero. */
	{
		static uint8_t rgo[4096] __attribute__((aligned(8)));
		struct nvme_sqe lp = { .opcode = NVME_ADMIN_GET_LOG_PAGE,
				       .cdw10 = NVME_LOG_ANA | (1u << 8) | (1023u << 16) };
		assert_int_equal(th_cmd(&b.admin, &lp, NULL, 0, false, rgo, 4096, &cqe), 0);
		assert_int_equal(th_status(&cqe), 0);
		uint16_t ngrps;
		memcpy(&ngrps, rgo + 8, 2);
		assert_int_equal(ngrps, 2);
		uint32_t id, cnt;
		memcpy(&id, rgo + 16 + 32, 4);
		memcpy(&cnt, rgo + 16 + 32 + 4, 4);
		assert_int_equal(id, 3);                /* right after group 1's bare descriptor */
		assert_int_equal(cnt, 0);
		assert_int_equal(rgo[16 + 32 + 16], NVME_ANA_INACCESSIBLE);
		memcpy(&cnt, rgo + 16 + 4, 4);
		assert_int_equal(cnt, 0);
	}
	/* I/O to ns 2 fails on b's path with a path error and no DNR; ns 1 (group 1) and a's path
	 * serve it. */
	assert_int_equal(th_rw(&b.io, NVME_CMD_READ, 2, 0, 1, buf, 4096, false, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_ANA_INACCESSIBLE);
	assert_int_equal(cqe.status & 0x8000, 0);
	assert_int_equal(th_rw(&b.io, NVME_CMD_WRITE, 2, 0, 1, buf, 4096, false, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_ANA_INACCESSIBLE);
	assert_int_equal(th_rw(&b.io, NVME_CMD_READ, 1, 0, 1, buf, 512, false, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	assert_int_equal(th_rw(&a.io, NVME_CMD_WRITE, 2, 0, 1, buf, 4096, false, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);

	/* Each state through b's path: non-optimized serves, the others answer their status. */
	static const struct { uint8_t state; uint16_t status; } cases[] = {
		{ NVME_ANA_NONOPTIMIZED, 0 },
		{ NVME_ANA_PERSISTENT_LOSS, NVME_SC_ANA_PERSISTENT_LOSS },
		{ NVME_ANA_CHANGE, NVME_SC_ANA_TRANSITION },
		{ NVME_ANA_OPTIMIZED, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint16_t cid = (uint16_t)(0x710 + i);
		send_aer(&b.admin, cid);
		assert_int_equal(wr_listener_set_ana_state(target, WR_NAME(SUBNQN), "127.0.0.1",
							   (uint16_t)p2, 3, cases[i].state), 0);
		assert_int_equal(aer_result(&b.admin, cid, 2000) & 0xffffff, ANA_NOTICE);
		assert_int_equal(read_ana_log(&b.admin, 3, &chg, nsids, &n), cases[i].state);
		assert_int_equal(chg, chg0 + 2 + i);
		assert_int_equal(th_rw(&b.io, NVME_CMD_READ, 2, 0, 1, buf, 4096, false, &cqe), 0);
		assert_int_equal(th_status(&cqe), cases[i].status);
		assert_int_equal(cqe.status & 0x8000, 0);
	}
	/* The same state again raises nothing. */
	send_aer(&b.admin, 0x720);
	assert_int_equal(wr_listener_set_ana_state(target, WR_NAME(SUBNQN), "127.0.0.1", (uint16_t)p2, 3,
						   NVME_ANA_OPTIMIZED), 0);
	assert_int_equal(aer_result(&b.admin, 0x720, 300), -1);
	/* Moving the namespace to another group concerns every path. */
	assert_int_equal(wr_ns_set_ana_group(target, WR_NAME(SUBNQN), 2, 1), 0);
	assert_int_equal(aer_result(&b.admin, 0x720, 2000) & 0xffffff, ANA_NOTICE);
	assert_int_equal(aer_result(&a.admin, 0x701, 2000) & 0xffffff, ANA_NOTICE);
	ana_path_down(&c);
	ana_path_down(&b);
	ana_path_down(&a);
	assert_int_equal(wr_listener_remove(target, WR_NAME(SUBNQN), "127.0.0.1", (uint16_t)p2), 0);
}

static void a_group_left_in_change_turns_inaccessible_after_anatt(void **state)
{
	(void)state;
	struct nvme_cqe cqe;
	static uint8_t page[4096] __attribute__((aligned(8)));
	assert_int_equal(wr_target_set_limit(target, WR_LIMIT_ANATT_S, 1), 0);
	assert_int_equal(wr_ns_set_ana_group(target, WR_NAME(SUBNQN), 2, 4), 0);
	struct ana_path a;
	ana_path_up(&a, port, NVME_AEN_CFG_ANA_CHANGE);
	assert_int_equal(th_identify(&a.admin, NVME_ID_CNS_CTRL, 0, page, &cqe), 0);
	assert_int_equal(page[342], 1);                     /* ANATT */
	assert_int_equal(page[343], 0x1f);                  /* ANACAP: every state */
	uint32_t grpmax, ngrpid;
	memcpy(&grpmax, page + 344, 4);
	memcpy(&ngrpid, page + 348, 4);
	assert_int_equal(grpmax, WR_MAX_ANAGRP);
	assert_int_equal(ngrpid, WR_MAX_ANAGRP);
	assert_int_equal(th_identify(&a.admin, NVME_ID_CNS_NS, 2, page, &cqe), 0);
	uint32_t anagrpid;
	memcpy(&anagrpid, page + 92, 4);
	assert_int_equal(anagrpid, 4);

	send_aer(&a.admin, 0x731);
	assert_int_equal(wr_listener_set_ana_state(target, WR_NAME(SUBNQN), "127.0.0.1", port, 4,
						   NVME_ANA_CHANGE), 0);
	assert_int_equal(aer_result(&a.admin, 0x731, 2000) & 0xffffff, ANA_NOTICE);
	uint64_t chg;
	uint32_t nsids[WR_MAX_NSID], n;
	assert_int_equal(read_ana_log(&a.admin, 4, &chg, nsids, &n), NVME_ANA_CHANGE);
	static uint8_t buf[4096];
	assert_int_equal(th_rw(&a.io, NVME_CMD_READ, 2, 0, 1, buf, 4096, false, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_ANA_TRANSITION);
	/* Nobody ends the change: after ANATT the target does, and says so. */
	send_aer(&a.admin, 0x732);
	assert_int_equal(aer_result(&a.admin, 0x732, 3000) & 0xffffff, ANA_NOTICE);
	uint64_t chg2;
	assert_int_equal(read_ana_log(&a.admin, 4, &chg2, nsids, &n), NVME_ANA_INACCESSIBLE);
	assert_int_equal(chg2, chg + 1);
	assert_int_equal(wr_listener_get_ana_state(target, WR_NAME(SUBNQN), "127.0.0.1", port, 4),
			 NVME_ANA_INACCESSIBLE);
	assert_int_equal(th_rw(&a.io, NVME_CMD_READ, 2, 0, 1, buf, 4096, false, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_ANA_INACCESSIBLE);
	assert_int_equal(wr_listener_set_ana_state(target, WR_NAME(SUBNQN), "127.0.0.1", port, 4,
						   NVME_ANA_OPTIMIZED), 0);
	assert_int_equal(wr_ns_set_ana_group(target, WR_NAME(SUBNQN), 2, 1), 0);
	assert_int_equal(wr_target_set_limit(target, WR_LIMIT_ANATT_S, WR_DEFAULT_ANATT_S), 0);
	ana_path_down(&a);
}

static void discovery_controllers_hear_about_discovery_log_changes(void **state)
{
	(void)state;
	struct th h;
	struct nvme_cqe cqe;
	assert_true(th_bringup_admin(&h, disc_port, NVME_DISC_SUBSYS_NAME, TH_HOSTNQN, false, false) > 0);
	struct nvme_sqe cfg = { .opcode = NVME_ADMIN_SET_FEATURES, .cdw10 = NVME_FEAT_ASYNC_EVENT,
				.cdw11 = NVME_AEN_CFG_DISC_CHANGE };
	assert_int_equal(th_cmd(&h, &cfg, NULL, 0, false, NULL, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	/* Only discovery-relevant commands exist on a discovery controller. */
	struct nvme_sqe id_ns = { .opcode = NVME_ADMIN_IDENTIFY, .nsid = 1, .cdw10 = NVME_ID_CNS_NS };
	static uint8_t page[4096] __attribute__((aligned(8)));
	assert_int_equal(th_cmd(&h, &id_ns, NULL, 0, false, page, 4096, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_INVALID_FIELD);
	struct nvme_sqe abort_cmd = { .opcode = NVME_ADMIN_ABORT };
	assert_int_equal(th_cmd(&h, &abort_cmd, NULL, 0, false, NULL, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_INVALID_OPCODE);
	struct nvme_tcp_cmd_pdu pdu = { 0 };
	pdu.hdr.type = NVME_TCP_CMD;
	pdu.hdr.hlen = 72;
	pdu.hdr.plen = 72;
	pdu.sqe.opcode = NVME_ADMIN_ASYNC_EVENT;
	pdu.sqe.command_id = 0x999;
	pdu.sqe.dptr.type = NVME_SGL_TRANSPORT;
	assert_int_equal(th_send(&h, &pdu, sizeof(pdu)), 0);
	usleep(50 * 1000);
	assert_int_equal(wr_subsystem_create(target, WR_NAME("nqn.2026-11.dev.windrose:late"), NULL, NULL,
					     WR_SUBSYS_ALLOW_ANY_HOST), 0);
	assert_int_equal(wr_listener_add(target, WR_NAME("nqn.2026-11.dev.windrose:late"), "127.0.0.1", port),
			 port);
	uint8_t buf[512] __attribute__((aligned(8)));
	assert_int_equal(th_recv_pdu(&h, buf, sizeof(buf)), 24);
	const struct nvme_tcp_rsp_pdu *rsp = (const void *)buf;
	assert_int_equal(rsp->cqe.command_id, 0x999);
	assert_int_equal(rsp->cqe.result & 0xffffff, 0x70f002);   /* notice, discovery change, 70h */
	assert_int_equal(wr_subsystem_delete(target, WR_NAME("nqn.2026-11.dev.windrose:late")), 0);
	th_close(&h);
}

static void busy_mode_target_serves_a_session(void **state)
{
	(void)state;
	struct wr_target *busy;
	assert_int_equal(wr_target_create(1, WR_MODE_BUSY, "0", &busy), 0);
	assert_int_equal(wr_subsystem_create(busy, WR_NAME(SUBNQN), NULL, NULL, WR_SUBSYS_ALLOW_ANY_HOST), 0);
	assert_int_equal(wr_ns_add(busy, WR_NAME(SUBNQN), 1, WR_BDEV_KIND_RAM, NULL, 1 << 20, 0, NULL, NULL, 0), 0);
	int p = wr_listener_add(busy, WR_NAME(SUBNQN), "127.0.0.1", 0);
	assert_true(p > 0);
	struct th admin, io;
	struct nvme_cqe cqe;
	int cntlid = th_bringup_admin(&admin, (uint16_t)p, SUBNQN, TH_HOSTNQN, true, true);
	assert_true(cntlid > 0);
	assert_int_equal(th_open(&io, (uint16_t)p), 0);
	assert_int_equal(th_icreq(&io, true, true), 0);
	assert_int_equal(th_connect(&io, SUBNQN, TH_HOSTNQN, 1, (uint16_t)cntlid, 0, 0, &cqe), 0);
	static uint8_t out[16384], in[16384];
	fill_pattern(out, sizeof(out), 99);
	assert_int_equal(th_rw(&io, NVME_CMD_WRITE, 1, 0, 32, out, sizeof(out), false, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	assert_int_equal(th_rw(&io, NVME_CMD_READ, 1, 0, 32, in, sizeof(in), false, &cqe), 0);
	assert_memory_equal(in, out, sizeof(in));
	th_close(&io);
	th_close(&admin);
	uint8_t buf[65536] __attribute__((aligned(8)));
	assert_true(wr_target_stats_snapshot(busy, buf, sizeof(buf)) > 0);
	const struct wr_stats_header *h = (const void *)buf;
	const struct wr_reactor_stats *rs = (const void *)(buf + h->reactor_offset);
	assert_int_equal(rs[0].sleeps, 0);           /* busy mode never sleeps */
	wr_target_destroy(busy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(session_with_header_and_data_digests_reads_back_what_it_wrote),
		cmocka_unit_test(session_without_digests_reads_back_what_it_wrote),
		cmocka_unit_test(session_with_header_digest_only_works),
		cmocka_unit_test(identify_controller_reports_what_linux_requires),
		cmocka_unit_test(io_errors_get_a_status_and_the_queue_lives_on),
		cmocka_unit_test(bad_plen_gets_c2h_termreq_then_close),
		cmocka_unit_test(unknown_pdu_type_gets_c2h_termreq_then_close),
		cmocka_unit_test(header_digest_mismatch_gets_c2h_termreq_then_close),
		cmocka_unit_test(data_digest_mismatch_gets_c2h_termreq_then_close),
		cmocka_unit_test(h2cdata_outside_the_r2t_window_gets_c2h_termreq),
		cmocka_unit_test(io_before_connect_is_a_command_sequence_error),
		cmocka_unit_test(disallowed_host_is_refused_at_connect),
		cmocka_unit_test(connect_compares_nqns_exactly_and_refuses_control_characters),
		cmocka_unit_test(dhchap_host_authenticates_admin_and_io_queues_before_anything_else),
		cmocka_unit_test(dhchap_wrong_or_missing_secret_is_refused_and_counted),
		cmocka_unit_test(dhchap_secrets_are_checked_and_rotation_accepts_both),
		cmocka_unit_test(discovery_log_shows_a_host_only_its_subsystems),
		cmocka_unit_test(namespace_changes_raise_an_async_event),
		cmocka_unit_test(growing_a_namespace_shows_the_new_size_and_raises_an_async_event),
		cmocka_unit_test(io_racing_a_resize_lands_or_is_refused_never_wrong),
		cmocka_unit_test(discovery_controllers_hear_about_discovery_log_changes),
		cmocka_unit_test(keep_alive_timeout_tears_the_controller_down),
		cmocka_unit_test(sq_flow_control_disabled_lets_reads_skip_the_response),
		cmocka_unit_test(stats_snapshot_counts_io_and_lists_queue_pairs),
		cmocka_unit_test(features_answer_what_linux_asks),
		cmocka_unit_test(listener_ana_state_shows_in_the_ana_log_and_gates_io),
		cmocka_unit_test(ana_state_of_one_listener_reaches_only_its_hosts_and_gates_their_io),
		cmocka_unit_test(a_group_left_in_change_turns_inaccessible_after_anatt),
		cmocka_unit_test(removing_a_namespace_under_io_is_safe),
		cmocka_unit_test(removing_a_listener_closes_its_connections),
		cmocka_unit_test(busy_mode_target_serves_a_session),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
