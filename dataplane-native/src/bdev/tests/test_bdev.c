/*
 * test_bdev.c - block devices through the bdev.h contract: round trips for every type, range
 * checks, queue-full, FUA, completion delivery and the eventfd wake-up.
 *
 * RAM memory is checked in /proc/self/smaps: populated at open (every page counted in Rss, which
 * the kernel's shared zero page never is) and advised for huge pages.
 *
 * Run twice by CTest: once as is (io_uring where the kernel has it) and once with
 * WR_BDEV_NO_URING=1 (synchronous fallback); the "sync fallback" tests also force it themselves.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "bdev.h"

#define BS 512u
#define NBLOCKS 4096u /* 2 MiB: more than one zero chunk, so the chunked fallback loops */

struct done_flag {
	struct wr_bdev_io io;
	int status;
	int calls;
};

static void on_done(struct wr_bdev_io *io, int status)
{
	struct done_flag *d = (struct done_flag *)io; /* io is the first member */
	d->status = status;
	d->calls++;
}

static void *xalign(size_t len)
{
	void *p = NULL;
	assert_int_equal(posix_memalign(&p, WR_BDEV_BUF_ALIGN, len), 0);
	return p;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Polls until the request completes; bounded (10 s, generous for fsync under sanitizers and a
 * loaded machine) so a lost completion fails instead of hanging. */
static int wait_done(struct wr_io_ctx *ctx, struct done_flag *d)
{
	const uint64_t deadline = mono_ns() + 10000000000ull;
	while (d->calls == 0 && mono_ns() < deadline)
		wr_io_ctx_poll(ctx, 16);
	assert_int_equal(d->calls, 1);
	return d->status;
}

static int run_io(struct wr_io_ctx *ctx, struct wr_bdev *bdev, enum wr_bdev_op op, uint64_t lba,
		  uint64_t nblocks, void *buf, bool fua)
{
	struct iovec iov = {.iov_base = buf, .iov_len = nblocks * BS};
	struct done_flag d = {.io = {.op = op, .fua = fua, .offset_blocks = lba, .num_blocks = nblocks,
				     .iov = buf ? &iov : NULL, .iovcnt = buf ? 1 : 0, .cb = on_done}};
	int rc = wr_bdev_submit(ctx, bdev, &d.io);
	if (rc)
		return rc;
	return wait_done(ctx, &d);
}

static void fill_pattern(uint8_t *buf, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed + i * 7 + (i >> 9));
}

static bool all_zero(const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i])
			return false;
	return true;
}

/* write, read back, flush, write zeroes, discard, FUA write: the same script for every type */
static void round_trip(struct wr_bdev *bdev, bool stores_data)
{
	struct wr_io_ctx *ctx;
	assert_int_equal(wr_io_ctx_create(8, &ctx), 0);
	const size_t len = 2048u * BS; /* 1 MiB */
	uint8_t *wbuf = xalign(len), *rbuf = xalign(len);

	fill_pattern(wbuf, len, 3);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_WRITE, 100, 2048, wbuf, false), 0);
	memset(rbuf, 0xee, len);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_READ, 100, 2048, rbuf, false), 0);
	if (stores_data)
		assert_memory_equal(rbuf, wbuf, len);
	else
		assert_true(all_zero(rbuf, len));
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_FLUSH, 0, 0, NULL, false), 0);

	/* zero blocks 100..199 only: 200.. keep the pattern */
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_WRITE_ZEROES, 100, 100, NULL, false), 0);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_READ, 100, 2048, rbuf, false), 0);
	assert_true(all_zero(rbuf, 100 * BS));
	if (stores_data)
		assert_memory_equal(rbuf + 100 * BS, wbuf + 100 * BS, len - 100 * BS);

	/* discard a range bigger than a zero chunk, starting mid-page */
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_DISCARD, 201, 2100, NULL, false), 0);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_READ, 100, 2048, rbuf, false), 0);
	assert_true(all_zero(rbuf + 101 * BS, len - 101 * BS));
	if (stores_data)
		assert_memory_equal(rbuf + 100 * BS, wbuf + 100 * BS, BS); /* block 200 survives */

	/* FUA write of the last block */
	fill_pattern(wbuf, BS, 9);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_WRITE, NBLOCKS - 1, 1, wbuf, true), 0);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_READ, NBLOCKS - 1, 1, rbuf, false), 0);
	if (stores_data)
		assert_memory_equal(rbuf, wbuf, BS);

	assert_int_equal(wr_io_ctx_inflight(ctx), 0);
	free(wbuf);
	free(rbuf);
	wr_io_ctx_destroy(ctx);
}

