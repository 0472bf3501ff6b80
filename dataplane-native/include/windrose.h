/*
 * windrose.h - the whole public interface of libwindrose, the Windrose dataplane.
 *
 * Conventions (see ../../README.md and STYLE.md):
 *  - every exported symbol starts with wr_; everything else in the library is static or hidden;
 *  - fixed-width types only, opaque handles, results are 0 / a count or a negative errno;
 *  - the structures below are read by Java through Panama FFM; Java checks its layouts against
 *    wr_struct_size()/wr_struct_offset() at start-up, so a change here fails fast, not silently.
 */
#ifndef WINDROSE_H
#define WINDROSE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WR_API __attribute__((visibility("default")))

/* Bumped whenever a structure below or a function signature changes. */
#define WR_ABI_VERSION 3u

/* NVMe Qualified Names are at most 223 bytes (NVMe base spec 4.5); +1 for the NUL. */
#define WR_NQN_SIZE 224u
#define WR_NQN_MAX_LEN 223u

/* ---------------------------------------------------------------------------------------------
 * Names: every NQN passed to the control API is bytes and a length, never a C string, so that no
 * layer can see another name than the caller meant: a name whose length includes a NUL is refused
 * (-EINVAL) instead of being cut short at it. WR_NAME("literal") or WR_NAME(c_string) passes a C
 * string as both arguments.
 * ------------------------------------------------------------------------------------------- */
#define WR_NAME(s) (s), (uint32_t)strlen(s)

/* 0 when nqn[0..len) is an NQN as the NVMe base specification (2.0, 4.5) defines it, else -EINVAL:
 * 1..223 bytes of well-formed UTF-8; "nqn.yyyy-mm.reverse.domain:name" (month 01-12, at least two
 * domain labels of letters, digits and inner '-', at least one character after the ':', no blank)
 * or "nqn.2014-08.org.nvmexpress:uuid:" and a UUID (8-4-4-4-12 hex digits) or the discovery NQN
 * "nqn.2014-08.org.nvmexpress.discovery"; and, beyond the specification, no NUL, no control
 * character (C0, DEL, C1), no line or paragraph separator and no bidirectional override or isolate
 * (U+202A-U+202E, U+2066-U+2069). The same rules as the console's (dev.windrose.fabric.Nqn). */
WR_API int32_t wr_nqn_check(const char *nqn, uint32_t len);
/* Enough for "[ffff:...:ffff%ifname]:65535". */
#define WR_ADDR_SIZE 64u

/* Library version string, e.g. "0.1.0"; static storage, never freed. */
WR_API const char *wr_version(void);
/* WR_ABI_VERSION the library was built with. */
WR_API uint32_t wr_abi_version(void);

/* ---------------------------------------------------------------------------------------------
 * Layout introspection for the FFM binding.
 * ------------------------------------------------------------------------------------------- */
enum wr_struct_id {
	WR_STRUCT_STATS_HEADER = 1,
	WR_STRUCT_REACTOR_STATS = 2,
	WR_STRUCT_DIR_STATS = 3,
	WR_STRUCT_NS_STATS = 4,
	WR_STRUCT_QPAIR_STATS = 5,
	WR_STRUCT_CTRLR_INFO = 6,
	WR_STRUCT_MIRROR_OPTS = 7,
	WR_STRUCT_MIRROR_STATUS = 8,
};

/* sizeof the structure, or -EINVAL for an unknown id. */
WR_API int64_t wr_struct_size(uint32_t struct_id);
/* offsetof the named field ("read.ops" style paths are not supported: name the top-level field),
 * -EINVAL for an unknown struct id, -ENOENT for an unknown field. */
WR_API int64_t wr_struct_offset(uint32_t struct_id, const char *field);

/* ---------------------------------------------------------------------------------------------
 * Latency histograms: log-linear buckets over nanoseconds.
 *
 * Values below 2^WR_HIST_SUB_BITS ns have a bucket each; above, every power of two is split into
 * 2^WR_HIST_SUB_BITS equal buckets, so a bucket is at most 1/16 (6.25 %) wide relative to its
 * value. Values at or above 2^WR_HIST_MAX_BITS ns (~68.7 s) land in the last bucket.
 * ------------------------------------------------------------------------------------------- */
#define WR_HIST_SUB_BITS 4u
#define WR_HIST_MAX_BITS 36u
#define WR_HIST_BUCKETS ((WR_HIST_MAX_BITS - WR_HIST_SUB_BITS + 1u) << WR_HIST_SUB_BITS) /* 528 */

static inline uint32_t wr_hist_bucket(uint64_t ns)
{
	const uint64_t sub = 1ull << WR_HIST_SUB_BITS;
	if (ns < sub)
		return (uint32_t)ns;
	if (ns >= (1ull << WR_HIST_MAX_BITS))
		return WR_HIST_BUCKETS - 1u;
	uint32_t msb = 63u - (uint32_t)__builtin_clzll(ns);
	uint32_t shift = msb - WR_HIST_SUB_BITS;
	return ((msb - WR_HIST_SUB_BITS + 1u) << WR_HIST_SUB_BITS) + (uint32_t)((ns >> shift) & (sub - 1u));
}

