/*
 * auth.c - NVMe in-band authentication, DH-HMAC-CHAP (NVMe base specification 2.0, 8.13), the
 * controller's side: the secrets' representation, and one queue's authentication transaction as
 * a state machine driven by Authentication Send (the host's messages) and Authentication Receive
 * (the controller's).
 *
 *   host                              controller
 *   AUTH_Negotiate (hashes, groups) ->
 *                                   <- DH-HMAC-CHAP_Challenge (hash, group, C1, S1, g^y)
 *   DH-HMAC-CHAP_Reply (R1, C2, S2, g^x) ->
 *                                   <- DH-HMAC-CHAP_Success1 (R2 when the host sent C2)
 *   DH-HMAC-CHAP_Success2 ->           (bidirectional only)
 *   ... or AUTH_Failure1 from the controller / AUTH_Failure2 from the host.
 *
 *   R1 = HMAC(Kh', Ca1 || S1 || TID || SC_C || "HostHost" || HostNQN || 00h || SubNQN)
 *   R2 = HMAC(Kc', Ca2 || S2 || TID || SC_C || "Controller" || SubNQN || 00h || HostNQN)
 *   Kh' = HMAC_h(Kh, HostNQN || "NVMe-over-Fabrics") when the secret names a hash h, else Kh;
 *   Kc' the same over the subsystem NQN; Ca = C, or with a DH group HMAC(H(g^xy), C).
 *
 * Where the specification leaves room, Linux is the reference (host: drivers/nvme/host/auth.c,
 * target: drivers/nvme/target/{auth,fabrics-cmd-auth}.c): the transformed key's NQN, the
 * session key padded to the group's size, Failure1 as a common message (auth_type 00h). Every
 * primitive is OpenSSL 3's (HMAC, SHA-2, the RFC 7919 ffdhe groups, RAND_bytes, base64).
 *
 * All of this runs on the admin path (target->lock is not needed: a transaction owns copies of
 * what it uses); it allocates, boundedly: one context per queue, OpenSSL's DH keys.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <isa-l/crc.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define AUTH_MAX_HASH 64u           /* SHA-512 */
#define AUTH_MAX_DHV 1024u          /* ffdhe8192 */

/* ---------------------------------------------------------------------------------------------
 * Hash functions and DH groups
 * ------------------------------------------------------------------------------------------- */
static const char *hash_name(uint8_t id)
{
	switch (id) {
	case NVME_AUTH_SHA256: return "SHA256";
	case NVME_AUTH_SHA384: return "SHA384";
	case NVME_AUTH_SHA512: return "SHA512";
	default: return NULL;
	}
}

static uint32_t hash_len(uint8_t id)
{
	switch (id) {
	case NVME_AUTH_SHA256: return 32;
	case NVME_AUTH_SHA384: return 48;
	case NVME_AUTH_SHA512: return 64;
	default: return 0;
	}
}

/* OpenSSL's name of an RFC 7919 group, and its size (the DH value's length on the wire). */
static const char *dhgroup_name(uint8_t id)
{
	static const char *names[] = { NULL, "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144",
				       "ffdhe8192" };
	return id < sizeof(names) / sizeof(names[0]) ? names[id] : NULL;
}

static uint32_t dhgroup_bytes(uint8_t id)
{
	static const uint16_t bytes[] = { 0, 256, 384, 512, 768, 1024 };
	return id < sizeof(bytes) / sizeof(bytes[0]) ? bytes[id] : 0;
}

struct part {
	const void *p;
	size_t n;
};

/* HMAC with hash id over the concatenation of parts; out gets hash_len(id) bytes. */
static int hmac_parts(uint8_t id, const uint8_t *key, size_t keylen, const struct part *parts,
		      size_t nparts, uint8_t *out)
{
	int rc = -1;
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)hash_name(id), 0),
		OSSL_PARAM_construct_end(),
	};
	if (!ctx || !hash_name(id) || !EVP_MAC_init(ctx, key, keylen, params))
		goto out_free;
	for (size_t i = 0; i < nparts; i++)
		if (parts[i].n && !EVP_MAC_update(ctx, parts[i].p, parts[i].n))
			goto out_free;
	size_t outl = 0;
	if (EVP_MAC_final(ctx, out, &outl, AUTH_MAX_HASH) && outl == hash_len(id))
		rc = 0;
