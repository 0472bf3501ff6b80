/*
 * wr-c2c - how far apart two CPUs are: the round trip of one cache line between a thread pinned to
 * each, in nanoseconds. bench/run.sh measures it before every repetition between the target's and
 * wr-bench's CPUs: on a VM the host places the two vCPUs, and a loopback benchmark moves every
 * byte from one to the other, so a figure that is six times higher (two vCPUs on different L3
 * caches of the host, not visible to the guest otherwise) halves the IOPS.
 *
 * Usage: wr-c2c [--seconds S] CPU_A CPU_B. Prints one line "c2c best N median M batches B": ns
 * per round trip of the best and the median batch of 100 round trips. The best batch is one in
 * which both threads ran all along, so a loaded machine (time slices taken by others) moves the
 * median but hardly the best. Exit status 2 on bad arguments or a CPU it cannot pin to.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROUND_TRIPS_PER_BATCH 100
#define MAX_BATCHES 100000

/* The line that travels, alone in its cache line; the stop flag lives elsewhere so that reading it
 * does not bring the line back. */
static _Alignas(64) _Atomic uint64_t ball;
static _Alignas(64) atomic_bool stop;

static int pin(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* The other side: whenever the ball holds an odd value, hand it back as the next even one. */
static void *returner(void *arg)
{
	int cpu = *(const int *)arg;
	if (pin(cpu) != 0) {
		atomic_store(&stop, true);
		return (void *)1;
	}
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		uint64_t v = atomic_load_explicit(&ball, memory_order_acquire);
		if (v & 1)
			atomic_store_explicit(&ball, v + 1, memory_order_release);
	}
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int parse_cpu(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v >= CPU_SETSIZE)
		return -1;
	*out = (int)v;
	return 0;
}

int main(int argc, char **argv)
{
	double seconds = 0.3;
	int argi = 1;
	if (argi + 1 < argc && strcmp(argv[argi], "--seconds") == 0) {
		char *end;
		seconds = strtod(argv[argi + 1], &end);
		if (*end || !(seconds > 0 && seconds <= 60)) {
			fprintf(stderr, "wr-c2c: --seconds wants 0 < S <= 60\n");
			return 2;
		}
		argi += 2;
	}
	int cpu_a, cpu_b;
	if (argc - argi != 2 || parse_cpu(argv[argi], &cpu_a) || parse_cpu(argv[argi + 1], &cpu_b)) {
		fprintf(stderr, "usage: wr-c2c [--seconds S] CPU_A CPU_B\n");
		return 2;
	}
	if (pin(cpu_a) != 0) {
		fprintf(stderr, "wr-c2c: cannot run on CPU %d\n", cpu_a);
		return 2;
	}
	pthread_t thread;
	if (pthread_create(&thread, NULL, returner, &cpu_b) != 0) {
		fprintf(stderr, "wr-c2c: cannot start a thread\n");
		return 2;
	}
	static double batch_ns[MAX_BATCHES];
	int batches = 0;
	uint64_t v = 0;
	double end = now_ns() + seconds * 1e9;
	while (batches < MAX_BATCHES && !atomic_load(&stop)) {
		double t0 = now_ns();
		if (t0 >= end)
			break;
		for (int i = 0; i < ROUND_TRIPS_PER_BATCH; i++) {
			atomic_store_explicit(&ball, v + 1, memory_order_release);
			while (atomic_load_explicit(&ball, memory_order_acquire) != v + 2) {
				if (atomic_load_explicit(&stop, memory_order_relaxed))
					break;
			}
			v += 2;
		}
		batch_ns[batches++] = (now_ns() - t0) / ROUND_TRIPS_PER_BATCH;
	}
	bool failed = atomic_exchange(&stop, true);
	void *rc;
	pthread_join(thread, &rc);
	if (failed || rc) {
		fprintf(stderr, "wr-c2c: cannot run on CPU %d\n", cpu_b);
		return 2;
	}
	if (batches == 0) {
		fprintf(stderr, "wr-c2c: no batch finished in %.2f s\n", seconds);
		return 1;
	}
	qsort(batch_ns, (size_t)batches, sizeof(batch_ns[0]), cmp_double);
	printf("c2c best %.0f median %.0f batches %d\n", batch_ns[0], batch_ns[batches / 2], batches);
	return 0;
}
