/*
 * config.h - the configuration file of wr-target (see ../README.md for the format).
 */
#ifndef WR_TOOLS_CONFIG_H
#define WR_TOOLS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "windrose.h"

struct wr_cfg_ns {
	uint32_t nsid;
	uint32_t kind;              /* WR_BDEV_KIND_* */
	char *path;
	uint64_t size;
	uint32_t block_size;        /* 0 = the default (512) */
	uint32_t line;
};

struct wr_cfg_listener {
	char addr[WR_ADDR_SIZE];
	uint16_t port;
	int tls;                    /* tls=required|not-required: WR_TLS_*; -1 = not given */
	uint32_t line;
};

struct wr_cfg_ana {                /* ana-state ADDR PORT GROUP STATE */
	char addr[WR_ADDR_SIZE];
	uint16_t port;
	uint32_t group;
	uint32_t state;             /* 1, 2, 3, 4 or 15 */
	uint32_t line;
};

struct wr_cfg_mirror {            /* mirror NSID ADDR PORT SUBNQN REMOTE_NSID [key=value]... */
	uint32_t nsid;              /* the namespace of this block it mirrors */
	struct wr_mirror_opts opts;
	uint32_t line;
};

struct wr_cfg_dhchap {            /* dhchap-secret HOSTNQN SECRET [ctrl=SECRET] [previous=SECRET] */
	char host[WR_NQN_SIZE];
	char *secret;
	char *ctrl_secret;          /* NULL: unidirectional */
	char *prev_secret;          /* NULL: no rotation under way */
	uint32_t line;
};

struct wr_cfg_tls_psk {           /* tls-psk HOSTNQN PSK [derive=libnvme|rfc8446] */
	char host[WR_NQN_SIZE];
	char *psk;
	uint32_t form;              /* WR_TLS_FORM_*: how a version-0 identity's TLS PSK is derived */
	uint32_t line;
};

struct wr_cfg_subsys {
	char nqn[WR_NQN_SIZE];
	char serial[21];
	char model[41];
	bool allow_any_host;
	char (*hosts)[WR_NQN_SIZE];
	uint32_t nhosts;
	struct wr_cfg_ns *ns;
	uint32_t nns;
	struct wr_cfg_listener *listeners;
	uint32_t nlisteners;
	struct wr_cfg_ana *ana;
	uint32_t nana;
	struct wr_cfg_mirror *mirrors;
	uint32_t nmirrors;
	struct wr_cfg_dhchap *dhchap;
	uint32_t ndhchap;
	struct wr_cfg_tls_psk *tls_psks;
	uint32_t ntls_psks;
	uint32_t dhchap_hashes;     /* dhchap-policy: WR_DHCHAP_HASH_* / WR_DHCHAP_DH_*; 0 = not given */
	uint32_t dhchap_dhgroups;
	uint32_t dhchap_policy_line;
	uint32_t line;
};

#define WR_CFG_LIMITS 7u          /* enum wr_limit values are 1..6 */

struct wr_config {
	uint32_t reactors;          /* 0 = not given */
	int mode;                   /* -1 = not given, else WR_MODE_* */
	uint64_t limits[WR_CFG_LIMITS];   /* by enum wr_limit; applied when limit_set has the bit */
	uint32_t limit_set;
	uint32_t limit_line[WR_CFG_LIMITS];
	uint32_t log_burst;         /* 0 = not given */
	uint32_t log_per_minute;
	struct wr_cfg_listener *discovery;
	uint32_t ndiscovery;
	struct wr_cfg_subsys *subsys;
	uint32_t nsubsys;
	uint32_t cntlid_min, cntlid_max;   /* cntlid-range; 0 = not given */
	uint32_t cntlid_line;
};

/* Parses text; on error returns -EINVAL with "line N: what is wrong" in err. */
int wr_config_parse(const char *text, struct wr_config *cfg, char *err, size_t errlen);
int wr_config_load(const char *path, struct wr_config *cfg, char *err, size_t errlen);
void wr_config_free(struct wr_config *cfg);
/* "NAME VALUE" of a connection limit (icreq-timeout-ms, connect-timeout-ms,
 * max-connections-per-listener, max-connections-per-source, max-connections); line 0 for the
 * command line. Returns 0, or -EINVAL with the reason in err; -ENOENT for an unknown name. */
int wr_config_set_limit(struct wr_config *cfg, const char *name, const char *value, uint32_t line,
			char *err, size_t errlen);
/* Creates everything on the target; on error says which line failed and why. */
int wr_config_apply(const struct wr_config *cfg, struct wr_target *t, char *err, size_t errlen);
/* Only the ana-state lines: what SIGHUP re-applies to a running target. */
int wr_config_apply_ana(const struct wr_config *cfg, struct wr_target *t, char *err, size_t errlen);
/* "256M", "1G", "4096", "1.5G" is not accepted. Returns 0 or -EINVAL. */
int wr_parse_size(const char *s, uint64_t *out);

#endif /* WR_TOOLS_CONFIG_H */
