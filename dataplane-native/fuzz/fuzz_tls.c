/*
 * fuzz_tls.c - libFuzzer target over what a TLS peer controls before the handshake completes: the
 * PSK identity it offers (wr_tls_identity_parse, then the TLS PSK derived for it from a configured
 * key, both derivation forms, the digest compared) and, from configuration, the interchange PSK
 * text (wr_tls_psk_parse). The first input byte chooses which; the rest is the identity as bytes
 * (not NUL-terminated: OpenSSL hands it over with a length) or the PSK as a C string.
 * Seeds: corpus/tls (identities as nvme-cli offers them, an interchange PSK).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define HOST "nqn.2014-08.org.nvmexpress:uuid:f0f0f0f0-0000-0000-0000-000000000001"
#define PSK "NVMeTLSkey-1:01:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWwNf9LrZ:"

static unsigned long inputs, identities, derived;

__attribute__((destructor)) static void report(void)
{
	fprintf(stderr, "fuzz_tls: %lu inputs, %lu parsed as identities, %lu got a TLS PSK\n", inputs,
		identities, derived);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wr_tls_key key;
	static int ready;
	if (!ready) {
		if (wr_tls_key_set(&key, PSK, HOST, strlen(HOST), WR_TLS_FORM_LIBNVME) != 0)
			abort();
		ready = 1;
	}
	inputs++;
	if (size < 1)
		return 0;
	const uint8_t *p = data + 1;
	size_t n = size - 1;
	if (data[0] & 1) {
		char *text = malloc(n + 1);
		if (!text)
			return 0;
		memcpy(text, p, n);
		text[n] = '\0';
		uint8_t k[48], hmac, len;
		wr_tls_psk_parse(text, &hmac, k, &len);
		free(text);
		return 0;
	}
	/* exactly n bytes, so ASan sees any read past the identity */
	char *id = malloc(n ? n : 1);
	if (!id)
		return 0;
	memcpy(id, p, n);
	struct wr_tls_identity ident;
	if (wr_tls_identity_parse(id, n, &ident) == 0) {
		uint8_t out[48];
		const char *why = NULL;
		key.v0_form = (uint8_t)((data[0] >> 1) & 1);
		identities++;
		derived += wr_tls_psk_for_identity(&key, id, n, &ident, out, &why) == 0;
	}
	free(id);
	return 0;
}
