/*
 * mirror_bench - 4 KiB random writes to a mirrored and to a plain RAM namespace of one target, the
 * partner target in the same process, everything on 127.0.0.1 (issue 16's "mirrored vs plain").
 * Repetitions alternate plain and mirror so that a change in the machine's load hits both; every
 * repetition is printed with /proc/loadavg.
 *
 *   mirror_bench [--seconds S] [--reps N] [--qd Q]... [--only plain|mirror]
 *                (defaults: 3 s, 5 repetitions, QD 1 and 32, both cases; --only for a profiler)
 *
 * Three busy threads here (the host's poll loop, the active target's reactor, the partner's) share
 * the machine's cores with whatever else runs: read the figures against the load printed with them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "windrose.h"
#include "wrinit.h"

#define ACTIVE_NQN "nqn.2026-12.dev.windrose:bench-active"
#define PARTNER_NQN "nqn.2026-12.dev.windrose:bench-partner"
#define HOST_NQN "nqn.2026-12.dev.windrose:bench-node"
#define SIZE (128ull << 20)
#define IO 4096u

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void loadavg(char *out, size_t len)
{
	FILE *f = fopen("/proc/loadavg", "r");
	out[0] = 0;
	if (f) {
		if (fgets(out, (int)len, f))
			out[strcspn(out, "\n")] = 0;
		fclose(f);
	}
}

struct run {
	uint64_t done;
	uint64_t errors;
	uint64_t lat_sum;
	uint64_t *start;     /* per buffer slot */
};

struct slot_arg {
	struct run *run;
	uint32_t slot;
};

static void on_write(void *arg, int status)
{
	struct slot_arg *a = arg;
	a->run->done++;
	a->run->errors += status != 0;
	a->run->lat_sum += now_ns() - a->run->start[a->slot];
	a->run->start[a->slot] = 0;
}

/* ---- one loopback round trip, the yardstick of issue 16's QD1 goal: what the mirror's remote leg
 * costs at least. A command capsule with 4 KiB of data one way, a 16-byte completion back, over a
 * TCP connection on 127.0.0.1 with TCP_NODELAY, both ends polling as adaptive reactors do: 200 us,
 * then asleep until data comes (the targets' reactors are asleep meanwhile). */

#define RT_OUT (72u + IO)
#define RT_BACK 24u
#define RT_SPIN_NS 200000u   /* the target's WR_IDLE_BEFORE_SLEEP_NS */

static int recv_exact(int fd, uint8_t *buf, size_t len)
{
	size_t got = 0;
	uint64_t spin_until = now_ns() + RT_SPIN_NS;
	while (got < len) {
		ssize_t n = recv(fd, buf + got, len - got, MSG_DONTWAIT);
		if (n > 0) {
			got += (size_t)n;
		} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
			return -1;
		} else if (now_ns() > spin_until) {
			/* as an adaptive reactor: poll a while, then sleep until the data comes */
			struct pollfd pfd = { .fd = fd, .events = POLLIN };
			poll(&pfd, 1, 100);
		}
	}
	return 0;
}

static int send_exact(int fd, const uint8_t *buf, size_t len)
{
	size_t sent = 0;
	while (sent < len) {
		ssize_t n = send(fd, buf + sent, len - sent, MSG_NOSIGNAL);
		if (n < 0 && errno != EINTR)
			return -1;
		if (n > 0)
			sent += (size_t)n;
	}
	return 0;
}

static void *echo_main(void *arg)
{
	int fd = *(int *)arg;
	uint8_t buf[RT_OUT];
	while (recv_exact(fd, buf, RT_OUT) == 0 && send_exact(fd, buf, RT_BACK) == 0)
		;
	return NULL;
}

/* Mean round trip in microseconds over `seconds`, or a negative errno. */
static double loopback_round_trip_us(double seconds)
{
	int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 1) ||
	    getsockname(lfd, (struct sockaddr *)&a, &alen))
		return -errno;
	int cfd = socket(AF_INET, SOCK_STREAM, 0);
	if (cfd < 0 || connect(cfd, (struct sockaddr *)&a, sizeof(a)))
		return -errno;
	int sfd = accept(lfd, NULL, NULL);
	close(lfd);
	if (sfd < 0)
		return -errno;
	setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(sfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	pthread_t th;
	pthread_create(&th, NULL, echo_main, &sfd);
	static uint8_t buf[RT_OUT];
	uint64_t n = 0, t0 = now_ns(), end = t0 + (uint64_t)(seconds * 1e9);
	while (now_ns() < end && send_exact(cfd, buf, RT_OUT) == 0 && recv_exact(cfd, buf, RT_BACK) == 0)
		n++;
	double us = n ? (double)(now_ns() - t0) / (double)n / 1e3 : -EIO;
	shutdown(cfd, SHUT_RDWR);
	pthread_join(th, NULL);
	close(cfd);
	close(sfd);
	return us;
}

