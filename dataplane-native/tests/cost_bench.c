/*
 * cost_bench.c - wr-costbench: what one reactor loop iteration and one I/O cost the target, in
 * counts that do not depend on how loaded the machine is.
 *
 * The target runs in this process as a manual (thread-less) target in busy mode; the host side is
 * a TCP connection on loopback driven from the same thread. Each round the host sends --batch
 * 4 KiB reads in one send(), then the reactor's real loop iteration (wr_reactor_poll) runs until
 * every completion has reached the host. So the batch a loop iteration sees is fixed, and:
 *  - system calls made by the target are counted exactly, by kernel tracepoints enabled only
 *    while wr_reactor_poll runs (perf_event_open; needs root or perf_event_paranoid <= 1);
 *  - user-space instructions come from running this under callgrind with
 *    --toggle-collect=wr_reactor_poll (bench/profile.sh --costbench does that);
 *  - the thread CPU time spent inside wr_reactor_poll is reported too (user + system, including
 *    loopback delivery done in the target's send), measured in a second pass without the
 *    counters (switching tracepoints costs more than an idle poll); it moves with machine load.
 * --idle N instead runs N loop iterations with nothing to do (the cost of a busy poll).
 * The reads are checked: every command completes once, successfully, with its data.
 * --check: also fail (exit 1) unless a busy loop iteration that serves a batch makes at most one
 * recv and one send system call, and epoll_wait only every WR_CHECK_EPOLL_INTERVAL iterations or
 * less often (the ctest case; skipped with a message when the tracepoints cannot be read); with
 * --quiet-queues N (more I/O queues that were just active, so hot, but get no more commands) it
 * expects epoll_wait plus one recv instead of a recv per hot queue.
 * --tls: the I/O queue runs over TLS 1.3 (TLS_AES_128_GCM_SHA256, a PSK as nvme-cli 2.x derives it)
 * on a port that takes both, so the figures are what the target's side of the channel costs; the
 * host's side (OpenSSL in this thread) runs outside wr_reactor_poll and is not counted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "internal.h"
#include "pdu_build.h"

#include <openssl/ssl.h>

/* --tls: the interchange PSK of libnvme's test vectors (test/psk.c) and the TLS PSK nvme-cli 2.13
 * derives from it for identity "NVMe0R01 TH_HOSTNQN SUBNQN" (computed by tls.c itself here). */
#define TLS_PSK "NVMeTLSkey-1:01:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWwNf9LrZ:"
static bool use_tls;

#define SUBNQN "nqn.2026-11.dev.windrose:costbench"
#define IO_SIZE 4096u
#define BLOCK 512u
#define MAX_BATCH 128u
#define WR_CHECK_EPOLL_INTERVAL 16u   /* the default busy-mode cadence (reactor.c) */

static struct wr_target *t;
static struct wr_reactor *r;
#define MAX_QUIET 8
static struct th quiet[MAX_QUIET];   /* --quiet-queues: more I/O queues, hot but without work */
static uint32_t nquiet;
static atomic_bool bringup_done;

/* ---- syscall counters: one tracepoint counter per syscall of interest, plus all of them ---- */
static const char *const counted[] = {
	"raw_syscalls/sys_enter", "syscalls/sys_enter_epoll_wait", "syscalls/sys_enter_recvmsg",
	"syscalls/sys_enter_recvfrom", "syscalls/sys_enter_sendmsg", "syscalls/sys_enter_sendto",
	"syscalls/sys_enter_read", "syscalls/sys_enter_write", "syscalls/sys_enter_io_uring_enter",
};
#define NCOUNTED (sizeof(counted) / sizeof(counted[0]))
static int counter_fd[NCOUNTED];
static bool counters_on;

static int tracepoint_id(const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), "/sys/kernel/tracing/events/%s/id", name);
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/tracing/events/%s/id", name);
		f = fopen(path, "r");
	}
	if (!f)
		return -1;
	int id = -1;
	if (fscanf(f, "%d", &id) != 1)
		id = -1;
	fclose(f);
	return id;
}

/* One group, led by the all-syscalls counter: a single ioctl switches them all, and only that
 * switching-off ioctl itself is counted (its entry fires while the group is on): subtracted. */
