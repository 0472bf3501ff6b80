/*
 * tls.c - the NVMe/TCP secure channel: TLS 1.3 with pre-shared keys (NVMe TCP transport
 * specification 1.0d, 3.6.1 "Transport Layer Security"; TP 8011 and TP 8018), in user space with
 * OpenSSL 3 (this machine's kernel has no kTLS; a reactor drives the handshake without blocking).
 *
 * Keys, as Linux's host and nvme-cli (libnvme src/nvme/linux.c) handle them:
 *  - the configured PSK in the interchange format "NVMeTLSkey-1:hh:<base64(PSK || CRC-32(PSK),
 *    little-endian)>:" (`nvme gen-tls-key` / `nvme check-tls-key`); hh is the hash that turns it
 *    into the retained PSK: 00 none (used as it is), 01 SHA-256 (32-byte PSK), 02 SHA-384 (48);
 *  - retained PSK = HKDF-Expand-Label(HKDF-Extract(0, configured), "HostNQN", host NQN, L);
 *    only retained PSKs are kept (the specification asks the configured one be destroyed);
 *  - PSK identity "NVMe0R0c <hostnqn> <subnqn>" or "NVMe1R0c <hostnqn> <subnqn> <digest>", c the
 *    cipher suite's hash (01 TLS_AES_128_GCM_SHA256, 02 TLS_AES_256_GCM_SHA384); digest =
 *    base64(HMAC(retained, "<hostnqn> <subnqn> NVMe-over-Fabrics")) with that hash;
 *  - TLS PSK = HKDF-Expand-Label(HKDF-Extract(0, retained), "nvme-tls-psk", context, L), context
 *    the whole identity (version 0) or "0c <digest>" (version 1).
 * HKDF-Expand-Label comes in two forms, both in use (libnvme PR 1051, Aug 2025, and PR 1068):
 *  - WR_TLS_FORM_LIBNVME, what nvme-cli 2.x (libnvme up to its 2025 fix; Debian trixie's 2.13)
 *    inserts into the host's keyring and what arrays tested against it use: the info is the
 *    length (little-endian), "tls13 ", the label and the context, with no length bytes. nvme-cli
 *    2.13's own identity digest for our test key confirms it (tests/test_tls.c);
 *  - WR_TLS_FORM_RFC8446, as the specification says and SPDK and newer libnvme do: the length
 *    big-endian, then the "tls13 "-prefixed label and the context, each with its length byte.
 * A version-1 identity carries a digest of the retained PSK, which tells the form: both are
 * tried. A version-0 identity does not: the form configured for the host decides (default
 * libnvme's, what Linux hosts derive today).
 *
 * Records: after the handshake the connection's bytes go through SSL_read/SSL_write; the send
 * machine hands its gathered iovecs to wr_tls_send, which copies them into the connection's one
 * record buffer (requests are released as with sendmsg: the bytes are ours now) and writes it.
 * Nothing of this runs for a connection without TLS: tcp.c branches once per read and per send.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include <isa-l/crc.h>

#include "internal.h"

#define TLS_TX_BUF (64u * 1024u)          /* four full records per SSL_write */
#define TLS_RECORD_CONTENT_TYPE_HANDSHAKE 0x16u

static const EVP_MD *cipher_md(uint8_t cipher)
{
	return cipher == 1 ? EVP_sha256() : cipher == 2 ? EVP_sha384() : NULL;
}

static bool is_base64_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '+' || ch == '/';
}

/* ---------------------------------------------------------------------------------------------
 * The interchange format
 * ------------------------------------------------------------------------------------------- */
