/*
 * test_wrinit.c - libwrinit against the fake target (fake_target.c, a test double): bring-up,
 * in-capsule and R2T writes, C2HData with and without SUCCESS, digests, refusals, NVMe errors,
 * transport errors and the queue-full rule.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fake_target.h"
#include "wrinit.h"

#define NS_BLOCKS 32768u /* 16 MiB */

static struct fake_target_cfg default_cfg(void)
{
	return (struct fake_target_cfg){.ns_blocks = NS_BLOCKS, .maxh2cdata = 8192,
					.ioccsz_bytes = 8192, .c2h_chunk = 16384, .c2h_success = true,
					.max_io_queues = 4};
}

struct harness {
	struct fake_target *t;
	struct wri_ctrl *ctrl;
	uint16_t port;
};

static int start(struct harness *h, const struct fake_target_cfg *cfg, bool hd, bool dd,
		 const char *hostnqn, uint16_t queues)
{
	assert_int_equal(fake_target_start(cfg, &h->t, &h->port), 0);
	struct wri_opts o = {.addr = "127.0.0.1", .port = h->port, .subnqn = "nqn.test:fake",
			     .hostnqn = hostnqn, .num_io_queues = queues, .queue_depth = 32,
			     .hdgst = hd, .ddgst = dd, .timeout_ms = 3000};
	return wri_connect(&o, &h->ctrl);
}

static void stop(struct harness *h)
{
	if (h->ctrl)
		wri_disconnect(h->ctrl);
	fake_target_stop(h->t);
}

struct done {
	int calls;
	int status;
};

static void on_done(void *arg, int status)
{
	struct done *d = arg;
	d->calls++;
	d->status = status;
}

static int wait_all(struct wri_queue *q, struct done *d, int n)
{
	for (int spins = 0; spins < 20000000; spins++) {
		int all = 1;
		for (int i = 0; i < n; i++)
			all &= d[i].calls == 1;
		if (all)
			return 0;
		int rc = wri_queue_poll(q, 64);
		if (rc < 0) {
			for (int i = 0; i < n; i++)
				if (d[i].calls != 1)
					return rc;
			return 0;
		}
	}
	return -ETIMEDOUT;
}

static void fill(uint8_t *b, size_t len, uint32_t seed)
{
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(seed * 31u + i * 13u + (i >> 8));
}

/* write then read back: 4 KiB (in-capsule), 64 KiB (R2T, several H2CData), many at once */
static void write_read_cycle(struct harness *h)
{
	struct wri_queue *q = wri_ctrl_io_queue(h->ctrl, 0);
	assert_non_null(q);
	enum { N = 24, SZ = 65536 };
	uint8_t *w = malloc((size_t)N * SZ), *r = calloc(N, SZ);
	struct done d[N] = {{0}};
	fill(w, (size_t)N * SZ, 5);
	for (int i = 0; i < N; i++) {
		uint32_t blocks = (i % 2 ? SZ : 4096) / 512;
		assert_int_equal(wri_write(q, (uint64_t)i * 128, blocks, w + (size_t)i * SZ, i == 3, on_done,
					   &d[i]), 0);
	}
	assert_int_equal(wait_all(q, d, N), 0);
	for (int i = 0; i < N; i++)
		assert_int_equal(d[i].status, 0);
	memset(d, 0, sizeof(d));
	for (int i = 0; i < N; i++) {
		uint32_t blocks = (i % 2 ? SZ : 4096) / 512;
		assert_int_equal(wri_read(q, (uint64_t)i * 128, blocks, r + (size_t)i * SZ, on_done, &d[i]), 0);
	}
	assert_int_equal(wait_all(q, d, N), 0);
	for (int i = 0; i < N; i++) {
		assert_int_equal(d[i].status, 0);
		assert_memory_equal(r + (size_t)i * SZ, w + (size_t)i * SZ, i % 2 ? SZ : 4096);
	}
	/* and the bytes are really in the target's namespace */
	assert_memory_equal(fake_target_ram(h->t) + 128 * 512, w + SZ, SZ);
	assert_int_equal(wri_queue_inflight(q), 0);
	free(w);
	free(r);
}

