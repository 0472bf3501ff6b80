/*
 * nvme_proto.h - NVMe and NVMe/TCP wire structures shared by the Windrose target and initiator.
 *
 * Self-contained (stdint only). Everything on the wire is little-endian; the dataplane only runs
 * on little-endian hosts (checked below), so fields are read and written directly.
 *
 * Sources: NVMe/TCP Transport Specification 1.0 (PDU layouts, section 3.6), NVMe over Fabrics
 * 1.1 (Connect, Property Get/Set, discovery log), NVMe Base 1.4/2.0 (SQE, CQE, SGL, status codes).
 */
#ifndef WR_NVME_PROTO_H
#define WR_NVME_PROTO_H

#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the NVMe wire structures are read in place: little-endian hosts only"
#endif

/* ------------------------------------------------------------------------------------------
 * NVMe/TCP PDUs (TCP transport 1.0, 3.6.2)
 * ---------------------------------------------------------------------------------------- */
enum nvme_tcp_pdu_type {
	NVME_TCP_ICREQ = 0x00,
	NVME_TCP_ICRESP = 0x01,
	NVME_TCP_H2C_TERM = 0x02,
	NVME_TCP_C2H_TERM = 0x03,
	NVME_TCP_CMD = 0x04,
	NVME_TCP_RSP = 0x05,
	NVME_TCP_H2C_DATA = 0x06,
	NVME_TCP_C2H_DATA = 0x07,
	NVME_TCP_R2T = 0x09,
};

/* Common header flags. */
#define NVME_TCP_F_HDGST 0x01u      /* a header digest follows the PDU header */
#define NVME_TCP_F_DDGST 0x02u      /* a data digest follows the PDU data */
#define NVME_TCP_F_DATA_LAST 0x04u  /* H2CData/C2HData: last PDU of the transfer */
#define NVME_TCP_F_DATA_SUCCESS 0x08u /* C2HData: command succeeded, no CapsuleResp follows */

/* ICReq/ICResp DGST field. */
#define NVME_TCP_HDGST_ENABLE 0x01u
#define NVME_TCP_DDGST_ENABLE 0x02u

#define NVME_TCP_PFV_1_0 0u
#define NVME_TCP_DIGEST_LEN 4u
#define NVME_TCP_ADMIN_CCSZ 8192u        /* admin in-capsule data Linux sends (8 KiB) */
#define NVME_TCP_MAX_HLEN 128u           /* no PDU header is longer (ICReq/ICResp) */

struct nvme_tcp_hdr {
	uint8_t type;
	uint8_t flags;
	uint8_t hlen;
	uint8_t pdo;
	uint32_t plen;
};

struct nvme_tcp_icreq {
	struct nvme_tcp_hdr hdr;
	uint16_t pfv;
	uint8_t hpda;        /* host PDU data alignment, in dwords minus one */
	uint8_t digest;      /* NVME_TCP_HDGST_ENABLE | NVME_TCP_DDGST_ENABLE */
	uint32_t maxr2t;     /* maximum outstanding R2Ts per command, zero-based */
	uint8_t rsvd[112];
};

struct nvme_tcp_icresp {
	struct nvme_tcp_hdr hdr;
	uint16_t pfv;
	uint8_t cpda;        /* controller PDU data alignment; Linux accepts only 0 */
	uint8_t digest;
	uint32_t maxdata;    /* MAXH2CDATA: largest H2CData payload, >= 4096, multiple of 4 */
	uint8_t rsvd[112];
};

/* H2CTermReq / C2HTermReq: the offending PDU header follows (up to 128 bytes). */
struct nvme_tcp_term_pdu {
	struct nvme_tcp_hdr hdr;
	uint16_t fes;        /* fatal error status */
	uint16_t feil;       /* fatal error information, low */
	uint16_t feiu;       /* fatal error information, high */
	uint8_t rsvd[10];
};
#define NVME_TCP_TERM_MAX_DATA 128u

