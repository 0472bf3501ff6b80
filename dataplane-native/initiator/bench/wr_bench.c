/*
 * wr-bench - NVMe/TCP benchmark and data checker built on libwrinit.
 *
 * One thread (pinned with --cpu) drives every queue: each queue keeps --qd commands in flight,
 * each completion immediately submits the next command from the same slot. Latency is measured
 * per command (submit to callback, CLOCK_MONOTONIC) into the log-linear histogram of windrose.h.
 *
 * --verify: instead of the timed run, write a pattern over the first --verify-mib MiB (every
 * block starts with its LBA and the seed, the rest is derived from both), read it all back and
 * check every byte; exit status 1 on the first mismatch, which is reported.
 * --fill: write that pattern over the whole namespace once (a benchmark then reads written data;
 * against targets that fault RAM in on first touch it also keeps those faults out of the
 * measurement).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>
#include <time.h>

#include "windrose.h"
#include "wrinit.h"

enum workload { WL_READ, WL_WRITE, WL_RANDREAD, WL_RANDWRITE, WL_MIXED };
static const char *const workload_names[] = {"read", "write", "randread", "randwrite", "mixed"};

struct config {
	const char *addr, *nqn, *hostnqn, *json;
	uint16_t port;
	enum workload wl;
	uint32_t read_pct;
	uint32_t io_size;
	uint16_t qd, queues;
	double duration, warmup;
	int cpu;
	bool hdgst, ddgst, verify;
	bool fill;                  /* --fill: write the pattern over the whole namespace, once */
	bool epoll;                 /* --poll epoll: ask epoll which sockets have data */
	uint32_t verify_mib;
	uint64_t seed;
};

struct bench;

struct slot {
	struct bench *b;
	struct wri_queue *q;
	uint16_t qidx;
	bool is_read;
	uint64_t lba;
	uint64_t submit_ns;
	uint8_t *buf;
};

struct dir_stats {
	uint64_t ops, bytes, errors;
};