/* Smallest value (ns) that falls into bucket i; the inverse of wr_hist_bucket for bucket starts. */
static inline uint64_t wr_hist_bucket_lower_ns(uint32_t i)
{
	const uint32_t sub = 1u << WR_HIST_SUB_BITS;
	if (i < sub)
		return i;
	uint32_t group = i >> WR_HIST_SUB_BITS; /* >= 1 */
	uint32_t msb = group + WR_HIST_SUB_BITS - 1u;
	return (1ull << msb) + ((uint64_t)(i & (sub - 1u)) << (msb - WR_HIST_SUB_BITS));
}

/* ---------------------------------------------------------------------------------------------
 * Statistics snapshot: one contiguous buffer that Java maps as a MemorySegment and reads in place.
 *
 *   [wr_stats_header][wr_reactor_stats x reactor_count][wr_ns_stats x ns_count]
 *   [wr_qpair_stats x qpair_count]
 *
 * Offsets are from the start of the header; every array is 8-byte aligned. Counters are monotonic
 * for the life of a target; target_epoch changes when a new target is created, so a reader can
 * tell a restart (counters back to zero) from a wrap.
 * ------------------------------------------------------------------------------------------- */
#define WR_STATS_MAGIC 0x57525354u /* "WRST" */

struct wr_stats_header {
	uint32_t magic;          /* WR_STATS_MAGIC */
	uint32_t abi_version;    /* WR_ABI_VERSION */
	uint64_t target_epoch;   /* random per target instance */
	uint64_t timestamp_ns;   /* CLOCK_MONOTONIC when the snapshot was taken */
	uint32_t reactor_count;
	uint32_t ns_count;
	uint32_t qpair_count;
	uint32_t reserved;
	uint64_t reactor_offset;
	uint64_t ns_offset;
	uint64_t qpair_offset;
	uint64_t total_size;     /* bytes used in the buffer */
};

struct wr_reactor_stats {
	uint32_t reactor_id;
	uint32_t qpair_count;
	uint64_t busy_ns;        /* time spent in polls that made progress */
	uint64_t idle_ns;        /* time spent in polls that found nothing, or asleep */
	uint64_t polls;
	uint64_t sleeps;         /* adaptive mode: times the reactor went to sleep */
};

struct wr_dir_stats {
	uint64_t ops;
	uint64_t bytes;
	uint64_t errors;
	uint64_t lat_hist[WR_HIST_BUCKETS]; /* completion latency, see wr_hist_bucket() */
};

struct wr_ns_stats {
	char subnqn[WR_NQN_SIZE];
	uint32_t nsid;
	uint32_t reserved;
	struct wr_dir_stats read;
	struct wr_dir_stats write;
	uint64_t other_ops;      /* flush, write zeroes, dsm, compare */
	uint64_t other_errors;
};

struct wr_qpair_stats {
	char subnqn[WR_NQN_SIZE];
	char hostnqn[WR_NQN_SIZE];
	char peer_addr[WR_ADDR_SIZE];
	uint16_t cntlid;
	uint16_t qid;
	uint32_t reactor_id;
	uint64_t connected_at_unix_ms;
	uint64_t read_ops;
	uint64_t read_bytes;
	uint64_t write_ops;
	uint64_t write_bytes;
	uint64_t other_ops;
	uint64_t read_errors;    /* commands that completed with an error status, by direction */
	uint64_t write_errors;
	uint64_t other_errors;
};

/* ---------------------------------------------------------------------------------------------
 * Control API: a target serves NVMe/TCP for its subsystems.
 *
 * Every call is thread-safe (a mutex on the configuration, messages to the reactors) and may be
 * made while I/O runs: removing a namespace or listener waits until no reactor uses it any more.
 * NQNs (nqn, hostnqn) are bytes and a length (see WR_NAME), checked with wr_nqn_check (-EINVAL);
 * other strings are NUL-terminated UTF-8/ASCII; results are 0 (or a count) or a negative errno.
 * ------------------------------------------------------------------------------------------- */
struct wr_target;

enum wr_poll_mode {
	WR_MODE_ADAPTIVE = 0,   /* poll while there is work, sleep in epoll_wait after an idle spell */
	WR_MODE_BUSY = 1,       /* poll 100 %: lowest latency, one core per reactor */
};

/* reactors: 1..64 threads. cpu_list: NULL or "" for no pinning, else e.g. "2,3" or "0-3"
 * (reactor i is pinned to the i-th CPU of the list, wrapping around). */
WR_API int32_t wr_target_create(uint32_t reactors, uint32_t mode, const char *cpu_list,
				struct wr_target **out);
/* Closes every connection and listener, frees everything; NULL is a no-op. */
WR_API void wr_target_destroy(struct wr_target *target);

#define WR_SUBSYS_ALLOW_ANY_HOST 0x1u
/* serial (<= 20 chars) and model (<= 40 chars) may be NULL for defaults. -EEXIST if taken. */
WR_API int32_t wr_subsystem_create(struct wr_target *target, const char *nqn, uint32_t nqn_len,
				   const char *serial, const char *model, uint32_t flags);
