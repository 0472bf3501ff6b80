/* Unit tests of wr-target's configuration parser (tools/config.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "internal.h"

static void a_full_configuration_parses_into_its_parts(void **state)
{
	(void)state;
	const char *text =
		"# lab target\n"
		"reactors 2\n"
		"mode busy   # comment after a value\n"
		"discovery-listener 127.0.0.1 8009\n"
		"discovery-listener ::1 8009\n"
		"subsystem nqn.2026-11.dev.windrose:lab\n"
		"  serial WR0001\n"
		"  model Windrose\n"
		"  allow-host nqn.2014-08.org.nvmexpress:uuid:00000000-0000-4000-8000-000000000001\n"
		"  allow-host nqn.2014-08.org.nvmexpress:uuid:00000000-0000-4000-8000-000000000002\n"
		"  namespace 1 ram 256M\n"
		"  namespace 2 file /tmp/x.img 1G\n"
		"  namespace 3 file /dev/nvme9n1\n"
		"  namespace 4 null 4096\n"
		"  namespace 5 ram 1G bs=4096\n"
		"  listener 127.0.0.1 4420\n"
		"\n"
		"subsystem nqn.2026-11.dev.windrose:other\n"
		"\tallow-any-host\n"
		"\tlistener 127.0.0.1 4420\n";
	struct wr_config cfg;
	char err[256] = "";
	assert_int_equal(wr_config_parse(text, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.reactors, 2);
	assert_int_equal(cfg.mode, WR_MODE_BUSY);
	assert_int_equal(cfg.ndiscovery, 2);
	assert_string_equal(cfg.discovery[1].addr, "::1");
	assert_int_equal(cfg.nsubsys, 2);
	const struct wr_cfg_subsys *s = &cfg.subsys[0];
	assert_string_equal(s->serial, "WR0001");
	assert_string_equal(s->model, "Windrose");
	assert_false(s->allow_any_host);
	assert_int_equal(s->nhosts, 2);
	assert_int_equal(s->nns, 5);
	assert_int_equal(s->ns[0].block_size, 0);
	assert_int_equal(s->ns[4].block_size, 4096);
	assert_int_equal(s->ns[4].size, 1ull << 30);
	assert_int_equal(s->ns[0].kind, WR_BDEV_KIND_RAM);
	assert_int_equal(s->ns[0].size, 256ull << 20);
	assert_int_equal(s->ns[1].kind, WR_BDEV_KIND_FILE);
	assert_string_equal(s->ns[1].path, "/tmp/x.img");
	assert_int_equal(s->ns[1].size, 1ull << 30);
	assert_int_equal(s->ns[2].size, 0);
	assert_int_equal(s->ns[3].kind, WR_BDEV_KIND_NULL);
	assert_int_equal(s->ns[3].size, 4096);
	assert_int_equal(s->nlisteners, 1);
	assert_int_equal(s->listeners[0].port, 4420);
	assert_true(cfg.subsys[1].allow_any_host);
	wr_config_free(&cfg);
}

static void expect_error(const char *text, const char *want)
{
	struct wr_config cfg;
	char err[256] = "";
	assert_int_equal(wr_config_parse(text, &cfg, err, sizeof(err)), -EINVAL);
	if (!strstr(err, want))
		fail_msg("error '%s' does not contain '%s'", err, want);
}

static void errors_name_the_line_and_what_is_wrong(void **state)
{
	(void)state;
	expect_error("reactors 0\n", "line 1: reactors needs a number from 1 to 64");
	expect_error("mode fast\n", "line 1: mode must be 'busy' or 'adaptive'");
	expect_error("\n\nnamespace 1 ram 1M\n", "line 3: 'namespace' outside a subsystem block");
	expect_error("subsystem nqn.2026-11.dev.windrose:x\n namespace 0 ram 1M\n", "line 2: NSID '0'");
	expect_error("subsystem nqn.2026-11.dev.windrose:x\n namespace 1 ram 12Q\n", "line 2: size '12Q'");
	expect_error("subsystem nqn.2026-11.dev.windrose:x\n namespace 1 disk /x\n", "unknown namespace type 'disk'");
	expect_error("subsystem nqn.2026-11.dev.windrose:x\n namespace 1 ram 1M\n namespace 1 ram 1M\n",
		     "line 3: namespace 1 is already defined on line 2");
	expect_error("subsystem nqn.2026-11.dev.windrose:x\n listener 127.0.0.1 70000\n", "line 2: port '70000'");
	expect_error("subsystem nqn.2026-11.dev.windrose:x\n listener 127.0.0.1\n", "line 2: 'listener' needs ADDR PORT");
	expect_error("subsystem nqn.2026-11.dev.windrose:x\n serial 123456789012345678901\n", "longer than 20");
	expect_error("subsystem nqn.2026-11.dev.windrose:x\n frobnicate\n", "line 2: unknown keyword 'frobnicate'");
	expect_error("subsystem nqn.2026-11.dev.windrose:x\nsubsystem nqn.2026-11.dev.windrose:x\n", "line 2: subsystem nqn.2026-11.dev.windrose:x is already defined on line 1");
	expect_error("subsystem nqn.2026-11.dev.windrose:x\n allow-any-host yes\n", "allow-any-host takes no value");
	expect_error("subsystem nqn.2026-11.dev.windrose:x\n namespace 1 ram 1M bs=3000\n", "line 2: block size 'bs=3000'");
}

static void mirror_lines_parse_and_name_bad_values(void **state)
{
	(void)state;
	const char *text =
		"subsystem nqn.2026-12.dev.windrose:a\n"
		"  namespace 1 ram 64M\n"
		"  mirror 1 10.0.0.2 4420 nqn.2026-12.dev.windrose:b 3 host=nqn.2026-12.dev.windrose:node-a "
		"timeout-ms=2000 region=4M resync-mib-s=100\n"
		"  namespace 2 ram 64M\n"
		"  mirror 2 ::1 4421 nqn.2026-12.dev.windrose:b 4 bitmap=/var/lib/windrose/ns2.bitmap\n";
	struct wr_config cfg;
	char err[256] = "";
	assert_int_equal(wr_config_parse(text, &cfg, err, sizeof(err)), 0);
	const struct wr_cfg_subsys *s = &cfg.subsys[0];
	assert_int_equal(s->nmirrors, 2);
	assert_int_equal(s->mirrors[0].nsid, 1);
	assert_string_equal(s->mirrors[0].opts.addr, "10.0.0.2");
	assert_int_equal(s->mirrors[0].opts.port, 4420);
	assert_string_equal(s->mirrors[0].opts.subnqn, "nqn.2026-12.dev.windrose:b");
	assert_int_equal(s->mirrors[0].opts.nsid, 3);
	assert_string_equal(s->mirrors[0].opts.hostnqn, "nqn.2026-12.dev.windrose:node-a");
	assert_int_equal(s->mirrors[0].opts.timeout_ms, 2000);
	assert_int_equal(s->mirrors[0].opts.region_bytes, 4u << 20);
	assert_int_equal(s->mirrors[0].opts.resync_mib_s, 100);
	assert_string_equal(s->mirrors[1].opts.hostnqn, "");   /* defaults: the library's */
	assert_int_equal(s->mirrors[1].opts.timeout_ms, 0);
	assert_string_equal(s->mirrors[1].opts.bitmap_path, "/var/lib/windrose/ns2.bitmap");
	assert_string_equal(s->mirrors[0].opts.bitmap_path, "");
	wr_config_free(&cfg);
	expect_error("subsystem nqn.2026-12.dev.windrose:a\n mirror 1 10.0.0.2 4420\n", "line 2: mirror needs NSID");
	expect_error("subsystem nqn.2026-12.dev.windrose:a\n mirror 1 10.0.0.2 4420 nqn.x 1\n", "line 2: mirror: ");
	expect_error("subsystem nqn.2026-12.dev.windrose:a\n mirror 1 h 4420 nqn.2026-12.dev.windrose:b 1 region=3000\n",
		     "'region=3000' is not");
	expect_error("subsystem nqn.2026-12.dev.windrose:a\n mirror 1 h 0 nqn.2026-12.dev.windrose:b 1\n", "port '0'");
	expect_error("subsystem nqn.2026-12.dev.windrose:a\n mirror 1 h 1 nqn.2026-12.dev.windrose:b 1\n"
		     " mirror 1 h 1 nqn.2026-12.dev.windrose:b 2\n", "line 3: namespace 1 is already mirrored on line 2");
}

