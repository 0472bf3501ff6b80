/*
 * internal.h - the target's internal objects, shared by the library's translation units.
 *
 * Ownership and threads:
 *  - struct wr_target holds the configuration (subsystems, namespaces, ports, hosts) under
 *    target->lock. Control calls (any thread) and the admin path of the reactors (Connect,
 *    Identify, log pages) take that mutex; the I/O path never does.
 *  - A reactor owns its connections (struct wr_conn) and everything in them; other threads reach a
 *    reactor only through its mailbox.
 *  - The I/O path finds a namespace through subsys->ns[nsid], an atomic pointer. Removal clears
 *    the pointer, waits for every reactor to pass one loop (no reactor still holds a stale
 *    pointer without having counted itself in ns->inflight), then for inflight to reach zero.
 *  - A controller (struct wr_ctrlr) is shared by the reactors of its queue pairs; it is
 *    reference-counted and its cross-thread fields are atomics.
 */
#ifndef WR_INTERNAL_H
#define WR_INTERNAL_H

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "windrose.h"
#include "nvme_proto.h"
#include "bdev/bdev.h"

#define WR_MAX_IO_SIZE (128u * 1024u)      /* MDTS = 5 (2^5 x 4 KiB pages) */
#define WR_MDTS 5u
#define WR_ICD_SIZE 8192u                  /* in-capsule data, admin and I/O queues */
#define WR_MAXH2CDATA (128u * 1024u)
#define WR_MAX_QUEUE_ENTRIES 128u          /* CAP.MQES + 1 */
#define WR_MAX_IO_QUEUES 64u
#define WR_MAX_NSID 1024u                  /* Identify Controller NN */
#define WR_MAX_ANAGRP 16u                  /* ANAGRPMAX = NANAGRPID */
#define WR_MAX_PORTS 64u
#define WR_AERL 4u                         /* async event requests held per controller */
#define WR_KAS_100MS 10u                   /* keep-alive granularity: 1 s */
#define WR_RX_STAGING (64u * 1024u)
#define WR_CHANGED_NS_MAX 1024u

enum wr_log_level { WR_LOG_ERROR = 0, WR_LOG_WARN = 1, WR_LOG_INFO = 2, WR_LOG_DEBUG = 3 };
#define WR_LOG_LINE_MAX 512u
/* One line on stderr, control characters escaped, rate-limited per kind (see util.c). wr_log's kind
 * is its format string; wrappers that add a prefix pass the caller's format as the kind. */