/* Disconnects its controllers and removes its namespaces and listeners. */
WR_API int32_t wr_subsystem_delete(struct wr_target *target, const char *nqn, uint32_t nqn_len);
WR_API int32_t wr_subsystem_set_allow_any_host(struct wr_target *target, const char *nqn,
					       uint32_t nqn_len, uint32_t allow);
WR_API int32_t wr_host_allow(struct wr_target *target, const char *nqn, uint32_t nqn_len,
			     const char *hostnqn, uint32_t hostnqn_len);
/* Controllers of that host on the subsystem are disconnected. */
WR_API int32_t wr_host_disallow(struct wr_target *target, const char *nqn, uint32_t nqn_len,
				const char *hostnqn, uint32_t hostnqn_len);

/* ---------------------------------------------------------------------------------------------
 * In-band authentication: DH-HMAC-CHAP (NVMe base specification 2.0, 8.13; issue 17).
 *
 * An allowed host given a secret must prove it holds the secret on every queue it connects (the
 * Connect response asks for authentication, AUTHREQ.ATR): until it has, the queue answers every
 * command but Authentication Send/Receive, Property Get and Disconnect with Authentication
 * Required (SCT 1h, SC 91h). A wrong response is answered with AUTH_Failure1 (reason 01h,
 * explanation 01h) and the queue is closed; WR_NET_AUTH_FAILURES counts it and a rate-limited log
 * line names the host and the reason. With a controller secret the host may authenticate the
 * controller too (bidirectional); a host that asks for that when no controller secret is set fails.
 * Cryptography is OpenSSL 3's (HMAC, SHA-2, the RFC 7919 ffdhe groups).
 *
 * Secrets are in the representation `nvme gen-dhchap-key` prints (base spec 2.0, 8.13.5.8):
 * "DHHC-1:hh:<base64 of the 32, 48 or 64 key bytes and their CRC-32, little-endian>:" where hh is
 * 00 (the key is used as it is) or 01/02/03 (it is first transformed with HMAC-SHA-256/384/512
 * over the NQN, as Linux does); the last ':' may be left out. NUL-terminated, at most
 * WR_DHCHAP_SECRET_MAX_LEN characters.
 * ------------------------------------------------------------------------------------------- */
#define WR_DHCHAP_SECRET_MAX_LEN 128u
/* 0 when secret is well-formed; -EINVAL malformed (prefix, hash field, base64); -EMSGSIZE longer
 * than WR_DHCHAP_SECRET_MAX_LEN or a key that is not 32, 48 or 64 bytes; -EBADMSG the CRC-32 does
 * not match the key (a mistyped or truncated secret). NULL is -EINVAL. */
WR_API int32_t wr_dhchap_secret_check(const char *secret);

/* Sets the DH-HMAC-CHAP secrets of an allowed host (wr_host_allow first: else -ENOENT).
 * host_secret NULL clears all three (the host connects without authentication again); else
 * prev_host_secret, if not NULL, is accepted too: a rotation's grace period, which the caller
 * ends by calling again without it; ctrl_secret, if not NULL, lets the host authenticate the
 * controller (bidirectional). The same secret may not serve as host and controller secret
 * (-EINVAL: a host could then reflect the controller's challenge). Each secret is checked as
 * wr_dhchap_secret_check does and that error returned. Queues already connected stay connected;
 * every later Connect of the host authenticates with what is set now. */
WR_API int32_t wr_host_set_dhchap(struct wr_target *target, const char *nqn, uint32_t nqn_len,
				  const char *hostnqn, uint32_t hostnqn_len, const char *host_secret,
				  const char *prev_host_secret, const char *ctrl_secret);

/* Which hash functions and DH groups the subsystem accepts: bit (1 << id) for each, with the ids
 * the specification gives them. From what the host offers the controller takes the strongest hash
 * and the strongest DH group the policy allows (Linux nvmet instead takes the one hash and group
 * configured per host: drivers/nvme/target/fabrics-cmd-auth.c, nvmet_auth_negotiate); a host
 * offering nothing allowed gets AUTH_Failure1 with "hash function / DH group not usable". The
 * default is every hash and every group. An empty mask or a bit the target does not know is
 * -EINVAL; -ENOENT for an unknown subsystem, -EINVAL for the discovery subsystem. */
#define WR_DHCHAP_HASH_SHA256 (1u << 1)
#define WR_DHCHAP_HASH_SHA384 (1u << 2)
#define WR_DHCHAP_HASH_SHA512 (1u << 3)
#define WR_DHCHAP_HASH_ALL (WR_DHCHAP_HASH_SHA256 | WR_DHCHAP_HASH_SHA384 | WR_DHCHAP_HASH_SHA512)
#define WR_DHCHAP_DH_NULL (1u << 0)      /* no Diffie-Hellman: the challenge alone */
#define WR_DHCHAP_DH_FFDHE2048 (1u << 1)
#define WR_DHCHAP_DH_FFDHE3072 (1u << 2)
#define WR_DHCHAP_DH_FFDHE4096 (1u << 3)
#define WR_DHCHAP_DH_FFDHE6144 (1u << 4)
#define WR_DHCHAP_DH_FFDHE8192 (1u << 5)
#define WR_DHCHAP_DH_ALL 0x3fu
WR_API int32_t wr_subsystem_set_dhchap_policy(struct wr_target *target, const char *nqn,
					      uint32_t nqn_len, uint32_t hash_mask,
					      uint32_t dhgroup_mask);

