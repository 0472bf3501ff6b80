/*
 * fuzz_rx.c - libFuzzer target over the receive path: the input is the byte stream a host sends
 * on one queue pair, fed into its receive machine with the reactor run at every PDU boundary
 * (so responses, R2Ts and completions interleave as on a real socket).
 *
 * Set-up once: a manual target (no threads) with subsystem nqn.2026-11.dev.windrose:fuzz (any
 * host; namespace 1 RAM 1 MiB, namespace 2 null 1 MiB) and one live admin controller, cntlid 1,
 * of host FUZZ_HOSTNQN, so inputs can Connect I/O queues (qid 1.., CNTLID 1) and reach the I/O
 * path. Subsystem nqn.2026-11.dev.windrose:fuzz-auth lets FUZZ_HOSTNQN in only after DH-HMAC-CHAP
 * (a fixed secret and a controller secret; SHA-2 and the groups null and ffdhe2048: larger ones
 * would spend the fuzzer's time in modular exponentiation). The challenge is random, so inputs
 * reach every message and every refusal but not Success1 (test_auth.c covers that). At exit the
 * target prints how many inputs ran an authentication transaction. Seeds: corpus/rx (written by
 * tests/make_corpus).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

#define FUZZ_SUBNQN "nqn.2026-11.dev.windrose:fuzz"
#define FUZZ_HOSTNQN "nqn.2014-08.org.nvmexpress:uuid:f0f0f0f0-0000-0000-0000-000000000001"
#define FUZZ_AUTH_SUBNQN "nqn.2026-11.dev.windrose:fuzz-auth"
/* nvme gen-dhchap-key outputs (tests/test_auth.c) */
#define FUZZ_SECRET "DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:"
#define FUZZ_CTRL_SECRET "DHHC-1:01:bOHk6jHoMxpP5YJr/eF6XNOGuPAzh0iRniebpsVb9ydqVuR5:"

static struct wr_target *target;
static struct wr_reactor *reactor;
static int admin_peer = -1;
static uint64_t inputs, auth_inputs;

static void report(void)
{
	uint64_t v[WR_NET_COUNTERS];
	wr_target_net_counters(target, v, WR_NET_COUNTERS);
	fprintf(stderr, "fuzz_rx: %llu inputs, %llu ran a DH-HMAC-CHAP transaction; %llu queues refused "
		"by it\n", (unsigned long long)inputs, (unsigned long long)auth_inputs,
		(unsigned long long)v[WR_NET_AUTH_FAILURES]);
}

static bool conn_alive(const struct wr_conn *c)
{
	for (const struct wr_conn *x = reactor->conns; x; x = x->next)
		if (x == c)
			return true;
	return false;
}

static void drain(int fd)
{
	uint8_t buf[65536];
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

static void run_reactor(int peer)
{
	for (int i = 0; i < 3; i++) {
		wr_reactor_run_once(reactor);
		drain(peer);
		drain(admin_peer);
	}
}

static struct wr_conn *open_conn(int *peer)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) < 0)
		abort();
	struct wr_conn *c = wr_conn_create(target, sv[0], target->ports[0]->slot, "fuzz");
	if (!c)
		abort();
	wr_reactor_add_conn(reactor, c);
	*peer = sv[1];
	return c;
}

