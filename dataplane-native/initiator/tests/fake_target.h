/*
 * fake_target.h - a test double: a small, blocking, thread-per-connection NVMe/TCP controller with
 * a RAM namespace, just enough for libwrinit's unit tests (not the Windrose target).
 * Knobs let a test make it misbehave in one precise way.
 */
#ifndef FAKE_TARGET_H
#define FAKE_TARGET_H

#include <stdbool.h>
#include <stdint.h>

struct fake_target_cfg {
	uint32_t ns_blocks;        /* 512-byte blocks */
	uint32_t maxh2cdata;       /* ICResp MAXH2CDATA */
	uint32_t ioccsz_bytes;     /* in-capsule data for I/O queues */
	uint32_t c2h_chunk;        /* C2HData payload per PDU */
	bool c2h_success;          /* use the SUCCESS flag when the host disabled SQ flow control */
	uint16_t max_io_queues;
	const char *allowed_host;  /* NULL = any */
	uint64_t media_error_lba;  /* reads/writes touching this LBA fail with 0x281 (0 = never) */
	bool corrupt_ddgst;        /* send a wrong data digest on reads */
	bool bad_pdu_type;         /* answer the first I/O read with a PDU of type 0x0f */
	uint16_t port;             /* 0 = any free port */
	bool short_read;           /* I/O reads: send all but the last C2HData chunk, then success */
};

struct fake_target;
int fake_target_start(const struct fake_target_cfg *cfg, struct fake_target **out, uint16_t *port);
void fake_target_stop(struct fake_target *t);
/* number of H2CData PDUs and R2Ts received/sent so far */
uint32_t fake_target_h2c_pdus(struct fake_target *t);
uint32_t fake_target_r2ts(struct fake_target *t);
uint32_t fake_target_keepalives(struct fake_target *t);
uint8_t *fake_target_ram(struct fake_target *t);

#endif
