/*
 * Unit tests of the receive and send machines: bytes are fed straight into a queue pair
 * (wr_conn_rx_feed) in every split size, with the reactor polled by hand (a "manual" target:
 * no threads), and what the target sends is read from the other end of a socketpair.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "internal.h"
#include "pdu_build.h"

#define SUBNQN "nqn.2026-11.dev.windrose:unit"
#define HOSTNQN "nqn.2014-08.org.nvmexpress:uuid:00000000-1111-2222-3333-444444444444"
#define NQN_A "nqn.2026-11.dev.windrose:a"
#define NQN_B "nqn.2026-11.dev.windrose:b"
#define HOST_X "nqn.2026-11.dev.windrose:host-x"
#define HOST_Y "nqn.2026-11.dev.windrose:host-y"

struct seen {
	int icresp, rsp, c2h, r2t, term;
	uint16_t status[16];
	uint64_t result[16];
	uint16_t term_fes;
	uint32_t term_fei;
	uint16_t r2t_ttag, r2t_cid;
	uint32_t r2t_len;
	uint8_t data[256 * 1024];
	uint32_t data_len;
	bool digest_ok;
};

static uint8_t inbuf[512 * 1024] __attribute__((aligned(8)));
static size_t inlen;

static struct wr_target *t;

static int setup(void **state)
{
	(void)state;
	wr_set_log_level(0);
	if (wr_target_create_manual(1, &t))
		return -1;
	if (wr_subsystem_create(t, WR_NAME(SUBNQN), NULL, NULL, WR_SUBSYS_ALLOW_ANY_HOST) ||
	    wr_ns_add(t, WR_NAME(SUBNQN), 1, WR_BDEV_KIND_RAM, NULL, 4 << 20, 0, NULL, NULL, 0) ||
	    wr_listener_add(t, WR_NAME(SUBNQN), "127.0.0.1", 0) <= 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	wr_target_destroy(t);
	return 0;
}

static struct wr_conn *new_conn(int *peer, int sndbuf)
{
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	if (sndbuf) {
		setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
		setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &sndbuf, sizeof(sndbuf));
	}
	struct wr_conn *c = wr_conn_create(t, sv[0], t->ports[0]->slot, "unit");
	assert_non_null(c);
	wr_reactor_add_conn(&t->reactors[0], c);
	*peer = sv[1];
	return c;
}

static void poll_target(void)
{
	for (int i = 0; i < 4; i++)
		wr_reactor_run_once(&t->reactors[0]);
}

static void drain(int peer)
{
	for (;;) {
		ssize_t n = recv(peer, inbuf + inlen, sizeof(inbuf) - inlen, MSG_DONTWAIT);
		if (n <= 0)
			return;
		inlen += (size_t)n;
	}
}

/* Parses every complete PDU in inbuf into s and removes them. */
static void parse(struct seen *s)
{
	size_t off = 0;
	s->digest_ok = true;
	while (inlen - off >= 8) {
		struct nvme_tcp_hdr h;
		memcpy(&h, inbuf + off, sizeof(h));
		if (inlen - off < h.plen)
			break;
		const uint8_t *p = inbuf + off;
		if ((h.flags & NVME_TCP_F_HDGST) && h.type != NVME_TCP_C2H_TERM) {
			uint32_t d;
			memcpy(&d, p + h.hlen, 4);
			s->digest_ok &= d == wr_digest(p, h.hlen);
		}
		switch (h.type) {
		case NVME_TCP_ICRESP: s->icresp++; break;
		case NVME_TCP_RSP: {
			struct nvme_cqe cqe;
			memcpy(&cqe, p + 8, sizeof(cqe));
			s->status[s->rsp % 16] = (cqe.status >> 1) & 0x7ff;
			s->result[s->rsp % 16] = cqe.result;
			s->rsp++;
			break;
		}
		case NVME_TCP_C2H_DATA: {
			struct nvme_tcp_data_pdu d;
			memcpy(&d, p, sizeof(d));
			memcpy(s->data + d.data_offset, p + h.pdo, d.data_length);
			if (h.flags & NVME_TCP_F_DDGST) {
				uint32_t dg;
				memcpy(&dg, p + h.pdo + d.data_length, 4);
				s->digest_ok &= dg == wr_digest(p + h.pdo, d.data_length);
			}
			s->data_len = d.data_offset + d.data_length;
			s->c2h++;
			break;
		}
		case NVME_TCP_R2T: {
			struct nvme_tcp_r2t_pdu r;
			memcpy(&r, p, sizeof(r));
			s->r2t_ttag = r.ttag;
			s->r2t_cid = r.command_id;
			s->r2t_len = r.r2t_length;
			s->r2t++;
			break;
		}
		case NVME_TCP_C2H_TERM: {
			struct nvme_tcp_term_pdu tp;
			memcpy(&tp, p, sizeof(tp));
			s->term_fes = tp.fes;
			s->term_fei = tp.feil | (uint32_t)tp.feiu << 16;
			s->term++;
			break;
		}
		}
		off += h.plen;
	}
	memmove(inbuf, inbuf + off, inlen - off);
	inlen -= off;
}