void wr_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void wr_log_kind(const void *kind, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Summary lines for kinds that were suppressed and may speak again (reactor 0's tick). */
void wr_log_flush_suppressed(void);
void wr_log_counters(uint64_t *written, uint64_t *suppressed);
/* src escaped into dst (printable ASCII kept, everything else and '\\' as \xNN); returns length. */
size_t wr_escape(char *dst, size_t cap, const char *src);
extern int wr_log_threshold;
#define WR_LOG(level, ...) do { if ((level) <= wr_log_threshold) wr_log((level), __VA_ARGS__); } while (0)

uint64_t wr_now_ns(void);
uint64_t wr_unix_ms(void);
uint32_t wr_crc32c(uint32_t crc, const void *buf, size_t len); /* raw update, no inversion */
static inline uint32_t wr_digest(const void *buf, size_t len)
{
	return ~wr_crc32c(~0u, buf, len);
}

/* epoll user data: every registered object starts with one of these kinds. */
enum wr_poll_kind { WR_POLL_CONN = 1, WR_POLL_PORT, WR_POLL_MAILBOX, WR_POLL_IOCTX };

struct wr_target;
struct wr_reactor;
struct wr_conn;
struct wr_ctrlr;
struct wr_subsys;

/* ------------------------------------------------------------------------------------------ */
struct wr_ns_rstats {            /* written by one reactor only; read with relaxed loads */
	struct wr_dir_stats read;
	struct wr_dir_stats write;
	uint64_t other_ops;
	uint64_t other_errors;
} __attribute__((aligned(64)));

struct wr_ns {
	struct wr_subsys *subsys;
	uint32_t nsid;
	uint32_t anagrpid;
	struct wr_bdev *bdev;
	struct wr_bdev_info info;
	uint8_t nguid[16];
	uint8_t uuid[16];
	atomic_uint_fast64_t inflight;
	struct wr_ns_rstats *rstats;     /* one per reactor */
	char desc[WR_ADDR_SIZE];         /* "ram 268435456", "file /path": for log lines */
};

/* A DH-HMAC-CHAP secret, decoded (auth.c). len 0: none. */
struct wr_dhchap_key {
	uint8_t hash;                    /* 0: used as it is; 1..3: transformed with that SHA-2 */
	uint8_t len;                     /* 32, 48 or 64 */
	uint8_t bytes[64];
};

/* A TLS PSK (tls.c): the retained PSK derived from the configured one, in both forms of
 * HKDF-Expand-Label in use (WR_TLS_FORM_*). len 0: none. */
struct wr_tls_key {
	uint8_t cipher;                  /* 1: SHA-256 / TLS_AES_128_GCM_SHA256, 2: SHA-384 / ..._256_... */
	uint8_t len;                     /* 32 or 48 */
	uint8_t v0_form;                 /* the form a version-0 identity's TLS PSK is derived in */
	uint8_t retained[2][48];         /* by form */
};

struct wr_host {
	char nqn[WR_NQN_SIZE];
	struct wr_tls_key tls;           /* the host's TLS PSK for this subsystem */
	struct wr_dhchap_key key;        /* the host's secret: set = the host must authenticate */
	struct wr_dhchap_key prev_key;   /* a rotation's previous host secret, also accepted */
	struct wr_dhchap_key ctrl_key;   /* the controller's secret (bidirectional) */
	struct wr_host *next;
};

struct wr_port {
	uint8_t kind;                    /* WR_POLL_PORT */
	int fd;
	uint16_t slot;                   /* index in target->ports, the discovery log PORTID */
	uint16_t port;
	int family;
	char addr[WR_ADDR_SIZE];
	uint32_t refs;                   /* subsystem listeners + discovery listener */
	bool discovery;                  /* an explicit discovery listener uses it */
	bool polled;                     /* registered in reactor 0's epoll */
	_Atomic uint8_t tls;             /* WR_TLS_*: read by reactor 0 at accept */
	/* accept() back-off (reactor 0 only): out of descriptors or memory, the port is disarmed in
	 * epoll until rearm_at_ns instead of failing the same accept() every loop iteration */
	bool disarmed;
	uint32_t backoff_ms;             /* the last back-off; doubles while accept keeps failing */
	uint64_t rearm_at_ns;
	struct sockaddr_storage ss;      /* bound address, for lookups by address */
};

struct wr_listener {                 /* a subsystem listening on a port */
	struct wr_port *port;
	struct wr_listener *next;
};

struct wr_subsys {
	char nqn[WR_NQN_SIZE];
	char serial[21];
	char model[41];
	bool discovery;
	bool allow_any_host;
	bool deleted;
	uint32_t refs;                   /* the target's list + each controller */
	struct wr_host *hosts;
	struct wr_listener *listeners;
	struct wr_ctrlr *ctrlrs;
	uint16_t next_cntlid;
	_Atomic(struct wr_ns *) ns[WR_MAX_NSID + 1];
	/* ANA state per port and group; atomics because the I/O path reads them. 0 is optimized (a
	 * new listener); every change goes through ana_set() in target.c. */
	_Atomic uint8_t ana[WR_MAX_PORTS][WR_MAX_ANAGRP + 1];
	uint64_t ana_change_ns[WR_MAX_PORTS][WR_MAX_ANAGRP + 1];  /* when it entered change */
	uint8_t ana_default[WR_MAX_ANAGRP + 1];  /* what a new listener starts with (0: optimized) */
	uint32_t dhchap_hashes;          /* WR_DHCHAP_HASH_* the subsystem accepts */
	uint32_t dhchap_dhgroups;        /* WR_DHCHAP_DH_* */
	struct wr_subsys *next;
};

struct wr_ctrlr {
	struct wr_subsys *subsys;        /* holds a subsys reference */
	struct wr_target *target;
	uint16_t cntlid;
	uint16_t port_slot;
	bool discovery;
	char hostnqn[WR_NQN_SIZE];
	uint8_t hostid[16];
	char peer[WR_ADDR_SIZE];
	uint64_t connected_at_ms;
	uint32_t kato_ms;
	/* owned by the admin reactor */
	uint32_t cc;
	uint32_t csts;
	uint32_t aen_cfg;
	uint32_t feat_arbitration, feat_power, feat_temp, feat_err_recovery, feat_write_atomic;
	uint32_t vwc_enabled;
	uint32_t num_io_queues;          /* I/O queues granted (Set Features 07h), a count */
	uint64_t last_keep_alive_ns;
	struct wr_req *aers[WR_AERL];
	uint32_t naers;
	uint32_t aen_masked;             /* events reported and not yet cleared by reading the log */
	struct wr_conn *admin;
	uint32_t admin_reactor;
	/* cross-thread */
	atomic_uint aen_pending;         /* NVME_AEN_CFG_* bits raised by control calls */
	atomic_bool failed;              /* torn down: every queue pair closes */
	atomic_int refs;
	atomic_uint_fast64_t io_qmask;   /* I/O queue IDs in use (bit qid-1) */
	atomic_uint nqueues;             /* connected queue pairs including admin */
	/* under target->lock */
	uint32_t changed_ns[WR_CHANGED_NS_MAX];
	uint32_t nchanged_ns;            /* 0xffffffff when the list overflowed */
	struct wr_ctrlr *next;
};

/* ------------------------------------------------------------------------------------------ */
enum wr_req_state {
	REQ_FREE,        /* on the free list */
	REQ_RX_DATA,     /* in-capsule data arriving */
	REQ_R2T,         /* R2T queued or sent; H2CData expected at req->data_done */
	REQ_EXEC,        /* executing: admin handler or block device */
	REQ_AER,         /* held async event request */
	REQ_TX,          /* response queued on the send machine */
};

enum wr_tx_kind { TX_RESP, TX_DATA_RESP, TX_R2T };

struct wr_req {
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	struct wr_conn *conn;
	struct wr_ns *ns;                /* counted in ns->inflight while set */
	uint8_t *buf;                    /* WR_MAX_IO_SIZE, WR_BDEV_BUF_ALIGN aligned */
	const uint8_t *c2h_buf;          /* what C2HData sends: buf, or the bdev's memory (zero copy) */
	bool hold_ns;                    /* zero copy: ns stays pinned until the data is sent */
	uint16_t tag;
	uint8_t state;
	uint8_t tx_kind;
	bool fail_after_data;
	bool in_tx;                      /* on the send queue: never queue twice */            /* data is consumed, then the command fails with status */
	uint16_t pending_status;
	uint32_t data_len;               /* from the SGL */
	uint32_t data_done;              /* H2C bytes received */
	uint32_t c2h_len;                /* bytes to return in C2HData */
	uint64_t start_ns;
	uint32_t step;                   /* multi-step commands (DSM ranges, compare) */
	uint32_t nsteps;
	struct wr_bdev_io bio;
	struct iovec iov;
	uint8_t pdu_hdr[24 + NVME_TCP_DIGEST_LEN] __attribute__((aligned(8)));  /* R2T or C2HData header */
	uint8_t rsp_hdr[24 + NVME_TCP_DIGEST_LEN] __attribute__((aligned(8)));  /* CapsuleResp */
	uint8_t ddgst[NVME_TCP_DIGEST_LEN];
	uint32_t tx_len;                 /* total bytes of this tx item */
	struct wr_req *next;             /* free list / tx queue / compare wait list */
};

enum wr_rx_state {
	RX_HDR,          /* collecting CH + PSH (+ header digest) into rx_hdr */
	RX_PAD,          /* skipping padding between the header and PDO */
	RX_DATA,         /* copying PDU data into the request's buffer */
	RX_DDGST,        /* collecting the data digest */
	RX_QUIESCED,     /* fatal error or host TermReq: input is ignored until close */
};

enum wr_tx_state {
	TX_IDLE,         /* nothing queued */
	TX_READY,        /* items queued, socket writable as far as we know */
	TX_BLOCKED,      /* the socket said EAGAIN: waiting for EPOLLOUT */
	TX_DONE,         /* TermReq sent or the connection is closing: nothing more goes out */
};

/* A peer's IP address, the key of the per-source connection count. */
struct wr_src_addr {
	uint8_t family;
	uint8_t addr[16];
};

struct wr_src_entry {
	struct wr_src_addr src;
	uint32_t count;
	struct wr_src_entry *next;
};

#define WR_SRC_BUCKETS 1024u

/* Connection admission (admission.c). Counts under lock: accept (reactor 0) adds, the owning
 * reactor's wr_conn_destroy subtracts; limits are atomics because reactors read them each tick. */
struct wr_admission {
	pthread_mutex_t lock;
	uint32_t total;
	uint32_t per_port[WR_MAX_PORTS];
	struct wr_src_entry *sources[WR_SRC_BUCKETS];
	_Atomic uint32_t icreq_timeout_ms;
	_Atomic uint32_t connect_timeout_ms;
	_Atomic uint32_t per_listener;
	_Atomic uint32_t per_source;
	_Atomic uint32_t total_configured;  /* 0: derived from the descriptor budget */
	uint64_t nofile;                    /* RLIMIT_NOFILE (soft) after raising it */
	atomic_uint_fast64_t counters[WR_NET_COUNTERS];
};

struct wr_conn_stats {
	uint64_t read_ops, read_bytes, write_ops, write_bytes, other_ops;
	uint64_t read_errors, write_errors, other_errors;
};

struct wr_conn {
	uint8_t kind;                    /* WR_POLL_CONN */
	struct wr_target *target;
	struct wr_reactor *reactor;
	int fd;
	uint16_t port_slot;
	char peer[WR_ADDR_SIZE];
	uint64_t connected_at_ms;
	/* admission: counted against the caps (accepted connections only, not test sockets) */
	bool admitted;
	bool handshake_done;             /* Connect succeeded once: the handshake deadlines are off */
	struct wr_src_addr src;
	uint64_t accepted_ns;            /* the ICReq deadline counts from here */
	uint64_t icreq_ns;               /* ... the Connect deadline from here */

	/* receive machine */
	enum wr_rx_state rx_state;
	uint8_t rx_hdr[NVME_TCP_MAX_HLEN + NVME_TCP_DIGEST_LEN] __attribute__((aligned(8)));
	uint32_t rx_hdr_got;
	uint32_t rx_hdr_need;
	uint32_t rx_pad_left;
	uint32_t rx_data_left;
	uint8_t *rx_data_dst;
	uint32_t rx_crc;
	uint8_t rx_ddgst[NVME_TCP_DIGEST_LEN];
	uint32_t rx_ddgst_got;
	struct wr_req *rx_req;
	uint8_t rx_type;                 /* PDU type being received */
	uint32_t rx_pdu_data;            /* data bytes the current PDU carries */
	bool rx_pdu_ddgst;               /* ... followed by a data digest */
	uint64_t rx_bytes;               /* stream offset, for log lines */
	uint64_t rx_state_changes;

	/* negotiated by ICReq */
	bool icreq_done;
	bool hdgst;
	bool ddgst;
	uint32_t c2h_align;              /* host's HPDA in bytes */

	/* queue pair */
	uint16_t qid;
	uint16_t sqsize;                 /* entries (SQSIZE + 1) after Connect, 1 before */
	uint16_t sqhd;
	bool sqflow_disabled;
	struct wr_ctrlr *ctrlr;          /* holds a ctrlr reference */
	/* DH-HMAC-CHAP: auth is the queue's transaction (admin path only, freed with the queue);
	 * auth_pending is the one flag the I/O path reads: commands wait for authentication. */
	struct wr_auth *auth;
	bool auth_pending;
	/* TLS (tls.c): secure is the one flag the read and send paths test; tls the channel. */
	bool secure;
	struct wr_tls_conn *tls;
	struct wr_req *reqs;
	uint32_t nreqs;
	struct wr_req *free_reqs;
	uint32_t outstanding;
	uint8_t *bufs;                   /* mmap'ed: pages touched only when used */
	size_t bufs_len;
	uint32_t bdev_inflight;

	/* send machine */
	enum wr_tx_state tx_state;
	struct wr_req *tx_head;
	struct wr_req *tx_tail;
	uint32_t tx_off;                 /* bytes of tx_head already sent */
	uint8_t ctl_pdu[sizeof(struct nvme_tcp_icresp) + NVME_TCP_TERM_MAX_DATA] __attribute__((aligned(8)));
	uint32_t ctl_len;
	uint32_t ctl_off;
	bool ctl_is_term;
	bool epollout;
	uint64_t tx_state_changes;

	/* compare: one scratch buffer per queue pair, commands queue for it */
	uint8_t *cmp_buf;
	bool cmp_busy;
	struct wr_req *cmp_wait_head, *cmp_wait_tail;

	bool closing;                    /* close once the send machine is drained / deadline */
	uint64_t close_deadline_ns;
	bool close_after_tx;             /* Disconnect: close when everything queued is sent */
	bool dead;                       /* fd closed, waiting for block-device completions */

	struct wr_conn_stats stats;
	struct wr_conn *next;            /* reactor's list */
	bool on_dirty;                   /* in the reactor's tx-dirty list */
	uint64_t hot_until_iter;         /* busy mode: recv() directly until this loop iteration */
	struct wr_conn *dirty_next;
};

/* ------------------------------------------------------------------------------------------ */
struct wr_msg {
	void (*fn)(struct wr_reactor *r, void *arg);
	void *arg;
	sem_t *done;
	struct wr_msg *next;
};

struct wr_reactor {
	struct wr_target *target;
	uint32_t id;
	int cpu;                         /* -1: not pinned */
	pthread_t thread;
	bool started;
	int epfd;
	int evfd;
	uint8_t evfd_kind;               /* WR_POLL_MAILBOX */
	uint8_t ioctx_kind;              /* WR_POLL_IOCTX */
	pthread_mutex_t mbox_lock;
	struct wr_msg *mbox_head, *mbox_tail;
	atomic_bool mbox_nonempty;
	atomic_bool kicked;              /* controllers need a look (AEN, failure) */
	atomic_bool stop;
	struct wr_io_ctx *ioctx;
	int iofd;
	struct wr_conn *conns;
	uint32_t nconns;
	struct wr_conn *dirty;           /* connections with tx work */
	uint8_t *rx_staging;
	struct wr_req *deferred_head;    /* submissions the I/O context refused (-EAGAIN) */
	struct wr_req *deferred_tail;
	uint64_t last_work_ns;
	uint64_t now_ns;                 /* clock at the start of this loop iteration */
	uint64_t io_clock_ns;            /* completion clock of this iteration (wr_reactor_io_clock) */
	bool io_clock_valid;
	uint64_t loop_end_ns;            /* when the previous iteration ended: the next one's start */
	uint64_t iter;                   /* loop iterations (busy mode's epoll cadence, hot queues) */
	uint32_t epoll_interval;         /* busy mode: epoll_wait every this many iterations while
	                                    queues are hot (WINDROSE_EPOLL_INTERVAL; 1 = always) */
	uint64_t hot_until_iter;         /* the latest of the connections' hot_until_iter */
	bool in_loop;                    /* inside reactor_iteration */
	uint32_t nread, nread_last;      /* connections that gave data this / the last iteration */
	uint64_t last_tick_ns;
	struct wr_port *disarmed[WR_MAX_PORTS];  /* reactor 0: ports in accept() back-off */
	uint32_t ndisarmed;
	/* statistics: written here, read with relaxed loads */
	uint64_t busy_ns, idle_ns, polls, sleeps;
};

struct wr_target {
	pthread_mutex_t ctl_lock;        /* serialises control calls (held across reactor calls) */
	pthread_mutex_t lock;            /* the configuration below; reactors take it on admin paths */
	uint32_t nreactors;
	uint32_t mode;                   /* WR_MODE_* */
	bool manual;                     /* tests and fuzzing: no threads, the caller polls */
	struct wr_reactor *reactors;
	atomic_uint next_reactor;
	struct wr_subsys *subsystems;    /* the discovery subsystem first */
	struct wr_subsys *disc;
	struct wr_port *ports[WR_MAX_PORTS];
	uint64_t disc_genctr;
	uint64_t ana_chgcnt;
	uint16_t cntlid_min, cntlid_max;  /* wr_target_set_cntlid_range */
	_Atomic uint32_t anatt_s;         /* WR_LIMIT_ANATT_S */
	atomic_bool ana_watch;            /* a group may be in change: reactor 0 watches ANATT */
	uint64_t epoch;
	uint64_t epoch_started_ms;
	struct wr_admission admission;
	void *tls_ctx;                   /* SSL_CTX, made with the first port that takes TLS */
};

/* names.c: 0 when name[0..len) is well-formed UTF-8 with no NUL, control character, line
 * separator or bidi override, else -EINVAL (the NQN rules are wr_nqn_check in windrose.h). */
int wr_name_check(const char *name, size_t len);

/* A stored name (NUL-terminated, no NUL inside: every name is checked on the way in) equals
 * name[0..len): compared by length and bytes, never up to a NUL of the caller's. */
static inline bool wr_name_eq(const char *stored, const char *name, size_t len)
{
	return strnlen(stored, WR_NQN_SIZE) == len && memcmp(stored, name, len) == 0;
}

/* Copies name[0..len) (len < WR_NQN_SIZE, checked) into a WR_NQN_SIZE field with its NUL. */
static inline void wr_name_copy(char *field, const char *name, size_t len)
{
	memcpy(field, name, len);
	field[len] = '\0';
}

/* target.c */
struct wr_subsys *wr_subsys_find(struct wr_target *t, const char *nqn, size_t len);
bool wr_subsys_host_allowed(const struct wr_subsys *s, const char *hostnqn, size_t len);
struct wr_host *wr_subsys_host_find(const struct wr_subsys *s, const char *hostnqn, size_t len);
bool wr_subsys_on_port(const struct wr_subsys *s, uint16_t port_slot);
void wr_subsys_put(struct wr_target *t, struct wr_subsys *s);
void wr_target_discovery_changed(struct wr_target *t);
/* Reactor 0, while t->ana_watch: groups in change longer than ANATT become inaccessible. */
void wr_target_ana_watchdog(struct wr_target *t, uint64_t now_ns);
int wr_target_create_manual(uint32_t reactors, struct wr_target **out);

/* admission.c */
void wr_admission_init(struct wr_target *t);
void wr_admission_fini(struct wr_target *t);
/* Counts the connection in, or says which cap refuses it (WR_NET_REFUSED_*, with the cap). */
int wr_admission_admit(struct wr_target *t, uint16_t port_slot, const struct sockaddr_storage *ss,
		       struct wr_src_addr *src, uint32_t *cap);
void wr_admission_release(struct wr_target *t, uint16_t port_slot, const struct wr_src_addr *src);
void wr_admission_count(struct wr_target *t, uint32_t counter);
/* The handshake deadline this connection missed, in ms, or 0 while it is in time. */
uint32_t wr_admission_handshake_expired(struct wr_target *t, const struct wr_conn *c, uint64_t now_ns);

/* reactor.c */
void wr_reactor_forget_port(struct wr_reactor *r, struct wr_port *port);
int wr_reactor_init(struct wr_target *t, struct wr_reactor *r, uint32_t id);
void wr_reactor_fini(struct wr_reactor *r);
int wr_reactor_start(struct wr_reactor *r);
void wr_reactor_stop(struct wr_reactor *r);
int wr_reactor_poll(struct wr_reactor *r);             /* one loop iteration; >0 busy */
void wr_reactor_call(struct wr_reactor *r, void (*fn)(struct wr_reactor *, void *), void *arg);
void wr_reactor_kick(struct wr_reactor *r);
void wr_reactor_add_conn(struct wr_reactor *r, struct wr_conn *c);
void wr_reactor_mark_dirty(struct wr_reactor *r, struct wr_conn *c);
void wr_target_barrier(struct wr_target *t);
void wr_reactor_post(struct wr_reactor *r, void (*fn)(struct wr_reactor *, void *), void *arg);
void wr_reactor_defer_submit(struct wr_reactor *r, struct wr_req *req);
uint64_t wr_reactor_io_clock(struct wr_reactor *r);    /* one clock read per loop iteration */
int wr_reactor_run_once(struct wr_reactor *r);          /* manual mode: poll without sleeping */

/* tcp.c */
struct wr_conn *wr_conn_create(struct wr_target *t, int fd, uint16_t port_slot, const char *peer);
void wr_conn_destroy(struct wr_conn *c);
int wr_conn_rx_feed(struct wr_conn *c, const uint8_t *buf, size_t len);
int wr_conn_on_readable(struct wr_conn *c, uint8_t *staging, size_t staging_len, uint32_t budget);
int wr_conn_tx_flush(struct wr_conn *c);
void wr_conn_on_writable(struct wr_conn *c);
void wr_conn_fatal(struct wr_conn *c, uint16_t fes, uint32_t fei, const char *why);
void wr_conn_close(struct wr_conn *c, const char *why);
bool wr_conn_reapable(const struct wr_conn *c);
void wr_req_complete(struct wr_req *req, uint16_t status);
void wr_req_complete_data(struct wr_req *req, uint32_t c2h_len);
void wr_conn_release_ctrlr(struct wr_conn *c);
int wr_conn_setup_queue(struct wr_conn *c, uint16_t qid, uint16_t entries);

/* ctrlr.c */
void wr_fabrics_exec(struct wr_req *req);
void wr_admin_exec(struct wr_req *req);
void wr_ctrlr_put(struct wr_ctrlr *ctrlr);
void wr_ctrlr_fail(struct wr_ctrlr *ctrlr, const char *why);
void wr_ctrlr_raise_aen(struct wr_ctrlr *ctrlr, uint32_t cfg_bit);
void wr_ctrlr_service(struct wr_conn *admin, uint64_t now_ns);   /* AEN delivery, KATO */
/* With target->lock held: the whole discovery log for that host (malloc'ed), or NULL. */
uint8_t *wr_discovery_log_alloc(struct wr_target *t, const char *hostnqn, int local_fd, size_t *len);

/* auth.c: DH-HMAC-CHAP (NVMe base 2.0, 8.13). */
struct wr_auth;
/* Decodes a "DHHC-1:hh:...:" secret (see wr_dhchap_secret_check for the errors). */
int wr_dhchap_key_parse(const char *secret, struct wr_dhchap_key *out);
void wr_dhchap_key_clear(struct wr_dhchap_key *key);
/* With target->lock held: a transaction context for host h connecting to subsystem s (copies of
 * the secrets, the policy and both NQNs), or NULL for want of memory. */
struct wr_auth *wr_auth_new(const struct wr_host *h, const struct wr_subsys *s);
void wr_auth_free(struct wr_auth *a);
/* Authentication Send: the host's message msg[0..len). Returns the command's NVMe status: 0 also
 * when the message is refused, which the next Authentication Receive answers with Failure1. */
uint16_t wr_auth_send(struct wr_auth *a, const uint8_t *msg, uint32_t len);
/* Authentication Receive: the controller's next message into out (at most al bytes), its length
 * in *len. Returns the command's NVMe status. */
uint16_t wr_auth_receive(struct wr_auth *a, uint8_t *out, uint32_t al, uint32_t *len);
enum wr_auth_outcome { WR_AUTH_ONGOING, WR_AUTH_SUCCEEDED, WR_AUTH_FAILED };
/* What the last send/receive decided; a decision is reported once (then WR_AUTH_ONGOING again
 * until the next one), with a reason for a failure. */
enum wr_auth_outcome wr_auth_take_outcome(struct wr_auth *a, const char **why);
bool wr_auth_authenticated(const struct wr_auth *a);

/* tls.c: the NVMe/TCP secure channel (TLS 1.3, PSK). */
struct wr_tls_conn;
struct wr_tls_identity {
	uint8_t version;                 /* 0 or 1 (with a digest) */
	uint8_t cipher;                  /* 1 or 2 */
	const char *hostnqn, *subnqn, *digest;
	size_t hostnqn_len, subnqn_len, digest_len;
};
int wr_tls_psk_parse(const char *psk, uint8_t *hmac, uint8_t *key, uint8_t *key_len);
uint8_t wr_tls_key_cipher(uint8_t hmac, uint8_t len);
int wr_tls_retained(int form, uint8_t hmac, const uint8_t *configured, uint8_t len,
		    const char *hostnqn, size_t hostnqn_len, uint8_t *out);
int wr_tls_digest(uint8_t cipher, const uint8_t *retained, uint8_t len, const char *hostnqn,
		  size_t hostnqn_len, const char *subnqn, size_t subnqn_len, char *out, size_t cap);
int wr_tls_derive_psk(int form, uint8_t cipher, const uint8_t *retained, uint8_t len,
		      const char *context, size_t context_len, uint8_t *out);
int wr_tls_identity_parse(const char *id, size_t len, struct wr_tls_identity *out);
int wr_tls_key_set(struct wr_tls_key *k, const char *psk, const char *hostnqn, size_t hostnqn_len,
		   int v0_form);
int wr_tls_psk_for_identity(const struct wr_tls_key *k, const char *id, size_t id_len,
			    const struct wr_tls_identity *ident, uint8_t *out, const char **why);
int wr_tls_target_init(struct wr_target *t);
void wr_tls_target_fini(struct wr_target *t);
int wr_tls_conn_new(struct wr_conn *c, bool required);
void wr_tls_conn_free(struct wr_tls_conn *tc);
bool wr_tls_conn_open(const struct wr_conn *c);
/* A TLS connection's Connect must name the host (and, but for discovery, the subsystem) of the
 * PSK identity that opened the channel; true for a plain connection. */
bool wr_tls_conn_identity_is(const struct wr_conn *c, const char *hostnqn, size_t hostnqn_len,
			     const char *subnqn, size_t subnqn_len, bool discovery);
int wr_tls_on_readable(struct wr_conn *c, uint8_t *staging, size_t staging_len, uint32_t budget);
ssize_t wr_tls_send(struct wr_conn *c, const struct iovec *iov, int n);
int wr_tls_flush(struct wr_conn *c);
bool wr_tls_tx_pending(const struct wr_conn *c);

/* io.c */
void wr_io_exec(struct wr_req *req);
void wr_io_release_ns(struct wr_req *req);
void wr_io_resubmit(struct wr_req *req);

#endif /* WR_INTERNAL_H */