/* wr-target serves what its file names: an NQN the NVMe base specification would not accept, or one
 * that would print as another (control characters, bidi overrides), stops it with the line. */
static void invalid_nqns_are_refused_with_their_line(void **state)
{
	(void)state;
	const char *rules = "not an NQN (nqn.yyyy-mm.reverse.domain:name";
	const char *bad[] = {
		"nqn.x", "iqn.2026-11.dev.windrose:x", "nqn.2026-13.dev.windrose:x", "nqn.2026-11.windrose:x",
		"nqn.2026-11.dev.windrose", "nqn.2026-11.dev.windrose:", "nqn.2026-11.-dev.windrose:x",
		"nqn.2014-08.org.nvmexpress:uuid:1", "nqn.2014-08.org.nvmexpress.discovery",
		"nqn.2026-11.dev.windrose:a\x1b[31m", "nqn.2026-11.dev.windrose:a\xe2\x80\xaetxt",
		"nqn.2026-11.dev.windrose:\xff", "nqn.2026-11.dev.windrose:\xc0\xaf",
	};
	char text[600], want[128];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "# lab\nsubsystem %s\n", bad[i]);
		snprintf(want, sizeof(want), "line 2: subsystem: %s", rules);
		expect_error(text, want);
		snprintf(text, sizeof(text), "subsystem nqn.2026-11.dev.windrose:x\n\n allow-host %s\n", bad[i]);
		snprintf(want, sizeof(want), "line 3: allow-host: %s", rules);
		expect_error(text, want);
	}
	char longest[300];
	int n = snprintf(longest, sizeof(longest), "subsystem nqn.2026-11.dev.windrose:");
	memset(longest + n, 'a', 223 - 25);
	longest[n + 223 - 25] = '\0';
	struct wr_config cfg;
	char err[256] = "";
	assert_int_equal(wr_config_parse(longest, &cfg, err, sizeof(err)), 0);
	wr_config_free(&cfg);
	strcat(longest, "a");
	expect_error(longest, "line 1: subsystem: not an NQN");
}

