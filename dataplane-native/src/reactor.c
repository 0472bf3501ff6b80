/*
 * reactor.c - reactor threads: each owns an epoll set, its connections, one block-device I/O
 * context and a mailbox. One loop iteration: wait for readiness (0 ms while busy), read what
 * arrived (bounded per connection), run control messages, reap block-device completions, flush
 * what became sendable, and every 100 ms (or when kicked) look after controllers: async events,
 * keep-alive timers, torn-down controllers, connections whose grace period ended.
 *
 * Modes: busy polls with a zero timeout forever; adaptive does the same while there is work and,
 * after WR_IDLE_BEFORE_SLEEP_NS without any, sleeps in epoll_wait until a socket, the I/O
 * context's eventfd or the mailbox eventfd wakes it (or the next 100 ms tick).
 *
 * Polling spares most epoll_wait calls: a system call is the dearest thing in a loop iteration
 * (bench/profile.sh --costbench). A connection that received data in the last WR_HOT_ITERATIONS
 * iterations is "hot" and read with recv() directly every iteration; epoll_wait runs only every
 * epoll_interval iterations (WINDROSE_EPOLL_INTERVAL, default WR_DEFAULT_EPOLL_INTERVAL) while any
 * connection is hot, every iteration when none is, and always when an adaptive reactor is about
 * to sleep (then it is the sleep). Reading directly pays only while most hot connections have
 * data: with H hot and R readable it costs H recv() calls against 1 epoll_wait + R recv(), so a
 * reactor with many hot but quiet queues goes back to epoll_wait until reads find data again
 * (direct_pays). Manual targets (tests stepping the loop by hand) keep an
 * epoll_wait per iteration unless they ask for busy mode. It still finds everything else: new
 * connections, cold queues (the admin queue's keep-alives), EPOLLOUT, the mailbox eventfd (whose
 * messages are noticed through mbox_nonempty every iteration anyway).
 *
 * Clocks: one read per iteration for the loop (its end is the next one's start) and, only when
 * something completes, one more shared by every completion of that iteration (the latency
 * histograms then resolve to one iteration, as their start stamps already did).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

#define WR_IDLE_BEFORE_SLEEP_NS (200ull * 1000)   /* adaptive: spin this long after work */
#define WR_TICK_NS (100ull * 1000 * 1000)
#define WR_SLEEP_MS 100
#define WR_EVENTS 64
#define WR_READ_BUDGET 4          /* recv() calls per readable connection per loop */
#define WR_IO_POLL_BUDGET 256
#define WR_ACCEPT_BUDGET 16
#define WR_IO_CTX_DEPTH 4096
#define WR_DEFAULT_EPOLL_INTERVAL 16
#define WR_MAX_EPOLL_INTERVAL 1000000
#define WR_HOT_ITERATIONS 4096    /* a connection stays hot this long after data arrived */
/* accept() out of descriptors or memory: stop polling the port this long, doubling up to the max.
 * Retrying at once would fail the same way every loop iteration (a spinning core and a log line
 * each time); a second is short enough that hosts reconnecting after a burst barely notice. */
#define WR_ACCEPT_BACKOFF_MIN_MS 100u
#define WR_ACCEPT_BACKOFF_MAX_MS 1000u

static void mailbox_wake(struct wr_reactor *r)
{
	uint64_t one = 1;
	ssize_t rc = write(r->evfd, &one, sizeof(one));
	(void)rc;   /* EAGAIN: the counter is already non-zero, the reactor wakes anyway */
}

static uint32_t epoll_interval_from_env(void)
{
	const char *v = getenv("WINDROSE_EPOLL_INTERVAL");
	if (!v || !*v)
		return WR_DEFAULT_EPOLL_INTERVAL;
	char *end;
	unsigned long n = strtoul(v, &end, 10);
	if (*end || n < 1 || n > WR_MAX_EPOLL_INTERVAL) {
		wr_log(WR_LOG_WARN, "WINDROSE_EPOLL_INTERVAL=%s is not a number from 1 to %u; using %u", v,
		       WR_MAX_EPOLL_INTERVAL, WR_DEFAULT_EPOLL_INTERVAL);
		return WR_DEFAULT_EPOLL_INTERVAL;
	}
	return (uint32_t)n;
}