enum nvme_tcp_fes {
	NVME_TCP_FES_INVALID_PDU_HDR = 0x01,      /* FEI: byte offset of the bad field */
	NVME_TCP_FES_PDU_SEQ_ERR = 0x02,
	NVME_TCP_FES_HDR_DIGEST_ERR = 0x03,
	NVME_TCP_FES_DATA_OUT_OF_RANGE = 0x04,
	NVME_TCP_FES_R2T_LIMIT_EXCEEDED = 0x05,   /* "data transfer limit exceeded" */
	NVME_TCP_FES_UNSUPPORTED_PARAM = 0x06,
	/* TCP transport 1.0 has no FES of its own for a data digest mismatch; the target reports
	 * it as a digest error (03h) and closes, as the header digest case. */
	NVME_TCP_FES_DATA_DIGEST_ERR = 0x03,
};

/* H2CData. */
struct nvme_tcp_data_pdu {
	struct nvme_tcp_hdr hdr;
	uint16_t command_id;  /* CCCID */
	uint16_t ttag;        /* H2CData: the R2T's transfer tag; C2HData: reserved */
	uint32_t data_offset; /* DATAO */
	uint32_t data_length; /* DATAL */
	uint8_t rsvd[4];
};

struct nvme_tcp_r2t_pdu {
	struct nvme_tcp_hdr hdr;
	uint16_t command_id;
	uint16_t ttag;
	uint32_t r2t_offset;
	uint32_t r2t_length;
	uint8_t rsvd[4];
};

/* ------------------------------------------------------------------------------------------
 * SGL descriptors (base spec 4.4)
 * ---------------------------------------------------------------------------------------- */
#define NVME_SGL_FMT_DATA_DESC 0x0u
#define NVME_SGL_FMT_TRANSPORT_DATA_DESC 0x5u
#define NVME_SGL_SUBTYPE_ADDRESS 0x0u
#define NVME_SGL_SUBTYPE_OFFSET 0x1u
#define NVME_SGL_SUBTYPE_TRANSPORT_A 0xAu
/* The two descriptors an NVMe/TCP host uses: in-capsule data, and data moved by R2T/C2HData. */
#define NVME_SGL_INCAPSULE ((NVME_SGL_FMT_DATA_DESC << 4) | NVME_SGL_SUBTYPE_OFFSET)             /* 0x01 */
#define NVME_SGL_TRANSPORT ((NVME_SGL_FMT_TRANSPORT_DATA_DESC << 4) | NVME_SGL_SUBTYPE_TRANSPORT_A) /* 0x5a */

struct nvme_sgl_desc {
	uint64_t addr;       /* in-capsule: offset into the capsule data */
	uint32_t length;
	uint8_t rsvd[3];
	uint8_t type;        /* descriptor type << 4 | subtype */
};

/* ------------------------------------------------------------------------------------------
 * Submission and completion queue entries
 * ---------------------------------------------------------------------------------------- */
struct nvme_sqe {
	uint8_t opcode;
	uint8_t flags;       /* FUSE bits 1:0, PSDT bits 7:6 (10b = SGL) */
	uint16_t command_id;
	uint32_t nsid;
	uint32_t cdw2;
	uint32_t cdw3;
	uint64_t mptr;
	struct nvme_sgl_desc dptr;
	uint32_t cdw10;
	uint32_t cdw11;
	uint32_t cdw12;
	uint32_t cdw13;
	uint32_t cdw14;
	uint32_t cdw15;
};

struct nvme_cqe {
	uint64_t result;     /* DW0 (low) and DW1 (high) */
	uint16_t sq_head;
	uint16_t sq_id;
	uint16_t command_id;
	uint16_t status;     /* phase tag bit 0, status field bits 15:1 */
};

struct nvme_tcp_cmd_pdu {
	struct nvme_tcp_hdr hdr;
	struct nvme_sqe sqe;
};

struct nvme_tcp_rsp_pdu {
	struct nvme_tcp_hdr hdr;
	struct nvme_cqe cqe;
};

/* ------------------------------------------------------------------------------------------
 * Fabrics commands (opcode 7Fh, NVMe-oF 1.1 section 3)
 * ---------------------------------------------------------------------------------------- */