out_free:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return rc;
}

/* ---------------------------------------------------------------------------------------------
 * Secrets: "DHHC-1:hh:<base64(key || crc32(key) little-endian)>:" (base spec 2.0, 8.13.5.8, the
 * form nvme-cli's gen-dhchap-key prints and Linux's nvme_auth_extract_key reads)
 * ------------------------------------------------------------------------------------------- */
static bool is_base64_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '+' || ch == '/';
}

void wr_dhchap_key_clear(struct wr_dhchap_key *key)
{
	OPENSSL_cleanse(key, sizeof(*key));
}

int wr_dhchap_key_parse(const char *secret, struct wr_dhchap_key *out)
{
	static const char prefix[] = "DHHC-1:";
	if (!secret || !out)
		return -EINVAL;
	size_t len = strnlen(secret, WR_DHCHAP_SECRET_MAX_LEN + 1);
	if (len > WR_DHCHAP_SECRET_MAX_LEN)
		return -EMSGSIZE;
	if (len < sizeof(prefix) - 1 + 3 || memcmp(secret, prefix, sizeof(prefix) - 1) != 0)
		return -EINVAL;
	const char *hh = secret + sizeof(prefix) - 1;
	if (hh[0] != '0' || hh[1] < '0' || hh[1] > '3' || hh[2] != ':')
		return -EINVAL;
	const char *b64 = hh + 3;
	size_t n = len - (size_t)(b64 - secret);
	if (n > 0 && b64[n - 1] == ':')      /* the trailing ':' is optional, as in Linux */
		n--;
	/* Only base64 characters, then at most two '=' of padding, in whole groups of four. */
	size_t data = 0;
	while (data < n && is_base64_char(b64[data]))
		data++;
	size_t pad = n - data;
	if (n == 0 || n % 4 != 0 || pad > 2 || (pad && memcmp(b64 + data, "==", pad) != 0))
		return -EINVAL;
	/* The decoded length tells the key's: 32, 48 or 64 bytes and 4 of CRC. */
	size_t decoded = n / 4 * 3 - pad;
	if (decoded != 36 && decoded != 52 && decoded != 68)
		return -EMSGSIZE;
	uint8_t buf[72];
	if (EVP_DecodeBlock(buf, (const unsigned char *)b64, (int)n) != (int)(n / 4 * 3))
		return -EINVAL;
	size_t keylen = decoded - 4;
	uint32_t crc = (uint32_t)buf[keylen] | (uint32_t)buf[keylen + 1] << 8 |
		       (uint32_t)buf[keylen + 2] << 16 | (uint32_t)buf[keylen + 3] << 24;
	int rc = 0;
	if (crc32_gzip_refl(0, buf, keylen) != crc) {
		rc = -EBADMSG;
	} else {
		memset(out, 0, sizeof(*out));
		out->hash = (uint8_t)(hh[1] - '0');
		out->len = (uint8_t)keylen;
		memcpy(out->bytes, buf, keylen);
	}
	OPENSSL_cleanse(buf, sizeof(buf));
	return rc;
}

int32_t wr_dhchap_secret_check(const char *secret)
{
	struct wr_dhchap_key key;
	int rc = wr_dhchap_key_parse(secret, &key);
	wr_dhchap_key_clear(&key);
	return rc;
}

/* The key HMACs are keyed with: the secret itself, or transformed over the NQN of its owner
 * (the host's NQN for the host secret, the subsystem's for the controller secret: Linux's
 * nvme_auth_transform_key callers). out holds 64 bytes; returns the length, or -1. */
static int transform_key(const struct wr_dhchap_key *key, const char *nqn, uint8_t *out)
{
	if (key->hash == 0) {
		memcpy(out, key->bytes, key->len);
		return key->len;
	}
	const struct part parts[] = { { nqn, strlen(nqn) }, { "NVMe-over-Fabrics", 17 } };
	if (hmac_parts(key->hash, key->bytes, key->len, parts, 2, out) < 0)
		return -1;
	return (int)hash_len(key->hash);
}