int wr_tls_psk_parse(const char *psk, uint8_t *hmac, uint8_t *key, uint8_t *key_len)
{
	static const char prefix[] = "NVMeTLSkey-1:";
	if (!psk)
		return -EINVAL;
	size_t len = strnlen(psk, WR_TLS_PSK_MAX_LEN + 1);
	if (len > WR_TLS_PSK_MAX_LEN)
		return -EMSGSIZE;
	if (len < sizeof(prefix) - 1 + 3 || memcmp(psk, prefix, sizeof(prefix) - 1) != 0)
		return -EINVAL;
	const char *hh = psk + sizeof(prefix) - 1;
	if (hh[0] != '0' || hh[1] < '0' || hh[1] > '2' || hh[2] != ':')
		return -EINVAL;
	const char *b64 = hh + 3;
	size_t n = len - (size_t)(b64 - psk);
	if (n == 0 || b64[n - 1] != ':')     /* the interchange format ends with ':' */
		return -EINVAL;
	n--;
	size_t data = 0;
	while (data < n && is_base64_char(b64[data]))
		data++;
	size_t pad = n - data;
	if (n == 0 || n % 4 != 0 || pad > 2 || (pad && memcmp(b64 + data, "==", pad) != 0))
		return -EINVAL;
	size_t decoded = n / 4 * 3 - pad;
	if (decoded != 36 && decoded != 52)
		return -EMSGSIZE;
	size_t klen = decoded - 4;
	/* 01 is SHA-256 over a 32-byte PSK, 02 SHA-384 over 48 bytes (libnvme refuses other pairs) */
	if ((hh[1] == '1' && klen != 32) || (hh[1] == '2' && klen != 48))
		return -EMSGSIZE;
	uint8_t buf[56];
	if (EVP_DecodeBlock(buf, (const unsigned char *)b64, (int)n) != (int)(n / 4 * 3))
		return -EINVAL;
	uint32_t crc = (uint32_t)buf[klen] | (uint32_t)buf[klen + 1] << 8 |
		       (uint32_t)buf[klen + 2] << 16 | (uint32_t)buf[klen + 3] << 24;
	int rc = 0;
	if (crc32_gzip_refl(0, buf, klen) != crc) {
		rc = -EBADMSG;
	} else {
		if (hmac)
			*hmac = (uint8_t)(hh[1] - '0');
		if (key)
			memcpy(key, buf, klen);
		if (key_len)
			*key_len = (uint8_t)klen;
	}
	OPENSSL_cleanse(buf, sizeof(buf));
	return rc;
}

int32_t wr_tls_psk_check(const char *psk)
{
	uint8_t key[48];
	int rc = wr_tls_psk_parse(psk, NULL, key, NULL);
	OPENSSL_cleanse(key, sizeof(key));
	return rc;
}

int32_t wr_tls_psk_generate(uint32_t hmac, char *out, uint32_t cap)
{
	if (!out || (hmac != 1 && hmac != 2))
		return -EINVAL;
	uint32_t klen = hmac == 1 ? 32 : 48;
	/* prefix (13) + "0h:" + base64 of klen + 4 + ':' + NUL */
	uint32_t need = 13 + 3 + (klen + 4 + 2) / 3 * 4 + 1 + 1;
	if (cap < need)
		return -EMSGSIZE;
	uint8_t buf[52];
	if (RAND_bytes(buf, (int)klen) != 1)
		return -EIO;
	uint32_t crc = crc32_gzip_refl(0, buf, klen);
	for (int i = 0; i < 4; i++)
		buf[klen + i] = (uint8_t)(crc >> (8 * i));
	int n = snprintf(out, cap, "NVMeTLSkey-1:0%u:", hmac);
	int b = EVP_EncodeBlock((unsigned char *)out + n, buf, (int)klen + 4);
	out[n + b] = ':';
	out[n + b + 1] = '\0';
	OPENSSL_cleanse(buf, sizeof(buf));
	return n + b + 1;
}

/* ---------------------------------------------------------------------------------------------
 * Derivations
 * ------------------------------------------------------------------------------------------- */
/* out[0..L) = HKDF-Expand-Label(HKDF-Extract(0, ikm), label, context, L) in the given form (RFC
 * 8446, 7.1, or libnvme's unprefixed one: see the top of this file). The info goes to OpenSSL in
 * one piece: OpenSSL 3.0/3.1's EVP_PKEY_CTX_add1_hkdf_info replaces instead of appending (libnvme
 * PR 1068). */