#define NVME_FABRICS_OPCODE 0x7fu

enum nvmf_fctype {
	NVMF_FCTYPE_PROPERTY_SET = 0x00,
	NVMF_FCTYPE_CONNECT = 0x01,
	NVMF_FCTYPE_PROPERTY_GET = 0x04,
	NVMF_FCTYPE_AUTH_SEND = 0x05,
	NVMF_FCTYPE_AUTH_RECV = 0x06,
	NVMF_FCTYPE_DISCONNECT = 0x08,
};

struct nvmf_common_cmd {
	uint8_t opcode;
	uint8_t rsvd1;
	uint16_t command_id;
	uint8_t fctype;
	uint8_t rsvd2[19];
	struct nvme_sgl_desc dptr;
	uint8_t spec[24];
};

#define NVMF_CONNECT_CATTR_DISABLE_SQFLOW 0x04u /* host disables SQ flow control (SQHD) */

struct nvmf_connect_cmd {
	uint8_t opcode;
	uint8_t rsvd1;
	uint16_t command_id;
	uint8_t fctype;
	uint8_t rsvd2[19];
	struct nvme_sgl_desc dptr;
	uint16_t recfmt;     /* record format, 0 */
	uint16_t qid;
	uint16_t sqsize;     /* zero-based */
	uint8_t cattr;
	uint8_t rsvd3;
	uint32_t kato;       /* keep-alive timeout, milliseconds; 0 = disabled */
	uint8_t rsvd4[12];
};

#define NVMF_NQN_FIELD_SIZE 256u
#define NVMF_CNTLID_DYNAMIC 0xffffu

struct nvmf_connect_data {
	uint8_t hostid[16];
	uint16_t cntlid;
	uint8_t rsvd4[238];
	char subsysnqn[NVMF_NQN_FIELD_SIZE];
	char hostnqn[NVMF_NQN_FIELD_SIZE];
	uint8_t rsvd5[256];
};

/* Connect Invalid Parameters: CQE DW0 = IATTR << 16 | IPO (byte offset of the bad field). */
#define NVMF_IATTR_SQE 0u
#define NVMF_IATTR_DATA 1u

struct nvmf_property_set_cmd {
	uint8_t opcode;
	uint8_t rsvd1;
	uint16_t command_id;
	uint8_t fctype;
	uint8_t rsvd2[35];
	uint8_t attrib;      /* bits 2:0: 0 = 4 bytes, 1 = 8 bytes */
	uint8_t rsvd3[3];
	uint32_t offset;
	uint64_t value;
	uint8_t rsvd4[8];
};

struct nvmf_property_get_cmd {
	uint8_t opcode;
	uint8_t rsvd1;
	uint16_t command_id;
	uint8_t fctype;
	uint8_t rsvd2[35];
	uint8_t attrib;
	uint8_t rsvd3[3];
	uint32_t offset;
	uint8_t rsvd4[16];
};

/* Connect response DW0 bits 31:16 are AUTHREQ (NVMe base 2.0, Figure 546): ATR asks the host to run
 * an authentication transaction on this queue before anything else; ASCR (secure channel
 * concatenation) is not offered. */
#define NVMF_CONNECT_AUTHREQ_ATR (1u << 17)
#define NVMF_CONNECT_AUTHREQ_ASCR (1u << 18)

/* Authentication Send (fctype 05h) and Receive (06h) (NVMe base 2.0, 6.2 and 6.3): the message
 * is the command's data, TL / AL bytes long. */
struct nvmf_auth_cmd {
	uint8_t opcode;
	uint8_t rsvd1;
	uint16_t command_id;
	uint8_t fctype;
	uint8_t rsvd2[19];
	struct nvme_sgl_desc dptr;
	uint8_t rsvd3;
	uint8_t spsp0;       /* 01h for DH-HMAC-CHAP */
	uint8_t spsp1;       /* 01h */
	uint8_t secp;        /* E9h: NVMe in-band authentication */
	uint32_t length;     /* TL (send) or AL (receive) */
	uint8_t rsvd4[16];
};
#define NVMF_AUTH_SECP 0xe9u
#define NVMF_AUTH_SPSP 0x01u

