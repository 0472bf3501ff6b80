/*
 * Unit tests of DH-HMAC-CHAP (src/auth.c): the secret representation, and the controller's state
 * machine driven message by message by a host written here.
 *
 * Known answers come from outside this code: the secrets are what `nvme gen-dhchap-key` (nvme-cli
 * 2.3) printed for fixed key bytes, and the responses were computed with Python's hmac/hashlib
 * (see the comments at each value). The test host computes its responses with OpenSSL's one-shot
 * HMAC() and its own key handling, and is itself checked against those known answers first, so a
 * shared mistake in auth.c and in this host cannot pass unnoticed.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include "internal.h"

#define HOSTNQN "nqn.2014-08.org.nvmexpress:uuid:11111111-2222-3333-4444-555555555555"
#define SUBNQN "nqn.2026-11.dev.windrose:auth-test"

/* nvme gen-dhchap-key --secret=000102...1f --hmac=0 -l 32 */
#define SECRET_00_32 "DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:"
/* nvme gen-dhchap-key --secret=404142...6f --hmac=0 -l 48 (two '=' of padding) */
#define SECRET_00_48 "DHHC-1:00:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9gYWJjZGVmZ2hpamtsbW5voBXMjQ==:"
/* nvme gen-dhchap-key --secret=000102...1f --hmac=1 -l 32 -n HOSTNQN: nvme-cli prints the key
 * already transformed, HMAC-SHA256(key, HOSTNQN || "NVMe-over-Fabrics") =
 * 6ce1e4ea31e8331a4fe5826bfde17a5cd386b8f0338748919e279ba6c55bf727 (Python hmac) */
#define SECRET_01_32 "DHHC-1:01:bOHk6jHoMxpP5YJr/eF6XNOGuPAzh0iRniebpsVb9ydqVuR5:"
/* nvme gen-dhchap-key --secret=808182...bf --hmac=3 -l 64 (one '=') */
#define SECRET_03_64 "DHHC-1:03:lGY723IFnj4QU+7if4ddA/8KTfycf/jbItBj3FbQouwa9CqMHf/nHf7gY/H6vRbAbZFZxnZs7vflLuWl43QMCpTWq9k=:"
#define SECRET_02_48 "DHHC-1:02:KVl7/n9cAs22kYlfo35jcTKZZfivaxh8awCvdbCngRWApLqAzjExCbcqqif7v4Ku4bhttg==:"

static void hex_to_bytes(const char *hex, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(sscanf(hex + 2 * i, "%2hhx", &out[i]), 1);
}

/* --------------------------------------------------------------------------------------------- */
static void secrets_nvme_cli_prints_are_decoded(void **state)
{
	(void)state;
	struct wr_dhchap_key k;
	uint8_t expect[64];
	assert_int_equal(wr_dhchap_key_parse(SECRET_00_32, &k), 0);
	assert_int_equal(k.hash, 0);
	assert_int_equal(k.len, 32);
	for (int i = 0; i < 32; i++)
		expect[i] = (uint8_t)i;
	assert_memory_equal(k.bytes, expect, 32);

	assert_int_equal(wr_dhchap_key_parse(SECRET_00_48, &k), 0);
	assert_int_equal(k.len, 48);
	for (int i = 0; i < 48; i++)
		expect[i] = (uint8_t)(0x40 + i);
	assert_memory_equal(k.bytes, expect, 48);

	assert_int_equal(wr_dhchap_key_parse(SECRET_01_32, &k), 0);
	assert_int_equal(k.hash, 1);
	hex_to_bytes("6ce1e4ea31e8331a4fe5826bfde17a5cd386b8f0338748919e279ba6c55bf727", expect, 32);
	assert_memory_equal(k.bytes, expect, 32);

	assert_int_equal(wr_dhchap_key_parse(SECRET_03_64, &k), 0);
	assert_int_equal(k.hash, 3);
	assert_int_equal(k.len, 64);
	assert_int_equal(wr_dhchap_secret_check(SECRET_02_48), 0);
	/* The trailing ':' is optional, as Linux reads it. */
	assert_int_equal(wr_dhchap_secret_check("DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR"), 0);
}