/* ---------------------------------------------------------------------------------------------
 * Secure channel: TLS 1.3 with pre-shared keys (NVMe TCP transport specification, 3.6.1; issue 17).
 *
 * A port (address and port, shared by every subsystem listening there, as Linux nvmet's port
 * addr_treq) takes TLS or not: WR_TLS_NONE (plain NVMe/TCP only, the default), WR_TLS_REQUIRED
 * (TLS only: a connection whose first bytes are not a TLS record is closed without an ICResp, as
 * Linux nvmet does) or WR_TLS_NOT_REQUIRED (both). The discovery log reports it (TREQ secure
 * channel required / not required, TSAS TLS 1.3).
 *
 * A host allowed on a subsystem gets a PSK in the interchange format `nvme gen-tls-key` prints
 * and `nvme check-tls-key` reads: "NVMeTLSkey-1:hh:<base64 of the PSK and its CRC-32>:" with hh 01
 * (a 32-byte PSK, SHA-256) or 02 (48 bytes, SHA-384), or 00 (used untransformed). The target keeps
 * only the retained PSK derived from it over the host's NQN, and accepts the PSK identities the
 * Linux host offers (through tlshd): "NVMe0R0h <hostnqn> <subnqn>" and "NVMe1R0h <hostnqn>
 * <subnqn> <digest>", the TLS PSK derived from the retained one as the specification says. Two
 * forms of that derivation are in use: WR_TLS_FORM_LIBNVME, what nvme-cli 2.x (Debian trixie's
 * 2.13, the distributions' hosts) puts into the host's keyring, and WR_TLS_FORM_RFC8446, what the
 * specification's RFC 8446 HKDF-Expand-Label gives (SPDK, libnvme since its 2025 fix, whose nvme-cli
 * offers the older one as --compat). A version-1 identity's digest tells which one the host used;
 * for a version-0 identity the form given with the PSK decides. The
 * handshake is TLS 1.3 only, TLS_AES_128_GCM_SHA256 or TLS_AES_256_GCM_SHA384 as the PSK's hash
 * says (OpenSSL 3, in user space). A connection through TLS may Connect only as the host (and
 * to the subsystem) its PSK identity names. A failed handshake is counted (WR_NET_TLS_FAILURES)
 * and logged (rate-limited) with the host and the reason; the PSK never appears in a log.
 * ------------------------------------------------------------------------------------------- */
#define WR_TLS_NONE 0u
#define WR_TLS_REQUIRED 1u
#define WR_TLS_NOT_REQUIRED 2u
#define WR_TLS_PSK_MAX_LEN 128u
#define WR_TLS_FORM_LIBNVME 0u
#define WR_TLS_FORM_RFC8446 1u
/* Sets the TLS mode of an existing port (wr_listener_add made it): -ENOENT when no listener uses
 * addr:port, -EINVAL for an unknown mode or address, -ENOMEM when TLS cannot be set up. Connections
 * already open keep what they were opened with. */
WR_API int32_t wr_port_set_tls(struct wr_target *target, const char *addr, uint16_t port,
			       uint32_t mode);
/* The TLS mode of a port, or -ENOENT. */
WR_API int32_t wr_port_get_tls(struct wr_target *target, const char *addr, uint16_t port);
/* 0 when psk is a well-formed interchange PSK; -EINVAL malformed (prefix, hash field, base64, no
 * final ':'); -EMSGSIZE longer than WR_TLS_PSK_MAX_LEN or a key length the hash does not take;
 * -EBADMSG the CRC-32 does not match (a mistyped or truncated key). NULL is -EINVAL. */
WR_API int32_t wr_tls_psk_check(const char *psk);
/* A new random PSK in the interchange format (hash 1: 32 bytes, SHA-256; 2: 48 bytes, SHA-384)
 * into out (NUL-terminated; 128 bytes are enough). Returns its length, -EINVAL for another hash,
 * -EMSGSIZE when cap is too small. */
WR_API int32_t wr_tls_psk_generate(uint32_t hash, char *out, uint32_t cap);
/* Sets the TLS PSK of an allowed host on a subsystem (wr_host_allow first: else -ENOENT); NULL
 * removes it (the host can no longer open a TLS channel to this subsystem). v0_form
 * (WR_TLS_FORM_*, else -EINVAL) is the derivation a version-0 identity of this host uses. Checked
 * as wr_tls_psk_check does and that error returned. Channels already open stay open. */
WR_API int32_t wr_host_set_tls_psk(struct wr_target *target, const char *nqn, uint32_t nqn_len,
				   const char *hostnqn, uint32_t hostnqn_len, const char *psk,
				   uint32_t v0_form);