static int hkdf_expand_label(const EVP_MD *md, int form, const uint8_t *ikm, size_t ikm_len,
			     const char *label, const char *ctx, size_t ctx_len, uint8_t *out, size_t L)
{
	size_t label_len = strlen(label);
	if (ctx_len > 255 || 6 + label_len > 255)
		return -EINVAL;
	uint8_t info[2 + 1 + 255 + 1 + 255];
	size_t n = 0;
	if (form == WR_TLS_FORM_RFC8446) {
		info[n++] = (uint8_t)(L >> 8);
		info[n++] = (uint8_t)L;
		info[n++] = (uint8_t)(6 + label_len);
	} else {
		info[n++] = (uint8_t)L;
		info[n++] = (uint8_t)(L >> 8);
	}
	memcpy(info + n, "tls13 ", 6);
	n += 6;
	memcpy(info + n, label, label_len);
	n += label_len;
	if (form == WR_TLS_FORM_RFC8446)
		info[n++] = (uint8_t)ctx_len;
	memcpy(info + n, ctx, ctx_len);
	n += ctx_len;
	int rc = -EIO;
	EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
	if (pctx && EVP_PKEY_derive_init(pctx) > 0 && EVP_PKEY_CTX_set_hkdf_md(pctx, md) > 0 &&
	    EVP_PKEY_CTX_set1_hkdf_key(pctx, ikm, (int)ikm_len) > 0 &&
	    EVP_PKEY_CTX_add1_hkdf_info(pctx, info, (int)n) > 0) {
		size_t got = L;
		if (EVP_PKEY_derive(pctx, out, &got) > 0 && got == L)
			rc = 0;
	}
	EVP_PKEY_CTX_free(pctx);
	OPENSSL_cleanse(info, sizeof(info));
	return rc;
}

uint8_t wr_tls_key_cipher(uint8_t hmac, uint8_t len)
{
	if (hmac)
		return hmac;
	return len == 48 ? 2 : 1;            /* libnvme's default_hmac for an untransformed PSK */
}

int wr_tls_retained(int form, uint8_t hmac, const uint8_t *configured, uint8_t len,
		    const char *hostnqn, size_t hostnqn_len, uint8_t *out)
{
	if (len != 32 && len != 48)
		return -EINVAL;
	if (hmac == 0) {
		memcpy(out, configured, len);
		return 0;
	}
	const EVP_MD *md = cipher_md(hmac);
	if (!md)
		return -EINVAL;
	return hkdf_expand_label(md, form, configured, len, "HostNQN", hostnqn, hostnqn_len, out, len);
}

int wr_tls_digest(uint8_t cipher, const uint8_t *retained, uint8_t len, const char *hostnqn,
		  size_t hostnqn_len, const char *subnqn, size_t subnqn_len, char *out, size_t cap)
{
	const EVP_MD *md = cipher_md(cipher);
	if (!md || cap < 65 + 1)
		return -EINVAL;
	uint8_t mac[EVP_MAX_MD_SIZE];
	unsigned int mac_len = 0;
	int rc = -EIO;
	EVP_MAC *m = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *mc = m ? EVP_MAC_CTX_new(m) : NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string("digest", (char *)EVP_MD_get0_name(md), 0),
		OSSL_PARAM_construct_end(),
	};
	size_t got = 0;
	if (mc && EVP_MAC_init(mc, retained, len, params) &&
	    EVP_MAC_update(mc, (const uint8_t *)hostnqn, hostnqn_len) &&
	    EVP_MAC_update(mc, (const uint8_t *)" ", 1) &&
	    EVP_MAC_update(mc, (const uint8_t *)subnqn, subnqn_len) &&
	    EVP_MAC_update(mc, (const uint8_t *)" NVMe-over-Fabrics", 18) &&
	    EVP_MAC_final(mc, mac, &got, sizeof(mac))) {
		mac_len = (unsigned int)got;
		if ((mac_len + 2) / 3 * 4 + 1 <= cap) {
			EVP_EncodeBlock((unsigned char *)out, mac, (int)mac_len);
			rc = 0;
		} else {
			rc = -EMSGSIZE;
		}
	}
	EVP_MAC_CTX_free(mc);
	EVP_MAC_free(m);
	OPENSSL_cleanse(mac, sizeof(mac));
	return rc;
}

