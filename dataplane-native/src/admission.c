/*
 * admission.c - what a peer may hold before it is an NVMe host: connection caps per listener, per
 * source address and in total, the handshake deadlines, and the file-descriptor budget they are
 * derived from.
 *
 * Why these defaults (windrose.h): a Linux host opens one admin queue and one I/O queue per CPU
 * (at most 64 here) per controller, so even a host with several paths to several subsystems stays
 * far below 128 connections per source address; a small shop's hosts together stay below 1024 per
 * listener. A flood of idle sockets from one address hits 128 at once, from many addresses 1024
 * per listener, and the total cap (half the descriptors) keeps the rest of the process alive even
 * then. The handshake deadlines: Linux sends ICReq right after connect() and Connect right after
 * the ICResp, for the admin queue and each I/O queue alike; 5 s / 10 s leave a slow VM (QEMU TCG,
 * see the interop test) seconds of headroom and an idle socket seconds, not forever.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "internal.h"

#define MAX_CAP (1u << 20)
#define MIN_TIMEOUT_MS 100u
#define MAX_TIMEOUT_MS 600000u

/* Raises the soft RLIMIT_NOFILE to the hard limit (a JVM or shell may start low) and returns it. */
static uint64_t raise_nofile(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1024;
	if (rl.rlim_cur < rl.rlim_max) {
		rlim_t before = rl.rlim_cur;
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
			wr_log(WR_LOG_INFO, "open-files limit raised from %llu to %llu",
			       (unsigned long long)before, (unsigned long long)rl.rlim_max);
		else
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	return rl.rlim_cur == RLIM_INFINITY ? (uint64_t)MAX_CAP * 2 : (uint64_t)rl.rlim_cur;
}

void wr_admission_init(struct wr_target *t)
{
	struct wr_admission *a = &t->admission;
	pthread_mutex_init(&a->lock, NULL);
	atomic_store(&a->icreq_timeout_ms, WR_DEFAULT_ICREQ_TIMEOUT_MS);
	atomic_store(&a->connect_timeout_ms, WR_DEFAULT_CONNECT_TIMEOUT_MS);
	atomic_store(&a->per_listener, WR_DEFAULT_CONNS_PER_LISTENER);
	atomic_store(&a->per_source, WR_DEFAULT_CONNS_PER_SOURCE);
	atomic_store(&a->total_configured, 0);
	a->nofile = raise_nofile();
}

void wr_admission_fini(struct wr_target *t)
{
	struct wr_admission *a = &t->admission;
	for (uint32_t i = 0; i < WR_SRC_BUCKETS; i++) {
		while (a->sources[i]) {
			struct wr_src_entry *e = a->sources[i];
			a->sources[i] = e->next;
			free(e);
		}
	}
	pthread_mutex_destroy(&a->lock);
}

/* The descriptor budget: the target never holds more than half, the console keeps the rest. */
static uint32_t total_cap(const struct wr_admission *a)
{
	uint64_t budget = a->nofile / 2 ? a->nofile / 2 : 1;
	uint32_t configured = atomic_load_explicit(&a->total_configured, memory_order_relaxed);
	uint64_t cap = configured && configured < budget ? configured : budget;
	return cap > MAX_CAP ? MAX_CAP : (uint32_t)cap;
}

static void src_of(const struct sockaddr_storage *ss, struct wr_src_addr *src)
{
	memset(src, 0, sizeof(*src));
	src->family = (uint8_t)ss->ss_family;
	if (ss->ss_family == AF_INET)
		memcpy(src->addr, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	else if (ss->ss_family == AF_INET6)
		memcpy(src->addr, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
}

static uint32_t src_hash(const struct wr_src_addr *src)
{
	uint32_t h = 2166136261u ^ src->family;     /* FNV-1a */
	for (size_t i = 0; i < sizeof(src->addr); i++)
		h = (h ^ src->addr[i]) * 16777619u;
	return h & (WR_SRC_BUCKETS - 1);
}

/* With a->lock held. */
static struct wr_src_entry **src_find(struct wr_admission *a, const struct wr_src_addr *src)
{
	struct wr_src_entry **pp = &a->sources[src_hash(src)];
	while (*pp && memcmp(&(*pp)->src, src, sizeof(*src)) != 0)
		pp = &(*pp)->next;
	return pp;
}

int wr_admission_admit(struct wr_target *t, uint16_t port_slot, const struct sockaddr_storage *ss,
		       struct wr_src_addr *src, uint32_t *cap)
{
	struct wr_admission *a = &t->admission;
	src_of(ss, src);
	uint32_t per_listener = atomic_load_explicit(&a->per_listener, memory_order_relaxed);
	uint32_t per_source = atomic_load_explicit(&a->per_source, memory_order_relaxed);
	int verdict = WR_NET_ACCEPTED;
	pthread_mutex_lock(&a->lock);
	struct wr_src_entry **pp = src_find(a, src);
	uint32_t total = total_cap(a);
	if (a->total >= total) {
		verdict = WR_NET_REFUSED_TOTAL;
		*cap = total;
	} else if (a->per_port[port_slot] >= per_listener) {
		verdict = WR_NET_REFUSED_LISTENER;
		*cap = per_listener;
	} else if (*pp && (*pp)->count >= per_source) {
		verdict = WR_NET_REFUSED_SOURCE;
		*cap = per_source;
	} else if (!*pp && !(*pp = calloc(1, sizeof(**pp)))) {
		verdict = WR_NET_REFUSED_TOTAL;    /* no memory to count it: as good as full */
		*cap = a->total;
	} else {
		(*pp)->src = *src;
		(*pp)->count++;
		a->per_port[port_slot]++;
		a->total++;
	}
	pthread_mutex_unlock(&a->lock);
	wr_admission_count(t, (uint32_t)verdict);
	return verdict;
}

void wr_admission_release(struct wr_target *t, uint16_t port_slot, const struct wr_src_addr *src)
{
	struct wr_admission *a = &t->admission;
	pthread_mutex_lock(&a->lock);
	struct wr_src_entry **pp = src_find(a, src);
	if (*pp && --(*pp)->count == 0) {
		struct wr_src_entry *e = *pp;
		*pp = e->next;
		free(e);
	}
	a->per_port[port_slot]--;
	a->total--;
	pthread_mutex_unlock(&a->lock);
}

void wr_admission_count(struct wr_target *t, uint32_t counter)
{
	atomic_fetch_add_explicit(&t->admission.counters[counter], 1, memory_order_relaxed);
}

uint32_t wr_admission_handshake_expired(struct wr_target *t, const struct wr_conn *c, uint64_t now_ns)
{
	const struct wr_admission *a = &t->admission;
	uint32_t ms = c->icreq_done ? atomic_load_explicit(&a->connect_timeout_ms, memory_order_relaxed)
				    : atomic_load_explicit(&a->icreq_timeout_ms, memory_order_relaxed);
	uint64_t since = c->icreq_done ? c->icreq_ns : c->accepted_ns;
	/* now_ns is the loop's clock, read before this iteration accepted the connection */
	return now_ns > since && now_ns - since > (uint64_t)ms * 1000000u ? ms : 0;
}

/* ---------------------------------------------------------------------------------------------
 * Control API
 * ------------------------------------------------------------------------------------------- */
static _Atomic uint32_t *limit_field(struct wr_admission *a, uint32_t limit)
{
	switch (limit) {
	case WR_LIMIT_ICREQ_TIMEOUT_MS: return &a->icreq_timeout_ms;
	case WR_LIMIT_CONNECT_TIMEOUT_MS: return &a->connect_timeout_ms;
	case WR_LIMIT_CONNS_PER_LISTENER: return &a->per_listener;
	case WR_LIMIT_CONNS_PER_SOURCE: return &a->per_source;
	case WR_LIMIT_CONNS_TOTAL: return &a->total_configured;
	default: return NULL;
	}
}

int32_t wr_target_set_limit(struct wr_target *t, uint32_t limit, uint64_t value)
{
	if (t && limit == WR_LIMIT_ANATT_S) {
		if (value < 1 || value > 255)           /* ANATT is one byte of Identify Controller */
			return -EINVAL;
		atomic_store(&t->anatt_s, (uint32_t)value);
		return 0;
	}
	_Atomic uint32_t *field = t ? limit_field(&t->admission, limit) : NULL;
	if (!field)
		return -EINVAL;
	bool timeout = limit == WR_LIMIT_ICREQ_TIMEOUT_MS || limit == WR_LIMIT_CONNECT_TIMEOUT_MS;
	uint64_t min = timeout ? MIN_TIMEOUT_MS : limit == WR_LIMIT_CONNS_TOTAL ? 0 : 1;
	uint64_t max = timeout ? MAX_TIMEOUT_MS : MAX_CAP;
	if (value < min || value > max)
		return -EINVAL;
	atomic_store(field, (uint32_t)value);
	return 0;
}

int64_t wr_target_get_limit(struct wr_target *t, uint32_t limit)
{
	if (t && limit == WR_LIMIT_ANATT_S)
		return atomic_load(&t->anatt_s);
	_Atomic uint32_t *field = t ? limit_field(&t->admission, limit) : NULL;
	if (!field)
		return -EINVAL;
	if (limit == WR_LIMIT_CONNS_TOTAL)
		return total_cap(&t->admission);
	return atomic_load(field);
}

int64_t wr_target_net_counters(struct wr_target *t, uint64_t *out, uint32_t max)
{
	if (!t || (!out && max))
		return -EINVAL;
	uint64_t v[WR_NET_COUNTERS];
	for (uint32_t i = 0; i < WR_NET_COUNTERS; i++)
		v[i] = atomic_load_explicit(&t->admission.counters[i], memory_order_relaxed);
	wr_log_counters(&v[WR_NET_LOG_LINES], &v[WR_NET_LOG_SUPPRESSED]);
	for (uint32_t i = 0; i < max && i < WR_NET_COUNTERS; i++)
		out[i] = v[i];
	return WR_NET_COUNTERS;
}
