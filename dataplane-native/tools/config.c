/*
 * config.c - parser for wr-target's line-based configuration file.
 *
 *   reactors N | mode busy|adaptive | discovery-listener ADDR PORT | log-rate BURST PER_MINUTE |
 *   icreq-timeout-ms MS | connect-timeout-ms MS | max-connections-per-listener N |
 *   max-connections-per-source N | max-connections N | anatt-s S | cntlid-range MIN MAX
 *   subsystem NQN, then within it: serial S | model M | allow-any-host | allow-host NQN |
 *   namespace NSID (ram SIZE | null SIZE | file PATH [SIZE]) [bs=512|1024|2048|4096] |
 *   listener ADDR PORT [tls=required|not-required] | tls-psk HOSTNQN PSK [derive=libnvme|rfc8446] | ana-state ADDR PORT GROUP
 *     (optimized|non-optimized|inaccessible|persistent-loss|change) |
 *   dhchap-secret HOSTNQN SECRET [ctrl=SECRET] [previous=SECRET] |
 *   dhchap-policy [hashes=sha256,sha384,sha512] [dhgroups=null,ffdhe2048,...,ffdhe8192]
 *
 * '#' starts a comment; tokens are separated by blanks. Every error names its line.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define MAX_TOKENS 12   /* the longest line: mirror with its five options */

static int fail(char *err, size_t errlen, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, uint32_t line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		snprintf(err, errlen, "line %u: %s", line, msg);
	else
		snprintf(err, errlen, "%s", msg);
	return -EINVAL;
}

int wr_parse_size(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	unsigned shift = 0;
	switch (toupper((unsigned char)*end)) {
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	case 'T': shift = 40; end++; break;
	default: break;
	}
	if (shift && (strcasecmp(end, "iB") == 0 || strcasecmp(end, "B") == 0))
		end += strlen(end);
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		return -EINVAL;
	*out = (uint64_t)v << shift;
	return 0;
}

static int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	char *end;
	errno = 0;
	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* What wr_nqn_check accepts, said once for every error that refuses an NQN. */
#define NQN_RULES "not an NQN (nqn.yyyy-mm.reverse.domain:name or nqn.2014-08.org.nvmexpress:uuid:" \
	"<uuid>, at most 223 bytes, no blanks or control characters)"

static bool nqn_ok(const char *nqn)
{
	size_t len = strlen(nqn);
	return len <= WR_NQN_MAX_LEN && wr_nqn_check(nqn, (uint32_t)len) == 0 &&
	       strcmp(nqn, "nqn.2014-08.org.nvmexpress.discovery") != 0;
}

static int tokenize(char *line, char **tok)
{
	char *hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	int n = 0;
	for (char *save = NULL, *t = strtok_r(line, " \t\r", &save); t; t = strtok_r(NULL, " \t\r", &save)) {
		if (n == MAX_TOKENS)
			return -1;
		tok[n++] = t;
	}
	return n;
}

static void *grow(void *array, uint32_t count, size_t size)
{
	void *p = realloc(array, (count + 1) * size);
	if (p)
		memset((char *)p + count * size, 0, size);
	return p;
}

static int parse_listener(char **tok, int n, uint32_t line, struct wr_cfg_listener *l, char *err,
			  size_t errlen)
{
	uint32_t port;
	l->tls = -1;
	if (n == 4 && strcmp(tok[0], "listener") == 0) {
		/* TLS belongs to the address and port, whichever subsystem names it (as nvmet's port) */
		if (strcmp(tok[3], "tls=required") == 0)
			l->tls = WR_TLS_REQUIRED;
		else if (strcmp(tok[3], "tls=not-required") == 0)
			l->tls = WR_TLS_NOT_REQUIRED;
		else if (strcmp(tok[3], "tls=none") == 0)
			l->tls = WR_TLS_NONE;
		else
			return fail(err, errlen, line, "listener: '%s' is not tls=required, tls=not-required "
				    "or tls=none", tok[3]);
		n = 3;
	}
	if (n != 3)
		return fail(err, errlen, line, "'%s' needs ADDR PORT", tok[0]);
	if (strlen(tok[1]) >= sizeof(l->addr))
		return fail(err, errlen, line, "address '%s' is too long", tok[1]);
	if (parse_u32(tok[2], 0, 65535, &port) < 0)
		return fail(err, errlen, line, "port '%s' is not a number from 0 to 65535", tok[2]);
	snprintf(l->addr, sizeof(l->addr), "%s", tok[1]);
	l->port = (uint16_t)port;
	l->line = line;
	return 0;
}