static void malformed_secrets_are_refused_with_their_reason(void **state)
{
	(void)state;
	struct {
		const char *secret;
		int rc;
	} cases[] = {
		{ "", -EINVAL },
		{ "DHHC-2:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:", -EINVAL },
		{ "dhhc-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:", -EINVAL },
		{ "DHHC-1:04:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:", -EINVAL },
		{ "DHHC-1:0:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:", -EINVAL },
		{ "DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+Kfia!:", -EINVAL },
		{ "DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+Kfia:", -EINVAL },   /* not a group of 4 */
		{ "DHHC-1:00: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:", -EINVAL },
		{ "DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR::", -EINVAL },
		{ "DHHC-1:00:", -EINVAL },
		/* one bit of the key changed: the CRC no longer matches */
		{ "DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh6KfiaR:", -EBADMSG },
		/* 16 bytes of key and a CRC: too short a key */
		{ "DHHC-1:00:AAECAwQFBgcICQoLDA0OD2rHwC8=:", -EMSGSIZE },
		/* 200 characters */
		{ "DHHC-1:00:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA:", -EMSGSIZE },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = wr_dhchap_secret_check(cases[i].secret);
		if (rc != cases[i].rc)
			fail_msg("'%s': %d, expected %d", cases[i].secret, rc, cases[i].rc);
	}
	assert_int_equal(wr_dhchap_secret_check(NULL), -EINVAL);
}

/* ---------------------------------------------------------------------------------------------
 * The test host: what drivers/nvme/host/auth.c does, written with OpenSSL's one-shot HMAC().
 * ------------------------------------------------------------------------------------------- */
static const EVP_MD *md_of(uint8_t id)
{
	return id == 1 ? EVP_sha256() : id == 2 ? EVP_sha384() : EVP_sha512();
}

static size_t host_key(const struct wr_dhchap_key *k, const char *nqn, uint8_t *out)
{
	if (k->hash == 0) {
		memcpy(out, k->bytes, k->len);
		return k->len;
	}
	uint8_t msg[512];
	size_t n = strlen(nqn);
	memcpy(msg, nqn, n);
	memcpy(msg + n, "NVMe-over-Fabrics", 17);
	unsigned int len = 0;
	assert_non_null(HMAC(md_of(k->hash), k->bytes, k->len, msg, n + 17, out, &len));
	return len;
}

/* HMAC(K', C || seq || tid || 0 || label || a || 0 || b), the response of either side. */
static void chap_response(uint8_t hash, const struct wr_dhchap_key *k, const char *key_nqn,
			  const uint8_t *c, uint32_t seq, uint16_t tid, const char *label,
			  const char *a, const char *b, uint8_t *out)
{
	uint8_t key[64], msg[1024];
	size_t klen = host_key(k, key_nqn, key), hl = (size_t)EVP_MD_get_size(md_of(hash)), n = 0;
	memcpy(msg, c, hl);
	n += hl;
	memcpy(msg + n, &seq, 4);
	n += 4;
	memcpy(msg + n, &tid, 2);
	n += 2;
	msg[n++] = 0;
	memcpy(msg + n, label, strlen(label));
	n += strlen(label);
	memcpy(msg + n, a, strlen(a));
	n += strlen(a);
	msg[n++] = 0;
	memcpy(msg + n, b, strlen(b));
	n += strlen(b);
	unsigned int len = 0;
	assert_non_null(HMAC(md_of(hash), key, (int)klen, msg, n, out, &len));
	assert_int_equal(len, hl);
}

static void augmented(uint8_t hash, const uint8_t *skey, size_t skey_len, const uint8_t *c,
		      uint8_t *out)
{
	uint8_t hk[64];
	unsigned int hklen = 0, len = 0;
	assert_true(EVP_Digest(skey, skey_len, hk, &hklen, md_of(hash), NULL));
	assert_non_null(HMAC(md_of(hash), hk, (int)hklen, c, hklen, out, &len));
}

static void the_test_host_computes_the_known_answers(void **state)
{
	(void)state;
	struct wr_dhchap_key raw, transformed;
	assert_int_equal(wr_dhchap_key_parse(SECRET_00_32, &raw), 0);
	assert_int_equal(wr_dhchap_key_parse(SECRET_00_32, &transformed), 0);
	transformed.hash = 1;
	uint8_t c1[32], out[64], expect[32];
	for (int i = 0; i < 32; i++)
		c1[i] = (uint8_t)(0xa0 + i);
	/* python3: hmac.new(bytes(range(32)), c1 + pack('<IH', 0x01020304, 7) + b'\0' + b'HostHost'
	 *          + HOSTNQN + b'\0' + SUBNQN, sha256) */
	chap_response(1, &raw, HOSTNQN, c1, 0x01020304, 7, "HostHost", HOSTNQN, SUBNQN, out);
	hex_to_bytes("b17eaca67756cb8be087bfddf43f4b45e7dd43a30a41ea880c591c855500e546", expect, 32);
	assert_memory_equal(out, expect, 32);
	/* ... with the key first transformed over HOSTNQN (secret hash field 01) */
	chap_response(1, &transformed, HOSTNQN, c1, 0x01020304, 7, "HostHost", HOSTNQN, SUBNQN, out);
	hex_to_bytes("cf8d77f86a8c6c7d57ac9f16c820d10cf9fe49b59487aa5eccad14571b03b6db", expect, 32);
	assert_memory_equal(out, expect, 32);
	/* the controller's: transformed over SUBNQN, "Controller", SUBNQN then HOSTNQN */
	chap_response(1, &transformed, SUBNQN, c1, 0x0a0b0c0d, 7, "Controller", SUBNQN, HOSTNQN, out);
	hex_to_bytes("71034afb41e04cc7c5a89857d5725f82dc0ad3cf8337bd27181ad88aeabcea0b", expect, 32);
	assert_memory_equal(out, expect, 32);
	/* augmented challenge: hmac.new(sha256(b'\x55' * 256), c1, sha256) */
	uint8_t skey[256];
	memset(skey, 0x55, sizeof(skey));
	augmented(1, skey, sizeof(skey), c1, out);
	hex_to_bytes("6bbb095feaad236c066abd26109f903598f6978aab9b85a563c904b00660ffdc", expect, 32);
	assert_memory_equal(out, expect, 32);
}