/* ---------------------------------------------------------------------------------------------
 * The transaction
 * ------------------------------------------------------------------------------------------- */
enum wr_auth_state {
	AUTH_WAIT_NEGOTIATE,   /* expecting AUTH_Negotiate (Authentication Send) */
	AUTH_SEND_CHALLENGE,   /* Negotiate accepted: the next Receive returns the Challenge */
	AUTH_WAIT_REPLY,       /* Challenge sent: expecting DH-HMAC-CHAP_Reply */
	AUTH_SEND_SUCCESS1,    /* Reply verified: the next Receive returns Success1 */
	AUTH_WAIT_SUCCESS2,    /* Success1 carried the controller's response: expecting Success2 */
	AUTH_SEND_FAILURE1,    /* refused: the next Receive returns AUTH_Failure1 */
	AUTH_DONE,             /* authenticated; a new Negotiate re-authenticates */
	AUTH_FAILED,           /* Failure1 sent or Failure2 received: the queue is done for */
	AUTH_STATES,
};

static const char *const state_names[AUTH_STATES] = {
	[AUTH_WAIT_NEGOTIATE] = "wait-negotiate", [AUTH_SEND_CHALLENGE] = "send-challenge",
	[AUTH_WAIT_REPLY] = "wait-reply",         [AUTH_SEND_SUCCESS1] = "send-success1",
	[AUTH_WAIT_SUCCESS2] = "wait-success2",   [AUTH_SEND_FAILURE1] = "send-failure1",
	[AUTH_DONE] = "done",                     [AUTH_FAILED] = "failed",
};

struct wr_auth {
	enum wr_auth_state state;
	uint32_t state_changes;
	bool authenticated;              /* a transaction succeeded (and none failed since) */
	enum wr_auth_outcome outcome;    /* reported once by wr_auth_take_outcome */
	const char *why;                 /* the failure's reason, for the log line */
	uint8_t fail_exp;                /* Failure1's reason code explanation */
	uint16_t tid;
	uint8_t hash_id;
	uint8_t dhgroup;
	uint32_t hl;
	uint32_t s1;
	uint8_t c1[AUTH_MAX_HASH];
	bool send_r2;                    /* Success1 carries the controller's response */
	uint8_t r2[AUTH_MAX_HASH];
	EVP_PKEY *dh;                    /* the controller's DH key of this transaction */
	uint32_t hashes, dhgroups;       /* the subsystem's policy */
	struct wr_dhchap_key key, prev_key, ctrl_key;
	char hostnqn[WR_NQN_SIZE];
	char subnqn[WR_NQN_SIZE];
};

static void set_state(struct wr_auth *a, enum wr_auth_state next)
{
	WR_LOG(WR_LOG_DEBUG, "DH-HMAC-CHAP host %s subsystem %s: %s -> %s", a->hostnqn, a->subnqn,
	       state_names[a->state], state_names[next]);
	a->state = next;
	a->state_changes++;
}

static void forget_dh(struct wr_auth *a)
{
	EVP_PKEY_free(a->dh);
	a->dh = NULL;
}

/* The transaction cannot go on: Failure1 with explanation exp answers the next Receive. */
static void refuse(struct wr_auth *a, uint8_t exp, const char *why)
{
	a->fail_exp = exp;
	a->why = why;
	forget_dh(a);
	set_state(a, AUTH_SEND_FAILURE1);
}

static void fail(struct wr_auth *a, const char *why)
{
	a->authenticated = false;
	a->outcome = WR_AUTH_FAILED;
	a->why = why;
	forget_dh(a);
	OPENSSL_cleanse(a->r2, sizeof(a->r2));
	set_state(a, AUTH_FAILED);
}

static void succeed(struct wr_auth *a)
{
	a->authenticated = true;
	a->outcome = WR_AUTH_SUCCEEDED;
	a->why = NULL;
	forget_dh(a);
	OPENSSL_cleanse(a->r2, sizeof(a->r2));
	set_state(a, AUTH_DONE);
}