static void counters_open(void)
{
	counters_on = true;
	for (size_t i = 0; i < NCOUNTED; i++) {
		int id = tracepoint_id(counted[i]);
		struct perf_event_attr a = { .type = PERF_TYPE_TRACEPOINT, .size = sizeof(a),
					     .config = (uint64_t)id, .disabled = i == 0 };
		counter_fd[i] = id < 0 ? -1
				       : (int)syscall(SYS_perf_event_open, &a, 0, -1,
						      i == 0 ? -1 : counter_fd[0], 0);
		if (counter_fd[i] < 0 && i == 0) {
			fprintf(stderr, "wr-costbench: no syscall tracepoints (%s): syscall counts off\n",
				id < 0 ? "tracefs not readable" : strerror(errno));
			counters_on = false;
			return;
		}
	}
}

static void counters_enable(bool on)
{
	if (counters_on)
		ioctl(counter_fd[0], on ? PERF_EVENT_IOC_ENABLE : PERF_EVENT_IOC_DISABLE,
		      PERF_IOC_FLAG_GROUP);
}

static uint64_t polls;

static uint64_t counter_read(size_t i)
{
	uint64_t v = 0;
	if (!counters_on || counter_fd[i] < 0 || read(counter_fd[i], &v, sizeof(v)) != sizeof(v))
		return 0;
	return i == 0 && v >= polls ? v - polls : v;   /* minus the disabling ioctl, see above */
}

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The measured call: one real reactor loop iteration, counters on only inside it. */
static uint64_t cpu_in_poll;
static uint64_t cpu_polls;       /* iterations whose CPU time is in cpu_in_poll */
static bool measure_cpu;

static __attribute__((noinline)) void measured_poll(void)
{
	if (measure_cpu) {
		uint64_t c0 = thread_cpu_ns();
		wr_reactor_poll(r);
		cpu_in_poll += thread_cpu_ns() - c0;
		cpu_polls++;
		return;
	}
	counters_enable(true);
	wr_reactor_poll(r);
	counters_enable(false);
	polls++;
}

/* ---- bring-up: the blocking test host needs the reactor polled meanwhile ---- */
static void *poll_until_brought_up(void *arg)
{
	(void)arg;
	while (!atomic_load(&bringup_done))
		wr_reactor_run_once(r);
	return NULL;
}

static int bring_up(uint16_t port, struct th *admin, struct th *io, uint32_t span_blocks)
{
	pthread_t thr;
	atomic_store(&bringup_done, false);
	if (pthread_create(&thr, NULL, poll_until_brought_up, NULL))
		return -1;
	int rc = -1;
	struct nvme_cqe cqe;
	int cntlid = th_bringup_admin(admin, port, SUBNQN, TH_HOSTNQN, false, false);
	char identity[300];
	uint8_t psk[48], configured[48], retained[48], hmac, klen;
	snprintf(identity, sizeof(identity), "NVMe0R01 %s %s", TH_HOSTNQN, SUBNQN);
	if (use_tls && (wr_tls_psk_parse(TLS_PSK, &hmac, configured, &klen) ||
			wr_tls_retained(WR_TLS_FORM_LIBNVME, hmac, configured, klen, WR_NAME(TH_HOSTNQN), retained) ||
			wr_tls_derive_psk(WR_TLS_FORM_LIBNVME, 1, retained, klen, identity, strlen(identity), psk))) {
		fprintf(stderr, "wr-costbench: TLS PSK derivation failed\n");
		goto out;
	}
	if (cntlid <= 0 || th_open(io, port) || (use_tls && th_tls(io, identity, psk, 32, 1)) ||
	    th_icreq(io, false, false) ||
	    th_connect(io, SUBNQN, TH_HOSTNQN, 1, (uint16_t)cntlid, 0,
		       NVMF_CONNECT_CATTR_DISABLE_SQFLOW, &cqe) || th_status(&cqe)) {
		fprintf(stderr, "wr-costbench: bring-up failed\n");
		goto out;
	}
	for (uint32_t i = 0; i < nquiet; i++) {
		if (th_open(&quiet[i], port) || th_icreq(&quiet[i], false, false) ||
		    th_connect(&quiet[i], SUBNQN, TH_HOSTNQN, (uint16_t)(2 + i), (uint16_t)cntlid, 0,
			       NVMF_CONNECT_CATTR_DISABLE_SQFLOW, &cqe) || th_status(&cqe)) {
			fprintf(stderr, "wr-costbench: connecting quiet queue %u failed\n", i + 1);
			goto out;
		}
	}
	/* Write the span once: reads then come from real pages, as after bench/run.sh's --fill. */
	static uint8_t chunk[128 * 1024];
	for (uint32_t lba = 0; lba < span_blocks; lba += sizeof(chunk) / BLOCK) {
		for (size_t i = 0; i < sizeof(chunk); i += 8) {
			uint64_t v = (uint64_t)lba * BLOCK + i;
			memcpy(chunk + i, &v, 8);
		}
		if (th_rw(io, NVME_CMD_WRITE, 1, lba, sizeof(chunk) / BLOCK, chunk, sizeof(chunk), false,
			  &cqe) || th_status(&cqe)) {
			fprintf(stderr, "wr-costbench: writing the span failed\n");
			goto out;
		}
	}
	rc = 0;
out:
	atomic_store(&bringup_done, true);
	pthread_join(thr, NULL);
	return rc;
}

