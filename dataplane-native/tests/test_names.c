/* Unit tests of wr_nqn_check (src/names.c): the NVMe base specification's NQN forms, and the
 * characters no name may hold. The cases mirror the console's NqnTest, so both layers agree. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "windrose.h"

static void names_of_both_forms_and_the_discovery_nqn_are_accepted(void **state)
{
	(void)state;
	const char *good[] = {
		"nqn.2026-01.dev.windrose:alpha",
		"nqn.2014-08.org.nvmexpress:uuid:0f0e0d0c-0b0a-0908-0706-050403020100",
		"nqn.2014-08.org.nvmexpress:uuid:0F0E0D0C-0B0A-0908-0706-050403020100",
		"nqn.1992-05.com.example-storage.lab:subsystem/one",
		"nqn.2000-12.io.spdk:cnode1",
		"NQN.2026-01.Dev.Windrose:Alpha",
		"nqn.2026-12.dev.example:stockage-\xc3\xa9",          /* é */
		"nqn.2026-12.dev.example:it's$(x)`y`;z",              /* the shell quotes, not the NQN rules */
		"nqn.2014-08.org.nvmexpress.discovery",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (wr_nqn_check(WR_NAME(good[i])) != 0)
			fail_msg("'%s' was refused", good[i]);
}

static void malformed_names_are_refused(void **state)
{
	(void)state;
	const char *bad[] = {
		"", "iqn.2026-01.dev.windrose:alpha", "nqn.2026-13.dev.windrose:alpha",
		"nqn.2026-00.dev.windrose:alpha", "nqn.26-01.dev.windrose:alpha", "nqn.2026-01.windrose:alpha",
		"nqn.2026-01.dev.windrose", "nqn.2026-01.dev.windrose:", "nqn.2026-01.dev.windrose:has space",
		"nqn.2026-01.-dev.windrose:a", "nqn.2026-01.dev-.windrose:a", "nqn.2026-01.dev..windrose:a",
		"nqn.2026-01.dev_x.windrose:a", "nqn.2014-08.org.nvmexpress:uuid:not-a-uuid",
		"nqn.2014-08.org.nvmexpress:uuid:0f0e0d0c0b0a090807060504030201000000",
		"nqn.2014-08.org.nvmexpress:uuid:0f0e0d0c-0b0a-0908-0706-05040302010g",
		"nqn.2014-08.org.nvmexpress.discoveryx",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (wr_nqn_check(WR_NAME(bad[i])) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
}

/* A NUL inside the length, control characters, line separators, bidi overrides and malformed
 * UTF-8 are refused wherever they are; they would cut the name short in C, forge log lines or
 * show another name than the one stored. */
static void forbidden_characters_and_malformed_utf8_are_refused(void **state)
{
	(void)state;
	static const struct {
		const char *bytes;
		uint32_t len;
	} bad[] = {
#define B(s) { s, sizeof(s) - 1 }
		B("nqn.2026-12.dev.example:twin\0evil"), B("nqn.2026-12.dev.example:h\0x"),
		B("nqn.2026-12.dev.example:twin\0"), B("nqn.2026-12.dev.example:a\rb"),
		B("nqn.2026-12.dev.example:a\nb"), B("nqn.2026-12.dev.example:a\tb"),
		B("nqn.2026-12.dev.example:a\x1b[31m"), B("nqn.2026-12.dev.example:a\x7f"),
		B("nqn.2026-12.dev.example:a\xc2\x85"),             /* NEL, a C1 control */
		B("nqn.2026-12.dev.example:a\xe2\x80\xa8"),         /* LINE SEPARATOR */
		B("nqn.2026-12.dev.example:a\xe2\x80\xaegnp.exe"),  /* RIGHT-TO-LEFT OVERRIDE */
		B("nqn.2026-12.dev.example:a\xe2\x81\xa6"),         /* LEFT-TO-RIGHT ISOLATE */
		B("nqn.2026-12.dev.example:a\xff"), B("nqn.2026-12.dev.example:a\xc0\xaf"),  /* overlong '/' */
		B("nqn.2026-12.dev.example:a\xed\xa0\x80"),         /* a surrogate */
		B("nqn.2026-12.dev.example:a\xf4\x90\x80\x80"),     /* beyond U+10FFFF */
		B("nqn.2026-12.dev.example:a\xe2\x80"),             /* cut short */
#undef B
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (wr_nqn_check(bad[i].bytes, bad[i].len) != -EINVAL)
			fail_msg("case %zu was accepted", i);
	assert_int_equal(wr_nqn_check(NULL, 5), -EINVAL);
}

static void length_is_counted_in_bytes_up_to_223(void **state)
{
	(void)state;
	char name[300] = "nqn.2026-01.dev.windrose:";
	size_t prefix = strlen(name);
	memset(name + prefix, 'a', 223 - prefix);
	assert_int_equal(wr_nqn_check(name, 223), 0);
	name[223] = 'a';
	assert_int_equal(wr_nqn_check(name, 224), -EINVAL);
	/* two-byte characters count twice: 99 x "é" after the prefix is 223 bytes, 100 is 225 */
	for (size_t i = 0; i < 100; i++)
		memcpy(name + prefix + 2 * i, "\xc3\xa9", 2);
	assert_int_equal(wr_nqn_check(name, (uint32_t)(prefix + 2 * 99)), 0);
	assert_int_equal(wr_nqn_check(name, (uint32_t)(prefix + 2 * 100)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_of_both_forms_and_the_discovery_nqn_are_accepted),
		cmocka_unit_test(malformed_names_are_refused),
		cmocka_unit_test(forbidden_characters_and_malformed_utf8_are_refused),
		cmocka_unit_test(length_is_counted_in_bytes_up_to_223),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
