/*
 * The mirror's dirty-region bitmap and state machine (mirror_map.c), driven directly.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <cmocka.h>

#include "mirror_map.h"

#define MIB (1024ull * 1024ull)

static void regions_round_up_and_bad_sizes_are_refused(void **state)
{
	struct wr_mirror_map map;
	assert_int_equal(wr_mirror_map_init(&map, 10 * MIB + 1, 1 << 20), 0);
	assert_int_equal(map.nregions, 11);            /* a partial last region counts */
	assert_int_equal(wr_mirror_map_dirty(&map), 0);
	assert_int_equal(wr_mirror_map_next(&map, 0), 11);
	wr_mirror_map_fini(&map);
	assert_int_equal(wr_mirror_map_init(&map, MIB, 3000), -EINVAL);     /* not a power of two */
	assert_int_equal(wr_mirror_map_init(&map, MIB, 2048), -EINVAL);     /* below 4096 */
	assert_int_equal(wr_mirror_map_init(&map, 0, 1 << 20), -EINVAL);
}

static void a_write_marks_every_region_it_touches_once(void **state)
{
	struct wr_mirror_map map;
	assert_int_equal(wr_mirror_map_init(&map, 200 * MIB, 1 << 20), 0);
	wr_mirror_map_mark(&map, MIB - 512, 1024);          /* straddles regions 0 and 1 */
	assert_int_equal(wr_mirror_map_dirty(&map), 2);
	assert_true(wr_mirror_map_test(&map, 0));
	assert_true(wr_mirror_map_test(&map, 1));
	assert_false(wr_mirror_map_test(&map, 2));
	wr_mirror_map_mark(&map, MIB, 4096);                /* region 1 again: not counted twice */
	assert_int_equal(wr_mirror_map_dirty(&map), 2);
	wr_mirror_map_mark(&map, 130 * MIB, 0);             /* nothing */
	assert_int_equal(wr_mirror_map_dirty(&map), 2);
	wr_mirror_map_mark(&map, 130 * MIB, 1);             /* word 2 of the bitmap */
	assert_int_equal(wr_mirror_map_dirty(&map), 3);
	wr_mirror_map_mark(&map, 199 * MIB, 5 * MIB);       /* clipped at the end */
	assert_int_equal(wr_mirror_map_dirty(&map), 4);
	assert_int_equal(wr_mirror_map_next(&map, 0), 0);
	assert_int_equal(wr_mirror_map_next(&map, 1), 1);
	assert_int_equal(wr_mirror_map_next(&map, 2), 130);
	assert_int_equal(wr_mirror_map_next(&map, 131), 199);
	assert_int_equal(wr_mirror_map_next(&map, 200), 200);
	wr_mirror_map_fini(&map);
}

static void clearing_takes_a_region_once_and_mark_all_covers_everything(void **state)
{
	struct wr_mirror_map map;
	assert_int_equal(wr_mirror_map_init(&map, 100 * 4096, 4096), 0);
	wr_mirror_map_mark(&map, 64 * 4096, 4096);
	assert_true(wr_mirror_map_test_and_clear(&map, 64));
	assert_false(wr_mirror_map_test_and_clear(&map, 64));   /* the resync copies it once */
	assert_false(wr_mirror_map_test_and_clear(&map, 1000)); /* out of range */
	assert_int_equal(wr_mirror_map_dirty(&map), 0);
	wr_mirror_map_mark(&map, 99 * 4096, 4096);              /* counted once, not again by mark_all */
	assert_int_equal(wr_mirror_map_mark_all(&map), 0);
	assert_int_equal(wr_mirror_map_dirty(&map), 100);
	assert_int_equal(wr_mirror_map_next(&map, 99), 99);
	assert_int_equal(wr_mirror_map_next(&map, 100), 100);   /* no bit past the last region */
	uint64_t n = 0;
	for (uint64_t r = wr_mirror_map_next(&map, 0); r < map.nregions; r = wr_mirror_map_next(&map, r + 1))
		n += wr_mirror_map_test_and_clear(&map, r);
	assert_int_equal(n, 100);
	assert_int_equal(wr_mirror_map_dirty(&map), 0);
	wr_mirror_map_fini(&map);
}

struct marker {
	struct wr_mirror_map *map;
	uint64_t first;
};

static _Atomic int markers_done;

static void *mark_many(void *arg)
{
	struct marker *mk = arg;
	for (int round = 0; round < 200; round++)
		for (uint64_t r = 0; r < 256; r++)
			wr_mirror_map_mark(mk->map, ((r + mk->first) % 256) * 4096, 4096);
	atomic_fetch_add(&markers_done, 1);
	return NULL;
}

static void concurrent_marks_and_clears_keep_the_count_true(void **state)
{
	struct wr_mirror_map map;
	assert_int_equal(wr_mirror_map_init(&map, 256 * 4096, 4096), 0);
	pthread_t th[3];
	struct marker mk[3] = { { &map, 0 }, { &map, 85 }, { &map, 170 } };
	for (int i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&th[i], NULL, mark_many, &mk[i]), 0);
	uint64_t cleared = 0;
	bool last;
	do {        /* while they mark, and once more after: the last pass finds their bits */
		last = atomic_load(&markers_done) == 3;
		for (uint64_t r = 0; r < 128; r++)
			cleared += wr_mirror_map_test_and_clear(&map, r);
	} while (!last);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	/* the counter equals the bits set, whatever the interleaving */
	uint64_t set = 0;
	for (uint64_t r = 0; r < 256; r++)
		set += wr_mirror_map_test(&map, r);
	assert_int_equal(wr_mirror_map_dirty(&map), set);
	assert_true(cleared > 0);
	wr_mirror_map_fini(&map);
}

