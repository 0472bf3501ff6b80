/*
 * names.c - NVMe Qualified Names (NVMe Base Specification 2.0, section 4.5) and the characters no
 * name may hold. The rules are the console's (dev.windrose.fabric.Nqn, dev.windrose.common.Names),
 * so a name either layer accepts, the other accepts too.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

#define UUID_PREFIX "nqn.2014-08.org.nvmexpress:uuid:"

/* Decodes the code point at p[*i], advancing *i; -1 for malformed UTF-8 (truncated, overlong,
 * a surrogate, beyond U+10FFFF): a name must be the same characters for every reader. */
static int32_t utf8_next(const uint8_t *p, size_t len, size_t *i)
{
	uint8_t b = p[*i];
	uint32_t cp, n;
	if (b < 0x80) {
		(*i)++;
		return b;
	} else if ((b & 0xe0) == 0xc0) {
		cp = b & 0x1f, n = 1;
	} else if ((b & 0xf0) == 0xe0) {
		cp = b & 0x0f, n = 2;
	} else if ((b & 0xf8) == 0xf0) {
		cp = b & 0x07, n = 3;
	} else {
		return -1;
	}
	if (*i + n >= len)
		return -1;
	for (uint32_t k = 1; k <= n; k++) {
		if ((p[*i + k] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (p[*i + k] & 0x3f);
	}
	static const uint32_t min[] = { 0, 0x80, 0x800, 0x10000 };
	if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*i += n + 1;
	return (int32_t)cp;
}

/* Control characters (C0, DEL, C1), line and paragraph separators, bidi embeddings, overrides
 * and isolates: they cut names short in C, forge log lines, or show another name than the one
 * stored. */
static bool forbidden(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

int wr_name_check(const char *name, size_t len)
{
	if (!name || len == 0)
		return -EINVAL;
	const uint8_t *p = (const uint8_t *)name;
	for (size_t i = 0; i < len;) {
		int32_t cp = utf8_next(p, len, &i);
		if (cp < 0 || forbidden((uint32_t)cp))
			return -EINVAL;
	}
	return 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
	return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static bool is_ldh(char c, bool hyphen)
{
	char l = (char)(c | 0x20);
	return is_digit(c) || (l >= 'a' && l <= 'z') || (hyphen && c == '-');
}

/* 8-4-4-4-12 hex digits, as UUID.toString() writes them. */
static bool uuid_ok(const char *u, size_t len)
{
	if (len != 36)
		return false;
	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? u[i] != '-' : !is_hex(u[i]))
			return false;
	}
	return true;
}

/* "nqn." yyyy "-" mm "." label ("." label)+ ":" one or more characters, none of them a blank. */
static bool domain_form_ok(const char *s, size_t len)
{
	if (len < 12 || strncasecmp(s, "nqn.", 4) != 0 || !is_digit(s[4]) || !is_digit(s[5]) ||
	    !is_digit(s[6]) || !is_digit(s[7]) || s[8] != '-' || !is_digit(s[9]) ||
	    !is_digit(s[10]) || s[11] != '.')
		return false;
	int month = (s[9] - '0') * 10 + (s[10] - '0');
	if (month < 1 || month > 12)
		return false;
	size_t i = 12;
	uint32_t labels = 0;
	for (;;) {
		size_t start = i;
		while (i < len && is_ldh(s[i], true))
			i++;
		if (i == start || s[start] == '-' || s[i - 1] == '-')
			return false;
		labels++;
		if (i < len && s[i] == '.') {
			i++;
			continue;
		}
		break;
	}
	if (labels < 2 || i >= len || s[i] != ':' || i + 1 >= len)
		return false;
	return memchr(s + i + 1, ' ', len - i - 1) == NULL;
}

int32_t wr_nqn_check(const char *nqn, uint32_t len)
{
	if (!nqn || len == 0 || len > WR_NQN_MAX_LEN || wr_name_check(nqn, len) < 0)
		return -EINVAL;
	if (len == strlen(NVME_DISC_SUBSYS_NAME) && memcmp(nqn, NVME_DISC_SUBSYS_NAME, len) == 0)
		return 0;
	size_t prefix = strlen(UUID_PREFIX);
	if (len >= prefix && strncasecmp(nqn, UUID_PREFIX, prefix) == 0)
		return uuid_ok(nqn + prefix, len - prefix) ? 0 : -EINVAL;
	return domain_form_ok(nqn, len) ? 0 : -EINVAL;
}