/* Authentication messages (NVMe base 2.0, 8.13.5): auth_type 00h for the common messages
 * (Negotiate, Failure1, Failure2), 01h for the DH-HMAC-CHAP ones (Linux include/linux/nvme.h:
 * NVME_AUTH_COMMON_MESSAGES, NVME_AUTH_DHCHAP_MESSAGES; the interop test with the kernel's host
 * is what tells a wrong value here). */
#define NVME_AUTH_COMMON 0x00u
#define NVME_AUTH_DHCHAP 0x01u
enum nvme_auth_msg_id {
	NVME_AUTH_NEGOTIATE = 0x00,
	NVME_AUTH_CHALLENGE = 0x01,
	NVME_AUTH_REPLY = 0x02,
	NVME_AUTH_SUCCESS1 = 0x03,
	NVME_AUTH_SUCCESS2 = 0x04,
	NVME_AUTH_FAILURE2 = 0xf0,
	NVME_AUTH_FAILURE1 = 0xf1,
};

/* Hash function and DH group identifiers (NVMe base 2.0, Figures 452/453). */
enum nvme_auth_hash { NVME_AUTH_SHA256 = 1, NVME_AUTH_SHA384 = 2, NVME_AUTH_SHA512 = 3 };
enum nvme_auth_dhgroup {
	NVME_AUTH_DH_NULL = 0, NVME_AUTH_FFDHE2048 = 1, NVME_AUTH_FFDHE3072 = 2,
	NVME_AUTH_FFDHE4096 = 3, NVME_AUTH_FFDHE6144 = 4, NVME_AUTH_FFDHE8192 = 5,
};

/* Failure reason code 01h, and its explanations (Figure 457). */
#define NVME_AUTH_RC_FAILED 0x01u
enum nvme_auth_rc_exp {
	NVME_AUTH_EXP_FAILED = 0x01,
	NVME_AUTH_EXP_NOT_USABLE = 0x02,
	NVME_AUTH_EXP_CONCAT_MISMATCH = 0x03,
	NVME_AUTH_EXP_HASH_UNUSABLE = 0x04,
	NVME_AUTH_EXP_DHGROUP_UNUSABLE = 0x05,
	NVME_AUTH_EXP_INCORRECT_PAYLOAD = 0x06,
	NVME_AUTH_EXP_INCORRECT_PROTOCOL = 0x07,
};

struct nvme_auth_hdr {          /* the first 6 bytes of every message */
	uint8_t auth_type;
	uint8_t auth_id;
	uint16_t rsvd;
	uint16_t t_id;           /* transaction identifier, chosen by the host in Negotiate */
};

#define NVME_AUTH_DHCHAP_ID 0x01u      /* AUTHID of the DH-HMAC-CHAP protocol descriptor */
struct nvme_auth_protocol_desc {   /* 64 bytes */
	uint8_t authid;
	uint8_t rsvd;
	uint8_t halen;           /* hash identifiers in idlist[0..halen) */
	uint8_t dhlen;           /* DH group identifiers in idlist[30..30 + dhlen) */
	uint8_t idlist[60];
};
#define NVME_AUTH_DH_LIST_OFFSET 30u

struct nvme_auth_negotiate {
	struct nvme_auth_hdr hdr;
	uint8_t sc_c;            /* secure channel concatenation: 0, not offered */
	uint8_t napd;            /* protocol descriptors that follow */
	struct nvme_auth_protocol_desc desc[];
};

struct nvme_auth_challenge {
	struct nvme_auth_hdr hdr;
	uint8_t hl;              /* hash length */
	uint8_t rsvd1;
	uint8_t hashid;
	uint8_t dhgid;
	uint16_t dhvlen;
	uint32_t seqnum;
	uint8_t cval[];          /* hl bytes of challenge, then dhvlen bytes of DH value */
};