/* --------------------------------------------------------------------------------------------- */
struct fixture {
	struct wr_host host;
	struct wr_subsys *subsys;
	struct wr_auth *auth;
	uint16_t tid;
	/* what the host learned from the challenge */
	uint8_t hash, dhgroup, hl;
	uint32_t s1;
	uint8_t c1[64];
	uint16_t dhvlen;
	uint8_t ctrl_pub[1024];
	uint8_t c2[64];
	uint8_t skey[1024];
	size_t skey_len;
};

static struct fixture *fixture_new(const char *host_secret, const char *prev, const char *ctrl,
				   uint32_t hashes, uint32_t dhgroups)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->subsys = calloc(1, sizeof(*f->subsys));
	assert_non_null(f->subsys);
	snprintf(f->host.nqn, sizeof(f->host.nqn), "%s", HOSTNQN);
	snprintf(f->subsys->nqn, sizeof(f->subsys->nqn), "%s", SUBNQN);
	f->subsys->dhchap_hashes = hashes;
	f->subsys->dhchap_dhgroups = dhgroups;
	assert_int_equal(wr_dhchap_key_parse(host_secret, &f->host.key), 0);
	if (prev)
		assert_int_equal(wr_dhchap_key_parse(prev, &f->host.prev_key), 0);
	if (ctrl)
		assert_int_equal(wr_dhchap_key_parse(ctrl, &f->host.ctrl_key), 0);
	f->auth = wr_auth_new(&f->host, f->subsys);
	assert_non_null(f->auth);
	f->tid = 0x1234;
	return f;
}

static void fixture_free(struct fixture *f)
{
	wr_auth_free(f->auth);
	free(f->subsys);
	free(f);
}

/* What Linux offers: every hash, every group (drivers/nvme/host/auth.c, negotiate data). */
static uint32_t negotiate_msg(uint8_t *m, uint16_t tid, const uint8_t *hashes, uint8_t nh,
			      const uint8_t *groups, uint8_t ng)
{
	struct nvme_auth_negotiate *n = (struct nvme_auth_negotiate *)m;
	memset(m, 0, sizeof(*n) + sizeof(n->desc[0]));
	n->hdr.auth_type = NVME_AUTH_COMMON;
	n->hdr.auth_id = NVME_AUTH_NEGOTIATE;
	n->hdr.t_id = tid;
	n->napd = 1;
	n->desc[0].authid = NVME_AUTH_DHCHAP_ID;
	n->desc[0].halen = nh;
	n->desc[0].dhlen = ng;
	memcpy(n->desc[0].idlist, hashes, nh);
	memcpy(n->desc[0].idlist + 30, groups, ng);
	return sizeof(*n) + sizeof(n->desc[0]);
}

static const uint8_t all_hashes[] = { 1, 2, 3 };
static const uint8_t all_groups[] = { 0, 1, 2, 3, 4, 5 };

static void send_ok(struct fixture *f, const uint8_t *m, uint32_t len)
{
	assert_int_equal(wr_auth_send(f->auth, m, len), NVME_SC_SUCCESS);
}

/* Receives the next message; returns its length. */
static uint32_t receive(struct fixture *f, uint8_t *out, uint32_t al)
{
	uint32_t len = 0;
	assert_int_equal(wr_auth_receive(f->auth, out, al, &len), NVME_SC_SUCCESS);
	assert_true(len > 0 && len <= al);
	return len;
}