static struct wr_bdev *open_mem(enum wr_bdev_type type)
{
	struct wr_bdev_open_opts o = {.type = type, .size_bytes = (uint64_t)NBLOCKS * BS};
	struct wr_bdev *bdev;
	assert_int_equal(wr_bdev_open(&o, &bdev), 0);
	return bdev;
}

static char *temp_path(const char *dir)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/wr-bdev-test-XXXXXX", dir);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	return path;
}

static struct wr_bdev *open_file(const char *path)
{
	struct wr_bdev_open_opts o = {.type = WR_BDEV_FILE, .path = path,
				      .size_bytes = (uint64_t)NBLOCKS * BS, .create = true};
	struct wr_bdev *bdev;
	assert_int_equal(wr_bdev_open(&o, &bdev), 0);
	return bdev;
}

static void test_ram_round_trip(void **state)
{
	struct wr_bdev *bdev = open_mem(WR_BDEV_RAM);
	assert_string_equal(wr_bdev_type_name(bdev), "ram");
	round_trip(bdev, true);
	wr_bdev_close(bdev);
}

static void test_null_round_trip(void **state)
{
	struct wr_bdev *bdev = open_mem(WR_BDEV_NULL);
	assert_string_equal(wr_bdev_type_name(bdev), "null");
	round_trip(bdev, false);
	wr_bdev_close(bdev);
}

static void file_round_trip_in(const char *dir, bool expect_direct)
{
	char *path = strdup(temp_path(dir));
	struct wr_bdev *bdev = open_file(path);
	struct wr_bdev_info info;
	wr_bdev_get_info(bdev, &info);
	assert_int_equal(info.block_size, BS);
	assert_int_equal(info.num_blocks, NBLOCKS);
	assert_true(info.volatile_cache);
	if (expect_direct)
		assert_true(info.direct);
	round_trip(bdev, true);
	wr_bdev_close(bdev);

	/* the data is in the file itself, not only in our process */
	int fd = open(path, O_RDONLY);
	uint8_t block[BS], want[BS];
	fill_pattern(want, BS, 9);
	assert_int_equal(pread(fd, block, BS, (off_t)(NBLOCKS - 1) * BS), BS);
	assert_memory_equal(block, want, BS);
	close(fd);
	unlink(path);
	free(path);
}

static void test_file_round_trip(void **state)
{
	/* /tmp is ext4 here: O_DIRECT works, ZERO_RANGE and PUNCH_HOLE are native */
	file_round_trip_in("/tmp", false);
}

static void test_file_on_tmpfs_round_trip(void **state)
{
	/* tmpfs: no ZERO_RANGE, so Write Zeroes takes the zero-writing fallback */
	struct stat st;
	if (stat("/dev/shm", &st) != 0)
		skip();
	file_round_trip_in("/dev/shm", false);
}

static void test_file_sync_fallback_round_trip(void **state)
{
	setenv("WR_BDEV_NO_URING", "1", 1);
	struct wr_io_ctx *ctx;
	assert_int_equal(wr_io_ctx_create(4, &ctx), 0);
	assert_false(wr_io_ctx_uses_uring(ctx));
	wr_io_ctx_destroy(ctx);
	file_round_trip_in("/tmp", false);
	file_round_trip_in("/dev/shm", false);
	unsetenv("WR_BDEV_NO_URING");
}

static void test_out_of_range_is_rejected(void **state)
{
	struct wr_bdev *bdev = open_mem(WR_BDEV_RAM);
	struct wr_io_ctx *ctx;
	assert_int_equal(wr_io_ctx_create(4, &ctx), 0);
	uint8_t *buf = xalign(2 * BS);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_READ, NBLOCKS, 1, buf, false), -EINVAL);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_WRITE, NBLOCKS - 1, 2, buf, false), -EINVAL);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_WRITE_ZEROES, UINT64_MAX, 2, NULL, false), -EINVAL);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_DISCARD, 0, NBLOCKS + 1, NULL, false), -EINVAL);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_READ, 0, 0, buf, false), -EINVAL);
	/* buffers that do not cover the blocks */
	struct iovec iov = {.iov_base = buf, .iov_len = BS};
	struct done_flag d = {.io = {.op = WR_BDEV_OP_READ, .num_blocks = 2, .iov = &iov, .iovcnt = 1,
				     .cb = on_done}};
	assert_int_equal(wr_bdev_submit(ctx, bdev, &d.io), -EINVAL);
	assert_int_equal(wr_io_ctx_inflight(ctx), 0);
	assert_int_equal(wr_io_ctx_poll(ctx, 16), 0);
	assert_int_equal(d.calls, 0);
	free(buf);
	wr_io_ctx_destroy(ctx);
	wr_bdev_close(bdev);
}

