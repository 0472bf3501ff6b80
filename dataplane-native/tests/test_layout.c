#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdint.h>

#include "windrose.h"

static void unknown_struct_is_einval(void **state)
{
	(void)state;
	assert_int_equal(wr_struct_size(999), -EINVAL);
	assert_int_equal(wr_struct_offset(999, "magic"), -EINVAL);
}

static void unknown_field_is_enoent(void **state)
{
	(void)state;
	assert_int_equal(wr_struct_offset(WR_STRUCT_STATS_HEADER, "nope"), -ENOENT);
}

static void offsets_match_the_compiler(void **state)
{
	(void)state;
	assert_int_equal(wr_struct_size(WR_STRUCT_NS_STATS), sizeof(struct wr_ns_stats));
	assert_int_equal(wr_struct_offset(WR_STRUCT_NS_STATS, "write"), offsetof(struct wr_ns_stats, write));
	assert_int_equal(wr_struct_offset(WR_STRUCT_QPAIR_STATS, "write_errors"), offsetof(struct wr_qpair_stats, write_errors));
}

static void histogram_buckets_round_trip(void **state)
{
	(void)state;
	for (uint32_t i = 0; i < WR_HIST_BUCKETS; i++)
		assert_int_equal(wr_hist_bucket(wr_hist_bucket_lower_ns(i)), i);
	assert_int_equal(wr_hist_bucket(UINT64_MAX), WR_HIST_BUCKETS - 1);
	/* buckets are monotonic: a larger latency never lands in an earlier bucket */
	uint32_t prev = 0;
	for (uint64_t ns = 1; ns < (1ull << 40); ns = ns * 3 / 2 + 1) {
		uint32_t b = wr_hist_bucket(ns);
		assert_true(b >= prev);
		prev = b;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unknown_struct_is_einval),
		cmocka_unit_test(unknown_field_is_enoent),
		cmocka_unit_test(offsets_match_the_compiler),
		cmocka_unit_test(histogram_buckets_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