static void expect_failure1(struct fixture *f, uint8_t exp)
{
	uint8_t m[4096];
	uint32_t len = receive(f, m, sizeof(m));
	const struct nvme_auth_failure *fl = (const struct nvme_auth_failure *)m;
	assert_int_equal(len, 8);
	assert_int_equal(m[0], 0x00);       /* NVME_AUTH_COMMON_MESSAGES */
	assert_int_equal(m[1], 0xf1);       /* NVME_AUTH_DHCHAP_MESSAGE_FAILURE1 */
	assert_int_equal(fl->hdr.auth_type, NVME_AUTH_COMMON);
	assert_int_equal(fl->hdr.auth_id, NVME_AUTH_FAILURE1);
	assert_int_equal(fl->rescode, NVME_AUTH_RC_FAILED);
	assert_int_equal(fl->rescode_exp, exp);
	const char *why = NULL;
	assert_int_equal(wr_auth_take_outcome(f->auth, &why), WR_AUTH_FAILED);
	assert_non_null(why);
	assert_false(wr_auth_authenticated(f->auth));
	/* nothing more is accepted on the queue */
	uint32_t l2 = 0;
	assert_int_equal(wr_auth_receive(f->auth, m, sizeof(m), &l2), NVME_SC_CMD_SEQ_ERROR | NVME_SC_DNR);
}

/* Negotiate, then read and check the challenge. */
static void negotiate(struct fixture *f, const uint8_t *hashes, uint8_t nh, const uint8_t *groups,
		      uint8_t ng)
{
	uint8_t m[4096];
	send_ok(f, m, negotiate_msg(m, f->tid, hashes, nh, groups, ng));
	assert_int_equal(wr_auth_take_outcome(f->auth, NULL), WR_AUTH_ONGOING);
}

static void read_challenge(struct fixture *f)
{
	uint8_t m[4096];
	uint32_t len = receive(f, m, sizeof(m));
	const struct nvme_auth_challenge *c = (const struct nvme_auth_challenge *)m;
	/* the bytes Linux's host expects (include/linux/nvme.h), not our own constants */
	assert_int_equal(m[0], 0x01);       /* NVME_AUTH_DHCHAP_MESSAGES */
	assert_int_equal(m[1], 0x01);       /* NVME_AUTH_DHCHAP_MESSAGE_CHALLENGE */
	assert_int_equal(c->hdr.auth_type, NVME_AUTH_DHCHAP);
	assert_int_equal(c->hdr.auth_id, NVME_AUTH_CHALLENGE);
	assert_int_equal(c->hdr.t_id, f->tid);
	f->hash = c->hashid;
	f->hl = c->hl;
	f->dhgroup = c->dhgid;
	f->s1 = c->seqnum;
	f->dhvlen = c->dhvlen;
	assert_int_equal(f->hl, EVP_MD_get_size(md_of(f->hash)));
	assert_int_not_equal(f->s1, 0);
	assert_int_equal(len, sizeof(*c) + f->hl + f->dhvlen);
	memcpy(f->c1, c->cval, f->hl);
	memcpy(f->ctrl_pub, c->cval + f->hl, f->dhvlen);
}

/* The host's half of the DH exchange with OpenSSL: its public value into pub, g^xy into f. */
static void host_dh(struct fixture *f, uint8_t *pub)
{
	static const char *names[] = { NULL, "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192" };
	EVP_PKEY *mine = NULL, *peer = NULL;
	EVP_PKEY_CTX *g = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	OSSL_PARAM p[] = { OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)names[f->dhgroup], 0),
			   OSSL_PARAM_construct_end() };
	assert_true(EVP_PKEY_keygen_init(g) > 0 && EVP_PKEY_CTX_set_params(g, p) > 0 &&
		    EVP_PKEY_generate(g, &mine) > 0);
	BIGNUM *y = NULL;
	assert_true(EVP_PKEY_get_bn_param(mine, OSSL_PKEY_PARAM_PUB_KEY, &y));
	assert_int_equal(BN_bn2binpad(y, pub, f->dhvlen), f->dhvlen);
	BN_free(y);
	/* the controller's value */
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *cy = BN_bin2bn(f->ctrl_pub, f->dhvlen, NULL);
	OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, names[f->dhgroup], 0);
	OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, cy);
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *fc = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	assert_true(EVP_PKEY_fromdata_init(fc) > 0 && EVP_PKEY_fromdata(fc, &peer, EVP_PKEY_PUBLIC_KEY, params) > 0);
	EVP_PKEY_CTX *d = EVP_PKEY_CTX_new_from_pkey(NULL, mine, NULL);
	f->skey_len = f->dhvlen;
	assert_true(EVP_PKEY_derive_init(d) > 0 && EVP_PKEY_CTX_set_dh_pad(d, 1) > 0 &&
		    EVP_PKEY_derive_set_peer(d, peer) > 0 && EVP_PKEY_derive(d, f->skey, &f->skey_len) > 0);
	assert_int_equal(f->skey_len, f->dhvlen);
	EVP_PKEY_CTX_free(d);
	EVP_PKEY_CTX_free(fc);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(cy);
	EVP_PKEY_CTX_free(g);
	EVP_PKEY_free(mine);
	EVP_PKEY_free(peer);
}