static int parse_namespace(char **tok, int n, uint32_t line, struct wr_cfg_ns *ns, char *err,
			   size_t errlen)
{
	if (n > 3 && strncmp(tok[n - 1], "bs=", 3) == 0) {
		uint32_t bs;
		if (parse_u32(tok[n - 1] + 3, 512, 4096, &bs) < 0 || (bs & (bs - 1)))
			return fail(err, errlen, line, "block size '%s' must be bs=512, 1024, 2048 or 4096",
				    tok[n - 1]);
		ns->block_size = bs;
		n--;
	}
	if (n < 3)
		return fail(err, errlen, line, "namespace needs NSID TYPE ARGS (ram SIZE | null SIZE | file PATH [SIZE]) [bs=N]");
	if (parse_u32(tok[1], 1, 1024, &ns->nsid) < 0)
		return fail(err, errlen, line, "NSID '%s' is not a number from 1 to 1024", tok[1]);
	ns->line = line;
	if (strcmp(tok[2], "ram") == 0 || strcmp(tok[2], "null") == 0) {
		ns->kind = tok[2][0] == 'r' ? WR_BDEV_KIND_RAM : WR_BDEV_KIND_NULL;
		if (n != 4)
			return fail(err, errlen, line, "%s namespace needs exactly one SIZE", tok[2]);
		if (wr_parse_size(tok[3], &ns->size) < 0 || ns->size == 0)
			return fail(err, errlen, line, "size '%s' is not a size like 512, 64K, 256M or 1G", tok[3]);
		return 0;
	}
	if (strcmp(tok[2], "file") == 0) {
		ns->kind = WR_BDEV_KIND_FILE;
		if (n != 4 && n != 5)
			return fail(err, errlen, line, "file namespace needs PATH [SIZE]");
		ns->path = strdup(tok[3]);
		if (!ns->path)
			return -ENOMEM;
		if (n == 5 && (wr_parse_size(tok[4], &ns->size) < 0 || ns->size == 0))
			return fail(err, errlen, line, "size '%s' is not a size like 512, 64K, 256M or 1G", tok[4]);
		return 0;
	}
	return fail(err, errlen, line, "unknown namespace type '%s' (ram, null or file)", tok[2]);
}

static int parse_mirror(char **tok, int n, uint32_t line, struct wr_cfg_mirror *m, char *err,
			size_t errlen)
{
	memset(m, 0, sizeof(*m));
	m->line = line;
	if (n < 6)
		return fail(err, errlen, line, "mirror needs NSID ADDR PORT SUBNQN REMOTE_NSID [host=NQN] "
			    "[timeout-ms=N] [region=SIZE] [bitmap=PATH] [resync-mib-s=N]");
	uint32_t port;
	if (parse_u32(tok[1], 1, 1024, &m->nsid) < 0)
		return fail(err, errlen, line, "NSID '%s' is not a number from 1 to 1024", tok[1]);
	if (strlen(tok[2]) >= sizeof(m->opts.addr))
		return fail(err, errlen, line, "address '%s' is too long", tok[2]);
	snprintf(m->opts.addr, sizeof(m->opts.addr), "%s", tok[2]);
	if (parse_u32(tok[3], 1, 65535, &port) < 0)
		return fail(err, errlen, line, "port '%s' is not a number from 1 to 65535", tok[3]);
	m->opts.port = port;
	if (!nqn_ok(tok[4]))
		return fail(err, errlen, line, "mirror: %s", NQN_RULES);
	snprintf(m->opts.subnqn, sizeof(m->opts.subnqn), "%s", tok[4]);
	if (parse_u32(tok[5], 1, 1024, &m->opts.nsid) < 0)
		return fail(err, errlen, line, "remote NSID '%s' is not a number from 1 to 1024", tok[5]);
	for (int i = 6; i < n; i++) {
		uint64_t size;
		if (strncmp(tok[i], "host=", 5) == 0 && nqn_ok(tok[i] + 5)) {
			snprintf(m->opts.hostnqn, sizeof(m->opts.hostnqn), "%s", tok[i] + 5);
		} else if (strncmp(tok[i], "timeout-ms=", 11) == 0 &&
			   parse_u32(tok[i] + 11, 100, 600000, &m->opts.timeout_ms) == 0) {
		} else if (strncmp(tok[i], "region=", 7) == 0 && wr_parse_size(tok[i] + 7, &size) == 0 &&
			   size >= 4096 && size <= (1u << 30) && !(size & (size - 1))) {
			m->opts.region_bytes = (uint32_t)size;
		} else if (strncmp(tok[i], "bitmap=", 7) == 0 && tok[i][7] &&
			   strlen(tok[i] + 7) < sizeof(m->opts.bitmap_path)) {
			snprintf(m->opts.bitmap_path, sizeof(m->opts.bitmap_path), "%s", tok[i] + 7);
		} else if (strncmp(tok[i], "resync-mib-s=", 13) == 0 &&
			   parse_u32(tok[i] + 13, 0, 1000000, &m->opts.resync_mib_s) == 0) {
		} else {
			return fail(err, errlen, line, "mirror: '%s' is not host=NQN, timeout-ms=100..600000, "
				    "region=SIZE (a power of two, 4K..1G), bitmap=PATH or resync-mib-s=N", tok[i]);
		}
	}
	return 0;
}