int wr_reactor_init(struct wr_target *t, struct wr_reactor *r, uint32_t id)
{
	memset(r, 0, sizeof(*r));
	r->target = t;
	r->id = id;
	r->cpu = -1;
	r->evfd_kind = WR_POLL_MAILBOX;
	r->ioctx_kind = WR_POLL_IOCTX;
	r->epoll_interval = epoll_interval_from_env();
	r->epfd = epoll_create1(EPOLL_CLOEXEC);
	r->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	r->rx_staging = malloc(WR_RX_STAGING);
	pthread_mutex_init(&r->mbox_lock, NULL);
	int rc = -ENOMEM;
	if (r->epfd < 0 || r->evfd < 0 || !r->rx_staging) {
		rc = -errno ? -errno : -ENOMEM;
		goto err_fds;
	}
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &r->evfd_kind };
	if (epoll_ctl(r->epfd, EPOLL_CTL_ADD, r->evfd, &ev) < 0) {
		rc = -errno;
		goto err_fds;
	}
	rc = wr_io_ctx_create(WR_IO_CTX_DEPTH, &r->ioctx);
	if (rc < 0)
		goto err_fds;
	if (t->mode == WR_MODE_BUSY)
		wr_io_ctx_set_notify(r->ioctx, false);  /* busy loops poll it: no eventfd traffic */
	/* a mirror's remote sockets wake this reactor like its own connections (bdev.h) */
	wr_io_ctx_set_epoll(r->ioctx, r->epfd, &r->ioctx_kind);
	r->iofd = wr_io_ctx_fd(r->ioctx);
	if (r->iofd >= 0) {
		struct epoll_event iev = { .events = EPOLLIN, .data.ptr = &r->ioctx_kind };
		epoll_ctl(r->epfd, EPOLL_CTL_ADD, r->iofd, &iev);
	}
	r->last_tick_ns = r->now_ns = wr_now_ns();
	return 0;

err_fds:
	if (r->epfd >= 0)
		close(r->epfd);
	if (r->evfd >= 0)
		close(r->evfd);
	free(r->rx_staging);
	r->epfd = r->evfd = -1;
	r->rx_staging = NULL;
	return rc;
}

