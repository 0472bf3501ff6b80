/*
 * target.c - the control API of windrose.h: targets, subsystems, hosts, namespaces, listeners,
 * ANA, controller and queue pair listings, statistics snapshots.
 *
 * Locking: t->ctl_lock serialises control calls and may be held while waiting for reactors;
 * t->lock protects the configuration and is held only briefly (reactors take it on admin paths,
 * so it is never held while waiting for a reactor).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "internal.h"

#define WR_MAX_REACTORS 64u
#define NS_DRAIN_TIMEOUT_NS (30ull * 1000 * 1000 * 1000)

/* ---------------------------------------------------------------------------------------------
 * Lookups (t->lock held)
 * ------------------------------------------------------------------------------------------- */
struct wr_subsys *wr_subsys_find(struct wr_target *t, const char *nqn, size_t len)
{
	for (struct wr_subsys *s = t->subsystems; s; s = s->next)
		if (!s->deleted && wr_name_eq(s->nqn, nqn, len))
			return s;
	return NULL;
}

struct wr_host *wr_subsys_host_find(const struct wr_subsys *s, const char *hostnqn, size_t len)
{
	for (struct wr_host *h = s->hosts; h; h = h->next)
		if (wr_name_eq(h->nqn, hostnqn, len))
			return h;
	return NULL;
}

bool wr_subsys_host_allowed(const struct wr_subsys *s, const char *hostnqn, size_t len)
{
	if (s->allow_any_host)
		return true;
	for (const struct wr_host *h = s->hosts; h; h = h->next)
		if (wr_name_eq(h->nqn, hostnqn, len))
			return true;
	return false;
}

bool wr_subsys_on_port(const struct wr_subsys *s, uint16_t port_slot)
{
	for (const struct wr_listener *l = s->listeners; l; l = l->next)
		if (l->port->slot == port_slot)
			return true;
	return false;
}

static void host_free(struct wr_host *h)
{
	wr_dhchap_key_clear(&h->key);
	wr_dhchap_key_clear(&h->prev_key);
	wr_dhchap_key_clear(&h->ctrl_key);
	OPENSSL_cleanse(&h->tls, sizeof(h->tls));
	free(h);
}

static void subsys_free(struct wr_subsys *s)
{
	while (s->hosts) {
		struct wr_host *h = s->hosts;
		s->hosts = h->next;
		host_free(h);
	}
	while (s->listeners) {
		struct wr_listener *l = s->listeners;
		s->listeners = l->next;
		free(l);
	}
	free(s);
}

void wr_subsys_put(struct wr_target *t, struct wr_subsys *s)
{
	(void)t;
	if (--s->refs == 0)
		subsys_free(s);
}

/* Discovery log changed: bump the generation and tell discovery controllers that asked. */
void wr_target_discovery_changed(struct wr_target *t)
{
	t->disc_genctr++;
	for (struct wr_ctrlr *c = t->disc->ctrlrs; c; c = c->next)
		if (!atomic_load(&c->failed))
			wr_ctrlr_raise_aen(c, NVME_AEN_CFG_DISC_CHANGE);
}

static void fail_ctrlrs(struct wr_subsys *s, const char *hostnqn, size_t hostnqn_len, int port_slot,
			const char *why)
{
	for (struct wr_ctrlr *c = s->ctrlrs; c; c = c->next) {
		if (hostnqn && !wr_name_eq(c->hostnqn, hostnqn, hostnqn_len))
			continue;
		if (port_slot >= 0 && c->port_slot != port_slot)
			continue;
		wr_ctrlr_fail(c, why);
	}
}

/* Names cross this API as bytes and a length: one with a NUL inside is refused here, not cut at it,
 * so the dataplane never serves "nqn...:twin" for a caller that said "nqn...:twin\0evil". */
static bool valid_nqn(const char *nqn, uint32_t len)
{
	return wr_nqn_check(nqn, len) == 0;
}

/* ---------------------------------------------------------------------------------------------
 * Target
 * ------------------------------------------------------------------------------------------- */
static struct wr_subsys *subsys_alloc(const char *nqn, size_t len, const char *serial,
				      const char *model)
{
	struct wr_subsys *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	wr_name_copy(s->nqn, nqn, len);
	uint64_t h = 1469598103934665603ull;       /* FNV-1a: a stable default serial per NQN */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)nqn[i]) * 1099511628211ull;
	if (serial && *serial)
		snprintf(s->serial, sizeof(s->serial), "%s", serial);
	else
		snprintf(s->serial, sizeof(s->serial), "WR%016llx", (unsigned long long)h);
	snprintf(s->model, sizeof(s->model), "%s", model && *model ? model : "Windrose");
	s->next_cntlid = 1;
	s->refs = 1;
	return s;
}

static int parse_cpu_list(const char *list, int *cpus, int max)
{
	int n = 0;
	const char *p = list;
	while (p && *p) {
		char *end;
		long a = strtol(p, &end, 10);
		if (end == p || a < 0 || a > 4095)
			return -EINVAL;
		long b = a;
		if (*end == '-') {
			p = end + 1;
			b = strtol(p, &end, 10);
			if (end == p || b < a || b > 4095)
				return -EINVAL;
		}
		for (long c = a; c <= b && n < max; c++)
			cpus[n++] = (int)c;
		if (*end == ',')
			end++;
		else if (*end)
			return -EINVAL;
		p = end;
	}
	return n;
}

static int target_create(uint32_t reactors, uint32_t mode, const char *cpu_list, bool manual,
			 struct wr_target **out)
{
	if (!out || reactors < 1 || reactors > WR_MAX_REACTORS ||
	    (mode != WR_MODE_ADAPTIVE && mode != WR_MODE_BUSY))
		return -EINVAL;
	int cpus[WR_MAX_REACTORS];
	int ncpus = parse_cpu_list(cpu_list, cpus, WR_MAX_REACTORS);
	if (ncpus < 0)
		return ncpus;
	struct wr_target *t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	int rc = -ENOMEM;
	pthread_mutex_init(&t->ctl_lock, NULL);
	pthread_mutex_init(&t->lock, NULL);
	t->nreactors = reactors;
	t->mode = mode;
	t->manual = manual;
	if (getrandom(&t->epoch, sizeof(t->epoch), 0) != sizeof(t->epoch))
		t->epoch = wr_now_ns() ^ ((uint64_t)getpid() << 32);
	t->epoch_started_ms = wr_unix_ms();
	t->cntlid_min = WR_CNTLID_MIN;
	t->cntlid_max = WR_CNTLID_MAX;
	atomic_init(&t->anatt_s, WR_DEFAULT_ANATT_S);
	wr_admission_init(t);
	t->disc = subsys_alloc(WR_NAME(NVME_DISC_SUBSYS_NAME), "WRDISCOVERY", "Windrose discovery");
	t->reactors = calloc(reactors, sizeof(*t->reactors));
	if (!t->disc || !t->reactors)
		goto err_alloc;
	t->disc->discovery = true;
	t->disc->allow_any_host = true;
	t->subsystems = t->disc;
	uint32_t inited = 0;
	for (; inited < reactors; inited++) {
		rc = wr_reactor_init(t, &t->reactors[inited], inited);
		if (rc < 0)
			goto err_reactors;
		if (ncpus > 0)
			t->reactors[inited].cpu = cpus[inited % (uint32_t)ncpus];
	}
	if (!manual) {
		for (uint32_t i = 0; i < reactors; i++) {
			rc = wr_reactor_start(&t->reactors[i]);
			if (rc < 0) {
				for (uint32_t j = 0; j < i; j++)
					wr_reactor_stop(&t->reactors[j]);
				goto err_reactors;
			}
		}
	}
	*out = t;
	return 0;

err_reactors:
	while (inited-- > 0)
		wr_reactor_fini(&t->reactors[inited]);
err_alloc:
	wr_admission_fini(t);
	free(t->reactors);
	free(t->disc);
	pthread_mutex_destroy(&t->lock);
	pthread_mutex_destroy(&t->ctl_lock);
	free(t);
	return rc;
}

int32_t wr_target_create(uint32_t reactors, uint32_t mode, const char *cpu_list,
			 struct wr_target **out)
{
	return target_create(reactors, mode, cpu_list, false, out);
}

int wr_target_create_manual(uint32_t reactors, struct wr_target **out)
{
	return target_create(reactors, WR_MODE_ADAPTIVE, NULL, true, out);
}