static void feed(struct wr_conn *c, int peer, const uint8_t *stream, size_t len, size_t chunk)
{
	for (size_t off = 0; off < len; off += chunk) {
		size_t n = len - off < chunk ? len - off : chunk;
		wr_conn_rx_feed(c, stream + off, n);
		poll_target();
		drain(peer);
	}
}

static void crc32c_digest_matches_the_standard_check_value(void **state)
{
	(void)state;
	assert_int_equal(wr_digest("123456789", 9), 0xe3069283u);
	/* split computation, as the receive path does it */
	uint32_t crc = wr_crc32c(~0u, "1234", 4);
	crc = wr_crc32c(crc, "56789", 5);
	assert_int_equal(~crc, 0xe3069283u);
}

static void icreq_fed_one_byte_at_a_time_is_answered_with_icresp(void **state)
{
	(void)state;
	int peer;
	struct wr_conn *c = new_conn(&peer, 0);
	struct pb p = { .hdgst = true, .ddgst = true };
	uint8_t buf[256];
	size_t n = pb_icreq(&p, buf);
	inlen = 0;
	feed(c, peer, buf, n, 1);
	struct seen s = { 0 };
	parse(&s);
	assert_int_equal(s.icresp, 1);
	assert_true(c->hdgst && c->ddgst);
	assert_int_equal(c->rx_state, RX_HDR);
	close(peer);
	poll_target();
}

static size_t build_bringup(struct pb *p, uint8_t *out)
{
	size_t n = pb_icreq(p, out);
	n += pb_connect(p, out + n, 0, 0xffff, SUBNQN, HOSTNQN);
	n += pb_prop_set_cc_enable(p, out + n);
	n += pb_identify(p, out + n, NVME_ID_CNS_CTRL, 0);
	return n;
}

static void admin_bringup_is_parsed_at_every_split_size(void **state)
{
	(void)state;
	static const size_t splits[] = { 1, 2, 3, 5, 8, 13, 71, 72, 73, 127, 128, 129, 1000, 65536 };
	static uint8_t stream[8192] __attribute__((aligned(8)));
	for (size_t i = 0; i < sizeof(splits) / sizeof(splits[0]); i++) {
		for (int dg = 0; dg < 2; dg++) {
			int peer;
			struct wr_conn *c = new_conn(&peer, 0);
			struct pb p = { .hdgst = dg, .ddgst = dg, .cid = 1 };
			size_t n = build_bringup(&p, stream);
			inlen = 0;
			feed(c, peer, stream, n, splits[i]);
			struct seen *s = calloc(1, sizeof(*s));
			parse(s);
			assert_int_equal(s->icresp, 1);
			assert_int_equal(s->rsp, 3);
			assert_int_equal(s->c2h, 1);
			assert_true(s->digest_ok);
			for (int k = 0; k < 3; k++)
				assert_int_equal(s->status[k], 0);
			assert_string_equal((const char *)s->data + 768, SUBNQN);
			assert_int_equal(c->rx_state, RX_HDR);
			free(s);
			close(peer);
			poll_target();
		}
	}
}

/* Brings up an admin queue and an I/O queue; returns the I/O connection. */
static struct wr_conn *io_queue(struct pb *p, int *admin_peer, int *io_peer, int sndbuf)
{
	static uint8_t stream[8192] __attribute__((aligned(8)));
	struct wr_conn *admin = new_conn(admin_peer, 0);
	size_t n = build_bringup(p, stream);
	inlen = 0;
	feed(admin, *admin_peer, stream, n, n);
	struct seen s = { 0 };
	parse(&s);
	uint16_t cntlid = (uint16_t)s.result[0];
	assert_true(cntlid > 0);
	struct wr_conn *io = new_conn(io_peer, sndbuf);
	n = pb_icreq(p, stream);
	n += pb_connect(p, stream + n, 1, cntlid, SUBNQN, HOSTNQN);
	inlen = 0;
	feed(io, *io_peer, stream, n, n);
	memset(&s, 0, sizeof(s));
	parse(&s);
	assert_int_equal(s.icresp, 1);
	assert_int_equal(s.rsp, 1);
	assert_int_equal(s.status[0], 0);
	return io;
}

static void write_through_r2t_fed_one_byte_at_a_time_reads_back(void **state)
{
	(void)state;
	int ap, iop;
	struct pb p = { .hdgst = true, .ddgst = true, .cid = 1 };
	struct wr_conn *io = io_queue(&p, &ap, &iop, 0);
	static uint8_t data[8192], pdu[16384] __attribute__((aligned(8)));
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	size_t n = pb_write(&p, pdu, 1, 100, 16, data, sizeof(data), false);
	uint16_t cid = p.cid - 1;
	inlen = 0;
	feed(io, iop, pdu, n, 1);
	struct seen *s = calloc(1, sizeof(*s));
	parse(s);
	assert_int_equal(s->r2t, 1);
	assert_int_equal(s->r2t_len, sizeof(data));
	assert_int_equal(s->r2t_cid, cid);
	uint16_t ttag = s->r2t_ttag;
	n = pb_h2c(&p, pdu, cid, ttag, 0, data, 4096, false);
	n += pb_h2c(&p, pdu + n, cid, ttag, 4096, data + 4096, 4096, true);
	feed(io, iop, pdu, n, 1);
	memset(s, 0, sizeof(*s));
	parse(s);
	assert_int_equal(s->rsp, 1);
	assert_int_equal(s->status[0], 0);
	n = pb_read(&p, pdu, 1, 100, 16, sizeof(data));
	feed(io, iop, pdu, n, 3);
	memset(s, 0, sizeof(*s));
	parse(s);
	assert_int_equal(s->c2h, 1);
	assert_true(s->digest_ok);
	assert_int_equal(s->data_len, sizeof(data));
	assert_memory_equal(s->data, data, sizeof(data));
	free(s);
	close(iop);
	close(ap);
	poll_target();
}