struct wr_auth *wr_auth_new(const struct wr_host *h, const struct wr_subsys *s)
{
	struct wr_auth *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->key = h->key;
	a->prev_key = h->prev_key;
	a->ctrl_key = h->ctrl_key;
	a->hashes = s->dhchap_hashes;
	a->dhgroups = s->dhchap_dhgroups;
	memcpy(a->hostnqn, h->nqn, sizeof(a->hostnqn));
	memcpy(a->subnqn, s->nqn, sizeof(a->subnqn));
	return a;
}

void wr_auth_free(struct wr_auth *a)
{
	if (!a)
		return;
	forget_dh(a);
	OPENSSL_cleanse(a, sizeof(*a));
	free(a);
}

bool wr_auth_authenticated(const struct wr_auth *a)
{
	return a->authenticated;
}

enum wr_auth_outcome wr_auth_take_outcome(struct wr_auth *a, const char **why)
{
	enum wr_auth_outcome o = a->outcome;
	if (why)
		*why = a->why;
	a->outcome = WR_AUTH_ONGOING;
	return o;
}

/* The highest identifier in list[0..n) whose bit the policy sets, or -1. */
static int strongest(const uint8_t *list, uint32_t n, uint32_t policy, uint32_t known_ids)
{
	int best = -1;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t id = list[i];
		if (id < known_ids && (policy & (1u << id)) && (int)id > best)
			best = id;
	}
	return best;
}

/* AUTH_Negotiate (8.13.5.2): picks the hash function and DH group, or refuses. */
static void on_negotiate(struct wr_auth *a, const uint8_t *msg, uint32_t len)
{
	const struct nvme_auth_negotiate *n = (const struct nvme_auth_negotiate *)msg;
	a->tid = n->hdr.t_id;
	if (n->sc_c != 0) {
		refuse(a, NVME_AUTH_EXP_CONCAT_MISMATCH, "secure channel concatenation requested");
		return;
	}
	/* Every descriptor the header announces must be there (napd bounds the walk). */
	if (n->napd == 0 || len < sizeof(*n) + (uint32_t)n->napd * sizeof(n->desc[0])) {
		refuse(a, NVME_AUTH_EXP_INCORRECT_PAYLOAD, "AUTH_Negotiate shorter than its descriptors");
		return;
	}
	const struct nvme_auth_protocol_desc *d = NULL;
	for (uint32_t i = 0; i < n->napd && !d; i++)
		if (n->desc[i].authid == NVME_AUTH_DHCHAP_ID)
			d = &n->desc[i];
	if (!d) {
		refuse(a, NVME_AUTH_EXP_NOT_USABLE, "no DH-HMAC-CHAP protocol descriptor");
		return;
	}
	if (d->halen > NVME_AUTH_DH_LIST_OFFSET || d->dhlen > NVME_AUTH_DH_LIST_OFFSET) {
		refuse(a, NVME_AUTH_EXP_INCORRECT_PAYLOAD, "identifier list longer than 30");
		return;
	}
	int hash = strongest(d->idlist, d->halen, a->hashes, NVME_AUTH_SHA512 + 1);
	if (hash < 0) {
		refuse(a, NVME_AUTH_EXP_HASH_UNUSABLE, "no hash function the subsystem allows");
		return;
	}
	int group = strongest(d->idlist + NVME_AUTH_DH_LIST_OFFSET, d->dhlen, a->dhgroups,
			      NVME_AUTH_FFDHE8192 + 1);
	if (group < 0) {
		refuse(a, NVME_AUTH_EXP_DHGROUP_UNUSABLE, "no DH group the subsystem allows");
		return;
	}
	a->hash_id = (uint8_t)hash;
	a->hl = hash_len(a->hash_id);
	a->dhgroup = (uint8_t)group;
	set_state(a, AUTH_SEND_CHALLENGE);
}