/* A secret is checked here so that a bad one names its line; it is never echoed (it is a secret). */
static int dhchap_secret_ok(const char *what, const char *secret, uint32_t line, char *err, size_t errlen)
{
	int rc = wr_dhchap_secret_check(secret);
	if (rc == 0)
		return 0;
	return fail(err, errlen, line, "dhchap-secret: the %s is not a DHHC-1 secret as `nvme gen-dhchap-key` "
		    "prints it (%s)", what, rc == -EBADMSG ? "its CRC does not match: mistyped or cut short"
				 : rc == -EMSGSIZE ? "wrong length" : "malformed");
}

static int parse_dhchap_secret(struct wr_cfg_subsys *s, char **tok, int n, uint32_t line, char *err,
			       size_t errlen)
{
	if (n < 3 || n > 5)
		return fail(err, errlen, line, "dhchap-secret needs HOSTNQN SECRET [ctrl=SECRET] [previous=SECRET]");
	if (!nqn_ok(tok[1]))
		return fail(err, errlen, line, "dhchap-secret: %s", NQN_RULES);
	for (uint32_t i = 0; i < s->ndhchap; i++)
		if (strcmp(s->dhchap[i].host, tok[1]) == 0)
			return fail(err, errlen, line, "dhchap-secret: host %s already has one on line %u",
				    tok[1], s->dhchap[i].line);
	const char *ctrl = NULL, *prev = NULL;
	for (int i = 3; i < n; i++) {
		if (strncmp(tok[i], "ctrl=", 5) == 0 && !ctrl)
			ctrl = tok[i] + 5;
		else if (strncmp(tok[i], "previous=", 9) == 0 && !prev)
			prev = tok[i] + 9;
		else
			return fail(err, errlen, line, "dhchap-secret: '%.*s' is neither ctrl= nor previous= "
				    "(once each)", (int)strcspn(tok[i], "="), tok[i]);
	}
	int rc = dhchap_secret_ok("host secret", tok[2], line, err, errlen);
	if (!rc && ctrl)
		rc = dhchap_secret_ok("controller secret", ctrl, line, err, errlen);
	if (!rc && prev)
		rc = dhchap_secret_ok("previous secret", prev, line, err, errlen);
	if (rc)
		return rc;
	void *p = grow(s->dhchap, s->ndhchap, sizeof(*s->dhchap));
	if (!p)
		return -ENOMEM;
	s->dhchap = p;
	struct wr_cfg_dhchap *d = &s->dhchap[s->ndhchap++];
	snprintf(d->host, sizeof(d->host), "%s", tok[1]);
	d->line = line;
	d->secret = strdup(tok[2]);
	d->ctrl_secret = ctrl ? strdup(ctrl) : NULL;
	d->prev_secret = prev ? strdup(prev) : NULL;
	if (!d->secret || (ctrl && !d->ctrl_secret) || (prev && !d->prev_secret))
		return -ENOMEM;
	return 0;
}

/* tls-psk HOSTNQN PSK: checked here so that a bad one names its line, never echoed. */
static int parse_tls_psk(struct wr_cfg_subsys *s, char **tok, int n, uint32_t line, char *err,
			 size_t errlen)
{
	uint32_t form = WR_TLS_FORM_LIBNVME;
	if (n == 4 && strcmp(tok[3], "derive=rfc8446") == 0)
		form = WR_TLS_FORM_RFC8446;
	else if (n == 4 && strcmp(tok[3], "derive=libnvme") != 0)
		return fail(err, errlen, line, "tls-psk: '%.*s' is not derive=libnvme or derive=rfc8446",
			    (int)strcspn(tok[3], "="), tok[3]);
	if (n != 3 && n != 4)
		return fail(err, errlen, line, "tls-psk needs HOSTNQN PSK [derive=libnvme|rfc8446]");
	if (!nqn_ok(tok[1]))
		return fail(err, errlen, line, "tls-psk: %s", NQN_RULES);
	for (uint32_t i = 0; i < s->ntls_psks; i++)
		if (strcmp(s->tls_psks[i].host, tok[1]) == 0)
			return fail(err, errlen, line, "tls-psk: host %s already has one on line %u",
				    tok[1], s->tls_psks[i].line);
	int rc = wr_tls_psk_check(tok[2]);
	if (rc)
		return fail(err, errlen, line, "tls-psk: the PSK is not in the interchange format "
			    "`nvme gen-tls-key` prints (%s)",
			    rc == -EBADMSG ? "its CRC does not match: mistyped or cut short"
			    : rc == -EMSGSIZE ? "wrong length for its hash" : "malformed");
	void *p = grow(s->tls_psks, s->ntls_psks, sizeof(*s->tls_psks));
	if (!p)
		return -ENOMEM;
	s->tls_psks = p;
	struct wr_cfg_tls_psk *k = &s->tls_psks[s->ntls_psks++];
	snprintf(k->host, sizeof(k->host), "%s", tok[1]);
	k->line = line;
	k->form = form;
	k->psk = strdup(tok[2]);
	return k->psk ? 0 : -ENOMEM;
}