/* The host's Reply, computed with host_secret; bidirectional asks for the controller's response. */
static uint32_t reply_msg(struct fixture *f, uint8_t *m, const char *host_secret, bool bidirectional,
			  uint32_t s2)
{
	struct wr_dhchap_key k;
	assert_int_equal(wr_dhchap_key_parse(host_secret, &k), 0);
	struct nvme_auth_reply *r = (struct nvme_auth_reply *)m;
	memset(m, 0, sizeof(*r) + 2u * f->hl + f->dhvlen);
	r->hdr.auth_type = NVME_AUTH_DHCHAP;
	r->hdr.auth_id = NVME_AUTH_REPLY;
	r->hdr.t_id = f->tid;
	r->hl = f->hl;
	r->dhvlen = f->dhvlen;
	uint8_t ca1[64];
	memcpy(ca1, f->c1, f->hl);
	if (f->dhvlen) {
		host_dh(f, r->rval + 2u * f->hl);
		augmented(f->hash, f->skey, f->skey_len, f->c1, ca1);
	}
	chap_response(f->hash, &k, HOSTNQN, ca1, f->s1, f->tid, "HostHost", HOSTNQN, SUBNQN, r->rval);
	if (bidirectional) {
		assert_int_equal(RAND_bytes(f->c2, f->hl), 1);
		r->cvalid = 1;
		r->seqnum = s2;
		memcpy(r->rval + f->hl, f->c2, f->hl);
	}
	return sizeof(*r) + 2u * f->hl + f->dhvlen;
}

static void expect_success1(struct fixture *f, const char *ctrl_secret, uint32_t s2)
{
	uint8_t m[4096];
	uint32_t len = receive(f, m, sizeof(m));
	const struct nvme_auth_success1 *s = (const struct nvme_auth_success1 *)m;
	assert_int_equal(m[0], 0x01);
	assert_int_equal(m[1], 0x03);       /* NVME_AUTH_DHCHAP_MESSAGE_SUCCESS1 */
	assert_int_equal(s->hdr.auth_type, NVME_AUTH_DHCHAP);
	assert_int_equal(s->hdr.auth_id, NVME_AUTH_SUCCESS1);
	assert_int_equal(s->hdr.t_id, f->tid);
	assert_int_equal(s->hl, f->hl);
	assert_int_equal(len, sizeof(*s) + f->hl);
	if (!ctrl_secret) {
		assert_int_equal(s->rvalid, 0);
		return;
	}
	assert_int_equal(s->rvalid, 1);
	struct wr_dhchap_key k;
	assert_int_equal(wr_dhchap_key_parse(ctrl_secret, &k), 0);
	uint8_t ca2[64], expect[64];
	memcpy(ca2, f->c2, f->hl);
	if (f->dhvlen)
		augmented(f->hash, f->skey, f->skey_len, f->c2, ca2);
	chap_response(f->hash, &k, SUBNQN, ca2, s2, f->tid, "Controller", SUBNQN, HOSTNQN, expect);
	assert_memory_equal(s->rval, expect, f->hl);
}

static void success2(struct fixture *f)
{
	uint8_t m[16] = { 0 };
	struct nvme_auth_success2 *s = (struct nvme_auth_success2 *)m;
	s->hdr.auth_type = NVME_AUTH_DHCHAP;
	s->hdr.auth_id = NVME_AUTH_SUCCESS2;
	s->hdr.t_id = f->tid;
	send_ok(f, m, sizeof(*s));
}

/* --------------------------------------------------------------------------------------------- */
static void unidirectional_without_dh_authenticates_with_the_strongest_hash(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(SECRET_01_32, NULL, NULL, WR_DHCHAP_HASH_ALL, WR_DHCHAP_DH_NULL);
	uint8_t m[4096];
	negotiate(f, all_hashes, 3, all_groups, 6);
	read_challenge(f);
	assert_int_equal(f->hash, NVME_AUTH_SHA512);
	assert_int_equal(f->dhgroup, NVME_AUTH_DH_NULL);
	assert_int_equal(f->dhvlen, 0);
	send_ok(f, m, reply_msg(f, m, SECRET_01_32, false, 0));
	assert_int_equal(wr_auth_take_outcome(f->auth, NULL), WR_AUTH_ONGOING);
	assert_false(wr_auth_authenticated(f->auth));
	expect_success1(f, NULL, 0);
	assert_int_equal(wr_auth_take_outcome(f->auth, NULL), WR_AUTH_SUCCEEDED);
	assert_true(wr_auth_authenticated(f->auth));
	assert_int_equal(wr_auth_take_outcome(f->auth, NULL), WR_AUTH_ONGOING);  /* reported once */
	fixture_free(f);
}