/* A fresh DH key pair in the negotiated group; its public value, padded to the group's size. */
static int dh_generate(struct wr_auth *a, uint8_t *pub)
{
	int rc = -1;
	BIGNUM *y = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
						 (char *)dhgroup_name(a->dhgroup), 0),
		OSSL_PARAM_construct_end(),
	};
	forget_dh(a);
	if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_CTX_set_params(ctx, params) <= 0 ||
	    EVP_PKEY_generate(ctx, &a->dh) <= 0)
		goto out_free;
	if (!EVP_PKEY_get_bn_param(a->dh, OSSL_PKEY_PARAM_PUB_KEY, &y) ||
	    BN_bn2binpad(y, pub, (int)dhgroup_bytes(a->dhgroup)) < 0)
		goto out_free;
	rc = 0;
out_free:
	BN_free(y);
	EVP_PKEY_CTX_free(ctx);
	return rc;
}

/* g^xy from the host's public value (exactly the group's size, as Linux sends it), padded to the
 * group's size like Linux's kpp does (OpenSSL strips leading zeroes unless told to pad). OpenSSL
 * checks the peer's value (1 < y < p - 1 and in the subgroup) before it derives. */
static int dh_session_key(struct wr_auth *a, const uint8_t *peer, uint32_t len, uint8_t *out)
{
	int rc = -1;
	uint32_t size = dhgroup_bytes(a->dhgroup);
	BIGNUM *y = BN_bin2bn(peer, (int)len, NULL);
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY *peer_key = NULL;
	EVP_PKEY_CTX *fctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	EVP_PKEY_CTX *dctx = NULL;
	if (!y || !bld || !fctx || !a->dh ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					     dhgroup_name(a->dhgroup), 0) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y) ||
	    !(params = OSSL_PARAM_BLD_to_param(bld)) || EVP_PKEY_fromdata_init(fctx) <= 0 ||
	    EVP_PKEY_fromdata(fctx, &peer_key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		goto out_free;
	dctx = EVP_PKEY_CTX_new_from_pkey(NULL, a->dh, NULL);
	size_t outlen = size;
	if (!dctx || EVP_PKEY_derive_init(dctx) <= 0 || EVP_PKEY_CTX_set_dh_pad(dctx, 1) <= 0 ||
	    EVP_PKEY_derive_set_peer_ex(dctx, peer_key, 1) <= 0 ||
	    EVP_PKEY_derive(dctx, out, &outlen) <= 0 || outlen != size)
		goto out_free;
	rc = 0;
out_free:
	EVP_PKEY_CTX_free(dctx);
	EVP_PKEY_CTX_free(fctx);
	EVP_PKEY_free(peer_key);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(y);
	return rc;
}

/* Ca = HMAC(H(g^xy), C) (8.13.5.4; Linux's nvme_auth_augmented_challenge). */
static int augment(uint8_t hash_id, const uint8_t *skey, uint32_t skey_len, const uint8_t *c,
		   uint32_t hl, uint8_t *out)
{
	uint8_t hk[AUTH_MAX_HASH];
	unsigned int hklen = 0;
	EVP_MD *md = EVP_MD_fetch(NULL, hash_name(hash_id), NULL);
	int rc = -1;
	if (md && EVP_Digest(skey, skey_len, hk, &hklen, md, NULL) && hklen == hl) {
		const struct part parts[] = { { c, hl } };
		rc = hmac_parts(hash_id, hk, hklen, parts, 1, out);
	}
	EVP_MD_free(md);
	OPENSSL_cleanse(hk, sizeof(hk));
	return rc;
}

/* R1 for a host secret (see the top of the file); out gets hl bytes. */
static int host_response(const struct wr_auth *a, const struct wr_dhchap_key *key,
			 const uint8_t *ca1, uint8_t *out)
{
	uint8_t k[AUTH_MAX_HASH];
	int klen = transform_key(key, a->hostnqn, k);
	uint8_t s1[4], tid[2], zero = 0;
	memcpy(s1, &a->s1, 4);
	memcpy(tid, &a->tid, 2);
	const struct part parts[] = {
		{ ca1, a->hl }, { s1, 4 }, { tid, 2 }, { &zero, 1 }, { "HostHost", 8 },
		{ a->hostnqn, strlen(a->hostnqn) }, { &zero, 1 }, { a->subnqn, strlen(a->subnqn) },
	};
	int rc = klen < 0 ? -1 : hmac_parts(a->hash_id, k, (size_t)klen, parts, 8, out);
	OPENSSL_cleanse(k, sizeof(k));
	return rc;
}