static void test_file_out_of_range_is_rejected(void **state)
{
	char *path = strdup(temp_path("/tmp"));
	struct wr_bdev *bdev = open_file(path);
	struct wr_io_ctx *ctx;
	assert_int_equal(wr_io_ctx_create(4, &ctx), 0);
	uint8_t *buf = xalign(BS);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_READ, NBLOCKS, 1, buf, false), -EINVAL);
	free(buf);
	wr_io_ctx_destroy(ctx);
	wr_bdev_close(bdev);
	unlink(path);
	free(path);
}

static void test_queue_full_gives_eagain(void **state)
{
	char *path = strdup(temp_path("/tmp"));
	struct wr_bdev *bdevs[2] = {open_mem(WR_BDEV_RAM), open_file(path)};
	for (int b = 0; b < 2; b++) {
		struct wr_io_ctx *ctx;
		assert_int_equal(wr_io_ctx_create(2, &ctx), 0);
		struct done_flag d[3];
		for (int i = 0; i < 3; i++)
			d[i] = (struct done_flag){.io = {.op = WR_BDEV_OP_FLUSH, .cb = on_done}};
		assert_int_equal(wr_bdev_submit(ctx, bdevs[b], &d[0].io), 0);
		assert_int_equal(wr_bdev_submit(ctx, bdevs[b], &d[1].io), 0);
		assert_int_equal(wr_bdev_submit(ctx, bdevs[b], &d[2].io), -EAGAIN);
		assert_int_equal(wr_io_ctx_inflight(ctx), 2);
		assert_int_equal(wait_done(ctx, &d[0]), 0);
		assert_int_equal(wait_done(ctx, &d[1]), 0);
		assert_int_equal(wr_bdev_submit(ctx, bdevs[b], &d[2].io), 0);
		assert_int_equal(wait_done(ctx, &d[2]), 0);
		wr_io_ctx_destroy(ctx);
	}
	wr_bdev_close(bdevs[0]);
	wr_bdev_close(bdevs[1]);
	unlink(path);
	free(path);
}

/* A callback that submits again: the second completion must come from a later poll. */
struct chain {
	struct done_flag d;
	struct wr_io_ctx *ctx;
	struct wr_bdev *bdev;
	int completions;
	int depth_in_cb;
	int max_depth;
};

static void on_chain(struct wr_bdev_io *io, int status)
{
	struct chain *c = (struct chain *)io;
	assert_int_equal(status, 0);
	c->completions++;
	c->depth_in_cb++;
	if (c->depth_in_cb > c->max_depth)
		c->max_depth = c->depth_in_cb;
	if (c->completions < 5)
		assert_int_equal(wr_bdev_submit(c->ctx, c->bdev, io), 0);
	c->depth_in_cb--;
}

static void test_callback_may_resubmit_without_recursion(void **state)
{
	struct chain c = {.d = {.io = {.op = WR_BDEV_OP_FLUSH, .cb = on_chain}}};
	c.bdev = open_mem(WR_BDEV_RAM);
	assert_int_equal(wr_io_ctx_create(1, &c.ctx), 0);
	assert_int_equal(wr_bdev_submit(c.ctx, c.bdev, &c.d.io), 0);
	assert_int_equal(c.completions, 0); /* never completed inside submit */
	int polls = 0;
	while (c.completions < 5 && polls++ < 100)
		wr_io_ctx_poll(c.ctx, 1); /* budget 1: one callback per poll */
	assert_int_equal(c.completions, 5);
	assert_int_equal(c.max_depth, 1);
	assert_int_equal(polls, 5);
	wr_io_ctx_destroy(c.ctx);
	wr_bdev_close(c.bdev);
}

static bool fd_readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	return poll(&p, 1, 0) == 1;
}

static bool fd_readable_within(int fd, int ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	return poll(&p, 1, ms) == 1;
}

