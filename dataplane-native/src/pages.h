/*
 * pages.h - builders for the fixed-layout data pages the controller returns (Identify, SMART,
 * firmware slot, command effects). They live apart from the rest because they use the
 * structures of Debian's libnvme (<nvme/types.h>, header only), whose enumerator names clash
 * with nvme_proto.h; callers see plain parameters.
 */
#ifndef WR_PAGES_H
#define WR_PAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WR_PAGE_SIZE 4096u
#define WR_FIRMWARE_REV "0.1.0"

struct wr_id_ctrl_params {
	const char *serial;
	const char *model;
	const char *subnqn;
	uint16_t cntlid;
	bool discovery;
	uint16_t maxcmd;
	uint32_t nn;
	uint32_t anagrpmax;
	uint8_t anatt;
	uint8_t mdts;
	uint32_t ioccsz_bytes;       /* in-capsule data bytes for I/O commands */
	uint8_t aerl;                /* zero-based */
	uint16_t kas;                /* 100 ms units */
};

struct wr_id_ns_params {
	uint64_t num_blocks;
	uint32_t block_size;
	const uint8_t *nguid;        /* 16 bytes */
	uint32_t anagrpid;
	bool dealloc_reads_zero;
};

struct wr_smart_params {
	uint64_t read_bytes, write_bytes, read_ops, write_ops, errors, busy_minutes, power_on_hours;
};

void wr_page_id_ctrl(uint8_t *page, const struct wr_id_ctrl_params *p);
void wr_page_id_ns(uint8_t *page, const struct wr_id_ns_params *p);
/* Namespace identification descriptors: NGUID, UUID and CSI (NVM). */
void wr_page_ns_descs(uint8_t *page, const uint8_t nguid[16], const uint8_t uuid[16]);
size_t wr_page_smart(uint8_t *page, const struct wr_smart_params *p);
size_t wr_page_fw_slot(uint8_t *page);
size_t wr_page_cmd_effects(uint8_t *page, bool discovery);

#endif /* WR_PAGES_H */