/* R2 over the host's challenge (already augmented) and S2. */
static int ctrl_response(const struct wr_auth *a, const uint8_t *ca2, uint32_t s2, uint8_t *out)
{
	uint8_t k[AUTH_MAX_HASH];
	int klen = transform_key(&a->ctrl_key, a->subnqn, k);
	uint8_t s[4], tid[2], zero = 0;
	memcpy(s, &s2, 4);
	memcpy(tid, &a->tid, 2);
	const struct part parts[] = {
		{ ca2, a->hl }, { s, 4 }, { tid, 2 }, { &zero, 1 }, { "Controller", 10 },
		{ a->subnqn, strlen(a->subnqn) }, { &zero, 1 }, { a->hostnqn, strlen(a->hostnqn) },
	};
	int rc = klen < 0 ? -1 : hmac_parts(a->hash_id, k, (size_t)klen, parts, 8, out);
	OPENSSL_cleanse(k, sizeof(k));
	return rc;
}

/* Whether rval is R1 for the current host secret or, during a rotation, the previous one. */
static bool response_matches(const struct wr_auth *a, const uint8_t *ca1, const uint8_t *rval)
{
	const struct wr_dhchap_key *keys[] = { &a->key, &a->prev_key };
	bool match = false;
	for (size_t i = 0; i < 2; i++) {
		uint8_t expect[AUTH_MAX_HASH];
		if (keys[i]->len && host_response(a, keys[i], ca1, expect) == 0)
			match |= CRYPTO_memcmp(expect, rval, a->hl) == 0;
		OPENSSL_cleanse(expect, sizeof(expect));
	}
	return match;
}

/* DH-HMAC-CHAP_Reply (8.13.5.4): checks R1, prepares R2 when the host challenges back. */
static void on_reply(struct wr_auth *a, const uint8_t *msg, uint32_t len)
{
	const struct nvme_auth_reply *r = (const struct nvme_auth_reply *)msg;
	uint32_t dhv = dhgroup_bytes(a->dhgroup);
	if (len < sizeof(*r) || r->hl != a->hl || r->dhvlen != dhv ||
	    len < sizeof(*r) + 2u * a->hl + dhv) {
		refuse(a, NVME_AUTH_EXP_INCORRECT_PAYLOAD, "DH-HMAC-CHAP_Reply of the wrong length");
		return;
	}
	const uint8_t *rval = r->rval, *c2 = r->rval + a->hl, *dhval = r->rval + 2u * a->hl;
	uint8_t skey[AUTH_MAX_DHV], ca1[AUTH_MAX_HASH], ca2[AUTH_MAX_HASH];
	memcpy(ca1, a->c1, a->hl);
	memcpy(ca2, c2, a->hl);
	const char *why = NULL;
	uint8_t exp = NVME_AUTH_EXP_FAILED;
	if (a->dhgroup != NVME_AUTH_DH_NULL &&
	    (dh_session_key(a, dhval, dhv, skey) < 0 || augment(a->hash_id, skey, dhv, a->c1, a->hl, ca1) < 0 ||
	     augment(a->hash_id, skey, dhv, c2, a->hl, ca2) < 0)) {
		why = "the host's DH value is not usable";
		exp = NVME_AUTH_EXP_DHGROUP_UNUSABLE;
	} else if (!response_matches(a, ca1, rval)) {
		why = "wrong response (the host's secret differs)";
	} else if (r->cvalid && !a->ctrl_key.len) {
		why = "the host asks to authenticate the controller, which has no controller secret";
	} else if (r->cvalid && CRYPTO_memcmp(c2, a->c1, a->hl) == 0) {
		/* A host echoing our challenge would have us compute its answer (a reflection). */
		why = "the host's challenge repeats the controller's";
	} else if (r->cvalid && ctrl_response(a, ca2, r->seqnum, a->r2) < 0) {
		why = "computing the controller's response failed";
		exp = NVME_AUTH_EXP_NOT_USABLE;
	}
	OPENSSL_cleanse(skey, sizeof(skey));
	OPENSSL_cleanse(ca1, sizeof(ca1));
	OPENSSL_cleanse(ca2, sizeof(ca2));
	if (why) {
		refuse(a, exp, why);
		return;
	}
	a->send_r2 = r->cvalid != 0;
	set_state(a, AUTH_SEND_SUCCESS1);
}