static void partial_writes_on_a_small_socket_buffer_deliver_every_byte(void **state)
{
	(void)state;
	int ap, iop;
	struct pb p = { .hdgst = false, .ddgst = true, .cid = 1 };
	struct wr_conn *io = io_queue(&p, &ap, &iop, 4096);
	static uint8_t data[128 * 1024], pdu[256] __attribute__((aligned(8)));
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i ^ (i >> 8));
	/* write through the RAM bdev directly is not possible from here: write via the protocol */
	size_t n = pb_write(&p, pdu, 1, 0, 256, data, sizeof(data), false);
	uint16_t cid = p.cid - 1;
	inlen = 0;
	feed(io, iop, pdu, n, n);
	struct seen *s = calloc(1, sizeof(*s));
	parse(s);
	assert_int_equal(s->r2t, 1);
	static uint8_t h2c[128 * 1024 + 64] __attribute__((aligned(8)));
	n = pb_h2c(&p, h2c, cid, s->r2t_ttag, 0, data, sizeof(data), true);
	feed(io, iop, h2c, n, 4096);
	memset(s, 0, sizeof(*s));
	parse(s);
	assert_int_equal(s->status[0], 0);
	uint64_t before = io->tx_state_changes;
	n = pb_read(&p, pdu, 1, 0, 256, sizeof(data));
	wr_conn_rx_feed(io, pdu, n);
	/* Read the response slowly: the target must resume where each partial send stopped. */
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < 10000 && s->rsp == 0; i++) {
		wr_reactor_run_once(&t->reactors[0]);
		ssize_t got = recv(iop, inbuf + inlen, 1500, MSG_DONTWAIT);
		if (got > 0)
			inlen += (size_t)got;
		parse(s);
	}
	assert_int_equal(s->rsp, 1);
	assert_int_equal(s->c2h, 1);
	assert_true(s->digest_ok);
	assert_memory_equal(s->data, data, sizeof(data));
	assert_true(io->tx_state_changes > before + 2);   /* it did block and resume */
	free(s);
	close(iop);
	close(ap);
	poll_target();
}

struct bad_case {
	const char *name;
	uint8_t bytes[80];
	size_t len;
	bool icreq_first;
	uint16_t fes;
	uint32_t fei;
};