int32_t wr_target_set_cntlid_range(struct wr_target *t, uint32_t min, uint32_t max)
{
	if (!t || min < WR_CNTLID_MIN || max > WR_CNTLID_MAX || min > max)
		return -EINVAL;
	pthread_mutex_lock(&t->lock);
	bool changed = t->cntlid_min != min || t->cntlid_max != max;
	t->cntlid_min = (uint16_t)min;
	t->cntlid_max = (uint16_t)max;
	pthread_mutex_unlock(&t->lock);
	if (changed)
		wr_log(WR_LOG_INFO, "new controllers get IDs %u..%u", min, max);
	return 0;
}

static void ns_destroy(struct wr_target *t, struct wr_ns *ns)
{
	uint64_t deadline = wr_now_ns() + NS_DRAIN_TIMEOUT_NS;
	while (atomic_load_explicit(&ns->inflight, memory_order_acquire) > 0) {
		if (wr_now_ns() > deadline) {
			wr_log(WR_LOG_ERROR, "namespace %u: I/O still in flight after 30 s; leaking it",
			       ns->nsid);
			return;
		}
		if (t->manual) {
			for (uint32_t i = 0; i < t->nreactors; i++)
				wr_reactor_run_once(&t->reactors[i]);
		} else {
			usleep(1000);
		}
	}
	wr_bdev_close(ns->bdev);
	free(ns->rstats);
	free(ns);
}

static void port_close_on_reactor(struct wr_reactor *r, void *arg)
{
	struct wr_port *port = arg;
	if (port->polled)
		epoll_ctl(r->epfd, EPOLL_CTL_DEL, port->fd, NULL);
	port->polled = false;
	wr_reactor_forget_port(r, port);
}

static void close_port_conns(struct wr_reactor *r, void *arg)
{
	uint16_t slot = (uint16_t)(uintptr_t)arg;
	for (struct wr_conn *c = r->conns; c; c = c->next)
		if (c->port_slot == slot)
			wr_conn_close(c, "listener removed");
}

static void port_release(struct wr_target *t, struct wr_port *port)
{
	wr_reactor_call(&t->reactors[0], port_close_on_reactor, port);
	close(port->fd);
	for (uint32_t i = 0; i < t->nreactors; i++)
		wr_reactor_call(&t->reactors[i], close_port_conns, (void *)(uintptr_t)port->slot);
	wr_log(WR_LOG_INFO, "listener %s:%u closed", port->addr, port->port);
	free(port);
}

void wr_target_destroy(struct wr_target *t)
{
	if (!t)
		return;
	for (uint32_t i = 0; i < t->nreactors; i++)
		wr_reactor_stop(&t->reactors[i]);
	for (uint32_t i = 0; i < t->nreactors; i++)
		wr_reactor_fini(&t->reactors[i]);
	for (uint32_t i = 0; i < WR_MAX_PORTS; i++) {
		if (t->ports[i]) {
			close(t->ports[i]->fd);
			free(t->ports[i]);
		}
	}
	while (t->subsystems) {
		struct wr_subsys *s = t->subsystems;
		t->subsystems = s->next;
		for (uint32_t nsid = 1; nsid <= WR_MAX_NSID; nsid++) {
			struct wr_ns *ns = atomic_load(&s->ns[nsid]);
			if (ns) {
				wr_bdev_close(ns->bdev);
				free(ns->rstats);
				free(ns);
			}
		}
		subsys_free(s);     /* controllers died with their connections */
	}
	free(t->reactors);
	wr_tls_target_fini(t);
	wr_admission_fini(t);
	pthread_mutex_destroy(&t->lock);
	pthread_mutex_destroy(&t->ctl_lock);
	free(t);
}

/* ---------------------------------------------------------------------------------------------
 * Subsystems and hosts
 * ------------------------------------------------------------------------------------------- */
int32_t wr_subsystem_create(struct wr_target *t, const char *nqn, uint32_t nqn_len,
			    const char *serial, const char *model, uint32_t flags)
{
	if (!t || !valid_nqn(nqn, nqn_len) || wr_name_eq(NVME_DISC_SUBSYS_NAME, nqn, nqn_len) ||
	    (serial && strlen(serial) > 20) || (model && strlen(model) > 40) ||
	    (flags & ~WR_SUBSYS_ALLOW_ANY_HOST))
		return -EINVAL;
	pthread_mutex_lock(&t->ctl_lock);
	pthread_mutex_lock(&t->lock);
	int rc = 0;
	if (wr_subsys_find(t, nqn, nqn_len)) {
		rc = -EEXIST;
		goto out;
	}
	struct wr_subsys *s = subsys_alloc(nqn, nqn_len, serial, model);
	if (!s) {
		rc = -ENOMEM;
		goto out;
	}
	s->allow_any_host = flags & WR_SUBSYS_ALLOW_ANY_HOST;
	s->dhchap_hashes = WR_DHCHAP_HASH_ALL;
	s->dhchap_dhgroups = WR_DHCHAP_DH_ALL;
	struct wr_subsys **pp = &t->subsystems;
	while (*pp)
		pp = &(*pp)->next;
	*pp = s;
	wr_log(WR_LOG_INFO, "subsystem %.*s created", (int)nqn_len, nqn);
out:
	pthread_mutex_unlock(&t->lock);
	pthread_mutex_unlock(&t->ctl_lock);
	return rc;
}

static void unlink_subsys(struct wr_target *t, struct wr_subsys *s)
{
	for (struct wr_subsys **pp = &t->subsystems; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			return;
		}
	}
}

int32_t wr_subsystem_delete(struct wr_target *t, const char *nqn, uint32_t nqn_len)
{
	if (!t || !valid_nqn(nqn, nqn_len))
		return -EINVAL;
	pthread_mutex_lock(&t->ctl_lock);
	pthread_mutex_lock(&t->lock);
	struct wr_subsys *s = wr_subsys_find(t, nqn, nqn_len);
	if (!s || s->discovery) {
		pthread_mutex_unlock(&t->lock);
		pthread_mutex_unlock(&t->ctl_lock);
		return s ? -EINVAL : -ENOENT;
	}
	s->deleted = true;
	unlink_subsys(t, s);
	fail_ctrlrs(s, NULL, 0, -1, "subsystem deleted");
	struct wr_ns *gone[WR_MAX_NSID];
	uint32_t ngone = 0;
	for (uint32_t nsid = 1; nsid <= WR_MAX_NSID; nsid++) {
		struct wr_ns *ns = atomic_exchange(&s->ns[nsid], NULL);
		if (ns)
			gone[ngone++] = ns;
	}
	struct wr_port *release[WR_MAX_PORTS];
	uint32_t nrelease = 0;
	while (s->listeners) {
		struct wr_listener *l = s->listeners;
		s->listeners = l->next;
		if (--l->port->refs == 0) {
			t->ports[l->port->slot] = NULL;
			release[nrelease++] = l->port;
		}
		free(l);
	}
	wr_target_discovery_changed(t);
	pthread_mutex_unlock(&t->lock);

	wr_target_barrier(t);
	for (uint32_t i = 0; i < ngone; i++)
		ns_destroy(t, gone[i]);
	for (uint32_t i = 0; i < nrelease; i++)
		port_release(t, release[i]);
	pthread_mutex_lock(&t->lock);
	wr_subsys_put(t, s);
	pthread_mutex_unlock(&t->lock);
	pthread_mutex_unlock(&t->ctl_lock);
	wr_log(WR_LOG_INFO, "subsystem %.*s deleted", (int)nqn_len, nqn);
	return 0;
}

int32_t wr_subsystem_set_allow_any_host(struct wr_target *t, const char *nqn, uint32_t nqn_len,
					uint32_t allow)
{
	if (!t || !valid_nqn(nqn, nqn_len))
		return -EINVAL;
	pthread_mutex_lock(&t->lock);
	struct wr_subsys *s = wr_subsys_find(t, nqn, nqn_len);
	int rc = !s ? -ENOENT : s->discovery ? -EINVAL : 0;
	if (rc == 0) {
		s->allow_any_host = allow != 0;
		if (!allow) {     /* hosts that are not on the list lose their controllers */
			for (struct wr_ctrlr *c = s->ctrlrs; c; c = c->next)
				if (!wr_subsys_host_allowed(s, c->hostnqn, strlen(c->hostnqn)))
					wr_ctrlr_fail(c, "host no longer allowed");
		}
		wr_target_discovery_changed(t);
	}
	pthread_mutex_unlock(&t->lock);
	return rc;
}