uint16_t wr_auth_send(struct wr_auth *a, const uint8_t *msg, uint32_t len)
{
	const struct nvme_auth_hdr *h = (const struct nvme_auth_hdr *)msg;
	if (a->state == AUTH_FAILED)
		return NVME_SC_CMD_SEQ_ERROR | NVME_SC_DNR;
	if (len < sizeof(*h)) {
		refuse(a, NVME_AUTH_EXP_INCORRECT_PAYLOAD, "message shorter than its header");
		return NVME_SC_SUCCESS;
	}
	bool common = h->auth_type == NVME_AUTH_COMMON, dhchap = h->auth_type == NVME_AUTH_DHCHAP;
	/* The host gives up: Linux sends Failure2 as a common message; its target also takes it as a
	 * DH-HMAC-CHAP one (fabrics-cmd-auth.c), and so do we. */
	if ((common || dhchap) && h->auth_id == NVME_AUTH_FAILURE2 && len >= sizeof(struct nvme_auth_failure)) {
		fail(a, "the host refused the controller's response (AUTH_Failure2)");
		return NVME_SC_SUCCESS;
	}
	if (common && h->auth_id == NVME_AUTH_NEGOTIATE &&
	    (a->state == AUTH_WAIT_NEGOTIATE || a->state == AUTH_DONE)) {
		if (len < sizeof(struct nvme_auth_negotiate)) {
			refuse(a, NVME_AUTH_EXP_INCORRECT_PAYLOAD, "AUTH_Negotiate too short");
			return NVME_SC_SUCCESS;
		}
		on_negotiate(a, msg, len);
		return NVME_SC_SUCCESS;
	}
	/* Every other message belongs to the transaction Negotiate opened, at its turn. */
	bool expected = dhchap && ((a->state == AUTH_WAIT_REPLY && h->auth_id == NVME_AUTH_REPLY) ||
				   (a->state == AUTH_WAIT_SUCCESS2 && h->auth_id == NVME_AUTH_SUCCESS2));
	if (!expected) {
		refuse(a, NVME_AUTH_EXP_INCORRECT_PROTOCOL, "unexpected message");
		return NVME_SC_SUCCESS;
	}
	if (h->t_id != a->tid) {
		refuse(a, NVME_AUTH_EXP_INCORRECT_PAYLOAD, "wrong transaction identifier");
		return NVME_SC_SUCCESS;
	}
	if (h->auth_id == NVME_AUTH_REPLY) {
		on_reply(a, msg, len);
	} else if (len < sizeof(struct nvme_auth_success2)) {
		refuse(a, NVME_AUTH_EXP_INCORRECT_PAYLOAD, "DH-HMAC-CHAP_Success2 too short");
	} else {
		succeed(a);
	}
	return NVME_SC_SUCCESS;
}

static uint32_t random_seqnum(void)
{
	uint32_t s = 0;
	while (s == 0)                   /* 0 is "no sequence number" on the host's side */
		if (RAND_bytes((uint8_t *)&s, sizeof(s)) != 1)
			return 0;
	return s;
}