int wr_tls_derive_psk(int form, uint8_t cipher, const uint8_t *retained, uint8_t len,
		      const char *context, size_t context_len, uint8_t *out)
{
	const EVP_MD *md = cipher_md(cipher);
	if (!md)
		return -EINVAL;
	return hkdf_expand_label(md, form, retained, len, "nvme-tls-psk", context, context_len, out, len);
}

/* "NVMe<v>R0<c> <hostnqn> <subnqn>[ <digest>]": R (retained; G, generated by DH-HMAC-CHAP, is
 * not offered here), version 0 or 1, cipher 1 or 2; NQNs without spaces (wr_nqn_check). */
int wr_tls_identity_parse(const char *id, size_t len, struct wr_tls_identity *out)
{
	memset(out, 0, sizeof(*out));
	if (len < 9 || memcmp(id, "NVMe", 4) != 0 || (id[4] != '0' && id[4] != '1') ||
	    id[5] != 'R' || id[6] != '0' || (id[7] != '1' && id[7] != '2') || id[8] != ' ')
		return -EINVAL;
	out->version = (uint8_t)(id[4] - '0');
	out->cipher = (uint8_t)(id[7] - '0');
	const char *p = id + 9, *end = id + len;
	const char *sp = memchr(p, ' ', (size_t)(end - p));
	if (!sp || sp == p)
		return -EINVAL;
	out->hostnqn = p;
	out->hostnqn_len = (size_t)(sp - p);
	p = sp + 1;
	sp = memchr(p, ' ', (size_t)(end - p));
	if (out->version == 0) {
		if (sp || p == end)
			return -EINVAL;
		out->subnqn = p;
		out->subnqn_len = (size_t)(end - p);
	} else {
		if (!sp || sp == p || sp + 1 == end || memchr(sp + 1, ' ', (size_t)(end - sp - 1)))
			return -EINVAL;
		out->subnqn = p;
		out->subnqn_len = (size_t)(sp - p);
		out->digest = sp + 1;
		out->digest_len = (size_t)(end - sp - 1);
	}
	if (out->hostnqn_len >= WR_NQN_SIZE || out->subnqn_len >= WR_NQN_SIZE ||
	    wr_nqn_check(out->hostnqn, (uint32_t)out->hostnqn_len) != 0 ||
	    wr_nqn_check(out->subnqn, (uint32_t)out->subnqn_len) != 0)
		return -EINVAL;
	return 0;
}

int wr_tls_key_set(struct wr_tls_key *k, const char *psk, const char *hostnqn, size_t hostnqn_len,
		   int v0_form)
{
	uint8_t configured[48], hmac = 0, len = 0;
	memset(k, 0, sizeof(*k));
	if (v0_form != WR_TLS_FORM_LIBNVME && v0_form != WR_TLS_FORM_RFC8446)
		return -EINVAL;
	int rc = wr_tls_psk_parse(psk, &hmac, configured, &len);
	for (int form = 0; rc == 0 && form < 2; form++)
		rc = wr_tls_retained(form, hmac, configured, len, hostnqn, hostnqn_len, k->retained[form]);
	OPENSSL_cleanse(configured, sizeof(configured));
	if (rc == 0) {
		k->len = len;
		k->cipher = wr_tls_key_cipher(hmac, len);
		k->v0_form = (uint8_t)v0_form;
	} else {
		OPENSSL_cleanse(k, sizeof(*k));
	}
	return rc;
}