struct bench {
	struct config cfg;
	struct wri_ctrl *ctrl;
	const struct wri_ctrl_info *info;
	uint32_t io_blocks;
	uint64_t max_lba;           /* last start LBA a command may use */
	int epfd;                   /* --poll epoll */
	struct slot *slots;
	uint32_t nslots;
	uint64_t *seq_next;         /* per queue: next LBA for sequential workloads */
	uint64_t rng;
	bool measuring, stopping;
	double wait_s;              /* timed run: runnable but not running (schedstat), -1 unknown */
	int fatal;
	struct dir_stats rd, wr;
	uint64_t hist[WR_HIST_BUCKETS];
	uint64_t lat_sum_ns, lat_max_ns, lat_count;
	/* verify */
	uint64_t verify_next_lba, verify_end_lba, verify_written, verify_checked;
	uint64_t mismatches;
	bool verify_reading;
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* ---------------------------------------------------------------- workload */

static void choose_io(struct bench *b, struct slot *s)
{
	const struct config *c = &b->cfg;
	bool random = c->wl == WL_RANDREAD || c->wl == WL_RANDWRITE || c->wl == WL_MIXED;
	if (c->wl == WL_MIXED)
		s->is_read = (xorshift64(&b->rng) % 100u) < c->read_pct;
	else
		s->is_read = c->wl == WL_READ || c->wl == WL_RANDREAD;
	if (random) {
		uint64_t slots = b->max_lba / b->io_blocks + 1u;
		s->lba = (xorshift64(&b->rng) % slots) * b->io_blocks;
	} else {
		/* each queue streams through its own slice of the namespace */
		uint64_t slice = (b->max_lba + b->io_blocks) / c->queues / b->io_blocks * b->io_blocks;
		uint64_t base = slice * s->qidx;
		uint64_t *next = &b->seq_next[s->qidx];
		if (*next + b->io_blocks > slice || base + *next > b->max_lba)
			*next = 0;
		s->lba = base + *next;
		*next += b->io_blocks;
	}
}

static void on_complete(void *arg, int status);

/* now: the caller's clock when it has just read one (a completion's), else 0 to read it here. */
static int submit(struct slot *s, uint64_t now)
{
	struct bench *b = s->b;
	s->submit_ns = now ? now : now_ns();
	if (s->is_read)
		return wri_read(s->q, s->lba, b->io_blocks, s->buf, on_complete, s);
	return wri_write(s->q, s->lba, b->io_blocks, s->buf, false, on_complete, s);
}

static void record(struct bench *b, struct slot *s, int status, uint64_t lat)
{
	struct dir_stats *d = s->is_read ? &b->rd : &b->wr;
	if (status) {
		d->errors++;
		return;
	}
	d->ops++;
	d->bytes += b->cfg.io_size;
	b->hist[wr_hist_bucket(lat)]++;
	b->lat_sum_ns += lat;
	b->lat_count++;
	if (lat > b->lat_max_ns)
		b->lat_max_ns = lat;
}

static void on_complete(void *arg, int status)
{
	struct slot *s = arg;
	struct bench *b = s->b;
	uint64_t now = now_ns();
	uint64_t lat = now - s->submit_ns;
	if (status < 0 && !b->fatal)
		b->fatal = status;
	else if (status > 0)
		fprintf(stderr, "wr-bench: %s LBA %" PRIu64 " failed: NVMe status %#x\n",
			s->is_read ? "read" : "write", s->lba, status);
	if (b->measuring)
		record(b, s, status, lat);
	if (b->stopping || b->fatal)
		return;
	choose_io(b, s);
	int rc = submit(s, now);   /* the next command of this slot starts now: no second clock read */
	if (rc && !b->fatal)
		b->fatal = rc;
}

/* ---------------------------------------------------------------- verify */

static void fill_block(uint8_t *blk, uint32_t bs, uint64_t lba, uint64_t seed)
{
	uint64_t st = (lba + 1u) * 0x9e3779b97f4a7c15ull ^ seed;
	if (!st)
		st = 1;
	memcpy(blk, &lba, 8);
	memcpy(blk + 8, &seed, 8);
	for (uint32_t off = 16; off < bs; off += 8) {
		uint64_t v = xorshift64(&st);
		memcpy(blk + off, &v, 8);
	}
}

static void check_block(struct bench *b, const uint8_t *blk, uint64_t lba)
{
	uint32_t bs = b->info->block_size;
	uint8_t want[65536];
	fill_block(want, bs, lba, b->cfg.seed);
	if (memcmp(blk, want, bs) == 0)
		return;
	if (b->mismatches++ == 0) {
		uint32_t off = 0;
		while (blk[off] == want[off])
			off++;
		uint64_t got_lba;
		memcpy(&got_lba, blk, 8);
		fprintf(stderr, "wr-bench: verify: first mismatch at LBA %" PRIu64 " byte %u: expected %#04x "
			"got %#04x (block header says LBA %" PRIu64 ")\n", lba, off, want[off], blk[off], got_lba);
	}
}

static void on_verify(void *arg, int status);

static bool verify_next(struct slot *s)
{
	struct bench *b = s->b;
	if (b->verify_next_lba >= b->verify_end_lba)
		return false;
	s->lba = b->verify_next_lba;
	b->verify_next_lba += b->io_blocks;
	s->is_read = b->verify_reading;
	if (!s->is_read)
		for (uint32_t i = 0; i < b->io_blocks; i++)
			fill_block(s->buf + (size_t)i * b->info->block_size, b->info->block_size, s->lba + i,
				   b->cfg.seed);
	s->submit_ns = now_ns();
	int rc = s->is_read ? wri_read(s->q, s->lba, b->io_blocks, s->buf, on_verify, s)
			    : wri_write(s->q, s->lba, b->io_blocks, s->buf, false, on_verify, s);
	if (rc && !b->fatal)
		b->fatal = rc;
	return rc == 0;
}

static void on_verify(void *arg, int status)
{
	struct slot *s = arg;
	struct bench *b = s->b;
	if (status) {
		if (!b->fatal) /* report the first failure; a dead queue fails everything after it */
			fprintf(stderr, "wr-bench: verify: %s LBA %" PRIu64 " failed with status %d\n",
				s->is_read ? "read" : "write", s->lba, status);
		if (!b->fatal)
			b->fatal = status < 0 ? status : -EIO;
		return;
	}
	record(b, s, 0, now_ns() - s->submit_ns);
	if (s->is_read)
		for (uint32_t i = 0; i < b->io_blocks; i++)
			check_block(b, s->buf + (size_t)i * b->info->block_size, s->lba + i);
	*(s->is_read ? &b->verify_checked : &b->verify_written) += b->io_blocks;
	verify_next(s);
}

/* ---------------------------------------------------------------- driving */

static uint32_t total_inflight(struct bench *b)
{
	uint32_t n = 0;
	for (uint16_t i = 0; i < b->info->num_io_queues; i++)
		n += wri_queue_inflight(wri_ctrl_io_queue(b->ctrl, i));
	return n;
}

/* --poll epoll: one epoll_wait(0) finds the sockets with data, instead of a recv() per queue
 * that mostly says EAGAIN (and takes the socket lock the sender needs, on loopback). Queues with
 * PDUs still waiting for the socket are polled too, so their sends go on. */
static int poll_ready(struct bench *b)
{
	struct epoll_event evs[WRI_MAX_QUEUES];
	int n = epoll_wait(b->epfd, evs, WRI_MAX_QUEUES, 0);
	for (int i = 0; i < n; i++) {
		int rc = wri_queue_poll(wri_ctrl_io_queue(b->ctrl, (uint16_t)evs[i].data.u32), b->cfg.qd);
		if (rc < 0)
			return rc;
	}
	for (uint16_t i = 0; i < b->info->num_io_queues; i++) {
		struct wri_queue *q = wri_ctrl_io_queue(b->ctrl, i);
		if (wri_queue_send_pending(q)) {
			int rc = wri_queue_poll(q, b->cfg.qd);
			if (rc < 0)
				return rc;
		}
	}
	return b->fatal;
}

static int poll_all(struct bench *b)
{
	if (b->cfg.epoll)
		return poll_ready(b);
	for (uint16_t i = 0; i < b->info->num_io_queues; i++) {
		int rc = wri_queue_poll(wri_ctrl_io_queue(b->ctrl, i), b->cfg.qd);
		if (rc < 0)
			return rc;
	}
	return b->fatal;
}

/* Poll until deadline (or, with deadline 0, until nothing is in flight); keep-alive on the way. */
static int run_until(struct bench *b, uint64_t deadline)
{
	for (uint32_t iter = 0;; iter++) {
		int rc = poll_all(b);
		if (rc)
			return rc;
		if ((iter & 255u) == 0) {
			uint64_t t = now_ns();
			if (deadline ? t >= deadline : total_inflight(b) == 0)
				return 0;
			if (interrupted)
				return -EINTR;
			if ((iter & 65535u) == 0 && (rc = wri_ctrl_poll_admin(b->ctrl)) != 0)
				return rc;
		} else if (!deadline && total_inflight(b) == 0) {
			return 0;
		}
	}
}

static int drain(struct bench *b)
{
	b->stopping = true;
	uint64_t give_up = now_ns() + 10000000000ull;
	while (total_inflight(b)) {
		int rc = poll_all(b);
		if (rc)
			return rc;
		if (now_ns() > give_up)
			return -ETIMEDOUT;
	}
	return 0;
}

static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

/* Seconds this thread has waited on a run queue, runnable but not running (the second field of
 * /proc/thread-self/schedstat), or -1 where the kernel does not say. On a shared machine it tells a
 * slow repetition that lost its CPU from one that did not. */
static double run_delay_seconds(void)
{
	FILE *f = fopen("/proc/thread-self/schedstat", "re");
	if (!f)
		return -1;
	unsigned long long run_ns, wait_ns;
	int n = fscanf(f, "%llu %llu", &run_ns, &wait_ns);
	fclose(f);
	return n == 2 ? (double)wait_ns / 1e9 : -1;
}

static int run_timed(struct bench *b, double *elapsed, double *cpu)
{
	for (uint32_t i = 0; i < (uint32_t)b->info->num_io_queues * b->cfg.qd; i++) {
		choose_io(b, &b->slots[i]);
		int rc = submit(&b->slots[i], 0);
		if (rc)
			return rc;
	}
	int rc = 0;
	if (b->cfg.warmup > 0)
		rc = run_until(b, now_ns() + (uint64_t)(b->cfg.warmup * 1e9));
	if (rc)
		return rc;
	b->measuring = true;
	double cpu0 = cpu_seconds(), wait0 = run_delay_seconds();
	uint64_t t0 = now_ns();
	rc = run_until(b, t0 + (uint64_t)(b->cfg.duration * 1e9));
	b->measuring = false;
	*elapsed = (double)(now_ns() - t0) / 1e9;
	*cpu = cpu_seconds() - cpu0;
	double wait1 = run_delay_seconds();
	b->wait_s = wait0 < 0 || wait1 < 0 ? -1 : wait1 - wait0;
	int drc = drain(b);
	return rc ? rc : drc;
}

/* --verify: write pass then read-and-check pass over --verify-mib; --fill: write pass only, over
 * the whole namespace (so a benchmark that follows touches no fresh pages of a RAM namespace). */
static int run_verify(struct bench *b, double *elapsed, double *cpu)
{
	uint64_t ns_bytes = b->info->ns_blocks * b->info->block_size;
	uint64_t bytes = b->cfg.fill ? ns_bytes : (uint64_t)b->cfg.verify_mib << 20;
	if (bytes > ns_bytes)
		bytes = ns_bytes;
	b->verify_end_lba = bytes / b->info->block_size / b->io_blocks * b->io_blocks;
	double cpu0 = cpu_seconds();
	uint64_t t0 = now_ns();
	b->measuring = true;
	for (int pass = 0; pass < (b->cfg.fill ? 1 : 2); pass++) {
		b->verify_reading = pass == 1;
		b->verify_next_lba = 0;
		for (uint32_t i = 0; i < (uint32_t)b->info->num_io_queues * b->cfg.qd; i++)
			if (!verify_next(&b->slots[i]))
				break;
		int rc = run_until(b, 0);
		if (rc)
			return rc;
		if (b->fatal)
			return b->fatal;
	}
	b->measuring = false;
	*elapsed = (double)(now_ns() - t0) / 1e9;
	*cpu = cpu_seconds() - cpu0;
	return 0;
}

/* ---------------------------------------------------------------- report */

static double percentile_us(const struct bench *b, double p)
{
	if (!b->lat_count)
		return 0;
	uint64_t want = (uint64_t)(p * (double)b->lat_count + 0.999999), seen = 0;
	if (want == 0)
		want = 1;
	for (uint32_t i = 0; i < WR_HIST_BUCKETS; i++) {
		seen += b->hist[i];
		if (seen >= want) {
			/* middle of the bucket: within 3.1 % of any value in it */
			uint64_t lo = wr_hist_bucket_lower_ns(i);
			uint64_t hi = i + 1 < WR_HIST_BUCKETS ? wr_hist_bucket_lower_ns(i + 1) : lo;
			double v = (double)(lo + hi) / 2.0;
			if (v > (double)b->lat_max_ns)
				v = (double)b->lat_max_ns;
			return v / 1000.0;
		}
	}
	return (double)b->lat_max_ns / 1000.0;
}

struct result {
	double elapsed, cpu, iops, mibs, avg, p50, p99, p999, max;
	uint64_t ops, errors;
};

static struct result summarize(const struct bench *b, double elapsed, double cpu)
{
	struct result r = {.elapsed = elapsed, .cpu = cpu};
	r.ops = b->rd.ops + b->wr.ops;
	r.errors = b->rd.errors + b->wr.errors;
	r.iops = elapsed > 0 ? (double)r.ops / elapsed : 0;
	r.mibs = elapsed > 0 ? (double)(b->rd.bytes + b->wr.bytes) / elapsed / 1048576.0 : 0;
	r.avg = b->lat_count ? (double)b->lat_sum_ns / (double)b->lat_count / 1000.0 : 0;
	r.p50 = percentile_us(b, 0.50);
	r.p99 = percentile_us(b, 0.99);
	r.p999 = percentile_us(b, 0.999);
	r.max = (double)b->lat_max_ns / 1000.0;
	return r;
}

static void queue_totals(struct bench *b, struct wri_queue_stats *t)
{
	memset(t, 0, sizeof(*t));
	for (uint16_t i = 0; i < b->info->num_io_queues; i++) {
		struct wri_queue_stats s;
		wri_queue_get_stats(wri_ctrl_io_queue(b->ctrl, i), &s);
		t->send_calls += s.send_calls;
		t->recv_calls += s.recv_calls;
		t->pdus_sent += s.pdus_sent;
		t->pdus_received += s.pdus_received;
		t->r2ts += s.r2ts;
		t->c2h_success += s.c2h_success;
	}
}

static void print_human(struct bench *b, const struct result *r)
{
	const struct config *c = &b->cfg;
	printf("wr-bench: %s %s io=%u qd=%u queues=%u%s%s: %.0f IOPS, %.1f MiB/s, lat us avg %.1f "
	       "p50 %.1f p99 %.1f p99.9 %.1f max %.1f, errors %" PRIu64 ", initiator CPU %.2f us/IO\n",
	       c->fill ? "fill" : c->verify ? "verify" : workload_names[c->wl], c->addr, c->io_size, c->qd,
	       b->info->num_io_queues, c->hdgst ? " hdgst" : "", c->ddgst ? " ddgst" : "", r->iops,
	       r->mibs, r->avg, r->p50, r->p99, r->p999, r->max, r->errors,
	       r->ops ? r->cpu / (double)r->ops * 1e6 : 0.0);
	if (c->verify)
		printf("wr-bench: verify: %" PRIu64 " of %" PRIu64 " blocks written, %" PRIu64 " read back "
		       "and checked, %" PRIu64 " mismatching block(s)\n", b->verify_written, b->verify_end_lba,
		       b->verify_checked, b->mismatches);
}

static int write_json(struct bench *b, const struct result *r)
{
	FILE *f = fopen(b->cfg.json, "w");
	if (!f) {
		fprintf(stderr, "wr-bench: cannot write %s: %s\n", b->cfg.json, strerror(errno));
		return -errno;
	}
	const struct config *c = &b->cfg;
	struct wri_queue_stats qs;
	queue_totals(b, &qs);
	fprintf(f, "{\n  \"workload\": \"%s\", \"read_pct\": %u, \"io_size\": %u, \"qd\": %u, "
		"\"queues\": %u,\n  \"hdgst\": %s, \"ddgst\": %s, \"duration_s\": %.3f, \"addr\": \"%s\", "
		"\"port\": %u, \"nqn\": \"%s\",\n",
		c->fill ? "fill" : c->verify ? "verify" : workload_names[c->wl], c->read_pct, c->io_size, c->qd,
		b->info->num_io_queues, c->hdgst ? "true" : "false", c->ddgst ? "true" : "false",
		r->elapsed, c->addr, c->port, c->nqn);
	fprintf(f, "  \"ops\": %" PRIu64 ", \"read_ops\": %" PRIu64 ", \"write_ops\": %" PRIu64
		", \"errors\": %" PRIu64 ",\n  \"iops\": %.1f, \"mib_s\": %.2f,\n", r->ops, b->rd.ops,
		b->wr.ops, r->errors, r->iops, r->mibs);
	fprintf(f, "  \"lat_us\": {\"avg\": %.2f, \"p50\": %.2f, \"p99\": %.2f, \"p99_9\": %.2f, "
		"\"max\": %.2f},\n", r->avg, r->p50, r->p99, r->p999, r->max);
	fprintf(f, "  \"initiator_cpu_s\": %.4f, \"initiator_cpu_us_per_io\": %.3f,\n", r->cpu,
		r->ops ? r->cpu / (double)r->ops * 1e6 : 0.0);
	if (b->wait_s >= 0)
		fprintf(f, "  \"initiator_wait_s\": %.4f,\n", b->wait_s);
	fprintf(f, "  \"transport\": {\"send_calls\": %" PRIu64 ", \"recv_calls\": %" PRIu64
		", \"pdus_sent\": %" PRIu64 ", \"pdus_received\": %" PRIu64 ", \"r2ts\": %" PRIu64
		", \"c2h_success\": %" PRIu64 "},\n", qs.send_calls, qs.recv_calls, qs.pdus_sent,
		qs.pdus_received, qs.r2ts, qs.c2h_success);
	fprintf(f, "  \"verify\": %s, \"verify_blocks\": %" PRIu64 ", \"mismatches\": %" PRIu64 "\n}\n",
		c->verify ? "true" : "false", c->verify ? b->verify_checked : 0, b->mismatches);
	return fclose(f) ? -errno : 0;
}

/* ---------------------------------------------------------------- options */

static void usage(FILE *out)
{
	fprintf(out,
		"usage: wr-bench --addr A [--port 4420] --nqn NQN [--workload read|write|randread|randwrite|mixed]\n"
		"                [--read-pct 70] [--io-size 4k] [--qd 32] [--queues 1] [--duration 10]\n"
		"                [--warmup 0] [--cpu N] [--hdgst] [--ddgst] [--verify] [--verify-mib 64]\n"
		"                [--seed N] [--json FILE] [--hostnqn NQN] [--poll spin|epoll] [--fill]\n");
}

static int parse_size(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (end == s)
		return -EINVAL;
	if (*end == 'k' || *end == 'K')
		v <<= 10, end++;
	else if (*end == 'm' || *end == 'M')
		v <<= 20, end++;
	if (*end || v == 0 || v > (1u << 24))
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max)
		return false;
	*out = v;
	return true;
}