/* ---- host side of the measured rounds ---- */
static uint8_t rx[MAX_BATCH * (IO_SIZE + 128) + 65536];
static size_t rx_len;

/* Consumes complete PDUs; returns completions seen, or -1 on anything unexpected. */
static int host_parse(const uint64_t *expect_lba, uint16_t cid0, uint32_t batch, uint8_t *done)
{
	int n = 0;
	size_t off = 0;
	while (rx_len - off >= sizeof(struct nvme_tcp_hdr)) {
		struct nvme_tcp_hdr h;
		memcpy(&h, rx + off, sizeof(h));
		if (rx_len - off < h.plen)
			break;
		const uint8_t *p = rx + off;
		uint16_t idx;
		if (h.type == NVME_TCP_C2H_DATA) {
			struct nvme_tcp_data_pdu d;
			memcpy(&d, p, sizeof(d));
			idx = (uint16_t)(d.command_id - cid0);
			if (idx >= batch || d.data_length != IO_SIZE || !(h.flags & NVME_TCP_F_DATA_SUCCESS))
				return -1;
			uint64_t first;
			memcpy(&first, p + h.pdo, 8);
			if (first != expect_lba[idx] * BLOCK)
				return -1;
		} else if (h.type == NVME_TCP_RSP) {
			struct nvme_cqe cqe;
			memcpy(&cqe, p + 8, sizeof(cqe));
			idx = (uint16_t)(cqe.command_id - cid0);
			if (idx >= batch || th_status(&cqe))
				return -1;
		} else {
			return -1;
		}
		if (done[idx]++)
			return -1;
		n++;
		off += h.plen;
	}
	memmove(rx, rx + off, rx_len - off);
	rx_len -= off;
	return n;
}

static int run_rounds(struct th *io, uint32_t rounds, uint32_t batch, uint32_t span_blocks)
{
	static uint8_t cmds[MAX_BATCH * 128];
	struct pb pb = { .cid = 1 };
	uint64_t rng = 0x9e3779b97f4a7c15ull;
	uint32_t slots = span_blocks / (IO_SIZE / BLOCK);
	for (uint32_t round = 0; round < rounds; round++) {
		uint64_t lba[MAX_BATCH];
		uint8_t done[MAX_BATCH] = { 0 };
		size_t len = 0;
		uint16_t cid0 = pb.cid;
		for (uint32_t i = 0; i < batch; i++) {
			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			lba[i] = rng % slots * (IO_SIZE / BLOCK);
			len += pb_read(&pb, cmds + len, 1, lba[i], IO_SIZE / BLOCK, IO_SIZE);
		}
		if (th_send(io, cmds, len)) {
			fprintf(stderr, "wr-costbench: send failed\n");
			return -1;
		}
		uint32_t got = 0;
		for (uint32_t spins = 0; got < batch; spins++) {
			if (spins > 1000000) {
				fprintf(stderr, "wr-costbench: round %u: %u of %u completions\n", round, got,
					batch);
				return -1;
			}
			measured_poll();
			for (;;) {
				/* with --tls the socket is non-blocking after the bring-up */
				ssize_t n = io->ssl ? SSL_read(io->ssl, rx + rx_len, (int)(sizeof(rx) - rx_len))
						    : recv(io->fd, rx + rx_len, sizeof(rx) - rx_len, MSG_DONTWAIT);
				if (n <= 0)
					break;
				rx_len += (size_t)n;
			}
			int k = host_parse(lba, cid0, batch, done);
			if (k < 0) {
				fprintf(stderr, "wr-costbench: round %u: unexpected PDU or data\n", round);
				return -1;
			}
			got += (uint32_t)k;
		}
	}
	return 0;
}

/* Counter indexes in counted[] */
enum { C_ALL, C_EPOLL, C_RECVMSG, C_RECVFROM, C_SENDMSG, C_SENDTO };