/* The kernel may signal the eventfd late (deferred io-wq signals); the context promises that a
 * bounded run of idle polls (64 in io_ctx.c) leaves it clear. Each poll here must be idle. */
static bool idle_polls_clear(struct wr_io_ctx *ctx, int fd)
{
	for (int i = 0; i < 200; i++) {
		assert_int_equal(wr_io_ctx_poll(ctx, 16), 0);
		if (i >= 65 && !fd_readable(fd))
			return true;
	}
	return false;
}

static void check_eventfd_wakes(struct wr_bdev *bdev)
{
	struct wr_io_ctx *ctx;
	assert_int_equal(wr_io_ctx_create(4, &ctx), 0);
	int fd = wr_io_ctx_fd(ctx);
	assert_true(fd >= 0);
	assert_false(fd_readable(fd));
	struct done_flag d = {.io = {.op = WR_BDEV_OP_FLUSH, .cb = on_done}};
	assert_int_equal(wr_bdev_submit(ctx, bdev, &d.io), 0);
	if (wr_io_ctx_uses_uring(ctx) && strcmp(wr_bdev_type_name(bdev), "file") == 0)
		assert_int_equal(wr_io_ctx_poll(ctx, 16) >= 0, 1); /* hands the SQE to the kernel */
	/* a sleeping reactor is woken: the fd is readable while the completion waits */
	assert_true(fd_readable_within(fd, 5000));
	assert_int_equal(wait_done(ctx, &d), 0);
	/* once everything is delivered, idle polls clear it so the reactor can sleep */
	assert_true(idle_polls_clear(ctx, fd));

	/* busy mode: no fd, completions still delivered */
	wr_io_ctx_set_notify(ctx, false);
	assert_int_equal(wr_io_ctx_fd(ctx), -1);
	d.calls = 0;
	assert_int_equal(wr_bdev_submit(ctx, bdev, &d.io), 0);
	assert_int_equal(wait_done(ctx, &d), 0);
	wr_io_ctx_set_notify(ctx, true);
	assert_true(idle_polls_clear(ctx, fd));
	wr_io_ctx_destroy(ctx);
}

static void test_eventfd_is_readable_while_completions_wait(void **state)
{
	struct wr_bdev *ram = open_mem(WR_BDEV_RAM);
	check_eventfd_wakes(ram);
	wr_bdev_close(ram);
	char *path = strdup(temp_path("/tmp"));
	struct wr_bdev *file = open_file(path);
	check_eventfd_wakes(file);
	wr_bdev_close(file);
	unlink(path);
	free(path);
}

static void test_bad_open_options_are_rejected(void **state)
{
	struct wr_bdev *bdev;
	struct wr_bdev_open_opts o = {.type = WR_BDEV_RAM, .size_bytes = 0};
	assert_int_equal(wr_bdev_open(&o, &bdev), -EINVAL);
	o = (struct wr_bdev_open_opts){.type = WR_BDEV_RAM, .size_bytes = 1000};
	assert_int_equal(wr_bdev_open(&o, &bdev), -EINVAL); /* not a multiple of 512 */
	o = (struct wr_bdev_open_opts){.type = WR_BDEV_RAM, .size_bytes = 8192, .block_size = 1000};
	assert_int_equal(wr_bdev_open(&o, &bdev), -EINVAL);
	o = (struct wr_bdev_open_opts){.type = WR_BDEV_FILE, .path = "/nonexistent-dir/x"};
	assert_int_equal(wr_bdev_open(&o, &bdev), -ENOENT);
	o = (struct wr_bdev_open_opts){.type = WR_BDEV_FILE, .path = "/dev/null"};
	assert_int_equal(wr_bdev_open(&o, &bdev), -ENOTBLK); /* a character device is no disk */
	char *path = strdup(temp_path("/tmp"));
	o = (struct wr_bdev_open_opts){.type = WR_BDEV_FILE, .path = path};
	assert_int_equal(wr_bdev_open(&o, &bdev), -EINVAL); /* empty file, no size given */
	unlink(path);
	free(path);
	struct wr_io_ctx *ctx;
	assert_int_equal(wr_io_ctx_create(0, &ctx), -EINVAL);
}

static void test_file_size_from_existing_file(void **state)
{
	char *path = strdup(temp_path("/tmp"));
	assert_int_equal(truncate(path, 1 << 20), 0);
	struct wr_bdev_open_opts o = {.type = WR_BDEV_FILE, .path = path, .block_size = 4096};
	struct wr_bdev *bdev;
	assert_int_equal(wr_bdev_open(&o, &bdev), 0);
	struct wr_bdev_info info;
	wr_bdev_get_info(bdev, &info);
	assert_int_equal(info.block_size, 4096);
	assert_int_equal(info.num_blocks, 256);
	wr_bdev_close(bdev);
	unlink(path);
	free(path);
}