/* The TLS PSK for an identity the host offered, from the retained PSK configured for its
 * (subsystem, host). Returns 0, or -EKEYREJECTED with *why. */
int wr_tls_psk_for_identity(const struct wr_tls_key *k, const char *id, size_t id_len,
			    const struct wr_tls_identity *ident, uint8_t *out, const char **why)
{
	if (ident->cipher != k->cipher) {
		*why = "the PSK identity's hash is not the configured PSK's";
		return -EKEYREJECTED;
	}
	if (ident->version == 0) {
		if (wr_tls_derive_psk(k->v0_form, k->cipher, k->retained[k->v0_form], k->len, id, id_len,
				      out) == 0)
			return 0;
		*why = "TLS PSK derivation failed";
		return -EKEYREJECTED;
	}
	/* the digest names the form the host derived with; it matches neither for another key */
	for (int form = 0; form < 2; form++) {
		char digest[72];
		if (wr_tls_digest(k->cipher, k->retained[form], k->len, ident->hostnqn,
				  ident->hostnqn_len, ident->subnqn, ident->subnqn_len, digest,
				  sizeof(digest)) != 0) {
			*why = "PSK digest failed";
			return -EKEYREJECTED;
		}
		size_t dl = strlen(digest);
		if (dl != ident->digest_len || CRYPTO_memcmp(digest, ident->digest, dl) != 0)
			continue;
		char ctx[3 + sizeof(digest)];
		int n = snprintf(ctx, sizeof(ctx), "0%u %s", k->cipher, digest);
		if (wr_tls_derive_psk(form, k->cipher, k->retained[form], k->len, ctx, (size_t)n, out) == 0)
			return 0;
		*why = "TLS PSK derivation failed";
		return -EKEYREJECTED;
	}
	*why = "the PSK identity's digest is not the configured PSK's (another key)";
	return -EKEYREJECTED;
}

/* ---------------------------------------------------------------------------------------------
 * The server side
 * ------------------------------------------------------------------------------------------- */
enum wr_tls_state {
	TLS_PEEK,        /* the port takes TLS: the first byte says whether this connection does */
	TLS_HANDSHAKE,   /* SSL_accept until it completes */
	TLS_OPEN,        /* records */
};

struct wr_tls_conn {
	SSL *ssl;
	enum wr_tls_state state;
	uint8_t *tx_buf;                 /* bytes taken from the send machine, not yet in SSL */
	uint32_t tx_len;
	char hostnqn[WR_NQN_SIZE];       /* from the PSK identity that opened the channel */
	char subnqn[WR_NQN_SIZE];
	bool required;                   /* the port refuses plain NVMe/TCP */
};

static int ex_conn_index = -1;

static void tls_log(const struct wr_conn *c, int level, const char *what, const char *why)
{
	wr_log_kind(what, level, "TLS from %s on port slot %u: %s%s%s", c->peer, c->port_slot, what,
		    why ? ": " : "", why ? why : "");
}

