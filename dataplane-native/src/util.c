/*
 * util.c - logging (escaped, rate-limited), clocks and CRC32C for the dataplane.
 */
#define _GNU_SOURCE
#include <isa-l/crc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal.h"

int wr_log_threshold = WR_LOG_INFO;

void wr_set_log_level(uint32_t level)
{
	wr_log_threshold = level > WR_LOG_DEBUG ? WR_LOG_DEBUG : (int)level;
}

/*
 * Every line at info level and above may be triggered from the network (a peer that connects,
 * sends garbage or is refused), so each kind of message (its format string) has a token bucket:
 * WR_LOG_BURST lines at once, then lines_per_minute. What the bucket refuses is counted and said
 * in one summary line when that kind may speak again (the next line of the kind, or the reactor's
 * tick calling wr_log_flush_suppressed). Debug lines are exempt: they are off unless an operator
 * asks for them, and a trace with holes would be useless for what debug is for.
 *
 * Everything printed is escaped: bytes outside printable ASCII and the backslash become \xNN, so a
 * host NQN with CR/LF or ESC cannot forge lines or drive a terminal.
 */
#define WR_LOG_KINDS 256u                 /* more kinds than the code has format strings */
#define MILLI 1000ull

struct log_kind {
	const void *key;                  /* the format string; NULL: free slot */
	uint64_t millitokens;
	uint64_t refilled_ns;
	uint64_t suppressed;
};

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static struct log_kind log_kinds[WR_LOG_KINDS];
static struct log_kind log_overflow;      /* shared by kinds beyond WR_LOG_KINDS */
static uint32_t log_burst = WR_LOG_DEFAULT_BURST;
static uint32_t log_per_minute = WR_LOG_DEFAULT_PER_MINUTE;
static atomic_uint_fast64_t log_lines_written;
static atomic_uint_fast64_t log_lines_suppressed;
static atomic_uint_fast64_t log_suppressed_pending;

void wr_set_log_rate_limit(uint32_t burst, uint32_t lines_per_minute)
{
	pthread_mutex_lock(&log_lock);
	log_burst = burst ? burst : 1;
	log_per_minute = lines_per_minute ? lines_per_minute : 1;
	memset(log_kinds, 0, sizeof(log_kinds));
	memset(&log_overflow, 0, sizeof(log_overflow));
	pthread_mutex_unlock(&log_lock);
}

void wr_log_counters(uint64_t *written, uint64_t *suppressed)
{
	*written = atomic_load_explicit(&log_lines_written, memory_order_relaxed);
	*suppressed = atomic_load_explicit(&log_lines_suppressed, memory_order_relaxed);
}

size_t wr_escape(char *dst, size_t cap, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	if (cap == 0)
		return 0;
	for (const unsigned char *p = (const unsigned char *)src; *p; p++) {
		bool plain = *p >= 0x20 && *p < 0x7f && *p != '\\';
		size_t need = plain ? 1 : 4;
		if (n + need >= cap)
			break;
		if (plain) {
			dst[n++] = (char)*p;
		} else {
			dst[n++] = '\\';
			dst[n++] = 'x';
			dst[n++] = hex[*p >> 4];
			dst[n++] = hex[*p & 0xf];
		}
	}
	dst[n] = '\0';
	return n;
}

static struct log_kind *kind_slot(const void *key)
{
	uint64_t h = (uint64_t)(uintptr_t)key * 0x9e3779b97f4a7c15ull;
	for (uint32_t i = 0; i < WR_LOG_KINDS; i++) {
		struct log_kind *k = &log_kinds[((uint32_t)(h >> 56) + i) & (WR_LOG_KINDS - 1)];
		if (k->key == key)
			return k;
		if (!k->key) {
			k->key = key;
			k->millitokens = log_burst * MILLI;
			k->refilled_ns = wr_now_ns();
			return k;
		}
	}
	return &log_overflow;
}