static void test_peek_gives_memory_bdevs_bytes_in_place(void **state)
{
	struct wr_bdev *ram = open_mem(WR_BDEV_RAM), *nul = open_mem(WR_BDEV_NULL);
	struct wr_io_ctx *ctx;
	assert_int_equal(wr_io_ctx_create(4, &ctx), 0);
	uint8_t *buf = xalign(4 * BS);
	fill_pattern(buf, 4 * BS, 42);
	assert_int_equal(run_io(ctx, ram, WR_BDEV_OP_WRITE, 10, 4, buf, false), 0);
	const uint8_t *p = wr_bdev_peek(ram, 10, 4);
	assert_non_null(p);
	assert_memory_equal(p, buf, 4 * BS);
	assert_ptr_equal(wr_bdev_peek(ram, 11, 1), p + BS);
	assert_null(wr_bdev_peek(ram, NBLOCKS - 1, 2));
	assert_null(wr_bdev_peek(ram, NBLOCKS, 1));
	assert_null(wr_bdev_peek(ram, 0, 0));
	const uint8_t *z = wr_bdev_peek(nul, NBLOCKS - 4, 4);
	assert_non_null(z);
	assert_true(all_zero(z, 4 * BS));
	char *path = strdup(temp_path("/tmp"));
	struct wr_bdev *file = open_file(path);
	assert_null(wr_bdev_peek(file, 0, 1));
	wr_bdev_close(file);
	unlink(path);
	free(path);
	free(buf);
	wr_io_ctx_destroy(ctx);
	wr_bdev_close(ram);
	wr_bdev_close(nul);
}

/* Raw block device path (BLKGETSIZE64, BLKSSZGET, O_DIRECT, fallocate on a device). Needs a
 * scratch device, e.g. a loop device: WR_BDEV_TEST_BLOCKDEV=/dev/loop0 (its data is destroyed).
 * Skipped without one. */
/* Grow, then the new blocks take I/O, the old data stays, and shrinking is refused. */
static void grow_keeps_data_and_opens_new_blocks(struct wr_bdev *bdev, bool stores_data)
{
	struct wr_io_ctx *ctx;
	assert_int_equal(wr_io_ctx_create(8, &ctx), 0);
	uint8_t *wbuf = xalign(8 * BS), *rbuf = xalign(8 * BS);
	fill_pattern(wbuf, 8 * BS, 9);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_WRITE, NBLOCKS - 8, 8, wbuf, false), 0);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_READ, NBLOCKS, 8, rbuf, false), -EINVAL);

	assert_int_equal(wr_bdev_grow(bdev, (uint64_t)NBLOCKS * BS - BS), -EINVAL);  /* shrink */
	assert_int_equal(wr_bdev_grow(bdev, (uint64_t)NBLOCKS * BS + 100), -EINVAL); /* not a block */
	assert_int_equal(wr_bdev_grow(bdev, (uint64_t)NBLOCKS * BS), 0);             /* same: nothing */
	assert_int_equal(wr_bdev_num_blocks(bdev), NBLOCKS);
	assert_int_equal(wr_bdev_grow(bdev, (uint64_t)NBLOCKS * 3 * BS), 0);
	struct wr_bdev_info info;
	wr_bdev_get_info(bdev, &info);
	assert_int_equal(info.num_blocks, NBLOCKS * 3);

	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_READ, NBLOCKS - 8, 8, rbuf, false), 0);
	if (stores_data)
		assert_memory_equal(rbuf, wbuf, 8 * BS);
	fill_pattern(wbuf, 8 * BS, 77);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_WRITE, NBLOCKS * 3 - 8, 8, wbuf, false), 0);
	memset(rbuf, 0xee, 8 * BS);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_READ, NBLOCKS * 3 - 8, 8, rbuf, false), 0);
	if (stores_data)
		assert_memory_equal(rbuf, wbuf, 8 * BS);
	else
		assert_true(all_zero(rbuf, 8 * BS));
	/* blocks never written read as zeroes */
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_READ, NBLOCKS + 8, 8, rbuf, false), 0);
	assert_true(all_zero(rbuf, 8 * BS));
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_READ, NBLOCKS * 3, 8, rbuf, false), -EINVAL);
	if (wr_bdev_peek(bdev, 0, 1))
		assert_non_null(wr_bdev_peek(bdev, NBLOCKS * 3 - 1, 1));
	free(wbuf);
	free(rbuf);
	wr_io_ctx_destroy(ctx);
}