static int find_session(SSL *ssl, const unsigned char *identity, size_t identity_len,
			SSL_SESSION **sess)
{
	struct wr_conn *c = SSL_get_ex_data(ssl, ex_conn_index);
	*sess = NULL;
	struct wr_tls_identity ident;
	const char *why = NULL;
	if (wr_tls_identity_parse((const char *)identity, identity_len, &ident) != 0) {
		tls_log(c, WR_LOG_WARN, "PSK identity refused", "not an NVMe retained-PSK identity");
		return 1;                     /* no PSK: the handshake fails (no certificate) */
	}
	struct wr_target *t = c->target;
	struct wr_tls_key key;
	memset(&key, 0, sizeof(key));
	pthread_mutex_lock(&t->lock);
	struct wr_subsys *s = wr_subsys_find(t, ident.subnqn, ident.subnqn_len);
	struct wr_host *h = s ? wr_subsys_host_find(s, ident.hostnqn, ident.hostnqn_len) : NULL;
	if (!s)
		why = "unknown subsystem";
	else if (!wr_subsys_on_port(s, c->port_slot))
		why = "the subsystem does not listen on this port";
	else if (!h || !h->tls.len)
		why = "no PSK configured for this host on this subsystem";
	else
		key = h->tls;
	pthread_mutex_unlock(&t->lock);
	uint8_t psk[48];
	if (!why)
		wr_tls_psk_for_identity(&key, (const char *)identity, identity_len, &ident, psk, &why);
	if (why) {
		char host[WR_NQN_SIZE];
		wr_name_copy(host, ident.hostnqn, ident.hostnqn_len);
		wr_log_kind(find_session, WR_LOG_WARN, "TLS from %s: host %s refused: %s", c->peer, host,
			    why);
		OPENSSL_cleanse(&key, sizeof(key));
		return 1;
	}
	static const unsigned char aes128[] = { 0x13, 0x01 }, aes256[] = { 0x13, 0x02 };
	const SSL_CIPHER *cipher = SSL_CIPHER_find(ssl, key.cipher == 1 ? aes128 : aes256);
	SSL_SESSION *ss = cipher ? SSL_SESSION_new() : NULL;
	int ok = ss && SSL_SESSION_set1_master_key(ss, psk, key.len) &&
		 SSL_SESSION_set_cipher(ss, cipher) &&
		 SSL_SESSION_set_protocol_version(ss, TLS1_3_VERSION);
	OPENSSL_cleanse(psk, sizeof(psk));
	OPENSSL_cleanse(&key, sizeof(key));
	if (!ok) {
		SSL_SESSION_free(ss);
		return 0;
	}
	struct wr_tls_conn *tc = c->tls;
	wr_name_copy(tc->hostnqn, ident.hostnqn, ident.hostnqn_len);
	wr_name_copy(tc->subnqn, ident.subnqn, ident.subnqn_len);
	*sess = ss;
	return 1;
}

int wr_tls_target_init(struct wr_target *t)
{
	if (t->tls_ctx)
		return 0;
	if (ex_conn_index < 0)
		ex_conn_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx)
		return -ENOMEM;
	/* TLS 1.3 only, the two suites the specification names; no tickets (the Linux host's
	 * kTLS socket would take a NewSessionTicket after the handshake for a record it cannot
	 * use), no resumption, external PSKs only. */
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384") ||
	    !SSL_CTX_set_num_tickets(ctx, 0)) {
		SSL_CTX_free(ctx);
		return -EINVAL;
	}
	/* A host that closes its socket without close_notify has closed the connection, not
	 * broken a record (the Linux host's kTLS socket does not send one). */
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION |
				 SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_read_ahead(ctx, 1);
	SSL_CTX_set_psk_find_session_callback(ctx, find_session);
	t->tls_ctx = ctx;
	return 0;
}

void wr_tls_target_fini(struct wr_target *t)
{
	SSL_CTX_free(t->tls_ctx);
	t->tls_ctx = NULL;
}

void wr_tls_conn_free(struct wr_tls_conn *tc)
{
	if (!tc)
		return;
	SSL_free(tc->ssl);
	if (tc->tx_buf) {
		OPENSSL_cleanse(tc->tx_buf, TLS_TX_BUF);
		free(tc->tx_buf);
	}
	free(tc);
}

int wr_tls_conn_new(struct wr_conn *c, bool required)
{
	struct wr_tls_conn *tc = calloc(1, sizeof(*tc));
	if (!tc)
		return -ENOMEM;
	tc->state = TLS_PEEK;
	tc->required = required;
	c->tls = tc;
	c->secure = true;
	return 0;
}

bool wr_tls_conn_identity_is(const struct wr_conn *c, const char *hostnqn, size_t hostnqn_len,
			     const char *subnqn, size_t subnqn_len, bool discovery)
{
	const struct wr_tls_conn *tc = c->tls;
	if (!tc || tc->state != TLS_OPEN)
		return true;                  /* not a TLS connection: nothing to match */
	return wr_name_eq(tc->hostnqn, hostnqn, hostnqn_len) &&
	       (discovery || wr_name_eq(tc->subnqn, subnqn, subnqn_len));
}