static void bidirectional_with_ffdhe2048_authenticates_both_sides(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(SECRET_00_32, NULL, SECRET_00_48, WR_DHCHAP_HASH_SHA256,
					WR_DHCHAP_DH_NULL | WR_DHCHAP_DH_FFDHE2048);
	uint8_t m[4096];
	negotiate(f, all_hashes, 3, all_groups, 6);
	read_challenge(f);
	assert_int_equal(f->hash, NVME_AUTH_SHA256);
	assert_int_equal(f->dhgroup, NVME_AUTH_FFDHE2048);
	assert_int_equal(f->dhvlen, 256);
	send_ok(f, m, reply_msg(f, m, SECRET_00_32, true, 0x0a0b0c0d));
	expect_success1(f, SECRET_00_48, 0x0a0b0c0d);
	assert_int_equal(wr_auth_take_outcome(f->auth, NULL), WR_AUTH_ONGOING);  /* Success2 due */
	success2(f);
	assert_int_equal(wr_auth_take_outcome(f->auth, NULL), WR_AUTH_SUCCEEDED);
	assert_true(wr_auth_authenticated(f->auth));
	/* The host may re-authenticate on the same queue. */
	f->tid++;
	negotiate(f, all_hashes, 3, all_groups, 6);
	read_challenge(f);
	send_ok(f, m, reply_msg(f, m, SECRET_00_32, false, 0));
	expect_success1(f, NULL, 0);
	assert_int_equal(wr_auth_take_outcome(f->auth, NULL), WR_AUTH_SUCCEEDED);
	fixture_free(f);
}

static void every_group_and_hash_works_with_sha384_and_ffdhe4096(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(SECRET_03_64, NULL, SECRET_02_48, WR_DHCHAP_HASH_SHA384,
					WR_DHCHAP_DH_FFDHE4096);
	uint8_t m[4096];
	negotiate(f, all_hashes, 3, all_groups, 6);
	read_challenge(f);
	assert_int_equal(f->hash, NVME_AUTH_SHA384);
	assert_int_equal(f->dhvlen, 512);
	send_ok(f, m, reply_msg(f, m, SECRET_03_64, true, 99));
	expect_success1(f, SECRET_02_48, 99);
	success2(f);
	assert_int_equal(wr_auth_take_outcome(f->auth, NULL), WR_AUTH_SUCCEEDED);
	fixture_free(f);
}

static void a_wrong_secret_gets_failure1_and_the_previous_secret_works_during_rotation(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(SECRET_00_32, NULL, NULL, WR_DHCHAP_HASH_ALL, WR_DHCHAP_DH_ALL);
	uint8_t m[4096];
	negotiate(f, all_hashes, 3, all_groups, 2);   /* null and ffdhe2048 only */
	read_challenge(f);
	assert_int_equal(f->dhgroup, NVME_AUTH_FFDHE2048);
	send_ok(f, m, reply_msg(f, m, SECRET_00_48, false, 0));
	expect_failure1(f, NVME_AUTH_EXP_FAILED);
	fixture_free(f);

	/* new secret SECRET_00_48, previous SECRET_00_32: both are accepted */
	const char *secrets[] = { SECRET_00_32, SECRET_00_48 };
	for (int i = 0; i < 2; i++) {
		f = fixture_new(SECRET_00_48, SECRET_00_32, NULL, WR_DHCHAP_HASH_ALL, WR_DHCHAP_DH_NULL);
		negotiate(f, all_hashes, 3, all_groups, 6);
		read_challenge(f);
		send_ok(f, m, reply_msg(f, m, secrets[i], false, 0));
		expect_success1(f, NULL, 0);
		assert_int_equal(wr_auth_take_outcome(f->auth, NULL), WR_AUTH_SUCCEEDED);
		fixture_free(f);
	}
}

static void asking_for_the_controllers_response_without_a_controller_secret_fails(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(SECRET_00_32, NULL, NULL, WR_DHCHAP_HASH_ALL, WR_DHCHAP_DH_NULL);
	uint8_t m[4096];
	negotiate(f, all_hashes, 3, all_groups, 6);
	read_challenge(f);
	send_ok(f, m, reply_msg(f, m, SECRET_00_32, true, 5));
	expect_failure1(f, NVME_AUTH_EXP_FAILED);
	fixture_free(f);
}

static void a_reflected_challenge_is_refused(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(SECRET_00_32, NULL, SECRET_00_48, WR_DHCHAP_HASH_ALL,
					WR_DHCHAP_DH_NULL);
	uint8_t m[4096];
	negotiate(f, all_hashes, 3, all_groups, 6);
	read_challenge(f);
	uint32_t len = reply_msg(f, m, SECRET_00_32, true, 5);
	memcpy(((struct nvme_auth_reply *)m)->rval + f->hl, f->c1, f->hl);   /* C2 = C1 */
	send_ok(f, m, len);
	expect_failure1(f, NVME_AUTH_EXP_FAILED);
	fixture_free(f);
}