static int parse_args(int argc, char **argv, struct config *c)
{
	static const struct option opts[] = {
		{"addr", required_argument, 0, 'a'}, {"port", required_argument, 0, 'p'},
		{"nqn", required_argument, 0, 'n'}, {"workload", required_argument, 0, 'w'},
		{"read-pct", required_argument, 0, 'r'}, {"io-size", required_argument, 0, 's'},
		{"qd", required_argument, 0, 'q'}, {"queues", required_argument, 0, 'Q'},
		{"duration", required_argument, 0, 'd'}, {"warmup", required_argument, 0, 'W'},
		{"cpu", required_argument, 0, 'c'}, {"hdgst", no_argument, 0, 'H'},
		{"ddgst", no_argument, 0, 'D'}, {"verify", no_argument, 0, 'v'},
		{"verify-mib", required_argument, 0, 'V'}, {"seed", required_argument, 0, 'S'},
		{"json", required_argument, 0, 'j'}, {"hostnqn", required_argument, 0, 'h'},
		{"poll", required_argument, 0, 'P'}, {"fill", no_argument, 0, 'F'}, {"help", no_argument, 0, '?'}, {0, 0, 0, 0},
	};
	*c = (struct config){.port = 4420, .wl = WL_RANDREAD, .read_pct = 70, .io_size = 4096, .qd = 32,
			     .queues = 1, .duration = 10, .cpu = -1, .verify_mib = 64,
			     .seed = (uint64_t)time(NULL)};
	int o;
	unsigned long v;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'a': c->addr = optarg; break;
		case 'n': c->nqn = optarg; break;
		case 'h': c->hostnqn = optarg; break;
		case 'j': c->json = optarg; break;
		case 'H': c->hdgst = true; break;
		case 'D': c->ddgst = true; break;
		case 'v': c->verify = true; break;
		case 'F': c->fill = true; break;
		case 'p':
			if (!parse_uint(optarg, 65535, &v) || !v)
				goto bad;
			c->port = (uint16_t)v;
			break;
		case 'w': {
			int i;
			for (i = 0; i < 5 && strcmp(optarg, workload_names[i]); i++)
				;
			if (i == 5)
				goto bad;
			c->wl = (enum workload)i;
			break;
		}
		case 'r':
			if (!parse_uint(optarg, 100, &v))
				goto bad;
			c->read_pct = (uint32_t)v;
			break;
		case 's':
			if (parse_size(optarg, &c->io_size))
				goto bad;
			break;
		case 'q':
			if (!parse_uint(optarg, 4096, &v) || !v)
				goto bad;
			c->qd = (uint16_t)v;
			break;
		case 'Q':
			if (!parse_uint(optarg, WRI_MAX_QUEUES, &v) || !v)
				goto bad;
			c->queues = (uint16_t)v;
			break;
		case 'c':
			if (!parse_uint(optarg, CPU_SETSIZE - 1, &v))
				goto bad;
			c->cpu = (int)v;
			break;
		case 'V':
			if (!parse_uint(optarg, 1u << 20, &v) || !v)
				goto bad;
			c->verify_mib = (uint32_t)v;
			break;
		case 'S':
			c->seed = strtoull(optarg, NULL, 0);
			break;
		case 'P':
			if (strcmp(optarg, "spin") && strcmp(optarg, "epoll"))
				goto bad;
			c->epoll = strcmp(optarg, "epoll") == 0;
			break;
		case 'd':
		case 'W': {
			char *end;
			double d = strtod(optarg, &end);
			if (end == optarg || *end || d < 0 || d > 86400 || (o == 'd' && d == 0))
				goto bad;
			*(o == 'd' ? &c->duration : &c->warmup) = d;
			break;
		}
		default:
			usage(o == '?' ? stdout : stderr);
			return -EINVAL;
		}
	}
	if (c->fill && c->verify) {
		fprintf(stderr, "wr-bench: --fill and --verify are separate runs\n");
		return -EINVAL;
	}
	if (optind != argc || !c->addr || !c->nqn) {
		fprintf(stderr, "wr-bench: --addr and --nqn are required\n");
		usage(stderr);
		return -EINVAL;
	}
	return 0;