struct nvme_auth_reply {
	struct nvme_auth_hdr hdr;
	uint8_t hl;
	uint8_t rsvd1;
	uint8_t cvalid;          /* 1: the host challenges the controller too (bidirectional) */
	uint8_t rsvd2;
	uint16_t dhvlen;
	uint32_t seqnum;         /* S2, the host's sequence number, when cvalid */
	uint8_t rval[];          /* hl bytes of response, hl bytes of C2, dhvlen bytes of DH value */
};

struct nvme_auth_success1 {
	struct nvme_auth_hdr hdr;
	uint8_t hl;
	uint8_t rsvd1;
	uint8_t rvalid;          /* 1: the controller's response follows */
	uint8_t rsvd2[7];
	uint8_t rval[];
};

struct nvme_auth_success2 {
	struct nvme_auth_hdr hdr;
	uint8_t rsvd[10];
};

struct nvme_auth_failure {
	struct nvme_auth_hdr hdr;
	uint8_t rescode;
	uint8_t rescode_exp;
};

/* Controller properties (base spec 3.1). */
enum nvme_property {
	NVME_REG_CAP = 0x00,
	NVME_REG_VS = 0x08,
	NVME_REG_INTMS = 0x0c,
	NVME_REG_INTMC = 0x10,
	NVME_REG_CC = 0x14,
	NVME_REG_CSTS = 0x1c,
	NVME_REG_NSSR = 0x20,
};

#define NVME_CC_ENABLE 0x1u
#define NVME_CC_SHN_SHIFT 14
#define NVME_CC_SHN_MASK (0x3u << NVME_CC_SHN_SHIFT)
#define NVME_CC_IOSQES_SHIFT 16
#define NVME_CC_IOCQES_SHIFT 20
#define NVME_CSTS_RDY 0x1u
#define NVME_CSTS_CFS 0x2u
#define NVME_CSTS_SHST_COMPLETE (0x2u << 2)

/* ------------------------------------------------------------------------------------------
 * Opcodes
 * ---------------------------------------------------------------------------------------- */
enum nvme_admin_opcode {
	NVME_ADMIN_DELETE_SQ = 0x00,
	NVME_ADMIN_CREATE_SQ = 0x01,
	NVME_ADMIN_GET_LOG_PAGE = 0x02,
	NVME_ADMIN_DELETE_CQ = 0x04,
	NVME_ADMIN_CREATE_CQ = 0x05,
	NVME_ADMIN_IDENTIFY = 0x06,
	NVME_ADMIN_ABORT = 0x08,
	NVME_ADMIN_SET_FEATURES = 0x09,
	NVME_ADMIN_GET_FEATURES = 0x0a,
	NVME_ADMIN_ASYNC_EVENT = 0x0c,
	NVME_ADMIN_KEEP_ALIVE = 0x18,
};

enum nvme_io_opcode {
	NVME_CMD_FLUSH = 0x00,
	NVME_CMD_WRITE = 0x01,
	NVME_CMD_READ = 0x02,
	NVME_CMD_COMPARE = 0x05,
	NVME_CMD_WRITE_ZEROES = 0x08,
	NVME_CMD_DSM = 0x09,
};

/* Opcode bits 1:0 give the data direction (base spec 5, figure "Opcodes"). */
#define NVME_OPC_DIR_H2C 0x1u
#define NVME_OPC_DIR_C2H 0x2u

#define NVME_RW_FUA (1u << 30)         /* CDW12 */
#define NVME_WZ_DEAC (1u << 25)        /* Write Zeroes CDW12: deallocate */
#define NVME_DSM_ATTR_DEALLOCATE (1u << 2) /* DSM CDW11 */

struct nvme_dsm_range {
	uint32_t cattr;
	uint32_t nlb;
	uint64_t slba;
};

