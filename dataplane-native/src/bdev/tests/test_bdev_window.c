/*
 * test_bdev_window.c - a FILE bdev opened on an extent (offset_bytes + size_bytes) of a larger file,
 * as a disk-pool volume is served: block 0 is the extent's first byte, every operation stays inside
 * the extent (the bytes before and after it are another volume's, or the pool label), and bad
 * windows are refused at open.
 *
 * Run twice by CTest, like test_bdev: with io_uring and with WR_BDEV_NO_URING=1.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "bdev.h"

#define BS 512u
#define DISK_BYTES (8u << 20)      /* the "disk": 8 MiB */
#define EXTENT_OFFSET (3u << 20)   /* the volume: 2 MiB from 3 MiB on */
#define EXTENT_BYTES (2u << 20)
#define OUTSIDE 0xa5               /* what every byte outside the extent holds, and must keep */

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

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int run_io(struct wr_io_ctx *ctx, struct wr_bdev *bdev, enum wr_bdev_op op, uint64_t lba,
		  uint64_t nblocks, void *buf)
{
	struct iovec iov = {.iov_base = buf, .iov_len = nblocks * BS};
	struct done_flag d = {.io = {.op = op, .offset_blocks = lba, .num_blocks = nblocks,
				     .iov = buf ? &iov : NULL, .iovcnt = buf ? 1 : 0, .cb = on_done}};
	int rc = wr_bdev_submit(ctx, bdev, &d.io);
	if (rc)
		return rc;
	/* bounded, so a lost completion fails instead of hanging */
	const uint64_t deadline = mono_ns() + 10000000000ull;
	while (d.calls == 0 && mono_ns() < deadline)
		wr_io_ctx_poll(ctx, 16);
	assert_int_equal(d.calls, 1);
	return d.status;
}

static void *xalign(size_t len)
{
	void *p = NULL;
	assert_int_equal(posix_memalign(&p, WR_BDEV_BUF_ALIGN, len), 0);
	return p;
}

/* A disk image in the working directory (a real filesystem: O_DIRECT and fallocate as in use),
 * filled with OUTSIDE. */
static char *make_disk(void)
{
	static char path[64];
	snprintf(path, sizeof(path), "wr-window-test-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	uint8_t *fill = malloc(DISK_BYTES);
	assert_non_null(fill);
	memset(fill, OUTSIDE, DISK_BYTES);
	assert_int_equal(pwrite(fd, fill, DISK_BYTES, 0), (ssize_t)DISK_BYTES);
	free(fill);
	close(fd);
	return path;
}

static int open_window(const char *path, uint64_t offset, uint64_t size, struct wr_bdev **out)
{
	struct wr_bdev_open_opts o = {.type = WR_BDEV_FILE, .path = path, .offset_bytes = offset,
				      .size_bytes = size};
	return wr_bdev_open(&o, out);
}

/* Everything outside [EXTENT_OFFSET, EXTENT_OFFSET + EXTENT_BYTES) still holds OUTSIDE. */
static void assert_outside_untouched(const char *path)
{
	uint8_t *disk = malloc(DISK_BYTES);
	assert_non_null(disk);
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, disk, DISK_BYTES, 0), (ssize_t)DISK_BYTES);
	close(fd);
	for (size_t i = 0; i < DISK_BYTES; i++) {
		if (i == EXTENT_OFFSET)
			i += EXTENT_BYTES;
		if (i < DISK_BYTES && disk[i] != OUTSIDE)
			fail_msg("byte %zu outside the extent was changed to 0x%02x", i, disk[i]);
	}
	free(disk);
}

static void test_window_addresses_the_extent_only(void **state)
{
	(void)state;
	const char *path = make_disk();
	struct wr_bdev *bdev;
	assert_int_equal(open_window(path, EXTENT_OFFSET, EXTENT_BYTES, &bdev), 0);
	struct wr_bdev_info info;
	wr_bdev_get_info(bdev, &info);
	assert_int_equal(info.num_blocks, EXTENT_BYTES / BS);
	assert_int_equal(info.block_size, BS);

	struct wr_io_ctx *ctx;
	assert_int_equal(wr_io_ctx_create(8, &ctx), 0);
	const uint64_t last = EXTENT_BYTES / BS - 8;
	uint8_t *buf = xalign(8 * BS), *back = xalign(8 * BS);
	memset(buf, 0x3c, 8 * BS);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_WRITE, 0, 8, buf), 0);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_WRITE, last, 8, buf), 0);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_READ, last, 8, back), 0);
	assert_memory_equal(buf, back, 8 * BS);
	/* the first and last blocks of the extent, zeroed and discarded: neighbours keep their bytes */
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_WRITE_ZEROES, 0, 8, NULL), 0);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_DISCARD, last, 8, NULL), 0);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_FLUSH, 0, 0, NULL), 0);
	/* one block past the extent is out of range, not the next volume's first block */
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_READ, EXTENT_BYTES / BS - 7, 8, back), -EINVAL);
	wr_io_ctx_destroy(ctx);
	wr_bdev_close(bdev);

	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	uint8_t first[BS];
	assert_int_equal(pread(fd, first, BS, EXTENT_OFFSET), (ssize_t)BS);
	for (size_t i = 0; i < BS; i++)
		assert_int_equal(first[i], 0);  /* block 0 of the window is the extent's first byte */
	close(fd);
	assert_outside_untouched(path);
	free(buf);
	free(back);
	unlink(path);
}