static int check_busy_loop(uint32_t idle)
{
	if (idle || !counters_on || getenv("WINDROSE_EPOLL_INTERVAL")) {
		printf("wr-costbench: --check skipped (%s)\n",
		       idle ? "idle run" : counters_on ? "WINDROSE_EPOLL_INTERVAL is set"
						   : "no syscall tracepoints here");
		return 0;
	}
	double p = (double)polls;
	uint64_t recv_calls = counter_read(C_RECVMSG) + counter_read(C_RECVFROM);
	uint64_t send_calls = counter_read(C_SENDMSG) + counter_read(C_SENDTO);
	uint64_t epoll_calls = counter_read(C_EPOLL);
	double recvs = (double)recv_calls / p, sends = (double)send_calls / p;
	double epolls = (double)epoll_calls / p;
	/* Counts, with room for the first iterations, which find the queue cold (the warm-up let
	 * it cool) and ask epoll, and for a round that needs a second iteration. */
	bool ok = recv_calls <= polls + 2 && send_calls <= polls + 2;
	if (nquiet)   /* hot queues without data: epoll_wait and one recv(), not a recv() per queue */
		ok = ok && recv_calls + epoll_calls <= 2 * polls + 2;
	else
		ok = ok && epoll_calls <= polls / WR_CHECK_EPOLL_INTERVAL + 2;
	printf("wr-costbench: per loop iteration: %.3f recv, %.3f send, %.3f epoll_wait: %s\n", recvs,
	       sends, epolls, ok ? "as expected" : "MORE THAN EXPECTED");
	return ok ? 0 : -1;
}

/* One read on each quiet queue, answered with uncounted iterations: they are hot (recently
 * active) for the measured rounds but get nothing more. */
