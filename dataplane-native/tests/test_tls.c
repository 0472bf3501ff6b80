/*
 * test_tls.c - the NVMe/TCP secure channel (issue 17): TLS PSKs in the interchange format, the
 * retained PSK, PSK identities and the TLS PSK derived from them, and TLS 1.3 sessions with a
 * live target (a PSK client as tlshd is for the Linux host).
 *
 * Known answers. The interchange strings are libnvme's published vectors (linux-nvme/libnvme
 * test/psk.c: the configured PSK 55 12 DB B6 ... 5B 03 of the NVMe TCP transport specification's
 * example, as "NVMeTLSkey-1:00/01:" and, extended to 48 bytes, "NVMeTLSkey-1:02:"). The derived
 * values were computed independently of this code with Python's hmac/hashlib (RFC 5869 HKDF,
 * RFC 8446 HKDF-Expand-Label), this program:
 *
 *   import hmac, hashlib, base64, struct
 *   def extract(h, ikm): return hmac.new(b"\0" * h().digest_size, ikm, h).digest()
 *   def expand(h, prk, info, L):
 *       out = t = b""; i = 1
 *       while len(out) < L: t = hmac.new(prk, t + info + bytes([i]), h).digest(); out += t; i += 1
 *       return out[:L]
 *   def label(L, lab, ctx):
 *       full = b"tls13 " + lab
 *       return struct.pack(">H", L) + bytes([len(full)]) + full + bytes([len(ctx)]) + ctx
 *   retained = expand(h, extract(h, cfg), label(len(cfg), b"HostNQN", host), len(cfg))
 *   digest = base64.b64encode(hmac.new(retained, host + b" " + sub + b" NVMe-over-Fabrics", h).digest())
 *   tls_v0 = expand(h, extract(h, retained), label(L, b"nvme-tls-psk", b"NVMe0R01 " + host + b" " + sub), L)
 *   tls_v1 = expand(h, extract(h, retained), label(L, b"nvme-tls-psk", b"01 " + digest), L)
 *
 * and for libnvme's form (WR_TLS_FORM_LIBNVME) the same with
 *
 *   def label(L, lab, ctx): return struct.pack("<H", L) + b"tls13 " + lab + ctx
 *
 * The libnvme-form digests (LIB_DIG256, LIB_DIG384) are also what Debian trixie's nvme-cli 2.13
 * prints for these keys: `nvme check-tls-key -d PSK_01 -n HOST -c SUB -I 1` answers
 * "NVMe1R01 HOST SUB 6VY8CnVQRZSFGcAvN4E40Sq7TP23YCEo2eNZtzPibLA=" (and PSK_02 with -I 1
 * "NVMe1R02 ... r7a6h3Dd...1X/"): the form Linux hosts derive today.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "host.h"
#include "internal.h"

#define HOST "nqn.2014-08.org.nvmexpress:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"
#define SUB "nqn.2023-01.dev.windrose:tls"
#define OTHER_HOST "nqn.2014-08.org.nvmexpress:uuid:99999999-2222-3333-4444-555555555555"

#define PSK_00 "NVMeTLSkey-1:00:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWwNf9LrZ:"
#define PSK_01 "NVMeTLSkey-1:01:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWwNf9LrZ:"
#define PSK_02 "NVMeTLSkey-1:02:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWwP/w0S89ELi3W2LxIcLXVsDn8kXZQ==:"
#define CFG_HEX "5512dbb6737d0106f65975b773dfb011ffc344bcf442e2dd6d8bc4870b5d5b03"
#define CFG48_HEX CFG_HEX "ffc344bcf442e2dd6d8bc4870b5d5b03"

#define RET256 "f0af1bc718d4f23bdd7c1683a3d79bd953ea789d106a0f5207bb574bbe5446ce"
#define TLS256_V0 "35d48942f3f9300cebec664f86db8cfce061b100c12cb12bf67c43d39eca23d1"
#define DIG256 "NVADb0uLZ8YlcMejf/pLwmlaKsiLfz5CtSloDMM28F0="
#define TLS256_V1 "bc446df37c678f263529e4b12489c719763de89a93e33d56e74d8a31a87fa5bb"
#define TLS256_UNTRANSFORMED_V0 "8c860597f6ab1209b9d08e31f3160dba9f22c9ba2d6ca2d26ee59ebd6c15b00e"
#define RET384 "e42f24faf45337718cfd5068c928d40d4d22b7a915a47bc50280933f9530c5d64980ecfefb890b0b59016a3781c6b93e"
#define TLS384_V0 "aa0cdaceaf1aafaba026b50620e6c77ec42bd2a6c4f1ee9b9357badf8f22f1468885c05044741d11a927986228ea478a"
#define DIG384 "YuzKLjjEuMyDb2kYCoc9qHjegsUbOjIwR+i6pGfjtuYs9l6yWF6pja03ebXRSJZP"
#define TLS384_V1 "738d15e7a4cd3ccd5e21d251834feae30cc56a467bdd79e07783d665885d599e002ddc8614f876d55ab89495faa5907a"

#define LIB_RET256 "c8304c516f121bc4cd37c9d434635c70ed18c8809004448c3d7ff17b8265ac5e"
#define LIB_DIG256 "6VY8CnVQRZSFGcAvN4E40Sq7TP23YCEo2eNZtzPibLA="
#define LIB_TLS256_V0 "723088a5e5b41517bbd9bf4e505594e7ea4bf00b383c6899cce7164f9797a9e4"
#define LIB_TLS256_V1 "d1ff9dd7ffcb82a12f32e2361277a69f3f2e3646fb9ef14d3cb49be2b45bfee2"
#define LIB_RET384 "09f7fc62e97110b0e54749daac3c7a7923623bb7c9ad5f4dcb3ba5a5f541dd80c95f42eb3240601b3db14121761b5f34"
#define LIB_DIG384 "r7a6h3DdBKeQAmasOSFXWWCumkzv8Sc6QaNy5w30Y4v8duNCU0q0yw9wro4aJ1X/"
#define LIB_TLS384_V0 "994f4cf35d6415eeee2f7ffa310e0e99d0db4b324f9fb2ceeebbdf46cac58db3ad727ade159f811a4fd106a8d05d789f"
#define LIB_TLS384_V1 "bd9f0d0989870db5a0b9c8357276a012c10484f4d2c25b245d138c5daeb1ef3683f9b541e03d819368002842092c889d"

static void hex(const char *s, uint8_t *out, size_t n)
{
	assert_int_equal(strlen(s), 2 * n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(sscanf(s + 2 * i, "%2hhx", &out[i]), 1);
}

/* --------------------------------------------------------------------------------------------- */
static void interchange_psks_libnvme_publishes_are_decoded(void **state)
{
	(void)state;
	uint8_t key[48], want[48], hmac = 9, len = 0;
	hex(CFG48_HEX, want, 48);
	assert_int_equal(wr_tls_psk_parse(PSK_01, &hmac, key, &len), 0);
	assert_int_equal(hmac, 1);
	assert_int_equal(len, 32);
	assert_memory_equal(key, want, 32);
	assert_int_equal(wr_tls_psk_parse(PSK_00, &hmac, key, &len), 0);
	assert_int_equal(hmac, 0);
	assert_int_equal(len, 32);
	assert_int_equal(wr_tls_psk_parse(PSK_02, &hmac, key, &len), 0);
	assert_int_equal(hmac, 2);
	assert_int_equal(len, 48);
	assert_memory_equal(key, want, 48);
}