static void test_connect_reports_the_controller(void **state)
{
	struct harness h = {0};
	struct fake_target_cfg cfg = default_cfg();
	assert_int_equal(start(&h, &cfg, false, false, NULL, 8), 0);
	const struct wri_ctrl_info *info = wri_ctrl_get_info(h.ctrl);
	assert_int_equal(info->cntlid, 1);
	assert_int_equal(info->ns_blocks, NS_BLOCKS);
	assert_int_equal(info->block_size, 512);
	assert_int_equal(info->nsid, 1);
	assert_int_equal(info->num_io_queues, 4); /* asked 8, granted 4 */
	assert_int_equal(info->ioccsz_bytes, 8192);
	assert_int_equal(info->maxh2cdata, 8192);
	assert_int_equal(info->vs, 0x10400);
	assert_string_equal(info->serial, "FAKE0001");
	assert_string_equal(info->model, "fake target");
	assert_non_null(wri_ctrl_io_queue(h.ctrl, 3));
	assert_null(wri_ctrl_io_queue(h.ctrl, 4));
	assert_int_equal(wri_ctrl_poll_admin(h.ctrl), 0);
	stop(&h);
}

static void test_write_read_round_trip(void **state)
{
	struct harness h = {0};
	struct fake_target_cfg cfg = default_cfg();
	assert_int_equal(start(&h, &cfg, false, false, NULL, 1), 0);
	write_read_cycle(&h);
	/* 12 writes of 64 KiB over R2T, each in 8 KiB H2CData PDUs; the 4 KiB ones went in-capsule */
	assert_int_equal(fake_target_r2ts(h.t), 12);
	assert_int_equal(fake_target_h2c_pdus(h.t), 12 * 8);
	struct wri_queue_stats st;
	wri_queue_get_stats(wri_ctrl_io_queue(h.ctrl, 0), &st);
	assert_int_equal(st.c2h_success, 24);
	stop(&h);
}

static void test_round_trip_without_c2h_success(void **state)
{
	struct harness h = {0};
	struct fake_target_cfg cfg = default_cfg();
	cfg.c2h_success = false;
	cfg.ioccsz_bytes = 0; /* no in-capsule data: every write takes R2T */
	assert_int_equal(start(&h, &cfg, false, false, NULL, 1), 0);
	write_read_cycle(&h);
	/* 24 writes, plus the I/O queue's Connect data, which cannot go in-capsule either */
	assert_int_equal(fake_target_r2ts(h.t), 25);
	stop(&h);
}

static void test_round_trip_with_digests(void **state)
{
	struct harness h = {0};
	struct fake_target_cfg cfg = default_cfg();
	cfg.c2h_chunk = 3000; /* odd-sized data PDUs: digests over partial buffers */
	assert_int_equal(start(&h, &cfg, true, true, NULL, 2), 0);
	assert_true(wri_ctrl_get_info(h.ctrl)->hdgst);
	assert_true(wri_ctrl_get_info(h.ctrl)->ddgst);
	write_read_cycle(&h);
	stop(&h);
}

static void test_host_not_allowed_is_refused(void **state)
{
	struct harness h = {0};
	struct fake_target_cfg cfg = default_cfg();
	cfg.allowed_host = "nqn.test:host-a";
	assert_int_equal(start(&h, &cfg, false, false, "nqn.test:host-b", 1), -ECONNREFUSED);
	assert_null(h.ctrl);
	fake_target_stop(h.t);
	h = (struct harness){0};
	assert_int_equal(start(&h, &cfg, false, false, "nqn.test:host-a", 1), 0);
	stop(&h);
}

static void test_nvme_error_fails_the_command_not_the_queue(void **state)
{
	struct harness h = {0};
	struct fake_target_cfg cfg = default_cfg();
	cfg.media_error_lba = 1000;
	assert_int_equal(start(&h, &cfg, false, false, NULL, 1), 0);
	struct wri_queue *q = wri_ctrl_io_queue(h.ctrl, 0);
	static uint8_t buf[4096];
	struct done d[2] = {{0}};
	assert_int_equal(wri_read(q, 1000, 8, buf, on_done, &d[0]), 0);
	assert_int_equal(wait_all(q, d, 1), 0);
	assert_int_equal(d[0].status, 0x281);
	assert_int_equal(wri_read(q, 0, 8, buf, on_done, &d[1]), 0);
	assert_int_equal(wait_all(q, d + 1, 1), 0);
	assert_int_equal(d[1].status, 0);
	stop(&h);
}