static int fail(const char *what, int rc)
{
	fprintf(stderr, "mirror_bench: %s: %s\n", what, strerror(rc < 0 ? -rc : rc));
	return 1;
}

static int bench(struct wri_ctrl *host, uint32_t qd, double seconds, double *iops, double *lat_us)
{
	struct wri_queue *q = wri_ctrl_io_queue(host, 0);
	uint32_t blocks = IO / wri_ctrl_get_info(host)->block_size;
	uint8_t *bufs = aligned_alloc(4096, (size_t)qd * IO);
	struct run run = { 0 };
	run.start = calloc(qd, sizeof(uint64_t));
	struct slot_arg *args = calloc(qd, sizeof(*args));
	if (!bufs || !run.start || !args)
		return -ENOMEM;
	memset(bufs, 0x5a, (size_t)qd * IO);
	uint64_t seed = 88172645463325252ull;
	uint64_t t0 = now_ns(), end = t0 + (uint64_t)(seconds * 1e9);
	uint32_t inflight = 0;
	int rc = 0;
	for (;;) {
		uint64_t now = now_ns();
		for (uint32_t s = 0; s < qd && now < end; s++) {
			if (run.start[s])
				continue;
			seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
			uint64_t lba = (seed % (SIZE / IO)) * blocks;
			args[s] = (struct slot_arg){ &run, s };
			run.start[s] = now_ns();
			rc = wri_write(q, lba, blocks, bufs + (size_t)s * IO, false, on_write, &args[s]);
			if (rc) {
				run.start[s] = 0;
				goto out;
			}
			inflight++;
		}
		if (now >= end && run.done == inflight)
			break;
		if ((rc = wri_queue_poll(q, 64)) < 0)
			goto out;
		if (rc == 0 && !wri_queue_send_pending(q)) {
			/* sleep until the target answers: a spinning host would take the CPU the two
			 * targets' reactors need on a small machine */
			struct pollfd pfd = { .fd = wri_queue_fd(q), .events = POLLIN };
			poll(&pfd, 1, 1);
		}
		rc = 0;
	}
	double elapsed = (double)(now_ns() - t0) / 1e9;
	*iops = (double)run.done / elapsed;
	*lat_us = run.done ? (double)run.lat_sum / (double)run.done / 1e3 : 0;
	if (run.errors)
		rc = -EIO;
out:
	free(bufs);
	free(run.start);
	free(args);
	return rc;
}