static void malformed_psks_are_refused_with_their_reason(void **state)
{
	(void)state;
	assert_int_equal(wr_tls_psk_check(NULL), -EINVAL);
	assert_int_equal(wr_tls_psk_check(""), -EINVAL);
	assert_int_equal(wr_tls_psk_check("DHHC-1:01:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWwNf9LrZ:"), -EINVAL);
	assert_int_equal(wr_tls_psk_check("NVMeTLSkey-1:03:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWwNf9LrZ:"), -EINVAL);
	/* the final ':' belongs to the format */
	assert_int_equal(wr_tls_psk_check("NVMeTLSkey-1:01:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWwNf9LrZ"), -EINVAL);
	assert_int_equal(wr_tls_psk_check("NVMeTLSkey-1:01:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWw?f9LrZ:"), -EINVAL);
	/* one character changed: the CRC-32 says so */
	assert_int_equal(wr_tls_psk_check("NVMeTLSkey-1:01:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWwNf9Lra:"), -EBADMSG);
	/* SHA-256 takes a 32-byte PSK, SHA-384 a 48-byte one */
	assert_int_equal(wr_tls_psk_check("NVMeTLSkey-1:01:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWwP/w0S89ELi3W2LxIcLXVsDn8kXZQ==:"), -EMSGSIZE);
	assert_int_equal(wr_tls_psk_check("NVMeTLSkey-1:02:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWwNf9LrZ:"), -EMSGSIZE);
	char longer[200];
	memset(longer, 'A', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	memcpy(longer, "NVMeTLSkey-1:01:", 16);
	assert_int_equal(wr_tls_psk_check(longer), -EMSGSIZE);
}

static void generated_psks_are_valid_and_differ(void **state)
{
	(void)state;
	char a[WR_TLS_PSK_MAX_LEN], b[WR_TLS_PSK_MAX_LEN];
	int n = wr_tls_psk_generate(1, a, sizeof(a));
	assert_int_equal(n, (int)strlen(a));
	assert_int_equal(n, 16 + 48 + 1);
	assert_int_equal(strncmp(a, "NVMeTLSkey-1:01:", 16), 0);
	assert_int_equal(wr_tls_psk_check(a), 0);
	assert_true(wr_tls_psk_generate(1, b, sizeof(b)) > 0);
	assert_string_not_equal(a, b);
	n = wr_tls_psk_generate(2, a, sizeof(a));
	assert_int_equal(n, 16 + 72 + 1);
	assert_int_equal(wr_tls_psk_check(a), 0);
	assert_int_equal(wr_tls_psk_generate(0, a, sizeof(a)), -EINVAL);
	assert_int_equal(wr_tls_psk_generate(1, a, 40), -EMSGSIZE);
}

/* One form, one hash: retained PSK, digest, the TLS PSKs of both identity versions. */
static void check_form(int form, uint8_t cipher, const uint8_t *cfg, uint8_t len, const char *ret_hex,
		       const char *dig, const char *v0_hex, const char *v1_hex)
{
	uint8_t retained[48], got[48], want[48];
	char digest[80], id0[300], ctx1[90];
	snprintf(id0, sizeof(id0), "NVMe0R0%u " HOST " " SUB, cipher);
	snprintf(ctx1, sizeof(ctx1), "0%u %s", cipher, dig);
	assert_int_equal(wr_tls_retained(form, cipher, cfg, len, WR_NAME(HOST), retained), 0);
	hex(ret_hex, want, len);
	assert_memory_equal(retained, want, len);
	assert_int_equal(wr_tls_digest(cipher, retained, len, WR_NAME(HOST), WR_NAME(SUB), digest, sizeof(digest)), 0);
	assert_string_equal(digest, dig);
	assert_int_equal(wr_tls_derive_psk(form, cipher, retained, len, id0, strlen(id0), got), 0);
	hex(v0_hex, want, len);
	assert_memory_equal(got, want, len);
	assert_int_equal(wr_tls_derive_psk(form, cipher, retained, len, ctx1, strlen(ctx1), got), 0);
	hex(v1_hex, want, len);
	assert_memory_equal(got, want, len);
}

static void derivations_match_the_independent_computation(void **state)
{
	(void)state;
	uint8_t cfg[48], want[48], got[48];
	hex(CFG48_HEX, cfg, 48);
	check_form(WR_TLS_FORM_RFC8446, 1, cfg, 32, RET256, DIG256, TLS256_V0, TLS256_V1);
	check_form(WR_TLS_FORM_RFC8446, 2, cfg, 48, RET384, DIG384, TLS384_V0, TLS384_V1);
	check_form(WR_TLS_FORM_LIBNVME, 1, cfg, 32, LIB_RET256, LIB_DIG256, LIB_TLS256_V0, LIB_TLS256_V1);
	check_form(WR_TLS_FORM_LIBNVME, 2, cfg, 48, LIB_RET384, LIB_DIG384, LIB_TLS384_V0, LIB_TLS384_V1);
	/* hash 00: the configured PSK is the retained one */
	static const char id0[] = "NVMe0R01 " HOST " " SUB;
	assert_int_equal(wr_tls_retained(WR_TLS_FORM_RFC8446, 0, cfg, 32, WR_NAME(HOST), got), 0);
	assert_memory_equal(got, cfg, 32);
	assert_int_equal(wr_tls_derive_psk(WR_TLS_FORM_RFC8446, 1, cfg, 32, id0, strlen(id0), got), 0);
	hex(TLS256_UNTRANSFORMED_V0, want, 32);
	assert_memory_equal(got, want, 32);
}

static void identities_the_linux_host_offers_are_parsed_and_others_refused(void **state)
{
	(void)state;
	struct wr_tls_identity id;
	assert_int_equal(wr_tls_identity_parse(WR_NAME("NVMe0R01 " HOST " " SUB), &id), 0);
	assert_int_equal(id.version, 0);
	assert_int_equal(id.cipher, 1);
	assert_int_equal(id.hostnqn_len, strlen(HOST));
	assert_memory_equal(id.hostnqn, HOST, strlen(HOST));
	assert_int_equal(id.subnqn_len, strlen(SUB));
	assert_memory_equal(id.subnqn, SUB, strlen(SUB));
	assert_int_equal(wr_tls_identity_parse(WR_NAME("NVMe1R02 " HOST " " SUB " " DIG384), &id), 0);
	assert_int_equal(id.version, 1);
	assert_int_equal(id.cipher, 2);
	assert_int_equal(id.digest_len, strlen(DIG384));
	static const char *const bad[] = {
		"NVMe0G01 " HOST " " SUB,            /* generated PSKs are not offered */
		"NVMe2R01 " HOST " " SUB,
		"NVMe0R03 " HOST " " SUB,
		"NVMe0R01 " HOST,
		"NVMe0R01 " HOST " " SUB " extra",
		"NVMe1R01 " HOST " " SUB,            /* version 1 needs its digest */
		"NVMe0R01  " HOST " " SUB,
		"NVMe0R01 nqn.bad " SUB,
		"NVMe0R01",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(wr_tls_identity_parse(bad[i], strlen(bad[i]), &id), -EINVAL);
}

static void the_digest_picks_the_form_and_a_wrong_hash_or_digest_is_refused(void **state)
{
	(void)state;
	struct wr_tls_key k;
	struct wr_tls_identity id;
	uint8_t out[48], want[48];
	const char *why = NULL;
	assert_int_equal(wr_tls_key_set(&k, PSK_01, WR_NAME(HOST), WR_TLS_FORM_LIBNVME), 0);
	static const char i2[] = "NVMe0R02 " HOST " " SUB;
	assert_int_equal(wr_tls_identity_parse(WR_NAME(i2), &id), 0);
	assert_int_equal(wr_tls_psk_for_identity(&k, WR_NAME(i2), &id, out, &why), -EKEYREJECTED);
	assert_non_null(why);
	static const char bad_digest[] = "NVMe1R01 " HOST " " SUB " " DIG384;
	assert_int_equal(wr_tls_identity_parse(WR_NAME(bad_digest), &id), 0);
	assert_int_equal(wr_tls_psk_for_identity(&k, WR_NAME(bad_digest), &id, out, &why), -EKEYREJECTED);
	/* version 1: either form, whatever the host's v0 form is */
	static const char rfc[] = "NVMe1R01 " HOST " " SUB " " DIG256;
	assert_int_equal(wr_tls_identity_parse(WR_NAME(rfc), &id), 0);
	assert_int_equal(wr_tls_psk_for_identity(&k, WR_NAME(rfc), &id, out, &why), 0);
	hex(TLS256_V1, want, 32);
	assert_memory_equal(out, want, 32);
	static const char lib[] = "NVMe1R01 " HOST " " SUB " " LIB_DIG256;
	assert_int_equal(wr_tls_identity_parse(WR_NAME(lib), &id), 0);
	assert_int_equal(wr_tls_psk_for_identity(&k, WR_NAME(lib), &id, out, &why), 0);
	hex(LIB_TLS256_V1, want, 32);
	assert_memory_equal(out, want, 32);
	/* version 0: the configured form */
	static const char v0[] = "NVMe0R01 " HOST " " SUB;
	assert_int_equal(wr_tls_identity_parse(WR_NAME(v0), &id), 0);
	assert_int_equal(wr_tls_psk_for_identity(&k, WR_NAME(v0), &id, out, &why), 0);
	hex(LIB_TLS256_V0, want, 32);
	assert_memory_equal(out, want, 32);
	assert_int_equal(wr_tls_key_set(&k, PSK_01, WR_NAME(HOST), WR_TLS_FORM_RFC8446), 0);
	assert_int_equal(wr_tls_psk_for_identity(&k, WR_NAME(v0), &id, out, &why), 0);
	hex(TLS256_V0, want, 32);
	assert_memory_equal(out, want, 32);
	assert_int_equal(wr_tls_key_set(&k, PSK_01, WR_NAME(HOST), 2), -EINVAL);
}

/* ---------------------------------------------------------------------------------------------
 * A live target: one port that requires TLS, one that takes both
 * ------------------------------------------------------------------------------------------- */
static struct wr_target *target;
static uint16_t tls_port, both_port;

static int setup(void **state)
{
	(void)state;
	wr_set_log_level(1);
	if (wr_target_create(2, WR_MODE_ADAPTIVE, NULL, &target))
		return -1;
	if (wr_subsystem_create(target, WR_NAME(SUB), NULL, NULL, 0) ||
	    wr_host_allow(target, WR_NAME(SUB), WR_NAME(HOST)) ||
	    wr_host_allow(target, WR_NAME(SUB), WR_NAME(OTHER_HOST)) ||
	    wr_host_set_tls_psk(target, WR_NAME(SUB), WR_NAME(HOST), PSK_01, WR_TLS_FORM_LIBNVME) ||
	    wr_ns_add(target, WR_NAME(SUB), 1, WR_BDEV_KIND_RAM, NULL, 1 << 20, 0, NULL, NULL, 0))
		return -1;
	int p = wr_listener_add(target, WR_NAME(SUB), "127.0.0.1", 0);
	int q = wr_listener_add(target, WR_NAME(SUB), "127.0.0.1", 0);
	if (p <= 0 || q <= 0)
		return -1;
	tls_port = (uint16_t)p;
	both_port = (uint16_t)q;
	if (wr_port_set_tls(target, "127.0.0.1", tls_port, WR_TLS_REQUIRED) ||
	    wr_port_set_tls(target, "127.0.0.1", both_port, WR_TLS_NOT_REQUIRED))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	wr_target_destroy(target);
	return 0;
}

static uint64_t net_counter(uint32_t which)
{
	uint64_t v[WR_NET_COUNTERS];
	assert_int_equal(wr_target_net_counters(target, v, WR_NET_COUNTERS), WR_NET_COUNTERS);
	return v[which];
}

/* The client may see the refusal before the target has counted it. */
static void expect_counter(uint32_t which, uint64_t want)
{
	for (int i = 0; i < 200 && net_counter(which) != want; i++)
		usleep(5000);
	assert_int_equal(net_counter(which), want);
}

/* A queue: TCP, TLS when identity is set, ICReq (digests on), Connect. */
static void open_queue(struct th *h, uint16_t port, const char *identity, const uint8_t *psk,
		       const char *hostnqn, uint16_t qid, uint16_t cntlid, struct nvme_cqe *cqe)
{
	assert_int_equal(th_open(h, port), 0);
	if (identity)
		assert_int_equal(th_tls(h, identity, psk, 32, 1), 0);
	assert_int_equal(th_icreq(h, true, true), 0);
	assert_int_equal(th_connect(h, SUB, hostnqn, qid, cntlid, 0, 0, cqe), 0);
	assert_int_equal(th_status(cqe), 0);
}

/* An admin and an I/O queue; an in-capsule write, a 128 KiB write through R2T, both read back. */
static void session(uint16_t port, const char *identity, const uint8_t *psk, const char *hostnqn)
{
	struct th admin, io;
	struct nvme_cqe cqe;
	uint64_t v;
	open_queue(&admin, port, identity, psk, hostnqn, 0, 0xffff, &cqe);
	uint16_t cntlid = (uint16_t)(cqe.result & 0xffff);
	uint32_t cc = NVME_CC_ENABLE | 6u << NVME_CC_IOSQES_SHIFT | 4u << NVME_CC_IOCQES_SHIFT;
	assert_int_equal(th_prop_set(&admin, NVME_REG_CC, cc), 0);
	assert_int_equal(th_prop_get(&admin, NVME_REG_CSTS, false, &v), 0);
	assert_true(v & NVME_CSTS_RDY);
	open_queue(&io, port, identity, psk, hostnqn, 1, cntlid, &cqe);
	static uint8_t out[128 * 1024], in[128 * 1024];
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(th_rw(&io, NVME_CMD_WRITE, 1, 0, 16, out, 8192, true, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	assert_int_equal(th_rw(&io, NVME_CMD_WRITE, 1, 16, 256, out, sizeof(out), false, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	assert_int_equal(th_rw(&io, NVME_CMD_READ, 1, 16, 256, in, sizeof(in), false, &cqe), 0);
	assert_int_equal(th_status(&cqe), 0);
	assert_memory_equal(in, out, sizeof(out));
	assert_int_equal(th_rw(&io, NVME_CMD_READ, 1, 0, 16, in, 8192, false, &cqe), 0);
	assert_memory_equal(in, out, 8192);
	th_close(&io);
	th_close(&admin);
}

/* What nvme-cli 2.13 puts into the host's keyring for identity "NVMe0R01 HOST SUB". */
static void tls_psk(uint8_t *psk)
{
	hex(LIB_TLS256_V0, psk, 32);
}

static void the_host_with_its_psk_opens_a_channel_and_does_io(void **state)
{
	(void)state;
	uint64_t before = net_counter(WR_NET_TLS_CHANNELS);
	uint8_t psk[48];
	tls_psk(psk);
	session(tls_port, "NVMe0R01 " HOST " " SUB, psk, HOST);
	/* the identity with its digest (nvme-cli --identity 1), in either form */
	hex(LIB_TLS256_V1, psk, 32);
	session(tls_port, "NVMe1R01 " HOST " " SUB " " LIB_DIG256, psk, HOST);
	hex(TLS256_V1, psk, 32);
	session(tls_port, "NVMe1R01 " HOST " " SUB " " DIG256, psk, HOST);
	/* the RFC 8446 form for version 0 once the host is configured so */
	assert_int_equal(wr_host_set_tls_psk(target, WR_NAME(SUB), WR_NAME(HOST), PSK_01,
					     WR_TLS_FORM_RFC8446), 0);
	hex(TLS256_V0, psk, 32);
	session(tls_port, "NVMe0R01 " HOST " " SUB, psk, HOST);
	assert_int_equal(wr_host_set_tls_psk(target, WR_NAME(SUB), WR_NAME(HOST), PSK_01,
					     WR_TLS_FORM_LIBNVME), 0);
	expect_counter(WR_NET_TLS_CHANNELS, before + 8);
}

static void a_wrong_psk_or_unknown_identity_is_refused(void **state)
{
	(void)state;
	uint64_t before = net_counter(WR_NET_TLS_FAILURES);
	uint8_t psk[48];
	struct th h;
	tls_psk(psk);
	psk[0] ^= 1;
	assert_int_equal(th_open(&h, tls_port), 0);
	assert_int_equal(th_tls(&h, "NVMe0R01 " HOST " " SUB, psk, 32, 1), TH_CLOSED);
	th_close(&h);
	tls_psk(psk);
	/* the other host has no PSK: its identity finds none */
	assert_int_equal(th_open(&h, tls_port), 0);
	assert_int_equal(th_tls(&h, "NVMe0R01 " OTHER_HOST " " SUB, psk, 32, 1), TH_CLOSED);
	th_close(&h);
	/* the right PSK offered for the other suite */
	assert_int_equal(th_open(&h, tls_port), 0);
	assert_int_equal(th_tls(&h, "NVMe0R02 " HOST " " SUB, psk, 32, 1), TH_CLOSED);
	th_close(&h);
	expect_counter(WR_NET_TLS_FAILURES, before + 3);
}

static void plain_nvme_tcp_on_a_port_that_requires_tls_is_closed_without_icresp(void **state)
{
	(void)state;
	struct th h;
	uint8_t buf[256];
	assert_int_equal(th_open(&h, tls_port), 0);
	assert_int_not_equal(th_icreq(&h, false, false), 0);
	assert_int_equal(th_recv_pdu(&h, buf, sizeof(buf)), TH_CLOSED);
	th_close(&h);
}

static void the_channel_serves_only_the_host_its_identity_names(void **state)
{
	(void)state;
	uint8_t psk[48];
	struct th h;
	struct nvme_cqe cqe;
	tls_psk(psk);
	assert_int_equal(th_open(&h, tls_port), 0);
	assert_int_equal(th_tls(&h, "NVMe0R01 " HOST " " SUB, psk, 32, 1), 0);
	assert_int_equal(th_icreq(&h, false, false), 0);
	assert_int_equal(th_connect(&h, SUB, OTHER_HOST, 0, 0xffff, 0, 0, &cqe), 0);
	assert_int_equal(th_status(&cqe), NVME_SC_CONNECT_INVALID_HOST);
	th_close(&h);
}

static void a_port_that_does_not_require_tls_takes_both(void **state)
{
	(void)state;
	uint8_t psk[48];
	tls_psk(psk);
	session(both_port, "NVMe0R01 " HOST " " SUB, psk, HOST);
	session(both_port, NULL, NULL, OTHER_HOST);
	assert_int_equal(wr_port_get_tls(target, "127.0.0.1", both_port), WR_TLS_NOT_REQUIRED);
	assert_int_equal(wr_port_get_tls(target, "127.0.0.1", tls_port), WR_TLS_REQUIRED);
}

static void configuration_calls_check_what_they_are_given(void **state)
{
	(void)state;
	assert_int_equal(wr_port_set_tls(target, "127.0.0.1", 1, WR_TLS_REQUIRED), -ENOENT);
	assert_int_equal(wr_port_set_tls(target, "127.0.0.1", tls_port, 3), -EINVAL);
	assert_int_equal(wr_port_set_tls(target, "not an address", tls_port, 1), -EINVAL);
	assert_int_equal(wr_host_set_tls_psk(target, WR_NAME(SUB), WR_NAME("nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-000000000000"), PSK_01, 0), -ENOENT);
	assert_int_equal(wr_host_set_tls_psk(target, WR_NAME(SUB), WR_NAME(HOST), "NVMeTLSkey-1:01:x:", 0), -EINVAL);
	assert_int_equal(wr_host_set_tls_psk(target, WR_NAME(SUB), WR_NAME(HOST), PSK_01, 2), -EINVAL);
	/* removing the PSK closes the door to new channels */
	assert_int_equal(wr_host_set_tls_psk(target, WR_NAME(SUB), WR_NAME(HOST), NULL, 0), 0);
	uint8_t psk[48];
	struct th h;
	tls_psk(psk);
	assert_int_equal(th_open(&h, tls_port), 0);
	assert_int_equal(th_tls(&h, "NVMe0R01 " HOST " " SUB, psk, 32, 1), TH_CLOSED);
	th_close(&h);
	assert_int_equal(wr_host_set_tls_psk(target, WR_NAME(SUB), WR_NAME(HOST), PSK_01, 0), 0);
}

int main(void)
{
	const struct CMUnitTest unit[] = {
		cmocka_unit_test(interchange_psks_libnvme_publishes_are_decoded),
		cmocka_unit_test(malformed_psks_are_refused_with_their_reason),
		cmocka_unit_test(generated_psks_are_valid_and_differ),
		cmocka_unit_test(derivations_match_the_independent_computation),
		cmocka_unit_test(identities_the_linux_host_offers_are_parsed_and_others_refused),
		cmocka_unit_test(the_digest_picks_the_form_and_a_wrong_hash_or_digest_is_refused),
	};
	const struct CMUnitTest live[] = {
		cmocka_unit_test(the_host_with_its_psk_opens_a_channel_and_does_io),
		cmocka_unit_test(a_wrong_psk_or_unknown_identity_is_refused),
		cmocka_unit_test(plain_nvme_tcp_on_a_port_that_requires_tls_is_closed_without_icresp),
		cmocka_unit_test(the_channel_serves_only_the_host_its_identity_names),
		cmocka_unit_test(a_port_that_does_not_require_tls_takes_both),
		cmocka_unit_test(configuration_calls_check_what_they_are_given),
	};
	int failed = cmocka_run_group_tests_name("tls keys", unit, NULL, NULL);
	return failed + cmocka_run_group_tests_name("tls sessions", live, setup, teardown);
}