static void test_bad_requests_are_rejected_locally(void **state)
{
	struct harness h = {0};
	struct fake_target_cfg cfg = default_cfg();
	assert_int_equal(start(&h, &cfg, false, false, NULL, 1), 0);
	struct wri_queue *q = wri_ctrl_io_queue(h.ctrl, 0);
	static uint8_t buf[4096];
	struct done d = {0};
	assert_int_equal(wri_read(q, NS_BLOCKS, 1, buf, on_done, &d), -EINVAL);
	assert_int_equal(wri_read(q, NS_BLOCKS - 1, 2, buf, on_done, &d), -EINVAL);
	assert_int_equal(wri_write(q, 0, 0, buf, false, on_done, &d), -EINVAL);
	assert_int_equal(wri_read(q, 0, 1, NULL, on_done, &d), -EINVAL);
	assert_int_equal(wri_queue_inflight(q), 0);
	assert_int_equal(d.calls, 0);
	stop(&h);
}

static void test_queue_full_gives_eagain(void **state)
{
	struct harness h = {0};
	struct fake_target_cfg cfg = default_cfg();
	assert_int_equal(start(&h, &cfg, false, false, NULL, 1), 0);
	struct wri_queue *q = wri_ctrl_io_queue(h.ctrl, 0);
	static uint8_t buf[33][512];
	struct done d[33] = {{0}};
	for (int i = 0; i < 32; i++)
		assert_int_equal(wri_read(q, (uint64_t)i, 1, buf[i], on_done, &d[i]), 0);
	assert_int_equal(wri_read(q, 32, 1, buf[32], on_done, &d[32]), -EAGAIN);
	assert_int_equal(wait_all(q, d, 32), 0);
	assert_int_equal(wri_read(q, 32, 1, buf[32], on_done, &d[32]), 0);
	assert_int_equal(wait_all(q, d + 32, 1), 0);
	stop(&h);
}

static void test_data_digest_mismatch_fails_the_queue(void **state)
{
	struct harness h = {0};
	struct fake_target_cfg cfg = default_cfg();
	cfg.corrupt_ddgst = true;
	assert_int_equal(start(&h, &cfg, false, true, NULL, 1), 0);
	struct wri_queue *q = wri_ctrl_io_queue(h.ctrl, 0);
	static uint8_t buf[2][4096];
	struct done d[2] = {{0}};
	assert_int_equal(wri_read(q, 0, 8, buf[0], on_done, &d[0]), 0);
	assert_int_equal(wri_read(q, 8, 8, buf[1], on_done, &d[1]), 0);
	assert_int_equal(wait_all(q, d, 2), 0);
	assert_int_equal(d[0].status, -EBADMSG);
	assert_int_equal(d[1].status, -EBADMSG);
	assert_int_equal(wri_queue_poll(q, 1), -EBADMSG);
	assert_int_equal(wri_read(q, 0, 8, buf[0], on_done, &d[0]), -ENOTCONN);
	stop(&h);
}

static void test_unknown_pdu_type_fails_the_queue(void **state)
{
	struct harness h = {0};
	struct fake_target_cfg cfg = default_cfg();
	cfg.bad_pdu_type = true;
	assert_int_equal(start(&h, &cfg, false, false, NULL, 1), 0);
	struct wri_queue *q = wri_ctrl_io_queue(h.ctrl, 0);
	static uint8_t buf[4096];
	struct done d = {0};
	assert_int_equal(wri_read(q, 0, 8, buf, on_done, &d), 0);
	assert_int_equal(wait_all(q, &d, 1), 0);
	assert_int_equal(d.status, -EPROTO);
	stop(&h);
}

static void test_read_completed_without_all_its_data_fails_the_queue(void **state)
{
	struct harness h = {0};
	struct fake_target_cfg cfg = default_cfg();
	cfg.short_read = true;
	assert_int_equal(start(&h, &cfg, false, false, NULL, 1), 0);
	struct wri_queue *q = wri_ctrl_io_queue(h.ctrl, 0);
	static uint8_t buf[65536];
	struct done d = {0};
	assert_int_equal(wri_read(q, 0, 128, buf, on_done, &d), 0); /* 64 KiB: 4 chunks, 3 sent */
	assert_int_equal(wait_all(q, &d, 1), 0);
	assert_int_equal(d.status, -EPROTO);
	stop(&h);
}

