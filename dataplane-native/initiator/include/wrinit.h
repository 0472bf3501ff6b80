/*
 * wrinit.h - libwrinit, Windrose's poll-mode NVMe/TCP initiator.
 *
 * A controller (struct wri_ctrl) is one admin queue plus N I/O queues, each queue on its own TCP
 * connection. I/O is asynchronous and poll-driven: wri_read()/wri_write() queue a command and
 * return; wri_queue_poll() sends what is queued, receives what arrived and runs the completion
 * callbacks. Nothing blocks and nothing allocates after wri_connect(): every queue has a fixed
 * pool of queue_depth requests, and data buffers belong to the caller until the callback runs.
 *
 * Threading: a queue is used by one thread at a time; different queues may be polled by
 * different threads. The admin queue (keep-alive) is serviced by wri_ctrl_poll_admin().
 *
 * Results: 0 or a negative errno. Completion status passed to callbacks:
 *   0        success
 *   > 0      NVMe status (SCT << 8 | SC), e.g. 0x080 = LBA out of range: the command failed, the
 *            queue lives on
 *   < 0      transport error (-EPROTO, -ECONNRESET, -ETIMEDOUT...): the queue is dead; every
 *            request in flight is failed with it
 */
#ifndef WRINIT_H
#define WRINIT_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WRI_MAX_QUEUES 64u

struct wri_opts {
	const char *addr;        /* IPv4 or IPv6 literal or host name */
	uint16_t port;           /* 0 = 4420 */
	const char *subnqn;
	const char *hostnqn;     /* NULL = nqn.2014-08.org.nvmexpress:uuid:<random> */
	uint32_t nsid;           /* 0 = the first active namespace */
	uint16_t num_io_queues;  /* 1..WRI_MAX_QUEUES */
	uint16_t queue_depth;    /* requests in flight per I/O queue, >= 1 */
	uint32_t max_io_bytes;   /* largest single I/O the caller will issue (0 = 128 KiB) */
	bool hdgst;              /* request header digests */
	bool ddgst;              /* request data digests */
	uint32_t kato_ms;        /* keep-alive timeout sent in Connect; 0 = 30000 */
	uint32_t timeout_ms;     /* connect and admin command timeout; 0 = 5000 */
};

struct wri_ctrl_info {
	uint16_t cntlid;
	uint16_t num_io_queues;  /* granted (<= requested) */
	uint16_t queue_depth;
	uint32_t nsid;
	uint64_t ns_blocks;
	uint32_t block_size;
	uint32_t ioccsz_bytes;   /* in-capsule data the I/O queues accept (IOCCSZ*16 - 64) */
	uint32_t maxh2cdata;     /* from ICResp */
	uint32_t max_xfer_bytes; /* MDTS limit (0 = unlimited) */
	uint32_t vs;             /* controller version */
	uint64_t cap;
	bool hdgst, ddgst;       /* negotiated */
	char serial[21];
	char model[41];
	char firmware[9];
	char subnqn[224];
};

struct wri_ctrl;
struct wri_queue;

/* status: see the file comment. */
typedef void (*wri_cb)(void *cb_arg, int status);

int wri_connect(const struct wri_opts *opts, struct wri_ctrl **out);
/* Property Set CC.SHN, then close every connection. Requests still in flight are failed. */
void wri_disconnect(struct wri_ctrl *ctrl);
const struct wri_ctrl_info *wri_ctrl_get_info(const struct wri_ctrl *ctrl);
/* I/O queue 0..num_io_queues-1, or NULL. */
struct wri_queue *wri_ctrl_io_queue(struct wri_ctrl *ctrl, uint16_t index);
/* Sends Keep Alive when due and reaps admin completions; call every few hundred ms at least.
 * Returns 0, or a negative errno when the admin connection failed. */
int wri_ctrl_poll_admin(struct wri_ctrl *ctrl);

/* Queue a command. 0 = queued; -EAGAIN = no free request (poll, then retry); -EINVAL = bad
 * range or size; -ENOTCONN = the queue failed. buf must stay valid until the callback. */
int wri_read(struct wri_queue *q, uint64_t slba, uint32_t nblocks, void *buf, wri_cb cb, void *cb_arg);
int wri_write(struct wri_queue *q, uint64_t slba, uint32_t nblocks, const void *buf, bool fua,
	      wri_cb cb, void *cb_arg);
int wri_flush(struct wri_queue *q, wri_cb cb, void *cb_arg);
int wri_write_zeroes(struct wri_queue *q, uint64_t slba, uint32_t nblocks, wri_cb cb, void *cb_arg);

/* Send queued PDUs, receive, run callbacks (at most budget of them). Returns the number of
 * completions, 0 when idle, or a negative errno when the connection failed. */
int wri_queue_poll(struct wri_queue *q, uint32_t budget);
uint32_t wri_queue_inflight(const struct wri_queue *q);
/* For callers that sleep instead of spinning (e.g. an adaptive reactor carrying mirror writes):
 * the queue's socket, to watch for EPOLLIN, and EPOLLOUT while wri_queue_send_pending() is true
 * (the socket buffer was full; the next wri_queue_poll() continues the send). */
int wri_queue_fd(const struct wri_queue *q);
bool wri_queue_send_pending(const struct wri_queue *q);

/* Fails the queue now with err (< 0): every request in flight completes with err and the queue
 * is dead. For callers that give up on a remote that stopped answering (a mirror's I/O timeout). */
void wri_queue_abort(struct wri_queue *q, int err);

struct wri_queue_stats {
	uint64_t send_calls;     /* sendmsg() calls */
	uint64_t recv_calls;     /* recv()/recvmsg() calls that returned data */
	uint64_t pdus_sent;
	uint64_t pdus_received;
	uint64_t r2ts;
	uint64_t c2h_success;    /* reads completed by C2HData SUCCESS, no CapsuleResp */
};
void wri_queue_get_stats(const struct wri_queue *q, struct wri_queue_stats *stats);

/* CRC32C as NVMe/TCP digests use it (init ~0, final xor ~0). */
uint32_t wri_crc32c(const void *buf, uint32_t len);

#ifdef __cplusplus
}
#endif

#endif /* WRINIT_H */