/* The mapping of /proc/self/smaps that holds addr: its Rss and AnonHugePages in bytes and its
 * VmFlags line; false if there is none. */
static bool smaps_of(const void *addr, uint64_t *rss, uint64_t *anon_huge, char *flags, size_t flags_len)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	assert_non_null(f);
	char line[512];
	bool inside = false, found = false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		unsigned long long kib;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
			if (found)
				break;
			inside = (uintptr_t)addr >= lo && (uintptr_t)addr < hi;
			found = inside;
		} else if (inside && sscanf(line, "Rss: %llu kB", &kib) == 1) {
			*rss = kib * 1024;
		} else if (inside && sscanf(line, "AnonHugePages: %llu kB", &kib) == 1) {
			*anon_huge = kib * 1024;
		} else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
			snprintf(flags, flags_len, "%.200s", line + 8);
		}
	}
	fclose(f);
	return found;
}

static bool thp_supported(void)
{
	return access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0;
}

/* Every usable byte is resident at once (never the zero page, no first-touch fault), in pages
 * advised for huge pages where the kernel has them, kept out of forks; discard and grow keep it
 * so. */
static void test_ram_is_populated_in_huge_pages(void **state)
{
	(void)state;
	const uint64_t size = (8ull << 20) + 4096; /* not a whole number of 2 MiB pages */
	struct wr_bdev_open_opts o = {.type = WR_BDEV_RAM, .size_bytes = size};
	struct wr_bdev *bdev;
	assert_int_equal(wr_bdev_open(&o, &bdev), 0);
	struct wr_bdev_mem_info mi;
	wr_bdev_mem_info(bdev, &mi);
	assert_int_equal(mi.usable_bytes, 10ull << 20); /* rounded up to whole 2 MiB pages */
	const uint8_t *mem = wr_bdev_peek(bdev, 0, 1);
	assert_int_equal((uintptr_t)mem % (2u << 20), 0);
	uint64_t rss = 0, huge = 0;
	char flags[256] = "";
	assert_true(smaps_of(mem, &rss, &huge, flags, sizeof(flags)));
	assert_non_null(strstr(flags, " dc")); /* MADV_DONTFORK: a fork neither copies nor shares it */
	if (mi.backing == WR_BDEV_MEM_HUGETLB) {
		assert_non_null(strstr(flags, " ht"));
	} else {
		assert_int_equal(rss, mi.usable_bytes); /* no block was written, all are real memory */
		if (thp_supported()) {
			assert_int_equal(mi.backing, WR_BDEV_MEM_THP);
			assert_non_null(strstr(flags, " hg")); /* MADV_HUGEPAGE */
			assert_int_equal(mi.huge_bytes, huge);
		} else {
			assert_int_equal(mi.backing, WR_BDEV_MEM_PAGES);
		}
	}
	assert_true(all_zero(mem, size));

	/* discard zeroes the blocks and keeps the memory */
	struct wr_io_ctx *ctx;
	assert_int_equal(wr_io_ctx_create(4, &ctx), 0);
	uint8_t *buf = xalign(64 * 4096);
	fill_pattern(buf, 64 * 4096, 5);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_WRITE, 0, 64 * 4096 / BS, buf, false), 0);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_DISCARD, 0, 64 * 4096 / BS, NULL, false), 0);
	assert_true(all_zero(mem, 64 * 4096));
	if (mi.backing != WR_BDEV_MEM_HUGETLB) {
		assert_true(smaps_of(mem, &rss, &huge, flags, sizeof(flags)));
		assert_int_equal(rss, mi.usable_bytes);
	}

	/* grown blocks are populated too */
	assert_int_equal(wr_bdev_grow(bdev, 16ull << 20), 0);
	wr_bdev_mem_info(bdev, &mi);
	assert_int_equal(mi.usable_bytes, 16ull << 20);
	if (mi.backing != WR_BDEV_MEM_HUGETLB) {
		assert_true(smaps_of(mem, &rss, &huge, flags, sizeof(flags)));
		assert_int_equal(rss, 16ull << 20);
	}
	free(buf);
	wr_io_ctx_destroy(ctx);
	wr_bdev_close(bdev);

	/* null keeps the shared zero page: nothing resident, nothing to describe as RAM */
	struct wr_bdev *nul = open_mem(WR_BDEV_NULL);
	wr_bdev_mem_info(nul, &mi);
	assert_int_equal(mi.backing, WR_BDEV_MEM_ZERO_PAGE);
	wr_bdev_close(nul);
}

