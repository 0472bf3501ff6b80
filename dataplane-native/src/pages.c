/*
 * pages.c - Identify and log page layouts, filled from plain parameters (see pages.h).
 * Values follow what the Linux host checks (SGLS, IOCCSZ, CMIC/ANA fields, KAS) and what
 * Linux's own target (drivers/nvme/target/admin-cmd.c) reports for the same features.
 */
#include <nvme/types.h>
#include <stdio.h>
#include <string.h>

#include "pages.h"

_Static_assert(sizeof(struct nvme_id_ctrl) == WR_PAGE_SIZE, "Identify Controller is 4 KiB");
_Static_assert(sizeof(struct nvme_id_ns) == WR_PAGE_SIZE, "Identify Namespace is 4 KiB");
_Static_assert(sizeof(struct nvme_smart_log) == 512, "SMART log is 512 bytes");

/* ASCII fields are space padded, never NUL terminated (base spec 1.4, 7.1). */
static void pad_copy(char *dst, size_t size, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n > size)
		n = size;
	memset(dst, ' ', size);
	memcpy(dst, src, n);
}

static void put_u128(uint8_t *dst, uint64_t v)
{
	memset(dst, 0, 16);
	memcpy(dst, &v, sizeof(v));
}

void wr_page_id_ctrl(uint8_t *page, const struct wr_id_ctrl_params *p)
{
	struct nvme_id_ctrl *id = (struct nvme_id_ctrl *)page;
	memset(id, 0, sizeof(*id));
	pad_copy(id->sn, sizeof(id->sn), p->serial);
	pad_copy(id->mn, sizeof(id->mn), p->model);
	pad_copy(id->fr, sizeof(id->fr), WR_FIRMWARE_REV);
	id->rab = 6;
	id->mdts = p->mdts;
	id->cntlid = p->cntlid;
	id->ver = 0x00010300;                        /* NVMe 1.3: hosts ask for CNS 03 */
	id->ctratt = 1u << 0;                        /* 128-bit host identifier */
	id->cntrltype = p->discovery ? 2 : 1;        /* discovery / I/O controller */
	id->acl = 3;
	id->aerl = p->aerl;
	id->frmw = (1u << 1) | 1u;                   /* one slot, read-only */
	id->lpa = p->discovery ? (1u << 2) : ((1u << 1) | (1u << 2)); /* effects log, extended data */
	id->elpe = 0;
	id->wctemp = 343;
	id->cctemp = 373;
	id->kas = p->kas;
	id->sqes = (6u << 4) | 6u;
	id->cqes = (4u << 4) | 4u;
	id->maxcmd = p->maxcmd;
	id->sgls = (1u << 0) | (1u << 20);           /* SGLs; offsets in in-capsule data */
	id->msdbd = 1;
	id->iorcsz = 1;
	id->icdoff = 0;
	id->fcatt = 0;                               /* dynamic controller model */
	id->ioccsz = (64 + p->ioccsz_bytes) / 16;
	snprintf(id->subnqn, sizeof(id->subnqn), "%s", p->subnqn);
	if (p->discovery) {
		id->oaes = 1u << 31;                 /* discovery log change notices */
		return;
	}
	id->cmic = (1u << 0) | (1u << 1) | (1u << 3); /* multi-port, multi-controller, ANA */
	id->oaes = (1u << 8) | (1u << 11);           /* namespace attribute and ANA change notices */
	id->oncs = (1u << 0) | (1u << 2) | (1u << 3); /* compare, DSM, write zeroes */
	id->vwc = 0x1 | (0x2u << 1);                 /* present; broadcast flush not supported */
	id->nn = p->nn;
	id->mnan = p->nn;
	id->anatt = p->anatt;                        /* seconds; the target keeps to it */
	id->anacap = 0x1f;                           /* optimized .. change states reported */
	id->anagrpmax = p->anagrpmax;
	id->nanagrpid = p->anagrpmax;
}

