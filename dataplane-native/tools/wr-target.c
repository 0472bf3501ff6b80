/*
 * wr-target - serve a configuration file over NVMe/TCP without the JVM (tests, fuzzing,
 * benchmarks). Prints exactly one line "wr-target: ready" on stdout once every listener is bound;
 * runs until SIGINT or SIGTERM, then shuts down cleanly. SIGUSR1 prints the reactor statistics
 * (loop iterations, busy and idle time) on stderr: bench/profile.sh reads them before and after a
 * run. SIGHUP reads the file again and applies its ana-state lines (only those: a failover drill
 * for tests), then prints "wr-target: ana states applied". Usage: see usage() and ../README.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "windrose.h"

static void reapply_ana(const char *config, struct wr_target *t)
{
	struct wr_config cfg = { .mode = -1 };
	char err[320];
	int rc = wr_config_load(config, &cfg, err, sizeof(err));
	if (rc == 0) {
		rc = wr_config_apply_ana(&cfg, t, err, sizeof(err));
		wr_config_free(&cfg);
	}
	if (rc < 0)
		fprintf(stderr, "wr-target: SIGHUP: %s: %s\n", config, err);
	else
		printf("wr-target: ana states applied\n");
	fflush(stdout);
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: wr-target -c CONFIG [-r REACTORS] [-m busy|adaptive] [--cpu LIST]\n"
		"                 [--limit NAME=VALUE]... [-v]\n"
		"       wr-target --gen-tls-psk 1|2   print a new TLS PSK in the interchange format\n"
		"  -c, --config FILE   configuration (subsystems, namespaces, listeners, hosts)\n"
		"  -r, --reactors N    reactor threads (overrides the file; default 1)\n"
		"  -m, --mode MODE     busy (100%% polling) or adaptive (default; sleeps when idle)\n"
		"      --cpu LIST      pin reactors to CPUs, e.g. 2,3 or 0-3\n"
		"      --epoll-interval N  while polling: epoll_wait every N loop iterations while queues\n"
		"                      are hot (1 = every iteration; default 16; sets\n"
		"                      WINDROSE_EPOLL_INTERVAL)\n"
		"      --limit NAME=VALUE  a connection limit, as in the file (overrides it):\n"
		"                      icreq-timeout-ms, connect-timeout-ms, max-connections-per-listener,\n"
		"                      max-connections-per-source, max-connections; repeatable\n"
		"  -v, --verbose       debug logging (repeat: no effect beyond debug)\n"
		"  -h, --help          this text\n");
}

/* One line per reactor: counters since the target started (monotonic, so callers diff them). */
static void print_reactor_stats(struct wr_target *t)
{
	int64_t size = wr_target_stats_size(t);
	void *buf = size > 0 ? malloc((size_t)size) : NULL;
	if (!buf || wr_target_stats_snapshot(t, buf, (uint64_t)size) < 0) {
		fprintf(stderr, "wr-target: no statistics snapshot\n");
		free(buf);
		return;
	}
	const struct wr_stats_header *h = buf;
	const struct wr_reactor_stats *rs =
		(const struct wr_reactor_stats *)((const uint8_t *)buf + h->reactor_offset);
	for (uint32_t i = 0; i < h->reactor_count; i++)
		fprintf(stderr,
			"wr-target: reactor %u statistics: polls %" PRIu64 " busy_ms %" PRIu64
			" idle_ms %" PRIu64 " sleeps %" PRIu64 "\n",
			rs[i].reactor_id, rs[i].polls, rs[i].busy_ns / 1000000, rs[i].idle_ns / 1000000,
			rs[i].sleeps);
	free(buf);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' }, { "reactors", required_argument, NULL, 'r' },
		{ "mode", required_argument, NULL, 'm' },   { "cpu", required_argument, NULL, 'C' },
		{ "verbose", no_argument, NULL, 'v' },      { "help", no_argument, NULL, 'h' },
		{ "epoll-interval", required_argument, NULL, 'E' },
		{ "limit", required_argument, NULL, 'L' },
		{ "gen-tls-psk", required_argument, NULL, 'G' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *cpus = NULL;
	char *limits[16];
	int nlimits = 0;
	long reactors = 0;
	int mode = -1, verbose = 0, c;
	while ((c = getopt_long(argc, argv, "c:r:m:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'r': {
			char *end;
			reactors = strtol(optarg, &end, 10);
			if (*end || reactors < 1 || reactors > 64) {
				fprintf(stderr, "wr-target: -r needs a number from 1 to 64\n");
				return 2;
			}
			break;
		}
		case 'm':
			if (strcmp(optarg, "busy") == 0)
				mode = WR_MODE_BUSY;
			else if (strcmp(optarg, "adaptive") == 0)
				mode = WR_MODE_ADAPTIVE;
			else {
				fprintf(stderr, "wr-target: -m must be busy or adaptive\n");
				return 2;
			}
			break;
		case 'C': cpus = optarg; break;
		case 'E': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 1000000) {
				fprintf(stderr, "wr-target: --epoll-interval needs a number from 1 to 1000000\n");
				return 2;
			}
			setenv("WINDROSE_EPOLL_INTERVAL", optarg, 1);   /* read by every reactor at start */
			break;
		}
		case 'L':
			if (nlimits == 16 || !strchr(optarg, '=')) {
				fprintf(stderr, "wr-target: --limit needs NAME=VALUE (at most 16 times)\n");
				return 2;
			}
			limits[nlimits++] = optarg;
			break;
		case 'G': {
			/* as `nvme gen-tls-key --hmac=1|2` prints it: 1 = 32 bytes (SHA-256), 2 = 48 */
			char psk[WR_TLS_PSK_MAX_LEN];
			int n = strcmp(optarg, "1") == 0 || strcmp(optarg, "2") == 0
					? wr_tls_psk_generate((uint32_t)(optarg[0] - '0'), psk, sizeof(psk)) : -EINVAL;
			if (n < 0) {
				fprintf(stderr, "wr-target: --gen-tls-psk needs 1 (SHA-256) or 2 (SHA-384)\n");
				return 2;
			}
			printf("%s\n", psk);
			return 0;
		}
		case 'v': verbose++; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!config || optind != argc) {
		usage(stderr);
		return 2;
	}
	char err[512];
	struct wr_config cfg;
	if (wr_config_load(config, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "wr-target: %s: %s\n", config, err);
		return 1;
	}
	for (int i = 0; i < nlimits; i++) {
		char *eq = strchr(limits[i], '=');
		*eq = '\0';
		if (wr_config_set_limit(&cfg, limits[i], eq + 1, 0, err, sizeof(err)) < 0) {
			fprintf(stderr, "wr-target: --limit: %s\n", err);
			wr_config_free(&cfg);
			return 2;
		}
	}
	wr_set_log_level(verbose ? 3 : 2);
	uint32_t nreactors = reactors ? (uint32_t)reactors : cfg.reactors ? cfg.reactors : 1;
	uint32_t m = mode >= 0 ? (uint32_t)mode : cfg.mode >= 0 ? (uint32_t)cfg.mode : WR_MODE_ADAPTIVE;

	/* A shell starts background jobs with SIGINT ignored, and an ignored signal is discarded
	 * even while blocked: restore the default so sigwait() below sees it. Reactor threads
	 * inherit the mask, so the signals reach sigwait() only. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct wr_target *t;
	int rc = wr_target_create(nreactors, m, cpus, &t);
	if (rc < 0) {
		fprintf(stderr, "wr-target: cannot create the target: %s\n", strerror(-rc));
		wr_config_free(&cfg);
		return 1;
	}
	rc = wr_config_apply(&cfg, t, err, sizeof(err));
	wr_config_free(&cfg);
	if (rc < 0) {
		fprintf(stderr, "wr-target: %s: %s\n", config, err);
		wr_target_destroy(t);
		return 1;
	}
	fprintf(stderr, "wr-target: %u reactor(s), %s mode\n", nreactors,
		m == WR_MODE_BUSY ? "busy" : "adaptive");
	printf("wr-target: ready\n");
	fflush(stdout);
	int sig = 0;
	while (sigwait(&set, &sig) != 0 || sig == SIGUSR1 || sig == SIGHUP) {
		if (sig == SIGUSR1)
			print_reactor_stats(t);
		if (sig == SIGHUP)
			reapply_ana(config, t);
		sig = 0;
	}
	fprintf(stderr, "wr-target: %s, shutting down\n", strsignal(sig));
	wr_target_destroy(t);
	return 0;
}