enum wr_bdev_kind {
	WR_BDEV_KIND_NULL = 0,  /* size_bytes: reads zeroes, drops writes */
	WR_BDEV_KIND_RAM = 1,   /* size_bytes of memory */
	WR_BDEV_KIND_FILE = 2,  /* path; size_bytes 0 = the file's size, else create/extend */
};

/* nsid 1..1024. nguid/uuid: 16 bytes each or NULL to derive stable ones from (nqn, nsid).
 * block_size 0 = 512. anagrpid 0 = group 1. */
WR_API int32_t wr_ns_add(struct wr_target *target, const char *nqn, uint32_t nqn_len, uint32_t nsid,
			 uint32_t kind, const char *path, uint64_t size_bytes, uint32_t block_size,
			 const uint8_t *nguid, const uint8_t *uuid, uint32_t anagrpid);
/* A namespace on bytes [offset_bytes, offset_bytes + size_bytes) of a file or block device: an
 * extent of a disk-pool volume. Nothing outside that range is read or written, and the file is never
 * created or extended (-ENOSPC when the range does not lie inside it). offset_bytes > 0; offset and
 * size are multiples of the block size (-EINVAL). The rest as wr_ns_add. */
WR_API int32_t wr_ns_add_extent(struct wr_target *target, const char *nqn, uint32_t nqn_len,
				uint32_t nsid, const char *path, uint64_t offset_bytes,
				uint64_t size_bytes, uint32_t block_size, const uint8_t *nguid,
				const uint8_t *uuid, uint32_t anagrpid);
WR_API int32_t wr_ns_remove(struct wr_target *target, const char *nqn, uint32_t nqn_len,
			    uint32_t nsid);
/* Grows a live namespace to new_size_bytes (a multiple of its block size) while I/O runs, as Linux
 * nvmet's revalidate does: Identify Namespace reports the new NSZE/NCAP/NUSE at once, the nsid goes
 * into the Changed Namespace List (log 04h) of every controller of the subsystem and each gets a
 * Namespace Attribute Changed event. RAM, null, file and extent namespaces grow; a file is extended
 * when it is shorter; for a whole file or device new_size_bytes 0 re-reads its size. An extent is
 * never extended: -ENOSPC when [offset, offset + new size) does not lie inside its file or device.
 * Shrinking is -EINVAL; the same size is 0 and raises nothing. -ENOENT for an unknown namespace. */
WR_API int32_t wr_ns_resize(struct wr_target *target, const char *nqn, uint32_t nqn_len,
			    uint32_t nsid, uint64_t new_size_bytes);
WR_API int32_t wr_ns_set_ana_group(struct wr_target *target, const char *nqn, uint32_t nqn_len,
				   uint32_t nsid, uint32_t anagrpid);

/* TCP listener on addr (IPv4 or IPv6 literal) and port; port 0 picks a free port. Returns the
 * bound port (> 0). nqn may be the discovery NQN (nqn.2014-08.org.nvmexpress.discovery): a
 * discovery-only listener. */
WR_API int32_t wr_listener_add(struct wr_target *target, const char *nqn, uint32_t nqn_len,
			       const char *addr, uint16_t port);
WR_API int32_t wr_listener_remove(struct wr_target *target, const char *nqn, uint32_t nqn_len,
				  const char *addr, uint16_t port);
/* ANA state of group anagrpid (1..16) as seen through that listener: 1 optimized, 2 non-optimized,
 * 3 inaccessible, 4 persistent loss, 15 change.
 * A real change bumps the ANA log's change count and raises an ANA change notice on the
 * controllers connected through that listener (those whose host enabled it); setting the state
 * a group already has changes nothing, so a reconciler may re-apply it freely. I/O through the
 * listener to a namespace of a group that is inaccessible, lost or in change completes with
 * Asymmetric Access Inaccessible / Persistent Loss / Transition (path errors: the host retries it
 * on another path); non-optimized serves I/O. A group left in change longer than the ANA
 * transition time (WR_LIMIT_ANATT_S) turns inaccessible by itself, with its own notice: the
 * target never reports change longer than the ANATT it advertises. -ENOENT when the subsystem
 * has no such listener. A new listener starts with wr_subsystem_set_ana_default's states. */
WR_API int32_t wr_listener_set_ana_state(struct wr_target *target, const char *nqn,
					 uint32_t nqn_len, const char *addr, uint16_t port,
					 uint32_t anagrpid, uint32_t state);
/* The state group anagrpid has through listeners the subsystem gets from now on (1, 2, 3 or 4;
 * default optimized); listeners it already has keep theirs. A node that is not active for a group
 * sets it inaccessible before adding its listeners, so that no host ever sees the group optimized
 * there, not even between wr_listener_add and wr_listener_set_ana_state. -ENOENT for an unknown
 * subsystem, -EINVAL for the discovery subsystem. */
WR_API int32_t wr_subsystem_set_ana_default(struct wr_target *target, const char *nqn,
					    uint32_t nqn_len, uint32_t anagrpid, uint32_t state);
/* The ANA state of group anagrpid through that listener (1, 2, 3, 4 or 15), or -ENOENT. */
WR_API int32_t wr_listener_get_ana_state(struct wr_target *target, const char *nqn,
					 uint32_t nqn_len, const char *addr, uint16_t port,
					 uint32_t anagrpid);