static void connection_limits_parse_apply_and_name_bad_values(void **state)
{
	(void)state;
	struct wr_config cfg;
	char err[256] = "";
	assert_int_equal(wr_config_parse("icreq-timeout-ms 2000\nconnect-timeout-ms 3000\n"
					 "max-connections-per-listener 64\nmax-connections-per-source 8\n"
					 "max-connections 100\nlog-rate 20 60\n", &cfg, err, sizeof(err)), 0);
	assert_int_equal(wr_config_set_limit(&cfg, "max-connections-per-source", "4", 0, err, sizeof(err)), 0);
	assert_int_equal(wr_config_set_limit(&cfg, "max-sockets", "4", 0, err, sizeof(err)), -ENOENT);
	struct wr_target *t;
	assert_int_equal(wr_target_create(1, WR_MODE_ADAPTIVE, NULL, &t), 0);
	assert_int_equal(wr_config_apply(&cfg, t, err, sizeof(err)), 0);
	assert_int_equal(wr_target_get_limit(t, WR_LIMIT_ICREQ_TIMEOUT_MS), 2000);
	assert_int_equal(wr_target_get_limit(t, WR_LIMIT_CONNECT_TIMEOUT_MS), 3000);
	assert_int_equal(wr_target_get_limit(t, WR_LIMIT_CONNS_PER_LISTENER), 64);
	assert_int_equal(wr_target_get_limit(t, WR_LIMIT_CONNS_PER_SOURCE), 4);   /* the override */
	assert_int_equal(wr_target_get_limit(t, WR_LIMIT_CONNS_TOTAL), 100);
	wr_target_destroy(t);
	wr_config_free(&cfg);
	expect_error("icreq-timeout-ms 50\n", "line 1: icreq-timeout-ms needs a number from 100 to 600000");
	expect_error("\nmax-connections-per-source 0\n", "line 2: max-connections-per-source needs a number from 1");
	expect_error("max-connections-per-host 3\n", "line 1: unknown limit 'max-connections-per-host'");
	expect_error("log-rate 20\n", "line 1: log-rate needs BURST and PER_MINUTE");
}

