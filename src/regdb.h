/* SPDX-License-Identifier: MIT */
/* The register database as C tables (generated from data/regs.db). */
#ifndef IDREGS_REGDB_H
#define IDREGS_REGDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "regdb-gen.h"	/* generated: release count, properties, fields */

enum idregs_rule {
	IDREGS_RULE_NONE,		/* not in the host table */
	IDREGS_RULE_LOWER,
	IDREGS_RULE_HIGHER,
	IDREGS_RULE_HIGHER_OR_ZERO,
	IDREGS_RULE_EXACT,
};

enum idregs_vis {
	IDREGS_VIS_NORMAL,
	IDREGS_VIS_RAZ,		/* always reads as zero */
	IDREGS_VIS_AA32,	/* RAZ + user write-ignore without 32-bit EL0 */
	IDREGS_VIS_SVE,		/* RAZ unless the vCPU has SVE */
};

enum idregs_scope { IDREGS_SCOPE_VM, IDREGS_SCOPE_VCPU };

/* KVM's user access path for a register in a release */
enum idregs_handler {
	IDREGS_HANDLER_ID,	/* generic feature check */
	IDREGS_HANDLER_IMP,	/* MIDR, REVIDR, AIDR behind the capability */
	IDREGS_HANDLER_MPIDR,	/* per vCPU, any value */
	IDREGS_HANDLER_CLIDR,	/* per vCPU, the CLIDR checks */
	IDREGS_HANDLER_INVARIANT, /* the host's value, only it may be written */
};

enum idregs_cond {
	IDREGS_COND_NONE,
	IDREGS_COND_SVE,
	IDREGS_COND_PMU,
	IDREGS_COND_PTRAUTH,
	IDREGS_COND_MTE,
	IDREGS_COND_HOST_WFXT,
	IDREGS_COND_HOST_RASV1P1,
	IDREGS_COND_HOST_GICV3,
	IDREGS_COND_SPECTRE_V2_SAFE,
	IDREGS_COND_MELTDOWN_SAFE,
	IDREGS_COND_VGIC_V3,
	IDREGS_COND_COUNT,
};

enum idregs_op_kind {
	IDREGS_OP_LIMIT,	/* the reset value and write limit */
	IDREGS_OP_CHECK,	/* write pre-checks */
	IDREGS_OP_RUN,		/* adjustments at the VM's first run */
	IDREGS_OP_VGIC,		/* adjustments when an in-kernel vGICv3 is made */
};

enum idregs_op {
	IDREGS_OP_ZERO,		/* a = bits forced to 0 */
	IDREGS_OP_KEEP,		/* a = the only bits kept */
	IDREGS_OP_ZERO_UNLESS,	/* a = bits forced to 0 unless cond */
	IDREGS_OP_SET,		/* field = a */
	IDREGS_OP_SET_IF,	/* field = a if cond */
	IDREGS_OP_CAP,		/* field = min(field, a) */
	IDREGS_OP_PERFMON_CAP,	/* the same, a field of 0xf (IMPLEMENTATION
				 * DEFINED) is left alone */
	IDREGS_OP_PMU_CAP,	/* PERFMON_CAP with a, or 0 without a vCPU PMU */
	IDREGS_OP_PMUVER,	/* AArch64 PMU version limit */
	IDREGS_OP_PERFMON,	/* AArch32 PMU version limit */
	IDREGS_OP_IGNORE_HOST,	/* field == host value -> cleared */
	IDREGS_OP_MIN,		/* field < a -> EINVAL */
	IDREGS_OP_MIN_NONZERO,	/* 0 < field < a -> EINVAL */
	IDREGS_OP_MAP,		/* field == a -> b */
	IDREGS_OP_REJECT,	/* bit (field) of a set -> EINVAL */
	IDREGS_OP_MTE_FRAC,	/* ASYNC accepted as the host's NI */
	IDREGS_OP_COUNT,
};

#define IDREGS_F_SIGNED	(1u << 0)
#define IDREGS_F_STRICT	(1u << 1)
#define IDREGS_F_EL0	(1u << 2)

#define IDREGS_NO_FIELD 0xffff

struct idregs_enum_desc {
	uint64_t value;
	const char *name;
};

struct idregs_field_desc {
	const char *name;
	uint8_t shift;
	uint8_t width;
	uint8_t flags;
	uint8_t host_rule;	/* enum idregs_rule */
	uint8_t kvm_rule;	/* the rule KVM checks writes with */
	uint64_t safe;
	uint16_t first_enum;
	uint16_t nr_enums;
	struct idregs_relset host_releases;	/* whose host table has it */
	struct idregs_relset unsigned_releases;	/* where a signed field
						 * compares unsigned */
};

struct idregs_op_desc {
	uint8_t kind;		/* enum idregs_op_kind */
	uint8_t op;		/* enum idregs_op */
	uint8_t cond;		/* enum idregs_cond */
	uint16_t field;		/* index into fields[] or IDREGS_NO_FIELD */
	uint64_t a;
	uint64_t b;
	struct idregs_relset releases;	/* where the operation applies */
};

/* A register's policy in one release. */
struct idregs_reg_rel {
	uint64_t mask;		/* writable mask (KVM_ARM_GET_REG_WRITABLE_MASKS) */
	uint8_t vis;		/* enum idregs_vis */
	uint8_t handler;	/* enum idregs_handler */
	uint8_t host_table;	/* Linux has a cpufeature table for it */
};