void wr_page_id_ns(uint8_t *page, const struct wr_id_ns_params *p)
{
	struct nvme_id_ns *ns = (struct nvme_id_ns *)page;
	memset(ns, 0, sizeof(*ns));
	ns->nsze = p->num_blocks;
	ns->ncap = p->num_blocks;
	ns->nuse = p->num_blocks;
	ns->nlbaf = 0;
	ns->flbas = 0;
	ns->nmic = 1;                                /* may be shared by several controllers */
	ns->dlfeat = (1u << 3) | (p->dealloc_reads_zero ? 1u : 0u);
	ns->anagrpid = p->anagrpid;
	memcpy(ns->nguid, p->nguid, 16);
	uint8_t ds = 0;
	for (uint32_t bs = p->block_size; bs > 1; bs >>= 1)
		ds++;
	ns->lbaf[0].ds = ds;
}

void wr_page_ns_descs(uint8_t *page, const uint8_t nguid[16], const uint8_t uuid[16])
{
	memset(page, 0, WR_PAGE_SIZE);
	uint8_t *p = page;
	p[0] = NVME_NIDT_NGUID;
	p[1] = 16;
	memcpy(p + 4, nguid, 16);
	p += 4 + 16;
	p[0] = NVME_NIDT_UUID;
	p[1] = 16;
	memcpy(p + 4, uuid, 16);
	p += 4 + 16;
	p[0] = NVME_NIDT_CSI;
	p[1] = 1;
	p[4] = NVME_CSI_NVM;
}

size_t wr_page_smart(uint8_t *page, const struct wr_smart_params *p)
{
	struct nvme_smart_log *s = (struct nvme_smart_log *)page;
	memset(s, 0, sizeof(*s));
	uint16_t kelvin = 300;
	memcpy(s->temperature, &kelvin, sizeof(kelvin));
	s->avail_spare = 100;
	s->spare_thresh = 10;
	/* Data units are thousands of 512-byte units, rounded up (base spec 5.14.1.2). */
	put_u128(s->data_units_read, (p->read_bytes / 512 + 999) / 1000);
	put_u128(s->data_units_written, (p->write_bytes / 512 + 999) / 1000);
	put_u128(s->host_reads, p->read_ops);
	put_u128(s->host_writes, p->write_ops);
	put_u128(s->ctrl_busy_time, p->busy_minutes);
	put_u128(s->power_cycles, 1);
	put_u128(s->power_on_hours, p->power_on_hours);
	put_u128(s->media_errors, p->errors);
	return sizeof(*s);
}

size_t wr_page_fw_slot(uint8_t *page)
{
	struct nvme_firmware_slot *fw = (struct nvme_firmware_slot *)page;
	memset(fw, 0, sizeof(*fw));
	fw->afi = 1;
	pad_copy(fw->frs[0], sizeof(fw->frs[0]), WR_FIRMWARE_REV);
	return sizeof(*fw);
}

size_t wr_page_cmd_effects(uint8_t *page, bool discovery)
{
	struct nvme_cmd_effects_log *log = (struct nvme_cmd_effects_log *)page;
	memset(log, 0, sizeof(*log));
	const uint32_t csupp = 1u, lbcc = 1u << 1;
	static const uint8_t admin[] = { 0x02, 0x06, 0x08, 0x09, 0x0a, 0x0c, 0x18, 0x7f };
	for (size_t i = 0; i < sizeof(admin); i++)
		log->acs[admin[i]] = csupp;
	if (discovery)
		return sizeof(*log);
	log->iocs[0x00] = csupp;                     /* flush */
	log->iocs[0x01] = csupp | lbcc;              /* write */
	log->iocs[0x02] = csupp;                     /* read */
	log->iocs[0x05] = csupp;                     /* compare */
	log->iocs[0x08] = csupp | lbcc;              /* write zeroes */
	log->iocs[0x09] = csupp | lbcc;              /* dataset management */
	return sizeof(*log);
}