int32_t wr_host_allow(struct wr_target *t, const char *nqn, uint32_t nqn_len, const char *hostnqn,
			 uint32_t hostnqn_len)
{
	if (!t || !valid_nqn(nqn, nqn_len) || !valid_nqn(hostnqn, hostnqn_len))
		return -EINVAL;
	pthread_mutex_lock(&t->lock);
	struct wr_subsys *s = wr_subsys_find(t, nqn, nqn_len);
	int rc = !s ? -ENOENT : s->discovery ? -EINVAL : 0;
	for (struct wr_host *h = rc ? NULL : s->hosts; h; h = h->next)
		if (wr_name_eq(h->nqn, hostnqn, hostnqn_len))
			rc = -EEXIST;
	if (rc == 0) {
		struct wr_host *h = calloc(1, sizeof(*h));
		if (!h) {
			rc = -ENOMEM;
		} else {
			wr_name_copy(h->nqn, hostnqn, hostnqn_len);
			h->next = s->hosts;
			s->hosts = h;
			wr_target_discovery_changed(t);
		}
	}
	pthread_mutex_unlock(&t->lock);
	return rc;
}

int32_t wr_host_disallow(struct wr_target *t, const char *nqn, uint32_t nqn_len,
			 const char *hostnqn, uint32_t hostnqn_len)
{
	if (!t || !valid_nqn(nqn, nqn_len) || !valid_nqn(hostnqn, hostnqn_len))
		return -EINVAL;
	pthread_mutex_lock(&t->lock);
	struct wr_subsys *s = wr_subsys_find(t, nqn, nqn_len);
	int rc = s ? -ENOENT : -ENOENT;
	for (struct wr_host **pp = s ? &s->hosts : NULL; pp && *pp; pp = &(*pp)->next) {
		if (wr_name_eq((*pp)->nqn, hostnqn, hostnqn_len)) {
			struct wr_host *h = *pp;
			*pp = h->next;
			host_free(h);
			rc = 0;
			break;
		}
	}
	if (rc == 0) {
		if (!s->allow_any_host)
			fail_ctrlrs(s, hostnqn, hostnqn_len, -1, "host disallowed");
		wr_target_discovery_changed(t);
	}
	pthread_mutex_unlock(&t->lock);
	return rc;
}

/* ---------------------------------------------------------------------------------------------
 * DH-HMAC-CHAP secrets and policy (auth.c runs the protocol)
 * ------------------------------------------------------------------------------------------- */
/* Decodes the three secrets, all or none: NULL secrets stay empty. */
static int parse_secrets(const char *host_secret, const char *prev_secret, const char *ctrl_secret,
			 struct wr_dhchap_key keys[3])
{
	const char *secrets[3] = { host_secret, prev_secret, ctrl_secret };
	memset(keys, 0, 3 * sizeof(keys[0]));
	int rc = 0;
	for (int i = 0; i < 3 && rc == 0; i++)
		if (secrets[i])
			rc = wr_dhchap_key_parse(secrets[i], &keys[i]);
	/* One secret for both directions would let a host answer the controller's challenge with
	 * the controller's own response (the specification asks for different secrets). */
	if (rc == 0 && keys[2].len &&
	    ((keys[2].len == keys[0].len && memcmp(keys[2].bytes, keys[0].bytes, keys[0].len) == 0) ||
	     (keys[2].len == keys[1].len && memcmp(keys[2].bytes, keys[1].bytes, keys[1].len) == 0)))
		rc = -EINVAL;
	if (rc < 0)
		for (int i = 0; i < 3; i++)
			wr_dhchap_key_clear(&keys[i]);
	return rc;
}

int32_t wr_host_set_dhchap(struct wr_target *t, const char *nqn, uint32_t nqn_len,
			   const char *hostnqn, uint32_t hostnqn_len, const char *host_secret,
			   const char *prev_host_secret, const char *ctrl_secret)
{
	if (!t || !valid_nqn(nqn, nqn_len) || !valid_nqn(hostnqn, hostnqn_len))
		return -EINVAL;
	struct wr_dhchap_key keys[3];
	int rc = host_secret ? parse_secrets(host_secret, prev_host_secret, ctrl_secret, keys)
			     : parse_secrets(NULL, NULL, NULL, keys);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&t->lock);
	struct wr_subsys *s = wr_subsys_find(t, nqn, nqn_len);
	struct wr_host *h = s ? wr_subsys_host_find(s, hostnqn, hostnqn_len) : NULL;
	if (!h) {
		rc = -ENOENT;
	} else {
		h->key = keys[0];
		h->prev_key = keys[1];
		h->ctrl_key = keys[2];
	}
	pthread_mutex_unlock(&t->lock);
	for (int i = 0; i < 3; i++)
		wr_dhchap_key_clear(&keys[i]);
	if (rc == 0)
		wr_log(WR_LOG_INFO, "subsystem %.*s host %.*s: DH-HMAC-CHAP %s", (int)nqn_len, nqn,
		       (int)hostnqn_len, hostnqn,
		       !host_secret ? "off" : ctrl_secret ? (prev_host_secret ? "bidirectional, rotating"
								      : "bidirectional")
			       : prev_host_secret ? "unidirectional, rotating" : "unidirectional");
	return rc;
}

int32_t wr_subsystem_set_dhchap_policy(struct wr_target *t, const char *nqn, uint32_t nqn_len,
				       uint32_t hash_mask, uint32_t dhgroup_mask)
{
	if (!t || !valid_nqn(nqn, nqn_len) || !hash_mask || (hash_mask & ~WR_DHCHAP_HASH_ALL) ||
	    !dhgroup_mask || (dhgroup_mask & ~WR_DHCHAP_DH_ALL))
		return -EINVAL;
	pthread_mutex_lock(&t->lock);
	struct wr_subsys *s = wr_subsys_find(t, nqn, nqn_len);
	int rc = !s ? -ENOENT : s->discovery ? -EINVAL : 0;
	if (rc == 0) {
		s->dhchap_hashes = hash_mask;
		s->dhchap_dhgroups = dhgroup_mask;
	}
	pthread_mutex_unlock(&t->lock);
	return rc;
}

/* ---------------------------------------------------------------------------------------------
 * Namespaces
 * ------------------------------------------------------------------------------------------- */
/* Stable identifiers from (subsystem NQN, NSID, salt): FNV-1a then a splitmix64 finaliser. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static void derive_id(const char *nqn, size_t len, uint32_t nsid, uint64_t salt, uint8_t out[16])
{
	uint64_t h = 1469598103934665603ull ^ salt;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)nqn[i]) * 1099511628211ull;
	h = (h ^ nsid) * 1099511628211ull;
	uint64_t a = mix64(h), b = mix64(h ^ 0x9e3779b97f4a7c15ull);
	memcpy(out, &a, 8);
	memcpy(out + 8, &b, 8);
}

static bool id_is_zero(const uint8_t id[16])
{
	for (int i = 0; i < 16; i++)
		if (id[i])
			return false;
	return true;
}

static bool ids_clash(const struct wr_subsys *s, const uint8_t nguid[16], const uint8_t uuid[16])
{
	for (uint32_t i = 1; i <= WR_MAX_NSID; i++) {
		const struct wr_ns *o = atomic_load(&s->ns[i]);
		if (o && (memcmp(o->nguid, nguid, 16) == 0 || memcmp(o->uuid, uuid, 16) == 0))
			return true;
	}
	return false;
}

static void note_ns_changed(struct wr_subsys *s, uint32_t nsid)
{
	for (struct wr_ctrlr *c = s->ctrlrs; c; c = c->next) {
		if (atomic_load(&c->failed))
			continue;
		bool listed = false;
		for (uint32_t i = 0; i < c->nchanged_ns && c->nchanged_ns != UINT32_MAX; i++)
			listed |= c->changed_ns[i] == nsid;
		if (!listed && c->nchanged_ns != UINT32_MAX) {
			if (c->nchanged_ns < WR_CHANGED_NS_MAX)
				c->changed_ns[c->nchanged_ns++] = nsid;
			else
				c->nchanged_ns = UINT32_MAX;   /* "more than 1024 changed" */
		}
		wr_ctrlr_raise_aen(c, NVME_AEN_CFG_NS_ATTR);
	}
}