bool wr_tls_conn_open(const struct wr_conn *c)
{
	return c->tls && c->tls->state == TLS_OPEN;
}

static void want_write(struct wr_conn *c, bool on);

/* Reads what the first byte of a connection on a TLS port says. Returns 1 to go on with TLS, 0
 * when the connection stays plain, -1 when nothing is there yet or it was closed. */
static int peek(struct wr_conn *c)
{
	struct wr_tls_conn *tc = c->tls;
	uint8_t b;
	ssize_t n = recv(c->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
	if (n == 0) {
		wr_conn_close(c, "peer closed the connection");
		return -1;
	}
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			wr_conn_close(c, "receive failed");
		return -1;
	}
	if (b != TLS_RECORD_CONTENT_TYPE_HANDSHAKE) {
		if (tc->required) {
			/* Linux nvmet (tcp.c, nvmet_tcp_try_peek_pdu) closes a queue whose first
			 * bytes are not a TLS record when the port requires TLS: no ICResp. */
			tls_log(c, WR_LOG_WARN, "refused",
				"the listener requires TLS and the host sent plain NVMe/TCP");
			wr_conn_close(c, "TLS required");
			return -1;
		}
		c->secure = false;            /* "not required": this one speaks plain NVMe/TCP */
		wr_tls_conn_free(tc);
		c->tls = NULL;
		return 0;
	}
	tc->ssl = SSL_new(c->target->tls_ctx);
	tc->tx_buf = malloc(TLS_TX_BUF);
	if (!tc->ssl || !tc->tx_buf || !SSL_set_fd(tc->ssl, c->fd) ||
	    !SSL_set_ex_data(tc->ssl, ex_conn_index, c)) {
		wr_conn_close(c, "no memory for TLS");
		return -1;
	}
	tc->state = TLS_HANDSHAKE;
	return 1;
}

static void handshake(struct wr_conn *c)
{
	struct wr_tls_conn *tc = c->tls;
	ERR_clear_error();
	int rc = SSL_accept(tc->ssl);
	if (rc == 1) {
		tc->state = TLS_OPEN;
		want_write(c, false);
		wr_admission_count(c->target, WR_NET_TLS_CHANNELS);
		char buf[WR_NQN_SIZE + 40];
		snprintf(buf, sizeof(buf), "%s, host %s", SSL_get_cipher_name(tc->ssl), tc->hostnqn);
		tls_log(c, WR_LOG_INFO, "channel open", buf);
		return;
	}
	int err = SSL_get_error(tc->ssl, rc);
	if (err == SSL_ERROR_WANT_READ) {
		want_write(c, false);
		return;
	}
	if (err == SSL_ERROR_WANT_WRITE) {
		want_write(c, true);
		return;
	}
	char reason[160];
	unsigned long e = ERR_peek_last_error();
	snprintf(reason, sizeof(reason), "%s", e ? ERR_reason_error_string(e) : "connection closed");
	ERR_clear_error();
	tls_log(c, WR_LOG_WARN, "handshake failed", reason);
	wr_admission_count(c->target, WR_NET_TLS_FAILURES);
	wr_conn_close(c, "TLS handshake failed");
}

static void want_write(struct wr_conn *c, bool on)
{
	if (c->dead || !c->reactor || c->reactor->epfd < 0 || c->epollout == on)
		return;
	struct epoll_event ev = { .events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c };
	if (epoll_ctl(c->reactor->epfd, EPOLL_CTL_MOD, c->fd, &ev) == 0)
		c->epollout = on;
}