/* "a,b,c" of names[i] to a mask of (1 << i); 0 for an unknown or empty name. */
static uint32_t name_mask(char *list, const char *const *names, uint32_t count)
{
	uint32_t mask = 0;
	for (char *save = NULL, *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		uint32_t i = 0;
		while (i < count && (!names[i] || strcmp(names[i], t) != 0))
			i++;
		if (i == count)
			return 0;
		mask |= 1u << i;
	}
	return mask;
}

static int parse_dhchap_policy(struct wr_cfg_subsys *s, char **tok, int n, uint32_t line, char *err,
			       size_t errlen)
{
	static const char *const hashes[] = { NULL, "sha256", "sha384", "sha512" };
	static const char *const groups[] = { "null", "ffdhe2048", "ffdhe3072", "ffdhe4096",
					      "ffdhe6144", "ffdhe8192" };
	if (s->dhchap_policy_line)
		return fail(err, errlen, line, "dhchap-policy is already given on line %u", s->dhchap_policy_line);
	if (n < 2 || n > 3)
		return fail(err, errlen, line, "dhchap-policy needs hashes=... and/or dhgroups=...");
	s->dhchap_hashes = WR_DHCHAP_HASH_ALL;
	s->dhchap_dhgroups = WR_DHCHAP_DH_ALL;
	bool seen_hashes = false, seen_groups = false;
	for (int i = 1; i < n; i++) {
		if (strncmp(tok[i], "hashes=", 7) == 0 && !seen_hashes) {
			seen_hashes = true;
			if (!(s->dhchap_hashes = name_mask(tok[i] + 7, hashes, 4)))
				return fail(err, errlen, line, "dhchap-policy: hashes are sha256, sha384, sha512");
		} else if (strncmp(tok[i], "dhgroups=", 9) == 0 && !seen_groups) {
			seen_groups = true;
			if (!(s->dhchap_dhgroups = name_mask(tok[i] + 9, groups, 6)))
				return fail(err, errlen, line, "dhchap-policy: DH groups are null, ffdhe2048, "
					    "ffdhe3072, ffdhe4096, ffdhe6144, ffdhe8192");
		} else {
			return fail(err, errlen, line, "dhchap-policy: unknown or repeated '%s'", tok[i]);
		}
	}
	s->dhchap_policy_line = line;
	return 0;
}