/* The admin queue that I/O queue Connects in the corpus refer to (CNTLID 1). */
static void connect_admin(void)
{
	struct wr_conn *c = open_conn(&admin_peer);
	struct nvme_tcp_icreq icreq = { .hdr = { .type = NVME_TCP_ICREQ, .hlen = 128, .plen = 128 } };
	wr_conn_rx_feed(c, (const uint8_t *)&icreq, sizeof(icreq));
	uint8_t pdu[72 + 1024] __attribute__((aligned(8))) = { 0 };
	struct nvme_tcp_cmd_pdu *cmd = (struct nvme_tcp_cmd_pdu *)pdu;
	cmd->hdr = (struct nvme_tcp_hdr){ .type = NVME_TCP_CMD, .hlen = 72, .pdo = 72, .plen = sizeof(pdu) };
	struct nvmf_connect_cmd *cc = (struct nvmf_connect_cmd *)&cmd->sqe;
	cc->opcode = NVME_FABRICS_OPCODE;
	cc->fctype = NVMF_FCTYPE_CONNECT;
	cc->sqsize = 31;
	cc->dptr.type = NVME_SGL_INCAPSULE;
	cc->dptr.length = 1024;
	struct nvmf_connect_data *d = (struct nvmf_connect_data *)(pdu + 72);
	memset(d->hostid, 0x33, sizeof(d->hostid));
	d->cntlid = 0xffff;
	strcpy(d->subsysnqn, FUZZ_SUBNQN);
	strcpy(d->hostnqn, FUZZ_HOSTNQN);
	wr_conn_rx_feed(c, pdu, sizeof(pdu));
	run_reactor(admin_peer);
	if (!c->ctrlr || c->ctrlr->cntlid != 1)
		abort();
	c->ctrlr->csts |= NVME_CSTS_RDY;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	wr_set_log_level(getenv("WR_FUZZ_LOG") ? 3 : 0);
	if (wr_target_create_manual(1, &target) ||
	    wr_subsystem_create(target, WR_NAME(FUZZ_SUBNQN), NULL, NULL, WR_SUBSYS_ALLOW_ANY_HOST) ||
	    wr_ns_add(target, WR_NAME(FUZZ_SUBNQN), 1, WR_BDEV_KIND_RAM, NULL, 1 << 20, 0, NULL, NULL, 0) ||
	    wr_ns_add(target, WR_NAME(FUZZ_SUBNQN), 2, WR_BDEV_KIND_NULL, NULL, 1 << 20, 4096, NULL, NULL, 0) ||
	    wr_listener_add(target, WR_NAME(FUZZ_SUBNQN), "127.0.0.1", 0) <= 0)
		abort();
	int port = target->ports[0]->port;
	if (wr_subsystem_create(target, WR_NAME(FUZZ_AUTH_SUBNQN), NULL, NULL, 0) ||
	    wr_host_allow(target, WR_NAME(FUZZ_AUTH_SUBNQN), WR_NAME(FUZZ_HOSTNQN)) ||
	    wr_host_set_dhchap(target, WR_NAME(FUZZ_AUTH_SUBNQN), WR_NAME(FUZZ_HOSTNQN), FUZZ_SECRET,
			       NULL, FUZZ_CTRL_SECRET) ||
	    wr_subsystem_set_dhchap_policy(target, WR_NAME(FUZZ_AUTH_SUBNQN), WR_DHCHAP_HASH_ALL,
					   WR_DHCHAP_DH_NULL | WR_DHCHAP_DH_FFDHE2048) ||
	    wr_ns_add(target, WR_NAME(FUZZ_AUTH_SUBNQN), 1, WR_BDEV_KIND_NULL, NULL, 1 << 20, 0, NULL,
		      NULL, 0) ||
	    wr_listener_add(target, WR_NAME(FUZZ_AUTH_SUBNQN), "127.0.0.1", (uint16_t)port) != port)
		abort();
	atexit(report);
	reactor = &target->reactors[0];
	connect_admin();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int peer;
	struct wr_conn *c = open_conn(&peer);
	size_t off = 0;
	bool authenticating = false;
	inputs++;
	while (off < size) {
		/* Headers go in byte by byte, data in one piece: every split is exercised somewhere,
		 * and the reactor runs whenever a PDU is complete. */
		size_t n = 1;
		if (c->rx_state == RX_DATA)
			n = c->rx_data_left < size - off ? c->rx_data_left : size - off;
		wr_conn_rx_feed(c, data + off, n);
		off += n;
		authenticating |= c->auth != NULL;
		if (c->dead || c->rx_state == RX_QUIESCED)
			break;
		if (c->rx_state == RX_HDR && c->rx_hdr_got == 0) {
			run_reactor(peer);
			if (!conn_alive(c))
				break;
		}
	}
	auth_inputs += authenticating;
	close(peer);
	/* The reactor sees the hang-up, closes and reaps the connection. */
	for (int i = 0; i < 100 && conn_alive(c); i++)
		run_reactor(-1);
	if (conn_alive(c))
		abort();     /* a queue pair that never goes away is a leak (or a hang) */
	return 0;
}