static void test_ram_and_null_grow_in_place(void **state)
{
	(void)state;
	const enum wr_bdev_type types[] = { WR_BDEV_RAM, WR_BDEV_NULL };
	for (size_t i = 0; i < 2; i++) {
		struct wr_bdev_open_opts o = {.type = types[i], .size_bytes = (uint64_t)NBLOCKS * BS};
		struct wr_bdev *bdev;
		assert_int_equal(wr_bdev_open(&o, &bdev), 0);
		const void *before = wr_bdev_peek(bdev, 0, 1);
		grow_keeps_data_and_opens_new_blocks(bdev, types[i] == WR_BDEV_RAM);
		assert_ptr_equal(wr_bdev_peek(bdev, 0, 1), before); /* reactors keep their pointer */
		/* past the reservation made at open (size + 1 GiB): mapped behind it, or refused (RAM
		 * populates what it grows: only just past it, to keep the test's memory small) */
		const uint64_t far = (uint64_t)NBLOCKS * 3 * BS + (1ull << 30) + (4ull << 20);
		int rc = wr_bdev_grow(bdev, far);
		assert_true(rc == 0 || rc == -ENOMEM);
		if (rc == 0) {
			assert_int_equal(wr_bdev_num_blocks(bdev), far / BS);
			assert_ptr_equal(wr_bdev_peek(bdev, 0, 1), before);
			if (types[i] == WR_BDEV_RAM) {
				uint8_t *last = (uint8_t *)wr_bdev_peek(bdev, far / BS - 1, 1);
				last[BS - 1] = 1; /* writable, not PROT_NONE */
			}
		}
		wr_bdev_close(bdev);
	}
}

static void test_file_grows_and_revalidates(void **state)
{
	(void)state;
	char path[] = "wr-grow-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct wr_bdev_open_opts o = {.type = WR_BDEV_FILE, .path = path,
				      .size_bytes = (uint64_t)NBLOCKS * BS};
	struct wr_bdev *bdev;
	assert_int_equal(wr_bdev_open(&o, &bdev), 0);
	grow_keeps_data_and_opens_new_blocks(bdev, true);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, (off_t)NBLOCKS * 3 * BS); /* extended by the grow */
	/* revalidate: someone (the volume layer) extended the file; 0 takes its size, a partial
	 * last block is not addressable */
	assert_int_equal(truncate(path, (off_t)NBLOCKS * 4 * BS + 100), 0);
	assert_int_equal(wr_bdev_grow(bdev, 0), 0);
	assert_int_equal(wr_bdev_num_blocks(bdev), NBLOCKS * 4);
	assert_int_equal(wr_bdev_grow(bdev, 0), 0);
	assert_int_equal(wr_bdev_num_blocks(bdev), NBLOCKS * 4);
	wr_bdev_close(bdev);
	unlink(path);
}