static int parse_subsys_line(struct wr_cfg_subsys *s, char **tok, int n, uint32_t line, char *err,
			     size_t errlen)
{
	if (strcmp(tok[0], "mirror") == 0) {
		void *p = grow(s->mirrors, s->nmirrors, sizeof(*s->mirrors));
		if (!p)
			return -ENOMEM;
		s->mirrors = p;
		int rc = parse_mirror(tok, n, line, &s->mirrors[s->nmirrors++], err, errlen);
		if (rc)
			return rc;
		for (uint32_t i = 0; i + 1 < s->nmirrors; i++)
			if (s->mirrors[i].nsid == s->mirrors[s->nmirrors - 1].nsid)
				return fail(err, errlen, line, "namespace %u is already mirrored on line %u",
					    s->mirrors[i].nsid, s->mirrors[i].line);
		return 0;
	}
	const char *kw = tok[0];
	if (strcmp(kw, "dhchap-secret") == 0)
		return parse_dhchap_secret(s, tok, n, line, err, errlen);
	if (strcmp(kw, "dhchap-policy") == 0)
		return parse_dhchap_policy(s, tok, n, line, err, errlen);
	if (strcmp(kw, "tls-psk") == 0)
		return parse_tls_psk(s, tok, n, line, err, errlen);
	if (strcmp(kw, "serial") == 0 || strcmp(kw, "model") == 0) {
		bool serial = kw[0] == 's';
		size_t max = serial ? 20 : 40;
		if (n != 2)
			return fail(err, errlen, line, "'%s' needs one value (no spaces)", kw);
		if (strlen(tok[1]) > max)
			return fail(err, errlen, line, "%s '%s' is longer than %zu characters", kw, tok[1], max);
		snprintf(serial ? s->serial : s->model, max + 1, "%s", tok[1]);
		return 0;
	}
	if (strcmp(kw, "allow-any-host") == 0) {
		if (n != 1)
			return fail(err, errlen, line, "allow-any-host takes no value");
		s->allow_any_host = true;
		return 0;
	}
	if (strcmp(kw, "allow-host") == 0) {
		if (n != 2)
			return fail(err, errlen, line, "allow-host needs one host NQN");
		if (!nqn_ok(tok[1]))
			return fail(err, errlen, line, "allow-host: %s", NQN_RULES);
		void *p = grow(s->hosts, s->nhosts, sizeof(*s->hosts));
		if (!p)
			return -ENOMEM;
		s->hosts = p;
		snprintf(s->hosts[s->nhosts++], WR_NQN_SIZE, "%s", tok[1]);
		return 0;
	}
	if (strcmp(kw, "namespace") == 0) {
		void *p = grow(s->ns, s->nns, sizeof(*s->ns));
		if (!p)
			return -ENOMEM;
		s->ns = p;
		int rc = parse_namespace(tok, n, line, &s->ns[s->nns], err, errlen);
		s->nns++;    /* counted even on error so free() releases its path */
		if (rc)
			return rc;
		for (uint32_t i = 0; i + 1 < s->nns; i++)
			if (s->ns[i].nsid == s->ns[s->nns - 1].nsid)
				return fail(err, errlen, line, "namespace %u is already defined on line %u",
					    s->ns[i].nsid, s->ns[i].line);
		return 0;
	}
	if (strcmp(kw, "ana-state") == 0) {
		static const struct { const char *name; uint32_t state; } states[] = {
			{ "optimized", 1 }, { "non-optimized", 2 }, { "inaccessible", 3 },
			{ "persistent-loss", 4 }, { "change", 15 },
		};
		struct wr_cfg_listener where;
		uint32_t group, state = 0;
		if (n != 5)
			return fail(err, errlen, line, "ana-state needs ADDR PORT GROUP STATE");
		int rc = parse_listener(tok, 3, line, &where, err, errlen);
		if (rc)
			return rc;
		if (parse_u32(tok[3], 1, 16, &group) < 0)
			return fail(err, errlen, line, "ana-state: the group is a number from 1 to 16");
		for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
			if (strcmp(tok[4], states[i].name) == 0)
				state = states[i].state;
		if (!state)
			return fail(err, errlen, line, "ana-state: the state is optimized, non-optimized, "
				    "inaccessible, persistent-loss or change");
		void *p = grow(s->ana, s->nana, sizeof(*s->ana));
		if (!p)
			return -ENOMEM;
		s->ana = p;
		struct wr_cfg_ana *a = &s->ana[s->nana++];
		memcpy(a->addr, where.addr, sizeof(a->addr));
		a->port = where.port;
		a->group = group;
		a->state = state;
		a->line = line;
		return 0;
	}
	if (strcmp(kw, "listener") == 0) {
		void *p = grow(s->listeners, s->nlisteners, sizeof(*s->listeners));
		if (!p)
			return -ENOMEM;
		s->listeners = p;
		return parse_listener(tok, n, line, &s->listeners[s->nlisteners++], err, errlen);
	}
	return fail(err, errlen, line, "unknown keyword '%s'", kw);
}

static const struct {
	const char *name;
	uint32_t limit;
	uint64_t min, max;
} limit_names[] = {
	{ "icreq-timeout-ms", WR_LIMIT_ICREQ_TIMEOUT_MS, 100, 600000 },
	{ "connect-timeout-ms", WR_LIMIT_CONNECT_TIMEOUT_MS, 100, 600000 },
	{ "max-connections-per-listener", WR_LIMIT_CONNS_PER_LISTENER, 1, 1u << 20 },
	{ "max-connections-per-source", WR_LIMIT_CONNS_PER_SOURCE, 1, 1u << 20 },
	{ "max-connections", WR_LIMIT_CONNS_TOTAL, 0, 1u << 20 },
	{ "anatt-s", WR_LIMIT_ANATT_S, 1, 255 },
};

int wr_config_set_limit(struct wr_config *cfg, const char *name, const char *value, uint32_t line,
			char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(limit_names) / sizeof(limit_names[0]); i++) {
		if (strcmp(name, limit_names[i].name) != 0)
			continue;
		uint64_t v;
		char *end;
		errno = 0;
		v = value && isdigit((unsigned char)*value) ? strtoull(value, &end, 10) : 0;
		if (!value || !isdigit((unsigned char)*value) || errno || *end ||
		    v < limit_names[i].min || v > limit_names[i].max)
			return fail(err, errlen, line, "%s needs a number from %llu to %llu", name,
				    (unsigned long long)limit_names[i].min,
				    (unsigned long long)limit_names[i].max);
		uint32_t id = limit_names[i].limit;
		cfg->limits[id] = v;
		cfg->limit_set |= 1u << id;
		cfg->limit_line[id] = line;
		return 0;
	}
	fail(err, errlen, line, "unknown limit '%s'", name);
	return -ENOENT;
}