static int open_bdev(uint32_t kind, const char *path, uint64_t offset, uint64_t size, uint32_t block_size,
		     struct wr_bdev **out, char *desc, size_t desc_len)
{
	struct wr_bdev_open_opts o = { .size_bytes = size, .block_size = block_size, .path = path,
				       .offset_bytes = offset };
	switch (kind) {
	case WR_BDEV_KIND_NULL:
		o.type = WR_BDEV_NULL;
		snprintf(desc, desc_len, "null %llu", (unsigned long long)size);
		break;
	case WR_BDEV_KIND_RAM:
		o.type = WR_BDEV_RAM;
		snprintf(desc, desc_len, "ram %llu", (unsigned long long)size);
		break;
	case WR_BDEV_KIND_FILE:
		if (!path || !*path)
			return -EINVAL;
		o.type = WR_BDEV_FILE;
		/* an extent lies inside a disk that exists; only a whole file may be created */
		o.create = size > 0 && offset == 0;
		if (offset)
			snprintf(desc, desc_len, "extent of %s at %llu", path, (unsigned long long)offset);
		else
			snprintf(desc, desc_len, "file %s", path);
		break;
	default:
		return -EINVAL;
	}
	if (kind != WR_BDEV_KIND_FILE && size == 0)
		return -EINVAL;
	int rc = wr_bdev_open(&o, out);
	if (rc == 0 && kind == WR_BDEV_KIND_RAM) {
		/* how much of it huge pages back: the speed of its reads depends on it (bdev_mem.c) */
		struct wr_bdev_mem_info mi;
		wr_bdev_mem_info(*out, &mi);
		size_t used = strlen(desc);
		snprintf(desc + used, desc_len - used, ", %s, %llu of %llu MiB huge", mi.backing_name,
			 (unsigned long long)(mi.huge_bytes >> 20), (unsigned long long)(mi.usable_bytes >> 20));
	}
	return rc;
}

/* Wraps *bdev (the local leg) into a mirror whose remote leg opts describes (bdev_mirror.c). */
static int open_mirror(struct wr_target *t, const struct wr_mirror_opts *opts, struct wr_bdev **bdev,
		       char *desc, size_t desc_len)
{
	if (!memchr(opts->subnqn, 0, sizeof(opts->subnqn)) || !memchr(opts->hostnqn, 0, sizeof(opts->hostnqn)) ||
	    wr_nqn_check(opts->subnqn, (uint32_t)strlen(opts->subnqn)) ||
	    (opts->hostnqn[0] && wr_nqn_check(opts->hostnqn, (uint32_t)strlen(opts->hostnqn))))
		return -EINVAL;
	struct wr_bdev *mirror;
	int rc = wr_bdev_mirror_open(*bdev, opts, (uint16_t)t->nreactors, &mirror);
	if (rc)
		return rc;
	*bdev = mirror;
	size_t used = strlen(desc);
	snprintf(desc + used, desc_len - used, ", mirrored to %.*s", (int)(desc_len / 2), opts->addr);
	return 0;
}