/* The controller IDs this target hands out to new controllers (dynamic model): min..max within
 * 1..0xFFEF (min <= max, else -EINVAL); the default is the whole 1..0xFFEF. Nodes that export the
 * same subsystem must use disjoint ranges so that no host meets two controllers with one CNTLID
 * (Linux nvmet's cntlid_min/cntlid_max). Controllers already connected keep their IDs; a Connect
 * finding every ID of the range taken is refused. Call it before the first listener. */
#define WR_CNTLID_MIN 1u
#define WR_CNTLID_MAX 0xffefu
WR_API int32_t wr_target_set_cntlid_range(struct wr_target *target, uint32_t min, uint32_t max);

struct wr_ctrlr_info {
	char subnqn[WR_NQN_SIZE];
	char hostnqn[WR_NQN_SIZE];
	char peer_addr[WR_ADDR_SIZE];
	uint8_t hostid[16];
	uint16_t cntlid;
	uint16_t io_queues;      /* connected I/O queue pairs */
	uint32_t kato_ms;
	uint32_t reactor_id;     /* of the admin queue */
	uint32_t discovery;      /* 1 for a discovery controller */
	uint64_t connected_at_unix_ms;
};

/* Fills up to max entries; returns the number of controllers (may exceed max). */
WR_API int64_t wr_target_list_controllers(struct wr_target *target, struct wr_ctrlr_info *out,
					  uint32_t max);
/* Queue pairs with their counters; returns the number of queue pairs (may exceed max). */
WR_API int64_t wr_target_list_qpairs(struct wr_target *target, struct wr_qpair_stats *out,
				     uint32_t max);

/* Bytes a snapshot needs right now (it can grow before the next call: leave headroom). */
WR_API int64_t wr_target_stats_size(struct wr_target *target);
/* Fills buf with the layout described above; returns bytes used, or -ENOSPC (with the needed
 * size in header->total_size when len >= sizeof(struct wr_stats_header)). */
WR_API int64_t wr_target_stats_snapshot(struct wr_target *target, void *buf, uint64_t len);

/* 0 error, 1 warn, 2 info (default), 3 debug; log lines go to stderr. */
WR_API void wr_set_log_level(uint32_t level);

/* Log lines at info level and above are rate-limited per kind of message (a token bucket: burst
 * lines at once, then lines_per_minute; process-wide); what is dropped is counted and reported in a
 * "N more lines like ... suppressed" line when that kind may speak again. Every line is escaped
 * (bytes outside printable ASCII and '\\' as \xNN). 0 is taken as 1. */
#define WR_LOG_DEFAULT_BURST 20u
#define WR_LOG_DEFAULT_PER_MINUTE 60u
WR_API void wr_set_log_rate_limit(uint32_t burst, uint32_t lines_per_minute);

/* ---------------------------------------------------------------------------------------------
 * Connection admission: what a peer that reaches the port may hold before it is an NVMe host.
 *
 * A connection must send ICReq within the ICReq timeout of being accepted and complete a fabrics
 * Connect within the Connect timeout of its ICReq, or it is closed (after Connect the keep-alive
 * timeout takes over). Connections over a cap are accepted and closed at once, so the listen
 * backlog never fills, and counted. The total cap is never more than half of RLIMIT_NOFILE (which
 * wr_target_create raises to its hard limit): the rest of the process (the console) keeps room.
 * ------------------------------------------------------------------------------------------- */
enum wr_limit {
	WR_LIMIT_ICREQ_TIMEOUT_MS = 1,      /* 100..600000, default 5000 */
	WR_LIMIT_CONNECT_TIMEOUT_MS = 2,    /* 100..600000, default 10000 */
	WR_LIMIT_CONNS_PER_LISTENER = 3,    /* 1..1048576, default 1024 */
	WR_LIMIT_CONNS_PER_SOURCE = 4,      /* per source IP address, 1..1048576, default 128 */
	WR_LIMIT_CONNS_TOTAL = 5,           /* 0 = derived: RLIMIT_NOFILE / 2; else 1..1048576 */
	WR_LIMIT_ANATT_S = 6,               /* ANA transition time (Identify Controller ANATT) in
	                                       seconds, 1..255, default 10: no group stays in change
	                                       longer (see wr_listener_set_ana_state) */
};
#define WR_DEFAULT_ICREQ_TIMEOUT_MS 5000u
#define WR_DEFAULT_CONNECT_TIMEOUT_MS 10000u
#define WR_DEFAULT_CONNS_PER_LISTENER 1024u
#define WR_DEFAULT_CONNS_PER_SOURCE 128u
#define WR_DEFAULT_ANATT_S 10u

/* -EINVAL for an unknown limit or a value out of range. */
WR_API int32_t wr_target_set_limit(struct wr_target *target, uint32_t limit, uint64_t value);
/* The limit in force (for WR_LIMIT_CONNS_TOTAL: the effective cap after the descriptor budget). */
WR_API int64_t wr_target_get_limit(struct wr_target *target, uint32_t limit);