enum nvme_identify_cns {
	NVME_ID_CNS_NS = 0x00,
	NVME_ID_CNS_CTRL = 0x01,
	NVME_ID_CNS_NS_ACTIVE_LIST = 0x02,
	NVME_ID_CNS_NS_DESC_LIST = 0x03,
	NVME_ID_CNS_CS_NS = 0x05,
	NVME_ID_CNS_CS_CTRL = 0x06,
};

enum nvme_ns_id_type {
	NVME_NIDT_EUI64 = 0x01,
	NVME_NIDT_NGUID = 0x02,
	NVME_NIDT_UUID = 0x03,
	NVME_NIDT_CSI = 0x04,
};

enum nvme_log_page {
	NVME_LOG_SUPPORTED = 0x00,
	NVME_LOG_ERROR = 0x01,
	NVME_LOG_SMART = 0x02,
	NVME_LOG_FW_SLOT = 0x03,
	NVME_LOG_CHANGED_NS = 0x04,
	NVME_LOG_CMD_EFFECTS = 0x05,
	NVME_LOG_ANA = 0x0c,
	NVME_LOG_DISC = 0x70,
};

enum nvme_feature {
	NVME_FEAT_ARBITRATION = 0x01,
	NVME_FEAT_POWER_MGMT = 0x02,
	NVME_FEAT_TEMP_THRESH = 0x04,
	NVME_FEAT_ERR_RECOVERY = 0x05,
	NVME_FEAT_VOLATILE_WC = 0x06,
	NVME_FEAT_NUM_QUEUES = 0x07,
	NVME_FEAT_IRQ_COALESCE = 0x08,
	NVME_FEAT_IRQ_CONFIG = 0x09,
	NVME_FEAT_WRITE_ATOMIC = 0x0a,
	NVME_FEAT_ASYNC_EVENT = 0x0b,
	NVME_FEAT_KATO = 0x0f,
	NVME_FEAT_HOST_ID = 0x81,
};

/* Asynchronous event configuration (feature 0Bh) and OAES bits. */
#define NVME_AEN_CFG_NS_ATTR (1u << 8)
#define NVME_AEN_CFG_ANA_CHANGE (1u << 11)
#define NVME_AEN_CFG_DISC_CHANGE (1u << 31)

/* Async event completion DW0: type | info << 8 | log page << 16. */
#define NVME_AER_TYPE_NOTICE 0x2u
#define NVME_AER_NOTICE_NS_CHANGED 0x00u
#define NVME_AER_NOTICE_ANA 0x03u
#define NVME_AER_NOTICE_DISC_CHANGED 0xf0u

enum nvme_ana_state {
	NVME_ANA_OPTIMIZED = 0x01,
	NVME_ANA_NONOPTIMIZED = 0x02,
	NVME_ANA_INACCESSIBLE = 0x03,
	NVME_ANA_PERSISTENT_LOSS = 0x04,
	NVME_ANA_CHANGE = 0x0f,
};

/* ------------------------------------------------------------------------------------------
 * Status codes: value = SCT << 8 | SC, as in the CQE status field shifted right by one.
 * ---------------------------------------------------------------------------------------- */
#define NVME_SCT_GENERIC 0x0u
#define NVME_SCT_CMD_SPECIFIC 0x1u
#define NVME_SCT_MEDIA 0x2u
#define NVME_SCT_PATH 0x3u
#define NVME_SC_DNR 0x4000u            /* do not retry */
#define NVME_SC_MORE 0x2000u

enum nvme_status {
	NVME_SC_SUCCESS = 0x000,
	NVME_SC_INVALID_OPCODE = 0x001,
	NVME_SC_INVALID_FIELD = 0x002,
	NVME_SC_CMDID_CONFLICT = 0x003,
	NVME_SC_DATA_XFER_ERROR = 0x004,
	NVME_SC_INTERNAL = 0x006,
	NVME_SC_ABORT_REQ = 0x007,
	NVME_SC_INVALID_NS = 0x00b,
	NVME_SC_CMD_SEQ_ERROR = 0x00c,
	NVME_SC_SGL_INVALID_DATA = 0x00f,   /* data SGL length invalid */
	NVME_SC_SGL_INVALID_TYPE = 0x011,
	NVME_SC_SGL_INVALID_OFFSET = 0x016,
	NVME_SC_LBA_RANGE = 0x080,
	NVME_SC_CAP_EXCEEDED = 0x081,
	NVME_SC_NS_NOT_READY = 0x082,