static int32_t add_namespace(struct wr_target *t, const char *nqn, uint32_t nqn_len, uint32_t nsid,
			     uint32_t kind, const char *path, uint64_t offset_bytes, uint64_t size_bytes,
			     uint32_t block_size, const uint8_t *nguid, const uint8_t *uuid,
			     uint32_t anagrpid, const struct wr_mirror_opts *mirror)
{
	if (!t || !valid_nqn(nqn, nqn_len) || nsid < 1 || nsid > WR_MAX_NSID || anagrpid > WR_MAX_ANAGRP ||
	    (nguid && id_is_zero(nguid)) || (uuid && id_is_zero(uuid)))
		return -EINVAL;
	struct wr_ns *ns = calloc(1, sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	ns->rstats = aligned_alloc(64, sizeof(*ns->rstats) * t->nreactors);
	if (!ns->rstats) {
		free(ns);
		return -ENOMEM;
	}
	memset(ns->rstats, 0, sizeof(*ns->rstats) * t->nreactors);
	int rc = open_bdev(kind, path, offset_bytes, size_bytes, block_size, &ns->bdev, ns->desc,
			   sizeof(ns->desc));
	if (rc < 0)
		goto err_bdev;
	if (mirror) {
		rc = open_mirror(t, mirror, &ns->bdev, ns->desc, sizeof(ns->desc));
		if (rc < 0) {
			wr_bdev_close(ns->bdev);
			goto err_bdev;
		}
	}
	wr_bdev_get_info(ns->bdev, &ns->info);
	ns->nsid = nsid;
	ns->anagrpid = anagrpid ? anagrpid : 1;
	if (nguid)
		memcpy(ns->nguid, nguid, 16);
	else
		derive_id(nqn, nqn_len, nsid, 0x4e475549u, ns->nguid);
	if (uuid) {
		memcpy(ns->uuid, uuid, 16);
	} else {
		derive_id(nqn, nqn_len, nsid, 0x55554944u, ns->uuid);
		ns->uuid[6] = (ns->uuid[6] & 0x0f) | 0x80;   /* RFC 9562 version 8 (custom) */
		ns->uuid[8] = (ns->uuid[8] & 0x3f) | 0x80;   /* RFC variant */
	}

	pthread_mutex_lock(&t->ctl_lock);
	pthread_mutex_lock(&t->lock);
	struct wr_subsys *s = wr_subsys_find(t, nqn, nqn_len);
	if (!s || s->discovery)
		rc = s ? -EINVAL : -ENOENT;
	else if (atomic_load(&s->ns[nsid]))
		rc = -EEXIST;
	else if (ids_clash(s, ns->nguid, ns->uuid))
		rc = -EEXIST;     /* Linux drops namespaces with duplicate identifiers */
	if (rc == 0) {
		ns->subsys = s;
		atomic_store_explicit(&s->ns[nsid], ns, memory_order_release);
		note_ns_changed(s, nsid);
		wr_log(WR_LOG_INFO, "subsystem %s: namespace %u added (%s, %llu blocks of %u bytes)", s->nqn,
		       nsid, ns->desc, (unsigned long long)ns->info.num_blocks, ns->info.block_size);
	}
	pthread_mutex_unlock(&t->lock);
	pthread_mutex_unlock(&t->ctl_lock);
	if (rc == 0)
		return 0;
	wr_bdev_close(ns->bdev);
err_bdev:
	free(ns->rstats);
	free(ns);
	return rc;
}

int32_t wr_ns_add(struct wr_target *t, const char *nqn, uint32_t nqn_len, uint32_t nsid,
		  uint32_t kind, const char *path, uint64_t size_bytes, uint32_t block_size, const uint8_t *nguid,
		  const uint8_t *uuid, uint32_t anagrpid)
{
	return add_namespace(t, nqn, nqn_len, nsid, kind, path, 0, size_bytes, block_size, nguid, uuid,
			     anagrpid, NULL);
}

int32_t wr_ns_add_extent(struct wr_target *t, const char *nqn, uint32_t nqn_len, uint32_t nsid,
			 const char *path, uint64_t offset_bytes, uint64_t size_bytes, uint32_t block_size,
			 const uint8_t *nguid, const uint8_t *uuid, uint32_t anagrpid)
{
	/* offset 0 would be a whole-file namespace that may create and extend: not an extent */
	if (!path || !*path || !offset_bytes || !size_bytes)
		return -EINVAL;
	return add_namespace(t, nqn, nqn_len, nsid, WR_BDEV_KIND_FILE, path, offset_bytes, size_bytes,
			     block_size, nguid, uuid, anagrpid, NULL);
}

int32_t wr_ns_add_mirror(struct wr_target *t, const char *nqn, uint32_t nqn_len, uint32_t nsid,
			 uint32_t kind, const char *path, uint64_t offset_bytes, uint64_t size_bytes,
			 uint32_t block_size, const uint8_t *nguid, const uint8_t *uuid, uint32_t anagrpid,
			 const struct wr_mirror_opts *mirror)
{
	if (!mirror || kind == WR_BDEV_KIND_NULL)
		return -EINVAL;   /* a null leg holds nothing to mirror */
	/* an extent as wr_ns_add_extent takes it */
	if (offset_bytes && (kind != WR_BDEV_KIND_FILE || !path || !*path || !size_bytes))
		return -EINVAL;
	return add_namespace(t, nqn, nqn_len, nsid, kind, path, offset_bytes, size_bytes, block_size,
			     nguid, uuid, anagrpid, mirror);
}

/* The namespace, pinned (ns->inflight) so that removing it waits for us; NULL with *rc set. */
static struct wr_ns *ns_pin(struct wr_target *t, const char *nqn, uint32_t nqn_len, uint32_t nsid,
			    int *rc)
{
	*rc = -EINVAL;
	if (!t || !valid_nqn(nqn, nqn_len) || nsid < 1 || nsid > WR_MAX_NSID)
		return NULL;
	pthread_mutex_lock(&t->lock);
	struct wr_subsys *s = wr_subsys_find(t, nqn, nqn_len);
	struct wr_ns *ns = s ? atomic_load(&s->ns[nsid]) : NULL;
	if (ns)
		atomic_fetch_add_explicit(&ns->inflight, 1, memory_order_relaxed);
	pthread_mutex_unlock(&t->lock);
	*rc = ns ? 0 : -ENOENT;
	return ns;
}

static void ns_unpin(struct wr_ns *ns)
{
	atomic_fetch_sub_explicit(&ns->inflight, 1, memory_order_release);
}

int32_t wr_ns_mirror_status(struct wr_target *t, const char *nqn, uint32_t nqn_len, uint32_t nsid,
			    struct wr_mirror_status *out)
{
	int rc;
	if (!out)
		return -EINVAL;
	struct wr_ns *ns = ns_pin(t, nqn, nqn_len, nsid, &rc);
	if (!ns)
		return rc;
	rc = wr_bdev_is_mirror(ns->bdev) ? 0 : -EINVAL;
	if (rc == 0)
		wr_bdev_mirror_status(ns->bdev, out);
	ns_unpin(ns);
	return rc;
}

int32_t wr_ns_mirror_release(struct wr_target *t, const char *nqn, uint32_t nqn_len, uint32_t nsid)
{
	int rc;
	struct wr_ns *ns = ns_pin(t, nqn, nqn_len, nsid, &rc);
	if (!ns)
		return rc;
	rc = wr_bdev_is_mirror(ns->bdev) ? 0 : -EINVAL;
	if (rc == 0)
		wr_bdev_mirror_release(ns->bdev);
	ns_unpin(ns);
	return rc;
}

int32_t wr_ns_mirror_resync(struct wr_target *t, const char *nqn, uint32_t nqn_len, uint32_t nsid)
{
	int rc;
	struct wr_ns *ns = ns_pin(t, nqn, nqn_len, nsid, &rc);
	if (!ns)
		return rc;
	rc = wr_bdev_is_mirror(ns->bdev) ? wr_bdev_mirror_resync(ns->bdev) : -EINVAL;
	ns_unpin(ns);
	return rc;
}

int32_t wr_ns_remove(struct wr_target *t, const char *nqn, uint32_t nqn_len, uint32_t nsid)
{
	if (!t || !valid_nqn(nqn, nqn_len) || nsid < 1 || nsid > WR_MAX_NSID)
		return -EINVAL;
	pthread_mutex_lock(&t->ctl_lock);
	pthread_mutex_lock(&t->lock);
	struct wr_subsys *s = wr_subsys_find(t, nqn, nqn_len);
	struct wr_ns *ns = s ? atomic_exchange(&s->ns[nsid], NULL) : NULL;
	if (ns)
		note_ns_changed(s, nsid);
	pthread_mutex_unlock(&t->lock);
	if (ns) {
		/* After the barrier no reactor can still pick up the old pointer; then wait for the
		 * commands that did to finish. */
		wr_target_barrier(t);
		wr_bdev_mirror_shutdown(ns->bdev);   /* held writes and a resync would hold us up */
		ns_destroy(t, ns);
		wr_log(WR_LOG_INFO, "subsystem %.*s: namespace %u removed", (int)nqn_len, nqn, nsid);
	}
	pthread_mutex_unlock(&t->ctl_lock);
	return ns ? 0 : -ENOENT;
}

int32_t wr_ns_resize(struct wr_target *t, const char *nqn, uint32_t nqn_len, uint32_t nsid,
		     uint64_t new_size_bytes)
{
	if (!t || !valid_nqn(nqn, nqn_len) || nsid < 1 || nsid > WR_MAX_NSID)
		return -EINVAL;
	/* ctl_lock keeps the namespace alive (wr_ns_remove holds it until the namespace is freed) and
	 * serialises resizes; target->lock is not held across the grow, which may ftruncate. */
	pthread_mutex_lock(&t->ctl_lock);
	pthread_mutex_lock(&t->lock);
	struct wr_subsys *s = wr_subsys_find(t, nqn, nqn_len);
	struct wr_ns *ns = s && !s->discovery ? atomic_load(&s->ns[nsid]) : NULL;
	pthread_mutex_unlock(&t->lock);
	int rc = ns ? wr_bdev_grow(ns->bdev, new_size_bytes) : -ENOENT;
	if (rc == 0) {
		/* The bdev published its new count first (release, bdev.h), so a reactor that reads the
		 * namespace's count below with acquire (io.c range_ok) and then submits finds the bdev
		 * at least as large. An I/O checked against the old count is inside the new one too:
		 * the size only grows, so a racing command is never refused or misplaced, only
		 * bounded by whichever count it saw. */
		const uint64_t blocks = wr_bdev_num_blocks(ns->bdev);
		const uint64_t old = __atomic_load_n(&ns->info.num_blocks, __ATOMIC_RELAXED);
		if (blocks != old) {
			pthread_mutex_lock(&t->lock);
			__atomic_store_n(&ns->info.num_blocks, blocks, __ATOMIC_RELEASE);
			note_ns_changed(s, nsid);
			pthread_mutex_unlock(&t->lock);
			wr_log(WR_LOG_INFO, "subsystem %s: namespace %u grown from %llu to %llu blocks of %u bytes",
			       s->nqn, nsid, (unsigned long long)old, (unsigned long long)blocks,
			       ns->info.block_size);
		}
	}
	pthread_mutex_unlock(&t->ctl_lock);
	return rc;
}

/* With t->lock held. One change count for the whole target, as Linux nvmet's nvmet_ana_chgcnt:
 * the header's count and every descriptor's carry it (drivers/nvme/target/admin-cmd.c). The
 * notice goes to the controllers that read a different log now: those of that port, or all. */
static void raise_ana_change(struct wr_target *t, struct wr_subsys *s, int port_slot)
{
	t->ana_chgcnt++;
	for (struct wr_ctrlr *c = s->ctrlrs; c; c = c->next)
		if (!atomic_load(&c->failed) && (port_slot < 0 || c->port_slot == port_slot))
			wr_ctrlr_raise_aen(c, NVME_AEN_CFG_ANA_CHANGE);
}

static uint8_t ana_get(struct wr_subsys *s, uint16_t slot, uint32_t grp)
{
	uint8_t state = atomic_load(&s->ana[slot][grp]);
	return state ? state : NVME_ANA_OPTIMIZED;
}

/* The one place an ANA state changes (t->lock held): false when it already was that state. */
static bool ana_set(struct wr_target *t, struct wr_subsys *s, uint16_t slot, uint32_t grp,
		    uint8_t state)
{
	uint8_t old = ana_get(s, slot, grp);
	if (old == state)
		return false;
	if (state == NVME_ANA_CHANGE) {
		s->ana_change_ns[slot][grp] = wr_now_ns();
		atomic_store(&t->ana_watch, true);
	}
	/* Release: a reactor that sees the new state sees the namespace it gates as it was. */
	atomic_store_explicit(&s->ana[slot][grp], state, memory_order_release);
	wr_log(WR_LOG_INFO, "subsystem %s port %u: ANA group %u %u -> %u", s->nqn, slot, grp, old,
	       state);
	return true;
}

/* A listener that goes away takes its states along: a new one on the same slot starts afresh. */
static void ana_forget_port(struct wr_subsys *s, uint16_t slot)
{
	for (uint32_t grp = 0; grp <= WR_MAX_ANAGRP; grp++)
		atomic_store(&s->ana[slot][grp], 0);
}

void wr_target_ana_watchdog(struct wr_target *t, uint64_t now_ns)
{
	uint64_t anatt_ns = (uint64_t)atomic_load(&t->anatt_s) * 1000000000ull;
	bool changing = false;
	/* Cleared first: a change that ana_set() makes while we scan sets it again. */
	atomic_store(&t->ana_watch, false);
	pthread_mutex_lock(&t->lock);
	for (struct wr_subsys *s = t->subsystems; s; s = s->next) {
		for (struct wr_listener *l = s->listeners; l; l = l->next) {
			uint16_t slot = l->port->slot;
			bool raised = false;
			for (uint32_t grp = 1; grp <= WR_MAX_ANAGRP; grp++) {
				if (ana_get(s, slot, grp) != NVME_ANA_CHANGE)
					continue;
				/* now_ns is the loop's clock: it may be older than the change. */
				uint64_t since = s->ana_change_ns[slot][grp];
				if (now_ns < since || now_ns - since < anatt_ns) {
					changing = true;
					continue;
				}
				/* ANATT is the longest the controller may report change (base spec,
				 * Identify Controller ANATT); Linux resets the controller after twice
				 * that (multipath.c, nvme_anatt_timeout). Inaccessible is the state that
				 * serves nothing, so no write can reach a node that lost its role. */
				wr_log(WR_LOG_WARN, "subsystem %s port %u: ANA group %u in change longer "
				       "than ANATT (%u s): now inaccessible", s->nqn, slot, grp,
				       atomic_load(&t->anatt_s));
				raised |= ana_set(t, s, slot, grp, NVME_ANA_INACCESSIBLE);
			}
			if (raised)
				raise_ana_change(t, s, slot);
		}
	}
	pthread_mutex_unlock(&t->lock);
	if (changing)
		atomic_store(&t->ana_watch, true);
}

int32_t wr_ns_set_ana_group(struct wr_target *t, const char *nqn, uint32_t nqn_len, uint32_t nsid,
			    uint32_t anagrpid)
{
	if (!t || !valid_nqn(nqn, nqn_len) || nsid < 1 || nsid > WR_MAX_NSID || anagrpid < 1 ||
	    anagrpid > WR_MAX_ANAGRP)
		return -EINVAL;
	pthread_mutex_lock(&t->lock);
	struct wr_subsys *s = wr_subsys_find(t, nqn, nqn_len);
	struct wr_ns *ns = s ? atomic_load(&s->ns[nsid]) : NULL;
	if (ns && __atomic_load_n(&ns->anagrpid, __ATOMIC_RELAXED) != anagrpid) {
		__atomic_store_n(&ns->anagrpid, anagrpid, __ATOMIC_RELAXED);
		raise_ana_change(t, s, -1);
	}
	pthread_mutex_unlock(&t->lock);
	return ns ? 0 : -ENOENT;
}

/* ---------------------------------------------------------------------------------------------
 * Listeners
 * ------------------------------------------------------------------------------------------- */
static int parse_addr(const char *addr, uint16_t port, struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	if (addr && inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		*len = sizeof(*in);
		return 0;
	}
	if (addr && inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		*len = sizeof(*in6);
		return 0;
	}
	return -EINVAL;
}

static bool same_endpoint(const struct wr_port *p, const struct sockaddr_storage *ss, uint16_t port)
{
	if (p->ss.ss_family != ss->ss_family || p->port != port)
		return false;
	if (ss->ss_family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)&p->ss)->sin_addr,
			      &((const struct sockaddr_in *)ss)->sin_addr, sizeof(struct in_addr)) == 0;
	return memcmp(&((const struct sockaddr_in6 *)&p->ss)->sin6_addr,
		      &((const struct sockaddr_in6 *)ss)->sin6_addr, sizeof(struct in6_addr)) == 0;
}