int wr_tls_on_readable(struct wr_conn *c, uint8_t *staging, size_t staging_len, uint32_t budget)
{
	struct wr_tls_conn *tc = c->tls;
	if (tc->state == TLS_PEEK) {
		int p = peek(c);
		if (p < 0)
			return 0;
		if (p == 0)
			return wr_conn_on_readable(c, staging, staging_len, budget);
	}
	if (tc->state == TLS_HANDSHAKE) {
		handshake(c);
		if (c->dead || tc->state != TLS_OPEN)
			return 1;
	}
	int work = 0;
	/* Until SSL_read wants the socket: read-ahead may hold whole records that epoll will never
	 * announce again. A record is at most 16 KiB: the staging buffer takes several. */
	while (!c->dead) {
		ERR_clear_error();
		size_t got = 0;
		int rc = SSL_read_ex(tc->ssl, staging, staging_len, &got);
		if (rc == 1) {
			work += (int)got;
			wr_conn_rx_feed(c, staging, got);
			continue;
		}
		int err = SSL_get_error(tc->ssl, rc);
		if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
			break;
		if (err == SSL_ERROR_ZERO_RETURN) {
			wr_conn_close(c, "peer closed the TLS channel");
		} else {
			unsigned long e = ERR_peek_last_error();
			tls_log(c, WR_LOG_WARN, "record refused",
				e ? ERR_reason_error_string(e) : "connection closed");
			ERR_clear_error();
			wr_conn_close(c, err == SSL_ERROR_SYSCALL ? "peer closed the connection"
								  : "TLS record error");
		}
		break;
	}
	return work;
}

/* Writes what tx_buf holds. 0 when it is all out, -EAGAIN when the socket is full, else < 0. */
static int tx_drain(struct wr_conn *c)
{
	struct wr_tls_conn *tc = c->tls;
	while (tc->tx_len) {
		ERR_clear_error();
		size_t put = 0;
		int rc = SSL_write_ex(tc->ssl, tc->tx_buf, tc->tx_len, &put);
		if (rc == 1) {
			/* without partial writes SSL_write_ex took everything */
			tc->tx_len = 0;
			break;
		}
		int err = SSL_get_error(tc->ssl, rc);
		if (err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ)
			return -EAGAIN;
		ERR_clear_error();
		return -EPIPE;
	}
	return 0;
}

bool wr_tls_tx_pending(const struct wr_conn *c)
{
	return c->tls && c->tls->tx_len > 0;
}

ssize_t wr_tls_send(struct wr_conn *c, const struct iovec *iov, int n)
{
	struct wr_tls_conn *tc = c->tls;
	if (tc->state != TLS_OPEN) {
		/* the handshake's own writes wait on EPOLLOUT; nothing of ours goes out before */
		if (tc->state == TLS_HANDSHAKE)
			handshake(c);
		errno = EAGAIN;
		return -1;
	}
	int rc = tx_drain(c);
	if (rc < 0) {
		errno = rc == -EAGAIN ? EAGAIN : EPIPE;
		return -1;
	}
	uint32_t took = 0;
	for (int i = 0; i < n && took < TLS_TX_BUF; i++) {
		size_t k = iov[i].iov_len;
		if (k > TLS_TX_BUF - took)
			k = TLS_TX_BUF - took;
		memcpy(tc->tx_buf + took, iov[i].iov_base, k);
		took += (uint32_t)k;
	}
	tc->tx_len = took;
	rc = tx_drain(c);
	if (rc < 0 && rc != -EAGAIN) {
		errno = EPIPE;
		return -1;
	}
	/* the bytes are taken either way: a pending rest goes out first on the next call */
	return took;
}

/* The send machine's entry for a TLS connection that has nothing new: the pending rest, or the
 * handshake's own writes. 0 when drained, -EAGAIN while the socket is full. */
int wr_tls_flush(struct wr_conn *c)
{
	struct wr_tls_conn *tc = c->tls;
	if (tc->state == TLS_HANDSHAKE) {
		handshake(c);
		return c->dead ? -EPIPE : tc->state == TLS_OPEN ? 0 : -EAGAIN;
	}
	if (tc->state != TLS_OPEN)
		return 0;
	int rc = tx_drain(c);
	if (rc == -EPIPE)
		wr_conn_close(c, "send failed");
	return rc;
}