static void refill(struct log_kind *k, uint64_t now)
{
	uint64_t elapsed = now - k->refilled_ns;
	uint64_t add = elapsed / 1000 * log_per_minute / 60000;   /* us x lines/min -> millitokens */
	if (add == 0)
		return;
	k->refilled_ns = now;
	k->millitokens = k->millitokens + add > log_burst * MILLI ? log_burst * MILLI
								  : k->millitokens + add;
}

static void emit(int level, const char *escaped)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	/* one fprintf per line: stderr is unbuffered, so lines from reactors do not interleave */
	fprintf(stderr, "%02d:%02d:%02d.%03ld windrose %s: %s\n", tm.tm_hour, tm.tm_min, tm.tm_sec,
		ts.tv_nsec / 1000000, names[level < 0 ? 0 : level > 3 ? 3 : level], escaped);
	atomic_fetch_add_explicit(&log_lines_written, 1, memory_order_relaxed);
}

/* With log_lock held: say how many lines of this kind were dropped, once the kind may speak. */
static void emit_summary(struct log_kind *k)
{
	char text[WR_LOG_LINE_MAX];
	char escaped[WR_LOG_LINE_MAX];
	snprintf(text, sizeof(text), "%llu more lines like \"%s\" suppressed",
		 (unsigned long long)k->suppressed, k == &log_overflow ? "(other kinds)" :
		 (const char *)k->key);
	wr_escape(escaped, sizeof(escaped), text);
	emit(WR_LOG_WARN, escaped);
	atomic_fetch_sub_explicit(&log_suppressed_pending, k->suppressed, memory_order_relaxed);
	k->suppressed = 0;
}

void wr_vlog_kind(const void *kind, int level, const char *fmt, va_list ap)
{
	if (level > wr_log_threshold)
		return;
	char line[WR_LOG_LINE_MAX];
	vsnprintf(line, sizeof(line), fmt, ap);
	char escaped[WR_LOG_LINE_MAX * 4];
	wr_escape(escaped, sizeof(escaped), line);
	if (level >= WR_LOG_DEBUG) {
		emit(level, escaped);
		return;
	}
	pthread_mutex_lock(&log_lock);
	struct log_kind *k = kind_slot(kind ? kind : fmt);
	refill(k, wr_now_ns());
	if (k->millitokens < MILLI) {
		k->suppressed++;
		atomic_fetch_add_explicit(&log_lines_suppressed, 1, memory_order_relaxed);
		atomic_fetch_add_explicit(&log_suppressed_pending, 1, memory_order_relaxed);
		pthread_mutex_unlock(&log_lock);
		return;
	}
	k->millitokens -= MILLI;
	if (k->suppressed)
		emit_summary(k);
	emit(level, escaped);
	pthread_mutex_unlock(&log_lock);
}

void wr_log_kind(const void *kind, int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wr_vlog_kind(kind, level, fmt, ap);
	va_end(ap);
}

void wr_log(int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wr_vlog_kind(fmt, level, fmt, ap);
	va_end(ap);
}

void wr_log_flush_suppressed(void)
{
	if (atomic_load_explicit(&log_suppressed_pending, memory_order_relaxed) == 0)
		return;
	pthread_mutex_lock(&log_lock);
	uint64_t now = wr_now_ns();
	for (uint32_t i = 0; i <= WR_LOG_KINDS; i++) {
		struct log_kind *k = i < WR_LOG_KINDS ? &log_kinds[i] : &log_overflow;
		if (!k->suppressed)
			continue;
		refill(k, now);
		if (k->millitokens >= MILLI) {
			k->millitokens -= MILLI;
			emit_summary(k);
		}
	}
	pthread_mutex_unlock(&log_lock);
}

uint64_t wr_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t wr_unix_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000ull + (uint64_t)ts.tv_nsec / 1000000ull;
}

/* ISA-L's crc32_iscsi neither inverts the seed nor the result: the caller does (see
 * wr_digest), which is what lets a digest be computed over data arriving in pieces. */
uint32_t wr_crc32c(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	while (len > 0) {
		int chunk = len > (1u << 30) ? (1 << 30) : (int)len;
		crc = crc32_iscsi((unsigned char *)p, chunk, crc);
		p += chunk;
		len -= (size_t)chunk;
	}
	return crc;
}