static struct wr_port *port_find(struct wr_target *t, const struct sockaddr_storage *ss,
				 uint16_t port)
{
	for (uint32_t i = 0; i < WR_MAX_PORTS; i++)
		if (t->ports[i] && same_endpoint(t->ports[i], ss, port))
			return t->ports[i];
	return NULL;
}

static int port_open(const char *addr, uint16_t port, struct wr_port **out)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int rc = parse_addr(addr, port, &ss, &len);
	if (rc < 0)
		return rc;
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 128) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	socklen_t sl = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	struct wr_port *p = calloc(1, sizeof(*p));
	if (!p) {
		close(fd);
		return -ENOMEM;
	}
	p->kind = WR_POLL_PORT;
	p->fd = fd;
	p->family = ss.ss_family;
	p->ss = ss;
	p->port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
						: ((struct sockaddr_in6 *)&ss)->sin6_port);
	p->ss.ss_family = (sa_family_t)p->family;
	if (p->family == AF_INET)
		((struct sockaddr_in *)&p->ss)->sin_port = htons(p->port);
	else
		((struct sockaddr_in6 *)&p->ss)->sin6_port = htons(p->port);
	snprintf(p->addr, sizeof(p->addr), "%s", addr);
	*out = p;
	return 0;
}

static void port_poll_on_reactor(struct wr_reactor *r, void *arg)
{
	struct wr_port *port = arg;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = port };
	if (epoll_ctl(r->epfd, EPOLL_CTL_ADD, port->fd, &ev) == 0)
		port->polled = true;
}

int32_t wr_listener_add(struct wr_target *t, const char *nqn, uint32_t nqn_len, const char *addr,
			uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	if (!t || !valid_nqn(nqn, nqn_len) || parse_addr(addr, port, &ss, &sl) < 0)
		return -EINVAL;
	pthread_mutex_lock(&t->ctl_lock);
	pthread_mutex_lock(&t->lock);
	int rc = 0;
	struct wr_port *p = NULL;
	bool fresh = false;
	struct wr_subsys *s = wr_subsys_find(t, nqn, nqn_len);
	struct wr_listener *l = NULL;
	if (!s) {
		rc = -ENOENT;
		goto out;
	}
	p = port ? port_find(t, &ss, port) : NULL;
	if (p && (s->discovery ? p->discovery : wr_subsys_on_port(s, p->slot))) {
		rc = -EEXIST;
		goto out;
	}
	if (!s->discovery && !(l = calloc(1, sizeof(*l)))) {
		rc = -ENOMEM;
		goto out;
	}
	if (!p) {
		uint32_t slot = 0;
		while (slot < WR_MAX_PORTS && t->ports[slot])
			slot++;
		if (slot == WR_MAX_PORTS) {
			rc = -ENOSPC;
			goto out;
		}
		rc = port_open(addr, port, &p);
		if (rc < 0)
			goto out;
		p->slot = (uint16_t)slot;
		t->ports[slot] = p;
		fresh = true;
	}
	p->refs++;
	if (s->discovery) {
		p->discovery = true;
	} else {
		/* Before the listener is linked (a Connect checks it under this lock): no host ever sees
		 * a group through it in another state than the subsystem's default for new listeners. */
		for (uint32_t grp = 1; grp <= WR_MAX_ANAGRP; grp++)
			atomic_store(&s->ana[p->slot][grp], s->ana_default[grp]);
		l->port = p;
		l->next = s->listeners;
		s->listeners = l;
		l = NULL;
		wr_target_discovery_changed(t);
	}
	rc = p->port;
	wr_log(WR_LOG_INFO, "subsystem %.*s: listening on %s port %u", (int)nqn_len, nqn, addr, p->port);
out:
	free(l);
	pthread_mutex_unlock(&t->lock);
	if (fresh)
		wr_reactor_call(&t->reactors[0], port_poll_on_reactor, p);
	pthread_mutex_unlock(&t->ctl_lock);
	return rc;
}

/* ---------------------------------------------------------------------------------------------
 * TLS (tls.c runs the channel)
 * ------------------------------------------------------------------------------------------- */
int32_t wr_port_set_tls(struct wr_target *t, const char *addr, uint16_t port, uint32_t mode)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	if (!t || mode > WR_TLS_NOT_REQUIRED || !port || parse_addr(addr, port, &ss, &sl) < 0)
		return -EINVAL;
	pthread_mutex_lock(&t->ctl_lock);
	pthread_mutex_lock(&t->lock);
	struct wr_port *p = port_find(t, &ss, port);
	int rc = !p ? -ENOENT : mode != WR_TLS_NONE ? wr_tls_target_init(t) : 0;
	if (rc == 0 && atomic_exchange(&p->tls, (uint8_t)mode) != mode) {
		wr_target_discovery_changed(t);
		wr_log(WR_LOG_INFO, "port %s:%u: TLS %s", p->addr, p->port,
		       mode == WR_TLS_REQUIRED ? "required" : mode == WR_TLS_NOT_REQUIRED ? "not required"
										  : "off");
	}
	pthread_mutex_unlock(&t->lock);
	pthread_mutex_unlock(&t->ctl_lock);
	return rc;
}