int main(int argc, char **argv)
{
	double seconds = 3;
	int reps = 5;
	uint32_t qds[8];
	int nqd = 0;
	int only = -1;     /* 0 plain, 1 mirror, -1 both */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			seconds = atof(argv[++i]);
		else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--qd") && i + 1 < argc && nqd < 8)
			qds[nqd++] = (uint32_t)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = !strcmp(argv[++i], "mirror");
		else {
			fprintf(stderr, "usage: mirror_bench [--seconds S] [--reps N] [--qd Q]... [--only plain|mirror]\n");
			return 2;
		}
	}
	if (!nqd) {
		qds[nqd++] = 1;
		qds[nqd++] = 32;
	}
	wr_set_log_level(1);
	struct wr_target *partner, *active;
	int rc;
	if ((rc = wr_target_create(1, WR_MODE_ADAPTIVE, NULL, &partner)) ||
	    (rc = wr_subsystem_create(partner, WR_NAME(PARTNER_NQN), NULL, NULL, WR_SUBSYS_ALLOW_ANY_HOST)) ||
	    (rc = wr_ns_add(partner, WR_NAME(PARTNER_NQN), 1, WR_BDEV_KIND_RAM, NULL, SIZE, 0, NULL, NULL, 0)))
		return fail("partner", rc);
	int pport = wr_listener_add(partner, WR_NAME(PARTNER_NQN), "127.0.0.1", 0);
	if (pport < 0)
		return fail("partner listener", pport);
	struct wr_mirror_opts mo = { .port = (uint32_t)pport, .nsid = 1 };
	strcpy(mo.addr, "127.0.0.1");
	strcpy(mo.subnqn, PARTNER_NQN);
	strcpy(mo.hostnqn, HOST_NQN);
	if ((rc = wr_target_create(1, WR_MODE_ADAPTIVE, NULL, &active)) ||
	    (rc = wr_subsystem_create(active, WR_NAME(ACTIVE_NQN), NULL, NULL, WR_SUBSYS_ALLOW_ANY_HOST)) ||
	    (rc = wr_ns_add(active, WR_NAME(ACTIVE_NQN), 1, WR_BDEV_KIND_RAM, NULL, SIZE, 0, NULL, NULL, 0)) ||
	    (rc = wr_ns_add_mirror(active, WR_NAME(ACTIVE_NQN), 2, WR_BDEV_KIND_RAM, NULL, 0, SIZE, 0, NULL,
				   NULL, 0, &mo)))
		return fail("active", rc);
	int aport = wr_listener_add(active, WR_NAME(ACTIVE_NQN), "127.0.0.1", 0);
	if (aport < 0)
		return fail("active listener", aport);
	struct wri_ctrl *host[2];
	for (uint32_t ns = 1; ns <= 2; ns++) {
		struct wri_opts o = { .addr = "127.0.0.1", .port = (uint16_t)aport, .subnqn = ACTIVE_NQN,
				      .hostnqn = HOST_NQN, .nsid = ns, .num_io_queues = 1, .queue_depth = 128 };
		if ((rc = wri_connect(&o, &host[ns - 1])))
			return fail("host connect", rc);
	}
	printf("mirror_bench: 4 KiB random writes, %.1f s per repetition, RAM legs of 128 MiB, 1 reactor each\n",
	       seconds);
	for (int qi = 0; qi < nqd; qi++) {
		double sum[2] = { 0 }, lat_sum[2] = { 0 }, rt_sum = 0;
		for (int r = 0; r < reps; r++) {
			for (int m = 0; m < 2; m++) {
				if (only >= 0 && m != only)
					continue;
				double iops, lat;
				char la[128];
				if ((rc = bench(host[m], qds[qi], seconds, &iops, &lat)))
					return fail("bench", rc);
				loadavg(la, sizeof(la));
				sum[m] += iops;
				lat_sum[m] += lat;
				printf("qd %-3u rep %d %-6s %9.0f IOPS  mean %7.1f us   loadavg %s\n", qds[qi], r + 1,
				       m ? "mirror" : "plain", iops, lat, la);
				fflush(stdout);
			}
			if (qds[qi] == 1 && only < 0) {
				/* the yardstick in the same run, between the repetitions it judges */
				char la[128];
				double rt = loopback_round_trip_us(seconds < 1 ? seconds : 1);
				loadavg(la, sizeof(la));
				rt_sum += rt;
				printf("qd 1   rep %d loopback round trip  %7.1f us   loadavg %s\n", r + 1, rt, la);
			}
			wri_ctrl_poll_admin(host[0]);
			wri_ctrl_poll_admin(host[1]);
		}
		struct wr_mirror_status st;
		wr_ns_mirror_status(active, WR_NAME(ACTIVE_NQN), 2, &st);
		printf("qd %-3u mean of %d: plain %.0f IOPS, mirror %.0f IOPS (%.0f %%); mirror %s, %llu remote I/Os\n",
		       qds[qi], reps, sum[0] / reps, sum[1] / reps, sum[0] > 0 ? 100.0 * sum[1] / sum[0] : 0,
		       st.state == WR_MIRROR_IN_SYNC ? "in sync" : "NOT in sync",
		       (unsigned long long)st.remote_ios);
		if (qds[qi] == 1 && only < 0)
			printf("qd 1   mean latency: plain %.1f us, mirror %.1f us, mirror - plain %.1f us; one "
			       "loopback round trip %.1f us (issue 16: mirror <= plain + one round trip)\n",
			       lat_sum[0] / reps, lat_sum[1] / reps, (lat_sum[1] - lat_sum[0]) / reps, rt_sum / reps);
	}
	wri_disconnect(host[0]);
	wri_disconnect(host[1]);
	wr_target_destroy(active);
	wr_target_destroy(partner);
	return 0;
}