static void reap_dead(struct wr_reactor *r)
{
	for (struct wr_conn **pp = &r->conns; *pp;) {
		struct wr_conn *c = *pp;
		if (!wr_conn_reapable(c)) {
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		r->nconns--;
		wr_conn_destroy(c);
	}
}

void wr_reactor_fini(struct wr_reactor *r)
{
	for (struct wr_conn *c = r->conns; c; c = c->next)
		wr_conn_close(c, "target shutting down");
	/* Block-device requests still in flight point into the connections: let them finish. */
	uint64_t deadline = wr_now_ns() + 10ull * 1000 * 1000 * 1000;
	while (r->ioctx && wr_io_ctx_inflight(r->ioctx) > 0 && wr_now_ns() < deadline) {
		while (r->deferred_head) {
			struct wr_req *req = r->deferred_head;
			r->deferred_head = req->next;
			wr_io_resubmit(req);
		}
		if (wr_io_ctx_poll(r->ioctx, WR_IO_POLL_BUDGET) == 0)
			usleep(1000);
	}
	reap_dead(r);
	if (r->conns)
		wr_log(WR_LOG_ERROR, "reactor %u: %u connections still had block-device I/O in flight",
		       r->id, r->nconns);
	if (r->ioctx)
		wr_io_ctx_destroy(r->ioctx);
	struct wr_msg *m = r->mbox_head;
	while (m) {                  /* nobody will run them now: release their waiters */
		struct wr_msg *next = m->next;
		if (m->done)
			sem_post(m->done);
		else
			free(m);
		m = next;
	}
	close(r->epfd);
	close(r->evfd);
	free(r->rx_staging);
	pthread_mutex_destroy(&r->mbox_lock);
}

/* ---------------------------------------------------------------------------------------------
 * Mailbox
 * ------------------------------------------------------------------------------------------- */
static bool on_reactor_thread(const struct wr_reactor *r)
{
	return r->started && pthread_equal(pthread_self(), r->thread);
}

static void mailbox_push(struct wr_reactor *r, struct wr_msg *m)
{
	pthread_mutex_lock(&r->mbox_lock);
	m->next = NULL;
	if (r->mbox_tail)
		r->mbox_tail->next = m;
	else
		r->mbox_head = m;
	r->mbox_tail = m;
	atomic_store(&r->mbox_nonempty, true);
	pthread_mutex_unlock(&r->mbox_lock);
	mailbox_wake(r);
}

void wr_reactor_call(struct wr_reactor *r, void (*fn)(struct wr_reactor *, void *), void *arg)
{
	if (r->target->manual || !r->started || on_reactor_thread(r)) {
		fn(r, arg);
		return;
	}
	sem_t done;
	sem_init(&done, 0, 0);
	struct wr_msg m = { .fn = fn, .arg = arg, .done = &done };
	mailbox_push(r, &m);
	while (sem_wait(&done) < 0 && errno == EINTR)
		;
	sem_destroy(&done);
}

void wr_reactor_post(struct wr_reactor *r, void (*fn)(struct wr_reactor *, void *), void *arg)
{
	if (r->target->manual || !r->started || on_reactor_thread(r)) {
		fn(r, arg);
		return;
	}
	struct wr_msg *m = calloc(1, sizeof(*m));
	if (!m) {
		fn(r, arg);      /* last resort; callers only post from reactor 0 to others */
		return;
	}
	m->fn = fn;
	m->arg = arg;
	mailbox_push(r, m);
}

static int mailbox_drain(struct wr_reactor *r)
{
	if (!atomic_load_explicit(&r->mbox_nonempty, memory_order_acquire))
		return 0;
	pthread_mutex_lock(&r->mbox_lock);
	struct wr_msg *m = r->mbox_head;
	r->mbox_head = r->mbox_tail = NULL;
	atomic_store(&r->mbox_nonempty, false);
	pthread_mutex_unlock(&r->mbox_lock);
	int n = 0;
	while (m) {
		struct wr_msg *next = m->next;
		m->fn(r, m->arg);
		if (m->done)
			sem_post(m->done);   /* m lives on the caller's stack: not touched after this */
		else
			free(m);
		m = next;
		n++;
	}
	return n;
}

void wr_reactor_kick(struct wr_reactor *r)
{
	atomic_store(&r->kicked, true);
	if (r->evfd >= 0)
		mailbox_wake(r);
}

static void noop(struct wr_reactor *r, void *arg)
{
	(void)r;
	(void)arg;
}

void wr_target_barrier(struct wr_target *t)
{
	for (uint32_t i = 0; i < t->nreactors; i++)
		wr_reactor_call(&t->reactors[i], noop, NULL);
}

/* ---------------------------------------------------------------------------------------------
 * Connections
 * ------------------------------------------------------------------------------------------- */
void wr_reactor_add_conn(struct wr_reactor *r, struct wr_conn *c)
{
	c->reactor = r;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
	if (epoll_ctl(r->epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
		wr_log(WR_LOG_ERROR, "reactor %u: cannot watch connection from %s: %s", r->id, c->peer,
		       strerror(errno));
		wr_conn_destroy(c);
		return;
	}
	c->next = r->conns;
	r->conns = c;
	r->nconns++;
	wr_log(WR_LOG_DEBUG, "reactor %u: connection from %s", r->id, c->peer);
}

static void adopt_conn(struct wr_reactor *r, void *arg)
{
	wr_reactor_add_conn(r, arg);
}

void wr_reactor_mark_dirty(struct wr_reactor *r, struct wr_conn *c)
{
	if (c->on_dirty)
		return;
	c->on_dirty = true;
	c->dirty_next = r->dirty;
	r->dirty = c;
}

void wr_reactor_defer_submit(struct wr_reactor *r, struct wr_req *req)
{
	req->next = NULL;
	if (r->deferred_tail)
		r->deferred_tail->next = req;
	else
		r->deferred_head = req;
	r->deferred_tail = req;
}

static void format_peer(const struct sockaddr_storage *ss, char *out, size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		port = ntohs(in->sin_port);
		snprintf(out, len, "%s:%u", host, port);
	} else {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		port = ntohs(in6->sin6_port);
		snprintf(out, len, "[%s]:%u", host, port);
	}
}

/* ---------------------------------------------------------------------------------------------
 * Accepting: caps, refusals and the back-off when descriptors run out
 * ------------------------------------------------------------------------------------------- */
static void port_arm(struct wr_reactor *r, struct wr_port *port, bool on)
{
	struct epoll_event ev = { .events = on ? EPOLLIN : 0, .data.ptr = port };
	if (epoll_ctl(r->epfd, EPOLL_CTL_MOD, port->fd, &ev) == 0)
		port->disarmed = !on;
}

static void accept_backoff(struct wr_reactor *r, struct wr_port *port, int err)
{
	port->backoff_ms = port->backoff_ms ? port->backoff_ms * 2 : WR_ACCEPT_BACKOFF_MIN_MS;
	if (port->backoff_ms > WR_ACCEPT_BACKOFF_MAX_MS)
		port->backoff_ms = WR_ACCEPT_BACKOFF_MAX_MS;
	port->rearm_at_ns = r->now_ns + (uint64_t)port->backoff_ms * 1000000u;
	wr_admission_count(r->target, WR_NET_ACCEPT_BACKOFFS);
	wr_log(WR_LOG_WARN, "accept on %s:%u: %s; not accepting for %u ms", port->addr, port->port,
	       strerror(err), port->backoff_ms);
	if (port->disarmed)
		return;
	port_arm(r, port, false);
	if (port->disarmed)
		r->disarmed[r->ndisarmed++] = port;
}

static void rearm_ports(struct wr_reactor *r, uint64_t now)
{
	for (uint32_t i = 0; i < r->ndisarmed;) {
		struct wr_port *port = r->disarmed[i];
		if (now < port->rearm_at_ns) {
			i++;
			continue;
		}
		port_arm(r, port, true);
		r->disarmed[i] = r->disarmed[--r->ndisarmed];
	}
}

void wr_reactor_forget_port(struct wr_reactor *r, struct wr_port *port)
{
	for (uint32_t i = 0; i < r->ndisarmed; i++) {
		if (r->disarmed[i] == port) {
			r->disarmed[i] = r->disarmed[--r->ndisarmed];
			break;
		}
	}
	port->disarmed = false;
}

static const char *refusal_name(int verdict)
{
	switch (verdict) {
	case WR_NET_REFUSED_TOTAL: return "the target's connection cap";
	case WR_NET_REFUSED_LISTENER: return "this listener's connection cap";
	default: return "the per-address connection cap";
	}
}

/* Over a cap: close at once (RST, no TIME_WAIT kept here), so the backlog drains and the peer
 * learns at once instead of waiting out a timeout. */
static void refuse(struct wr_port *port, int fd, const char *peer, int verdict, uint32_t cap)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
	wr_log(WR_LOG_WARN, "refused a connection from %s on %s:%u: %s (%u) is reached", peer,
	       port->addr, port->port, refusal_name(verdict), cap);
}