static void test_window_written_data_is_where_the_extent_is(void **state)
{
	(void)state;
	const char *path = make_disk();
	struct wr_bdev *bdev;
	assert_int_equal(open_window(path, EXTENT_OFFSET, EXTENT_BYTES, &bdev), 0);
	struct wr_io_ctx *ctx;
	assert_int_equal(wr_io_ctx_create(8, &ctx), 0);
	uint8_t *buf = xalign(BS);
	memset(buf, 0x77, BS);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_WRITE, 5, 1, buf), 0);
	wr_io_ctx_destroy(ctx);
	wr_bdev_close(bdev);

	int fd = open(path, O_RDONLY);
	uint8_t got[BS];
	assert_int_equal(pread(fd, got, BS, EXTENT_OFFSET + 5 * BS), (ssize_t)BS);
	assert_memory_equal(got, buf, BS);
	close(fd);
	assert_outside_untouched(path);
	free(buf);
	unlink(path);
}

/* A disk-pool volume grown in place: the extent widens into the bytes right after it, which the
 * volume layer has allocated to it; the disk is never extended and nothing past the new end is
 * touched. */
static void test_window_grows_in_place_inside_the_disk(void **state)
{
	(void)state;
	const char *path = make_disk();
	struct wr_bdev *bdev;
	assert_int_equal(open_window(path, EXTENT_OFFSET, EXTENT_BYTES / 2, &bdev), 0);
	struct wr_io_ctx *ctx;
	assert_int_equal(wr_io_ctx_create(8, &ctx), 0);
	uint8_t *buf = xalign(8 * BS), *back = xalign(8 * BS);
	const uint64_t last = EXTENT_BYTES / BS - 8;
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_READ, last, 8, back), -EINVAL);
	assert_int_equal(wr_bdev_grow(bdev, 0), -EINVAL);            /* an extent has no "file's size" */
	assert_int_equal(wr_bdev_grow(bdev, EXTENT_BYTES / 4), -EINVAL); /* shrink */
	/* past the end of the disk: refused, the disk is not extended */
	assert_int_equal(wr_bdev_grow(bdev, DISK_BYTES - EXTENT_OFFSET + BS), -ENOSPC);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, (off_t)DISK_BYTES);
	assert_int_equal(wr_bdev_num_blocks(bdev), EXTENT_BYTES / 2 / BS);

	assert_int_equal(wr_bdev_grow(bdev, EXTENT_BYTES), 0);
	assert_int_equal(wr_bdev_num_blocks(bdev), EXTENT_BYTES / BS);
	memset(buf, 0x5e, 8 * BS);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_WRITE, last, 8, buf), 0);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_READ, last, 8, back), 0);
	assert_memory_equal(buf, back, 8 * BS);
	assert_int_equal(run_io(ctx, bdev, WR_BDEV_OP_WRITE, EXTENT_BYTES / BS, 8, buf), -EINVAL);
	wr_bdev_close(bdev);
	wr_io_ctx_destroy(ctx);
	assert_outside_untouched(path);
	free(buf);
	free(back);
	unlink(path);
}

static void test_bad_windows_are_refused(void **state)
{
	(void)state;
	const char *path = make_disk();
	struct wr_bdev *bdev;
	/* past the end: never extended (the bytes after a disk are nobody's) */
	assert_int_equal(open_window(path, DISK_BYTES - BS, 2 * BS, &bdev), -ENOSPC);
	assert_int_equal(open_window(path, DISK_BYTES + BS, BS, &bdev), -ENOSPC);
	/* size required, offset and size whole blocks */
	assert_int_equal(open_window(path, EXTENT_OFFSET, 0, &bdev), -EINVAL);
	assert_int_equal(open_window(path, EXTENT_OFFSET + 1, EXTENT_BYTES, &bdev), -EINVAL);
	assert_int_equal(open_window(path, EXTENT_OFFSET, EXTENT_BYTES - 1, &bdev), -EINVAL);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, DISK_BYTES);
	/* the whole disk but its first block is fine */
	assert_int_equal(open_window(path, BS, DISK_BYTES - BS, &bdev), 0);
	wr_bdev_close(bdev);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window_addresses_the_extent_only),
		cmocka_unit_test(test_window_written_data_is_where_the_extent_is),
		cmocka_unit_test(test_bad_windows_are_refused),
		cmocka_unit_test(test_window_grows_in_place_inside_the_disk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