static void negotiation_the_policy_cannot_meet_is_refused_with_its_reason(void **state)
{
	(void)state;
	uint8_t m[4096];
	const uint8_t sha256[] = { 1 }, ffdhe8192[] = { 5 };
	struct fixture *f = fixture_new(SECRET_00_32, NULL, NULL, WR_DHCHAP_HASH_SHA512, WR_DHCHAP_DH_ALL);
	negotiate(f, sha256, 1, all_groups, 6);
	expect_failure1(f, NVME_AUTH_EXP_HASH_UNUSABLE);
	fixture_free(f);

	f = fixture_new(SECRET_00_32, NULL, NULL, WR_DHCHAP_HASH_ALL, WR_DHCHAP_DH_FFDHE2048);
	negotiate(f, all_hashes, 3, ffdhe8192, 1);
	expect_failure1(f, NVME_AUTH_EXP_DHGROUP_UNUSABLE);
	fixture_free(f);

	/* secure channel concatenation is not offered */
	f = fixture_new(SECRET_00_32, NULL, NULL, WR_DHCHAP_HASH_ALL, WR_DHCHAP_DH_ALL);
	uint32_t len = negotiate_msg(m, f->tid, all_hashes, 3, all_groups, 6);
	((struct nvme_auth_negotiate *)m)->sc_c = 1;
	send_ok(f, m, len);
	expect_failure1(f, NVME_AUTH_EXP_CONCAT_MISMATCH);
	fixture_free(f);

	/* two descriptors announced, one sent */
	f = fixture_new(SECRET_00_32, NULL, NULL, WR_DHCHAP_HASH_ALL, WR_DHCHAP_DH_ALL);
	len = negotiate_msg(m, f->tid, all_hashes, 3, all_groups, 6);
	((struct nvme_auth_negotiate *)m)->napd = 2;
	send_ok(f, m, len);
	expect_failure1(f, NVME_AUTH_EXP_INCORRECT_PAYLOAD);
	fixture_free(f);

	/* an identifier list longer than its 30 slots */
	f = fixture_new(SECRET_00_32, NULL, NULL, WR_DHCHAP_HASH_ALL, WR_DHCHAP_DH_ALL);
	len = negotiate_msg(m, f->tid, all_hashes, 3, all_groups, 6);
	((struct nvme_auth_negotiate *)m)->desc[0].halen = 31;
	send_ok(f, m, len);
	expect_failure1(f, NVME_AUTH_EXP_INCORRECT_PAYLOAD);
	fixture_free(f);
}

static void messages_out_of_turn_or_transaction_are_refused(void **state)
{
	(void)state;
	uint8_t m[4096];
	/* a Reply before any Negotiate */
	struct fixture *f = fixture_new(SECRET_00_32, NULL, NULL, WR_DHCHAP_HASH_ALL, WR_DHCHAP_DH_NULL);
	f->hl = 32;
	f->hash = 1;
	send_ok(f, m, reply_msg(f, m, SECRET_00_32, false, 0));
	expect_failure1(f, NVME_AUTH_EXP_INCORRECT_PROTOCOL);
	fixture_free(f);

	/* an Authentication Receive before Negotiate */
	f = fixture_new(SECRET_00_32, NULL, NULL, WR_DHCHAP_HASH_ALL, WR_DHCHAP_DH_NULL);
	expect_failure1(f, NVME_AUTH_EXP_INCORRECT_PROTOCOL);
	fixture_free(f);

	/* a Reply with another transaction's identifier */
	f = fixture_new(SECRET_00_32, NULL, NULL, WR_DHCHAP_HASH_ALL, WR_DHCHAP_DH_NULL);
	negotiate(f, all_hashes, 3, all_groups, 6);
	read_challenge(f);
	uint32_t len = reply_msg(f, m, SECRET_00_32, false, 0);
	((struct nvme_auth_reply *)m)->hdr.t_id++;
	send_ok(f, m, len);
	expect_failure1(f, NVME_AUTH_EXP_INCORRECT_PAYLOAD);
	fixture_free(f);

	/* a Reply cut short */
	f = fixture_new(SECRET_00_32, NULL, NULL, WR_DHCHAP_HASH_ALL, WR_DHCHAP_DH_NULL);
	negotiate(f, all_hashes, 3, all_groups, 6);
	read_challenge(f);
	len = reply_msg(f, m, SECRET_00_32, false, 0);
	send_ok(f, m, len - 1);
	expect_failure1(f, NVME_AUTH_EXP_INCORRECT_PAYLOAD);
	fixture_free(f);

	/* a message shorter than a header */
	f = fixture_new(SECRET_00_32, NULL, NULL, WR_DHCHAP_HASH_ALL, WR_DHCHAP_DH_NULL);
	send_ok(f, m, 3);
	expect_failure1(f, NVME_AUTH_EXP_INCORRECT_PAYLOAD);
	fixture_free(f);
}

