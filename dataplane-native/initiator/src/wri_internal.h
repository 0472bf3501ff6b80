/*
 * wri_internal.h - libwrinit's insides: the queue pair (one TCP connection), its request pool and
 * its send and receive state machines. Private to initiator/src.
 */
#ifndef WRI_INTERNAL_H
#define WRI_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "nvme_proto.h"
#include "wrinit.h"

#define WRI_ADMIN_DEPTH 16u
#define WRI_ADMIN_SQSIZE 31u        /* what Linux asks for (NVME_AQ_DEPTH 32, zero-based) */
#define WRI_TX_IOV 64u              /* iovecs per sendmsg(): 21 PDUs of header+data+digest */
#define WRI_RX_BUF (128u * 1024u)   /* one recv() can bring many small PDUs */
#define WRI_DIRECT_RX_MIN 2048u     /* receive payloads this large straight into the caller's buffer */

/* A request's life; changes go through req_set_state() (wri_queue.c). */
enum wri_req_state {
	WRI_REQ_FREE,        /* on the free list */
	WRI_REQ_SEND_CMD,    /* CapsuleCmd queued or partly sent */
	WRI_REQ_WAIT,        /* capsule sent: waiting for R2T, C2HData or CapsuleResp */
	WRI_REQ_SEND_H2C,    /* answering an R2T: an H2CData PDU queued or partly sent */
};

struct wri_req {
	struct wri_queue *q;
	uint16_t cid;                   /* index in the pool, doubles as the NVMe command id */
	uint8_t state;
	bool c2h;                       /* data flows controller -> host (read, identify) */
	uint8_t *buf;
	uint32_t len;
	uint32_t incapsule;             /* data bytes carried in the capsule */
	uint32_t c2h_received;
	wri_cb cb;
	void *cb_arg;
	struct nvme_cqe *cqe_out;       /* admin helpers want DW0 */
	/* the PDU being sent */
	struct iovec tx_iov[3];
	uint8_t tx_iovcnt;
	uint32_t tx_len;
	uint32_t tx_done;
	/* R2T being answered */
	uint32_t r2t_next;
	uint32_t r2t_end;
	uint16_t ttag;
	struct wri_req *next;           /* free list or send queue */
	uint8_t cmd_pdu[sizeof(struct nvme_tcp_cmd_pdu) + NVME_TCP_DIGEST_LEN] __attribute__((aligned(8)));
	uint8_t h2c_pdu[sizeof(struct nvme_tcp_data_pdu) + NVME_TCP_DIGEST_LEN] __attribute__((aligned(8)));
	uint8_t ddgst[NVME_TCP_DIGEST_LEN];
};

/* Receive machine: one PDU at a time, fed from the receive buffer or straight from the socket. */
enum wri_rx_state {
	WRI_RX_CH,       /* collecting the 8-byte common header */
	WRI_RX_PSH,      /* collecting the rest of the header (+ header digest) */
	WRI_RX_PAD,      /* skipping bytes between the header and PDO */
	WRI_RX_DATA,     /* payload: into the request's buffer, or discarded (TermReq) */
	WRI_RX_DDGST,    /* data digest */
};

struct wri_queue {
	int fd;
	uint16_t qid;
	uint16_t depth;
	bool hdgst;
	bool ddgst;
	uint32_t incapsule_max;         /* admin 8 KiB, I/O IOCCSZ */
	uint32_t maxh2cdata;
	uint32_t nsid;
	uint32_t block_size;
	uint64_t ns_blocks;
	uint32_t max_xfer;              /* 0 = unlimited */
	int error;                      /* sticky transport error; the queue is dead when set */
	uint32_t inflight;
	struct wri_req *reqs;
	struct wri_req *free_list;
	struct wri_req *sq_head, *sq_tail; /* PDUs waiting for the socket, in order */
	struct iovec tx_vec[WRI_TX_IOV];
	/* receive side */
	uint8_t *rx_buf;
	uint32_t rx_pos, rx_len;
	uint8_t rx_state;
	uint8_t rx_hdr[NVME_TCP_MAX_HLEN + NVME_TCP_DIGEST_LEN] __attribute__((aligned(8)));
	uint32_t rx_need, rx_have;      /* header bytes wanted / collected */
	uint32_t rx_pad;
	uint8_t *rx_dest;               /* NULL: discard */
	uint32_t rx_data_left;
	uint32_t rx_datal;
	uint32_t rx_crc;
	uint8_t rx_ddgst[NVME_TCP_DIGEST_LEN];
	struct wri_req *rx_req;
	uint32_t poll_done;             /* completions in the current poll */
	uint32_t poll_budget;
	struct wri_queue_stats stats;
};

/* wri_queue.c */
int wri_queue_init(struct wri_queue *q, uint16_t qid, uint16_t depth);
void wri_queue_fini(struct wri_queue *q);
/* Blocking: TCP connect and the ICReq/ICResp exchange; leaves the socket non-blocking. */
int wri_queue_connect_socket(struct wri_queue *q, const char *addr, uint16_t port, bool hdgst,
			     bool ddgst, uint32_t timeout_ms);
/* Queue a command; its command id and SGL are filled in here. */
int wri_queue_submit(struct wri_queue *q, const struct nvme_sqe *sqe, void *buf, uint32_t len,
		     bool c2h, wri_cb cb, void *cb_arg, struct nvme_cqe *cqe_out);
/* Submit and poll until it completes or timeout_ms passes; returns the status (see wrinit.h). */
int wri_queue_exec(struct wri_queue *q, const struct nvme_sqe *sqe, void *buf, uint32_t len,
		   bool c2h, struct nvme_cqe *cqe_out, uint32_t timeout_ms);
void wri_queue_fail(struct wri_queue *q, int err);

uint64_t wri_now_ns(void);
uint32_t wri_crc32c_update(uint32_t crc, const void *buf, uint32_t len);

#endif /* WRI_INTERNAL_H */