bad:
	fprintf(stderr, "wr-bench: bad option value '%s'\n", optarg);
	usage(stderr);
	return -EINVAL;
}

static int pin_cpu(int cpu)
{
	if (cpu < 0)
		return 0;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "wr-bench: cannot pin to CPU %d: %s\n", cpu, strerror(errno));
		return -errno;
	}
	return 0;
}

static int setup(struct bench *b)
{
	struct config *c = &b->cfg;
	struct wri_opts o = {.addr = c->addr, .port = c->port, .subnqn = c->nqn, .hostnqn = c->hostnqn,
			     .num_io_queues = c->queues, .queue_depth = c->qd, .max_io_bytes = c->io_size,
			     .hdgst = c->hdgst, .ddgst = c->ddgst};
	int rc = wri_connect(&o, &b->ctrl);
	if (rc) {
		fprintf(stderr, "wr-bench: cannot connect to %s:%u %s: %s\n", c->addr, c->port, c->nqn,
			strerror(-rc));
		return rc;
	}
	b->info = wri_ctrl_get_info(b->ctrl);
	if (c->io_size % b->info->block_size || c->io_size / b->info->block_size > b->info->ns_blocks ||
	    (c->verify && b->info->block_size > 65536)) {
		fprintf(stderr, "wr-bench: --io-size %u does not fit %u-byte blocks x %" PRIu64 "\n",
			c->io_size, b->info->block_size, b->info->ns_blocks);
		return -EINVAL;
	}
	if (b->info->max_xfer_bytes && c->io_size > b->info->max_xfer_bytes) {
		fprintf(stderr, "wr-bench: --io-size %u exceeds the controller's maximum transfer size "
			"(MDTS) of %u bytes\n", c->io_size, b->info->max_xfer_bytes);
		return -EINVAL;
	}
	if (b->info->queue_depth < c->qd) {
		fprintf(stderr, "wr-bench: controller limits the queue depth to %u\n", b->info->queue_depth);
		c->qd = b->info->queue_depth;
	}
	if (c->epoll) {
		b->epfd = epoll_create1(EPOLL_CLOEXEC);
		if (b->epfd < 0)
			return -errno;
		for (uint16_t i = 0; i < b->info->num_io_queues; i++) {
			struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
			if (epoll_ctl(b->epfd, EPOLL_CTL_ADD, wri_queue_fd(wri_ctrl_io_queue(b->ctrl, i)), &ev))
				return -errno;
		}
	}
	b->io_blocks = c->io_size / b->info->block_size;
	b->max_lba = b->info->ns_blocks - b->io_blocks;
	b->rng = c->seed ? c->seed : 1;
	uint32_t nslots = (uint32_t)b->info->num_io_queues * c->qd;
	b->slots = calloc(nslots, sizeof(*b->slots));
	b->nslots = b->slots ? nslots : 0;
	b->seq_next = calloc(b->info->num_io_queues, sizeof(*b->seq_next));
	if (!b->slots || !b->seq_next)
		return -ENOMEM;
	for (uint32_t i = 0; i < nslots; i++) {
		struct slot *s = &b->slots[i];
		s->b = b;
		s->qidx = (uint16_t)(i / c->qd);
		s->q = wri_ctrl_io_queue(b->ctrl, s->qidx);
		s->buf = aligned_alloc(4096, (c->io_size + 4095u) & ~4095u);
		if (!s->buf)
			return -ENOMEM;
		for (uint32_t j = 0; j < c->io_size; j++)
			s->buf[j] = (uint8_t)(j * 7u + i);
	}
	return 0;
}