static void a_dh_value_outside_the_group_is_refused(void **state)
{
	(void)state;
	uint8_t m[4096];
	const uint8_t ffdhe2048[] = { 1 };
	const uint8_t bad_values[][2] = { { 0, 0 }, { 0, 1 } };    /* y = 0 and y = 1 */
	for (size_t i = 0; i < 2; i++) {
		struct fixture *f = fixture_new(SECRET_00_32, NULL, NULL, WR_DHCHAP_HASH_ALL, WR_DHCHAP_DH_ALL);
		negotiate(f, all_hashes, 3, ffdhe2048, 1);
		read_challenge(f);
		uint32_t len = reply_msg(f, m, SECRET_00_32, false, 0);
		uint8_t *dhv = ((struct nvme_auth_reply *)m)->rval + 2u * f->hl;
		memset(dhv, 0, f->dhvlen);
		dhv[f->dhvlen - 1] = bad_values[i][1];
		send_ok(f, m, len);
		expect_failure1(f, NVME_AUTH_EXP_DHGROUP_UNUSABLE);
		fixture_free(f);
	}
}

static void failure2_from_the_host_ends_the_transaction(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(SECRET_00_32, NULL, SECRET_00_48, WR_DHCHAP_HASH_ALL, WR_DHCHAP_DH_NULL);
	uint8_t m[4096];
	negotiate(f, all_hashes, 3, all_groups, 6);
	read_challenge(f);
	send_ok(f, m, reply_msg(f, m, SECRET_00_32, true, 3));
	expect_success1(f, SECRET_00_48, 3);
	struct nvme_auth_failure fl = { .hdr = { .auth_type = NVME_AUTH_COMMON,
						 .auth_id = NVME_AUTH_FAILURE2, .t_id = f->tid },
					.rescode = 1, .rescode_exp = 1 };
	send_ok(f, (const uint8_t *)&fl, sizeof(fl));
	assert_int_equal(wr_auth_take_outcome(f->auth, NULL), WR_AUTH_FAILED);
	assert_false(wr_auth_authenticated(f->auth));
	assert_int_equal(wr_auth_send(f->auth, m, negotiate_msg(m, f->tid, all_hashes, 3, all_groups, 6)),
			 NVME_SC_CMD_SEQ_ERROR | NVME_SC_DNR);
	fixture_free(f);
}

static void a_receive_buffer_too_small_keeps_the_message_due(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(SECRET_00_32, NULL, NULL, WR_DHCHAP_HASH_ALL, WR_DHCHAP_DH_ALL);
	uint8_t m[4096];
	const uint8_t ffdhe2048[] = { 1 };
	negotiate(f, all_hashes, 3, ffdhe2048, 1);
	uint32_t len = 0;
	assert_int_equal(wr_auth_receive(f->auth, m, 100, &len), NVME_SC_INVALID_FIELD | NVME_SC_DNR);
	assert_int_equal(len, 0);
	read_challenge(f);
	send_ok(f, m, reply_msg(f, m, SECRET_00_32, false, 0));
	expect_success1(f, NULL, 0);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(secrets_nvme_cli_prints_are_decoded),
		cmocka_unit_test(malformed_secrets_are_refused_with_their_reason),
		cmocka_unit_test(the_test_host_computes_the_known_answers),
		cmocka_unit_test(unidirectional_without_dh_authenticates_with_the_strongest_hash),
		cmocka_unit_test(bidirectional_with_ffdhe2048_authenticates_both_sides),
		cmocka_unit_test(every_group_and_hash_works_with_sha384_and_ffdhe4096),
		cmocka_unit_test(a_wrong_secret_gets_failure1_and_the_previous_secret_works_during_rotation),
		cmocka_unit_test(asking_for_the_controllers_response_without_a_controller_secret_fails),
		cmocka_unit_test(a_reflected_challenge_is_refused),
		cmocka_unit_test(negotiation_the_policy_cannot_meet_is_refused_with_its_reason),
		cmocka_unit_test(messages_out_of_turn_or_transaction_are_refused),
		cmocka_unit_test(a_dh_value_outside_the_group_is_refused),
		cmocka_unit_test(failure2_from_the_host_ends_the_transaction),
		cmocka_unit_test(a_receive_buffer_too_small_keeps_the_message_due),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