	NVME_SC_QID_INVALID = 0x101,
	NVME_SC_QUEUE_SIZE = 0x102,
	NVME_SC_ABORT_LIMIT = 0x103,
	NVME_SC_ASYNC_LIMIT = 0x105,
	NVME_SC_INVALID_LOG_PAGE = 0x109,
	NVME_SC_FEATURE_NOT_SAVEABLE = 0x10d,
	NVME_SC_FEATURE_NOT_CHANGEABLE = 0x10e,
	NVME_SC_CONNECT_FORMAT = 0x180,
	NVME_SC_CONNECT_CTRL_BUSY = 0x181,
	NVME_SC_CONNECT_INVALID_PARAM = 0x182,
	NVME_SC_CONNECT_RESTART_DISC = 0x183,
	NVME_SC_CONNECT_INVALID_HOST = 0x184,
	NVME_SC_AUTH_REQUIRED = 0x191,      /* SCT 1h SC 91h: the queue has not authenticated yet */

	NVME_SC_WRITE_FAULT = 0x280,
	NVME_SC_READ_ERROR = 0x281,
	NVME_SC_COMPARE_FAILED = 0x285,

	NVME_SC_ANA_PERSISTENT_LOSS = 0x301,
	NVME_SC_ANA_INACCESSIBLE = 0x302,
	NVME_SC_ANA_TRANSITION = 0x303,
};

/* ------------------------------------------------------------------------------------------
 * Discovery log page (NVMe-oF 1.1, 5.3)
 * ---------------------------------------------------------------------------------------- */
#define NVME_DISC_SUBSYS_NAME "nqn.2014-08.org.nvmexpress.discovery"

enum nvmf_trtype { NVMF_TRTYPE_TCP = 3 };
enum nvmf_adrfam { NVMF_ADRFAM_IPV4 = 1, NVMF_ADRFAM_IPV6 = 2 };
enum nvmf_subtype { NVMF_SUBTYPE_DISCOVERY = 1, NVMF_SUBTYPE_NVME = 2, NVMF_SUBTYPE_CUR_DISCOVERY = 3 };
#define NVMF_TREQ_REQUIRED 0x1u           /* secure channel required */
#define NVMF_TREQ_NOT_REQUIRED 0x2u       /* secure channel not required */
#define NVMF_TCP_SECTYPE_NONE 0u
#define NVMF_TCP_SECTYPE_TLS13 2u         /* TSAS SECTYPE: TLS 1.3 (Linux NVMF_TCP_SECTYPE_TLS13) */
#define NVMF_TREQ_DISABLE_SQFLOW 0x4u     /* SQ flow control disable supported */

struct nvmf_disc_log_entry {
	uint8_t trtype;
	uint8_t adrfam;
	uint8_t subtype;
	uint8_t treq;
	uint16_t portid;
	uint16_t cntlid;
	uint16_t asqsz;
	uint16_t eflags;
	uint8_t rsvd12[20];
	char trsvcid[32];
	uint8_t rsvd64[192];
	char subnqn[256];
	char traddr[256];
	union {
		uint8_t common[256];
		struct {
			uint8_t sectype;     /* 0: no security */
			uint8_t rsvd[255];
		} tcp;
	} tsas;
};

struct nvmf_disc_log_hdr {
	uint64_t genctr;
	uint64_t numrec;
	uint16_t recfmt;
	uint8_t rsvd[1006];
};

/* ------------------------------------------------------------------------------------------
 * Layout checks: every structure above is exactly its size on the wire.
 * ---------------------------------------------------------------------------------------- */