static int parse_line(struct wr_config *cfg, char **tok, int n, uint32_t line, char *err,
		      size_t errlen)
{
	const char *kw = tok[0];
	if (strcmp(kw, "log-rate") == 0) {
		if (n != 3 || parse_u32(tok[1], 1, 1000000, &cfg->log_burst) < 0 ||
		    parse_u32(tok[2], 1, 1000000, &cfg->log_per_minute) < 0)
			return fail(err, errlen, line, "log-rate needs BURST and PER_MINUTE, numbers "
				    "from 1 to 1000000");
		return 0;
	}
	if (strcmp(kw, "cntlid-range") == 0) {
		if (n != 3 || parse_u32(tok[1], WR_CNTLID_MIN, WR_CNTLID_MAX, &cfg->cntlid_min) < 0 ||
		    parse_u32(tok[2], WR_CNTLID_MIN, WR_CNTLID_MAX, &cfg->cntlid_max) < 0 ||
		    cfg->cntlid_min > cfg->cntlid_max)
			return fail(err, errlen, line, "cntlid-range needs MIN MAX, 1 <= MIN <= MAX <= 65519");
		cfg->cntlid_line = line;
		return 0;
	}
	if (strncmp(kw, "max-connections", 15) == 0 || strcmp(kw, "icreq-timeout-ms") == 0 ||
	    strcmp(kw, "connect-timeout-ms") == 0 || strcmp(kw, "anatt-s") == 0) {
		if (n != 2)
			return fail(err, errlen, line, "%s needs one number", kw);
		int rc = wr_config_set_limit(cfg, kw, tok[1], line, err, errlen);
		return rc == -ENOENT ? -EINVAL : rc;
	}
	if (strcmp(kw, "reactors") == 0) {
		if (n != 2 || parse_u32(tok[1], 1, 64, &cfg->reactors) < 0)
			return fail(err, errlen, line, "reactors needs a number from 1 to 64");
		return 0;
	}
	if (strcmp(kw, "mode") == 0) {
		if (n != 2 || (strcmp(tok[1], "busy") != 0 && strcmp(tok[1], "adaptive") != 0))
			return fail(err, errlen, line, "mode must be 'busy' or 'adaptive'");
		cfg->mode = tok[1][0] == 'b' ? WR_MODE_BUSY : WR_MODE_ADAPTIVE;
		return 0;
	}
	if (strcmp(kw, "discovery-listener") == 0) {
		void *p = grow(cfg->discovery, cfg->ndiscovery, sizeof(*cfg->discovery));
		if (!p)
			return -ENOMEM;
		cfg->discovery = p;
		return parse_listener(tok, n, line, &cfg->discovery[cfg->ndiscovery++], err, errlen);
	}
	if (strcmp(kw, "subsystem") == 0) {
		if (n != 2)
			return fail(err, errlen, line, "subsystem needs one NQN");
		if (!nqn_ok(tok[1]) || strcmp(tok[1], "nqn.2014-08.org.nvmexpress.discovery") == 0)
			return fail(err, errlen, line, "subsystem: %s", NQN_RULES);
		for (uint32_t i = 0; i < cfg->nsubsys; i++)
			if (strcmp(cfg->subsys[i].nqn, tok[1]) == 0)
				return fail(err, errlen, line, "subsystem %s is already defined on line %u",
					    tok[1], cfg->subsys[i].line);
		void *p = grow(cfg->subsys, cfg->nsubsys, sizeof(*cfg->subsys));
		if (!p)
			return -ENOMEM;
		cfg->subsys = p;
		struct wr_cfg_subsys *s = &cfg->subsys[cfg->nsubsys++];
		snprintf(s->nqn, sizeof(s->nqn), "%s", tok[1]);
		s->line = line;
		return 0;
	}
	if (cfg->nsubsys == 0)
		return fail(err, errlen, line, "'%s' outside a subsystem block (or unknown keyword)", kw);
	return parse_subsys_line(&cfg->subsys[cfg->nsubsys - 1], tok, n, line, err, errlen);
}