static uint32_t build_challenge(struct wr_auth *a, uint8_t *out)
{
	struct nvme_auth_challenge *c = (struct nvme_auth_challenge *)out;
	uint32_t dhv = dhgroup_bytes(a->dhgroup);
	memset(c, 0, sizeof(*c) + a->hl + dhv);
	a->s1 = random_seqnum();
	if (!a->s1 || RAND_bytes(a->c1, (int)a->hl) != 1)
		return 0;
	if (dhv && dh_generate(a, c->cval + a->hl) < 0)
		return 0;
	c->hdr.auth_type = NVME_AUTH_DHCHAP;
	c->hdr.auth_id = NVME_AUTH_CHALLENGE;
	c->hdr.t_id = a->tid;
	c->hl = (uint8_t)a->hl;
	c->hashid = a->hash_id;
	c->dhgid = a->dhgroup;
	c->dhvlen = (uint16_t)dhv;
	c->seqnum = a->s1;
	memcpy(c->cval, a->c1, a->hl);
	return (uint32_t)sizeof(*c) + a->hl + dhv;
}

static uint32_t build_success1(struct wr_auth *a, uint8_t *out)
{
	struct nvme_auth_success1 *s = (struct nvme_auth_success1 *)out;
	memset(s, 0, sizeof(*s) + a->hl);
	s->hdr.auth_type = NVME_AUTH_DHCHAP;
	s->hdr.auth_id = NVME_AUTH_SUCCESS1;
	s->hdr.t_id = a->tid;
	s->hl = (uint8_t)a->hl;
	if (a->send_r2) {
		s->rvalid = 1;
		memcpy(s->rval, a->r2, a->hl);
	}
	return (uint32_t)sizeof(*s) + a->hl;
}

static uint32_t build_failure1(const struct wr_auth *a, uint8_t *out)
{
	struct nvme_auth_failure *f = (struct nvme_auth_failure *)out;
	memset(f, 0, sizeof(*f));
	f->hdr.auth_type = NVME_AUTH_COMMON;   /* a common message, as Linux reads it */
	f->hdr.auth_id = NVME_AUTH_FAILURE1;
	f->hdr.t_id = a->tid;
	f->rescode = NVME_AUTH_RC_FAILED;
	f->rescode_exp = a->fail_exp;
	return sizeof(*f);
}

/* The longest message the controller sends: a Challenge with SHA-512 and ffdhe8192. */
#define AUTH_MAX_MSG (sizeof(struct nvme_auth_challenge) + AUTH_MAX_HASH + AUTH_MAX_DHV)

uint16_t wr_auth_receive(struct wr_auth *a, uint8_t *out, uint32_t al, uint32_t *len)
{
	uint8_t msg[AUTH_MAX_MSG];
	uint32_t n = 0;
	*len = 0;
	if (a->state == AUTH_FAILED)
		return NVME_SC_CMD_SEQ_ERROR | NVME_SC_DNR;
	switch (a->state) {
	case AUTH_SEND_CHALLENGE:
		n = build_challenge(a, msg);
		if (!n) {
			refuse(a, NVME_AUTH_EXP_NOT_USABLE, "generating the challenge failed");
			n = build_failure1(a, msg);
		}
		break;
	case AUTH_SEND_SUCCESS1:
		n = build_success1(a, msg);
		break;
	case AUTH_SEND_FAILURE1:
		n = build_failure1(a, msg);
		break;
	default:
		/* Nothing is due: the host is out of step (Linux's target answers Failure1 too). */
		refuse(a, NVME_AUTH_EXP_INCORRECT_PROTOCOL, "Authentication Receive out of turn");
		n = build_failure1(a, msg);
		break;
	}
	if (n > al) {
		/* Too small a buffer is the host's bug: the message stays due. */
		OPENSSL_cleanse(msg, sizeof(msg));
		return NVME_SC_INVALID_FIELD | NVME_SC_DNR;
	}
	memcpy(out, msg, n);
	*len = n;
	OPENSSL_cleanse(msg, sizeof(msg));
	if (a->state == AUTH_SEND_CHALLENGE)
		set_state(a, AUTH_WAIT_REPLY);
	else if (a->state == AUTH_SEND_SUCCESS1 && a->send_r2)
		set_state(a, AUTH_WAIT_SUCCESS2);
	else if (a->state == AUTH_SEND_SUCCESS1)
		succeed(a);
	else if (a->state == AUTH_SEND_FAILURE1)
		fail(a, a->why);
	return NVME_SC_SUCCESS;
}