static void free_bench(struct bench *b)
{
	for (uint32_t i = 0; b->slots && i < b->nslots; i++)
		free(b->slots[i].buf);
	free(b->slots);
	free(b->seq_next);
	if (b->epfd >= 0)
		close(b->epfd);
	free(b);
}

int main(int argc, char **argv)
{
	struct bench *b = calloc(1, sizeof(*b));
	if (!b)
		return 2;
	b->epfd = -1;
	b->wait_s = -1; /* set by a timed run */
	if (parse_args(argc, argv, &b->cfg) || pin_cpu(b->cfg.cpu)) {
		free(b);
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	int rc = setup(b);
	if (rc) {
		wri_disconnect(b->ctrl);
		free_bench(b);
		return 2;
	}
	double elapsed = 0, cpu = 0;
	rc = b->cfg.verify || b->cfg.fill ? run_verify(b, &elapsed, &cpu) : run_timed(b, &elapsed, &cpu);
	if (rc)
		fprintf(stderr, "wr-bench: run failed: %s\n", strerror(-rc));
	struct result r = summarize(b, elapsed, cpu);
	print_human(b, &r);
	if (b->cfg.json && write_json(b, &r))
		rc = rc ? rc : -EIO;
	wri_disconnect(b->ctrl);
	int status = rc || b->mismatches || r.errors ? 1 : 0;
	free_bench(b);
	return status;
}