int32_t wr_port_get_tls(struct wr_target *t, const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	if (!t || !port || parse_addr(addr, port, &ss, &sl) < 0)
		return -EINVAL;
	pthread_mutex_lock(&t->lock);
	struct wr_port *p = port_find(t, &ss, port);
	int rc = p ? (int)atomic_load(&p->tls) : -ENOENT;
	pthread_mutex_unlock(&t->lock);
	return rc;
}

int32_t wr_host_set_tls_psk(struct wr_target *t, const char *nqn, uint32_t nqn_len,
			    const char *hostnqn, uint32_t hostnqn_len, const char *psk, uint32_t v0_form)
{
	if (!t || !valid_nqn(nqn, nqn_len) || !valid_nqn(hostnqn, hostnqn_len))
		return -EINVAL;
	struct wr_tls_key key;
	memset(&key, 0, sizeof(key));
	if (v0_form > WR_TLS_FORM_RFC8446)
		return -EINVAL;
	int rc = psk ? wr_tls_key_set(&key, psk, hostnqn, hostnqn_len, (int)v0_form) : 0;
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&t->lock);
	struct wr_subsys *s = wr_subsys_find(t, nqn, nqn_len);
	struct wr_host *h = s && !s->discovery ? wr_subsys_host_find(s, hostnqn, hostnqn_len) : NULL;
	if (!h)
		rc = -ENOENT;
	else
		h->tls = key;
	pthread_mutex_unlock(&t->lock);
	OPENSSL_cleanse(&key, sizeof(key));
	if (rc == 0)
		wr_log(WR_LOG_INFO, "subsystem %.*s host %.*s: TLS PSK %s", (int)nqn_len, nqn,
		       (int)hostnqn_len, hostnqn, !psk ? "removed" : v0_form == WR_TLS_FORM_RFC8446
			       ? "set (RFC 8446 derivation for version-0 identities)" : "set");
	return rc;
}

int32_t wr_listener_remove(struct wr_target *t, const char *nqn, uint32_t nqn_len, const char *addr,
			   uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	if (!t || !valid_nqn(nqn, nqn_len) || parse_addr(addr, port, &ss, &sl) < 0)
		return -EINVAL;
	pthread_mutex_lock(&t->ctl_lock);
	pthread_mutex_lock(&t->lock);
	int rc = -ENOENT;
	struct wr_subsys *s = wr_subsys_find(t, nqn, nqn_len);
	struct wr_port *p = s ? port_find(t, &ss, port) : NULL;
	bool release = false;
	if (p && s->discovery && p->discovery) {
		p->discovery = false;
		rc = 0;
	} else if (p) {
		for (struct wr_listener **pp = &s->listeners; *pp; pp = &(*pp)->next) {
			if ((*pp)->port == p) {
				struct wr_listener *l = *pp;
				*pp = l->next;
				free(l);
				rc = 0;
				break;
			}
		}
		if (rc == 0) {
			fail_ctrlrs(s, NULL, 0, p->slot, "listener removed");
			ana_forget_port(s, p->slot);
			wr_target_discovery_changed(t);
		}
	}
	if (rc == 0 && --p->refs == 0) {
		t->ports[p->slot] = NULL;
		release = true;
	}
	pthread_mutex_unlock(&t->lock);
	if (release)
		port_release(t, p);
	pthread_mutex_unlock(&t->ctl_lock);
	return rc;
}

int32_t wr_listener_set_ana_state(struct wr_target *t, const char *nqn, uint32_t nqn_len,
				  const char *addr, uint16_t port, uint32_t anagrpid, uint32_t state)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	bool valid_state = state == NVME_ANA_OPTIMIZED || state == NVME_ANA_NONOPTIMIZED ||
			   state == NVME_ANA_INACCESSIBLE || state == NVME_ANA_PERSISTENT_LOSS ||
			   state == NVME_ANA_CHANGE;
	if (!t || !valid_nqn(nqn, nqn_len) || parse_addr(addr, port, &ss, &sl) < 0 || !valid_state ||
	    anagrpid < 1 || anagrpid > WR_MAX_ANAGRP)
		return -EINVAL;
	pthread_mutex_lock(&t->lock);
	struct wr_subsys *s = wr_subsys_find(t, nqn, nqn_len);
	struct wr_port *p = s ? port_find(t, &ss, port) : NULL;
	int rc = (p && wr_subsys_on_port(s, p->slot)) ? 0 : -ENOENT;
	if (rc == 0 && ana_set(t, s, p->slot, anagrpid, (uint8_t)state))
		raise_ana_change(t, s, p->slot);
	pthread_mutex_unlock(&t->lock);
	return rc;
}

int32_t wr_subsystem_set_ana_default(struct wr_target *t, const char *nqn, uint32_t nqn_len,
				     uint32_t anagrpid, uint32_t state)
{
	bool valid_state = state == NVME_ANA_OPTIMIZED || state == NVME_ANA_NONOPTIMIZED ||
			   state == NVME_ANA_INACCESSIBLE || state == NVME_ANA_PERSISTENT_LOSS;
	if (!t || !valid_nqn(nqn, nqn_len) || !valid_state || anagrpid < 1 || anagrpid > WR_MAX_ANAGRP)
		return -EINVAL;
	pthread_mutex_lock(&t->lock);
	struct wr_subsys *s = wr_subsys_find(t, nqn, nqn_len);
	int rc = s && !s->discovery ? 0 : s ? -EINVAL : -ENOENT;
	if (rc == 0)
		s->ana_default[anagrpid] = (uint8_t)state;
	pthread_mutex_unlock(&t->lock);
	return rc;
}

int32_t wr_listener_get_ana_state(struct wr_target *t, const char *nqn, uint32_t nqn_len,
				  const char *addr, uint16_t port, uint32_t anagrpid)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	if (!t || !valid_nqn(nqn, nqn_len) || parse_addr(addr, port, &ss, &sl) < 0 || anagrpid < 1 ||
	    anagrpid > WR_MAX_ANAGRP)
		return -EINVAL;
	pthread_mutex_lock(&t->lock);
	struct wr_subsys *s = wr_subsys_find(t, nqn, nqn_len);
	struct wr_port *p = s ? port_find(t, &ss, port) : NULL;
	int rc = (p && wr_subsys_on_port(s, p->slot)) ? ana_get(s, p->slot, anagrpid) : -ENOENT;
	pthread_mutex_unlock(&t->lock);
	return rc;
}

/* ---------------------------------------------------------------------------------------------
 * Listings and statistics
 * ------------------------------------------------------------------------------------------- */
int64_t wr_target_list_controllers(struct wr_target *t, struct wr_ctrlr_info *out, uint32_t max)
{
	if (!t || (max && !out))
		return -EINVAL;
	pthread_mutex_lock(&t->lock);
	int64_t n = 0;
	for (struct wr_subsys *s = t->subsystems; s; s = s->next) {
		for (struct wr_ctrlr *c = s->ctrlrs; c; c = c->next) {
			if (atomic_load(&c->failed))
				continue;
			if ((uint64_t)n < max) {
				struct wr_ctrlr_info *i = &out[n];
				memset(i, 0, sizeof(*i));
				snprintf(i->subnqn, sizeof(i->subnqn), "%s", s->nqn);
				snprintf(i->hostnqn, sizeof(i->hostnqn), "%s", c->hostnqn);
				snprintf(i->peer_addr, sizeof(i->peer_addr), "%s", c->peer);
				memcpy(i->hostid, c->hostid, sizeof(i->hostid));
				i->cntlid = c->cntlid;
				i->io_queues = (uint16_t)__builtin_popcountll(atomic_load(&c->io_qmask));
				i->kato_ms = c->kato_ms;
				i->reactor_id = c->admin_reactor;
				i->discovery = c->discovery;
				i->connected_at_unix_ms = c->connected_at_ms;
			}
			n++;
		}
	}
	pthread_mutex_unlock(&t->lock);
	return n;
}

struct qpair_collect {
	struct wr_qpair_stats *items;
	uint32_t n, cap;
	int err;
};