int wr_config_parse(const char *text, struct wr_config *cfg, char *err, size_t errlen)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = -1;
	char *copy = strdup(text ? text : "");
	if (!copy)
		return -ENOMEM;
	int rc = 0;
	uint32_t line = 0;
	for (char *save = NULL, *cur = copy, *l; rc == 0 && cur; cur = save) {
		save = strchr(cur, '\n');
		if (save)
			*save++ = '\0';
		l = cur;
		line++;
		char *tok[MAX_TOKENS];
		int n = tokenize(l, tok);
		if (n < 0)
			rc = fail(err, errlen, line, "too many words");
		else if (n > 0)
			rc = parse_line(cfg, tok, n, line, err, errlen);
	}
	free(copy);
	if (rc)
		wr_config_free(cfg);
	return rc;
}

int wr_config_load(const char *path, struct wr_config *cfg, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return fail(err, errlen, 0, "cannot open %s: %s", path, strerror(errno)), -errno;
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	char buf[4096];
	size_t n;
	while (mem && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, mem);
	fclose(f);
	if (!mem)
		return -ENOMEM;
	fclose(mem);
	int rc = wr_config_parse(text, cfg, err, errlen);
	free(text);
	return rc;
}

void wr_config_free(struct wr_config *cfg)
{
	for (uint32_t i = 0; i < cfg->nsubsys; i++) {
		struct wr_cfg_subsys *s = &cfg->subsys[i];
		for (uint32_t j = 0; j < s->nns; j++)
			free(s->ns[j].path);
		free(s->ns);
		free(s->mirrors);
		for (uint32_t j = 0; j < s->ndhchap; j++) {
			struct wr_cfg_dhchap *d = &s->dhchap[j];
			char *secrets[] = { d->secret, d->ctrl_secret, d->prev_secret };
			for (int k = 0; k < 3; k++) {
				if (secrets[k])
					explicit_bzero(secrets[k], strlen(secrets[k]));
				free(secrets[k]);
			}
		}
		free(s->dhchap);
		for (uint32_t j = 0; j < s->ntls_psks; j++) {
			explicit_bzero(s->tls_psks[j].psk, strlen(s->tls_psks[j].psk));
			free(s->tls_psks[j].psk);
		}
		free(s->tls_psks);
		free(s->hosts);
		free(s->listeners);
		free(s->ana);
	}
	free(cfg->subsys);
	free(cfg->discovery);
	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = -1;
}

static int apply_subsys(const struct wr_cfg_subsys *s, struct wr_target *t, char *err, size_t errlen)
{
	int rc = wr_subsystem_create(t, WR_NAME(s->nqn), s->serial[0] ? s->serial : NULL,
				     s->model[0] ? s->model : NULL,
				     s->allow_any_host ? WR_SUBSYS_ALLOW_ANY_HOST : 0);
	if (rc < 0)
		return fail(err, errlen, s->line, "subsystem %s: %s", s->nqn, strerror(-rc)), rc;
	for (uint32_t i = 0; i < s->nhosts; i++) {
		rc = wr_host_allow(t, WR_NAME(s->nqn), WR_NAME(s->hosts[i]));
		if (rc < 0)
			return fail(err, errlen, s->line, "allow-host %s: %s", s->hosts[i], strerror(-rc)), rc;
	}
	if (s->dhchap_policy_line) {
		rc = wr_subsystem_set_dhchap_policy(t, WR_NAME(s->nqn), s->dhchap_hashes, s->dhchap_dhgroups);
		if (rc < 0)
			return fail(err, errlen, s->dhchap_policy_line, "dhchap-policy: %s", strerror(-rc)), rc;
	}
	for (uint32_t i = 0; i < s->ndhchap; i++) {
		const struct wr_cfg_dhchap *d = &s->dhchap[i];
		rc = wr_host_set_dhchap(t, WR_NAME(s->nqn), WR_NAME(d->host), d->secret, d->prev_secret,
					d->ctrl_secret);
		if (rc < 0)
			return fail(err, errlen, d->line, "dhchap-secret %s: %s", d->host,
				    rc == -ENOENT ? "the host is not allowed (allow-host it first)"
				    : rc == -EINVAL ? "the controller secret must differ from the host's"
						    : strerror(-rc)), rc;
	}
	for (uint32_t i = 0; i < s->ntls_psks; i++) {
		const struct wr_cfg_tls_psk *k = &s->tls_psks[i];
		rc = wr_host_set_tls_psk(t, WR_NAME(s->nqn), WR_NAME(k->host), k->psk, k->form);
		if (rc < 0)
			return fail(err, errlen, k->line, "tls-psk %s: %s", k->host,
				    rc == -ENOENT ? "the host is not allowed (allow-host it first)"
						  : strerror(-rc)), rc;
	}
	for (uint32_t i = 0; i < s->nmirrors; i++) {
		bool found = false;
		for (uint32_t j = 0; j < s->nns; j++)
			found |= s->ns[j].nsid == s->mirrors[i].nsid;
		if (!found)
			return fail(err, errlen, s->mirrors[i].line, "mirror: the subsystem has no namespace %u",
				    s->mirrors[i].nsid), -EINVAL;
	}
	for (uint32_t i = 0; i < s->nns; i++) {
		const struct wr_cfg_ns *ns = &s->ns[i];
		const struct wr_cfg_mirror *m = NULL;
		for (uint32_t j = 0; j < s->nmirrors; j++)
			if (s->mirrors[j].nsid == ns->nsid)
				m = &s->mirrors[j];
		if (m)
			rc = wr_ns_add_mirror(t, WR_NAME(s->nqn), ns->nsid, ns->kind, ns->path, 0, ns->size,
					      ns->block_size, NULL, NULL, 0, &m->opts);
		else
			rc = wr_ns_add(t, WR_NAME(s->nqn), ns->nsid, ns->kind, ns->path, ns->size,
				       ns->block_size, NULL, NULL, 0);
		if (rc < 0)
			return fail(err, errlen, ns->line, "namespace %u: %s", ns->nsid, strerror(-rc)), rc;
	}
	for (uint32_t i = 0; i < s->nlisteners; i++) {
		const struct wr_cfg_listener *l = &s->listeners[i];
		rc = wr_listener_add(t, WR_NAME(s->nqn), l->addr, l->port);
		if (rc < 0)
			return fail(err, errlen, l->line, "listener %s %u: %s", l->addr, l->port,
				    strerror(-rc)), rc;
		int bound = rc;
		if (l->tls >= 0) {
			rc = wr_port_set_tls(t, l->addr, (uint16_t)bound, (uint32_t)l->tls);
			if (rc < 0)
				return fail(err, errlen, l->line, "listener %s %u tls: %s", l->addr, l->port,
					    strerror(-rc)), rc;
		}
		fprintf(stderr, "wr-target: %s listening on %s port %d%s\n", s->nqn, l->addr, bound,
			l->tls == WR_TLS_REQUIRED ? " (TLS required)"
			: l->tls == WR_TLS_NOT_REQUIRED ? " (TLS not required)" : "");
	}
	return 0;
}