enum wr_net_counter {
	WR_NET_ACCEPTED = 0,                /* connections admitted */
	WR_NET_REFUSED_TOTAL = 1,           /* closed at once: the target's total cap */
	WR_NET_REFUSED_LISTENER = 2,        /* ... the listener's cap */
	WR_NET_REFUSED_SOURCE = 3,          /* ... the source address's cap */
	WR_NET_HANDSHAKE_TIMEOUTS = 4,      /* closed: no ICReq or no Connect in time */
	WR_NET_ACCEPT_BACKOFFS = 5,         /* accept() failed for want of descriptors or memory */
	WR_NET_LOG_LINES = 6,               /* log lines written (process-wide) */
	WR_NET_LOG_SUPPRESSED = 7,          /* log lines dropped by the rate limit (process-wide) */
	WR_NET_AUTH_FAILURES = 8,           /* queues refused by DH-HMAC-CHAP (wr_host_set_dhchap):
	                                       a wrong response, a Failure2 from the host, or a
	                                       negotiation the policy could not meet */
	WR_NET_AUTH_SUCCESSES = 9,          /* queues that authenticated */
	WR_NET_TLS_CHANNELS = 10,           /* TLS handshakes that completed */
	WR_NET_TLS_FAILURES = 11,           /* TLS handshakes refused: unknown identity, wrong PSK,
	                                       no common suite */
	WR_NET_COUNTERS = 12,
};
/* Copies up to max counters (indexed by enum wr_net_counter); returns WR_NET_COUNTERS. */
WR_API int64_t wr_target_net_counters(struct wr_target *target, uint64_t *out, uint32_t max);

/* ---------------------------------------------------------------------------------------------
 * Mirrored namespaces (issue 16): a namespace whose blocks live on a local leg (any backing
 * wr_ns_add takes) and on a remote leg, a namespace of the partner node's target reached over
 * NVMe/TCP with libwrinit. Write, Write Zeroes and Deallocate go to both legs (Deallocate as Write
 * Zeroes on the remote leg), Flush to both, FUA is passed on; the host's command completes only
 * when both legs have completed it, with the local leg's status. Reads are served by the local leg.
 * Each reactor owns one remote I/O queue and a preallocated pool of mirror requests: the I/O path
 * takes no lock and allocates nothing.
 *
 * When the remote leg fails (connection lost, an error status, or an I/O older than timeout_ms)
 * the mirror turns DEGRADED: the failed I/O and every later write complete from the local leg
 * alone (no error reaches the host) and mark the regions they touch in a dirty-region bitmap
 * (region_bytes each, preallocated), and so do the regions whose writes the partner acknowledged
 * since its last successful Flush (its cache may have lost them). wr_ns_mirror_resync reconnects
 * and copies only the dirty regions while host writes go on; a host write to the region being
 * copied waits for that copy, so nothing written meanwhile is lost; then the mirror is IN_SYNC
 * again.
 * ------------------------------------------------------------------------------------------- */
enum wr_mirror_state {
	WR_MIRROR_IN_SYNC = 0,     /* both legs get every write */
	WR_MIRROR_DEGRADED = 1,    /* the remote leg failed: local only, dirty regions counted */
	WR_MIRROR_RESYNCING = 2,   /* both legs get every write; dirty regions are being copied */
};

#define WR_MIRROR_PATH_SIZE 256u

struct wr_mirror_opts {
	char addr[WR_ADDR_SIZE];   /* the partner's address (IPv4/IPv6 literal or host name), NUL-ended */
	char subnqn[WR_NQN_SIZE];  /* the partner's subsystem holding the remote leg, NUL-ended */
	char hostnqn[WR_NQN_SIZE]; /* the NQN this node connects as, NUL-ended; "" = a random UUID NQN */
	uint32_t port;             /* 0 = 4420 */
	uint32_t nsid;             /* the remote leg's NSID on the partner */
	uint32_t timeout_ms;       /* a remote I/O older than this fails the leg; 0 = 5000 (connecting
	                              and admin commands may take the larger of this and 5000) */
	uint32_t region_bytes;     /* dirty-region size: a power of two >= 4096; 0 = 1 MiB */
	uint32_t resync_mib_s;     /* a resync copies at most this many MiB per second; 0 = no limit */
	uint32_t flags;            /* WR_MIRROR_HOLD_ON_DEGRADE, WR_MIRROR_FULL_SYNC, WR_MIRROR_START_ALONE */
	char bitmap_path[WR_MIRROR_PATH_SIZE]; /* "" = the dirty-region bitmap lives in memory only;
	                              else in this file (created when missing): a region's mark is on
	                              stable storage before the write that made it is acknowledged
	                              (one msync per region and outage), so a restart of this node
	                              forgets nothing; a mirror opened on a file with dirty regions
	                              starts DEGRADED. The file fits one size and region size (-EINVAL). */
};

/* When the mirror degrades, hold every write (and Flush) from then on, and the completion of the
 * write whose remote leg failed, until wr_ns_mirror_release: so that the node may record "partner
 * out of sync" where its witness keeps it before it acknowledges a write its partner lacks (issue
 * 16). Reads go on. Held writes wait in preallocated per-reactor lists (no allocation); a reactor
 * polls without sleeping while it holds any. A node that cannot reach its witness never releases:
 * its hosts' writes stall and time out, as they must. */