static void collect_qpairs(struct wr_reactor *r, void *arg)
{
	struct qpair_collect *q = arg;
	for (struct wr_conn *c = r->conns; c; c = c->next) {
		if (c->dead)
			continue;
		if (q->n == q->cap) {
			uint32_t cap = q->cap ? q->cap * 2 : 16;
			void *p = realloc(q->items, cap * sizeof(*q->items));
			if (!p) {
				q->err = -ENOMEM;
				return;
			}
			q->items = p;
			q->cap = cap;
		}
		struct wr_qpair_stats *s = &q->items[q->n++];
		memset(s, 0, sizeof(*s));
		struct wr_ctrlr *ctrlr = c->ctrlr;
		if (ctrlr) {
			snprintf(s->subnqn, sizeof(s->subnqn), "%s", ctrlr->subsys->nqn);
			snprintf(s->hostnqn, sizeof(s->hostnqn), "%s", ctrlr->hostnqn);
			s->cntlid = ctrlr->cntlid;
		}
		snprintf(s->peer_addr, sizeof(s->peer_addr), "%s", c->peer);
		s->qid = c->qid;
		s->reactor_id = r->id;
		s->connected_at_unix_ms = c->connected_at_ms;
		s->read_ops = c->stats.read_ops;
		s->read_bytes = c->stats.read_bytes;
		s->write_ops = c->stats.write_ops;
		s->write_bytes = c->stats.write_bytes;
		s->other_ops = c->stats.other_ops;
		s->read_errors = c->stats.read_errors;
		s->write_errors = c->stats.write_errors;
		s->other_errors = c->stats.other_errors;
	}
}

static int collect_all_qpairs(struct wr_target *t, struct qpair_collect *q)
{
	memset(q, 0, sizeof(*q));
	for (uint32_t i = 0; i < t->nreactors && !q->err; i++)
		wr_reactor_call(&t->reactors[i], collect_qpairs, q);
	return q->err;
}

int64_t wr_target_list_qpairs(struct wr_target *t, struct wr_qpair_stats *out, uint32_t max)
{
	if (!t || (max && !out))
		return -EINVAL;
	struct qpair_collect q;
	pthread_mutex_lock(&t->ctl_lock);
	int rc = collect_all_qpairs(t, &q);
	pthread_mutex_unlock(&t->ctl_lock);
	if (rc) {
		free(q.items);
		return rc;
	}
	uint32_t copy = q.n < max ? q.n : max;
	if (copy)
		memcpy(out, q.items, copy * sizeof(*out));
	free(q.items);
	return q.n;
}

static uint32_t count_namespaces(struct wr_target *t)
{
	uint32_t n = 0;
	for (struct wr_subsys *s = t->subsystems; s; s = s->next)
		for (uint32_t i = 1; i <= WR_MAX_NSID && !s->discovery; i++)
			n += atomic_load(&s->ns[i]) != NULL;
	return n;
}

static uint64_t snapshot_size(uint32_t reactors, uint32_t ns, uint32_t qpairs)
{
	return sizeof(struct wr_stats_header) + reactors * sizeof(struct wr_reactor_stats) +
	       ns * sizeof(struct wr_ns_stats) + qpairs * sizeof(struct wr_qpair_stats);
}

_Static_assert(sizeof(struct wr_stats_header) % 8 == 0, "arrays stay 8-byte aligned");
_Static_assert(sizeof(struct wr_reactor_stats) % 8 == 0, "arrays stay 8-byte aligned");
_Static_assert(sizeof(struct wr_ns_stats) % 8 == 0, "arrays stay 8-byte aligned");
_Static_assert(sizeof(struct wr_qpair_stats) % 8 == 0, "arrays stay 8-byte aligned");

static uint64_t load64(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void sum_dir(struct wr_dir_stats *dst, const struct wr_dir_stats *src)
{
	dst->ops += load64(&src->ops);
	dst->bytes += load64(&src->bytes);
	dst->errors += load64(&src->errors);
	for (uint32_t b = 0; b < WR_HIST_BUCKETS; b++)
		dst->lat_hist[b] += load64(&src->lat_hist[b]);
}

static void fill_ns_stats(struct wr_target *t, struct wr_ns_stats *out)
{
	for (struct wr_subsys *s = t->subsystems; s; s = s->next) {
		for (uint32_t i = 1; i <= WR_MAX_NSID && !s->discovery; i++) {
			struct wr_ns *ns = atomic_load(&s->ns[i]);
			if (!ns)
				continue;
			memset(out, 0, sizeof(*out));
			snprintf(out->subnqn, sizeof(out->subnqn), "%s", s->nqn);
			out->nsid = i;
			for (uint32_t r = 0; r < t->nreactors; r++) {
				sum_dir(&out->read, &ns->rstats[r].read);
				sum_dir(&out->write, &ns->rstats[r].write);
				out->other_ops += load64(&ns->rstats[r].other_ops);
				out->other_errors += load64(&ns->rstats[r].other_errors);
			}
			out++;
		}
	}
}

int64_t wr_target_stats_size(struct wr_target *t)
{
	if (!t)
		return -EINVAL;
	struct qpair_collect q;
	pthread_mutex_lock(&t->ctl_lock);
	int rc = collect_all_qpairs(t, &q);
	pthread_mutex_lock(&t->lock);
	uint32_t nns = count_namespaces(t);
	pthread_mutex_unlock(&t->lock);
	pthread_mutex_unlock(&t->ctl_lock);
	free(q.items);
	return rc ? rc : (int64_t)snapshot_size(t->nreactors, nns, q.n);
}

int64_t wr_target_stats_snapshot(struct wr_target *t, void *buf, uint64_t len)
{
	if (!t || (!buf && len))
		return -EINVAL;
	struct qpair_collect q;
	pthread_mutex_lock(&t->ctl_lock);
	int rc = collect_all_qpairs(t, &q);
	if (rc) {
		pthread_mutex_unlock(&t->ctl_lock);
		free(q.items);
		return rc;
	}
	pthread_mutex_lock(&t->lock);
	uint32_t nns = count_namespaces(t);
	uint64_t need = snapshot_size(t->nreactors, nns, q.n);
	struct wr_stats_header *h = buf;
	if (len < need) {
		if (len >= sizeof(*h)) {
			memset(h, 0, sizeof(*h));
			h->magic = WR_STATS_MAGIC;
			h->abi_version = WR_ABI_VERSION;
			h->total_size = need;
		}
		pthread_mutex_unlock(&t->lock);
		pthread_mutex_unlock(&t->ctl_lock);
		free(q.items);
		return -ENOSPC;
	}
	memset(h, 0, sizeof(*h));
	h->magic = WR_STATS_MAGIC;
	h->abi_version = WR_ABI_VERSION;
	h->target_epoch = t->epoch;
	h->timestamp_ns = wr_now_ns();
	h->reactor_count = t->nreactors;
	h->ns_count = nns;
	h->qpair_count = q.n;
	h->reactor_offset = sizeof(*h);
	h->ns_offset = h->reactor_offset + t->nreactors * sizeof(struct wr_reactor_stats);
	h->qpair_offset = h->ns_offset + nns * sizeof(struct wr_ns_stats);
	h->total_size = need;
	struct wr_reactor_stats *rs = (struct wr_reactor_stats *)((uint8_t *)buf + h->reactor_offset);
	for (uint32_t i = 0; i < t->nreactors; i++) {
		struct wr_reactor *r = &t->reactors[i];
		memset(&rs[i], 0, sizeof(rs[i]));
		rs[i].reactor_id = i;
		for (uint32_t k = 0; k < q.n; k++)
			rs[i].qpair_count += q.items[k].reactor_id == i;
		rs[i].busy_ns = load64(&r->busy_ns);
		rs[i].idle_ns = load64(&r->idle_ns);
		rs[i].polls = load64(&r->polls);
		rs[i].sleeps = load64(&r->sleeps);
	}
	fill_ns_stats(t, (struct wr_ns_stats *)((uint8_t *)buf + h->ns_offset));
	pthread_mutex_unlock(&t->lock);
	pthread_mutex_unlock(&t->ctl_lock);
	if (q.n)
		memcpy((uint8_t *)buf + h->qpair_offset, q.items, q.n * sizeof(*q.items));
	free(q.items);
	return (int64_t)need;
}