int wr_config_apply_ana(const struct wr_config *cfg, struct wr_target *t, char *err, size_t errlen)
{
	for (uint32_t i = 0; i < cfg->nsubsys; i++) {
		const struct wr_cfg_subsys *s = &cfg->subsys[i];
		for (uint32_t k = 0; k < s->nana; k++) {
			const struct wr_cfg_ana *a = &s->ana[k];
			int rc = wr_listener_set_ana_state(t, WR_NAME(s->nqn), a->addr, a->port, a->group,
							   a->state);
			if (rc < 0)
				return fail(err, errlen, a->line, "ana-state %s %u group %u: %s", a->addr,
					    a->port, a->group, strerror(-rc)), rc;
		}
	}
	return 0;
}

int wr_config_apply(const struct wr_config *cfg, struct wr_target *t, char *err, size_t errlen)
{
	/* Limits first: they must hold from the first connection a listener accepts. */
	for (uint32_t id = 1; id < WR_CFG_LIMITS; id++) {
		if (!(cfg->limit_set & (1u << id)))
			continue;
		int rc = wr_target_set_limit(t, id, cfg->limits[id]);
		if (rc < 0)
			return fail(err, errlen, cfg->limit_line[id], "connection limit %u: %s", id,
				    strerror(-rc)), rc;
	}
	if (cfg->cntlid_min) {
		int rc = wr_target_set_cntlid_range(t, cfg->cntlid_min, cfg->cntlid_max);
		if (rc < 0)
			return fail(err, errlen, cfg->cntlid_line, "cntlid-range: %s", strerror(-rc)), rc;
	}
	if (cfg->log_burst)
		wr_set_log_rate_limit(cfg->log_burst, cfg->log_per_minute);
	for (uint32_t i = 0; i < cfg->nsubsys; i++) {
		int rc = apply_subsys(&cfg->subsys[i], t, err, errlen);
		if (rc < 0)
			return rc;
	}
	int ana_rc = wr_config_apply_ana(cfg, t, err, errlen);
	if (ana_rc < 0)
		return ana_rc;
	for (uint32_t i = 0; i < cfg->ndiscovery; i++) {
		const struct wr_cfg_listener *l = &cfg->discovery[i];
		int rc = wr_listener_add(t, WR_NAME("nqn.2014-08.org.nvmexpress.discovery"), l->addr, l->port);
		if (rc < 0)
			return fail(err, errlen, l->line, "discovery-listener %s %u: %s", l->addr, l->port,
				    strerror(-rc)), rc;
		fprintf(stderr, "wr-target: discovery listening on %s port %d\n", l->addr, rc);
	}
	return 0;
}