#define WR_MIRROR_HOLD_ON_DEGRADE 0x1u
/* For a new or replaced remote leg (whose bytes are not ours): the mirror starts DEGRADED with
 * every region dirty (written to bitmap_path at once, when there is one), so that the first
 * wr_ns_mirror_resync copies the whole leg; host I/O goes on meanwhile, locally until that resync
 * starts. Writes are not held (the caller knows the partner is out of sync before it asks). Ask it
 * once: a bitmap file keeps the marks of a copy that did not finish, so the node's next start
 * without the flag still copies what is left. */
#define WR_MIRROR_FULL_SYNC 0x2u
/* A partner that cannot be reached (any failure to connect but a remote leg that does not fit,
 * -EINVAL / -ENOSPC) does not refuse the namespace: it starts DEGRADED, alone, with last_error the
 * failure and, with WR_MIRROR_HOLD_ON_DEGRADE, holding writes as after a degrade, so that the
 * caller records the partner out of sync before a write is acknowledged. For a node that starts
 * while its partner is down (a blackout, one node back): its witness says whether it may serve.
 * The remote leg is connected, and its size checked, by the first wr_ns_mirror_resync. */
#define WR_MIRROR_START_ALONE 0x4u

struct wr_mirror_status {
	uint32_t state;            /* enum wr_mirror_state */
	int32_t last_error;        /* the remote leg's last failure: -errno, or an NVMe status > 0; 0 none */
	uint64_t region_bytes;
	uint64_t total_regions;
	uint64_t dirty_regions;    /* regions the remote leg is missing now */
	uint64_t resync_done;      /* regions copied by the running (or last) resync */
	uint64_t resync_total;     /* regions that resync has had to copy so far (writes can add some) */
	uint64_t degraded_count;   /* times the mirror went degraded */
	uint64_t remote_ios;       /* I/Os the remote leg completed successfully */
	uint32_t holding;          /* 1 while writes are held (WR_MIRROR_HOLD_ON_DEGRADE) */
	uint32_t reserved;
};

/* As wr_ns_add (kind, path, size_bytes...) or, with offset_bytes > 0, as wr_ns_add_extent for the
 * local leg, plus the remote leg described by mirror. Connects to the partner first (blocking, at
 * most max(timeout_ms, 5 s) per step): a remote leg that cannot be reached (unless
 * WR_MIRROR_START_ALONE), or whose size or block size differs from the local leg's, is refused
 * (-errno, -EINVAL for a mismatch) and nothing is added.
 * The new namespace starts IN_SYNC: the caller guarantees the legs hold the same bytes (new legs,
 * or legs that were in sync when last used); with WR_MIRROR_FULL_SYNC it starts DEGRADED instead,
 * every region dirty, for a leg that does not; with a bitmap file holding dirty regions, DEGRADED too. Mirrored namespaces do not grow (wr_ns_resize answers
 * -EOPNOTSUPP). */
WR_API int32_t wr_ns_add_mirror(struct wr_target *target, const char *nqn, uint32_t nqn_len,
				uint32_t nsid, uint32_t kind, const char *path, uint64_t offset_bytes,
				uint64_t size_bytes, uint32_t block_size, const uint8_t *nguid,
				const uint8_t *uuid, uint32_t anagrpid,
				const struct wr_mirror_opts *mirror);
/* Fills *out; -ENOENT for an unknown namespace, -EINVAL when it is not mirrored. */
WR_API int32_t wr_ns_mirror_status(struct wr_target *target, const char *nqn, uint32_t nqn_len,
				   uint32_t nsid, struct wr_mirror_status *out);
/* Lets the writes held since the mirror degraded (WR_MIRROR_HOLD_ON_DEGRADE) go on, locally, their
 * regions marked dirty; 0 also when nothing is held. Removing the namespace releases them too. -ENOENT / -EINVAL as wr_ns_mirror_status. */
WR_API int32_t wr_ns_mirror_release(struct wr_target *target, const char *nqn, uint32_t nqn_len,
				    uint32_t nsid);
/* Blocking: reconnects the remote leg of a DEGRADED mirror, copies every dirty region to it while
 * host I/O goes on (progress in wr_ns_mirror_status: resync_done of resync_total), and returns 0
 * once the mirror is IN_SYNC. 0 at once when it already is; -EBUSY when another resync runs;
 * -errno when the partner cannot be reached or fails during the copy (the mirror stays or turns
 * DEGRADED, with every region not yet copied still dirty: call again). It copies at most
 * resync_mib_s MiB per second (wr_mirror_opts), so that hosts keep their latency meanwhile.
 * Removing the namespace stops a running resync at its next region (-ECANCELED) and waits for it. */
WR_API int32_t wr_ns_mirror_resync(struct wr_target *target, const char *nqn, uint32_t nqn_len,
				   uint32_t nsid);

#ifdef __cplusplus
}
#endif

#endif /* WINDROSE_H */
