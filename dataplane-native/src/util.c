/*
 * util.c - logging, clocks and CRC32C for the dataplane.
 */
#define _GNU_SOURCE
#include <isa-l/crc.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "internal.h"

int wr_log_threshold = WR_LOG_INFO;

void wr_set_log_level(uint32_t level)
{
	wr_log_threshold = level > WR_LOG_DEBUG ? WR_LOG_DEBUG : (int)level;
}

void wr_log(int level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	if (level > wr_log_threshold)
		return;
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	/* one fprintf per line: stderr is unbuffered, so lines from reactors do not interleave */
	fprintf(stderr, "%02d:%02d:%02d.%03ld windrose %s: %s\n", tm.tm_hour, tm.tm_min, tm.tm_sec,
		ts.tv_nsec / 1000000, names[level < 0 ? 0 : level > 3 ? 3 : level], line);
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