struct idregs_reg_desc {
	const char *name;
	uint16_t enc;		/* op0<<14 | op1<<11 | crn<<7 | crm<<3 | op2 */
	uint8_t scope;		/* enum idregs_scope */
	uint8_t unallocated;
	uint8_t own_reset;	/* KVM's reset ignores read-as-zero (userspace
				 * reads the value, the guest still reads 0) */
	const struct idregs_reg_rel *rows;	/* distinct per-release rows */
	uint8_t nr_rows;
	const uint8_t *row_of;	/* [IDREGS_NR_RELEASES]: index into rows */
	uint16_t first_field;
	uint16_t nr_fields;
	uint16_t first_op;
	uint16_t nr_ops;
};

/* One KVM release (data/releases.db). */
struct idregs_release {
	const char *name;	/* "6.12" or "6.12.63" */
	const char *version;	/* "6.12.0": names exactly this release */
	uint16_t major, minor, patch;
	bool point;		/* a stable point release */
	const char *verified;	/* the kernel build check-kvm tests, or NULL */
	const char *note;
	const char *const *changes;	/* from the previous release, NULL-ended */
	struct idregs_release_props props;
};

/* Distribution ABI numbers: SERIES.0-N from N = abi on is at least patch. */
struct idregs_abi_desc {
	uint16_t major, minor;
	unsigned int abi;
	unsigned int patch;
};

struct idregs_midr_desc {
	uint8_t list;		/* IDREGS_COND_SPECTRE_V2_SAFE or _MELTDOWN_SAFE */
	uint8_t implementer;
	uint16_t partnum;
	const char *name;
};

/* An architectural register of the space that KVM has no descriptor for. */
struct idregs_name_desc {
	uint16_t enc;
	const char *name;
};

struct idregs_regdb {
	const struct idregs_release *releases;
	size_t nr_releases;
	const struct idregs_abi_desc *abis;
	size_t nr_abis;
	const struct idregs_reg_desc *regs;
	size_t nr_regs;
	const struct idregs_field_desc *fields;
	size_t nr_fields;
	const struct idregs_enum_desc *enums;
	size_t nr_enums;
	const struct idregs_op_desc *ops;
	size_t nr_ops;
	const struct idregs_midr_desc *identity;
	size_t nr_identity;
	const struct idregs_name_desc *names;
	size_t nr_names;
};

extern const struct idregs_regdb idregs_regdb_generated;

/* The validated database; NULL if validation failed at load time. */
extern const struct idregs_regdb *idregs_db;

/* Validate a database: sorted, fields in 64 bits, no overlaps, indices in
 * range. Returns 0 or -EINVAL; on failure *why names the first problem. */
int idregs_regdb_validate(const struct idregs_regdb *db, const char **why);

const struct idregs_reg_desc *idregs_regdb_find(uint16_t enc);
const struct idregs_reg_desc *idregs_regdb_find_name(const char *name);

static inline bool idregs_relset_has(const struct idregs_relset *s, unsigned int rel)
{
	return s->w[rel / 64] & (1ULL << (rel % 64));
}

/* r's policy in release rel */
static inline const struct idregs_reg_rel *
idregs_reg_rel(const struct idregs_reg_desc *r, unsigned int rel)
{
	return &r->rows[r->row_of[rel]];
}

/* Is the field in Linux's cpufeature table of release rel? */
static inline bool idregs_field_in_host(const struct idregs_field_desc *f,
					unsigned int rel)
{
	return f->host_rule != IDREGS_RULE_NONE &&
	       idregs_relset_has(&f->host_releases, rel);
}

/* The release table's properties, by name (releases.c). */
struct idregs_prop_desc {
	const char *name;
	size_t offset;		/* of the bool in struct idregs_release_props */
};
extern const struct idregs_prop_desc idregs_props[];
extern const size_t idregs_nr_props;

static inline uint64_t idregs_field_mask(const struct idregs_field_desc *f)
{
	return (f->width == 64 ? ~0ULL : ((1ULL << f->width) - 1)) << f->shift;
}

static inline uint64_t idregs_field_get(const struct idregs_field_desc *f,
					uint64_t reg)
{
	return (reg & idregs_field_mask(f)) >> f->shift;
}

static inline uint64_t idregs_field_set(const struct idregs_field_desc *f,
					uint64_t reg, uint64_t v)
{
	return (reg & ~idregs_field_mask(f)) |
	       ((v << f->shift) & idregs_field_mask(f));
}

/* Does KVM check the field of r, writes in release rel, against its rule?
 * It must be in the host's cpufeature table and wholly writable; every
 * other bit must equal KVM's limit. */
static inline bool idregs_reg_field_checked(const struct idregs_reg_desc *r,
					    const struct idregs_field_desc *f,
					    unsigned int rel)
{
	uint64_t m = idregs_field_mask(f);

	return idregs_field_in_host(f, rel) && (idregs_reg_rel(r, rel)->mask & m) == m;
}

/* Is r part of a CPU model in release rel: a VM register KVM checks field
 * by field (not the per-vCPU, invariant or implementation-ID ones)? */
static inline bool idregs_reg_in_model(const struct idregs_reg_desc *r, unsigned int rel)
{
	return r->scope == IDREGS_SCOPE_VM &&
	       idregs_reg_rel(r, rel)->handler == IDREGS_HANDLER_ID;
}

#endif