static bool out_of_resources(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOMEM || err == ENOBUFS;
}

static int accept_on(struct wr_reactor *r, struct wr_port *port)
{
	struct wr_target *t = r->target;
	int n = 0;
	for (; n < WR_ACCEPT_BUDGET; n++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		int fd = accept4(port->fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			int err = errno;
			if (out_of_resources(err))
				accept_backoff(r, port, err);
			else if (err != EAGAIN && err != EWOULDBLOCK && err != EINTR &&
				 err != ECONNABORTED)
				wr_log(WR_LOG_WARN, "accept on %s:%u: %s", port->addr, port->port,
				       strerror(err));
			break;
		}
		port->backoff_ms = 0;
		char peer[WR_ADDR_SIZE];
		format_peer(&ss, peer, sizeof(peer));
		struct wr_src_addr src;
		uint32_t cap = 0;
		int verdict = wr_admission_admit(t, port->slot, &ss, &src, &cap);
		if (verdict != WR_NET_ACCEPTED) {
			refuse(port, fd, peer, verdict, cap);
			continue;
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		struct wr_conn *c = wr_conn_create(t, fd, port->slot, peer);
		if (!c) {
			wr_admission_release(t, port->slot, &src);
			wr_log(WR_LOG_ERROR, "no memory for a connection from %s", peer);
			close(fd);
			continue;
		}
		c->admitted = true;
		c->src = src;
		uint8_t tls = atomic_load(&port->tls);
		if (tls != WR_TLS_NONE && wr_tls_conn_new(c, tls == WR_TLS_REQUIRED) < 0) {
			wr_log(WR_LOG_ERROR, "no memory for a TLS connection from %s", peer);
			wr_conn_destroy(c);
			continue;
		}
		uint32_t target = atomic_fetch_add(&t->next_reactor, 1) % t->nreactors;
		wr_reactor_post(&t->reactors[target], adopt_conn, c);
	}
	return n;
}

/* ---------------------------------------------------------------------------------------------
 * The loop
 * ------------------------------------------------------------------------------------------- */
static int flush_dirty(struct wr_reactor *r)
{
	int work = 0;
	struct wr_conn *list = r->dirty;
	r->dirty = NULL;
	while (list) {
		struct wr_conn *c = list;
		list = c->dirty_next;
		c->on_dirty = false;
		c->dirty_next = NULL;
		if (c->tx_state != TX_BLOCKED)
			work += wr_conn_tx_flush(c);
	}
	return work;
}

/* Before Connect a connection is only a socket: it gets the handshake deadlines, not a KATO. */
static bool handshake_overdue(struct wr_reactor *r, struct wr_conn *c, uint64_t now)
{
	if (c->handshake_done || c->closing)
		return false;
	/* A queue that must authenticate gets the Connect deadline for that too. */
	if (c->ctrlr && !c->auth_pending) {
		c->handshake_done = true;
		return false;
	}
	uint32_t ms = wr_admission_handshake_expired(r->target, c, now);
	if (!ms)
		return false;
	char why[96];
	snprintf(why, sizeof(why), "no %s within %u ms",
		 c->ctrlr ? "DH-HMAC-CHAP authentication after ICResp"
			  : c->icreq_done ? "Connect after ICResp" : "ICReq", ms);
	wr_admission_count(r->target, WR_NET_HANDSHAKE_TIMEOUTS);
	wr_conn_close(c, why);
	return true;
}

static void service_conns(struct wr_reactor *r, uint64_t now)
{
	for (struct wr_conn *c = r->conns; c; c = c->next) {
		if (c->dead || handshake_overdue(r, c, now))
			continue;
		if (c->ctrlr && atomic_load(&c->ctrlr->failed)) {
			wr_conn_close(c, "controller torn down");
			continue;
		}
		if (c->closing && now > c->close_deadline_ns) {
			wr_conn_close(c, "grace period after termination ended");
			continue;
		}
		if (c->ctrlr)
			wr_ctrlr_service(c, now);
	}
}

static int resubmit_deferred(struct wr_reactor *r)
{
	struct wr_req *list = r->deferred_head;
	r->deferred_head = r->deferred_tail = NULL;
	int n = 0;
	while (list) {
		struct wr_req *req = list;
		list = req->next;
		wr_io_resubmit(req);
		n++;
	}
	return n;
}

uint64_t wr_reactor_io_clock(struct wr_reactor *r)
{
	if (!r->in_loop)
		return wr_now_ns();
	if (!r->io_clock_valid) {
		r->io_clock_ns = wr_now_ns();
		r->io_clock_valid = true;
	}
	return r->io_clock_ns;
}

static int read_conn(struct wr_reactor *r, struct wr_conn *c)
{
	int n = wr_conn_on_readable(c, r->rx_staging, WR_RX_STAGING, WR_READ_BUDGET);
	if (n > 0) {
		r->nread++;
		c->hot_until_iter = r->iter + WR_HOT_ITERATIONS;
		if (c->hot_until_iter > r->hot_until_iter)
			r->hot_until_iter = c->hot_until_iter;
	}
	return n;
}

/* Between epoll_wait calls: recv() on every hot connection. */
static int read_hot_conns(struct wr_reactor *r)
{
	int work = 0;
	for (struct wr_conn *c = r->conns; c; c = c->next)
		if (!c->dead && c->hot_until_iter > r->iter)
			work += read_conn(r, c);
	return work;
}

static uint32_t count_hot_conns(const struct wr_reactor *r)
{
	uint32_t n = 0;
	for (const struct wr_conn *c = r->conns; c; c = c->next)
		n += !c->dead && c->hot_until_iter > r->iter;
	return n;
}

/* H recv() calls against 1 + R, R guessed from the previous iteration. */
static bool direct_pays(const struct wr_reactor *r)
{
	return count_hot_conns(r) <= r->nread_last + 1;
}

static bool epoll_due(const struct wr_reactor *r, int timeout_ms)
{
	if (timeout_ms || r->epoll_interval <= 1)
		return true;
	if (r->target->manual && r->target->mode != WR_MODE_BUSY)
		return true;
	return r->hot_until_iter <= r->iter || r->iter % r->epoll_interval == 0 || !direct_pays(r);
}

static int epoll_round(struct wr_reactor *r, int timeout_ms)
{
	struct epoll_event evs[WR_EVENTS];
	int work = 0;
	int n = epoll_wait(r->epfd, evs, WR_EVENTS, timeout_ms);
	if (timeout_ms)            /* we may have slept: the caller's clock is stale */
		r->now_ns = wr_now_ns();
	for (int i = 0; i < n; i++) {
		uint8_t kind = *(uint8_t *)evs[i].data.ptr;
		if (kind == WR_POLL_MAILBOX) {
			uint64_t v;
			ssize_t rc = read(r->evfd, &v, sizeof(v));
			(void)rc;
		} else if (kind == WR_POLL_PORT) {
			work += accept_on(r, evs[i].data.ptr);
		} else if (kind == WR_POLL_CONN) {
			struct wr_conn *c = evs[i].data.ptr;
			if (c->dead)
				continue;
			if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
				work += read_conn(r, c);
			if (evs[i].events & EPOLLOUT)
				wr_conn_on_writable(c);
		}
	}
	return work;
}

static int reactor_iteration(struct wr_reactor *r, int timeout_ms)
{
	int work = 0;
	r->iter++;
	r->nread_last = r->nread;
	r->nread = 0;
	r->in_loop = true;
	r->io_clock_valid = false;
	if (epoll_due(r, timeout_ms))
		work += epoll_round(r, timeout_ms);
	else
		work += read_hot_conns(r);
	work += mailbox_drain(r);
	work += wr_io_ctx_poll(r->ioctx, WR_IO_POLL_BUDGET);
	if (r->deferred_head)
		work += resubmit_deferred(r);
	work += flush_dirty(r);
	uint64_t now = r->now_ns;
	if (atomic_exchange(&r->kicked, false) || now - r->last_tick_ns >= WR_TICK_NS) {
		r->last_tick_ns = now;
		if (r->ndisarmed)
			rearm_ports(r, now);
		if (r->id == 0) {
			wr_log_flush_suppressed();
			if (atomic_load_explicit(&r->target->ana_watch, memory_order_relaxed))
				wr_target_ana_watchdog(r->target, now);
		}
		service_conns(r, now);
		work += flush_dirty(r);
		reap_dead(r);
	}
	r->in_loop = false;
	return work;
}

static bool may_sleep(const struct wr_reactor *r, uint64_t now)
{
	if (r->target->mode == WR_MODE_BUSY || now - r->last_work_ns < WR_IDLE_BEFORE_SLEEP_NS)
		return false;
	if (r->dirty || r->deferred_head)
		return false;
	/* A mirror's remote leg whose completion no socket in our epoll would announce: poll. */
	if (wr_io_ctx_pollers_need_spin(r->ioctx))
		return false;
	/* Without an eventfd, completions would not wake us: keep polling while I/O is in flight. */
	return r->iofd >= 0 || wr_io_ctx_inflight(r->ioctx) == 0;
}

int wr_reactor_poll(struct wr_reactor *r)
{
	/* The previous iteration's end is this one's start: one clock read per loop, not two. */
	uint64_t start = r->loop_end_ns ? r->loop_end_ns : wr_now_ns();
	r->now_ns = start;
	int timeout = may_sleep(r, start) ? WR_SLEEP_MS : 0;
	if (timeout)
		__atomic_store_n(&r->sleeps, r->sleeps + 1, __ATOMIC_RELAXED);
	int work = reactor_iteration(r, timeout);
	uint64_t end = wr_now_ns();
	r->loop_end_ns = end;
	if (work > 0) {
		r->last_work_ns = end;
		__atomic_store_n(&r->busy_ns, r->busy_ns + (end - start), __ATOMIC_RELAXED);
	} else {
		__atomic_store_n(&r->idle_ns, r->idle_ns + (end - start), __ATOMIC_RELAXED);
	}
	__atomic_store_n(&r->polls, r->polls + 1, __ATOMIC_RELAXED);
	return work;
}

int wr_reactor_run_once(struct wr_reactor *r)
{
	atomic_store(&r->kicked, true);    /* tests want timers and events looked at every call */
	r->now_ns = wr_now_ns();
	return reactor_iteration(r, 0);
}

static void *reactor_main(void *arg)
{
	struct wr_reactor *r = arg;
	char name[16];
	snprintf(name, sizeof(name), "wr-reactor-%u", r->id);
	pthread_setname_np(pthread_self(), name);
	if (r->cpu >= 0) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(r->cpu, &set);
		int rc = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
		if (rc)
			wr_log(WR_LOG_WARN, "reactor %u: cannot pin to CPU %d: %s", r->id, r->cpu,
			       strerror(rc));
	}
	r->last_work_ns = wr_now_ns();
	while (!atomic_load_explicit(&r->stop, memory_order_relaxed))
		wr_reactor_poll(r);
	return NULL;
}

int wr_reactor_start(struct wr_reactor *r)
{
	int rc = pthread_create(&r->thread, NULL, reactor_main, r);
	if (rc)
		return -rc;
	r->started = true;
	return 0;
}

void wr_reactor_stop(struct wr_reactor *r)
{
	if (!r->started)
		return;
	atomic_store(&r->stop, true);
	mailbox_wake(r);
	pthread_join(r->thread, NULL);
	r->started = false;
	mailbox_drain(r);        /* messages that raced with the stop run here, in order */
}