_Static_assert(sizeof(struct nvme_tcp_hdr) == 8, "common header");
_Static_assert(sizeof(struct nvme_tcp_icreq) == 128, "ICReq");
_Static_assert(sizeof(struct nvme_tcp_icresp) == 128, "ICResp");
_Static_assert(sizeof(struct nvme_tcp_term_pdu) == 24, "TermReq");
_Static_assert(sizeof(struct nvme_tcp_data_pdu) == 24, "H2CData/C2HData");
_Static_assert(sizeof(struct nvme_tcp_r2t_pdu) == 24, "R2T");
_Static_assert(sizeof(struct nvme_sgl_desc) == 16, "SGL descriptor");
_Static_assert(sizeof(struct nvme_sqe) == 64, "SQE");
_Static_assert(sizeof(struct nvme_cqe) == 16, "CQE");
_Static_assert(sizeof(struct nvme_tcp_cmd_pdu) == 72, "CapsuleCmd header");
_Static_assert(sizeof(struct nvme_tcp_rsp_pdu) == 24, "CapsuleResp");
_Static_assert(sizeof(struct nvmf_common_cmd) == 64, "fabrics command");
_Static_assert(sizeof(struct nvmf_connect_cmd) == 64, "Connect");
_Static_assert(sizeof(struct nvmf_connect_data) == 1024, "Connect data");
_Static_assert(sizeof(struct nvmf_property_set_cmd) == 64, "Property Set");
_Static_assert(sizeof(struct nvmf_property_get_cmd) == 64, "Property Get");
_Static_assert(sizeof(struct nvme_dsm_range) == 16, "DSM range");
_Static_assert(sizeof(struct nvmf_auth_cmd) == 64, "Authentication Send/Receive");
_Static_assert(__builtin_offsetof(struct nvmf_auth_cmd, secp) == 43, "SECP");
_Static_assert(__builtin_offsetof(struct nvmf_auth_cmd, length) == 44, "TL/AL");
_Static_assert(sizeof(struct nvme_auth_protocol_desc) == 64, "auth protocol descriptor");
_Static_assert(sizeof(struct nvme_auth_negotiate) == 8, "AUTH_Negotiate header");
_Static_assert(sizeof(struct nvme_auth_challenge) == 16, "DH-HMAC-CHAP_Challenge header");
_Static_assert(sizeof(struct nvme_auth_reply) == 16, "DH-HMAC-CHAP_Reply header");
_Static_assert(sizeof(struct nvme_auth_success1) == 16, "DH-HMAC-CHAP_Success1 header");
_Static_assert(sizeof(struct nvme_auth_success2) == 16, "DH-HMAC-CHAP_Success2");
_Static_assert(sizeof(struct nvme_auth_failure) == 8, "AUTH_Failure1/2");
_Static_assert(sizeof(struct nvmf_disc_log_entry) == 1024, "discovery log entry");
_Static_assert(sizeof(struct nvmf_disc_log_hdr) == 1024, "discovery log header");
_Static_assert(__builtin_offsetof(struct nvmf_connect_cmd, qid) == 42, "Connect QID");
_Static_assert(__builtin_offsetof(struct nvmf_connect_cmd, kato) == 48, "Connect KATO");
_Static_assert(__builtin_offsetof(struct nvmf_connect_data, subsysnqn) == 256, "SUBNQN");
_Static_assert(__builtin_offsetof(struct nvmf_connect_data, hostnqn) == 512, "HOSTNQN");
_Static_assert(__builtin_offsetof(struct nvmf_property_set_cmd, offset) == 44, "property offset");
_Static_assert(__builtin_offsetof(struct nvmf_property_set_cmd, value) == 48, "property value");
_Static_assert(__builtin_offsetof(struct nvmf_disc_log_entry, trsvcid) == 32, "TRSVCID");
_Static_assert(__builtin_offsetof(struct nvmf_disc_log_entry, subnqn) == 256, "SUBNQN");
_Static_assert(__builtin_offsetof(struct nvmf_disc_log_entry, traddr) == 512, "TRADDR");
_Static_assert(__builtin_offsetof(struct nvmf_disc_log_entry, tsas) == 768, "TSAS");

#endif /* WR_NVME_PROTO_H */