static void malformed_headers_get_the_right_termreq(void **state)
{
	(void)state;
	static const struct bad_case cases[] = {
		{ "unknown type", { 0x0a, 0, 8, 0, 8, 0, 0, 0 }, 8, true, 1, 0 },
		{ "C2H type from a host", { NVME_TCP_C2H_DATA, 0, 24, 0, 24, 0, 0, 0 }, 8, true, 1, 0 },
		{ "command before ICReq", { NVME_TCP_CMD, 0, 72, 0, 72, 0, 0, 0 }, 8, false, 2, 0 },
		{ "second ICReq", { NVME_TCP_ICREQ, 0, 128, 0, 128, 0, 0, 0 }, 8, true, 2, 0 },
		{ "wrong HLEN", { NVME_TCP_CMD, 0, 64, 0, 72, 0, 0, 0 }, 8, true, 1, 2 },
		{ "PLEN below HLEN", { NVME_TCP_CMD, 0, 72, 0, 70, 0, 0, 0 }, 8, true, 1, 4 },
		{ "PDO beyond PLEN", { NVME_TCP_CMD, 0, 72, 200, 80, 0, 0, 0 }, 8, true, 1, 3 },
		{ "PDO inside the header", { NVME_TCP_CMD, 0, 72, 8, 80, 0, 0, 0 }, 8, true, 1, 3 },
		{ "in-capsule data over 8 KiB", { NVME_TCP_CMD, 0, 72, 72, 0x48, 0x40, 0, 0 }, 8, true, 5, 4 },
		{ "H2CData over MAXH2CDATA", { NVME_TCP_H2C_DATA, 0, 24, 24, 0x18, 0x00, 0x10, 0 }, 8, true, 5, 4 },
		{ "header digest not negotiated", { NVME_TCP_CMD, NVME_TCP_F_HDGST, 72, 0, 76, 0, 0, 0 }, 8, true, 1, 1 },
		{ "data digest flag without data", { NVME_TCP_CMD, NVME_TCP_F_DDGST, 72, 0, 72, 0, 0, 0 }, 8, true, 1, 1 },
		{ "ICReq with PLEN 130", { NVME_TCP_ICREQ, 0, 128, 0, 130, 0, 0, 0 }, 8, false, 1, 4 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bad_case *bc = &cases[i];
		int peer;
		struct wr_conn *c = new_conn(&peer, 0);
		struct pb p = { 0 };
		uint8_t buf[256] __attribute__((aligned(8)));
		inlen = 0;
		if (bc->icreq_first) {
			size_t n = pb_icreq(&p, buf);
			feed(c, peer, buf, n, n);
		}
		wr_conn_rx_feed(c, bc->bytes, bc->len);
		assert_int_equal(c->rx_state, RX_QUIESCED);
		poll_target();   /* sends the TermReq, closes, reaps: c is gone after this */
		drain(peer);
		struct seen s = { 0 };
		parse(&s);
		if (s.term != 1 || s.term_fes != bc->fes || s.term_fei != bc->fei)
			fail_msg("%s: term %d fes %u fei %u", bc->name, s.term, s.term_fes, s.term_fei);
		close(peer);
	}
}

static void h2cdata_for_an_unknown_tag_gets_a_termreq(void **state)
{
	(void)state;
	int ap, iop;
	struct pb p = { .cid = 1 };
	struct wr_conn *io = io_queue(&p, &ap, &iop, 0);
	uint8_t buf[1024] __attribute__((aligned(8))), data[512] = { 0 };
	size_t n = pb_h2c(&p, buf, 1, 99, 0, data, sizeof(data), true);
	inlen = 0;
	wr_conn_rx_feed(io, buf, n);
	poll_target();
	drain(iop);
	struct seen s = { 0 };
	parse(&s);
	assert_int_equal(s.term, 1);
	assert_int_equal(s.term_fes, NVME_TCP_FES_INVALID_PDU_HDR);
	assert_int_equal(s.term_fei, 10);
	close(iop);
	close(ap);
	poll_target();
}

static void discovery_log_lists_each_listener_of_the_subsystems_a_host_may_use(void **state)
{
	(void)state;
	struct wr_target *d;
	assert_int_equal(wr_target_create_manual(1, &d), 0);
	assert_int_equal(wr_subsystem_create(d, WR_NAME(NQN_A), NULL, NULL, WR_SUBSYS_ALLOW_ANY_HOST), 0);
	assert_int_equal(wr_subsystem_create(d, WR_NAME(NQN_B), NULL, NULL, 0), 0);
	int pa = wr_listener_add(d, WR_NAME(NQN_A), "127.0.0.1", 0);
	assert_true(pa > 0);
	assert_true(wr_listener_add(d, WR_NAME(NQN_A), "::1", 0) > 0);
	assert_int_equal(wr_listener_add(d, WR_NAME(NQN_B), "127.0.0.1", (uint16_t)pa), pa);
	assert_int_equal(wr_listener_add(d, WR_NAME(NQN_B), "127.0.0.1", (uint16_t)pa), -EEXIST);
	assert_int_equal(wr_host_allow(d, WR_NAME(NQN_B), WR_NAME(HOST_X)), 0);
	size_t len;
	pthread_mutex_lock(&d->lock);
	uint64_t gen = d->disc_genctr;
	uint8_t *x = wr_discovery_log_alloc(d, HOST_X, -1, &len);
	uint8_t *y = wr_discovery_log_alloc(d, HOST_Y, -1, &len);
	pthread_mutex_unlock(&d->lock);
	const struct nvmf_disc_log_hdr *hx = (const void *)x, *hy = (const void *)y;
	assert_int_equal(hx->numrec, 3);
	assert_int_equal(hy->numrec, 2);
	const struct nvmf_disc_log_entry *e = (const void *)(hy + 1);
	for (int i = 0; i < 2; i++)
		assert_string_equal(e[i].subnqn, NQN_A);
	assert_true((e[0].adrfam == NVMF_ADRFAM_IPV6) != (e[1].adrfam == NVMF_ADRFAM_IPV6));
	free(x);
	free(y);
	assert_int_equal(wr_host_disallow(d, WR_NAME(NQN_B), WR_NAME(HOST_X)), 0);
	assert_true(d->disc_genctr > gen);
	assert_int_equal(wr_listener_remove(d, WR_NAME(NQN_A), "::1", 0), -ENOENT);
	assert_int_equal(wr_subsystem_delete(d, WR_NAME(NQN_B)), 0);
	assert_int_equal(wr_subsystem_delete(d, WR_NAME(NQN_B)), -ENOENT);
	wr_target_destroy(d);
}

static void control_api_rejects_bad_arguments_clearly(void **state)
{
	(void)state;
	assert_int_equal(wr_subsystem_create(t, WR_NAME(SUBNQN), NULL, NULL, 0), -EEXIST);
	assert_int_equal(wr_subsystem_create(t, WR_NAME(""), NULL, NULL, 0), -EINVAL);
	assert_int_equal(wr_subsystem_create(t, WR_NAME(NVME_DISC_SUBSYS_NAME), NULL, NULL, 0), -EINVAL);
	assert_int_equal(wr_ns_add(t, WR_NAME(SUBNQN), 0, WR_BDEV_KIND_RAM, NULL, 1 << 20, 0, NULL, NULL, 0), -EINVAL);
	assert_int_equal(wr_ns_add(t, WR_NAME(SUBNQN), 1, WR_BDEV_KIND_RAM, NULL, 1 << 20, 0, NULL, NULL, 0), -EEXIST);
	assert_int_equal(wr_ns_add(t, WR_NAME("nqn.2026-11.dev.windrose:none"), 3, WR_BDEV_KIND_RAM, NULL, 1 << 20, 0, NULL, NULL, 0), -ENOENT);
	assert_int_equal(wr_ns_add(t, WR_NAME(SUBNQN), 3, WR_BDEV_KIND_RAM, NULL, 0, 0, NULL, NULL, 0), -EINVAL);
	assert_int_equal(wr_ns_add(t, WR_NAME(SUBNQN), 3, 9, NULL, 1 << 20, 0, NULL, NULL, 0), -EINVAL);
	assert_int_equal(wr_listener_add(t, WR_NAME(SUBNQN), "not-an-address", 4420), -EINVAL);
	assert_int_equal(wr_listener_set_ana_state(t, WR_NAME(SUBNQN), "127.0.0.1", t->ports[0]->port, 1, 9), -EINVAL);
	assert_int_equal(wr_listener_set_ana_state(t, WR_NAME(SUBNQN), "127.0.0.1", t->ports[0]->port, 1,
						   NVME_ANA_NONOPTIMIZED), 0);
	assert_int_equal(wr_listener_set_ana_state(t, WR_NAME(SUBNQN), "127.0.0.1", t->ports[0]->port, 1,
						   NVME_ANA_OPTIMIZED), 0);
	assert_int_equal(wr_ns_set_ana_group(t, WR_NAME(SUBNQN), 1, 0), -EINVAL);
	assert_int_equal(wr_ns_set_ana_group(t, WR_NAME(SUBNQN), 1, 1), 0);
	/* caller-given identifiers must be unique within the subsystem */
	uint8_t id[16];
	memcpy(id, atomic_load(&t->subsystems->next->ns[1])->nguid, 16);
	assert_int_equal(wr_ns_add(t, WR_NAME(SUBNQN), 3, WR_BDEV_KIND_NULL, NULL, 1 << 20, 0, id, NULL, 0), -EEXIST);
}

/* Names cross the control API as bytes and a length: "...:twin\0evil" is refused, never cut to the
 * restricted "...:twin", and "...:h\0x" never admits "...:h" (issue 13). */
static void control_api_refuses_names_with_an_embedded_nul(void **state)
{
	(void)state;
	static const char twin[] = "nqn.2026-12.dev.example:twin";
	static const char evil[] = "nqn.2026-12.dev.example:twin\0evil";
	static const char host[] = "nqn.2026-12.dev.example:h";
	static const char host_x[] = "nqn.2026-12.dev.example:h\0x";
	struct wr_target *d;
	assert_int_equal(wr_target_create_manual(1, &d), 0);
	assert_int_equal(wr_subsystem_create(d, WR_NAME(twin), NULL, NULL, 0), 0);
	assert_int_equal(wr_host_allow(d, WR_NAME(twin), WR_NAME("nqn.2026-12.dev.example:allowed")), 0);

	assert_int_equal(wr_subsystem_create(d, evil, sizeof(evil) - 1, NULL, NULL, WR_SUBSYS_ALLOW_ANY_HOST),
			 -EINVAL);
	assert_int_equal(wr_subsystem_set_allow_any_host(d, evil, sizeof(evil) - 1, 1), -EINVAL);
	assert_int_equal(wr_host_allow(d, WR_NAME(twin), host_x, sizeof(host_x) - 1), -EINVAL);
	assert_int_equal(wr_listener_add(d, evil, sizeof(evil) - 1, "127.0.0.1", 0), -EINVAL);
	assert_int_equal(wr_ns_add(d, evil, sizeof(evil) - 1, 1, WR_BDEV_KIND_NULL, NULL, 1 << 20, 0, NULL,
				   NULL, 0), -EINVAL);
	assert_int_equal(wr_subsystem_delete(d, evil, sizeof(evil) - 1), -EINVAL);

	/* twin is as it was: restricted, h not admitted, only the allowed host */
	pthread_mutex_lock(&d->lock);
	struct wr_subsys *s = wr_subsys_find(d, WR_NAME(twin));
	assert_non_null(s);
	assert_false(s->allow_any_host);
	assert_false(wr_subsys_host_allowed(s, WR_NAME(host)));
	assert_true(wr_subsys_host_allowed(s, WR_NAME("nqn.2026-12.dev.example:allowed")));
	/* compared by length: a prefix of a name, or the name and more, is another name */
	assert_null(wr_subsys_find(d, twin, sizeof(twin) - 2));
	assert_null(wr_subsys_find(d, evil, sizeof(evil) - 1));
	assert_false(wr_subsys_host_allowed(s, "nqn.2026-12.dev.example:allowed", 30));
	pthread_mutex_unlock(&d->lock);

	/* lengths that are no NQN's: none, past 223 bytes */
	assert_int_equal(wr_subsystem_create(d, twin, 0, NULL, NULL, 0), -EINVAL);
	char longer[WR_NQN_SIZE + 1];
	memset(longer, 'a', sizeof(longer));
	memcpy(longer, twin, sizeof(twin) - 1);
	assert_int_equal(wr_subsystem_create(d, longer, WR_NQN_SIZE, NULL, NULL, 0), -EINVAL);
	assert_int_equal(wr_subsystem_create(d, longer, WR_NQN_MAX_LEN, NULL, NULL, 0), 0);
	wr_target_destroy(d);
}

static void more_commands_than_the_queue_holds_get_a_termreq(void **state)
{
	(void)state;
	int peer;
	struct wr_conn *c = new_conn(&peer, 0);
	struct pb p = { .cid = 1 };
	static uint8_t stream[1024] __attribute__((aligned(8)));
	/* Before Connect the queue holds one command; the second arrives before the first's
	 * response could leave. */
	size_t n = pb_icreq(&p, stream);
	n += pb_identify(&p, stream + n, NVME_ID_CNS_CTRL, 0);
	n += pb_identify(&p, stream + n, NVME_ID_CNS_CTRL, 0);
	inlen = 0;
	wr_conn_rx_feed(c, stream, n);
	assert_int_equal(c->rx_state, RX_QUIESCED);
	poll_target();
	drain(peer);
	struct seen s = { 0 };
	parse(&s);
	assert_int_equal(s.term, 1);
	assert_int_equal(s.term_fes, NVME_TCP_FES_PDU_SEQ_ERR);
	close(peer);
}

static void connect_with_a_queue_larger_than_mqes_is_refused(void **state)
{
	(void)state;
	int peer;
	struct wr_conn *c = new_conn(&peer, 0);
	struct pb p = { .cid = 1 };
	static uint8_t stream[2048] __attribute__((aligned(8)));
	size_t n = pb_icreq(&p, stream);
	size_t at = n;
	n += pb_connect(&p, stream + n, 0, 0xffff, SUBNQN, HOSTNQN);
	struct nvme_tcp_cmd_pdu *cmd = (struct nvme_tcp_cmd_pdu *)(stream + at);
	((struct nvmf_connect_cmd *)&cmd->sqe)->sqsize = 128;   /* 129 entries, MQES is 127 */
	inlen = 0;
	feed(c, peer, stream, n, n);
	struct seen s = { 0 };
	parse(&s);
	assert_int_equal(s.rsp, 1);
	assert_int_equal(s.status[0], NVME_SC_CONNECT_INVALID_PARAM);
	assert_int_equal(s.result[0] & 0xffffffff, offsetof(struct nvmf_connect_cmd, sqsize));
	assert_null(c->ctrlr);
	close(peer);
	poll_target();
}

static void keep_alive_timer_is_not_fooled_by_an_older_loop_clock(void **state)
{
	(void)state;
	int peer;
	struct wr_conn *c = new_conn(&peer, 0);
	struct pb p = { .cid = 1 };
	static uint8_t stream[8192] __attribute__((aligned(8)));
	size_t n = build_bringup(&p, stream);
	inlen = 0;
	feed(c, peer, stream, n, n);
	assert_non_null(c->ctrlr);
	c->ctrlr->kato_ms = 5000;
	uint64_t refreshed = c->ctrlr->last_keep_alive_ns;
	/* The reactor's clock of this loop predates the Keep Alive the loop just handled. */
	wr_ctrlr_service(c, refreshed - 1000);
	assert_false(c->dead);
	wr_ctrlr_service(c, refreshed + 4000ull * 1000000);
	assert_false(c->dead);
	wr_ctrlr_service(c, refreshed + 10001ull * 1000000);   /* KATO + one KATO of slack */
	assert_true(c->dead);
	close(peer);
	poll_target();
}

static void a_host_termreq_closes_without_an_answer(void **state)
{
	(void)state;
	static const uint8_t variants[][8] = {
		{ NVME_TCP_H2C_TERM, 0, 24, 0, 24, 0, 0, 0 },
		{ NVME_TCP_H2C_TERM, NVME_TCP_F_HDGST, 8, 0, 0x00, 0x10, 0, 0 },  /* odd HLEN/PLEN */
	};
	for (size_t v = 0; v < 2; v++) {
		for (int icreq = 0; icreq < 2; icreq++) {
			int peer;
			struct wr_conn *c = new_conn(&peer, 0);
			struct pb p = { 0 };
			uint8_t buf[256] __attribute__((aligned(8))) = { 0 };
			inlen = 0;
			if (icreq) {
				size_t n = pb_icreq(&p, buf);
				feed(c, peer, buf, n, n);
			}
			memset(buf, 0, sizeof(buf));
			memcpy(buf, variants[v], 8);
			wr_conn_rx_feed(c, buf, 24);
			assert_int_equal(c->rx_state, RX_QUIESCED);
			poll_target();
			drain(peer);
			struct seen s = { 0 };
			parse(&s);
			assert_int_equal(s.term, 0);
			assert_int_equal(recv(peer, buf, sizeof(buf), MSG_DONTWAIT), 0);  /* closed */
			close(peer);
		}
	}
}

/* Connects an admin queue on a fresh connection: the Connect status, and the CNTLID in *cntlid. */
static uint16_t connect_admin(int *peer, struct wr_conn **conn, uint16_t *cntlid)
{
	static uint8_t stream[2048] __attribute__((aligned(8)));
	struct pb p = { .cid = 1 };
	*conn = new_conn(peer, 0);
	size_t n = pb_icreq(&p, stream);
	n += pb_connect(&p, stream + n, 0, 0xffff, SUBNQN, HOSTNQN);
	inlen = 0;
	feed(*conn, *peer, stream, n, n);
	struct seen *s = calloc(1, sizeof(*s));
	parse(s);
	assert_int_equal(s->rsp, 1);
	uint16_t status = s->status[0];
	*cntlid = (uint16_t)s->result[0];
	free(s);
	return status;
}

static void cntlid_range_bounds_the_ids_new_controllers_get(void **state)
{
	(void)state;
	assert_int_equal(wr_target_set_cntlid_range(t, 0, 10), -EINVAL);
	assert_int_equal(wr_target_set_cntlid_range(t, 5, 4), -EINVAL);
	assert_int_equal(wr_target_set_cntlid_range(t, 1, 0xfff0), -EINVAL);
	assert_int_equal(wr_target_set_cntlid_range(t, 0xffef, 0xffef), 0);
	assert_int_equal(wr_target_set_cntlid_range(t, 300, 301), 0);
	int peer[3];
	struct wr_conn *c[3];
	uint16_t id[3];
	assert_int_equal(connect_admin(&peer[0], &c[0], &id[0]), 0);
	assert_int_equal(connect_admin(&peer[1], &c[1], &id[1]), 0);
	assert_int_equal(id[0], 300);
	assert_int_equal(id[1], 301);
	/* The range is full: the Connect is refused, the target lives on. */
	assert_int_not_equal(connect_admin(&peer[2], &c[2], &id[2]), 0);
	close(peer[2]);
	close(peer[0]);
	poll_target();
	/* 300 is free again; the round robin comes back to it after 301. */
	assert_int_equal(connect_admin(&peer[2], &c[2], &id[2]), 0);
	assert_int_equal(id[2], 300);
	close(peer[1]);
	close(peer[2]);
	poll_target();
	assert_int_equal(wr_target_set_cntlid_range(t, WR_CNTLID_MIN, WR_CNTLID_MAX), 0);
}

static void ana_state_changes_count_once_and_change_gives_way_after_anatt(void **state)
{
	(void)state;
	uint16_t port = t->ports[0]->port;
	struct wr_subsys *s = t->subsystems->next;
	assert_int_equal(wr_target_set_limit(t, WR_LIMIT_ANATT_S, 0), -EINVAL);
	assert_int_equal(wr_target_set_limit(t, WR_LIMIT_ANATT_S, 256), -EINVAL);
	assert_int_equal(wr_target_get_limit(t, WR_LIMIT_ANATT_S), WR_DEFAULT_ANATT_S);
	assert_int_equal(wr_listener_get_ana_state(t, WR_NAME(SUBNQN), "127.0.0.1", port, 0), -EINVAL);
	assert_int_equal(wr_listener_get_ana_state(t, WR_NAME(SUBNQN), "127.0.0.1", port, 17), -EINVAL);
	assert_int_equal(wr_listener_get_ana_state(t, WR_NAME(SUBNQN), "127.0.0.2", port, 1), -ENOENT);
	assert_int_equal(wr_listener_get_ana_state(t, WR_NAME(SUBNQN), "127.0.0.1", port, 4),
			 NVME_ANA_OPTIMIZED);

	uint64_t chg = t->ana_chgcnt;
	assert_int_equal(wr_listener_set_ana_state(t, WR_NAME(SUBNQN), "127.0.0.1", port, 4,
						   NVME_ANA_CHANGE), 0);
	assert_int_equal(t->ana_chgcnt, chg + 1);
	/* The same state again is no change: a reconciler may re-apply it without noise. */
	assert_int_equal(wr_listener_set_ana_state(t, WR_NAME(SUBNQN), "127.0.0.1", port, 4,
						   NVME_ANA_CHANGE), 0);
	assert_int_equal(t->ana_chgcnt, chg + 1);
	assert_true(atomic_load(&t->ana_watch));

	uint64_t entered = s->ana_change_ns[t->ports[0]->slot][4];
	wr_target_ana_watchdog(t, entered + WR_DEFAULT_ANATT_S * 1000000000ull - 1);
	assert_int_equal(wr_listener_get_ana_state(t, WR_NAME(SUBNQN), "127.0.0.1", port, 4),
			 NVME_ANA_CHANGE);
	assert_true(atomic_load(&t->ana_watch));
	wr_target_ana_watchdog(t, entered - 1);     /* a loop clock taken before the change */
	assert_int_equal(wr_listener_get_ana_state(t, WR_NAME(SUBNQN), "127.0.0.1", port, 4),
			 NVME_ANA_CHANGE);
	wr_target_ana_watchdog(t, entered + WR_DEFAULT_ANATT_S * 1000000000ull);
	assert_int_equal(wr_listener_get_ana_state(t, WR_NAME(SUBNQN), "127.0.0.1", port, 4),
			 NVME_ANA_INACCESSIBLE);
	assert_int_equal(t->ana_chgcnt, chg + 2);
	assert_false(atomic_load(&t->ana_watch));

	/* A listener removed and added again starts optimized: its old states are gone. */
	int other = wr_listener_add(t, WR_NAME(SUBNQN), "127.0.0.1", 0);
	assert_true(other > 0);
	assert_int_equal(wr_listener_set_ana_state(t, WR_NAME(SUBNQN), "127.0.0.1", (uint16_t)other, 2,
						   NVME_ANA_PERSISTENT_LOSS), 0);
	assert_int_equal(wr_listener_remove(t, WR_NAME(SUBNQN), "127.0.0.1", (uint16_t)other), 0);
	assert_int_equal(wr_listener_add(t, WR_NAME(SUBNQN), "127.0.0.1", (uint16_t)other), other);
	assert_int_equal(wr_listener_get_ana_state(t, WR_NAME(SUBNQN), "127.0.0.1", (uint16_t)other, 2),
			 NVME_ANA_OPTIMIZED);
	assert_int_equal(wr_listener_remove(t, WR_NAME(SUBNQN), "127.0.0.1", (uint16_t)other), 0);
	assert_int_equal(wr_listener_set_ana_state(t, WR_NAME(SUBNQN), "127.0.0.1", port, 4,
						   NVME_ANA_OPTIMIZED), 0);

	/* A subsystem's default for new listeners: they start in it, the old ones keep theirs. */
	assert_int_equal(wr_subsystem_set_ana_default(t, WR_NAME(SUBNQN), 5, NVME_ANA_CHANGE), -EINVAL);
	assert_int_equal(wr_subsystem_set_ana_default(t, WR_NAME(SUBNQN), 0, NVME_ANA_INACCESSIBLE), -EINVAL);
	assert_int_equal(wr_subsystem_set_ana_default(t, WR_NAME(NVME_DISC_SUBSYS_NAME), 5,
						      NVME_ANA_INACCESSIBLE), -EINVAL);
	assert_int_equal(wr_subsystem_set_ana_default(t, WR_NAME("nqn.2026-11.dev.windrose:none"), 5,
						      NVME_ANA_INACCESSIBLE), -ENOENT);
	assert_int_equal(wr_subsystem_set_ana_default(t, WR_NAME(SUBNQN), 5, NVME_ANA_INACCESSIBLE), 0);
	assert_int_equal(wr_listener_get_ana_state(t, WR_NAME(SUBNQN), "127.0.0.1", port, 5),
			 NVME_ANA_OPTIMIZED);
	chg = t->ana_chgcnt;
	other = wr_listener_add(t, WR_NAME(SUBNQN), "127.0.0.1", 0);
	assert_true(other > 0);
	assert_int_equal(wr_listener_get_ana_state(t, WR_NAME(SUBNQN), "127.0.0.1", (uint16_t)other, 5),
			 NVME_ANA_INACCESSIBLE);
	assert_int_equal(wr_listener_get_ana_state(t, WR_NAME(SUBNQN), "127.0.0.1", (uint16_t)other, 1),
			 NVME_ANA_OPTIMIZED);
	assert_int_equal(t->ana_chgcnt, chg);          /* a listener's first state is no change */
	assert_int_equal(wr_listener_remove(t, WR_NAME(SUBNQN), "127.0.0.1", (uint16_t)other), 0);
	assert_int_equal(wr_subsystem_set_ana_default(t, WR_NAME(SUBNQN), 5, NVME_ANA_OPTIMIZED), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crc32c_digest_matches_the_standard_check_value),
		cmocka_unit_test(icreq_fed_one_byte_at_a_time_is_answered_with_icresp),
		cmocka_unit_test(admin_bringup_is_parsed_at_every_split_size),
		cmocka_unit_test(write_through_r2t_fed_one_byte_at_a_time_reads_back),
		cmocka_unit_test(partial_writes_on_a_small_socket_buffer_deliver_every_byte),
		cmocka_unit_test(malformed_headers_get_the_right_termreq),
		cmocka_unit_test(h2cdata_for_an_unknown_tag_gets_a_termreq),
		cmocka_unit_test(a_host_termreq_closes_without_an_answer),
		cmocka_unit_test(more_commands_than_the_queue_holds_get_a_termreq),
		cmocka_unit_test(keep_alive_timer_is_not_fooled_by_an_older_loop_clock),
		cmocka_unit_test(connect_with_a_queue_larger_than_mqes_is_refused),
		cmocka_unit_test(discovery_log_lists_each_listener_of_the_subsystems_a_host_may_use),
		cmocka_unit_test(control_api_rejects_bad_arguments_clearly),
		cmocka_unit_test(control_api_refuses_names_with_an_embedded_nul),
		cmocka_unit_test(cntlid_range_bounds_the_ids_new_controllers_get),
		cmocka_unit_test(ana_state_changes_count_once_and_change_gives_way_after_anatt),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