static void test_connection_refused_is_reported(void **state)
{
	struct wri_ctrl *c = NULL;
	struct wri_opts o = {.addr = "127.0.0.1", .port = 1, .subnqn = "nqn.x", .num_io_queues = 1,
			     .queue_depth = 1, .timeout_ms = 1000};
	assert_int_equal(wri_connect(&o, &c), -ECONNREFUSED);
	o.num_io_queues = 0;
	assert_int_equal(wri_connect(&o, &c), -EINVAL);
	assert_null(c);
}

/* A caller can sleep in poll() on the queue's socket instead of spinning. */
static void test_queue_can_be_driven_by_poll(void **state)
{
	struct harness h = {0};
	struct fake_target_cfg cfg = default_cfg();
	assert_int_equal(start(&h, &cfg, false, false, NULL, 1), 0);
	struct wri_queue *q = wri_ctrl_io_queue(h.ctrl, 0);
	static uint8_t buf[4096];
	struct done d = {0};
	assert_int_equal(wri_read(q, 0, 8, buf, on_done, &d), 0);
	assert_true(wri_queue_send_pending(q)); /* queued, not sent until a poll */
	assert_true(wri_queue_fd(q) >= 0);
	assert_true(wri_queue_poll(q, 16) >= 0); /* sends (and may already reap the answer) */
	assert_false(wri_queue_send_pending(q));
	int sleeps = 0;
	while (d.calls == 0 && sleeps < 100) {
		struct pollfd p = {.fd = wri_queue_fd(q), .events = POLLIN};
		assert_true(poll(&p, 1, 5000) == 1);
		sleeps++;
		assert_true(wri_queue_poll(q, 16) >= 0);
	}
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.status, 0);
	stop(&h);
}

static void test_keep_alive_is_sent_at_half_the_timeout(void **state)
{
	struct harness h = {0};
	struct fake_target_cfg cfg = default_cfg();
	assert_int_equal(fake_target_start(&cfg, &h.t, &h.port), 0);
	struct wri_opts o = {.addr = "127.0.0.1", .port = h.port, .subnqn = "nqn.test:fake",
			     .num_io_queues = 1, .queue_depth = 4, .kato_ms = 200, .timeout_ms = 3000};
	assert_int_equal(wri_connect(&o, &h.ctrl), 0);
	assert_int_equal(fake_target_keepalives(h.t), 0);
	/* every kato/2 = 100 ms: three of them take at least 200 ms after the first (which is due
	 * 100 ms after connect), and they do come (bounded wait: 5 s) */
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	long elapsed_ms;
	do {
		assert_int_equal(wri_ctrl_poll_admin(h.ctrl), 0);
		usleep(1000);
		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed_ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
	} while (fake_target_keepalives(h.t) < 3 && elapsed_ms < 5000);
	assert_int_equal(fake_target_keepalives(h.t), 3);
	assert_true(elapsed_ms >= 290);
	stop(&h);
}

static void test_crc32c_known_answer(void **state)
{
	/* RFC 3720 B.4 / the common check value of CRC-32C */
	assert_int_equal(wri_crc32c("123456789", 9), 0xe3069283u);
	uint8_t zeros[32] = {0};
	assert_int_equal(wri_crc32c(zeros, 32), 0x8a9136aau);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32c_known_answer),
		cmocka_unit_test(test_connect_reports_the_controller),
		cmocka_unit_test(test_write_read_round_trip),
		cmocka_unit_test(test_round_trip_without_c2h_success),
		cmocka_unit_test(test_round_trip_with_digests),
		cmocka_unit_test(test_host_not_allowed_is_refused),
		cmocka_unit_test(test_nvme_error_fails_the_command_not_the_queue),
		cmocka_unit_test(test_bad_requests_are_rejected_locally),
		cmocka_unit_test(test_queue_full_gives_eagain),
		cmocka_unit_test(test_data_digest_mismatch_fails_the_queue),
		cmocka_unit_test(test_unknown_pdu_type_fails_the_queue),
		cmocka_unit_test(test_read_completed_without_all_its_data_fails_the_queue),
		cmocka_unit_test(test_connection_refused_is_reported),
		cmocka_unit_test(test_keep_alive_is_sent_at_half_the_timeout),
		cmocka_unit_test(test_queue_can_be_driven_by_poll),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