static void the_state_machine_allows_only_its_four_transitions(void **state)
{
	const uint32_t all[] = { WR_MIRROR_IN_SYNC, WR_MIRROR_DEGRADED, WR_MIRROR_RESYNCING, 7 };
	int allowed = 0;
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			allowed += wr_mirror_transition_allowed(all[i], all[j]);
	assert_int_equal(allowed, 4);
	assert_true(wr_mirror_transition_allowed(WR_MIRROR_IN_SYNC, WR_MIRROR_DEGRADED));
	assert_true(wr_mirror_transition_allowed(WR_MIRROR_DEGRADED, WR_MIRROR_RESYNCING));
	assert_true(wr_mirror_transition_allowed(WR_MIRROR_RESYNCING, WR_MIRROR_IN_SYNC));
	assert_true(wr_mirror_transition_allowed(WR_MIRROR_RESYNCING, WR_MIRROR_DEGRADED));
	/* a degraded mirror never claims to be in sync without a resync */
	assert_false(wr_mirror_transition_allowed(WR_MIRROR_DEGRADED, WR_MIRROR_IN_SYNC));

	_Atomic uint32_t st = WR_MIRROR_IN_SYNC;
	assert_false(wr_mirror_transition(&st, WR_MIRROR_DEGRADED, WR_MIRROR_RESYNCING)); /* not from */
	assert_int_equal(st, WR_MIRROR_IN_SYNC);
	assert_false(wr_mirror_transition(&st, WR_MIRROR_IN_SYNC, WR_MIRROR_RESYNCING));  /* not allowed */
	assert_true(wr_mirror_transition(&st, WR_MIRROR_IN_SYNC, WR_MIRROR_DEGRADED));
	assert_true(wr_mirror_transition(&st, WR_MIRROR_DEGRADED, WR_MIRROR_RESYNCING));
	assert_true(wr_mirror_transition(&st, WR_MIRROR_RESYNCING, WR_MIRROR_IN_SYNC));
	assert_int_equal(st, WR_MIRROR_IN_SYNC);
	assert_string_equal(wr_mirror_state_name(WR_MIRROR_DEGRADED), "degraded");
}

static void a_file_backed_map_keeps_its_marks_across_a_reopen(void **state)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/wr-mirror-map-%d", (int)getpid());
	unlink(path);
	struct wr_mirror_map map;
	assert_int_equal(wr_mirror_map_init_file(&map, 300 * MIB, 1 << 20, path), 0);
	assert_int_equal(wr_mirror_map_dirty(&map), 0);
	wr_mirror_map_mark(&map, 5 * MIB, 1);
	wr_mirror_map_mark(&map, 299 * MIB, MIB);
	wr_mirror_map_mark(&map, 100 * MIB, 3 * MIB);
	assert_true(wr_mirror_map_test_and_clear(&map, 101));
	wr_mirror_map_fini(&map);                       /* a restart */
	assert_int_equal(wr_mirror_map_init_file(&map, 300 * MIB, 1 << 20, path), 0);
	assert_int_equal(wr_mirror_map_dirty(&map), 4);
	assert_true(wr_mirror_map_test(&map, 5));
	assert_true(wr_mirror_map_test(&map, 299));
	assert_true(wr_mirror_map_test(&map, 100));
	assert_false(wr_mirror_map_test(&map, 101));
	assert_true(wr_mirror_map_test(&map, 102));
	assert_int_equal(wr_mirror_map_sync(&map), 0);
	wr_mirror_map_fini(&map);
	/* a file made for another geometry is refused, not misread */
	assert_int_equal(wr_mirror_map_init_file(&map, 600 * MIB, 1 << 20, path), -EINVAL);
	assert_int_equal(wr_mirror_map_init_file(&map, 300 * MIB, 2 << 20, path), -EINVAL);
	/* a full copy (WR_MIRROR_FULL_SYNC) is remembered as well */
	assert_int_equal(wr_mirror_map_init_file(&map, 300 * MIB, 1 << 20, path), 0);
	assert_int_equal(wr_mirror_map_mark_all(&map), 0);
	wr_mirror_map_fini(&map);
	assert_int_equal(wr_mirror_map_init_file(&map, 300 * MIB, 1 << 20, path), 0);
	assert_int_equal(wr_mirror_map_dirty(&map), 300);
	assert_int_equal(wr_mirror_map_next(&map, 0), 0);
	assert_int_equal(wr_mirror_map_next(&map, 300), 300);
	wr_mirror_map_fini(&map);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(regions_round_up_and_bad_sizes_are_refused),
		cmocka_unit_test(a_write_marks_every_region_it_touches_once),
		cmocka_unit_test(clearing_takes_a_region_once_and_mark_all_covers_everything),
		cmocka_unit_test(concurrent_marks_and_clears_keep_the_count_true),
		cmocka_unit_test(the_state_machine_allows_only_its_four_transitions),
		cmocka_unit_test(a_file_backed_map_keeps_its_marks_across_a_reopen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