/* nvme gen-dhchap-key output (see test_auth.c) */
#define SECRET_A "DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:"
#define SECRET_B "DHHC-1:00:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9gYWJjZGVmZ2hpamtsbW5voBXMjQ==:"
#define SECRET_C "DHHC-1:01:bOHk6jHoMxpP5YJr/eF6XNOGuPAzh0iRniebpsVb9ydqVuR5:"
#define HOST_1 "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-4000-8000-000000000001"

static void dhchap_secrets_and_policy_parse_apply_and_name_bad_values(void **state)
{
	(void)state;
	const char *text =
		"subsystem nqn.2026-11.dev.windrose:auth\n"
		"  allow-host " HOST_1 "\n"
		"  dhchap-secret " HOST_1 " " SECRET_A " ctrl=" SECRET_B " previous=" SECRET_C "\n"
		"  dhchap-policy hashes=sha384,sha512 dhgroups=null,ffdhe3072\n";
	struct wr_config cfg;
	char err[256] = "";
	assert_int_equal(wr_config_parse(text, &cfg, err, sizeof(err)), 0);
	const struct wr_cfg_subsys *s = &cfg.subsys[0];
	assert_int_equal(s->ndhchap, 1);
	assert_string_equal(s->dhchap[0].secret, SECRET_A);
	assert_string_equal(s->dhchap[0].ctrl_secret, SECRET_B);
	assert_string_equal(s->dhchap[0].prev_secret, SECRET_C);
	assert_int_equal(s->dhchap_hashes, WR_DHCHAP_HASH_SHA384 | WR_DHCHAP_HASH_SHA512);
	assert_int_equal(s->dhchap_dhgroups, WR_DHCHAP_DH_NULL | WR_DHCHAP_DH_FFDHE3072);

	struct wr_target *t;
	assert_int_equal(wr_target_create(1, WR_MODE_ADAPTIVE, NULL, &t), 0);
	assert_int_equal(wr_config_apply(&cfg, t, err, sizeof(err)), 0);
	const struct wr_subsys *ts = wr_subsys_find(t, WR_NAME("nqn.2026-11.dev.windrose:auth"));
	assert_non_null(ts);
	assert_int_equal(ts->dhchap_hashes, WR_DHCHAP_HASH_SHA384 | WR_DHCHAP_HASH_SHA512);
	assert_int_equal(ts->dhchap_dhgroups, WR_DHCHAP_DH_NULL | WR_DHCHAP_DH_FFDHE3072);
	const struct wr_host *h = wr_subsys_host_find(ts, WR_NAME(HOST_1));
	assert_non_null(h);
	assert_int_equal(h->key.len, 32);
	assert_int_equal(h->key.bytes[31], 31);
	assert_int_equal(h->ctrl_key.len, 48);
	assert_int_equal(h->prev_key.hash, 1);
	wr_target_destroy(t);
	wr_config_free(&cfg);

	/* a secret for a host that is not allowed is an error of that line */
	assert_int_equal(wr_config_parse("subsystem nqn.2026-11.dev.windrose:auth\n"
					 "  dhchap-secret " HOST_1 " " SECRET_A "\n", &cfg, err, sizeof(err)), 0);
	assert_int_equal(wr_target_create(1, WR_MODE_ADAPTIVE, NULL, &t), 0);
	assert_int_equal(wr_config_apply(&cfg, t, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "line 2: dhchap-secret " HOST_1 ": the host is not allowed"));
	wr_target_destroy(t);
	wr_config_free(&cfg);

	const char *sub = "subsystem nqn.2026-11.dev.windrose:auth\n";
	char text2[1024];
	snprintf(text2, sizeof(text2), "%s dhchap-secret " HOST_1 "\n", sub);
	expect_error(text2, "line 2: dhchap-secret needs HOSTNQN SECRET");
	snprintf(text2, sizeof(text2), "%s dhchap-secret " HOST_1 " DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh6KfiaR:\n", sub);
	expect_error(text2, "line 2: dhchap-secret: the host secret is not a DHHC-1 secret");
	expect_error(text2, "its CRC does not match");
	/* the secret never appears in the error */
	struct wr_config c2;
	assert_int_equal(wr_config_parse(text2, &c2, err, sizeof(err)), -EINVAL);
	assert_null(strstr(err, "AAECAwQF"));
	snprintf(text2, sizeof(text2), "%s dhchap-secret " HOST_1 " " SECRET_A " ctrl=DHHC-1:00:AA==:\n", sub);
	expect_error(text2, "the controller secret is not a DHHC-1 secret");
	snprintf(text2, sizeof(text2), "%s dhchap-secret " HOST_1 " " SECRET_A " key=" SECRET_B "\n", sub);
	expect_error(text2, "'key' is neither ctrl= nor previous=");
	snprintf(text2, sizeof(text2), "%s dhchap-secret " HOST_1 " " SECRET_A "\n dhchap-secret " HOST_1 " " SECRET_B "\n", sub);
	expect_error(text2, "line 3: dhchap-secret: host " HOST_1 " already has one on line 2");
	snprintf(text2, sizeof(text2), "%s dhchap-policy hashes=md5\n", sub);
	expect_error(text2, "line 2: dhchap-policy: hashes are sha256, sha384, sha512");
	snprintf(text2, sizeof(text2), "%s dhchap-policy dhgroups=ffdhe1024\n", sub);
	expect_error(text2, "line 2: dhchap-policy: DH groups are null");
	snprintf(text2, sizeof(text2), "%s dhchap-policy\n", sub);
	expect_error(text2, "line 2: dhchap-policy needs hashes=");
	snprintf(text2, sizeof(text2), "%s dhchap-policy hashes=sha256\n dhchap-policy hashes=sha512\n", sub);
	expect_error(text2, "line 3: dhchap-policy is already given on line 2");
}