static void test_block_device_round_trip(void **state)
{
	const char *dev = getenv("WR_BDEV_TEST_BLOCKDEV");
	struct stat st;
	if (!dev || stat(dev, &st) != 0 || !S_ISBLK(st.st_mode))
		skip();
	struct wr_bdev_open_opts o = {.type = WR_BDEV_FILE, .path = dev};
	struct wr_bdev *bdev;
	assert_int_equal(wr_bdev_open(&o, &bdev), 0);
	struct wr_bdev_info info;
	wr_bdev_get_info(bdev, &info);
	int fd = open(dev, O_RDONLY);
	uint64_t bytes = 0;
	int lbs = 0;
	assert_int_equal(ioctl(fd, BLKGETSIZE64, &bytes), 0);
	assert_int_equal(ioctl(fd, BLKSSZGET, &lbs), 0);
	close(fd);
	assert_int_equal(info.block_size, (uint32_t)lbs);
	assert_int_equal(info.num_blocks, bytes / (uint64_t)lbs);
	assert_true(info.direct);
	/* a block size below the device's is refused */
	if (lbs > 512) {
		struct wr_bdev *small;
		struct wr_bdev_open_opts o2 = {.type = WR_BDEV_FILE, .path = dev, .block_size = 512};
		assert_int_equal(wr_bdev_open(&o2, &small), -EINVAL);
	}
	/* the device cannot grow */
	struct wr_bdev *big;
	struct wr_bdev_open_opts o3 = {.type = WR_BDEV_FILE, .path = dev, .size_bytes = bytes * 2};
	assert_int_equal(wr_bdev_open(&o3, &big), -ENOSPC);

	struct wr_io_ctx *ctx;
	assert_int_equal(wr_io_ctx_create(4, &ctx), 0);
	const uint32_t bs = info.block_size, n = (1u << 20) / bs;
	uint8_t *w = xalign(1u << 20), *r = xalign(1u << 20);
	fill_pattern(w, 1u << 20, 77);
	struct iovec wi = {w, 1u << 20}, ri = {r, 1u << 20};
	struct done_flag d = {.io = {.op = WR_BDEV_OP_WRITE, .fua = true, .offset_blocks = 8, .num_blocks = n,
				     .iov = &wi, .iovcnt = 1, .cb = on_done}};
	assert_int_equal(wr_bdev_submit(ctx, bdev, &d.io), 0);
	assert_int_equal(wait_done(ctx, &d), 0);
	d = (struct done_flag){.io = {.op = WR_BDEV_OP_READ, .offset_blocks = 8, .num_blocks = n, .iov = &ri,
				      .iovcnt = 1, .cb = on_done}};
	assert_int_equal(wr_bdev_submit(ctx, bdev, &d.io), 0);
	assert_int_equal(wait_done(ctx, &d), 0);
	assert_memory_equal(r, w, 1u << 20);
	enum wr_bdev_op ops[3] = {WR_BDEV_OP_WRITE_ZEROES, WR_BDEV_OP_DISCARD, WR_BDEV_OP_FLUSH};
	for (int i = 0; i < 3; i++) {
		fill_pattern(w, 1u << 20, (uint8_t)i);
		d = (struct done_flag){.io = {.op = WR_BDEV_OP_WRITE, .offset_blocks = 8, .num_blocks = n,
					      .iov = &wi, .iovcnt = 1, .cb = on_done}};
		assert_int_equal(wr_bdev_submit(ctx, bdev, &d.io), 0);
		assert_int_equal(wait_done(ctx, &d), 0);
		d = (struct done_flag){.io = {.op = ops[i], .offset_blocks = 8, .num_blocks = n, .cb = on_done}};
		assert_int_equal(wr_bdev_submit(ctx, bdev, &d.io), 0);
		assert_int_equal(wait_done(ctx, &d), 0);
		d = (struct done_flag){.io = {.op = WR_BDEV_OP_READ, .offset_blocks = 8, .num_blocks = n,
					      .iov = &ri, .iovcnt = 1, .cb = on_done}};
		assert_int_equal(wr_bdev_submit(ctx, bdev, &d.io), 0);
		assert_int_equal(wait_done(ctx, &d), 0);
		if (ops[i] == WR_BDEV_OP_FLUSH)
			assert_memory_equal(r, w, 1u << 20);
		else
			assert_true(all_zero(r, 1u << 20));
	}
	free(w);
	free(r);
	wr_io_ctx_destroy(ctx);
	wr_bdev_close(bdev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ram_round_trip),
		cmocka_unit_test(test_null_round_trip),
		cmocka_unit_test(test_file_round_trip),
		cmocka_unit_test(test_file_on_tmpfs_round_trip),
		cmocka_unit_test(test_file_sync_fallback_round_trip),
		cmocka_unit_test(test_out_of_range_is_rejected),
		cmocka_unit_test(test_file_out_of_range_is_rejected),
		cmocka_unit_test(test_queue_full_gives_eagain),
		cmocka_unit_test(test_callback_may_resubmit_without_recursion),
		cmocka_unit_test(test_eventfd_is_readable_while_completions_wait),
		cmocka_unit_test(test_bad_open_options_are_rejected),
		cmocka_unit_test(test_file_size_from_existing_file),
		cmocka_unit_test(test_peek_gives_memory_bdevs_bytes_in_place),
		cmocka_unit_test(test_block_device_round_trip),
		cmocka_unit_test(test_ram_and_null_grow_in_place),
		cmocka_unit_test(test_ram_is_populated_in_huge_pages),
		cmocka_unit_test(test_file_grows_and_revalidates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