static int heat_quiet_queues(void)
{
	static uint8_t pdu[128];
	static uint8_t buf[IO_SIZE + 256];
	for (uint32_t i = 0; i < nquiet; i++) {
		struct pb pb = { .cid = 1 };
		size_t len = pb_read(&pb, pdu, 1, 0, IO_SIZE / BLOCK, IO_SIZE);
		if (th_send(&quiet[i], pdu, len))
			return -1;
		size_t got = 0;
		for (int spins = 0; got < sizeof(struct nvme_tcp_data_pdu) + IO_SIZE; spins++) {
			if (spins > 100000)
				return -1;
			wr_reactor_run_once(r);
			ssize_t n = recv(quiet[i].fd, buf + got, sizeof(buf) - got, MSG_DONTWAIT);
			if (n > 0)
				got += (size_t)n;
		}
	}
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: wr-costbench [--batch N (32)] [--rounds N (2000)] [--idle N] [--span-mib M (16)]\n"
		     "                    [--no-syscalls] [--single-pass] [--check] [--quiet-queues N] [--json]\n"
		     "                    [--tls]\n"
		     "--tls: the I/O queue over TLS 1.3 (the target's side of the channel is counted)\n"
		     "--single-pass: only the counted pass (no CPU time), for callgrind's instruction counts\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "batch", required_argument, NULL, 'b' }, { "rounds", required_argument, NULL, 'n' },
		{ "idle", required_argument, NULL, 'i' },  { "span-mib", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },        { "help", no_argument, NULL, 'h' },
		{ "no-syscalls", no_argument, NULL, 'S' }, { "single-pass", no_argument, NULL, '1' },
		{ "check", no_argument, NULL, 'c' },        { "quiet-queues", required_argument, NULL, 'q' },
		{ "tls", no_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t batch = 32, rounds = 2000, idle = 0, span_mib = 16;
	bool json = false, count_syscalls = true, single_pass = false, check = false;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'b': batch = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'n': rounds = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'i': idle = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 's': span_mib = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'j': json = true; break;
		case 'S': count_syscalls = false; break;
		case '1': single_pass = true; break;
		case 'c': check = true; break;
		case 'q': nquiet = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'T': use_tls = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (batch < 1 || batch > MAX_BATCH || span_mib < 1 || span_mib > 1024 || nquiet > MAX_QUIET ||
	    (use_tls && (nquiet || check))) {
		fprintf(stderr, "wr-costbench: --batch 1..%u, --span-mib 1..1024, --quiet-queues 0..%u "
			"(not with --tls, nor --check)\n",
			MAX_BATCH, MAX_QUIET);
		return 2;
	}
	wr_set_log_level(1);
	if (wr_target_create_manual(1, &t)) {
		fprintf(stderr, "wr-costbench: cannot create a target\n");
		return 1;
	}
	r = &t->reactors[0];
	/* What wr-target -m busy does: never sleep, no completion eventfd. */
	t->mode = WR_MODE_BUSY;
	wr_io_ctx_set_notify(r->ioctx, false);
	int port = -1;
	if (wr_subsystem_create(t, WR_NAME(SUBNQN), NULL, NULL, WR_SUBSYS_ALLOW_ANY_HOST) ||
	    wr_ns_add(t, WR_NAME(SUBNQN), 1, WR_BDEV_KIND_RAM, NULL, (uint64_t)span_mib << 20, 0, NULL, NULL, 0) ||
	    (port = wr_listener_add(t, WR_NAME(SUBNQN), "127.0.0.1", 0)) <= 0 ||
	    (use_tls && (wr_host_allow(t, WR_NAME(SUBNQN), WR_NAME(TH_HOSTNQN)) ||
			 wr_host_set_tls_psk(t, WR_NAME(SUBNQN), WR_NAME(TH_HOSTNQN), TLS_PSK, WR_TLS_FORM_LIBNVME) ||
			 wr_port_set_tls(t, "127.0.0.1", (uint16_t)port, WR_TLS_NOT_REQUIRED)))) {
		fprintf(stderr, "wr-costbench: cannot configure the target\n");
		wr_target_destroy(t);
		return 1;
	}
	struct th admin = { .fd = -1 }, io = { .fd = -1 };
	uint32_t span_blocks = (span_mib << 20) / BLOCK;
	int rc = bring_up((uint16_t)port, &admin, &io, span_blocks);
	if (rc == 0 && use_tls)
		fcntl(io.fd, F_SETFL, fcntl(io.fd, F_GETFL) | O_NONBLOCK);
	if (rc == 0) {
		if (count_syscalls)
			counters_open();
		/* Uncounted idle iterations first: the bring-up's queues go cold (busy mode reads only
		 * recently active queues directly), as a long-lived admin queue is in a real run. */
		for (int i = 0; i < 5000; i++)
			wr_reactor_run_once(r);
		if (heat_quiet_queues())
			rc = -1;
		/* pass 1: syscalls counted (callgrind counts instructions here too); pass 2: CPU time */
		for (int pass = 0; pass < (single_pass ? 1 : 2) && rc == 0; pass++) {
			measure_cpu = pass == 1;
			if (idle) {
				for (uint32_t i = 0; i < idle; i++)
					measured_poll();
			} else {
				rc = run_rounds(&io, rounds, batch, span_blocks);
			}
		}
	}
	uint64_t ios = idle ? 0 : (uint64_t)rounds * batch;
	uint64_t per = idle ? polls : ios;
	const char *unit = idle ? "idle loop iteration" : "I/O";
	if (rc == 0) {
		if (json) {
			printf("{\"batch\": %u, \"rounds\": %u, \"idle_polls\": %u, \"ios\": %" PRIu64
			       ", \"polls\": %" PRIu64 ", \"cpu_ns_per_unit\": %.1f, \"syscalls\": {",
			       idle ? 0 : batch, idle ? 0 : rounds, idle, ios, polls,
			       cpu_polls ? (double)cpu_in_poll / (double)(idle ? cpu_polls : ios) : -1.0);
			for (size_t i = 0; i < NCOUNTED; i++)
				printf("%s\"%s\": %.4f", i ? ", " : "", strchr(counted[i], '/') + 1,
				       counters_on ? (double)counter_read(i) / (double)per : -1.0);
			printf("}}\n");
		} else {
			printf("wr-costbench: %s: %" PRIu64 " %ss, %" PRIu64 " loop iterations (%.2f per %s)\n",
			       idle ? "idle busy polls" : "4 KiB random reads", per, unit, polls,
			       (double)polls / (double)per, unit);
			if (cpu_polls)
				printf("  target CPU time in the loop: %.0f ns per %s (moves with machine load)\n",
				       (double)cpu_in_poll / (double)(idle ? cpu_polls : ios), unit);
			if (counters_on) {
				for (size_t i = 0; i < NCOUNTED; i++)
					printf("  %-24s %8.3f per %s\n", strchr(counted[i], '/') + 1,
					       (double)counter_read(i) / (double)per, unit);
			}
		}
	}
	if (rc == 0 && check)
		rc = check_busy_loop(idle);
	th_close(&io);
	th_close(&admin);
	for (uint32_t i = 0; i < nquiet; i++)
		th_close(&quiet[i]);
	wr_target_destroy(t);
	return rc ? 1 : 0;
}