static void sizes_accept_binary_suffixes_only(void **state)
{
	(void)state;
	uint64_t v;
	assert_int_equal(wr_parse_size("512", &v), 0);
	assert_int_equal(v, 512);
	assert_int_equal(wr_parse_size("64K", &v), 0);
	assert_int_equal(v, 65536);
	assert_int_equal(wr_parse_size("1g", &v), 0);
	assert_int_equal(v, 1ull << 30);
	assert_int_equal(wr_parse_size("2GiB", &v), 0);
	assert_int_equal(v, 2ull << 30);
	assert_int_equal(wr_parse_size("1T", &v), 0);
	assert_int_equal(v, 1ull << 40);
	assert_int_equal(wr_parse_size("1.5G", &v), -EINVAL);
	assert_int_equal(wr_parse_size("-1", &v), -EINVAL);
	assert_int_equal(wr_parse_size("G", &v), -EINVAL);
	assert_int_equal(wr_parse_size("99999999999999999999", &v), -EINVAL);
	assert_int_equal(wr_parse_size("17179869184T", &v), -EINVAL);
}

static void ana_states_cntlid_range_and_anatt_parse_and_name_bad_values(void **state)
{
	(void)state;
	struct wr_config cfg;
	char err[256] = "";
	assert_int_equal(wr_config_parse("cntlid-range 100 199\nanatt-s 3\n"
					 "subsystem nqn.2026-11.dev.windrose:x\n"
					 " listener 127.0.0.1 4420\n"
					 " ana-state 127.0.0.1 4420 1 non-optimized\n"
					 " ana-state 127.0.0.1 4420 2 change\n", &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.cntlid_min, 100);
	assert_int_equal(cfg.cntlid_max, 199);
	assert_true(cfg.limit_set & (1u << WR_LIMIT_ANATT_S));
	assert_int_equal(cfg.limits[WR_LIMIT_ANATT_S], 3);
	assert_int_equal(cfg.subsys[0].nana, 2);
	assert_int_equal(cfg.subsys[0].ana[0].state, 2);
	assert_int_equal(cfg.subsys[0].ana[1].group, 2);
	assert_int_equal(cfg.subsys[0].ana[1].state, 15);
	assert_int_equal(cfg.subsys[0].ana[1].port, 4420);
	wr_config_free(&cfg);
	expect_error("cntlid-range 200 100\n", "line 1: cntlid-range needs MIN MAX");
	expect_error("cntlid-range 0 100\n", "line 1: cntlid-range needs MIN MAX");
	expect_error("cntlid-range 1 65520\n", "line 1: cntlid-range needs MIN MAX");
	expect_error("anatt-s 256\n", "line 1: anatt-s needs a number from 1 to 255");
	expect_error("subsystem nqn.2026-11.dev.windrose:x\n ana-state 127.0.0.1 4420 17 optimized\n",
		     "line 2: ana-state: the group is a number from 1 to 16");
	expect_error("subsystem nqn.2026-11.dev.windrose:x\n ana-state 127.0.0.1 4420 1 standby\n",
		     "line 2: ana-state: the state is optimized");
	expect_error("subsystem nqn.2026-11.dev.windrose:x\n ana-state 127.0.0.1 4420\n",
		     "line 2: ana-state needs ADDR PORT GROUP STATE");
}

#define TLS_PSK "NVMeTLSkey-1:01:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWwNf9LrZ:"

static void tls_listeners_and_psks_parse_apply_and_name_bad_values(void **state)
{
	(void)state;
	const char *text =
		"subsystem nqn.2026-11.dev.windrose:tls\n"
		"  allow-host " HOST_1 "\n"
		"  tls-psk " HOST_1 " " TLS_PSK " derive=rfc8446\n"
		"  listener 127.0.0.1 0 tls=required\n"
		"  listener 127.0.0.1 0 tls=not-required\n"
		"  listener 127.0.0.1 0\n";
	struct wr_config cfg;
	char err[256] = "";
	assert_int_equal(wr_config_parse(text, &cfg, err, sizeof(err)), 0);
	const struct wr_cfg_subsys *s = &cfg.subsys[0];
	assert_int_equal(s->ntls_psks, 1);
	assert_string_equal(s->tls_psks[0].psk, TLS_PSK);
	assert_int_equal(s->tls_psks[0].form, WR_TLS_FORM_RFC8446);
	assert_int_equal(s->listeners[0].tls, WR_TLS_REQUIRED);
	assert_int_equal(s->listeners[1].tls, WR_TLS_NOT_REQUIRED);
	assert_int_equal(s->listeners[2].tls, -1);
	struct wr_target *t;
	assert_int_equal(wr_target_create(1, WR_MODE_ADAPTIVE, NULL, &t), 0);
	assert_int_equal(wr_config_apply(&cfg, t, err, sizeof(err)), 0);
	const struct wr_subsys *ts = wr_subsys_find(t, WR_NAME("nqn.2026-11.dev.windrose:tls"));
	const struct wr_host *h = wr_subsys_host_find(ts, WR_NAME(HOST_1));
	assert_non_null(h);
	assert_int_equal(h->tls.len, 32);
	assert_int_equal(h->tls.cipher, 1);
	assert_int_equal(h->tls.v0_form, WR_TLS_FORM_RFC8446);
	int modes[3] = { -1, -1, -1 }, i = 0;
	for (const struct wr_listener *l = ts->listeners; l && i < 3; l = l->next, i++)
		modes[i] = wr_port_get_tls(t, "127.0.0.1", l->port->port);
	/* listeners are listed newest first */
	assert_int_equal(modes[0], WR_TLS_NONE);
	assert_int_equal(modes[1], WR_TLS_NOT_REQUIRED);
	assert_int_equal(modes[2], WR_TLS_REQUIRED);
	wr_target_destroy(t);
	wr_config_free(&cfg);

	const char *sub = "subsystem nqn.2026-11.dev.windrose:tls\n";
	char text2[1024];
	snprintf(text2, sizeof(text2), "%s listener 127.0.0.1 4420 tls=yes\n", sub);
	expect_error(text2, "line 2: listener: 'tls=yes' is not tls=required");
	snprintf(text2, sizeof(text2), "%s tls-psk " HOST_1 "\n", sub);
	expect_error(text2, "line 2: tls-psk needs HOSTNQN PSK");
	snprintf(text2, sizeof(text2), "%s tls-psk " HOST_1 " " TLS_PSK " derive=spdk\n", sub);
	expect_error(text2, "line 2: tls-psk: 'derive' is not derive=libnvme or derive=rfc8446");
	snprintf(text2, sizeof(text2), "%s tls-psk " HOST_1 " NVMeTLSkey-1:01:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWwNf9Lra:\n", sub);
	expect_error(text2, "line 2: tls-psk: the PSK is not in the interchange format");
	expect_error(text2, "its CRC does not match");
	struct wr_config c2;
	assert_int_equal(wr_config_parse(text2, &c2, err, sizeof(err)), -EINVAL);
	assert_null(strstr(err, "VRLbtn"));
	snprintf(text2, sizeof(text2), "%s tls-psk " HOST_1 " " TLS_PSK "\n tls-psk " HOST_1 " " TLS_PSK "\n", sub);
	expect_error(text2, "line 3: tls-psk: host " HOST_1 " already has one on line 2");
	/* a PSK for a host that is not allowed is an error of that line */
	assert_int_equal(wr_config_parse("subsystem nqn.2026-11.dev.windrose:tls\n"
					 "  tls-psk " HOST_1 " " TLS_PSK "\n", &cfg, err, sizeof(err)), 0);
	assert_int_equal(wr_target_create(1, WR_MODE_ADAPTIVE, NULL, &t), 0);
	assert_int_equal(wr_config_apply(&cfg, t, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "line 2: tls-psk " HOST_1 ": the host is not allowed"));
	wr_target_destroy(t);
	wr_config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_full_configuration_parses_into_its_parts),
		cmocka_unit_test(errors_name_the_line_and_what_is_wrong),
		cmocka_unit_test(invalid_nqns_are_refused_with_their_line),
		cmocka_unit_test(sizes_accept_binary_suffixes_only),
		cmocka_unit_test(connection_limits_parse_apply_and_name_bad_values),
		cmocka_unit_test(ana_states_cntlid_range_and_anatt_parse_and_name_bad_values),
		cmocka_unit_test(mirror_lines_parse_and_name_bad_values),
		cmocka_unit_test(dhchap_secrets_and_policy_parse_apply_and_name_bad_values),
		cmocka_unit_test(tls_listeners_and_psks_parse_apply_and_name_bad_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
